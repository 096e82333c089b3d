"""Walking a ModernGov site through its web service (``mgWebService.asmx``) instead of its HTML.

Where a council leaves the service on, one GetMeeting call gives a meeting's items with their
full agenda text, minutes, decisions, documents and the attendance: no truncated items to
complete from ``mgAi.aspx``, no attendance page. Many councils switch it off, so every run
starts by asking for GetCommittees (stored like any page, so a nightly run gets a 304):

- XML listing at least one committee → web-service mode for this run;
- anything else — 404/403, a refused or failed request, an HTML error page, XML that does not
  parse or lists nothing — → the HTML walk (:class:`~crawler.moderngov.crawl.HtmlWalk`).
  The choice and its reason are logged once and recorded in the crawl stats (``mode``).

The walk in web-service mode: committees from GetCommittees (the source's ``committees`` filter
respected; expired and deleted committees skipped unless the filter names them) → each
committee's ``mgCommitteeDetails.aspx`` page, for membership (the service has none) → GetMeetings
in calendar-year windows from next year back to ``since`` (without ``since``: back ten years,
then further while older windows still hold meetings) → GetMeeting per meeting → the linked
documents (``mgConvert2PDF.aspx?ID=``) when the source downloads documents. The incremental and
resume rules are the HTML walk's: year windows reaching into the look-back window or the future
are asked for again (conditional GET), older ones come from the store; a meeting is fetched when
new, recent, in the future, on a ``full`` run, or stored earlier in a resumed batch.

Fetching and storing go through the shared :class:`~crawler.walk.Walk` (the HTML walk is a peer
over the same one); records are built later from the stored responses
(:func:`crawler.moderngov.assemble.assemble_meeting` reads GetMeeting pages, with the committee
from :func:`crawler.moderngov.webservice.ws_committee_map`).
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from crawler.moderngov.follow import MEETING_KINDS, committee_page, fetch_documents, fetch_printed_minutes_page
from crawler.moderngov.pages import CommitteeListPage, MeetingLink
from crawler.moderngov.webservice import parse_ws_committees, parse_ws_meeting, parse_ws_meetings
from crawler.urls import canonical, with_query
from crawler.walk import CrawlResult, SourcePages, Walk

log = logging.getLogger(__name__)

__all__ = ["WebServiceWalk", "getcommittees_url", "getmeeting_url", "getmeetings_url"]

SERVICE = "mgWebService.asmx"
YEARS_BACK = 10  # without ``since``: windows at least this many years back…
QUIET_YEARS_TO_STOP = 2  # …then further back until this many windows in a row hold no meeting
FIRST_YEAR = 1995  # never ask for windows before this (ModernGov is younger)


def getcommittees_url(base: str) -> str:
    return with_query(base, f"{SERVICE}/GetCommittees")


def getmeetings_url(base: str, committee_id: str, year: int) -> str:
    """One committee's meetings in one calendar year (dates dd/mm/yyyy, slashes as written)."""
    return canonical(urljoin(base, f"{SERVICE}/GetMeetings")
                     + f"?lCommitteeId={committee_id}&sFromDate=01/01/{year}&sToDate=31/12/{year}")


def getmeeting_url(base: str, meeting_id: str) -> str:
    return with_query(base, f"{SERVICE}/GetMeeting", lMeetingId=meeting_id)


