"""Walking a ModernGov site's HTML pages: which pages to fetch, in which order, and which to leave alone.

Fetching and parsing are separate: the walk asks for pages through a shared
:class:`~crawler.walk.Walk` (which stores every response and applies the incremental, "due" and
resume rules common to every system), parsing only what it needs to find the next links.
Records are built later from the stored pages (:mod:`crawler.moderngov.assemble`), so a better
parser never needs a re-fetch.

ModernGov's part of the rules:
- the committee list, each committee's page and the meeting lists of recent years are always
  asked for again (conditional GET); older years' lists come from the store;
- a meeting page is fetched when due (:meth:`~crawler.walk.Walk.due`);
- a meeting's follow-up pages (full item text, attendance, documents) are fetched when the
  meeting page changed or they were never stored; an older meeting that is not asked for
  again keeps the follow-ups stored with it (only a ``full`` run looks for missing ones),
  except for sources keeping documents, whose documents are fetched once whenever found.

The ModernGov adapter (:mod:`crawler.moderngov.adapter`) tries the web-service walk
(:mod:`crawler.moderngov.wscrawl`) first and uses this one when the service does not answer.
"""

from __future__ import annotations

import logging

from crawler.moderngov.committees import parse_committee_list
from crawler.moderngov.follow import MEETING_KINDS, committee_page, fetch_documents
from crawler.moderngov.meetings import parse_meeting_list, parse_meeting_page
from crawler.moderngov.pages import MeetingLink
from crawler.urls import canonical, query_param, with_query
from crawler.walk import CrawlError, CrawlResult, SourcePages, Walk

log = logging.getLogger(__name__)

__all__ = ["COMMITTEE_LIST_PAGES", "CrawlError", "HtmlWalk"]

COMMITTEE_LIST_PAGES = ("mgCommitteeStructure.aspx", "mgListCommittees.aspx")
MAX_EARLIER_PAGES = 500  # "Earlier" pages followed per committee when there is no year selector


class HtmlWalk:
    """The HTML walk of one run over a shared :class:`~crawler.walk.Walk`."""

    def __init__(self, walk: Walk):
        self.walk = walk
        self.source = walk.source
        self.plan = walk.plan

    def run(self) -> CrawlResult:
        base = self.source.base_url
        list_url, committees = "", ()
        for page in COMMITTEE_LIST_PAGES:
            list_url = with_query(base, page)
            body, _ = self.walk.get(list_url, "committee_list", refresh=True)
            if body is None:
                continue
            try:
                committees = parse_committee_list(body, list_url, source=self.source.name).committees
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self.walk.unreadable(list_url, e)
            if committees:
                break
        if not committees:
            errors = self.walk.stats.errors
            raise CrawlError(f"{self.source.name}: no committees found at {base} (tried "
                             f"{', '.join(COMMITTEE_LIST_PAGES)}); is base_url the folder holding the .aspx pages?"
                             + (f" (last error: {errors[-1]['error']})" if errors else ""))
        wanted = set(self.source.committees)
        committees = [c for c in committees if not wanted or c.committee_id in wanted]
        committee_urls, meeting_links = [], {}
        for committee in committees:
            details_url = committee_page(self.walk, committee.committee_id)
            if details_url:
                committee_urls.append(details_url)
            for link in self._meeting_links(committee.committee_id):
                meeting_links.setdefault(link.meeting_id, link)
        every, refreshed = self.walk.visit_meetings(meeting_links.values(), lambda link: canonical(link.url),
                                                    self._meeting, meeting_kinds=MEETING_KINDS)
        return self.walk.finished(SourcePages((canonical(list_url), *committee_urls), tuple(refreshed)), every)

    def _meeting_links(self, committee_id: str) -> list[MeetingLink]:
        """All meetings of a committee back to ``since``, walking the per-year lists."""
        first_url = with_query(self.source.base_url, "ieListMeetings.aspx", CId=committee_id, Year=0)
        links: list[MeetingLink] = []
        body, _ = self.walk.get(first_url, "meeting_list", refresh=True)
        if body is None:
            return links
        try:
            first = parse_meeting_list(body, first_url)
        except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
            self.walk.unreadable(first_url, e)
            return links
        links.extend(self.walk.guard.links(first_url, first.meetings))
        if not first.year_urls:  # an install without the year selector: page back with "Earlier"
            return self._since(links + self._earlier_pages(first.earlier_url))
        since_year = self.source.since.year if self.source.since else 0
        for year_url in first.year_urls:
            year = _int(query_param(year_url, "Year"))
            if year and year < since_year:
                continue
            recent = year >= self.plan.cutoff.year
            if not self.walk.guard.list_page(year_url):
                break
            body, _ = self.walk.get(year_url, "meeting_list", refresh=self.plan.full or recent)
            if body is None:
                continue
            try:
                links.extend(self.walk.guard.links(year_url, parse_meeting_list(body, year_url).meetings))
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self.walk.unreadable(year_url, e)
        return self._since(links)

    def _since(self, links: list[MeetingLink]) -> list[MeetingLink]:
        if self.source.since:
            links = [m for m in links if m.start is None or m.start.date() >= self.source.since]
        return links

    def _earlier_pages(self, url: str) -> list[MeetingLink]:
        """Meetings on the "Earlier" pages (``Act=earlier&D=…``), back to ``since``; bounded."""
        links: list[MeetingLink] = []
        seen: set[str] = set()
        while url and url not in seen and len(seen) < MAX_EARLIER_PAGES and self.walk.guard.list_page(url):
            seen.add(url)
            body, _ = self.walk.get(url, "meeting_list", refresh=self.plan.full)
            if body is None:
                break
            try:
                page = parse_meeting_list(body, url)
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self.walk.unreadable(url, e)
                break
            links.extend(self.walk.guard.links(url, page.meetings))
            starts = [m.start.date() for m in page.meetings if m.start]
            if not page.meetings or (self.source.since and starts and min(starts) < self.source.since):
                break
            url = page.earlier_url
        return links

    def _meeting(self, link: MeetingLink, url: str) -> bool:
        """Fetch a meeting page (when due) and its follow-ups; True if it was asked for in this run."""
        due = self.walk.due(link.start, url)
        body, changed = self.walk.get(url, "meeting", refresh=due)
        if body is None:
            return False
        if not (due or changed or self.source.documents):
            # An older meeting keeps its stored copy, and with it the follow-ups fetched when that
            # copy was stored: nothing to look for, so no parse. Parsing every stored meeting page
            # here was most of a nightly run (bench/README.md, "Nightly runs").
            return False
        try:
            page = parse_meeting_page(body, url, source=self.source.name)
        except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
            self.walk.unreadable(url, e)
            return due
        if due:  # the parse stage reads this meeting from the kept parse, not parsing it again
            self.walk.keep(url, page)
        follow = changed or self.plan.full
        for item_url in page.truncated_item_urls:
            self.walk.get(item_url, "item", refresh=follow)
        if page.attendance_url:
            self.walk.get(page.attendance_url, "attendance", refresh=follow)
        fetch_documents(self.walk, page)
        return due


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
