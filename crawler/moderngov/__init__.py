"""ModernGov (modern.gov, Civica) sites: pure parsers of saved pages and web-service responses.

Every parser is ``parse_X(html_or_xml, url, *, source="") -> <page result>`` with no I/O:
the crawler fetches and stores raw pages, these functions turn a stored page into
``searchsvc.records`` (inside the page results of :mod:`crawler.moderngov.pages`),
so a better parser can be re-run over the whole archive without re-fetching.
They raise ``searchsvc.errors.ParseError`` naming the URL and the missing selector.
"""

from crawler.moderngov.attendance import normalise_attendance, parse_attendance_page, with_attendance
from crawler.moderngov.committees import parse_committee_list, parse_committee_page
from crawler.moderngov.dates import parse_date, parse_date_range, parse_stamp, parse_time, parse_when
from crawler.moderngov.decisions import parse_decision_page
from crawler.moderngov.dispatch import PAGE_KINDS, classify, parse_page
from crawler.moderngov.documents import document_kind
from crawler.moderngov.issues import parse_issue_decisions, parse_issue_page
from crawler.moderngov.items import merge_full_text, parse_item_page
from crawler.moderngov.meetings import parse_meeting_list, parse_meeting_page
from crawler.moderngov.pages import (
    AttendancePage,
    CommitteeListPage,
    CommitteePage,
    DecisionPage,
    IssueMeeting,
    IssuePage,
    ItemPage,
    MeetingLink,
    MeetingListPage,
    MeetingPage,
)
from crawler.moderngov.standalone import items_of
from crawler.moderngov.text import clean, fragment_paragraphs, paragraphs
from crawler.moderngov.webservice import parse_ws_committees, parse_ws_meeting, parse_ws_meetings, ws_committee_map

__all__ = [
    "PAGE_KINDS",
    "AttendancePage",
    "CommitteeListPage",
    "CommitteePage",
    "DecisionPage",
    "IssueMeeting",
    "IssuePage",
    "ItemPage",
    "MeetingLink",
    "MeetingListPage",
    "MeetingPage",
    "classify",
    "clean",
    "document_kind",
    "fragment_paragraphs",
    "items_of",
    "merge_full_text",
    "normalise_attendance",
    "paragraphs",
    "parse_attendance_page",
    "parse_committee_list",
    "parse_committee_page",
    "parse_date",
    "parse_date_range",
    "parse_decision_page",
    "parse_issue_decisions",
    "parse_issue_page",
    "parse_item_page",
    "parse_meeting_list",
    "parse_meeting_page",
    "parse_page",
    "parse_stamp",
    "parse_time",
    "parse_when",
    "parse_ws_committees",
    "parse_ws_meeting",
    "parse_ws_meetings",
    "with_attendance",
    "ws_committee_map",
]
