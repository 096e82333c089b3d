"""The recorded jobs: crawl or re-parse sources, then index (:func:`run_sources`), or index alone.

Each is one recorded run, through :func:`searchsvc.runrecord.recorded_run` (the one way a run is
recorded, shared with the alerts digest step).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.enrich.topics import Taxonomy
from searchsvc.errors import SearchsvcError
from searchsvc.jobs.crawl import Progress, SourceReport, crawl_source, reparse_source
from searchsvc.jobs.indexing import index_full, index_update
from searchsvc.records import Source
from searchsvc.runrecord import recorded_run

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    run_id: int
    status: str  # "ok", "partial" (some sources failed), "failed"
    reports: list[SourceReport]
    failures: list[dict[str, str]]
    index: dict[str, object] = field(default_factory=dict)


def run_index(catalog: Catalog, config: Config, *, job: str, full: bool) -> dict[str, object]:
    """Update the index (or build a new generation) as one recorded run; raises when it fails."""
    with recorded_run(catalog, job) as run:
        result = (index_full if full else index_update)(catalog, Path(config.data_dir), config)
        run.counts = {"index": result}
    return result


def run_sources(catalog: Catalog, config: Config, sources: Iterable[Source], taxonomy: Taxonomy, *, job: str,
                today: date, full: bool = False, reparse: bool = False, index: str | None = None,
                fetcher: Fetcher | None = None, progress: Progress | None = None) -> RunSummary:
    """Crawl (or re-parse) each source, then optionally index ("update" or "full"), as one recorded run.

    One source failing — even with a bug — is recorded and the others go on.
    """
    with recorded_run(catalog, job) as run:
        reports, failures = [], []
        for source in sources:
            try:
                if reparse:
                    report = reparse_source(catalog, source, taxonomy, today=today, progress=progress,
                                            workers=config["crawl.parse_workers"])
                else:
                    report = crawl_source(catalog, config, source, taxonomy, today=today, full=full,
                                          fetcher=fetcher, progress=progress)
                reports.append(report)
                if report.failure:  # a run of failed pages is a failure of the source (the alert counts these)
                    failures.append({"source": source.name, "error": report.failure})
                if progress:
                    progress(report.summary())
            except Exception as e:
                log.error("%s failed: %s", source.name, e, exc_info=not isinstance(e, SearchsvcError))
                failures.append({"source": source.name, "error": str(e)})
        summary = RunSummary(run.id, "ok", reports, failures)
        if index and (reports or not failures):
            try:
                summary.index = (index_full if index == "full" else index_update)(catalog, Path(config.data_dir),
                                                                                  config)
            except Exception as e:
                log.error("indexing failed: %s", e, exc_info=not isinstance(e, SearchsvcError))
                failures.append({"source": "", "error": f"indexing failed: {e}"})
        summary.status = "failed" if failures and not reports else "partial" if failures else "ok"
        run.status = summary.status
        run.counts = {"sources": {r.source: r.as_dict() for r in reports}, "index": summary.index}
        run.errors = failures + [dict(e, source=r.source) for r in reports for e in r.errors]
    return summary
