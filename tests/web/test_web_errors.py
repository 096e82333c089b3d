"""Bad input is a 400 with the reason, unknown things a 404, never a 500 — in HTML and JSON alike."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BAD = [
    ("colour=red", "unknown parameter 'colour'"),
    ("q=foster&facet=colour", "unknown parameter 'facet'"),
    ("from=10/07/2017", "from must be a date written YYYY-MM-DD"),
    ("to=2017-02-30", "to must be a date written YYYY-MM-DD"),
    ("from=2019-01-01&to=2018-01-01", "the date range is back to front"),
    ("page=1000000000", "page must be from 1 to 1,000"),
    ("page=0", "page must be from 1 to 1,000"),
    ("page=-3", "page must be a whole number"),
    ("page=two", "page must be a whole number"),
    ("per_page=1000", "per_page must be from 1 to 100"),
    ("q=" + "a" * 5000, "the query is 5,000 characters long"),
    ("year=17", "year must be four digits"),
    ("sort=popular", "sort must be one of relevance, newest, oldest"),
    ("procedural=maybe", "procedural must be 'hide' or 'show'"),
    ("q=a&q=b", "give 'q' once"),
    ("q=%22foster", "quotation mark"),
    ("q=colour:red", "colour"),
    ("q=foster+AND", "'AND' needs a word after it"),
    ("q=(foster", "never closed"),
    ("page=600&per_page=100", "10,000"),
]


PATHS = ["/search", "/api/search", "/search.atom", "/search.csv", "/trends", "/api/trends"]
PAGED = ("/search", "/api/search", "/search.csv")  # feeds and trends do not page


@pytest.mark.parametrize("path,args,reason", [(path, args, reason) for args, reason in BAD for path in PATHS
                                              if (reason != "10,000" or path in PAGED)
                                              and ("unknown parameter" not in reason or path.startswith("/api/"))])
def test_bad_parameters_are_400_with_the_reason(client, path, args, reason):
    response = client.get(f"{path}?{args}")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    if path.startswith("/api/"):
        data = response.get_json()
        assert list(data) == ["ok", "error", "status"]
        assert data["ok"] is False and data["status"] == 400 and reason in data["error"]
    else:
        html = response.get_data(as_text=True)
        assert response.mimetype == "text/html"
        assert "That search could not be run" in html
        assert reason.replace("'", "&#39;") in html


def test_error_page_escapes_what_was_typed_and_offers_it_for_correction(client):
    html = client.get("/search?q=%22<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'value="&#34;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


@pytest.mark.parametrize("url", ["/items/kingston:item:1", "/meetings/nope", "/committees/x",
                                 "/speakers/Nobody", "/no/such/page"])
def test_unknown_ids_are_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "<h1>Not found</h1>" in response.get_data(as_text=True)


def test_speaker_page_checks_its_parameters(client):
    assert client.get("/speakers/Councillor Jan Reed?page=0").status_code == 400
    assert client.get("/api/speakers/Councillor Jan Reed?q=" + "a" * 5000).status_code == 400
    assert client.get('/speakers/Councillor Jan Reed?q="open').status_code == 400
    assert client.get("/api/speakers/Councillor Jan Reed?sort=newest").status_code == 400


def test_record_apis_reject_unknown_parameters(client):
    assert client.get("/api/items/kingston:item:508?foo=1").status_code == 400
    assert client.get("/api/committees?foo=1").status_code == 400
    assert client.get("/api/items/kingston:item:508?utm_source=x").status_code == 200


TRACKING = ["fbclid=x", "gclid=x", "mc_cid=x&mc_eid=y", "igshid=x", "msclkid=x", "_ga=1.2.3", "ref=twitter",
            "si=abc", "utm_source=x", "colour=red"]
SHARED = ["/", "/search?q=foster", "/items/kingston:item:508", "/meetings/kingston:meeting:100",
          "/speakers/Councillor%20Jan%20Reed", "/committees/kingston:committee:7", "/trends?q=budget",
          "/councillors", "/committees", "/topics", "/status", "/export"]


@pytest.mark.parametrize("url", SHARED)
@pytest.mark.parametrize("decoration", TRACKING)
def test_shared_links_with_decorations_land_on_the_page(client, url, decoration):
    joined = url + ("&" if "?" in url else "?") + decoration
    response = client.get(joined, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.request.path + ("?" + response.request.query_string.decode()
                                    if response.request.query_string else "") == url.replace("%20", " ")


def test_decorated_link_redirects_to_the_canonical_url_keeping_the_search(client):
    response = client.get("/search?q=foster&fbclid=abc&speaker=Councillor+Jan+Reed")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search?q=foster&speaker=Councillor+Jan+Reed"


def test_wrong_method_is_405_in_both_shapes(client):
    assert client.post("/search").status_code == 405
    response = client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_missing_index_is_503_with_an_explanation(empty_app):
    client = empty_app.test_client()
    response = client.get("/api/search?q=foster")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "crawl" in response.get_json()["error"] or "index" in response.get_json()["error"]
    html = client.get("/").get_data(as_text=True)
    assert "Search is not ready yet" in html


def test_rate_limit_answers_429_in_the_error_shape(data_dir):
    from searchsvc.config import Config
    from searchsvc.web import create_app
    from tests.web import sampledata
    from tests.web.served import time_left_in_the_minute

    base = sampledata.config(data_dir)
    config = Config(values={**base.values, "web.rate_limit_per_minute": 2}, sources=base.sources)
    client = create_app(config, {"TESTING": True}).test_client()
    time_left_in_the_minute()
    assert [client.get("/api/search?q=foster").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/search?q=foster")
    assert response.get_json()["status"] == 429 and int(response.headers["Retry-After"]) >= 1
    assert client.get("/items/kingston:item:508").status_code == 200  # record pages are not limited


query_text = st.text(alphabet=st.sampled_from(list('abc foster "():*-~^?!\\/&<>\'=+@AND OR NOT') + ["\x00", "é", "€"]),
                     max_size=40)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_text, extra=st.sampled_from(["", "&sort=newest", "&speaker=Councillor+Jan+Reed", "&year=2019"]))
def test_no_query_text_causes_a_server_error(client, q, extra):
    for path in ("/api/search", "/search"):
        response = client.get(f"{path}?q={quote(q)}{extra}")
        assert response.status_code in (200, 400), (q, response.get_data(as_text=True)[:300])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["committee", "speaker", "topic", "year", "source", "from", "to", "page", "per_page",
                             "sort", "procedural", "x"]),
       value=st.text(max_size=30))
def test_no_parameter_value_causes_a_server_error(client, name, value):
    response = client.get(f"/api/search?{name}={quote(value)}")
    assert response.status_code in (200, 400), (name, value, response.get_data(as_text=True)[:300])
