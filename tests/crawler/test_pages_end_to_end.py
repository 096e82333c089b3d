"""Saved pages through the whole pipeline: raw store → reparse (parse, enrich) → catalog → Whoosh
index → the web app's search and speaker API, all real, nothing mocked.

The meeting (pages/ieListDocuments_CId300_MId9133.html, invented text in ModernGov markup) has a
public question about highways under a title that also names a time limit in minutes, an empty
members' questions item, a declaration whose item holds commas in brackets, a webcast duration
line and a resolution printed under both "Minutes:" and "Decision:".
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import index_full, reparse_source
from searchsvc.web import create_app

REPO = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "pages"
BASE = "https://democracy.exton.example/"
MEETING = BASE + "ieListDocuments.aspx?CId=300&MId=9133&Ver=4"
ATTENDANCE = BASE + "mgMeetingAttendance.aspx?ID=9133"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("exton")
    config = parse_config({"storage": {"data_dir": str(data_dir)},
                           "enrich": {"topics_file": str(REPO / "config" / "topics.toml")},
                           "sources": [{"name": "exton", "title": "Exton Borough Council", "base_url": BASE}]})
    (source,) = config.sources
    with Catalog.in_dir(data_dir) as catalog:
        for url, kind, name in ((MEETING, "meeting", "ieListDocuments_CId300_MId9133.html"),
                                (ATTENDANCE, "attendance", "mgMeetingAttendance_ID9133.html")):
            body = (PAGES / name).read_bytes()
            catalog.put_page(url, "exton", kind, 200, {}, body, hashlib.sha256(body).hexdigest(), None)
        report = reparse_source(catalog, source, load_taxonomy(config.topics_file), today=date(2026, 6, 1))
        assert report.errors == []
        index_full(catalog, data_dir, config)
    app = create_app(config)
    with app.test_client() as test_client:
        yield test_client


def search(client, **args):
    data = client.get("/api/search", query_string=args).get_json()
    assert data["ok"], data
    return data


def test_a_public_question_about_highways_is_found_without_asking_for_procedural_items(client):
    data = search(client, q="highways")
    titles = [hit["title"] for hit in data["results"]]
    assert "Public Question Time (maximum 30 minutes)" in titles
    hit = next(h for h in data["results"] if h["title"].startswith("Public Question Time"))
    assert any("Ms Tara Voss" in s["speakers"] for s in hit["snippets"])


def test_empty_question_items_and_apologies_stay_procedural(client):
    hidden = [h["title"] for h in search(client, q="questions")["results"]]
    assert "Members' Questions" not in hidden and "Public Question Time (maximum 30 minutes)" in hidden
    assert "Apologies for Absence" not in [h["title"] for h in search(client, q="Bea Watts")["results"]]
    shown = [h["title"] for h in search(client, q="questions", procedural="show")["results"]]
    assert "Members' Questions" in shown


def test_item_page_has_one_copy_of_the_resolution_and_no_duration_line(client):
    item = client.get("/api/items/exton:item:70305").get_json()
    texts = [p["text"] for p in item["passages"]]
    assert sum("be adopted" in t for t in texts) == 1
    question = client.get("/api/items/exton:item:70303").get_json()
    assert not any(p["text"].startswith("Audio recording") for p in question["passages"])


def test_declaration_keeps_its_bracketed_application(client):
    item = client.get("/api/items/exton:item:70302").get_json()
    (declaration,) = item["declarations"]
    assert declaration["item"] == "item 89 (26/00412/FUL - Unit 3, Kestrel Court, Mill Lane, Exton)"
    assert declaration["member"] == "Councillor Rosa Ingram"


def test_speaker_page_shows_party_and_ward(client):
    data = client.get("/api/speakers/Councillor Rosa Ingram").get_json()
    assert (data["party"], data["ward"], data["details_as_of"]) == ("Liberal Democrats", "Mill Lane", "2026-03-04")
    html = client.get("/speakers/Councillor Rosa Ingram").get_data(as_text=True)
    assert "<dd>Liberal Democrats</dd>" in html and "<dd>Mill Lane</dd>" in html
    # A short form of the name finds the same person; a name nobody holds shows nothing.
    assert client.get("/api/speakers/Ingram", follow_redirects=True).get_json()["party"] == "Liberal Democrats"
