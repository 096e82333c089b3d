"""mgAi, ieIssueDetails and decision pages: golden files plus what a reader of the passages sees.

The pages under ``pages/`` are written for these tests in ModernGov's markup (the
structure real councils' pages show; the names and text are invented). The kirklees
decision fragments of the shared corpus are checked too when it is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.moderngov import classify, parse_page
from crawler.moderngov.pages import DecisionPage, IssuePage, ItemPage
from crawler.moderngov.standalone import items_of
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import Taxonomy
from searchsvc.errors import ParseError

PAGES = Path(__file__).resolve().parent / "pages"
BASE = "https://democracy.exton.example/"

CASES = [
    ("exton_item_7001", "mgAi_ID7001.html", "mgAi.aspx?ID=7001"),
    ("exton_issue_4242", "ieIssueDetails_IId4242.html", "ieIssueDetails.aspx?IId=4242&PlanId=0&Opt=3"),
    ("exton_decision_901", "ieDecisionDetails_ID901.html", "ieDecisionDetails.aspx?ID=901"),
    ("exton_issue_decisions_4250", "mgDecisionDetails_IId4250.html", "mgDecisionDetails.aspx?IId=4250&Opt=1"),
]


def parsed(file: str, page: str):
    return parse_page((PAGES / file).read_bytes(), BASE + page, source="exton")


@pytest.mark.parametrize(("name", "file", "page"), CASES, ids=[c[0] for c in CASES])
def test_page_matches_golden(name, file, page, golden):
    golden(name, parsed(file, page))


def test_dispatch_knows_the_page_kinds():
    assert classify(BASE + "ieIssueDetails.aspx?IId=1&Opt=3") == "issue"
    assert classify(BASE + "IEDECISIONDETAILS.ASPX?ID=1") == "decision"
    assert classify(BASE + "mgDecisionDetails.aspx?IId=1&Opt=1") == "issue_decisions"
    with pytest.raises(ParseError, match="IId"):
        parse_page((PAGES / "ieIssueDetails_IId4242.html").read_bytes(), BASE + "ieIssueDetails.aspx?Opt=3")


def enriched(file: str, page: str):
    return [(enrich_item(item, [], Taxonomy(())), committee, day)
            for item, committee, day in items_of(parsed(file, page), source="exton")]


def test_item_page_passages_speakers_and_one_copy_of_the_resolution():
    page = parsed("mgAi_ID7001.html", "mgAi.aspx?ID=7001")
    assert isinstance(page, ItemPage) and (page.number, page.title) == ("41.", "Highways Maintenance Programme 2026/27")
    ((item, committee, day),) = enriched("mgAi_ID7001.html", "mgAi.aspx?ID=7001")
    assert (committee, day.isoformat(), item.id) == ("Cabinet", "2026-02-10", "exton:item:7001")
    texts = [p.text for p in item.passages]
    assert not any(t.startswith("Audio recording") for t in texts)
    assert sum("Appendix A be approved" in t for t in texts) == 1  # minutes and decision repeat it
    assert [p.section for p in item.passages] == ["minutes", "minutes", "decision"]
    assert "Councillor Priya Lund" in item.passages[0].speakers
    assert {"Councillor Owen Tate", "Head of Highways"} <= set(item.passages[1].speakers)


def test_issue_page_gives_each_meeting_its_item():
    page = parsed("ieIssueDetails_IId4242.html", "ieIssueDetails.aspx?IId=4242&PlanId=0&Opt=3")
    assert isinstance(page, IssuePage) and page.title == "Local Cycling and Walking Plan"
    assert [(m.committee_name, m.meeting_id, m.number, m.title) for m in page.meetings] == [
        ("Cabinet", "9120", "43", "Local Cycling and Walking Plan"),
        ("Council", "9133", "88", "Local Cycling and Walking Plan"),
    ]
    cabinet, council = enriched("ieIssueDetails_IId4242.html", "ieIssueDetails.aspx?IId=4242&PlanId=0&Opt=3")
    assert [p.section for p in cabinet[0].passages] == ["minutes", "decision"]
    assert "Councillor Hal Brennan" in cabinet[0].passages[0].speakers
    assert {"Councillor Rosa Ingram", "Councillor Hal Brennan"} <= set(council[0].passages[0].speakers)
    assert council[2].isoformat() == "2026-03-04"


def test_decision_pages():
    officer = parsed("ieDecisionDetails_ID901.html", "ieDecisionDetails.aspx?ID=901")
    assert isinstance(officer, DecisionPage)
    assert (officer.decision_maker, officer.decision_date.isoformat(), officer.meeting_id) == \
        ("Director of Place", "2026-10-01", "")
    assert officer.agenda_text.startswith("To set the priority gritting network")
    assert len(officer.decision_paragraphs) == 3 and [d.title for d in officer.documents] == ["Annex 1 - Priority network"]


def test_issue_decisions_page_lists_each_decision():
    page = parsed("mgDecisionDetails_IId4250.html", "mgDecisionDetails.aspx?IId=4250&Opt=1")
    assert isinstance(page, IssuePage) and (page.shows, page.title) == ("decisions", "Minutes of Previous Meeting")
    assert [(d.meeting_date.isoformat(), d.title, d.committee_name, d.meeting_id, len(d.decision_paragraphs))
            for d in page.meetings] == [
        ("2026-02-12", "Minutes of the meeting held on 12 January 2026", "Cabinet", "9120", 2),
        ("2026-03-11", "Minutes of the meeting held on 10 February 2026", "", "", 1),
    ]
    first, second = enriched("mgDecisionDetails_IId4250.html", "mgDecisionDetails.aspx?IId=4250&Opt=1")
    assert first[0].id == "exton:item:issue-decision4250-1" and first[1] == "Cabinet"
    assert "Councillor Nell Okoro" in first[0].passages[1].speakers
    assert [p.section for p in second[0].passages] == ["decision"]


@pytest.mark.parametrize("name", ["ieDecisionDetails_with_documents_FRAGMENT.html",
                                  "ieDecisionDetails_officer_no_documents_FRAGMENT.html",
                                  "ieDecisionDetails_multi_paragraph_FRAGMENT.html"])
def test_real_decision_fragments_parse(name, read_page):
    page = parse_page(read_page(f"kirklees/{name}"), "https://democracy.kirklees.gov.uk/ieDecisionDetails.aspx?ID=1")
    assert page.title and page.decision_paragraphs
    assert page.decision_maker or page.meeting_id or "multi" in name


def test_cli_parse_prints_passages_and_speakers_of_an_item_page(tmp_path):
    from click.testing import CliRunner

    from searchsvc.cli import cli

    conf = str(Path(__file__).resolve().parents[2] / "config" / "searchsvc.toml")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--config", conf, "parse", str(PAGES / "mgAi_ID7001.html"),
                                      "--url", BASE + "mgAi.aspx?ID=7001"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"item: {BASE}mgAi.aspx?ID=7001"
    assert "41. Highways Maintenance Programme 2026/27" in lines[1]
    assert any(line.strip().startswith("p2 min [Councillor Owen Tate, Head of Highways]") for line in lines)
    assert not any("Audio recording" in line for line in lines)


ISSUE_SHAPES = {
    # The meeting named by a labelled paragraph, as on mgAi.aspx.
    "label": """<div id="modgov"><div class="mgSubTitle"><h2 class="mgSubTitleTxt">Issue - items at meetings - Bus Lanes</h2></div>
