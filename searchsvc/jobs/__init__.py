"""The jobs: crawl + parse + enrich (:mod:`.crawl`), index (:mod:`.indexing`), recorded runs
(:mod:`.runs`, through :mod:`searchsvc.runrecord`).

Each is a plain function over injected parts; the CLI and the scheduler call them, both taking
the data directory's writer lock first. Jobs orchestrate, enrich and upsert; what a committee
system's pages are is its adapter's business (:mod:`crawler.registry`). A source that fails
does not stop the others: its error is recorded in the run and the next source goes on.
"""

from searchsvc.jobs.crawl import (
                                  CatalogPageStore,
                                  SourceReport,
                                  crawl_limits,
                                  crawl_source,
                                  fetch_settings,
                                  parse_pages,
                                  people_at,
                                  reparse_source,
)
from searchsvc.jobs.indexing import index_full, index_update
from searchsvc.jobs.runs import RunSummary, run_index, run_sources
from searchsvc.runrecord import RecordedRun, recorded_run

__all__ = [
    "CatalogPageStore",
    "RecordedRun",
    "RunSummary",
    "SourceReport",
    "crawl_limits",
    "crawl_source",
    "fetch_settings",
    "index_full",
    "index_update",
    "parse_pages",
    "people_at",
    "recorded_run",
    "reparse_source",
    "run_index",
    "run_sources",
]
