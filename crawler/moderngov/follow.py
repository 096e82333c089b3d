"""Pages both ModernGov walks ask for beside the meetings: committee pages and documents.

The HTML walk (:mod:`crawler.moderngov.crawl`) and the web-service walk
(:mod:`crawler.moderngov.wscrawl`) are peers over one :class:`~crawler.walk.Walk`; what they
share of ModernGov lives here rather than in either of them.
"""

from __future__ import annotations

from crawler.moderngov.documents import is_document_url
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


def fetch_documents(walk: Walk, page: MeetingPage) -> None:
    """Fetch (once) the meeting's and its items' documents, for sources that keep them; else only
    the printed minutes of a meeting whose page carries no minutes text (``printed_minutes``)."""
    docs = list(page.meeting.documents) + [d for item in page.items for d in item.documents]
    if not walk.source.documents:
        docs = printed_minutes_documents(walk.source, page.meeting, page.items)
    for doc in docs:
        if is_document_url(doc.url):
            walk.get(doc.url, "document", refresh=False)
