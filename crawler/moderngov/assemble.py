"""Records of one meeting, built from stored pages (pure: the page lookup is injected).

A meeting's records come from several pages: the meeting page, the ``mgAi.aspx`` pages
holding the full text of truncated items, and the attendance page. Building them here,
from whatever the raw store holds, is what lets ``searchsvc reparse`` rebuild the whole
archive with a better parser and no network.

A web-service meeting (a stored ``GetMeeting`` response) is one page holding everything; its
committee comes from the GetMeetings responses that listed it (``committees``, built with
:func:`crawler.moderngov.webservice.ws_committee_map`). Both kinds give the same records
(``<source>:meeting:<MId>``, ``<source>:item:<AI id>``), so a council switching its web
service on or off never duplicates them.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date
from typing import Callable, Mapping

from crawler.moderngov.attendance import parse_attendance_page, with_attendance
from crawler.moderngov.dispatch import classify
from crawler.moderngov.items import merge_full_text, parse_item_page
from crawler.moderngov.meetings import parse_meeting_page
from crawler.moderngov.pages import MeetingPage
from crawler.moderngov.webservice import parse_ws_meeting
from crawler.urls import query_param
from searchsvc.errors import ParseError
from searchsvc.records import FUTURE, HELD

log = logging.getLogger(__name__)

Lookup = Callable[[str], bytes | None]


def assemble_meeting(url: str, lookup: Lookup, *, source: str, today: date,
                     committees: Mapping[str, tuple[str, str]] | None = None,
                     parsed: MeetingPage | None = None) -> MeetingPage:
    """The meeting page at ``url`` with full item texts and attendance merged in.

    ``url`` may also be a web-service GetMeeting; ``committees`` then maps its meeting id to
    (committee id, committee name). Raises ParseError when the meeting page itself is missing or
    malformed; a missing or malformed follow-up page is logged and the truncated text or empty
    attendance kept.
    """
    if parsed is not None and classify(url) == "meeting":
        page = parsed
    else:
        body = lookup(url)
        if body is None:
            raise ParseError("meeting page is not in the raw store", url)
        if classify(url) == "webservice_getmeeting":
            return _with_status(_ws_meeting(body, url, source, committees or {}), today)
        page = parse_meeting_page(body, url, source=source)
    items = []
    for item in page.items:
        if item.full_text_url:
            full = lookup(item.full_text_url)
            try:
                if full is not None:
                    item = merge_full_text(item, parse_item_page(full, item.full_text_url))
            except (ParseError, ValueError) as e:
                log.warning("%s: keeping the truncated text: %s", item.full_text_url, e)
        items.append(item)
    page = dataclasses.replace(page, items=tuple(items))
    if page.attendance_url:
        attendance = lookup(page.attendance_url)
        try:
            if attendance is not None:
                page = with_attendance(page, parse_attendance_page(attendance, page.attendance_url))
        except (ParseError, ValueError) as e:
            log.warning("%s: attendance not used: %s", page.attendance_url, e)
    return _with_status(page, today)


def _ws_meeting(body: bytes, url: str, source: str, committees: Mapping[str, tuple[str, str]]) -> MeetingPage:
    meeting_id = query_param(url, "lMeetingId")
    committee_id, committee_name = committees.get(meeting_id, ("", ""))
    if not committee_id:
        log.warning("%s: no stored GetMeetings response lists meeting %s; its committee is unknown", url, meeting_id)
    return parse_ws_meeting(body, url, source=source, committee_id=committee_id, committee_name=committee_name)


def _with_status(page: MeetingPage, today: date) -> MeetingPage:
    """A held meeting without minutes that is still to come is FUTURE (a parser does not know today)."""
    meeting = page.meeting
    if meeting.status == HELD and not page.has_minutes and meeting.start and meeting.start.date() > today:
        page = dataclasses.replace(page, meeting=dataclasses.replace(meeting, status=FUTURE))
    return page
