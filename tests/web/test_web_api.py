"""The JSON API: the /api/search shape is pinned here, key for key; record endpoints; OpenAPI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SEARCH_KEYS = ["ok", "query", "total", "page", "per_page", "results", "facets", "suggestion"]
RESULT_KEYS = ["id", "source", "committee", "date", "item_number", "title", "url", "source_url", "topics",
               "speakers", "procedural", "snippets"]
SNIPPET_KEYS = ["html", "speakers", "anchor"]
FACET_VALUE_KEYS = ["value", "count", "selected", "approximate"]
QUERY_KEYS = ["q", "committee", "speaker", "topic", "year", "source", "from", "to", "sort", "page", "per_page",
              "procedural", "since"]


def test_search_json_shape_is_exactly_the_documented_one(client):
    response = client.get("/api/search?q=foster&speaker=Councillor+Jan+Reed&per_page=2")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert list(data) == SEARCH_KEYS
    assert data["ok"] is True and data["total"] == 3 and data["page"] == 1 and data["per_page"] == 2
    assert list(data["query"]) == QUERY_KEYS
    assert data["query"]["speaker"] == ["Councillor Jan Reed"] and data["query"]["procedural"] == "hide"
    assert data["suggestion"] is None
    assert list(data["facets"]) == ["committee", "speaker", "topic", "year"]  # source only with several councils
    for values in data["facets"].values():
        for value in values:
            assert list(value) == FACET_VALUE_KEYS
            assert isinstance(value["value"], str) and isinstance(value["count"], int)
    assert {"value": "Councillor Jan Reed", "count": 3, "selected": True, "approximate": False} in data["facets"]["speaker"]
    assert len(data["results"]) == 2
    for result in data["results"]:
        assert list(result) == RESULT_KEYS
        for snippet in result["snippets"]:
            assert list(snippet) == SNIPPET_KEYS
    first = next(r for r in data["results"] if r["id"] == "kingston:item:508")
    assert first == {
        "id": "kingston:item:508", "source": "kingston",
        "committee": "Children's and Adults' Care and Education Committee", "date": "2017-07-10",
        "item_number": "68.", "title": "Foster care sufficiency", "url": "http://localhost/items/kingston:item:508",
        "source_url": "https://moderngov.kingston.gov.uk/ieListDocuments.aspx?MId=100#AI508",
        "topics": ["children", "social care"],
        "speakers": ["Councillor Jan Reed", "Head of Early Help", "Councillor Tom Crute"],
        "procedural": False, "snippets": first["snippets"]}
    # A speaker filter with words asks what that speaker said: only their matching passage is a snippet.
    assert [s["anchor"] for s in first["snippets"]] == ["p1"]
    assert first["snippets"][0]["speakers"] == ["Councillor Jan Reed"]
    assert "<mark>foster</mark>" in first["snippets"][0]["html"]


def test_speaker_in_the_query_restricts_snippets_to_their_passages(client):
    data = client.get('/api/search?q=speaker:"Reed" foster').get_json()
    item = next(r for r in data["results"] if r["id"] == "kingston:item:508")
    assert [(s["anchor"], s["speakers"]) for s in item["snippets"]] == [("p1", ["Councillor Jan Reed"])]


def test_suggestion_is_a_string_when_there_is_one(client):
    assert client.get("/api/search?q=fostr").get_json()["suggestion"] == "foster"


def test_item_api(client):
    data = client.get("/api/items/kingston:item:508").get_json()
    assert data["ok"] is True and data["title"] == "Foster care sufficiency"
    assert data["date"] == "2017-07-10" and data["item_number"] == "68."
    assert [p["anchor"] for p in data["passages"]] == ["p1", "p2", "p3", "p1d"]
    assert data["passages"][3]["section"] == "decision"
    assert data["documents"] == [{"title": "Foster care report",
                                  "url": "https://moderngov.kingston.gov.uk/documents/s900/Foster.pdf",
                                  "kind": "report"}]
    assert data["meeting"]["id"] == "kingston:meeting:100"
    assert "Royal Borough of Kingston upon Thames" in data["citation"]


def test_meeting_api(client):
    data = client.get("/api/meetings/kingston:meeting:100").get_json()
    assert data["ok"] and data["date"] == "2017-07-10" and data["status"] == "held"
    assert [i["title"] for i in data["items"]][:2] == ["Apologies for absence", "Foster care sufficiency"]
    assert {"name": "Head of Early Help", "role": "Officer", "uid": "", "attendance": "In attendance",
            "party": "", "ward": "", "posts": []} in data["attendance"]


def test_speaker_and_committee_api(client):
    speaker = client.get("/api/speakers/Councillor Jan Reed").get_json()
    assert speaker["ok"] and speaker["total"] == 4
    assert all(p["speakers"] == ["Councillor Jan Reed"] for i in speaker["items"] for p in i["passages"])
    committee = client.get("/api/committees/kingston:committee:12").get_json()
    assert committee["name"] == "Planning Committee" and len(committee["meetings"]) == 3
    assert [m["status"] for m in committee["meetings"]][0] == "future"


def test_trends_and_coverage_api(client):
    trends = client.get("/api/trends?q=budget&year=2019").get_json()
    # share: of all (non-procedural) items that year — 3 of 2018's 5, 5 of 2019's 7.
    assert trends["years"] == [{"year": "2018", "count": 3, "share": 0.6, "partial": False},
                               {"year": "2019", "count": 5, "share": 5 / 7, "partial": False}]
    assert sum(m["count"] for m in trends["months"]) == 5 and trends["months"][5] == {"month": "2019-06", "count": 3}
    assert trends["speakers"][0] == {"name": "Councillor Tom Crute", "count": 5}
    coverage = client.get("/api/coverage").get_json()
    assert coverage["items"] == 23 and coverage["first"] == "2017-07-10"


@pytest.mark.parametrize("url", ["/api/items/kingston:item:1", "/api/meetings/nope", "/api/committees/x",
                                 "/api/speakers/Nobody At All", "/api/nothing-here"])
def test_unknown_ids_are_404_in_the_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 404
    data = response.get_json()
    assert list(data) == ["ok", "error", "status"] and data["ok"] is False and data["status"] == 404
    assert data["error"]


def test_openapi_documents_every_api_route_and_nothing_else(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    routes = set()
    for rule in app.url_map.iter_rules():
        path = rule.rule.replace("<path:", "{").replace("<", "{").replace(">", "}")
        for name in ("item_id", "meeting_id", "committee_id"):
            path = path.replace("{" + name + "}", "{id}")
        if path.startswith("/api/") and path != "/api/" or path in ("/search.atom", "/search.csv"):
            routes.add(path)
    assert routes == documented
    params = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    from searchsvc.web.params import KNOWN

    assert params == set(KNOWN)


def test_openapi_file_is_valid_json_with_the_search_schema():
    document = json.loads((Path(__file__).parents[2] / "searchsvc/web/openapi.json").read_text())
    schema = document["components"]["schemas"]
    assert schema["SearchResponse"]["required"] == SEARCH_KEYS
    assert schema["Result"]["required"] == RESULT_KEYS
    assert schema["Snippet"]["required"] == SNIPPET_KEYS
    assert schema["FacetValue"]["required"] == FACET_VALUE_KEYS


def test_api_is_readable_from_other_origins(client):
    assert client.get("/api/search?q=foster").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/search?q=foster").headers


def test_since_asks_for_items_new_or_changed_after_a_batch(client):
    last = client.get("/api/status").get_json()["index"]["last_batch"]
    assert last >= 1
    everything = client.get("/api/search?procedural=show").get_json()["total"]
    assert client.get("/api/search?procedural=show&since=0").get_json()["total"] == everything
    assert client.get(f"/api/search?procedural=show&since={last}").get_json()["total"] == 0
    feed = client.get(f"/search.atom?since={last}").get_data(as_text=True)
    assert "<entry>" not in feed
    bad = client.get("/api/search?since=yesterday")
    assert bad.status_code == 400 and "since must be a whole number" in bad.get_json()["error"]


def test_openapi_parameters_of_facets_and_sorts_come_from_their_definitions(client):
    from searchsvc.facets import FACET_NAMES, SORT_NAMES

    document = client.get("/api/openapi.json").get_json()
    for path in ("/api/search", "/api/trends", "/search.atom", "/search.csv"):
        params = document["paths"][path]["get"]["parameters"]
        names = [p["name"] for p in params]
        assert names[:1 + len(FACET_NAMES)] == ["q", *FACET_NAMES]
        sort = next(p for p in params if p["name"] == "sort")
        assert sort["schema"]["enum"] == list(SORT_NAMES)
        year = next(p for p in params if p["name"] == "year")
        assert year["schema"]["items"]["pattern"] == "^[12][0-9]{3}$"
