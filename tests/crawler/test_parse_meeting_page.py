"""parse_meeting_page: the real Kingston meeting pages, and small pages showing one rule each."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.moderngov import parse_meeting_page
from searchsvc.errors import ParseError
from searchsvc.records import (
    CANCELLED,
    DOC_DECISIONS,
    DOC_FRONTSHEET,
    DOC_MINUTES,
    DOC_PACK,
    DOC_REPORT,
    HELD,
)

KINGSTON = "https://moderngov.kingston.gov.uk/"
URL_10221 = KINGSTON + "ieListDocuments.aspx?CId=711&MId=10221&Ver=4"


@pytest.fixture
def page_10221(read_page):
    return parse_meeting_page(read_page("kingston/ieListDocuments_CId711_MId10221.html"), URL_10221, source="kingston")


def test_meeting_identity_date_venue(page_10221):
    meeting = page_10221.meeting
    assert (meeting.source, meeting.committee_id, meeting.meeting_id) == ("kingston", "711", "10221")
    assert meeting.committee_name == "Kingston and North Kingston Neighbourhood Committee"
    assert meeting.start == datetime(2026, 1, 15, 19, 30)
    assert meeting.venue == "Guildhall, Kingston upon Thames."
    assert meeting.status == HELD
    assert meeting.published == "Agenda, decisions and minutes"
    assert meeting.url == URL_10221
    assert page_10221.attendance_url == KINGSTON + "mgMeetingAttendance.aspx?ID=10221"
    assert page_10221.has_minutes and page_10221.has_documents


def test_meeting_documents_kinds_from_the_url(page_10221):
    kinds = [d.kind for d in page_10221.meeting.documents]
    assert kinds == [DOC_FRONTSHEET, DOC_PACK, DOC_PACK, DOC_PACK, DOC_DECISIONS, DOC_MINUTES]
    frontsheet = page_10221.meeting.documents[0]
    assert frontsheet.title == "Agenda frontsheet"  # "PDF 198 KB" stripped
    assert frontsheet.url.startswith(KINGSTON + "documents/g10230/Agenda%20frontsheet%20Thursday")
    assert frontsheet.url.endswith(".pdf?T=0")


def test_items_numbers_ids_and_titles(page_10221):
    items = page_10221.items
    assert [i.number for i in items] == [f"{n}." for n in range(54, 66)]  # minute numbers run on: 54–65
    assert [i.position for i in items] == list(range(1, 13))
    assert items[0].item_id == "51890" and items[0].title == "Public Question Time"
    assert items[0].url == URL_10221 + "#AI51890"
    assert all(i.minutes_paragraphs for i in items)
    assert [i.number for i in items if i.decision_paragraphs] == ["59.", "60.", "63."]


def test_minutes_are_one_entry_per_visual_paragraph(page_10221):
    first = page_10221.items[0]
    assert first.minutes_paragraphs[0].startswith("The Committee set aside a period of up to 30 minutes")
    assert first.minutes_paragraphs[1] == "There were no public questions."
    assert len(first.minutes_paragraphs) == 2  # the &nbsp; spacer paragraphs are gone
    assert all(p == " ".join(p.split()) for i in page_10221.items for p in i.minutes_paragraphs)


def test_decision_keeps_resolution_numbering(page_10221):
    item = next(i for i in page_10221.items if i.number == "59.")
    assert item.decision_paragraphs[0] == "RESOLVED that:"
    assert [p[:3] for p in item.decision_paragraphs[1:]] == ["1. ", "2. ", "3. "]


def test_item_documents_title_link_and_additional_documents(page_10221):
    item = next(i for i in page_10221.items if i.number == "59.")
    assert all(d.kind == DOC_REPORT for d in item.documents)
    assert item.documents[0].title == "Petition Regarding the Introduction of Traffic Management Measures On Manorgate Road"
    assert [d.title for d in item.documents[1:]] == [
        "Annex 1 - Wolverton Avenue", "Annex 2 - Manorgate Road", "Annex 3 - Overview plan", "Annex 4 - Survey summary",
    ]  # ", item 59." (mgHide) and the file size are stripped


def test_truncated_minutes_lose_the_ellipsis_and_link(page_10221):
    item = next(i for i in page_10221.items if i.number == "59.")
    assert item.full_text_url == KINGSTON + "mgAi.aspx?ID=51902"
    assert not item.minutes_paragraphs[-1].endswith("...")
    assert "view the full" not in item.minutes_text
    assert page_10221.truncated_item_urls == (KINGSTON + "mgAi.aspx?ID=51902", KINGSTON + "mgAi.aspx?ID=51903")


def test_recorded_vote_table_is_not_minutes_text(page_10221):
    item = next(i for i in page_10221.items if i.number == "63.")
    assert not any("Carried" in p for p in item.minutes_paragraphs + item.decision_paragraphs)


def test_cancelled_meeting(read_page):
    url = KINGSTON + "ieListDocuments.aspx?CId=711&MId=10161&Ver=4"
    page = parse_meeting_page(read_page("kingston/ieListDocuments_CId711_MId10161_cancelled.html"), url)
    assert page.meeting.status == CANCELLED
    assert page.meeting.committee_name == "Kingston and North Kingston Neighbourhood Committee"
    assert page.meeting.start == datetime(2025, 12, 4, 19, 30)
    assert page.meeting.venue == "Guildhall, Kingston upon Thames."  # "Proposed venue:"
    assert page.meeting.published == "Meeting"
    assert page.items == () and page.meeting.documents == ()
    assert not page.has_minutes and not page.has_documents


def test_edited_page_dc_date_wins_and_truncated_item(read_page, caplog):
    url = KINGSTON + "ieListDocuments.aspx?CId=179&MId=10214&Ver=4"
    page = parse_meeting_page(read_page("kingston/ieListDocuments_CId179_MId10214_EDITED-by-test-author.html"), url)
    assert page.meeting.committee_id == "179"
    assert page.meeting.start == datetime(2025, 11, 5, 19, 30)  # DC.date, not the edited h2 date
    assert "disagree" in caplog.text
    assert [i.number for i in page.items] == [f"{n}." for n in range(29, 39)]
    assert page.truncated_item_urls == (KINGSTON + "mgAi.aspx?ID=51593",)
    truncated = next(i for i in page.items if i.full_text_url)
    assert truncated.number == "35." and truncated.item_id == "51593"
    assert truncated.minutes_paragraphs[-1].endswith("decided to allocate the remaining funds")
    assert len(truncated.decision_paragraphs) == 4


# --- small pages, one rule each -----------------------------------------------------------

def meeting_html(items: str = "", h2: str = "Planning Committee - Monday, 9th February, 2026 6.30 pm",
                 extra_head: str = "", template: str = "") -> str:
    return f"""<html><head>{extra_head}</head><body>{template}
    <div id="modgov"><div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda and minutes</h1></div>
    <div class="mgSubTitle"><h2 class="mgSubTitleTxt"><a href="mgCommitteeDetails.aspx?ID=42">{h2}</a></h2></div>
    <div class="mgLinks"><ul class="mgActionList">
      <li><a href="mgMeetingAttendance.aspx?ID=900">Attendance details</a></li>
      <li><a href="documents/g901/Printed minutes.pdf?T=1">Printed minutes <span class="mgFileSize">PDF 1 KB</span></a></li>
    </ul></div>
    <div class="mgContent"><table id="mgItemTable" class="mgItemTable">{items}</table></div></div></body></html>"""


def row(number: str, body: str, anchor: str = "") -> str:
    a = f'<a name="AI{anchor}"></a>' if anchor else ""
    return f'<tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">{a}{number}</p></td><td>{body}</td></tr>'


def test_labels_vary_by_council_resolved_and_supporting_documents():
    body = """<p class="mgAiTitleTxt">Budget</p>
      <p class="mgSubItemTitleTxt">Supporting documents:</p>
      <ul class="mgBulletList"><li><a href="documents/s5/Budget.pdf">Budget report <span class="mgFileSize">PDF 9 KB</span></a></li></ul>
      <p class="mgSubItemTitleTxt">RESOLVED:</p><div class="mgWordPara"><p>That the budget be agreed.</p></div>
      <p class="mgSubItemTitleTxt">minutes</p><div class="mgWordPara"><p>Cllr Ames moved the budget.</p></div>"""
    page = parse_meeting_page(meeting_html(row("3a", body, "77")), "https://x.example/ieListDocuments.aspx?MID=900")
    item = page.items[0]
    assert (item.number, item.item_id, item.title) == ("3a", "77", "Budget")
    assert item.decision_paragraphs == ("That the budget be agreed.",)
    assert item.minutes_paragraphs == ("Cllr Ames moved the budget.",)
    assert [(d.title, d.kind) for d in item.documents] == [("Budget report", DOC_REPORT)]
    assert page.meeting.meeting_id == "900" and page.meeting.committee_id == "42"
    assert page.meeting.start == datetime(2026, 2, 9, 18, 30)  # no DC.date: ordinals and "." time
    assert page.meeting.committee_name == "Planning Committee"


def test_item_without_anchor_gets_position_id_and_meeting_url():
    url = "https://x.example/ieListDocuments.aspx?CId=42&MeetingId=900&Ver=4"
    page = parse_meeting_page(meeting_html(row("1.", '<p class="mgAiTitleTxt">Welcome</p>')), url)
    assert page.items[0].item_id == "900-1"
    assert page.items[0].url == url


def test_truncated_agenda_text():
    body = """<p class="mgAiTitleTxt">Report</p><div class="mgWordPara"><p>Long text&nbsp;...&nbsp;
      <a href="mgAi.aspx?ID=5">view the full agenda text for item 1.</a></p></div>"""
    page = parse_meeting_page(meeting_html(row("1.", body, "5")), "https://x.example/ieListDocuments.aspx?CId=42&MId=900")
    assert page.items[0].agenda_text == "Long text"
    assert page.items[0].full_text_url == "https://x.example/mgAi.aspx?ID=5"


def test_template_links_outside_modgov_are_ignored():
    template = '<ul><li><a href="documents/g1/Other.pdf?T=0">Other frontsheet</a></li></ul>'
    page = parse_meeting_page(meeting_html(template=template), "https://x.example/ieListDocuments.aspx?CId=42&MId=900")
    assert [d.kind for d in page.meeting.documents] == [DOC_MINUTES]


def test_h2_cancelled_suffix_marks_cancelled():
    html = meeting_html(h2="Planning Committee - Monday, 9th February, 2026 6.30 pm - CANCELLED")
    page = parse_meeting_page(html, "https://x.example/ieListDocuments.aspx?CId=42&MId=900")
    assert page.meeting.status == CANCELLED
    assert page.meeting.committee_name == "Planning Committee"


def test_missing_heading_raises_with_selector_and_url():
    html = '<div id="modgov"><h1 class="mgMainTitleTxt">Meeting</h1></div>'
    with pytest.raises(ParseError) as error:
        parse_meeting_page(html, "https://x.example/ieListDocuments.aspx?CId=1&MId=2")
    assert "h2.mgSubTitleTxt" in str(error.value)
    assert "https://x.example/ieListDocuments.aspx?CId=1&MId=2" in str(error.value)


def test_missing_meeting_id_raises():
    html = '<div id="modgov"><h2 class="mgSubTitleTxt"><a href="mgCommitteeDetails.aspx?ID=1">C - 1 May 2025</a></h2></div>'
    with pytest.raises(ParseError, match="meeting id"):
        parse_meeting_page(html, "https://x.example/ieListDocuments.aspx?CId=1")
