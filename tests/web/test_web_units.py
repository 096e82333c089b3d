"""Pure pieces of the web layer: parameters, the plain-words echo, charts, CSV cells, the server."""

from __future__ import annotations

import urllib.request
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from searchsvc.errors import QueryError
from searchsvc.web.explain import describe, describe_query
from searchsvc.web.params import SearchParams, parse_search_args
from searchsvc.web.render import csv_cell
from searchsvc.web.trends import Bar, bar_chart, month_bars, year_bars

values = st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs")), min_size=1, max_size=12),
                  max_size=3, unique=True)


@settings(max_examples=100, derandomize=True)
@given(q=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(str.strip), committee=values,
       speaker=values, year=st.lists(st.sampled_from(["2017", "2018", "2019"]), max_size=2, unique=True),
       sort=st.sampled_from(["relevance", "newest", "oldest"]), page=st.integers(1, 1000),
       per_page=st.integers(1, 100), procedural=st.booleans(),
       dates=st.tuples(st.none() | st.dates(date(2000, 1, 1), date(2010, 1, 1)),
                       st.none() | st.dates(date(2010, 1, 2), date(2030, 1, 1))))
def test_params_survive_the_round_trip_through_a_url(q, committee, speaker, year, sort, page, per_page, procedural,
                                                      dates):
    params = SearchParams(q=q, committee=tuple(committee), speaker=tuple(speaker), year=tuple(year), sort=sort,
                          page=page, per_page=per_page, include_procedural=procedural, date_from=dates[0],
                          date_to=dates[1])
    again = parse_search_args(MultiDict(params.to_args()))
    assert again == params


def test_defaults_are_left_out_of_urls():
    assert SearchParams().to_args() == []
    assert SearchParams(q="x", per_page=20, page=1, sort="relevance").to_args() == [("q", "x")]


def test_toggle_adds_and_removes_a_value_and_goes_back_to_page_one():
    params = SearchParams(q="x", committee=("A",), page=3)
    on = params.toggle("committee", "B")
    assert on.committee == ("A", "B") and on.page == 1
    assert on.toggle("committee", "A").committee == ("B",)


def test_empty_form_fields_count_as_absent():
    params = parse_search_args(MultiDict([("q", " "), ("from", ""), ("to", ""), ("committee", ""), ("sort", "")]))
    assert params == SearchParams()


def test_control_characters_are_removed_from_the_query():
    assert parse_search_args(MultiDict([("q", "foster\x00care\x1b")])).q == "foster care"


def test_extra_arguments_can_be_allowed_by_a_route():
    with pytest.raises(QueryError):
        parse_search_args(MultiDict([("chart", "1")]))
    parse_search_args(MultiDict([("chart", "1")]), extra=("chart",))


def test_plain_words_echo():
    assert describe_query('speaker:"Reed" foster -care "school meals" libr*') == [
        "in a passage spoken by “Reed”", "“foster” (or forms of it)", "not “care” (or forms of it)",
        "the exact phrase “school meals”", "words starting “libr”"]
    assert describe_query('"foster care"~5') == ["the words “foster care” within 5 words of each other"]
    assert describe_query("(river OR canal) boat") == [
        "either “river” (or forms of it) or “canal” (or forms of it)", "“boat” (or forms of it)"]
    assert describe_query("title:budget committee:planning") == [
        "“budget” (or forms of it) in the title", "in a committee named “planning”"]
    assert describe_query("(x") == ["matching the expression “(x”"]


def test_plain_words_echo_reads_the_parsed_tree_with_its_precedence():
    # AND binds tighter than OR: this runs as river OR (canal AND boat), and is described so.
    assert describe_query("river OR canal boat") == [
        "either “river” (or forms of it) or both “canal” (or forms of it) and “boat” (or forms of it)"]
    # Words the index ignores are not listed as required.
    assert describe_query("the cost of living") == ["“cost” (or forms of it)", "“living” (or forms of it)"]
    text = describe(SearchParams(q="foster", committee=("Cabinet", "Planning"), year=("2019",),
                                 date_from=date(2019, 1, 1), sort="newest"))
    assert text == ("Items mentioning “foster” (or forms of it), in the committee “Cabinet” or “Planning”, in 2019, "
                    "on or after 1 January 2019, leaving out procedural items; newest first.")
    assert describe(SearchParams(include_procedural=True)) == "All items; best matches first."


def test_bar_chart_is_accessible_escaped_svg_with_linked_bars():
    svg = str(bar_chart([Bar("2017", 3, "/search?q=a&year=2017"), Bar("<b>", 0), Bar("2019", 1, "/s?x=1")],
                        title='Items "per" <year>', chart_id="c"))
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "group" and root.get("aria-labelledby") == "c-t c-d"
    assert root.find(f"{ns}title").text == 'Items "per" <year>'
    links = root.findall(f"{ns}a")
    assert [a.get("href") for a in links] == ["/search?q=a&year=2017", "/s?x=1"]
    assert links[0].get("aria-label") == "2017: 3 items — show them"
    assert links[1].get("aria-label") == "2019: 1 item — show them"
    assert "<b>" not in svg and "style=" not in svg


