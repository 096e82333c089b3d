"""The digest step: after each nightly run (and `searchsvc alerts send`), one email per address.

:func:`after_nightly` is the nightly job's only hook. It never raises: email is a courtesy
on top of the night's indexing, so a dead SMTP server, a broken alerts file or a bug here is
logged and recorded as an ``alerts`` run on /status, and the nightly job carries on. Alerts
that could not be sent keep their ``last_batch``, so the next run sends them.

It runs *after* the nightly job let go of the data directory's writer lock: at the default
sending rate thousands of digests take most of an hour, and the weekly rebuild or a
hand-started crawl must not wait for the post. Digest steps exclude each other with their own
lock (``alerts.lock``), so a scheduled and a hand-started one never send the same email twice.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from searchsvc.alerts.addresses import mask
from searchsvc.alerts.digest import Digest, Search, build_digest
from searchsvc.alerts.mail import digest_message
from searchsvc.alerts.settings import AlertSettings, alert_settings
from searchsvc.alerts.smtp import RecipientError, Sender, ServerError
from searchsvc.alerts.store import AlertStore, utcnow
from searchsvc.alerts.tokens import Signer
from searchsvc.config import Config
from searchsvc.lock import WriterLock
from searchsvc.runrecord import recorded_run

log = logging.getLogger(__name__)

JOB = "alerts"
PAUSE_AFTER = 5  # refused deliveries in a row before an address is no longer tried (a dead mailbox)
LOCK_FILE = "alerts.lock"


def send_lock(data_dir: Path | str, wait_seconds: float = 0.0) -> WriterLock:
    """One digest step at a time: an flock on ``<data_dir>/alerts.lock``, apart from the writer lock
    (the step runs beside a writer); the file is kept, so two senders always lock the same one."""
    return WriterLock(data_dir, JOB, wait_seconds, lock_file=LOCK_FILE)


@dataclass
class SendReport:
    dry_run: bool = False
    mark: int = 0
    addresses: int = 0  # with at least one confirmed alert
    digests: int = 0  # addresses with something new
    paused: int = 0  # addresses whose last PAUSE_AFTER deliveries were refused: not tried
    sent: int = 0
    items: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    planned: list[tuple[str, int, int]] = field(default_factory=list)  # dry run: (masked address, alerts, items)

    @property
    def status(self) -> str:
        if not self.errors:
            return "ok"
        return "partial" if self.sent else "failed"

    def as_dict(self) -> dict[str, Any]:
        return {"mark": self.mark, "addresses": self.addresses, "digests": self.digests, "sent": self.sent,
                "paused": self.paused,
                "items": self.items, "errors": len(self.errors), "seconds": round(self.seconds, 2),
                "dry_run": self.dry_run}

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        return (f"alerts: {self.addresses} addresses, {self.digests} with new items, {verb} "
                f"{len(self.planned) if self.dry_run else self.sent} emails ({self.items} items) up to batch "
                f"{self.mark}; {self.paused} paused; errors {len(self.errors)} ({self.seconds:.1f} s)")


def signer_for(settings: AlertSettings, store: AlertStore) -> Signer:
    return Signer(settings.secret or store.secret(), settings.confirm_hours * 3600)


def index_search(config: Config) -> tuple[Search, int | None]:
    """The live index's search and its last batch (None: no index yet)."""
    from searchsvc.index import IndexReader, IndexStore

    store = IndexStore(config.data_dir)
    if store.current_generation() is None:
        return (lambda req: None), None  # type: ignore[return-value,arg-type]
    reader = IndexReader(store, cache_size=config["search.cache_size"])
    return reader.search, store.last_batch()


def send_digests(config: Config, *, dry_run: bool = False, now: datetime | None = None,
                 sender_factory: Callable[[AlertSettings], Sender] = Sender) -> SendReport:
    """Build and send every due digest. Raises only when nothing at all can be done (no index)."""
    started = time.monotonic()
    settings = alert_settings(config)
    now = now or utcnow()
    report = SendReport(dry_run=dry_run)
    search, mark = index_search(config)
    with AlertStore(settings.store_path) as store:
        if not dry_run:
            store.purge_unconfirmed(timedelta(hours=settings.confirm_hours), now)
        if mark is None:
            report.errors.append({"source": JOB, "error": "no search index yet: no digests built"})
            return report
        report.mark = mark
        signer = signer_for(settings, store)
        with sender_factory(settings) as sender:
            server_down = ""
            for subscriber, alerts in store.confirmed_by_subscriber():
                report.addresses += 1
                if subscriber.failures >= PAUSE_AFTER:
                    report.paused += 1  # signing up again and confirming starts it again
                    continue
                digest = build_digest(subscriber, alerts, search, settings, signer, mark, now)
                if not digest.sections:
                    if not dry_run:
                        store.mark_reported(digest.reported, mark, sent=False, now=now)
                    continue
                report.digests += 1
                report.items += digest.items
                if dry_run:
                    report.planned.append((mask(subscriber.email), len(digest.sections), digest.items))
                    continue
                if server_down:
                    continue  # kept for the next run, which sends it
                server_down = _deliver(store, sender, settings, digest, mark, now, report)
            if server_down:
                report.errors.append({"source": JOB, "error": f"{server_down} — "
                                      f"{report.digests - report.sent} digests kept for the next run"})
    report.seconds = time.monotonic() - started
    return report


def _deliver(store: AlertStore, sender: Sender, settings: AlertSettings, digest: Digest, mark: int,
             now: datetime, report: SendReport) -> str:
    """Send one digest; returns the server error that stops this run's sending, or ""."""
    try:
        sender.send(digest_message(settings, digest))
    except ServerError as e:
        log.error("alerts: %s", e)
        return str(e)
    except RecipientError as e:
        log.warning("alerts: %s", e)
        report.errors.append({"source": JOB, "error": str(e)})
        store.mark_delivery(digest.subscriber.id, str(e))
        return ""
    store.mark_reported(digest.reported, mark, sent=True, now=now, subscriber_id=digest.subscriber.id)
    report.sent += 1
    return ""


def after_nightly(config: Config) -> None:
    """The nightly job's hook: send the digests and record the run in the catalog; never raises."""
    from searchsvc.catalog import Catalog

    try:
        if not config["alerts.enabled"]:
            return
        with send_lock(config.data_dir), Catalog.in_dir(config.data_dir) as catalog:
            record_run(catalog, config)
    except Exception:
        log.exception("alerts: the digest step could not run")


def record_run(catalog: Any, config: Config) -> SendReport:
    """Send the digests as an ``alerts`` run of the catalog (shown on /status), whatever happens.

    A failure of the step is caught here rather than left to :func:`recorded_run`, which would
    raise it on: the run is recorded with the step's counts and an ``alerts`` error, and the
    caller (the nightly hook, ``alerts send``) gets a report either way.
    """
    with recorded_run(catalog, JOB) as run:
        report = SendReport()
        try:
            report = send_digests(config)
        except Exception as e:
            log.exception("alerts: the digest step failed")
            report.errors.append({"source": JOB, "error": f"the digest step failed: {e}"})
        log.info("%s", report.summary())
        run.status, run.counts, run.errors = report.status, {"alerts": report.as_dict()}, report.errors[:200]
    return report
