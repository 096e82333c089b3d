"""Numbered minutes found, matched to the agenda, and their speakers as good as from HTML."""

from __future__ import annotations

import pytest

from crawler.moderngov.attendance import normalise_attendance
from crawler.printed.header import Header
from crawler.printed.layout import Paragraph
from crawler.printed.minutes import (
    PrintedMinutes,
    is_minutes_document,
    items_from_minutes,
    split_minutes,
)
from searchsvc.records import DOC_MINUTES, DOC_REPORT, Document, Item, Meeting, Member
from searchsvc.sample import Council
from searchsvc.sample.printed import printed_minutes_pdf
from tests.printed.scoring import from_html, from_pdf, score
from tests.printed.shapes import SHAPES


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, 1) for t in texts]


def test_heading_styles_start_minutes_and_resolutions_do_not():
    head, minutes = split_minutes(paras(
        "PLANNING COMMITTEE", "PRESENT: Councillor A Hale (Chair)",
        "23. BUDGET MONITORING", "The report was noted.", "RESOLVED that:",
        "1. The forecast be noted.", "2. That a further report be brought in September.",
        "24 Budget consultation", "Members discussed the consultation.",
        "Minute 25 Climate action plan", "Noted.",
        "25.1 Fleet electrification", "Agreed.",
        "04/08:01 APOLOGIES AND CHAIRMAN'S BUSINESS", "None.",
        "12 members of the public attended the meeting."))
    assert [p.text for p in head] == ["PLANNING COMMITTEE", "PRESENT: Councillor A Hale (Chair)"]
    assert [(m.number, m.title) for m in minutes] == [
        ("23", "BUDGET MONITORING"), ("24", "Budget consultation"), ("25", "Climate action plan"),
        ("25.1", "Fleet electrification"), ("04/08:01", "APOLOGIES AND CHAIRMAN'S BUSINESS")]
    assert [p.text for p in minutes[0].paragraphs][-2:] == ["1. The forecast be noted.",
                                                            "2. That a further report be brought in September."]
    assert minutes[-1].paragraphs[-1].text == "12 members of the public attended the meeting."


def test_a_year_or_count_opening_a_line_inside_a_minute_is_not_a_new_minute():
    _, minutes = split_minutes(paras("2024 Annual Meeting of the Council", "23. ANNUAL REPORT", "2019 Annual Report",
                                     "The report was noted.", "24. BUDGET", "5 Year Capital Programme", "Agreed.",
                                     "25. CLOSE"))
    assert [m.number for m in minutes] == ["23", "24", "25"]
    assert [p.text for p in minutes[0].paragraphs] == ["2019 Annual Report", "The report was noted."]


def test_minutes_match_agenda_items_by_number_then_title_and_extras_become_items():
    agenda = (Item("s", "9", "101", 1, number="5.", title="Budget monitoring"),
              Item("s", "9", "102", 2, number="6.", title="Housing allocations policy"),
              Item("s", "9", "103", 3, number="7.", title="Any other business"))
    _, minutes = split_minutes(paras("5. BUDGET MONITORING", "Noted.", "8. HOUSING ALLOCATIONS POLICY",
                                     "Agreed.", "9. URGENT ITEM: FLOODING", "The Chair reported.",
                                     "9.1 Sandbags", "Delivered."))
    printed = PrintedMinutes(Header(), tuple(minutes), 1)
    items = items_from_minutes(printed, Meeting("s", "c", "Cabinet", "9", url="https://x/m"), agenda,
                               "https://x/m.pdf")
    assert [(i.item_id, i.minutes_paragraphs) for i in items] == [
        ("101", ("Noted.",)), ("102", ("Agreed.",)), ("103", ()), ("9-pdf-9", ("The Chair reported.",
                                                                               "9.1 Sandbags", "Delivered."))]
    assert items[3].title == "Urgent item: flooding" and items[3].position == 4
    assert all(i.minutes_pdf == "https://x/m.pdf" for i in items if i.minutes_paragraphs)