@pytest.mark.parametrize("q,echo", [
    ('speaker:"Reed" foster', "Items with a passage spoken by “Reed” mentioning “foster” (or forms of it),"),
    ("topic:housing", "Items on the topic “housing”,"),
    ("title:budget", "Items with the title containing “budget” (or forms of it),"),
    ("foster title:the", "Items mentioning “foster” (or forms of it)"),  # a title stop word: was a 500
    ("the budget of the council", "Items mentioning “budget” (or forms of it) and “council” (or forms of it), "
                                  "ignoring the common words “the” and “of”,"),
])
def test_query_echo_reads_as_english_for_fields_and_does_not_require_stop_words(q, echo):
    assert describe(SearchParams(q=q)).startswith(echo)


@pytest.mark.parametrize("suggestion,typed,shown", [
    ("kowalska", "Kowalski", "Kowalska"), ("foster kowalska", "foster Kowalski", "foster Kowalska"),
    ("NHS trust", "NHZ trust", "NHS trust"), ("budget", "budgte", "budget"), (None, "x", "")])
def test_did_you_mean_keeps_the_capitals_of_a_name(suggestion, typed, shown):
    from searchsvc.web.render import keep_case

    assert keep_case(suggestion, typed) == shown


def test_year_bars_carry_the_share_of_all_items_and_mark_the_current_year_partial():
    bars = year_bars({"2018": 3, "2019": 1}, lambda y: f"/y/{y}", totals={"2018": 12, "2019": 400},
                     today=date(2019, 3, 1))
    assert [(b.label, b.percent, b.partial, b.spoken) for b in bars] == [
        ("2018", "25%", False, "2018"), ("2019", "0.2%", True, "2019 (so far)")]
    root = ET.fromstring(str(bar_chart(bars, title="t", chart_id="c")))
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in root.iter(f"{ns}text") if t.get("class") == "chart-label"]
    assert labels == ["2018", "2019*"]
    # The number above each bar is inside the bar's link, so clicking it works like clicking the bar.
    for link in root.findall(f"{ns}a"):
        assert [t.text for t in link.findall(f"{ns}text")] == [link.get("aria-label").split(": ")[1].split()[0]]


def test_year_bars_fill_gaps_and_month_bars_name_the_month():
    bars = year_bars({"2016": 2, "2019": 1}, lambda y: f"/y/{y}")
    assert [(b.label, b.count, b.href) for b in bars] == [
        ("2016", 2, "/y/2016"), ("2017", 0, "/y/2017"), ("2018", 0, "/y/2018"), ("2019", 1, "/y/2019")]
    months = month_bars(2019, [0] * 5 + [3] + [0] * 6, lambda m: f"/m/{m}")
    assert months[5].spoken == "June 2019" and months[5].href == "/m/6"
    assert year_bars({}, str) == []
    assert "No items to chart." in str(bar_chart([], title="t"))


@pytest.mark.parametrize("value,cell", [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                        ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (True, "true"),
                                        (["a", "=b"], "a; =b"), (["=a"], "'=a")])
def test_csv_cells(value, cell):
    assert csv_cell(value) == cell


def test_background_server_serves_in_a_thread(app):
    from searchsvc.web.server import BackgroundServer

    with BackgroundServer(app) as url:
        with urllib.request.urlopen(f"{url}/api/search?q=foster", timeout=10) as response:
            assert response.status == 200 and b'"total":3' in response.read()
            assert response.headers["Server"] == "searchsvc"


def test_data_dir_setting_of_the_app_overrides_the_configuration(data_dir, tmp_path):
    from searchsvc.web import create_app
    from tests.web import sampledata

    app = create_app(sampledata.config(tmp_path / "elsewhere"), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    assert app.test_client().get("/api/search?q=foster").get_json()["total"] == 3


def test_browsing_without_words_is_described_and_sorted_newest_first(client):
    html = client.get("/search").get_data(as_text=True)
    assert "All items, leaving out procedural items; newest first." in html
    assert '<strong aria-current="true">newest</strong>' in html and "best match" not in html


def test_item_pages_number_passages_as_the_index_does():
    from searchsvc.index.documents import item_passages
    from searchsvc.records import Item
    from searchsvc.web.pages import passages_of

    item = Item(source="k", meeting_id="1", item_id="9", position=1, number="1.", title="Budget",
                minutes_paragraphs=("First point.", "", "Second point."), decision_paragraphs=("Agreed.",))
    assert [p.anchor for p in passages_of(item)] == [p.anchor for p in item_passages(item)] == ["p1", "p2", "p3"]
def test_search_words_marked_on_an_item_page_leave_out_filters_and_excluded_words():
    from searchsvc.web.highlight import mark, query_words

    words = query_words('speaker:"Reed" fostering -budget NOT parking libr* "school transport" the')
    assert words == ("foster", "libr*", "school", "transport")
    html = str(mark("Reed: <b>foster</b> budget, parking, libraries, school transports.", ("Reed",), words))
    assert html == ('<strong class="speaker-mention">Reed</strong>: &lt;b&gt;<mark>foster</mark>&lt;/b&gt; budget, '
                    "parking, <mark>libraries</mark>, <mark>school</mark> <mark>transports</mark>.")
