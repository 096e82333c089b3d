"""The speaker facet's counts with search words (searchsvc/index/spoken.py): exact, or marked.

A real index of 300 random items (tests/index/conftest.py) against the plain-Python oracle.
The work budget is injected (``IndexReader(spoken_budget=…)``), so when counts turn
approximate is decided by the data, never by timing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from searchsvc.index import IndexReader, SearchRequest
from tests.index import index_model as m
from tests.index.test_index_model import cases

# Queries with words of every shape the speaker facet re-counts (word, phrase, AND/OR/NOT, prefix,
# a speaker: clause in the query), from the model tests' cases.
QUERIES = [(q, pred) for q, pred in cases()
           if not q.startswith(("committee:", "topic:", "title:")) and q not in ("-apple", "NOT apple")]


def _speakers(res) -> dict[str, tuple[int, bool]]:
    return {v.value: (v.count, v.approximate) for v in res.facets["speaker"]}


def _item_level(records, pred) -> Counter:
    """Items where the speaker spoke and the query matches anywhere in the item."""
    c: Counter = Counter()
    for r in records:
        if not r.doc.procedural and pred(r):
            c.update(r.doc.speakers)
    return c


@pytest.fixture(scope="module")
def unlimited(model_store):
    reader = IndexReader(model_store, spoken_budget=None)
    yield reader
    reader.close()


def test_both_fields_mark_passages_at_the_same_positions(model_reader):
    # One marker map serves `body` and `body_exact` clauses (View.passage_markers).
    searcher, view = model_reader._acquire()
    reader = searcher.reader()
    names, per_doc = view.passage_markers(reader, "body")
    assert any(flat is not None for flat in per_doc)
    assert (names, per_doc) == view.passage_markers(reader, "body_exact")


def _spoken_by(records, word: str) -> Counter:
    """Items where the speaker's own passage holds the word (the oracle of an exact count)."""
    c: Counter = Counter()
    for r in records:
        if not r.doc.procedural:
            c.update(name for name in r.doc.speakers if m.spoken_by(name, word)(r))
    return c


def test_within_the_default_budget_no_count_is_approximate(model_reader, unlimited, records):
    for q, _ in QUERIES:
        res = model_reader.search(SearchRequest(q=q))
        assert not any(v.approximate for f in res.facets.values() for v in f), q
        assert _speakers(res) == _speakers(unlimited.search(SearchRequest(q=q))), q
        if q.isalpha():  # one word: the oracle is simple
            assert {k: n for k, (n, _) in _speakers(res).items()} == dict(_spoken_by(records, q)), q


@pytest.mark.parametrize("budget", [0, 40, 80, 150])
def test_over_the_budget_counts_are_exact_or_marked_upper_bounds(model_store, unlimited, records, budget):
    tight = IndexReader(model_store, spoken_budget=budget)
    marked = exact_after_marked = 0
    try:
        for q, pred in QUERIES:
            exact = _speakers(unlimited.search(SearchRequest(q=q)))
            plain = _item_level(records, pred)
            got = _speakers(tight.search(SearchRequest(q=q)))
            for name, (n, approximate) in got.items():
                if approximate:
                    marked += 1
                    assert n == plain[name], (q, name)
                    assert n >= exact.get(name, (0, False))[0], (q, name)
                else:
                    assert (n, False) == exact[name], (q, name)
                    if q.isalpha():
                        assert n == _spoken_by(records, q)[name], (q, name)
            if any(a for _, a in got.values()) and any(not a for _, a in got.values()):
                exact_after_marked += 1
    finally:
        tight.close()
    assert marked, "the budget was never reached: the test would not see an approximate count"
    if budget > 40:  # (a prefix or phrase's largest speaker alone needs more than 40)
        assert exact_after_marked, "no search mixed exact and approximate counts"


def test_a_selected_speaker_is_counted_exactly_whatever_the_budget(model_store, records):
    # A prefix's positions are decoded item by item (a word's are not: see the next test), so a
    # budget of 0 leaves every unselected speaker at the plain count.
    stem, query = "riv", "riv*"
    in_passage = m.prefix(stem)
    plain = _item_level(records, in_passage)

    def spoken_by(name):
        return lambda r: any(name in sp and any(t.startswith(stem) for t in toks) for sp, _, toks in r.passages)

    spoken = {name: sum(1 for r in records if not r.doc.procedural and spoken_by(name)(r)) for name in plain}
    tight = IndexReader(model_store, spoken_budget=0)
    try:
        name = max((n for n in plain if spoken[n] < plain[n]), key=lambda n: plain[n])
        res = tight.search(SearchRequest(q=query, speaker=(name,)))
        facet = _speakers(res)
        assert facet[name] == (spoken[name], False)
        # ... and the filter itself is exact: the words in that speaker's own passages.
        assert res.total == sum(1 for r in records if not r.doc.procedural and m.spoken(name, stem, "prefix")(r))
        unselected = _speakers(tight.search(SearchRequest(q=query)))
        assert unselected[name] == (plain[name], True)
    finally:
        tight.close()


def test_a_word_s_counts_are_exact_whatever_the_budget(model_store, records):
    """Which speakers' passages hold a word comes with the word's postings (index/matching.py,
    ``read_ranked``; index/packs.py), so it costs no budget: a word's counts are always exact."""
    word = "river"
    tight = IndexReader(model_store, spoken_budget=0)
    try:
        got = _speakers(tight.search(SearchRequest(q=word)))
        assert got and not any(a for _, a in got.values())
        assert {k: n for k, (n, _) in got.items()} == dict(_spoken_by(records, word))
    finally:
        tight.close()


def test_a_word_s_whole_pass_serves_later_searches_with_the_same_counts(model_store, records):
    """A search with a word keeps which speakers' passages hold it (spoken.py, ``_whole``); later
    searches with that word, other filters or other words count from it: the same as fresh."""
    word = "river"
    reqs = [SearchRequest(q=word), SearchRequest(q=f"{word} plan"), SearchRequest(q=f"{word} OR canal"),
            SearchRequest(q=word, year=("2021",)), SearchRequest(q=word, committee=("Planning Committee",)),
            SearchRequest(q=f'"{word}"')]
    fresh_counts = []
    for req in reqs:
        fresh = IndexReader(model_store, spoken_budget=None)
        try:
            fresh_counts.append(_speakers(fresh.search(req)))
        finally:
            fresh.close()
    assert all(fresh_counts), "every search should count some speakers"
    assert {k: n for k, (n, _) in fresh_counts[0].items()} == dict(_spoken_by(records, word))
    for first in range(len(reqs)):  # whichever search meets the word first makes what the others use
        warm = IndexReader(model_store, spoken_budget=None)
        try:
            warm.search(reqs[first])
            for req, want in zip(reqs, fresh_counts):
                assert _speakers(warm.search(req)) == want, (reqs[first], req)
        finally:
            warm.close()
