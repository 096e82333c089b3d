"""Every job's name, defined once: the scheduler, ``schedule --once``, the admin actions, run
records and the status page all take their lists from here (docs/extending.md, "A new job").

A leaf module (no imports from the rest of searchsvc), so the web app can name jobs without
importing the crawler or the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str  # as recorded in job_runs.job, shown on /status, used in /admin/run/<name>
    label: str  # in plain words, for people
    schedule_setting: str = ""  # the ``schedule.*`` cron setting of a scheduled job; "" when run by hand only

    @property
    def scheduled(self) -> bool:
        return bool(self.schedule_setting)


NIGHTLY = Job("nightly", "nightly update", "schedule.nightly")
REBUILD = Job("rebuild", "full rebuild", "schedule.rebuild")
CRAWL = Job("crawl", "crawl")
REPARSE = Job("reparse", "re-parse from stored pages")
INDEX = Job("index", "index update")
INDEX_FULL = Job("index-full", "index rebuild by hand")
CATCH_UP = "catch-up"  # the scheduler's id for a nightly run started at once because the last is too old

JOBS: tuple[Job, ...] = (NIGHTLY, REBUILD, CRAWL, REPARSE, INDEX, INDEX_FULL)
SCHEDULED: tuple[Job, ...] = tuple(job for job in JOBS if job.scheduled)
SCHEDULED_NAMES: tuple[str, ...] = tuple(job.name for job in SCHEDULED)


def job(name: str) -> Job | None:
    return next((j for j in JOBS if j.name == name), None)


def label(name: str) -> str:
    """A recorded run's job in plain words (the name itself for jobs this version does not know)."""
    found = job(name)
    return found.label if found else name
