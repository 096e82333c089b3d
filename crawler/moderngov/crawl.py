"""Walking a ModernGov site: which pages to fetch, in which order, and which to leave alone.

Fetching and parsing are separate: this walker fetches pages and stores every response
through an injected :class:`PageStore` (the catalog's raw store), parsing only what it
needs to find the next links. Records are built later from the stored pages
(:mod:`crawler.moderngov.assemble`), so a better parser never needs a re-fetch.

Incremental rules (a nightly run):
- the committee list, each committee's page and the meeting lists of recent years are
  always asked for again — with a conditional GET, so an unchanged page costs a 304;
- a meeting page is fetched when it was never stored, when the meeting is within the
  look-back window (minutes appear weeks later on the same URL) or in the future, or on a
  ``full`` run; older meetings keep their stored copy;
- a meeting's follow-up pages (full item text, attendance, documents) are fetched when the
  meeting page changed or they were never stored; an older meeting that is not asked for
  again keeps the follow-ups stored with it (only a ``full`` run looks for missing ones),
  except for sources keeping documents, whose documents are fetched once whenever found.

Resuming: the store reports pages already fetched in the current batch; a run that was
killed and started again with the same batch takes those from the store and goes on.

Each run first asks whether the site's web service answers (:mod:`crawler.moderngov.wscrawl`);
when it does, the walk goes through it with the same rules, and this HTML walk is not used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Protocol

from crawler.fetch import Fetcher, Response
from crawler.limits import CrawlLimits, SourceGuard
from crawler.moderngov.committees import parse_committee_list, parse_committee_page
from crawler.moderngov.documents import is_document_url
from crawler.moderngov.meetings import parse_meeting_list, parse_meeting_page
from crawler.moderngov.pages import MeetingLink, MeetingPage
from crawler.moderngov.wscrawl import WebServiceWalk
from crawler.urls import canonical, query_param, with_query
from searchsvc.errors import FetchError, ParseError, SearchsvcError
from searchsvc.records import Source

log = logging.getLogger(__name__)

COMMITTEE_LIST_PAGES = ("mgCommitteeStructure.aspx", "mgListCommittees.aspx")
MAX_EARLIER_PAGES = 500  # "Earlier" pages followed per committee when there is no year selector


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


@dataclass
class CrawlStats:
    fetched: int = 0  # 200 answers stored
    not_modified: int = 0  # 304 answers
    from_store: int = 0  # stored copies used without asking (old pages, or resumed run)
    changed: int = 0  # fetched pages whose body differed from the stored copy
    missing: int = 0  # 404/410
    meetings: int = 0  # meetings found in the lists
    errors: list[dict[str, str]] = field(default_factory=list)
    mode: str = "html"  # "webservice" when mgWebService.asmx answered, else "html"
    mode_reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"pages_fetched": self.fetched, "pages_304": self.not_modified, "pages_from_store": self.from_store,
                "pages_changed": self.changed, "pages_missing": self.missing, "meetings_listed": self.meetings,
                "errors": len(self.errors), "mode": self.mode, "mode_reason": self.mode_reason}


@dataclass(frozen=True)
class CrawlResult:
    stats: CrawlStats
    committee_urls: tuple[str, ...]  # committee pages, for membership
    committee_list_url: str  # the HTML committee list, or GetCommittees in web-service mode
    meeting_urls: tuple[str, ...]  # every meeting page (or GetMeeting) of the source, in list order
    refreshed_meeting_urls: tuple[str, ...]  # those fetched or confirmed in this run


@dataclass(frozen=True)
class Answer:
    """What asking for one page gave: the body (None on failure) and, on failure, why."""

    body: bytes | None
    changed: bool = False
    failure: str = ""  # "HTTP 404", or the fetch error
    missing: bool = False  # the server answered an HTTP error status
    stale: bytes | None = None  # the stored copy, when the request itself failed


class ModernGovCrawler:
    def __init__(self, source: Source, fetcher: Fetcher, store: PageStore, plan: CrawlPlan,
                 progress: Callable[[CrawlStats], None] | None = None, limits: CrawlLimits | None = None):
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.plan = plan
        self.progress = progress or (lambda stats: None)
        self.stats = CrawlStats()
        self.guard = SourceGuard(limits or CrawlLimits(), self._error)

    # --- fetching through the store -------------------------------------------------------

    def _get(self, url: str, kind: str, refresh: bool) -> tuple[bytes | None, bool]:
        """The page body and whether it changed in this run; stored copy when not refreshing.

        A failure is recorded as an error; when the request itself failed, the stored copy is used."""
        answer = self._ask(url, kind, refresh)
        if answer.failure:
            self.stats.missing += answer.missing
            self._error(canonical(url), answer.failure)
            return answer.stale, False
        return answer.body, answer.changed

    def _ask(self, url: str, kind: str, refresh: bool) -> Answer:
        """Like :meth:`_get`, recording nothing about a failure (the web-service probe's way)."""
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
        if self.stats.fetched % 200 == 0:
            self.progress(self.stats)
        return Answer(response.body, changed)

    def _unreadable(self, url: str, error: Exception) -> None:
        """A page its parser could not read: recorded with its URL; a bug's traceback is logged too."""
        if not isinstance(error, ParseError):
            log.exception("%s: unexpected %s while parsing", url, type(error).__name__)
        self._error(url, str(error) or type(error).__name__)

    def _error(self, url: str, reason: str) -> None:
        log.warning("%s: %s", url, reason)
        self.stats.errors.append({"url": url, "error": reason})

    # --- the walk --------------------------------------------------------------------

    def run(self) -> CrawlResult:
        """Walk the source through its web service when that answers, else through its HTML pages."""
        result = WebServiceWalk(self).run() or self._html_walk()
        self.progress(self.stats)
        return result

    def _html_walk(self) -> CrawlResult:
        base = self.source.base_url
        list_url, committees = "", ()
        for page in COMMITTEE_LIST_PAGES:
            list_url = with_query(base, page)
            body, _ = self._get(list_url, "committee_list", refresh=True)
            if body is None:
                continue
            try:
                committees = parse_committee_list(body, list_url, source=self.source.name).committees
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self._unreadable(list_url, e)
            if committees:
                break
        if not committees:
            raise CrawlError(f"{self.source.name}: no committees found at {base} (tried "
                             f"{', '.join(COMMITTEE_LIST_PAGES)}); is base_url the folder holding the .aspx pages?"
                             + (f" (last error: {self.stats.errors[-1]['error']})" if self.stats.errors else ""))
        wanted = set(self.source.committees)
        committees = [c for c in committees if not wanted or c.committee_id in wanted]
        committee_urls, meeting_links = [], {}
        for committee in committees:
            details_url = self._committee_page(committee.committee_id)
            if details_url:
                committee_urls.append(details_url)
            for link in self._meeting_links(committee.committee_id):
                meeting_links.setdefault(link.meeting_id, link)
        return self._finish(list_url, committee_urls, meeting_links, lambda link: canonical(link.url), self._meeting)

    def _committee_page(self, committee_id: str) -> str:
        """Fetch a committee's details page (membership); its URL, or "" when it failed."""
        details_url = with_query(self.source.base_url, "mgCommitteeDetails.aspx", ID=committee_id)
        body, _ = self._get(details_url, "committee", refresh=True)
        return canonical(details_url) if body is not None else ""

    def _finish(self, list_url: str, committee_urls: list[str], meeting_links: dict[str, MeetingLink],
                page_url: Callable[[MeetingLink], str], visit: Callable[[MeetingLink, str], bool]) -> CrawlResult:
        """Visit every listed meeting, newest first (either walk); fail loudly if none were listed
        where earlier runs found some."""
        self.stats.meetings = len(meeting_links)
        if not meeting_links and self.store.count("meeting") + self.store.count("webservice_getmeeting") > 0:
            raise CrawlError(f"{self.source.name}: the meeting lists yielded no meetings, where earlier runs "
                             f"found some; the site may have changed or be failing")
        meeting_urls, refreshed = [], []
        ordered = sorted(meeting_links.values(), key=lambda m: (m.start is None, m.start), reverse=True)
        for link in self.guard.meetings(list_url, ordered):
            url = page_url(link)
            meeting_urls.append(url)
            if visit(link, url):
                refreshed.append(url)
        return CrawlResult(self.stats, tuple(committee_urls), canonical(list_url), tuple(meeting_urls),
                           tuple(refreshed))

    def _meeting_links(self, committee_id: str) -> list[MeetingLink]:
        """All meetings of a committee back to ``since``, walking the per-year lists."""
        first_url = with_query(self.source.base_url, "ieListMeetings.aspx", CId=committee_id, Year=0)
        links: list[MeetingLink] = []
        body, _ = self._get(first_url, "meeting_list", refresh=True)
        if body is None:
            return links
        try:
            first = parse_meeting_list(body, first_url)
        except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
            self._unreadable(first_url, e)
            return links
        links.extend(self.guard.links(first_url, first.meetings))
        if not first.year_urls:  # an install without the year selector: page back with "Earlier"
            return self._since(links + self._earlier_pages(first.earlier_url))
        since_year = self.source.since.year if self.source.since else 0
        for year_url in first.year_urls:
            year = _int(query_param(year_url, "Year"))
            if year and year < since_year:
                continue
            recent = year >= self.plan.cutoff.year
            if not self.guard.list_page(year_url):
                break
            body, _ = self._get(year_url, "meeting_list", refresh=self.plan.full or recent)
            if body is None:
                continue
            try:
                links.extend(self.guard.links(year_url, parse_meeting_list(body, year_url).meetings))
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self._unreadable(year_url, e)
        return self._since(links)

    def _since(self, links: list[MeetingLink]) -> list[MeetingLink]:
        if self.source.since:
            links = [m for m in links if m.start is None or m.start.date() >= self.source.since]
        return links

    def _earlier_pages(self, url: str) -> list[MeetingLink]:
        """Meetings on the "Earlier" pages (``Act=earlier&D=…``), back to ``since``; bounded."""
        links: list[MeetingLink] = []
        seen: set[str] = set()
        while url and url not in seen and len(seen) < MAX_EARLIER_PAGES and self.guard.list_page(url):
            seen.add(url)
            body, _ = self._get(url, "meeting_list", refresh=self.plan.full)
            if body is None:
                break
            try:
                page = parse_meeting_list(body, url)
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self._unreadable(url, e)
                break
            links.extend(self.guard.links(url, page.meetings))
            starts = [m.start.date() for m in page.meetings if m.start]
            if not page.meetings or (self.source.since and starts and min(starts) < self.source.since):
                break
            url = page.earlier_url
        return links

    def _due(self, link: MeetingLink, url: str) -> bool:
        """Whether a meeting's page is asked for again: new, recent or future, a full run, or resumed."""
        recent = link.start is None or link.start.date() >= self.plan.cutoff
        stored = self.store.get(url)
        # A page stored earlier in this batch belongs to an interrupted run being resumed: it still
        # has to be parsed, so it counts as due (and comes from the store, not the network).
        return self.plan.full or recent or stored is None or stored.this_batch

    def _meeting(self, link: MeetingLink, url: str) -> bool:
        """Fetch a meeting page (when due) and its follow-ups; True if it was asked for in this run."""
        due = self._due(link, url)
        body, changed = self._get(url, "meeting", refresh=due)
        if body is None:
            return False
        if not (due or changed or self.source.documents):
            # An older meeting keeps its stored copy, and with it the follow-ups fetched when that
            # copy was stored: nothing to look for, so no parse. Parsing every stored meeting page
            # here was four fifths of a nightly run (make bench: 4,800 pages at 11 ms each).
            return False
        try:
            page = parse_meeting_page(body, url, source=self.source.name)
        except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
            self._unreadable(url, e)
            return due
        follow = changed or self.plan.full
        for item_url in page.truncated_item_urls:
            self._get(item_url, "item", refresh=follow)
        if page.attendance_url:
            self._get(page.attendance_url, "attendance", refresh=follow)
        self._documents(page)
        return due

    def _documents(self, page: MeetingPage) -> None:
        """Fetch (once) the meeting's and its items' documents, for sources that keep them."""
        if self.source.documents:
            docs = list(page.meeting.documents) + [d for item in page.items for d in item.documents]
            for doc in docs:
                if is_document_url(doc.url):
                    self._get(doc.url, "document", refresh=False)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
