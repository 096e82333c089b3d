"""`searchsvc schedule`: APScheduler runs the nightly update and the weekly rebuild, in its own process.

Never inside web workers: with several workers every job would run once per worker, and
web workers only read. The jobs take the data directory's writer lock, so a `searchsvc
crawl` started by hand and a scheduled run never write at the same time.

- nightly: for each source, incremental crawl → parse/enrich what changed → index update
  (one commit) → optional export refresh;
- rebuild: a new index generation built from the whole catalog beside the live one and
  switched atomically.

Jobs coalesce (a backlog of missed runs runs once), never overlap (``max_instances=1``) and
may start late up to the misfire grace time. At start, if the last successful nightly run
is older than the schedule's period (the machine was off at 02:00), one runs straight away.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from searchsvc.alerts import after_nightly
from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.errors import ConfigError
from searchsvc.jobnames import CATCH_UP, NIGHTLY, REBUILD, SCHEDULED, SCHEDULED_NAMES
from searchsvc.jobnames import job as job_named
from searchsvc.lock import WriterLock

log = logging.getLogger(__name__)
LOCK_WAIT_SECONDS = 900  # a hand-started crawl may hold the lock; wait for it rather than skip


def nightly_job(config: Config, *, today: date | None = None, lock_wait: float = LOCK_WAIT_SECONDS) -> str:
    """Crawl every source incrementally, update the index, refresh the export. Returns the run status."""
    from searchsvc.enrich.topics import load_taxonomy
    from searchsvc.jobs import run_sources

    with WriterLock(config.data_dir, NIGHTLY.name, lock_wait), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job=NIGHTLY.name,
                              today=today or date.today(), index="update", progress=log.info)
        if config["export.path"] and summary.status != "failed":
            _refresh_export(catalog, config)
    after_nightly(config)  # email alerts (searchsvc/alerts), outside the writer lock; never raises
    log.info("nightly run %d: %s", summary.run_id, summary.status)
    return summary.status


def rebuild_job(config: Config, *, lock_wait: float = LOCK_WAIT_SECONDS) -> str:
    """Build a new index generation from the catalog and switch to it atomically."""
    from searchsvc.jobs import run_index

    with WriterLock(config.data_dir, REBUILD.name, lock_wait), Catalog.in_dir(config.data_dir) as catalog:
        try:
            result = run_index(catalog, config, job=REBUILD.name, full=True)
        except Exception as e:  # noqa: BLE001 - recorded as a failed run; the live index keeps serving
            log.error("rebuild failed: %s", e)
            return "failed"
    log.info("rebuild: generation %s, %s documents", result["generation"], result["documents"])
    return "ok"


def _refresh_export(catalog: Catalog, config: Config) -> None:
    from searchsvc.export import export_to, format_for_path

    path = config["export.path"]
    try:
        export_to(catalog, config, format_for_path(path), path)  # unknown suffix: ExportError, logged
    except Exception as e:  # noqa: BLE001 - an export failure must not fail the night's indexing
        log.error("export refresh failed: %s", e)


def timezone_of(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config["schedule.timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule.timezone: unknown time zone {config['schedule.timezone']!r} "
                          f"(expected a name such as Europe/London)") from None


def trigger(config: Config, job: str) -> CronTrigger:
    named = job_named(job)
    setting = named.schedule_setting if named and named.scheduled else f"schedule.{job}"
    try:
        return CronTrigger.from_crontab(config[setting], timezone=timezone_of(config))
    except ValueError as e:
        raise ConfigError(f"{setting}: {e}") from None


def period(cron: CronTrigger, now: datetime) -> timedelta:
    """The time between two consecutive fire times after ``now`` (a day for a daily cron)."""
    first = cron.get_next_fire_time(None, now)
    second = cron.get_next_fire_time(first, first + timedelta(seconds=1))
    return second - first


def needs_catch_up(config: Config, now: datetime) -> bool:
    """Whether the last successful nightly run is older than one period (or there never was one)."""
    from searchsvc.catalog import CATALOG_FILE

    if not (config.data_dir / CATALOG_FILE).exists():
        return True
    with Catalog.in_dir(config.data_dir) as catalog:
        last = catalog.last_run_success(NIGHTLY.name)
    if not last:
        return True
    return datetime.fromisoformat(last) < now - period(trigger(config, NIGHTLY.name), now)


def build_scheduler(config: Config, *, scheduler_factory: Callable[..., BlockingScheduler] = BlockingScheduler,
                    now: datetime | None = None) -> BlockingScheduler:
    tz = timezone_of(config)
    scheduler = scheduler_factory(timezone=tz, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": config["schedule.misfire_grace_seconds"]})
    for job in SCHEDULED:
        scheduler.add_job(RUNNERS[job.name], trigger(config, job.name), args=[config], id=job.name, name=job.label)
    now = now or datetime.now(tz)
    if config.sources and needs_catch_up(config, now):
        log.info("the last successful nightly run is older than its period: running one now")
        scheduler.add_job(nightly_job, "date", run_date=now, args=[config], id=CATCH_UP, name="catch-up run")
    return scheduler


# What runs each scheduled job (searchsvc.jobnames.SCHEDULED); a test checks none is missing.
RUNNERS: dict[str, Callable[[Config], str]] = {NIGHTLY.name: nightly_job, REBUILD.name: rebuild_job}


def run_once(config: Config, job: str) -> str:
    if job not in SCHEDULED_NAMES:
        raise ConfigError(f"unknown job {job!r} (expected one of {', '.join(SCHEDULED_NAMES)})")
    return RUNNERS[job](config)