class WebServiceWalk:
    """The web-service walk of one run over a shared :class:`~crawler.walk.Walk`."""

    def __init__(self, walk: Walk):
        self.walk = walk
        self.source = walk.source
        self.base = walk.source.base_url

    def run(self) -> CrawlResult | None:
        """The walk's result, or None when the web service is off (the caller walks the HTML)."""
        list_url = getcommittees_url(self.base)
        listing = self.probe(list_url)
        if listing is None:
            return None
        committee_ids = self._committee_ids(listing)
        committee_urls, links, answered = [], {}, False
        for committee_id in committee_ids:
            details_url = committee_page(self.walk, committee_id)
            if details_url:
                committee_urls.append(details_url)
            found = self._meeting_links(committee_id)
            if found is None:
                continue
            answered = True
            for link in found:
                links.setdefault(link.meeting_id, link)
        if committee_ids and not answered:
            self._mode("html", "GetMeetings failed for every committee")
            return None
        every, refreshed = self.walk.visit_meetings(links.values(), self._meeting_url, self._meeting,
                                                    meeting_kinds=MEETING_KINDS)
        return self.walk.finished(SourcePages((canonical(list_url), *committee_urls), tuple(refreshed)), every)

    # --- mode detection ------------------------------------------------------------------

    def probe(self, url: str) -> CommitteeListPage | None:
        """GetCommittees, when it answers XML listing committees; else None. Records the mode."""
        answer = self.walk.ask(url, "webservice_getcommittees", refresh=True)
        if answer.body is None:
            return self._mode("html", answer.failure)
        try:
            listing = parse_ws_committees(answer.body, url, source=self.source.name)
        except Exception as e:  # noqa: BLE001 - anything but a committee list means HTML mode
            return self._mode("html", str(e) or type(e).__name__)
        if not listing.committees:
            return self._mode("html", "GetCommittees listed no committees")
        self._mode("webservice", f"GetCommittees listed {len(listing.committees)} committees")
        return listing

    def _mode(self, mode: str, reason: str) -> None:
        stats = self.walk.stats
        stats.mode, stats.mode_reason = mode, reason
        if mode == "webservice":
            log.info("%s: using the web service (%s)", self.source.name, reason)
        else:
            log.info("%s: web service not used, walking the HTML pages: %s", self.source.name, reason)
        return None

    def _committee_ids(self, listing: CommitteeListPage) -> list[str]:
        """Listed committees minus expired ones; with a filter, exactly the committees it names
        (expired, or deleted and so left out of the list, included)."""
        wanted = list(dict.fromkeys(self.source.committees))
        if wanted:
            listed = {c.committee_id for c in listing.committees}
            unlisted = [c for c in wanted if c not in listed]
            if unlisted:
                log.info("%s: committees %s are not in GetCommittees (deleted?); asking for their meetings anyway",
                         self.source.name, ", ".join(unlisted))
            return wanted
        expired = set(listing.expired_ids)
        return [c.committee_id for c in listing.committees if c.committee_id not in expired]

    # --- meetings ------------------------------------------------------------------------

    def _meeting_links(self, committee_id: str) -> list[MeetingLink] | None:
        """The committee's meetings from its GetMeetings year windows, newest window first; None
        when the newest window fails (the committee is skipped for this run, its error logged)."""
        plan, since = self.walk.plan, self.source.since
        newest = plan.today.year + 1
        horizon = since.year if since else plan.today.year - YEARS_BACK
        links: list[MeetingLink] = []
        quiet = 0
        for year in range(newest, FIRST_YEAR - 1, -1):
            if year < horizon and (since or quiet >= QUIET_YEARS_TO_STOP):
                break
            url = getmeetings_url(self.base, committee_id, year)
            if not self.walk.guard.list_page(url):
                break
            body, _ = self.walk.get(url, "webservice_getmeetings", refresh=plan.full or year >= plan.cutoff.year)
            found = self._window(body, url)
            if found is None and year == newest:
                return None
            links.extend(found or ())
            if year < horizon:
                in_window = any(m.start is not None and m.start.year == year for m in found or ())
                quiet = 0 if in_window else quiet + 1
        if since:
            links = [m for m in links if m.start is None or m.start.date() >= since]
        return links

    def _window(self, body: bytes | None, url: str) -> list[MeetingLink] | None:
        if body is None:
            return None  # the fetch error is already recorded
        try:
            return list(self.walk.guard.links(url, parse_ws_meetings(body, url).meetings))
        except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
            self.walk.unreadable(url, e)
            return None

    def _meeting_url(self, link: MeetingLink) -> str:
        return getmeeting_url(self.base, link.meeting_id)

    def _meeting(self, link: MeetingLink, url: str) -> bool:
        """Fetch GetMeeting (when due) and, for sources keeping documents, the linked documents;
        True if it was asked for (or taken from this batch's store) in this run."""
        due = self.walk.due(link.start, url)
        body, _ = self.walk.get(url, "webservice_getmeeting", refresh=due)
        if body is None:
            return False
        if self.source.documents or self.source.printed_minutes:
            try:
                page = parse_ws_meeting(body, url, source=self.source.name, committee_id=link.committee_id,
                                        committee_name=link.committee_name)
            except Exception as e:  # noqa: BLE001 - one unreadable page never stops a source
                self.walk.unreadable(url, e)
                return due
            fetch_documents(self.walk, page)
            fetch_printed_minutes_page(self.walk, page, refresh=due)
        return due
