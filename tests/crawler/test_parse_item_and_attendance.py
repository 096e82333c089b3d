"""mgAi.aspx item pages and mgMeetingAttendance.aspx pages, on the markup the sample site serves."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from crawler.moderngov import merge_full_text, parse_attendance_page, parse_item_page, with_attendance
from crawler.moderngov.pages import AttendancePage, MeetingPage
from searchsvc.errors import ParseError
from searchsvc.records import DOC_REPORT, Item, Meeting, Member

BASE = "https://council.example/"

ITEM_PAGE = """<html><body><nav><a href="mgAi.aspx?ID=1">template</a></nav>
<div id="modgov"><div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda item</h1></div>
 <div class="mgSubTitle"><h2 class="mgSubTitleTxt">54. Title text</h2></div>
 <div class="mgContent">
  <p><span class="mgLabel">Meeting: </span><a href="ieListDocuments.aspx?CId=711&amp;MId=10221&amp;Ver=4">15/01/2026 - Committee Name (Item 54.)</a></p>
  <div class="mgWordPara"><p>Agenda text.</p></div>
  <p class="mgSubItemTitleTxt">Decision:</p><div class="mgWordPara"><p>RESOLVED that:</p><p>1. the plan be approved.</p></div>
  <p class="mgSubItemTitleTxt">Minutes:</p><div class="mgWordPara"><p>First paragraph.</p><p>&nbsp;</p><p>Second paragraph, the end.</p></div>
  <p class="mgSubItemTitleTxt">Supporting documents:</p><ul class="mgBulletList"><li><a href="documents/s123/Report.pdf">Report <span class="mgFileSize">PDF 120 KB</span></a></li></ul>
 </div></div></body></html>"""

ATTENDANCE_PAGE = """<div id="modgov"><div class="mgHeader"><h1 class="mgMainTitleTxt">Attendance details</h1></div>
 <div class="mgSubTitle"><h2 class="mgSubTitleTxt">Committee Name - Thursday 15 January 2026 7:30 pm</h2></div>
 <div class="mgContent"><table class="mgTabTable"><caption class="mgSectionTitle">Attendees</caption>
  <thead><tr><th>Attendee</th><th>Role</th><th>Attendance</th></tr></thead>
  <tbody><tr><td class="mgMainTxt"><a href="mgUserInfo.aspx?UID=12">Councillor Jan Reed</a></td><td class="mgMainTxt">Chair</td><td class="mgMainTxt">Present, as expected</td></tr>
   <tr><td class="mgMainTxt">Head of Early Help</td><td class="mgMainTxt">Officer</td><td class="mgMainTxt">In attendance</td></tr></tbody></table></div></div>"""


def test_item_page_fields():
    page = parse_item_page(ITEM_PAGE, BASE + "mgAi.aspx?ID=51902")
    assert (page.item_id, page.number, page.title) == ("51902", "54.", "Title text")
    assert (page.meeting_id, page.committee_id, page.committee_name) == ("10221", "711", "Committee Name")
    assert page.meeting_date == date(2026, 1, 15)
    assert page.meeting_url == BASE + "ieListDocuments.aspx?CId=711&MId=10221&Ver=4"
    assert page.agenda_text == "Agenda text."
    assert page.decision_paragraphs == ("RESOLVED that:", "1. the plan be approved.")
    assert page.minutes_paragraphs == ("First paragraph.", "Second paragraph, the end.")
    assert [(d.url, d.title, d.kind) for d in page.documents] == [(BASE + "documents/s123/Report.pdf", "Report", DOC_REPORT)]


def test_item_page_needs_modgov_and_heading():
    with pytest.raises(ParseError, match="div#modgov"):
        parse_item_page("<html><p>Server Error</p></html>", BASE + "mgAi.aspx?ID=1")
    with pytest.raises(ParseError, match="h2.mgSubTitleTxt"):
        parse_item_page('<div id="modgov"></div>', BASE + "mgAi.aspx?ID=1")


def test_merge_full_text_replaces_truncated_text():
    truncated = Item(
        source="s", meeting_id="10221", item_id="51902", position=6, number="54.", title="Title text",
        agenda_text="Agenda text.", minutes_paragraphs=("First paragraph.", "Second paragraph"),
        documents=(), url=BASE + "ieListDocuments.aspx?CId=711&MId=10221&Ver=4#AI51902",
        full_text_url=BASE + "mgAi.aspx?ID=51902",
    )
    merged = merge_full_text(truncated, parse_item_page(ITEM_PAGE, BASE + "mgAi.aspx?ID=51902"))
    assert merged.minutes_paragraphs == ("First paragraph.", "Second paragraph, the end.")
    assert merged.decision_paragraphs == ("RESOLVED that:", "1. the plan be approved.")
    assert [d.title for d in merged.documents] == ["Report"]
    assert (merged.item_id, merged.url, merged.full_text_url) == (truncated.item_id, truncated.url, truncated.full_text_url)
    assert truncated.minutes_paragraphs[-1] == "Second paragraph"  # pure: the input is unchanged
    with pytest.raises(ValueError):
        merge_full_text(dataclasses.replace(truncated, item_id="9"), parse_item_page(ITEM_PAGE, BASE + "mgAi.aspx?ID=51902"))


def test_attendance_page():
    page = parse_attendance_page(ATTENDANCE_PAGE, BASE + "mgMeetingAttendance.aspx?ID=10221")
    assert page.members == (
        Member(name="Councillor Jan Reed", role="Chair", uid="12", attendance="Present"),
        Member(name="Head of Early Help", role="Officer", uid="", attendance="In attendance"),
    )
    assert page.meeting_id == "10221"
    assert page.committee_name == "Committee Name"
    assert page.start == datetime(2026, 1, 15, 19, 30)


def test_attendance_apologies_table_and_empty_page():
    html = """<div id="modgov"><h2 class="mgSubTitleTxt">C - 1 May 2025</h2>
      <table class="mgTabTable"><caption>Apologies</caption><tr><td><a href="mgUserInfo.aspx?UID=3">Councillor Ames</a></td><td>Committee Member</td></tr></table></div>"""
    page = parse_attendance_page(html, BASE + "mgMeetingAttendance.aspx?ID=1")
    assert page.members == (Member(name="Councillor Ames", role="Committee Member", uid="3", attendance="Apologies"),)
    assert parse_attendance_page('<div id="modgov"></div>', BASE + "mgMeetingAttendance.aspx?ID=1").members == ()


def test_with_attendance_fills_the_meeting():
    meeting_page = MeetingPage(meeting=Meeting(source="s", committee_id="711", committee_name="C", meeting_id="10221"))
    attendance = parse_attendance_page(ATTENDANCE_PAGE, BASE + "mgMeetingAttendance.aspx?ID=10221")
    assert with_attendance(meeting_page, attendance).meeting.attendance == attendance.members
    with pytest.raises(ValueError):
        with_attendance(meeting_page, AttendancePage(members=(), meeting_id="1"))