def test_minutes_documents_by_kind_or_link_text():
    assert is_minutes_document(Document("https://x/g1/a.pdf?T=1", "Printed minutes 12th-Jun-2024", DOC_MINUTES))
    assert is_minutes_document(Document("https://x/a.pdf", "Draft minutes"))
    assert is_minutes_document(Document("https://x/a.pdf", "Minutes"))
    assert is_minutes_document(Document("https://x/a.pdf", "Minutes 12 June 2024 (PDF, 210 KB)"))
    assert not is_minutes_document(Document("https://x/a.pdf", "Minutes of the last meeting"))
    assert not is_minutes_document(Document("https://x/a.pdf", "Minutes of the previous meeting", DOC_REPORT))
    assert not is_minutes_document(Document("https://x/a.pdf", "Budget report", DOC_REPORT))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
def test_shapes_minutes_and_speakers(shape):
    s = shape()
    items, printed = from_pdf(s.pdf())
    numbers = [m.number for m in printed.minutes]
    assert sum(n in numbers for n in s.numbers) / len(s.numbers) >= 0.95
    html = from_html([(h, [t for t, _ in ps]) for h, ps in s.minutes], printed.header.attendance)
    pdf_p, pdf_r = score(items, s.labelled())
    html_p, html_r = score(html, s.labelled())
    assert abs(pdf_p - html_p) <= 0.03 and abs(pdf_r - html_r) <= 0.03, (pdf_p, pdf_r, html_p, html_r)


def test_sample_councils_printed_minutes_against_its_html():
    council = Council(seed=3, size=0.15, printed=True)
    committee = next(c for c in council.committees() if council.printed_only(c.committee_id))
    meetings = [m for m in council.meetings(committee.committee_id) if m.minutes_published][1:7]  # [0] is scanned
    assert len(meetings) >= 3
    found = expected = 0
    pdf_scores, html_scores = [], []
    for m in meetings:
        truth = council.items(m.meeting_id)
        agenda = tuple(Item("s", str(m.meeting_id), str(i.item_id), i.position, number=i.number, title=i.title)
                       for i in truth)
        people = tuple(Member(a.name, a.role, attendance=a.attendance) for a in council.attendance(m.meeting_id))
        items, printed = from_pdf(printed_minutes_pdf(council, m), agenda)
        assert printed.header.committee == committee.name
        assert sorted((p.name, p.role if p.role in ("Chair", "Vice-Chair", "Officer") else "",
                       normalise_attendance(p.attendance)) for p in people) == sorted(
            (p.name, p.role, p.attendance) for p in printed.header.attendance)  # as HTML attendance gives them
        by_id = {i.item_id: i for i in items}
        for t in truth:
            if t.minutes:
                expected += 1
                found += by_id[str(t.item_id)].minutes_paragraphs == t.minutes_paragraphs
        labelled = [(p.text, p.speakers) for t in truth for p in t.minutes]
        html = from_html([(t.number, list(t.minutes_paragraphs)) for t in truth], people)
        pdf_scores.append(score(items, labelled))
        html_scores.append(score(html, labelled))
    assert found / expected >= 0.95, (found, expected)
    mean = lambda xs, k: sum(x[k] for x in xs) / len(xs)  # noqa: E731
    for k in (0, 1):
        assert abs(mean(pdf_scores, k) - mean(html_scores, k)) <= 0.03, (pdf_scores, html_scores)


def test_only_the_meetings_own_minutes_are_read_not_an_items_previous_minutes():
    from crawler.printed.meeting import printed_minutes_documents
    from searchsvc.records import Source

    previous = Document("https://x/documents/s5/Minutes.pdf", "Minutes", DOC_REPORT)
    printed = Document("https://x/documents/g9/Printed minutes.pdf?T=1", "Printed minutes", DOC_MINUTES)
    meeting = Meeting("s", "c", "Cabinet", "9", documents=(Document("https://x/g9/a.pdf?T=0", "Agenda"), printed))
    items = (Item("s", "9", "1", 1, title="Minutes of the previous meeting", documents=(previous,)),)
    source = Source("s", "S", "moderngov", "https://x/")
    assert printed_minutes_documents(source, meeting, items) == [printed]
    with_text = (Item("s", "9", "1", 1, minutes_paragraphs=("Agreed.",)),)
    assert printed_minutes_documents(source, meeting, with_text) == []  # the HTML wins
    off = Source("s", "S", "moderngov", "https://x/", printed_minutes=False)
    assert printed_minutes_documents(off, meeting, items) == []