<div class="mgContent">
 <p><span class="mgLabel">Meeting: </span><a href="ieListDocuments.aspx?CId=5&amp;MId=61">12/05/2025 - Transport Board (Item 7.)</a></p>
 <p class="mgAiTitleTxt">Bus Lanes</p><p class="mgSubItemTitleTxt">Minutes:</p>
 <div class="mgWordPara"><p>Councillor Ada Pike asked about enforcement hours.</p></div>
 <p><span class="mgLabel">Meeting: </span><a href="ieListDocuments.aspx?CId=5&amp;MId=70">09/06/2025 - Transport Board (Item 3.)</a></p>
 <p class="mgAiTitleTxt">Bus Lanes</p><p class="mgSubItemTitleTxt">Minutes:</p>
 <div class="mgWordPara"><p>The Board noted the consultation results.</p></div>
</div></div>""",
    # Each meeting wrapped in its own block, heading inside.
    "wrapped": """<div id="modgov"><div class="mgSubTitle"><h2 class="mgSubTitleTxt">Bus Lanes</h2></div>
<div class="mgContent">
 <div class="mgIssueMeeting"><h3>Meeting: <a href="ieListDocuments.aspx?CId=5&amp;MId=61">12/05/2025 - Transport Board</a> (Item 7)</h3>
  <p class="mgAiTitleTxt">Bus Lanes</p><p class="mgSubItemTitleTxt">Minutes:</p>
  <div class="mgWordPara"><p>Councillor Ada Pike asked about enforcement hours.</p></div></div>
 <div class="mgIssueMeeting"><h3>Meeting: <a href="ieListDocuments.aspx?CId=5&amp;MId=70">09/06/2025 - Transport Board</a> (Item 3)</h3>
  <p class="mgAiTitleTxt">Bus Lanes</p><p class="mgSubItemTitleTxt">Minutes:</p>
  <div class="mgWordPara"><p>The Board noted the consultation results.</p></div></div>
</div></div>""",
}


@pytest.mark.parametrize("shape", sorted(ISSUE_SHAPES))
def test_issue_page_shapes(shape):
    page = parse_page(ISSUE_SHAPES[shape], BASE + "ieIssueDetails.aspx?IId=9&Opt=3")
    assert page.title == "Bus Lanes"
    assert [(m.meeting_id, m.number, m.committee_name, m.minutes_paragraphs) for m in page.meetings] == [
        ("61", "7", "Transport Board", ("Councillor Ada Pike asked about enforcement hours.",)),
        ("70", "3", "Transport Board", ("The Board noted the consultation results.",)),
    ]


def test_issue_page_with_its_description_above_the_meetings_and_no_title_heading():
    html = """<div id="modgov"><div class="mgHeader"><h1 class="mgMainTitleTxt">Issue - meetings</h1></div>
<div class="mgContent">
 <div class="mgWordPara"><p>Members are asked whether any late business should be taken.</p></div>
 <p><span class="mgLabel">Meeting: </span><a href="ieListDocuments.aspx?CId=8&amp;MId=400">03/02/2025 - Policy Committee (Item 1)</a></p>
 <p class="mgAiTitleTxt">LATE BUSINESS</p>
 <p class="mgSubItemTitleTxt">Decision:</p><div class="mgWordPara"><p>The Convener agreed to take item 9.2 as urgent.</p></div>
 <p class="mgSubItemTitleTxt">Minutes:</p><div class="mgWordPara"><p>The Convener had agreed that item 9.2 be taken as urgent. The Committee resolved to concur.</p></div>
</div></div>"""
    page = parse_page(html, BASE + "ieIssueDetails.aspx?IId=77&Opt=3")
    assert page.title == ""
    ((item, committee, day),) = items_of(page, source="x")
    assert (item.title, item.number, committee, day.isoformat()) == ("LATE BUSINESS", "1", "Policy Committee", "2025-02-03")
    assert item.agenda_text == "Members are asked whether any late business should be taken."
    assert len(item.decision_paragraphs) == 1 and len(item.minutes_paragraphs) == 1
