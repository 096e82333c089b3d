"""Bounds on one source's crawl run, so a hostile or broken council site costs a known amount.

Why: a site may answer with a 19 MB meeting page (2.65 GB of memory and minutes to parse), a list
of 100,000 meeting links, endless "Earlier" pages, or trickle bytes until the nightly run
times out on the writer lock while every other council waits. Each bound here turns one of those
into a recorded cut and lets the run go on; :class:`SourceGuard` is the per-run state the walk
consults. Nothing here does I/O; the clock is injected for tests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

DOCUMENT_KINDS = frozenset({"document"})  # PDFs keep crawl.max_page_bytes; everything else is parsed


@dataclass(frozen=True)
class CrawlLimits:
    """Per source per run; built from config (``crawl.*``)."""

    max_html_bytes: int = 2_000_000  # HTML/XML pages; real ModernGov pages are far below 1 MB
    max_links_per_page: int = 5_000  # meeting links read from one list page
    max_meetings: int = 30_000  # meetings visited per source per run
    max_list_pages: int = 5_000  # meeting-list pages (years, "Earlier") fetched per source per run
    time_budget: float = 7_200.0  # seconds per source per run; 0 = none


class SourceGuard:
    """One source's run against its :class:`CrawlLimits`; every cut is recorded once through
    ``record(url, reason)`` (the crawl's error list), so the run report says what was left out."""

    def __init__(self, limits: CrawlLimits, record: Callable[[str, str], None],
                 clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self._record = record
        self._clock = clock
        self._started = clock()
        self._list_pages = 0
        self._out_of_time = False
        self._list_cut = False

    def max_bytes(self, kind: str) -> int | None:
        """The size cap for a page of ``kind`` (None: the fetcher's own, for documents)."""
        return None if kind in DOCUMENT_KINDS else self.limits.max_html_bytes

    def out_of_time(self, url: str) -> bool:
        """True once the source has used its time budget; the first time, the cut is recorded."""
        budget = self.limits.time_budget
        if self._out_of_time or not budget or self._clock() - self._started < budget:
            return self._out_of_time
        self._out_of_time = True
        self._record(url, f"the source's time budget of {budget:g} s (crawl.source_time_budget) is spent: "
                          f"pages not yet fetched wait for the next run")
        return True

    def links(self, url: str, links: Sequence[T]) -> Sequence[T]:
        """The first ``max_links_per_page`` links of one list page."""
        cap = self.limits.max_links_per_page
        if len(links) <= cap:
            return links
        self._record(url, f"{len(links):,} meeting links on one page; only the first {cap:,} were followed")
        return links[:cap]

    def list_page(self, url: str) -> bool:
        """Whether one more meeting-list page may be fetched in this run."""
        self._list_pages += 1
        if self._list_pages <= self.limits.max_list_pages:
            return True
        if not self._list_cut:
            self._list_cut = True
            self._record(url, f"more than {self.limits.max_list_pages:,} meeting-list pages in one run; "
                              f"the rest were not followed")
        return False

    def meetings(self, url: str, links: Sequence[T]) -> Sequence[T]:
        """At most ``max_meetings`` of a source's listed meetings (the newest, when sorted so)."""
        cap = self.limits.max_meetings
        if len(links) <= cap:
            return links
        self._record(url, f"{len(links):,} meetings listed; only {cap:,} were visited in this run")
        return links[:cap]


def duplicate_ids(ids: Iterable[str]) -> list[str]:
    """Ids that occur more than once, in first-seen order: two records with one id would
    silently overwrite each other in the catalog."""
    seen: set[str] = set()
    dupes: dict[str, None] = {}
    for i in ids:
        if i in seen:
            dupes[i] = None
        seen.add(i)
    return list(dupes)
