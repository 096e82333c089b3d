"""Atom, CSV and OpenSearch: well-formed, stable, and the same results as the JSON."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from searchsvc.web.render import CSV_COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_is_newest_first_with_stable_ids(client):
    response = client.get("/search.atom?q=budget")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 8
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert all(i.startswith("http://localhost/items/kingston:item:") for i in ids)
    again = ET.fromstring(client.get("/search.atom?q=budget").data)
    assert [e.find(f"{ATOM}id").text for e in again.findall(f"{ATOM}entry")] == ids
    assert feed.find(f"{ATOM}updated").text == updated[0]  # stable while nothing changes
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "http://localhost/search.atom?q=budget&sort=newest"


def test_search_page_advertises_its_feed(client):
    html = client.get("/search?q=budget").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_csv_has_the_json_columns_and_all_rows(client):
    response = client.get("/search.csv?q=budget&per_page=5")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-budget.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert list(CSV_COLUMNS) == ["id", "source", "committee", "date", "item_number", "title", "url", "source_url",
                                 "topics", "speakers", "procedural", "snippets"]
    assert len(rows) == 1 + 8  # "the rows on screen and beyond"
    json_ids = [r["id"] for r in client.get("/api/search?q=budget&per_page=20").get_json()["results"]]
    assert [r[0] for r in rows[1:]] == json_ids
    first = dict(zip(rows[0], rows[1]))
    assert first["procedural"] == "false" and first["date"].startswith("20")


def test_csv_rows_are_capped(data_dir):
    from searchsvc.config import Config
    from searchsvc.web import create_app
    from tests.web import sampledata

    base = sampledata.config(data_dir)
    config = Config(values={**base.values, "web.csv_max_rows": 3, "search.max_per_page": 2}, sources=base.sources)
    client = create_app(config, {"TESTING": True}).test_client()
    rows = list(csv.reader(io.StringIO(client.get("/search.csv?q=budget").get_data(as_text=True))))
    assert len(rows) == 1 + 3


def test_csv_from_a_later_page_starts_there(client):
    rows = list(csv.reader(io.StringIO(client.get("/search.csv?q=budget&per_page=5&page=2").get_data(as_text=True))))
    assert len(rows) == 1 + 3


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    doc = ET.fromstring(response.data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    templates = {u.get("type"): u.get("template") for u in doc.findall(f"{ns}Url")}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    assert '<link rel="search" type="application/opensearchdescription+xml"' in client.get("/").get_data(as_text=True)


def test_search_csv_for_excel_is_the_same_csv_with_a_byte_order_mark(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/search?q=foster").get_data(as_text=True), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select(".formats a")}
    assert links["CSV for Excel"] == "/search.csv?q=foster&for=excel"
    plain, excel = client.get(links["CSV"]), client.get(links["CSV for Excel"])
    assert excel.data == b"\xef\xbb\xbf" + plain.data and not plain.data.startswith(b"\xef\xbb\xbf")
    assert 'filename="search-foster-excel.csv"' in excel.headers["Content-Disposition"]
    assert client.get("/search.csv?for=excel").data.startswith(b"\xef\xbb\xbfid,")
