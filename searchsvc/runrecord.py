"""Run records: every job — crawl, reparse, index, nightly, rebuild, the alerts digest step — is one
recorded run in the catalog's ``job_runs``, which ``searchsvc status`` and /status show.

:func:`recorded_run` is the one way a run is recorded: it starts the run, lets the job fill in
status, counts and errors, and finishes it — also when the job raises, which is recorded as a
failed run before the error goes on to the caller. It lives apart from :mod:`searchsvc.jobs`
(which imports the crawler) so that the alerts digest step records its runs the same way without
pulling the crawler in. The names are those of :mod:`searchsvc.jobnames`.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from searchsvc.catalog import Catalog

MAX_RECORDED_ERRORS = 500


@dataclass
class RecordedRun:
    id: int
    job: str
    status: str = "ok"
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def recorded_run(catalog: Catalog, job: str, *, batch: int | None = None) -> Iterator[RecordedRun]:
    """Record the job run by the ``with`` block; an exception finishes it as "failed" and goes on."""
    run = RecordedRun(catalog.start_run(job, batch), job)
    try:
        yield run
    except Exception as e:
        errors = run.errors + [{"source": "", "error": f"{job} failed: {e}"}]
        catalog.finish_run(run.id, "failed", run.counts, errors[:MAX_RECORDED_ERRORS])
        raise
    catalog.finish_run(run.id, run.status, run.counts, run.errors[:MAX_RECORDED_ERRORS])
