"""Meeting attendance (``mgMeetingAttendance.aspx?ID=``) and the attendance vocabulary.

Attendance names the people at a meeting with their roles, which is what lets
enrichment resolve "the Chair" or "Councillor Reed" to a person, and it separates
members who were present from those who sent apologies. ModernGov words the status
variously ("Present, as expected", "Apologies", "In attendance", "Expected");
:func:`normalise_attendance` maps it onto the values ``records.Member`` documents.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from bs4.element import Tag

from crawler.moderngov.dates import parse_when
from crawler.moderngov.pages import AttendancePage, MeetingPage
from crawler.moderngov.soup import modgov_root
from crawler.moderngov.text import link_text, text_of
from crawler.urls import query_param
from searchsvc.records import Member

log = logging.getLogger(__name__)

__all__ = ["normalise_attendance", "parse_attendance_page", "with_attendance"]

_ATTENDANCE_WORDS = (
    (re.compile(r"^apolog", re.I), "Apologies"),
    (re.compile(r"^absent|^not present|^did not attend", re.I), "Absent"),
    (re.compile(r"^in attendance", re.I), "In attendance"),
    (re.compile(r"^present", re.I), "Present"),
    (re.compile(r"^expected", re.I), "Expected"),
)
_NAME_HEADERS = ("attendee", "name", "member", "councillor")
_ROLE_HEADERS = ("role", "position")
_ATTENDANCE_HEADERS = ("attendance", "status", "attended")


def normalise_attendance(text: str) -> str:
    """"Present, as expected" → "Present"; "Apologies" / "Absent" / "In attendance" /
    "Expected" kept; anything else (e.g. "Present as substitute") returned as written."""
    text = " ".join((text or "").split())
    if re.match(r"^present as substitute", text, re.I):
        return text
    for pattern, value in _ATTENDANCE_WORDS:
        if pattern.search(text):
            return value
    return text


def _columns(table: Tag) -> tuple[int, int, int]:
    """Positions of the name, role and attendance columns, from the header when there is one."""
    headers = [text_of(th).lower() for th in table.select("thead th")] or [
        text_of(th).lower() for th in table.select("tr th")
    ]

    def find(words: tuple[str, ...], default: int) -> int:
        for i, header in enumerate(headers):
            if any(header.startswith(w) for w in words):
                return i
        return default

    return find(_NAME_HEADERS, 0), find(_ROLE_HEADERS, 1), find(_ATTENDANCE_HEADERS, 2)


def parse_attendance_page(html: str | bytes, url: str) -> AttendancePage:
    """Rows of every ``table.mgTabTable`` inside ``#modgov``: name (linked to mgUserInfo for
    members), role, attendance. A table captioned "Apologies…" without an attendance
    column marks its rows "Apologies"."""
    _, root = modgov_root(html, url)
    members: list[Member] = []
    for table in root.select("table.mgTabTable"):
        name_at, role_at, status_at = _columns(table)
        caption = text_of(table.find("caption")).lower()
        for tr in table.find_all("tr"):
            cells = tr.find_all("td", recursive=False)
            if not cells or len(cells) <= name_at:
                continue
            link = cells[name_at].select_one('a[href*="mgUserInfo.aspx" i]')
            name = link_text(link) if link is not None else text_of(cells[name_at])
            if not name:
                continue
            status = text_of(cells[status_at]) if len(cells) > status_at else ""
            if not status and caption.startswith("apolog"):
                status = "Apologies"
            members.append(
                Member(
                    name=name,
                    role=text_of(cells[role_at]) if len(cells) > role_at else "",
                    uid=query_param(link["href"], "UID") if link is not None else "",
                    attendance=normalise_attendance(status),
                )
            )
    heading = text_of(root.select_one("h2.mgSubTitleTxt"))
    committee_name = heading.rsplit(" - ", 1)[0].strip() if " - " in heading else heading
    return AttendancePage(
        members=tuple(members),
        meeting_id=query_param(url, "ID", "MId", "MID", "MeetingId"),
        committee_name=committee_name,
        start=parse_when(heading.rsplit(" - ", 1)[1]) if " - " in heading else None,
    )


def with_attendance(page: MeetingPage, attendance: AttendancePage) -> MeetingPage:
    """``page`` with ``meeting.attendance`` filled from its attendance page (pure).

    Raises ValueError when the attendance page belongs to another meeting.
    """
    if attendance.meeting_id and attendance.meeting_id != page.meeting.meeting_id:
        raise ValueError(
            f"attendance of meeting {attendance.meeting_id} given for meeting {page.meeting.meeting_id}"
        )
    meeting = dataclasses.replace(page.meeting, attendance=attendance.members)
    return dataclasses.replace(page, meeting=meeting)
