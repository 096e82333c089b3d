"""The walk machinery every committee system shares: page store, plan, stats, the "due" rule,
error records and resuming an interrupted batch.

A system's walk (ModernGov's HTML walk, its web-service walk, any other adapter's) decides
*which* pages to ask for; :class:`Walk` asks for them — through the fetcher, with conditional
GETs, storing every answer through the injected :class:`PageStore` — and keeps the run's
counts and errors. Walks are peers that share one :class:`Walk`; none reaches into another.

Incremental rules, the same for every system (docs/architecture.md, "Crawling"):
- listing pages are asked for again on every run with a conditional GET (an unchanged page
  costs a 304), unless the walk says they are old enough to keep (``refresh=False``);
- a meeting is *due* (asked for again) when it was never stored, when it is within the
  look-back window (minutes appear weeks later on the same URL) or in the future, on a
  ``full`` run, or when it was stored earlier in this batch (a resumed run);
- a failure is recorded with its URL and the walk goes on; when the request itself failed,
  the stored copy is used.

Bounds (:mod:`crawler.limits`): every walk gets a :class:`~crawler.limits.SourceGuard` as
``walk.guard`` — the time budget and the per-kind byte caps are applied here to every page asked
for; the meetings visited per run are capped in :meth:`Walk.visit_meetings`; a system's walk
applies the links-per-list-page and list-pages-per-run caps where it reads its lists.

Resuming: the store reports pages already fetched in the current batch; a run that was killed
and started again with the same batch takes those from the store instead of the network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Protocol

from crawler.fetch import Fetcher, Response
from crawler.limits import CrawlLimits, SourceGuard
from crawler.urls import canonical
from searchsvc.errors import FetchError, ParseError, SearchsvcError
from searchsvc.records import Source

log = logging.getLogger(__name__)

PROGRESS_EVERY = 200  # pages fetched between two progress reports
# Parsed pages a walk hands to the parse stage (Walk.keep): a parsed ModernGov meeting page holds
# ~40 KiB against ~20 KiB of body (bench/parse_builders.py pages), so at most ~160 MB; pages
# beyond it are parsed again from the store.
KEEP_PARSED = 4000


class CrawlError(SearchsvcError):
    """A whole source failed: nothing found where something was expected."""


@dataclass(frozen=True)
class StoredCopy:
    body: bytes
    etag: str | None
    last_modified: str | None
    this_batch: bool  # fetched (or confirmed by a 304) in the current batch
    changed_this_batch: bool = False  # its body changed in the current batch (for resumed runs)


class PageStore(Protocol):
    """The raw store of one source and batch, as the walk sees it (the catalog implements it)."""

    def get(self, url: str) -> StoredCopy | None: ...
    def save(self, url: str, kind: str, response: Response) -> bool: ...  # True if the body changed
    def touch(self, url: str) -> None: ...  # a 304 confirmed the stored copy
    def count(self, kind: str) -> int: ...


@dataclass(frozen=True)
class CrawlPlan:
    today: date
    lookback_days: int = 60
    full: bool = False

    @property
    def cutoff(self) -> date:
        return self.today - timedelta(days=self.lookback_days)

    def recent(self, start: date | datetime | None) -> bool:
        """Within the look-back window or in the future (an unknown date counts as recent)."""
        if start is None:
            return True
        day = start.date() if isinstance(start, datetime) else start
        return day >= self.cutoff


@dataclass
class CrawlStats:
    fetched: int = 0  # 200 answers stored
    not_modified: int = 0  # 304 answers
    from_store: int = 0  # stored copies used without asking (old pages, or resumed run)
    changed: int = 0  # fetched pages whose body differed from the stored copy
    missing: int = 0  # 404/410
    meetings: int = 0  # meetings found in the lists
    errors: list[dict[str, str]] = field(default_factory=list)
    mode: str = "html"  # how the system was walked (ModernGov: "webservice" or "html")
    mode_reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"pages_fetched": self.fetched, "pages_304": self.not_modified, "pages_from_store": self.from_store,
                "pages_changed": self.changed, "pages_missing": self.missing, "meetings_listed": self.meetings,
                "errors": len(self.errors), "mode": self.mode, "mode_reason": self.mode_reason}


@dataclass(frozen=True)
class SourcePages:
    """Which stored pages hold a source's records: what the parse step reads.

    ``committee_urls`` are read in order (a list first, then each committee's own page, which
    completes it); ``meeting_urls`` are one page per meeting, from which the adapter assembles the
    meeting's records (following its own links in the store)."""

    committee_urls: tuple[str, ...] = ()
    meeting_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrawlResult:
    stats: CrawlStats
    pages: SourcePages  # what to parse after this crawl: the committees and the meetings refreshed
    meeting_urls: tuple[str, ...] = ()  # every meeting page of the source, in list order
    parsed: Mapping[str, Any] = field(default_factory=dict)  # Walk.keep: parses the parse stage may reuse


class MeetingRef(Protocol):
    """What a walk knows of a listed meeting before fetching it."""

    @property
    def meeting_id(self) -> str: ...
    @property
    def start(self) -> datetime | None: ...


