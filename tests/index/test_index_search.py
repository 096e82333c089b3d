"""Searching: reopening rules, caching, errors, limits, snippets, suggestions, sorting."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.searching import Searcher

from searchsvc.errors import QueryError
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.records import Passage
from tests.index.index_model import make_doc


@pytest.fixture
def small(store):
    store.build_full([
        make_doc(1, title="Foster care review", text="Councillor Reed asked about foster carers.",
                 speaker="Councillor Jan Reed"),
        make_doc(2, title="Library opening hours", text="The library will open on Sundays & <b>holidays</b>."),
        make_doc(3, title="Budget", text="The budget for foster placements was agreed.", procedural=True),
    ])
    return store


# --- Searcher.refresh() regression --------------------------------------------------

def test_reader_sees_updates_and_merges_exactly(store):
    """``Searcher.refresh()`` after a merge returns every document twice and after an
    update the replaced version: the reader must reopen instead (this test fails
    if IndexReader used refresh())."""
    store.build_full([make_doc(i, text=f"canal boat {i}") for i in range(30)])
    reader = IndexReader(store)
    assert reader.search(SearchRequest(q="canal")).total == 30
    for k in range(12):  # many small segments, then an update whose commit merges them
        store.update([make_doc(100 + k, text="canal lock")], [])
    assert reader.search(SearchRequest(q="canal")).total == 42
    store.update([make_doc(5, text="river barge")], [])
    res = reader.search(SearchRequest(q="canal", per_page=100))
    assert res.total == 41 and len({h.id for h in res.hits}) == 41
    assert [h.id for h in reader.search(SearchRequest(q="barge")).hits] == ["t:item:5"]
    assert reader.doc_count() == 42


def test_reader_never_calls_searcher_refresh(store, monkeypatch):
    def refuse(self):
        raise AssertionError("Searcher.refresh() is broken in whoosh3 3.54; reopen instead")

    monkeypatch.setattr(Searcher, "refresh", refuse)
    store.build_full([make_doc(1, text="canal")])
    reader = IndexReader(store)
    reader.search(SearchRequest(q="canal"))
    store.update([make_doc(2, text="canal")], [])
    assert reader.search(SearchRequest(q="canal")).total == 2
    store.build_full([make_doc(3, text="canal")])
    assert reader.search(SearchRequest(q="canal")).total == 1


# --- rebuilds under load ----------------------------------------------------------------

def test_reader_threads_keep_answering_during_rebuilds(tmp_path):
    store = IndexStore(tmp_path, build_procs=2)
    first = [make_doc(i, text=f"river text {i}") for i in range(200)]
    store.build_full(first)
    reader = IndexReader(store, cache_size=0)
    stop = threading.Event()
    errors, totals = [], []

    def hammer():
        while not stop.is_set():
            try:
                totals.append(reader.search(SearchRequest(q="river", committee=("cabinet",))).total)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for n in (150, 250, 220):
            store.build_full([make_doc(i, text=f"river text {i}") for i in range(n)])
        store.update([make_doc(999, text="river")], [])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    assert totals and min(totals) >= 150
    assert reader.search(SearchRequest(q="river")).total == 221


# --- result cache -------------------------------------------------------------------------

def test_results_are_cached_until_the_index_changes(small):
    reader = IndexReader(small)
    req = SearchRequest(q="library")
    first = reader.search(req)
    assert reader.search(SearchRequest(q="library")) is first
    small.update([make_doc(4, text="library fines")], [])
    again = reader.search(req)
    assert again is not first and again.total == 2
    small.build_full([make_doc(5, text="library")])
    assert reader.search(req).total == 1
    assert len(reader.cache) == 1


def test_cache_size_zero_disables_caching(small):
    reader = IndexReader(small, cache_size=0)
    req = SearchRequest(q="library")
    assert reader.search(req) is not reader.search(req)


# --- errors and limits ----------------------------------------------------------------------

BROKEN = {
    'foster "care': "The quotation mark after 'foster' is never closed.",
    '"foster care': "The quotation mark before 'foster' is never closed.",
    "(foster OR care": "The bracket opened",
    "foster) care": "closing bracket",
    "foo:bar": "There is no field called 'foo'",
    "*ing": "cannot start with a wildcard",
    "foster AND": "'AND' needs a word after it",
    "OR foster": "'OR' needs a word before it",
    "foster NOT": "'NOT' needs a word after it",
    "the of and": "no words to look for",
    "()": "The brackets are empty",
    '""': "The quotation marks are empty",
    "foster~2": "only works after a quoted phrase",
    "foster^2": "Boosting",
    "[2019 TO 2020]": "Square brackets",
    '"foster care"~x': "Put a number after the ~",
    "committee: Cabinet": "Put the value straight after 'committee:'",
}


@pytest.mark.parametrize("q", list(BROKEN))
def test_broken_queries_explain_themselves(small, q):
    with pytest.raises(QueryError) as e:
        IndexReader(small).search(SearchRequest(q=q))
    assert BROKEN[q] in str(e.value)


@pytest.mark.parametrize("kw,msg", [
    ({"per_page": 101}, "between 1 and 100"),
    ({"per_page": 0}, "between 1 and 100"),
    ({"page": 0}, "1 or more"),
    ({"page": 101, "per_page": 100}, "10,000 items deep"),
    ({"sort": "random"}, "Unknown sort"),
    ({"date_from": date(2021, 1, 1), "date_to": date(2020, 1, 1)}, "after the 'to' date"),
    ({"year": ("20x1",)}, "is not a year"),
])
def test_request_limits(small, kw, msg):
    with pytest.raises(QueryError, match=msg):
        IndexReader(small).search(SearchRequest(q="library", **kw))


def test_wildcard_expansion_limit(store):
    words = " ".join(f"ab{i:04d}" for i in range(1100))
    store.build_full([make_doc(1, text=words), make_doc(2, text="abacus")])
    reader = IndexReader(store)
    with pytest.raises(QueryError, match="Too many words start with 'ab'"):
        reader.search(SearchRequest(q="ab*"))
    assert reader.search(SearchRequest(q="aba*")).total == 1
    assert reader.search(SearchRequest(q="ab10*")).total == 1


QUERY_ALPHABET = st.sampled_from(list('abcfoster "()*-:~^[]{}+') + ["AND ", "OR ", "NOT ", "speaker:", "title:",
                                                                     "committee:", "topic:", "foo:", "foster "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(QUERY_ALPHABET, max_size=12))
def test_any_query_text_gives_a_result_or_a_query_error(small, parts):
    reader = IndexReader(small)
    try:
        res = reader.search(SearchRequest(q="".join(parts)))
    except QueryError as e:
        assert str(e)
    else:
        assert res.total >= 0


# --- results ----------------------------------------------------------------------------------

def test_snippets_are_escaped_and_marked(small):
    res = IndexReader(small).search(SearchRequest(q="holidays library"))
    snip = res.hits[0].snippets[0]
    assert snip.anchor == "p1"
    assert "&amp;" in snip.html and "&lt;b&gt;" in snip.html
    assert "<mark>holidays</mark>" in snip.html and "<mark>library</mark>" in snip.html
    assert snip.html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert snip.text == "The library will open on Sundays & <b>holidays</b>."


def test_phrase_highlight_and_speakers(small):
    res = IndexReader(small).search(SearchRequest(q='speaker:Reed "foster carers"'))
    assert res.total == 1
    snip = res.hits[0].snippets[0]
    assert "<mark>foster carers</mark>" in snip.html
    assert snip.speakers == ("Councillor Jan Reed",)


def test_long_passages_are_cut_around_the_first_match(store):
    text = " ".join(["filler"] * 200) + " the kingfisher nests here " + " ".join(["filler"] * 200)
    store.build_full([make_doc(1, text=text)])
    snip = IndexReader(store).search(SearchRequest(q="kingfisher")).hits[0].snippets[0]
    assert snip.text.startswith("…") and snip.text.endswith("…")
    assert "<mark>kingfisher</mark>" in snip.html and len(snip.text) < 320


def test_procedural_items_only_on_request(small):
    reader = IndexReader(small)
    assert {h.id for h in reader.search(SearchRequest(q="foster")).hits} == {"t:item:1"}
    got = reader.search(SearchRequest(q="foster", include_procedural=True))
    assert {h.id for h in got.hits} == {"t:item:1", "t:item:3"}
    assert any(h.procedural for h in got.hits)


def test_did_you_mean(store):
    store.build_full([make_doc(i, text="the library opens early") for i in range(6)])
    reader = IndexReader(store)
    res = reader.search(SearchRequest(q="libary hours"))
    assert res.total == 0 and res.suggestion == "library hours"
    assert reader.search(SearchRequest(q="library")).suggestion is None


def test_sorting_and_browsing(store):
    store.build_full([make_doc(i, text="river " * (i + 1), date=date(2020, 1, 10 - i)) for i in range(5)])
    reader = IndexReader(store)
    ids = lambda res: [h.id[-1] for h in res.hits]  # noqa: E731
    assert ids(reader.search(SearchRequest(q="river", sort="newest"))) == ["0", "1", "2", "3", "4"]
    assert ids(reader.search(SearchRequest(q="river", sort="oldest"))) == ["4", "3", "2", "1", "0"]
    browse = reader.search(SearchRequest())
    assert browse.sort == "newest" and ids(browse) == ["0", "1", "2", "3", "4"]
    rel = reader.search(SearchRequest(q="river"))
    assert rel.sort == "relevance" and rel.hits[0].score >= rel.hits[-1].score
    page2 = reader.search(SearchRequest(sort="oldest", page=2, per_page=2))
    assert ids(page2) == ["2", "1"] and page2.total == 5 and page2.pages == 3


def test_version_changes_with_each_commit(small):
    reader = IndexReader(small)
    v1 = reader.version()
    small.update([make_doc(9, text="x ray")], [])
    v2 = reader.version()
    assert v1 != v2 and v1.split("/")[0] == v2.split("/")[0]


# --- speaker filter ----------------------------------------------------------------

def test_a_speaker_filter_restricts_the_words_to_that_speakers_passages(store):
    reed, smith = "Councillor Jan Reed", "Councillor Tom Smith"
    both = make_doc(1, passages=(Passage("p1", "Reed worried about the library budget.", (reed,)),
                                 Passage("p2", "Smith spoke up for foster carers.", (smith,))),
                    speakers=(reed, smith))
    reed_foster = make_doc(2, text="Foster carers need more support, Reed said.", speaker=reed)
    store.build_full([both, reed_foster])
    reader = IndexReader(store)
    ids = lambda **kw: [h.id for h in reader.search(SearchRequest(**kw)).hits]  # noqa: E731
    assert sorted(ids(q="foster")) == ["t:item:1", "t:item:2"]
    assert ids(q="foster", speaker=("Reed",)) == ["t:item:2"]
    assert sorted(ids(q="foster", speaker=("Jan Reed", "Smith"))) == ["t:item:1", "t:item:2"]  # either said it
    assert ids(q="budget", speaker=("Reed",)) == ["t:item:1"]
    assert ids(q="budget", speaker=("Smith",)) == []
    assert sorted(ids(speaker=("Reed",))) == ["t:item:1", "t:item:2"]  # browsing: items Reed spoke in
    result = reader.search(SearchRequest(q="foster", speaker=("Reed",)))
    assert [s.anchor for s in result.hits[0].snippets] == ["p1"] and result.hits[0].snippets[0].speakers == (reed,)
    # The speaker facet still offers Smith (multi-select counts); each speaker counts the items
    # where their own passages say foster (what choosing them gives), not every item they spoke in.
    counts = {v.value: v.count for v in result.facets["speaker"]}
    assert counts[smith] == 1 and counts[reed] == 1


@given(st.dictionaries(st.integers(0, 60), st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.25, 3.0]), max_size=60),
       st.sets(st.integers(0, 60)), st.integers(1, 25), st.lists(st.integers(20200101, 20200105), min_size=61,
                                                                  max_size=61))
def test_the_page_of_best_scores_is_the_plain_ranking(scores, others, n, day):
    """top_scored cuts at the n-th best score before keying: the same order as keying every hit
    (score, then newest, then docnum), ties and unscored hits included."""
    from searchsvc.index.search import top_scored

    hits = frozenset(scores) | frozenset(others)
    plain = sorted(hits, key=lambda d: (scores.get(d, 0.0), day[d], -d), reverse=True)[:n]
    assert top_scored(scores, hits, n, day) == plain


def test_facets_with_more_values_than_codes_are_counted_too(store):
    # Facets are counted by one-byte value codes (index/facets.py, count_codes) up to 255 values,
    # and with a Counter beyond: both must give the same counts.
    docs = [make_doc(n, text="river works", committee=f"Committee {n % 300:03d}", topics=(f"T{n % 7}", f"U{n % 290}"))
            for n in range(600)]
    store.build_full(iter(docs))
    reader = IndexReader(store, cache_size=0)
    try:
        res = reader.search(SearchRequest(q="river"))
        assert res.total == 600
        assert {v.count for v in res.facets["committee"]} == {2}
        topics = {v.value: v.count for v in res.facets["topic"]}
        assert all(topics[f"T{i}"] in (85, 86) for i in range(7))
        assert sum(topics[f"T{i}"] for i in range(7)) == 600
        one = reader.search(SearchRequest(q="river", committee=("Committee 007",)))
        assert one.total == 2 and [v.count for v in one.facets["topic"]] == [1, 1, 1, 1]
    finally:
        reader.close()


def test_searches_take_turns_but_cached_answers_never_wait(small, monkeypatch):
    """``at_once=1``: a second search is computed only when the first is done, and a cached answer
    is given meanwhile (search.at_once; the real search runs inside the wrapper)."""
    import searchsvc.index.search as search_module

    real, entered, release = search_module._run, {}, threading.Event()

    def held(searcher, view, req, *args):
        entered.setdefault(req.q, threading.Event()).set()
        if req.q == "foster":
            assert release.wait(10)
        return real(searcher, view, req, *args)

    monkeypatch.setattr(search_module, "_run", held)
    reader = IndexReader(small, at_once=1)
    try:
        cached = reader.search(SearchRequest(q="library"))
        first = threading.Thread(target=reader.search, args=(SearchRequest(q="foster"),))
        first.start()
        entered.setdefault("foster", threading.Event()).wait(10)
        assert reader.search(SearchRequest(q="library")) == cached  # from the cache, while "foster" runs
        second = threading.Thread(target=reader.search, args=(SearchRequest(q="budget"),))
        second.start()
        second.join(0.3)
        assert "budget" not in entered  # waiting for its turn
        release.set()
        first.join(10)
        second.join(10)
        assert "budget" in entered and not second.is_alive()
    finally:
        release.set()
        reader.close()
