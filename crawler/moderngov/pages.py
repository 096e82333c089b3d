"""What each ModernGov page parser returns: the records it found plus the links to follow.

Records (``searchsvc.records``) describe the council's business; these page results
add what only the crawler needs (paging URLs, the attendance link, which items were
truncated). They are frozen dataclasses like the records so a page result can be
compared, hashed and written to a golden JSON file with ``records.to_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from searchsvc.records import Committee, Document, Item, Meeting, Member

__all__ = [
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
]


@dataclass(frozen=True)
class CommitteeListPage:
    """``mgCommitteeStructure.aspx`` / ``mgListCommittees.aspx`` / web service GetCommittees."""

    committees: tuple[Committee, ...]
    # Committees the web service marks committeeexpired=True (the HTML list omits them).
    expired_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommitteePage:
    """``mgCommitteeDetails.aspx?ID=``: the committee with purpose and members."""

    committee: Committee
    meetings_url: str = ""  # "Browse meetings and agendas" (ieListMeetings.aspx?CommitteeId=)
    rss_url: str = ""  # mgRss.aspx?CID= — the committee's "what's new" feed


@dataclass(frozen=True)
class MeetingLink:
    """One row of a meeting list: enough to decide whether to fetch the meeting page."""

    url: str  # absolute ieListDocuments.aspx URL
    meeting_id: str
    committee_id: str
    start: datetime | None = None
    cancelled: bool = False
    # What the list says is published: "Agenda, Decisions, Minutes", "CANCELLED", ""
    # (web service: the meetingstatus text, e.g. "Confirmed; Special Meeting").
    published_suffix: str = ""
    committee_name: str = ""  # known from the web service; "" on HTML lists


@dataclass(frozen=True)
class MeetingListPage:
    """``ieListMeetings.aspx``: one page of a committee's meetings plus how to reach the rest."""

    meetings: tuple[MeetingLink, ...]
    committee_id: str = ""
    committee_name: str = ""
    year_urls: tuple[str, ...] = ()  # ieListMeetings.aspx?CId=<CId>&Year=<YYYY>, oldest first
    earlier_url: str = ""  # a.mgTableNextLnk Act=earlier
    later_url: str = ""  # a.mgTableNextLnk Act=later


@dataclass(frozen=True)
class MeetingPage:
    """``ieListDocuments.aspx`` (or web service GetMeeting): the meeting and its items.

    ``meeting.status`` is "held" or "cancelled" only: whether a meeting without
    minutes is in the future depends on today's date, which a pure parser does not
    know, so the caller decides FUTURE from ``has_minutes`` and ``meeting.start``.
    """

    meeting: Meeting
    items: tuple[Item, ...] = ()
    attendance_url: str = ""  # mgMeetingAttendance.aspx?ID=<MId>
    truncated_item_urls: tuple[str, ...] = ()  # mgAi.aspx?ID= pages holding the full text
    has_minutes: bool = False  # HTML minutes on an item, or a printed-minutes document
    has_documents: bool = True  # False when the page says "No documents are available"


@dataclass(frozen=True)
class ItemPage:
    """``mgAi.aspx?ID=``: one agenda item with its full (untruncated) text."""

    item_id: str
    url: str
    meeting_id: str = ""
    committee_id: str = ""
    committee_name: str = ""
    meeting_url: str = ""
    meeting_date: date | None = None
    number: str = ""
    title: str = ""
    agenda_text: str = ""
    minutes_paragraphs: tuple[str, ...] = ()
    decision_paragraphs: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class AttendancePage:
    """``mgMeetingAttendance.aspx?ID=``: who was expected, present, absent or in attendance."""

    members: tuple[Member, ...]
    meeting_id: str = ""
    committee_name: str = ""
    start: datetime | None = None


@dataclass(frozen=True)
class IssueMeeting:
    """One meeting that took an issue, as an issue page shows it: the item there and its text."""

    meeting_url: str  # ieListDocuments.aspx of that meeting
    meeting_id: str = ""
    committee_id: str = ""
    committee_name: str = ""
    meeting_date: date | None = None
    number: str = ""  # the item's number at that meeting, as printed ("13", "CL21-20/21")
    title: str = ""
    agenda_text: str = ""
    minutes_paragraphs: tuple[str, ...] = ()
    decision_paragraphs: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class IssuePage:
    """``ieIssueDetails.aspx?IId=`` (or ``mgDecisionDetails.aspx?IId=``): an issue (a matter going through several meetings) and, per
    meeting that took it, the item's minutes and decision — the page search engines often send
    people to."""

    issue_id: str
    url: str
    title: str = ""
    meetings: tuple[IssueMeeting, ...] = ()
    # "items" (ieIssueDetails: the item at each meeting) or "decisions" (mgDecisionDetails?IId=,
    # "Issue - decisions": each decision taken on the issue, with its date and text).
    shows: str = "items"


@dataclass(frozen=True)
class DecisionPage:
    """``ieDecisionDetails.aspx?ID=``: one recorded decision.

    ``decision_id`` is the page's ``ID``; ``fields`` keeps the labelled facts as printed ("Decision status",
    "Is Key decision?", "Date of decision"…); ``decision_maker`` is the officer or body for
    delegated decisions; the meeting fields are set when it was decided at a meeting.
    """

    decision_id: str
    url: str
    title: str = ""
    decision_maker: str = ""
    decision_date: date | None = None
    meeting_url: str = ""
    meeting_id: str = ""
    committee_id: str = ""
    committee_name: str = ""
    agenda_text: str = ""  # the "Purpose:" section
    minutes_paragraphs: tuple[str, ...] = ()
    decision_paragraphs: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
