"""Pages both ModernGov walks ask for beside the meetings: committee pages and documents.

The HTML walk (:mod:`crawler.moderngov.crawl`) and the web-service walk
(:mod:`crawler.moderngov.wscrawl`) are peers over one :class:`~crawler.walk.Walk`; what they
share of ModernGov lives here rather than in either of them.
"""

from __future__ import annotations

import dataclasses

from crawler.moderngov.documents import is_document_url
from crawler.moderngov.meetings import parse_meeting_page
from crawler.moderngov.pages import MeetingPage
from crawler.printed.meeting import printed_minutes_documents
from crawler.urls import canonical, with_query
from crawler.walk import Walk

# Page kinds holding one meeting each, in either walk (for the "no meetings any more" check).
MEETING_KINDS = ("meeting", "webservice_getmeeting")


def committee_page(walk: Walk, committee_id: str) -> str:
    """Fetch a committee's details page (membership); its URL, or "" when it failed."""
    details_url = with_query(walk.source.base_url, "mgCommitteeDetails.aspx", ID=committee_id)
    body, _ = walk.get(details_url, "committee", refresh=True)
    return canonical(details_url) if body is not None else ""


def papers_page_url(base_url: str, meeting) -> str:
    """The meeting's HTML page, which links its printed minutes (the web service's GetMeeting does not)."""
    return canonical(with_query(base_url, "ieListDocuments.aspx", CId=meeting.committee_id, MId=meeting.meeting_id))


def papers_page_documents(body: bytes | None, url: str) -> tuple:
    """The meeting-level documents of a stored meeting page; () when absent or unreadable."""
    if body is None:
        return ()
    try:
        return parse_meeting_page(body, url).meeting.documents
    except Exception:  # noqa: BLE001 - the page only adds documents; without it there are none
        return ()


def fetch_printed_minutes_page(walk: Walk, page: MeetingPage, refresh: bool) -> None:
    """For a web-service meeting with minutes published but no minutes text: the HTML meeting page
    (for its printed-minutes link) and that PDF."""
    if not walk.source.printed_minutes or not page.has_minutes or any(i.minutes_paragraphs for i in page.items):
        return
    url = papers_page_url(walk.source.base_url, page.meeting)
    body, _ = walk.get(url, "meeting_papers", refresh=refresh)
    meeting = dataclasses.replace(page.meeting, documents=papers_page_documents(body, url))
    for doc in printed_minutes_documents(walk.source, meeting, page.items):
        walk.get(doc.url, "document", refresh=False)


def fetch_documents(walk: Walk, page: MeetingPage) -> None:
    """Fetch (once) the meeting's and its items' documents, for sources that keep them; else only
    the printed minutes of a meeting whose page carries no minutes text (``printed_minutes``)."""
    docs = list(page.meeting.documents) + [d for item in page.items for d in item.documents]
    if not walk.source.documents:
        docs = printed_minutes_documents(walk.source, page.meeting, page.items)
    for doc in docs:
        if is_document_url(doc.url):
            walk.get(doc.url, "document", refresh=False)
