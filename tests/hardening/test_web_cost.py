"""Issue 18, items 6, 7 and 8: a request's cost, not just the count of requests, is bounded —
exports plan once without snippets, wildcards are bounded per query, the limiter weighs expensive
endpoints and covers every search (speaker pages too), only a few expensive requests run at once,
and a long URL of filter values no longer multiplies into a huge page."""

from __future__ import annotations

import string
from datetime import datetime
from urllib.parse import quote, urlencode

import pytest

from searchsvc.catalog import Catalog
from searchsvc.index import IndexStore, item_doc
from searchsvc.records import Item, Meeting, Passage
from searchsvc.web import create_app
from searchsvc.web.ratelimit import ExpensiveGate
from tests.hardening import hostile_archive as evil
from tests.web.served import time_left_in_the_minute


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return evil.build(tmp_path_factory.mktemp("web-cost") / "data")


def client(data_dir, **web):
    return create_app(evil.config(data_dir, **web), {"TESTING": True}).test_client()


# --- item 8: every search counts -------------------------------------------------------------------

def test_speaker_searches_count_against_the_limit(data_dir):
    web = client(data_dir, rate_limit_per_minute=3)
    speaker = quote(evil.SPEAKER)
    time_left_in_the_minute()
    statuses = [web.get(f"/api/speakers/{speaker}?q=budget").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert web.get(f"/speakers/{speaker}?q=budget").status_code == 429
    assert web.get(f"/speakers/{speaker}").status_code == 200  # the plain speaker page runs no query


@pytest.mark.parametrize("path", ["/api/speakers/%20?q=budget", "/speakers/%20%20", "/api/speakers/%09"])
def test_a_blank_speaker_name_is_not_the_unfiltered_search(data_dir, path):
    assert client(data_dir).get(path).status_code == 404


# --- item 6: cost, not count -------------------------------------------------------------------------

def test_exports_and_trends_weigh_more_in_the_budget(data_dir):
    web = client(data_dir, rate_limit_per_minute=20)
    time_left_in_the_minute()
    assert [web.get("/search.csv?q=budget").status_code for _ in range(3)] == [200, 200, 429]
    web = client(data_dir, rate_limit_per_minute=20)
    time_left_in_the_minute()
    assert [web.get("/trends?q=budget").status_code for _ in range(5)] == [200] * 4 + [429]


def test_a_csv_export_runs_one_search_without_snippets(data_dir):
    app = create_app(evil.config(data_dir), {"TESTING": True})
    reader = app.extensions["searchsvc"].reader
    asked = []
    search = reader.search
    reader.search = lambda req: asked.append(req) or search(req)  # the real search, watched
    text = app.test_client().get("/search.csv?q=budget&procedural=show").get_data(as_text=True)
    assert text.count("\n") == 1 + len(evil.ITEM_IDS)
    assert len(asked) == 1 and asked[0].snippets is False and asked[0].per_page >= 5000


def test_only_a_few_expensive_requests_run_at_once(data_dir):
    app = create_app(evil.config(data_dir), {"TESTING": True})
    hooks = app.before_request_funcs[None]
    gate = next(f.__self__ for f in hooks if isinstance(getattr(f, "__self__", None), ExpensiveGate))
    gate._wait = 0.1
    held = []
    for _ in range(1):  # one running...
        ctx = app.test_request_context("/trends?q=budget")
        ctx.push()
        gate.enter()
        held.append(ctx)
    try:
        answer = app.test_client().get("/search.csv?q=budget")  # ...the next waits, then is told to come back
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
        assert app.test_client().get("/api/search?q=budget").status_code == 200  # cheap ones pass
    finally:
        for ctx in reversed(held):
            gate.leave()
            ctx.pop()
    assert app.test_client().get("/search.csv?q=budget").status_code == 200


@pytest.fixture(scope="module")
def wordy_dir(tmp_path_factory):
    """An index whose minutes hold 8,000 distinct words, 300-odd for each letter."""
    data = tmp_path_factory.mktemp("wordy") / "data"
    data.mkdir()
    letters = string.ascii_lowercase
    words = [a + b + c + "x" for a in letters for b in letters for c in "aeioumnrst"][:8000]
    meeting = Meeting(source="evil", committee_id="9", committee_name="Wordy", meeting_id="90",
                      start=datetime(2024, 5, 9, 19, 0))
    items = [Item(source="evil", meeting_id="90", item_id=str(900 + n), position=n, number=f"{n}.", title="wordy",
                  minutes_paragraphs=(" ".join(words[n::40]),), passages=(Passage("p1", " ".join(words[n::40])),))
             for n in range(40)]
    with Catalog.in_dir(data) as catalog:
        batch = catalog.start_batch("test", "evil")
        catalog.upsert_source(evil.SOURCE, batch)
        catalog.upsert_meeting(meeting, batch)
        catalog.replace_items(meeting, items, batch)
        catalog.finish_batch(batch)
    IndexStore(data).build_full([item_doc(i, meeting, batch, "Wordy") for i in items], expected_count=len(items))
    return data


def test_many_ored_prefixes_are_bounded_in_total(wordy_dir):
    web = client(wordy_dir)
    assert web.get("/api/search?q=ab*").status_code == 200  # one wildcard: fine
    q = " OR ".join(f"{c}*" for c in string.ascii_lowercase)
    answer = web.get(f"/api/search?{urlencode({'q': q})}")
    assert answer.status_code == 400 and "stand for more than 4,000 words" in answer.get_json()["error"]


# --- item 7: amplification --------------------------------------------------------------------------

def test_a_url_of_many_filter_values_is_refused_and_allowed_ones_stay_small(data_dir):
    web = client(data_dir)
    values = [(facet, f"{facet} value {i} " + "y" * 40) for facet in ("committee", "speaker", "topic", "source")
              for i in range(50)]
    answer = web.get(f"/search?{urlencode([('q', 'budget'), *values])}")  # 22 MB of HTML before
    assert answer.status_code == 400 and "at most 30 in all" in answer.get_data(as_text=True)
    # The most a request may now ask for: 30 values of the longest length allowed (200 characters).
    allowed = [(facet, f"{facet} {i:02d} ".ljust(200, "z")) for facet in ("committee", "speaker", "topic") for i in range(10)]
    page = web.get(f"/search?{urlencode([('q', 'budget'), *allowed])}")
    assert page.status_code == 200 and len(page.data) < 1_000_000, len(page.data)
