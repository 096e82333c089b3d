"""The ``[alerts]`` settings as one typed value, checked when alerts are used.

The SMTP password is read from the ``SEARCHSVC_SMTP_PASSWORD`` environment variable only:
configuration files get copied, committed and attached to bug reports. The signing secret
comes from ``SEARCHSVC_ALERTS_SECRET`` when set, else one is generated on first use and kept
in the alerts database (see :mod:`.store`), so links survive restarts without any setup.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from searchsvc.alerts.addresses import has_line_break, normalize_address
from searchsvc.alerts.errors import AlertError
from searchsvc.config import Config
from searchsvc.errors import ConfigError

PASSWORD_ENV = "SEARCHSVC_SMTP_PASSWORD"
SECRET_ENV = "SEARCHSVC_ALERTS_SECRET"
SECURITY = ("starttls", "tls", "none")
FREQUENCIES = ("daily", "weekly")
STORE_FILE = "alerts.sqlite"


@dataclass(frozen=True)
class AlertSettings:
    enabled: bool
    public_url: str
    from_address: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    smtp_password: str
    smtp_timeout: float
    send_per_minute: int
    confirm_hours: int
    signups_per_address: int
    signups_per_client: int
    max_per_address: int
    max_items: int
    data_dir: Path
    secret: str = ""  # from the environment; empty = the store's generated one

    @property
    def store_path(self) -> Path:
        return self.data_dir / STORE_FILE

    def link(self, path: str) -> str:
        """An absolute link to ``path`` on the public site (emails are read far from the request)."""
        return self.public_url.rstrip("/") + "/" + path.lstrip("/")


def alert_settings(config: Config, environ: Mapping[str, str] | None = None) -> AlertSettings:
    """Read and check the settings; a wrong value is a :class:`ConfigError` naming the key."""
    env = os.environ if environ is None else environ
    v = config.values
    settings = AlertSettings(
        enabled=v["alerts.enabled"], public_url=v["alerts.public_url"], from_address=v["alerts.from_address"],
        smtp_host=v["alerts.smtp_host"], smtp_port=v["alerts.smtp_port"], smtp_security=v["alerts.smtp_security"],
        smtp_user=v["alerts.smtp_user"], smtp_password=env.get(PASSWORD_ENV, ""),
        smtp_timeout=v["alerts.smtp_timeout_seconds"], send_per_minute=v["alerts.send_per_minute"],
        confirm_hours=v["alerts.confirm_hours"], signups_per_address=v["alerts.signups_per_address_per_day"],
        signups_per_client=v["alerts.signups_per_client_per_hour"], max_per_address=v["alerts.max_per_address"],
        max_items=v["alerts.max_items_per_alert"], data_dir=config.data_dir, secret=env.get(SECRET_ENV, ""))
    if settings.smtp_security not in SECURITY:
        raise ConfigError(f"alerts.smtp_security: expected one of {', '.join(SECURITY)}, "
                          f"got {settings.smtp_security!r}")
    if not 0 < settings.smtp_port < 65536:
        raise ConfigError(f"alerts.smtp_port: expected a port number 1-65535, got {settings.smtp_port!r}")
    for name in ("alerts.confirm_hours", "alerts.max_per_address", "alerts.max_items_per_alert",
                 "alerts.smtp_timeout_seconds"):
        if v[name] <= 0:
            raise ConfigError(f"{name}: expected a number above 0, got {v[name]!r}")
    for name in ("alerts.send_per_minute", "alerts.signups_per_address_per_day",
                 "alerts.signups_per_client_per_hour"):
        if v[name] < 0:
            raise ConfigError(f"{name}: expected 0 or more, got {v[name]!r}")
    if any(has_line_break(str(x)) for x in (settings.smtp_user, settings.smtp_host, settings.public_url)):
        raise ConfigError("alerts: smtp_user, smtp_host and public_url cannot contain line breaks")
    if settings.enabled:
        parts = urlsplit(settings.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("alerts.public_url: expected the site's public http(s) address (links in emails "
                              f"point there), got {settings.public_url!r}")
        if not settings.smtp_host:
            raise ConfigError("alerts.smtp_host: alerts are enabled but no SMTP server is set")
        try:
            normalize_address(settings.from_address)
        except AlertError as e:
            raise ConfigError(f"alerts.from_address: {e}") from None
    return settings
