"""Record pages (item, meeting, speaker, committee, trends, status) and their JSON twins."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

HTML_PAGES = ["/", "/search?q=foster", "/items/kingston:item:508", "/meetings/kingston:meeting:100",
              "/speakers/Councillor Jan Reed", "/committees/kingston:committee:7", "/trends?q=budget", "/status"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_page_links_its_json_twin_and_the_twin_works(client, url):
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', html)
    assert match, url
    twin = client.get(unescape(match.group(1)))
    assert twin.status_code == 200 and twin.get_json()["ok"] is True


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_page_has_landmarks_a_skip_link_and_one_h1(client, url):
    html = client.get(url).get_data(as_text=True)
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="Site"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_item_page_has_passages_speakers_decision_documents_and_citation(client):
    html = client.get("/items/kingston:item:508").get_data(as_text=True)
    for anchor in ("p1", "p2", "p3", "p1d"):
        assert f'<div class="passage" id="{anchor}">' in html
    assert '<strong class="speaker-mention">Councillor Reed</strong> asked about' in html
    assert '<a href="/speakers/Councillor%20Jan%20Reed">Councillor Jan Reed</a>' in html
    assert '<h2 id="decision-heading">Resolved</h2>' in html
    assert html.index('id="decision-heading"') < html.index("RESOLVED: That the foster care")
    assert 'href="https://moderngov.kingston.gov.uk/documents/s900/Foster.pdf"' in html
    assert 'href="https://moderngov.kingston.gov.uk/ieListDocuments.aspx?MId=100#AI508"' in html
    assert "Declarations of interest" in html and "He is a foster carer." in html
    today = date.today()
    assert ("Royal Borough of Kingston upon Thames, Children&#39;s and Adults&#39; Care and Education Committee, "
            "10 July 2017, minute 68: “Foster care sufficiency”. "
            "https://moderngov.kingston.gov.uk/ieListDocuments.aspx?MId=100#AI508 "
            f"(accessed {today.day} {today:%B %Y}).") in html


def test_item_without_enriched_passages_numbers_its_paragraphs_like_the_index(client):
    from searchsvc.records import Item
    from searchsvc.web.pages import passages_of

    item = Item(source="k", meeting_id="1", item_id="2", position=1, minutes_paragraphs=("One.", " ", "Two."),
                decision_paragraphs=("Agreed.",))
    assert [(p.anchor, p.section, p.text) for p in passages_of(item)] == [
        ("p1", "minutes", "One."), ("p2", "minutes", "Two."), ("p3", "decision", "Agreed.")]


def test_meeting_page(client):
    html = client.get("/meetings/kingston:meeting:100").get_data(as_text=True)
    assert "Children&#39;s and Adults&#39; Care and Education Committee" in html
    assert "10 July 2017, 19:30" in html and "Guildhall, Kingston upon Thames" in html
    assert html.index("Apologies for absence") < html.index("Foster care sufficiency")
    assert "<h3>Present</h3>" in html and "<h3>In attendance</h3>" in html
    assert "Printed minutes" in html


def test_speaker_page_lists_their_passages_committees_and_topics(client):
    html = client.get("/speakers/Councillor Jan Reed").get_data(as_text=True)
    assert "4 agenda items" in html
    assert "Councillor Reed referred to complaints about school transport" in html
    assert "Councillor Reed thanked officers" in html
    assert html.index("thanked officers") < html.index("referred to complaints")  # newest first
    assert "Finance and Resources Committee" in html and ">social care</a>" in html
    assert '<svg class="chart"' in html
    filtered = client.get("/speakers/Councillor Jan Reed?q=transport").get_data(as_text=True)
    assert "1 agenda item matching “transport”" in filtered


def test_committee_page_groups_meetings_by_year(client):
    html = client.get("/committees/kingston:committee:7").get_data(as_text=True)
    assert [y for y in re.findall(r"<h3>(\d{4})</h3>", html)] == ["2019", "2018", "2017"]
    assert "Councillor Jan Reed" in html and "(Chair)" in html
    assert "Search this committee's minutes" in html


def test_trends_page_has_linked_bars_months_and_top_speakers(client):
    html = client.get("/trends?q=budget").get_data(as_text=True)
    assert '<svg class="chart"' in html and 'role="group"' in html
    assert re.search(r'<a class="chart-link" href="/search\?q=budget&amp;year=2019" aria-label="2019: 5 items', html)
    assert "Councillor Tom Crute" in html
    month = client.get("/trends?q=budget&year=2019").get_data(as_text=True)
    assert "Per month in 2019" in month
    assert 'href="/search?q=budget&amp;from=2019-06-01&amp;to=2019-06-30"' in month
    assert 'aria-label="June 2019: 3 items — show them"' in month


def test_status_page(client):
    html = client.get("/status").get_data(as_text=True)
    assert "<dt>Items in the index</dt><dd>23</dd>" in html and "<td>crawl</td>" in html


def test_search_results_link_to_trends_and_the_other_formats(client):
    html = client.get("/search?q=budget&year=2019").get_data(as_text=True)
    for href in ("/trends?q=budget&amp;year=2019", "/api/search?q=budget&amp;year=2019",
                 "/search.csv?q=budget&amp;year=2019", "/search.atom?q=budget&amp;year=2019&amp;sort=newest"):
        assert f'href="{href}"' in html


def test_opensearch_short_name_has_no_trailing_space_and_there_is_a_favicon(client):
    from xml.etree import ElementTree as ET

    doc = ET.fromstring(client.get("/opensearch.xml").data)
    short = doc.find("{http://a9.com/-/spec/opensearch/1.1/}ShortName").text
    assert short == short.strip() and 0 < len(short) <= 16
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/static/favicon.svg")
    assert client.get(icon.headers["Location"]).mimetype == "image/svg+xml"


def test_item_opened_from_a_search_marks_the_words_and_links_back(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/items/kingston:item:508?q=foster+care&speaker=Councillor+Jan+Reed")
                         .get_data(as_text=True), "html.parser")
    back = page.select_one(".back-to-results a")
    assert back["href"] == "/search?q=foster+care&speaker=Councillor+Jan+Reed"
    assert "Back to results for “foster care”" in back.get_text()
    marked = {m.get_text().lower() for m in page.select("#p1 mark")}
    assert marked == {"foster", "care"}  # not "carers": another word
    assert page.select_one("#p1 .speaker-mention").get_text() == "Councillor Reed"  # still shown
    plain = BeautifulSoup(client.get("/items/kingston:item:508").get_data(as_text=True), "html.parser")
    assert not plain.select("mark") and not plain.select(".back-to-results")


def test_result_cards_show_one_passage_and_the_rest_behind_a_count(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/search?q=foster").get_data(as_text=True), "html.parser")
    card = next(li for li in page.select("li.hit") if "Foster care sufficiency" in li.h2.get_text())
    shown = card.find_all("blockquote", recursive=True)
    outside = [b for b in shown if not b.find_parent("details")]
    assert len(outside) == 1
    more = card.select_one("details.more-passages")
    assert more.summary.get_text(" ", strip=True).startswith(f"{len(shown) - 1} more passage")
    links = {a.get_text(" ", strip=True): a["href"] for a in card.select(".meta a, .tags a")}
    assert links["Only Children's and Adults' Care and Education Committee"].startswith(
        "/search?q=foster&committee=Children")
    assert links["Meeting of 10 July 2017"] == "/meetings/kingston:meeting:100"
    assert links["Topic: children"] == "/search?q=foster&topic=children"
    assert links["Councillor Jan Reed"] == "/speakers/Councillor%20Jan%20Reed"
    assert card.h2.a["href"] == "/items/kingston:item:508?q=foster"


def test_a_resolution_repeated_in_the_minutes_is_shown_once(client):
    from searchsvc.index.snippets import Snippet
    from searchsvc.web.render import distinct_snippets

    snippets = [Snippet("<mark>RESOLVED</mark>: That the plan be approved.", "RESOLVED: That the plan be approved.",
                        "p2"),
                Snippet("That the plan be <mark>approved</mark>.", "That the plan be approved.", "p1d"),
                Snippet("Other", "Other words.", "p3"),
                Snippet("… be <mark>approved</mark>.", "… be approved.", "p4"),  # too short to judge: kept
                Snippet("…That the plan be <mark>approved</mark>", "…That the plan be approved", "p5")]
    assert [s.anchor for s in distinct_snippets(snippets)] == ["p2", "p3", "p4"]


def test_did_you_mean_link_and_text_keep_the_capitals(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/search?q=Crutte").get_data(as_text=True), "html.parser")
    suggestion = page.select_one(".suggestion a")
    assert suggestion.get_text() == "Crute" and suggestion["href"] == "/search?q=Crute"
    assert client.get("/api/search?q=Crutte").get_json()["suggestion"] == "Crute"
