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

from crawler.moderngov.dates import parse_when
from crawler.moderngov.pages import AttendancePage, MeetingPage
from crawler.moderngov.people import columns, posts_of, split_brackets
from crawler.moderngov.soup import child_tags, contains_i, first, has_class, modgov_root, tags
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
_USER_HREF = contains_i("mgUserInfo.aspx")


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


def parse_attendance_page(html: str | bytes, url: str) -> AttendancePage:
    """Rows of every ``table.mgTabTable`` inside ``#modgov``: name (linked to mgUserInfo for
    members), role, attendance. A table captioned "Apologies…" without an attendance
    column marks its rows "Apologies"."""
    _, root = modgov_root(html, url)
    members: list[Member] = []
    for table in [t for t in tags(root, "table") if has_class(t, "mgTabTable")]:
        cols = columns(table)
        caption = text_of(table.find("caption")).lower()
        for tr in tags(table, "tr"):
            cells = child_tags(tr, "td")
            if not cells or len(cells) <= cols.name:
                continue
            link = cells[cols.name].find("a", href=_USER_HREF)
            name = link_text(link) if link is not None else text_of(cells[cols.name])
            if not name:
                continue
            # Some councils print the party in the name cell: "Councillor Jo Hart (Labour)".
            after = text_of(cells[cols.name])[len(name):] if link is not None else ""
            status = cols.cell(cells, "attendance")
            if not status and caption.startswith("apolog"):
                status = "Apologies"
            members.append(
                Member(
                    name=name,
                    role=cols.cell(cells, "role"),
                    uid=query_param(link["href"], "UID") if link is not None else "",
                    attendance=normalise_attendance(status),
                    party=cols.cell(cells, "party") or split_brackets(after)[1],
                    ward=cols.cell(cells, "ward"),
                    posts=posts_of(cols.cell(cells, "posts")),
                )
            )
    heading = text_of(first(root, "h2", class_="mgSubTitleTxt"))
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