@dataclass(frozen=True)
class Answer:
    """What asking for one page gave: the body (None on failure) and, on failure, why."""

    body: bytes | None
    changed: bool = False
    failure: str = ""  # "HTTP 404", or the fetch error
    missing: bool = False  # the server answered an HTTP error status
    stale: bytes | None = None  # the stored copy, when the request itself failed


class Walk:
    """One source's crawl: asks for pages through the store, keeps the counts and the errors."""

    def __init__(self, source: Source, fetcher: Fetcher, store: PageStore, plan: CrawlPlan,
                 progress: Callable[[CrawlStats], None] | None = None, limits: CrawlLimits | None = None):
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.plan = plan
        self.report_progress = progress or (lambda stats: None)
        self.stats = CrawlStats()
        self.guard = SourceGuard(limits or CrawlLimits(), self.error)
        self.parsed: dict[str, Any] = {}

    def get(self, url: str, kind: str, refresh: bool) -> tuple[bytes | None, bool]:
        """The page body and whether it changed in this run; the stored copy when not refreshing.

        A failure is recorded as an error; when the request itself failed, the stored copy is used."""
        answer = self.ask(url, kind, refresh)
        if answer.failure:
            self.stats.missing += answer.missing
            self.error(canonical(url), answer.failure)
            return answer.stale, False
        return answer.body, answer.changed

    def ask(self, url: str, kind: str, refresh: bool) -> Answer:
        """Like :meth:`get`, recording nothing about a failure (for probes whose failure is an answer)."""
        url = canonical(url)
        stored = self.store.get(url)
        if stored is not None and (stored.this_batch or not refresh):
            self.stats.from_store += 1
            return Answer(stored.body, stored.changed_this_batch)
        if self.guard.out_of_time(url):  # recorded once; the stored copy (if any) stands in
            return Answer(stored.body if stored else None)
        try:
            response = self.fetcher.get(url, etag=stored.etag if stored else None,
                                        last_modified=stored.last_modified if stored else None,
                                        max_bytes=self.guard.max_bytes(kind))
        except FetchError as e:
            return Answer(None, failure=str(e), stale=stored.body if stored else None)
        if response.not_modified and stored is not None:
            self.store.touch(url)
            self.stats.not_modified += 1
            return Answer(stored.body)
        if response.status >= 400:
            return Answer(None, failure=f"HTTP {response.status}", missing=True)
        changed = self.store.save(url, kind, response)
        self.stats.fetched += 1
        self.stats.changed += changed
        if self.stats.fetched % PROGRESS_EVERY == 0:
            self.report_progress(self.stats)
        return Answer(response.body, changed)

    def keep(self, url: str, parsed: Any) -> None:
        """Hand the system's parse of a page as stored in this run to the parse stage, which then
        does not parse it again (a first crawl parsed each meeting page twice: bench/README.md)."""
        if len(self.parsed) < KEEP_PARSED:
            self.parsed[canonical(url)] = parsed

    def unreadable(self, url: str, error: Exception) -> None:
        """A page its parser could not read: recorded with its URL; a bug's traceback is logged too."""
        if not isinstance(error, ParseError):
            log.exception("%s: unexpected %s while parsing", url, type(error).__name__)
        self.error(url, str(error) or type(error).__name__)

    def error(self, url: str, reason: str) -> None:
        log.warning("%s: %s", url, reason)
        self.stats.errors.append({"url": url, "error": reason})

    def due(self, start: date | datetime | None, url: str) -> bool:
        """Whether a meeting's page is asked for again: new, recent or future, a full run, or resumed."""
        if self.plan.full or self.plan.recent(start):
            return True
        # A page stored earlier in this batch belongs to an interrupted run being resumed: it still
        # has to be parsed, so it counts as due (and comes from the store, not the network).
        stored = self.store.get(url)
        return stored is None or stored.this_batch

    def visit_meetings(self, meetings: Iterable[MeetingRef], page_url: Callable[[MeetingRef], str],
                       visit: Callable[[MeetingRef, str], bool], *, meeting_kinds: Iterable[str]) -> tuple[
                           list[str], list[str]]:
        """Visit every listed meeting, newest first, up to the run's cap (``crawl.max_meetings_per_source``);
        (every meeting URL visited, those asked for in this run).

        Fails loudly when the lists gave no meeting where earlier runs stored some (pages of
        ``meeting_kinds``): the site changed or is failing, and silence would hide it."""
        meetings = list(meetings)
        self.stats.meetings = len(meetings)
        if not meetings and sum(self.store.count(kind) for kind in meeting_kinds) > 0:
            raise CrawlError(f"{self.source.name}: the meeting lists yielded no meetings, where earlier runs "
                             f"found some; the site may have changed or be failing")
        every, refreshed = [], []
        ordered = sorted(meetings, key=lambda m: (m.start is None, m.start), reverse=True)
        for meeting in self.guard.meetings(self.source.base_url, ordered):
            url = page_url(meeting)
            every.append(url)
            if visit(meeting, url):
                refreshed.append(url)
        return every, refreshed

    def finished(self, pages: SourcePages, meeting_urls: Iterable[str] = ()) -> CrawlResult:
        """The run's result, after a last progress report."""
        self.report_progress(self.stats)
        return CrawlResult(self.stats, pages, tuple(meeting_urls), self.parsed)
