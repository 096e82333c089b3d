"""Email alerts: follow a search, a speaker or a committee and get the new matches by email.

The parts, each in its own module, I/O only at the edges:

- :mod:`.addresses` — checking and masking email addresses (pure);
- :mod:`.settings` — the ``[alerts]`` settings and the SMTP password from the environment;
- :mod:`.store` — the alerts' own SQLite file (``alerts.sqlite`` in the data directory), the
  only place addresses are kept: never in the catalog, so never in an export;
- :mod:`.tokens` — signed links (confirm, manage, unsubscribe);
- :mod:`.queries` — a followed search as canonical URL arguments → an index request, a label;
- :mod:`.digest` — which new items each address gets, and the text and HTML of the email;
- :mod:`.mail` — email messages with safe headers and RFC 8058 one-click unsubscribe;
- :mod:`.smtp` — sending over SMTP (STARTTLS or TLS) at a limited rate;
- :mod:`.run` — the digest step of the nightly job (which must never fail the job).

Importing this package does not import Flask.
"""

import logging
from typing import Any

from searchsvc.alerts.errors import AlertError

__all__ = ["AlertError", "after_nightly"]


def after_nightly(config: Any) -> None:
    """The nightly job's one hook (see :func:`searchsvc.alerts.run.after_nightly`); never raises,
    and imports the index and SMTP code only when alerts are switched on."""
    try:
        if not config["alerts.enabled"]:
            return
        from searchsvc.alerts.run import after_nightly as send

        send(config)
    except Exception:
        logging.getLogger(__name__).exception("alerts: the digest step could not run")
