"""The search page and home page through the Flask test client: results, facets, sort, pages, toggles."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web import sampledata


def hrefs(html: str, cls: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'<a href="([^"]*)"[^>]*class="[^"]*{cls}', html)]


def titles(client, url: str) -> list[str]:
    return [r["title"] for r in client.get(url).get_json()["results"]]


def test_home_shows_the_box_recent_meetings_and_coverage(client):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and '<label class="search-label" for="q">' in html
    assert "23 agenda items" in html and "7 meetings" in html and "10 July 2017" in html
    assert "Royal Borough of Kingston upon Thames" in html
    assert html.index("28 November 2019") < html.index("7 February 2019")  # newest meetings first
    assert '<link rel="alternate" type="application/json" href="/api/coverage">' in html
    assert "Search tips" in html


def test_results_show_title_meta_snippets_and_links(client):
    html = client.get("/search?q=foster").get_data(as_text=True)
    assert "3 items for “foster”" in html
    assert "Foster care sufficiency" in html
    assert "Children&#39;s and Adults&#39; Care and Education Committee" in html
    assert "10 July 2017" in html and "Minute 68." in html
    assert "<mark>foster</mark>" in html
    assert 'href="/items/kingston:item:508?q=foster#p1"' in html  # deep link to the passage, search kept
    assert 'href="https://moderngov.kingston.gov.uk/ieListDocuments.aspx?MId=100#AI508"' in html
    assert "Items mentioning “foster” (or forms of it), leaving out procedural items; best matches first." in html


def test_facets_have_counts_and_toggle_urls(client):
    html = client.get("/search?q=foster").get_data(as_text=True)
    links = hrefs(html, "facet-link")
    reed = next(h for h in links if "speaker=Councillor+Jan+Reed" in h)
    assert parse_qs(urlsplit(reed).query) == {"q": ["foster"], "speaker": ["Councillor Jan Reed"]}
    selected = client.get(reed).get_data(as_text=True)
    assert 'class="facet-link selected"' in selected
    untoggle = next(h for h in hrefs(selected, "facet-link selected"))
    assert parse_qs(urlsplit(untoggle).query) == {"q": ["foster"]}


def test_values_of_one_facet_or_and_different_facets_and(client):
    one = client.get("/api/search?topic=planning").get_json()["total"]
    either = client.get("/api/search?topic=planning&topic=education").get_json()["total"]
    both = client.get("/api/search?topic=planning&topic=education&year=2017").get_json()["total"]
    assert one == 3 and either == 5 and both == 3


def test_show_more_hides_long_facet_lists_behind_details(client):
    html = client.get("/search?procedural=show").get_data(as_text=True)
    # Eleven topics: eight shown, the rest behind a no-JavaScript <details>.
    assert re.search(r"<summary>Show 3 more<span class=\"visually-hidden\"> topic values", html)


def test_sort_newest_and_oldest(client):
    newest = client.get("/api/search?q=budget&sort=newest").get_json()["results"]
    oldest = client.get("/api/search?q=budget&sort=oldest").get_json()["results"]
    assert [r["date"] for r in newest] == sorted((r["date"] for r in newest), reverse=True)
    assert [r["date"] for r in oldest] == sorted(r["date"] for r in oldest)
    html = client.get("/search?q=budget&sort=newest").get_data(as_text=True)
    assert '<strong aria-current="true">newest</strong>' in html
    assert '<input type="hidden" name="sort" value="newest">' in html  # a new query keeps the order


def test_pagination_links_and_pages(client):
    html = client.get("/search?q=budget&per_page=5").get_data(as_text=True)
    assert "Showing 1–5 of 8, page 1 of 2." in html
    assert 'href="/search?q=budget&amp;per_page=5&amp;page=2" rel="next"' in html
    page2 = client.get("/search?q=budget&per_page=5&page=2").get_data(as_text=True)
    assert "Showing 6–8 of 8" in page2 and 'rel="prev"' in page2 and 'rel="next"' not in page2
    first = titles(client, "/api/search?q=budget&per_page=5")
    second = titles(client, "/api/search?q=budget&per_page=5&page=2")
    assert not set(first) & set(second) and len(first) + len(second) == 8


def test_a_page_past_the_end_is_empty_but_not_an_error(client):
    html = client.get("/search?q=budget&per_page=5&page=7").get_data(as_text=True)
    assert "There are only 2 pages of results" in html


def test_procedural_items_are_hidden_by_default_and_explained(client):
    html = client.get("/search?q=apologies").get_data(as_text=True)
    assert "No items found" in html
    assert "7 procedural items (apologies, declarations, approving minutes) match but are hidden." in html
    assert client.get("/api/search?q=apologies&procedural=show").get_json()["total"] == 7
    assert 'href="/search?q=apologies&amp;procedural=show">show them' in html


def test_the_hidden_procedural_count_is_what_showing_them_adds(client):
    both = 0
    for args in ("q=councillor", "q=report", "q=councillor&committee=Cabinet", "q=councillor&from=2021-06-01",
                 "q=councillor&speaker=Councillor+Jan+Reed", "q=%22councillor+reed%22", "q=apologies",
                 "q=councillor&topic=Housing"):
        shown = client.get(f"/api/search?{args}&procedural=show").get_json()["total"]
        hidden = client.get(f"/api/search?{args}").get_json()["total"]
        html = client.get(f"/search?{args}").get_data(as_text=True)
        if shown > hidden:
            assert f"Procedural items are hidden ({shown - hidden})" in html, args
            both += hidden > 0
        else:
            assert "Procedural items are hidden:" in html, args
    assert both, "no search found both procedural and other items"


def test_zero_results_say_whether_filters_or_coverage_explain_them(client):
    filtered = client.get("/search?q=foster&committee=Planning+Committee").get_data(as_text=True)
    assert "3 items match the words without your filters" in filtered
    nothing = client.get("/search?q=xylophone").get_data(as_text=True)
    assert "The index holds 23 agenda items from 7 meetings" in nothing
    dates = client.get("/search?q=budget&from=2021-01-01").get_data(as_text=True)
    assert "Your dates fall outside the index" in dates


def test_did_you_mean(client):
    html = client.get("/search?q=fostr").get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=foster" rel="nofollow"><strong>foster</strong></a>?' in html


def test_date_range_filters_and_fills_the_inputs(client):
    data = client.get("/api/search?q=budget&from=2019-01-01&to=2019-12-31").get_json()
    assert data["total"] == 5 and all(r["date"].startswith("2019") for r in data["results"])
    html = client.get("/search?q=budget&from=2019-01-01").get_data(as_text=True)
    assert 'name="from" type="date" value="2019-01-01"' in html
    assert "on or after 1 January 2019" in html


def test_new_query_keeps_selected_facets_as_hidden_inputs(client):
    html = client.get("/search?q=foster&speaker=Councillor+Jan+Reed").get_data(as_text=True)
    assert '<input type="hidden" name="speaker" value="Councillor Jan Reed">' in html
    assert "Clear all filters" in html


def test_speaker_query_is_per_passage(client):
    # Crute's passages never mention "foster"; Reed's do.
    assert client.get('/api/search?q=speaker:"Crute" foster').get_json()["total"] == 0
    assert client.get('/api/search?q=speaker:"Reed" foster').get_json()["total"] == 3


def test_browsing_without_words_lists_everything_newest_first(client):
    data = client.get("/api/search").get_json()
    assert data["total"] == sampledata.ITEM_COUNT - 7
    assert data["results"][0]["date"] == "2019-11-28"


def test_a_typed_speaker_filter_selects_the_full_name_and_can_be_switched_off(client):
    facet = client.get("/api/search?q=foster&speaker=Reed").get_json()["facets"]["speaker"]
    assert [v["value"] for v in facet if v["selected"]] == ["Councillor Jan Reed"]
    html = client.get("/search?q=foster&speaker=Reed").get_data(as_text=True)
    selected = hrefs(html, "facet-link selected")
    assert len(selected) == 1  # one entry under the full name, no stray "Reed, 0" entry
    assert re.search(r'class="facet-link selected"[^>]*>\s*<span class="facet-value">Councillor Jan Reed<', html)
    assert parse_qs(urlsplit(selected[0]).query) == {"q": ["foster"]}


def test_the_query_length_limit_is_the_setting_everywhere(data_dir):
    """One limit, the ``search.max_query_length`` setting, for the pages and the JSON API alike."""
    from searchsvc.config import parse_config
    from searchsvc.web import create_app

    raw = {"storage": {"data_dir": str(data_dir)}, "search": {"max_query_length": 30},
           "sources": [{"name": "kingston", "title": "Kingston", "base_url": "https://example.org"}]}
    app = create_app(parse_config(raw), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    try:
        client = app.test_client()
        long_query = "foster " * 5  # 35 characters, fewer than the default 500
        response = client.get("/api/search", query_string={"q": long_query})
        assert response.status_code == 400 and "the most this search takes is 30" in response.get_json()["error"]
        assert client.get("/search", query_string={"q": long_query}).status_code == 400
        assert client.get("/api/search", query_string={"q": "foster"}).status_code == 200
        assert 'maxlength="30"' in client.get("/").get_data(as_text=True)
    finally:
        app.extensions["searchsvc"].close()


@pytest.mark.parametrize("q", ["foster", "foster OR conservation", "placements", "committee:care"])
def test_speaker_facet_counts_are_what_choosing_the_speaker_returns(client, q):
    """With search words a speaker's count is of items where *their own passages* match."""
    data = client.get("/api/search", query_string={"q": q, "procedural": "show"}).get_json()
    speakers = data["facets"]["speaker"]
    assert speakers, q
    for value in speakers:
        chosen = client.get("/api/search", query_string={"q": q, "procedural": "show",
                                                         "speaker": value["value"]}).get_json()
        assert chosen["total"] == value["count"], (q, value)


def test_committee_filter_and_field_match_a_run_of_whole_words(client):
    """``committee:planning`` (the search tips' example) and ``committee=planning`` find the
    Planning Committee, as ``speaker:Reed`` finds Councillor Jan Reed; part of a word does not."""
    everything = {"procedural": "show"}
    by_name = client.get("/api/search", query_string={**everything, "committee": "Planning Committee"}).get_json()
    assert by_name["total"] > 0
    for query in ({"q": "committee:planning"}, {"committee": "planning"}, {"q": 'committee:"planning committee"'}):
        data = client.get("/api/search", query_string={**everything, **query}).get_json()
        assert data["total"] == by_name["total"], query
    assert client.get("/api/search", query_string={**everything, "q": "committee:plan"}).get_json()["total"] == 0
    care = client.get("/api/search", query_string={**everything, "committee": "care"}).get_json()
    assert {h["committee"] for h in care["results"]} == {"Children's and Adults' Care and Education Committee"}


def test_search_boxes_take_as_many_characters_as_the_setting(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert soup.select_one("input#q")["maxlength"] == "500"
