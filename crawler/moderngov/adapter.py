"""ModernGov as a committee-system adapter (``kind = "moderngov"``; docs/extending.md).

Crawling tries the web service first (:mod:`crawler.moderngov.wscrawl`) and walks the HTML pages
(:mod:`crawler.moderngov.crawl`) when it does not answer; both store what they fetch and give
the same record ids. Reading stored pages: the committee list (HTML or GetCommittees) completed
by each committee's page, and each meeting assembled from its page and follow-ups
(:mod:`crawler.moderngov.assemble`), whichever walk stored it.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any, Iterable, Mapping

from crawler.adapters import CommitteeRecords, MeetingRecords, PageItems, PageReader
from crawler.moderngov.assemble import assemble_meeting
from crawler.moderngov.committees import parse_committee_list, parse_committee_page
from crawler.moderngov.crawl import HtmlWalk
from crawler.moderngov.dispatch import classify, parse_page
from crawler.moderngov.follow import papers_page_documents, papers_page_url
from crawler.moderngov.pages import MeetingPage
from crawler.moderngov.standalone import items_of
from crawler.moderngov.webservice import parse_ws_committees, ws_committee_map
from crawler.moderngov.wscrawl import WebServiceWalk
from crawler.printed.meeting import with_printed_minutes
from crawler.urls import query_param
from crawler.walk import CrawlResult, SourcePages, Walk
from searchsvc.errors import ParseError
from searchsvc.records import Source

__all__ = ["ADAPTER", "ModernGovAdapter"]

# Page names a saved file's name may contain, for ``searchsvc parse page.html`` without --url.
SAVED_PAGE_NAMES = ("ieListDocuments", "ieListMeetings", "mgCommitteeDetails", "mgCommitteeStructure",
                    "mgListCommittees", "mgAi", "mgMeetingAttendance", "ieIssueDetails", "ieDecisionDetails",
                    "mgDecisionDetails")


class ModernGovAdapter:
    kind = "moderngov"
    title = "ModernGov"

    def crawl(self, walk: Walk) -> CrawlResult:
        """Through the web service when it answers, else through the HTML pages."""
        return WebServiceWalk(walk).run() or HtmlWalk(walk).run()

    def stored_pages(self, source: Source, pages: PageReader) -> SourcePages:
        committee_list = _stored_committee_list(pages)
        committee_urls = [p.url for p in pages.pages("committee")]
        return SourcePages(tuple(filter(None, [committee_list, *committee_urls])), tuple(_stored_meetings(pages)))

    def reader(self, source: Source, pages: PageReader, *, today: date) -> ModernGovReader:
        return ModernGovReader(source, pages, today)

    def classify(self, url: str) -> str | None:
        kind = classify(url)
        return None if kind == "other" else kind

    def saved_page_url(self, file_name: str) -> str | None:
        """``ieListDocuments_CId711_MId10221.html`` → ``…/ieListDocuments.aspx?CId=711&MId=10221``
        (the saved-file naming habit)."""
        name = next((n for n in SAVED_PAGE_NAMES if n.lower() in file_name.lower()), None)
        if name is None:
            return None
        pairs = re.findall(r"(CId|MId|IId|ID|CommitteeId|UID)(\d+)", file_name)
        return f"https://example.invalid/{name}.aspx?" + "&".join(f"{k}={v}" for k, v in pairs)

    def parse_page(self, body: bytes, url: str, *, source: str) -> MeetingRecords | Any:
        page = parse_page(body, url, source=source)
        if isinstance(page, MeetingPage):
            return MeetingRecords(page.meeting, page.items)
        items = items_of(page, source=source)
        return PageItems(page, items) if items else page


class ModernGovReader:
    """Records from one source's stored ModernGov pages, for one parse run."""

    def __init__(self, source: Source, pages: PageReader, today: date):
        self.source, self.pages, self.today = source, pages, today
        self._ws_committees: Mapping[str, tuple[str, str]] | None = None

    def committees(self, urls: Iterable[str]) -> CommitteeRecords:
        """Committees from the list (names, categories) completed by their own pages (purpose, members)."""
        out = CommitteeRecords()
        for url in urls:
            body = self.pages.body(url)
            if body is None:
                continue
            kind = classify(url)
            try:
                if kind in ("committee_list", "webservice_getcommittees"):
                    parse_list = parse_ws_committees if kind == "webservice_getcommittees" else parse_committee_list
                    for c in parse_list(body, url, source=self.source.name).committees:
                        out.committees[c.committee_id] = c
                    continue
                detail = parse_committee_page(body, url, source=self.source.name).committee
            except ParseError as e:
                out.errors.append({"url": url, "error": str(e)})
                continue
            listed = out.committees.get(detail.committee_id)
            if listed is not None and not detail.category:
                detail = dataclasses.replace(detail, category=listed.category)
            out.committees[detail.committee_id] = detail
        return out

    def meeting(self, url: str) -> MeetingRecords:
        committees = self._committee_map() if classify(url) == "webservice_getmeeting" else None
        parsed = self.pages.parsed(url)
        page = assemble_meeting(url, self.pages.body, source=self.source.name, today=self.today,
                                committees=committees, parsed=parsed if isinstance(parsed, MeetingPage) else None)
        meeting = page.meeting
        if committees is not None and not any(i.minutes_paragraphs for i in page.items):  # GetMeeting: no PDF links
            papers = papers_page_url(self.source.base_url, meeting)
            meeting = dataclasses.replace(meeting, documents=meeting.documents + papers_page_documents(
                self.pages.body(papers), papers))
        return with_printed_minutes(self.source, MeetingRecords(meeting, page.items), self.pages.body)

    def _committee_map(self) -> Mapping[str, tuple[str, str]]:
        """GetMeeting responses name no committee: the stored GetMeetings responses that listed them do."""
        if self._ws_committees is None:
            listings = sorted(self.pages.pages("webservice_getmeetings"), key=lambda p: (p.fetch_batch or 0, p.fetched_at))
            self._ws_committees = ws_committee_map((p.url, p.body) for p in listings if p.status < 400)
        return self._ws_committees


def _stored_committee_list(pages: PageReader) -> str:
    """The committee list the latest crawl used: the HTML list or, in web-service mode, GetCommittees
    (a stored GetCommittees that is not a committee list — an HTML error page — is passed over)."""
    stored = [*pages.pages("committee_list"), *pages.pages("webservice_getcommittees")]
    stored.sort(key=lambda p: (p.fetch_batch or 0, p.fetched_at), reverse=True)
    for page in stored:
        if page.kind == "committee_list":
            return page.url
        try:
            if parse_ws_committees(page.body, page.url).committees:
                return page.url
        except ParseError:
            continue
    return ""


def _stored_meetings(pages: PageReader) -> list[str]:
    """Every stored meeting page and GetMeeting response, one per meeting: when a council switched
    its web service on or off, the copy fetched last."""
    latest: dict[str, tuple[tuple[int, str], str]] = {}
    for kind, names in (("meeting", ("MId", "MeetingId")), ("webservice_getmeeting", ("lMeetingId",))):
        for page in pages.pages(kind):
            key = query_param(page.url, *names) or page.url
            when = (page.fetch_batch or 0, page.fetched_at)
            if key not in latest or when > latest[key][0]:
                latest[key] = (when, page.url)
    return sorted(url for _, url in latest.values())


ADAPTER = ModernGovAdapter()
