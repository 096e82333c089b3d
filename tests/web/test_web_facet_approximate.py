"""Approximate speaker counts (over the index's work budget) are marked in the API and the page.

A word's speaker counts are always exact (they come with its postings); the budget bounds the
position checks of prefixes and phrases, so these searches use a prefix."""

from __future__ import annotations

from tests.web.sampledata import CRUTE, REED


def _tight(app) -> None:
    # The budget of position checks per search, injected: 0 leaves every unselected speaker whose
    # count needs checking at its item-level count (searchsvc/index/spoken.py). The answers cached
    # so far were made under the old budget, so both caches are emptied, and so is the version's
    # memo (which keeps each word's exact speaker pass for later searches).
    reader = app.extensions["searchsvc"].reader
    reader.spoken_budget = 0
    reader.cache.clear()
    reader._acquire()[1].drop_memo()
    app.extensions["searchsvc_responses"].clear()


def test_api_marks_counts_over_the_budget_and_only_those(app, client):
    exact = {v["value"]: v for v in client.get("/api/search?q=fost*").get_json()["facets"]["speaker"]}
    assert exact[REED]["approximate"] is False
    assert CRUTE not in exact  # he spoke in a foster item but never said it
    _tight(app)
    rough = {v["value"]: v for v in client.get("/api/search?q=fost*").get_json()["facets"]["speaker"]}
    assert rough[CRUTE]["approximate"] is True and rough[CRUTE]["count"] >= 1
    assert rough[REED]["approximate"] is True and rough[REED]["count"] >= exact[REED]["count"]


def test_a_selected_speaker_is_exact_under_any_budget(app, client):
    _tight(app)
    body = client.get("/api/search", query_string={"q": "fost*", "speaker": CRUTE}).get_json()
    crute = next(v for v in body["facets"]["speaker"] if v["value"] == CRUTE)
    assert (crute["count"], crute["approximate"], body["total"]) == (0, False, 0)


def test_page_shows_about_for_an_approximate_count(app, client):
    html = client.get("/search?q=fost*").get_data(as_text=True)
    assert "≈" not in html
    _tight(app)
    html = client.get("/search?q=fost*").get_data(as_text=True)
    assert '<span aria-hidden="true">≈</span><span class="visually-hidden">about </span>' in html
