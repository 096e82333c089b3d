"""Which parser reads a page: decided from the URL alone, so raw pages can be re-parsed offline.

ModernGov page names are the same on every install (only their case and the base
path vary), so the URL's last path segment says what a page is. The crawler uses
:func:`classify` to choose what to fetch next and ``searchsvc parse PATH_OR_URL``
and ``searchsvc reparse`` use :func:`parse_page` on stored pages.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from crawler.moderngov.attendance import parse_attendance_page
from crawler.moderngov.committees import parse_committee_list, parse_committee_page
from crawler.moderngov.decisions import parse_decision_page
from crawler.moderngov.documents import is_document_url
from crawler.moderngov.issues import parse_issue_decisions, parse_issue_page
from crawler.moderngov.items import parse_item_page
from crawler.moderngov.meetings import parse_meeting_list, parse_meeting_page
from crawler.moderngov.webservice import parse_ws_committees, parse_ws_meeting, parse_ws_meetings
from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

__all__ = ["PAGE_KINDS", "classify", "parse_page"]

_PAGES = {
    "mgcommitteestructure.aspx": "committee_list",
    "mglistcommittees.aspx": "committee_list",
    "mgcommitteedetails.aspx": "committee",
    "ielistmeetings.aspx": "meeting_list",
    "ielistdocuments.aspx": "meeting",
    "mgai.aspx": "item",
    "mgmeetingattendance.aspx": "attendance",
    "ieissuedetails.aspx": "issue",
    "iedecisiondetails.aspx": "decision",
    "mgdecisiondetails.aspx": "issue_decisions",
}
PAGE_KINDS = (
    "committee_list", "committee", "meeting_list", "meeting", "item", "attendance", "issue", "issue_decisions",
    "decision", "document",
    "webservice_getcommittees", "webservice_getmeetings", "webservice_getallmeetingsbydate",
    "webservice_getmeeting", "other",
)


def classify(url: str) -> str:
    """The page kind of ``url``: one of :data:`PAGE_KINDS` (``webservice_<operation>`` for any
    ``mgWebService.asmx/<Operation>``, even ones without a parser)."""
    path = urlsplit(url).path
    segments = [s for s in path.lower().split("/") if s]
    if "mgwebservice.asmx" in segments:
        at = segments.index("mgwebservice.asmx")
        operation = segments[at + 1] if at + 1 < len(segments) else ""
        return f"webservice_{operation}" if operation else "other"
    last = segments[-1] if segments else ""
    if last in _PAGES:
        return _PAGES[last]
    if is_document_url(url):
        return "document"
    return "other"


def parse_page(html: str | bytes, url: str, *, source: str = "", **context: Any) -> Any:
    """Parse a stored page with the parser its URL calls for.

    ``source`` is the configured source name put into records; ``context`` passes
    ``committee_id``/``committee_name`` on to the GetMeeting parser (the XML has no
    committee). ParseError for kinds without a parser (documents, other pages).
    """
    kind = classify(url)
    if kind == "committee_list":
        return parse_committee_list(html, url, source=source)
    if kind == "committee":
        return parse_committee_page(html, url, source=source)
    if kind == "meeting_list":
        return parse_meeting_list(html, url)
    if kind == "meeting":
        return parse_meeting_page(html, url, source=source)
    if kind == "item":
        return parse_item_page(html, url)
    if kind == "attendance":
        return parse_attendance_page(html, url)
    if kind == "issue":
        return parse_issue_page(html, url)
    if kind == "issue_decisions":
        return parse_issue_decisions(html, url)
    if kind == "decision":
        return parse_decision_page(html, url)
    if kind == "webservice_getcommittees":
        return parse_ws_committees(html, url, source=source)
    if kind in ("webservice_getmeetings", "webservice_getallmeetingsbydate"):
        return parse_ws_meetings(html, url)
    if kind == "webservice_getmeeting":
        return parse_ws_meeting(
            html, url, source=source,
            committee_id=str(context.get("committee_id", "")),
            committee_name=str(context.get("committee_name", "")),
        )
    raise ParseError(f"no parser for a page of kind {kind!r}", url)
