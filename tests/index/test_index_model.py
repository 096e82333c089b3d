"""Model-based tests: a real index of 300 random items against a plain-Python oracle."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date

import pytest

from searchsvc.index import SearchRequest
from tests.index import index_model as m


def all_ids(reader, **kw) -> tuple[set[str], int]:
    ids, page, total = [], 1, None
    while True:
        res = reader.search(SearchRequest(per_page=100, page=page, include_procedural=True, **kw))
        total = res.total
        ids += [h.id for h in res.hits]
        if len(ids) >= total or not res.hits:
            break
        page += 1
    assert len(ids) == len(set(ids)), "a hit appeared twice"
    return set(ids), total


def expected(records, pred, **filters) -> set[str]:
    out = set()
    for r in records:
        d = r.doc
        if filters.get("date_from") and d.date < filters["date_from"]:
            continue
        if filters.get("date_to") and d.date > filters["date_to"]:
            continue
        if pred(r):
            out.add(d.id)
    return out


def cases():
    rng = random.Random(99)
    docs = m.random_docs(300, seed=1234)
    v = m.VOCAB
    out = []
    for w in rng.sample(v, 12) + ["planning", "Plans", "FOSTER"]:
        out.append((w, m.word(w)))
    passages = [p.text.split() for d in docs for p in d.passages if len(p.text.split()) >= 3]
    for _ in range(10):
        toks = rng.choice(passages)
        i = rng.randrange(len(toks) - 1)
        n = rng.choice((2, 2, 3)) if i + 2 < len(toks) else 2
        ph = " ".join(toks[i : i + n])
        if len(set(ph.split())) == len(ph.split()):
            out.append((f'"{ph}"', m.phrase(ph)))
    for a, b in [("apple", "bridge"), ("river", "canal"), ("foster", "care")]:
        out.append((f'"{a} {b}"~3', m.phrase(f"{a} {b}", 3)))
    for _ in range(6):
        a, b, c = rng.sample(v, 3)
        out += [
            (f"{a} {b}", m.AND(m.word(a), m.word(b))),
            (f"{a} AND {b}", m.AND(m.word(a), m.word(b))),
            (f"{a} OR {b}", m.OR(m.word(a), m.word(b))),
            (f"{a} -{b}", m.AND(m.word(a), m.NOT(m.word(b)))),
            (f"{a} NOT {b}", m.AND(m.word(a), m.NOT(m.word(b)))),
            (f"({a} OR {b}) {c}", m.AND(m.OR(m.word(a), m.word(b)), m.word(c))),
            (f"{a} OR {b} {c}", m.OR(m.word(a), m.AND(m.word(b), m.word(c)))),
        ]
    out += [
        ("-apple", m.NOT(m.word("apple"))),
        ("NOT apple", m.NOT(m.word("apple"))),
        ("title:river", m.title_word("river")),
        ("title:(apple OR bridge)", m.OR(m.title_word("apple"), m.title_word("bridge"))),
        ('committee:"planning committee"', lambda r: r.doc.committee == "Planning Committee"),
        ("committee:Cabinet river", m.AND(lambda r: r.doc.committee == "Cabinet", m.word("river"))),
        ("topic:housing", lambda r: "Housing" in r.doc.topics),
        ("pl*", m.prefix("pl")), ("ca*", m.prefix("ca")), ("wa* OR riv*", m.OR(m.prefix("wa"), m.prefix("riv"))),
        ("speaker:Reed", m.spoke("Reed")),
        ("speaker:Ree", lambda r: False),
        ("speaker:Reed OR river", m.OR(m.spoke("Reed"), m.word("river"))),
    ]
    for name in ["Reed", "Jan Reed", "Councillor Jan Reed", "reed", "Smith", "Balfour", "Head of Early Help",
                 "Reedham", "Ree"]:
        for w in rng.sample(v, 3):
            out.append((f'speaker:"{name}" {w}', m.AND(m.spoke(name), m.spoken(name, w))))
        a, b = rng.sample(v, 2)
        out.append((f'speaker:"{name}" {a} -{b}',
                     m.AND(m.spoke(name), m.spoken(name, a), m.NOT(m.spoken(name, b)))))
    for toks in rng.sample(passages, 6):
        out.append((f'speaker:Reed "{toks[0]} {toks[1]}"', m.AND(m.spoke("Reed"), m.spoken("Reed", f"{toks[0]} {toks[1]}", "phrase"))))
    out += [
        ("speaker:Reed pl*", m.AND(m.spoke("Reed"), m.spoken("Reed", "pl", "prefix"))),
        ("(speaker:Reed OR speaker:Balfour) river",
         m.AND(m.OR(m.spoke("Reed"), m.spoke("Balfour")),
               m.OR(m.spoken("Reed", "river"), m.spoken("Balfour", "river")))),
        ("speaker:Smith speaker:Balfour river",
         m.AND(m.spoke("Smith"), m.spoke("Balfour"), m.spoken("Smith", "river"), m.spoken("Balfour", "river"))),
    ]
    return out


@pytest.mark.parametrize("q,pred", cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_query_matches_oracle(model_reader, records, q, pred):
    got, total = all_ids(model_reader, q=q)
    want = expected(records, pred)
    assert total == len(got)
    assert got == want, f"{q!r}: missing {sorted(want - got)[:5]}, extra {sorted(got - want)[:5]}"


@pytest.mark.parametrize("q", ["river", "", '"apple bridge"~4', "speaker:Reed apple"])
@pytest.mark.parametrize("dates", [(date(2016, 1, 1), date(2017, 12, 31)), (date(2020, 6, 1), None),
                                   (None, date(2015, 2, 28)), (date(2019, 3, 3), date(2019, 3, 3))])
def test_date_range_matches_oracle(model_reader, records, q, dates):
    lo, hi = dates
    pred = {"river": m.word("river"), "": lambda r: True, '"apple bridge"~4': m.phrase("apple bridge", 4),
            "speaker:Reed apple": m.AND(m.spoke("Reed"), m.spoken("Reed", "apple"))}[q]
    got, _ = all_ids(model_reader, q=q, date_from=lo, date_to=hi)
    assert got == expected(records, pred, date_from=lo, date_to=hi)


def test_procedural_items_hidden_by_default(model_reader, records):
    res = model_reader.search(SearchRequest(q="river", per_page=100))
    want = {r.doc.id for r in records if m.word("river")(r) and not r.doc.procedural}
    assert res.total == len(want)
    assert all(not h.procedural for h in res.hits)


def test_since_batch(model_reader, records):
    got, _ = all_ids(model_reader, since_batch=4)
    assert got == {r.doc.id for r in records if r.doc.batch > 4}


def _facet_oracle(records, pred, sel: dict[str, tuple[str, ...]], restricted=None, own=None) -> dict[str, Counter]:
    """Counters per facet. ``restricted`` is the query as narrowed by a speaker selection (the
    words must be in the selected speakers' passages); the speaker facet's own counts keep ``pred``.
    ``own(name)``: the query inside that one speaker's passages — with words, a speaker is
    counted only for items where it holds (what choosing that speaker returns)."""
    restricted = restricted or pred

    def value_ok(r, f, values) -> bool:
        d = r.doc
        if f == "committee":
            return d.committee.casefold() in {v.casefold() for v in values}
        if f == "speaker":
            return any(m.name_matches(s, v) for s in d.speakers for v in values)
        if f == "topic":
            return any(t.casefold() == v.casefold() for t in d.topics for v in values)
        if f == "year":
            return str(d.date.year) in values
        return d.source in values

    def values_of(r, f):
        d = r.doc
        return {"committee": [d.committee], "speaker": list(d.speakers), "topic": list(d.topics),
                "year": [str(d.date.year)], "source": [d.source]}[f]

    out = {}
    for f in ("committee", "speaker", "topic", "year", "source"):
        c = Counter()
        for r in records:
            if r.doc.procedural or not (pred if f == "speaker" else restricted)(r):
                continue
            if all(value_ok(r, g, vals) for g, vals in sel.items() if g != f):
                values = values_of(r, f)
                if f == "speaker" and own is not None:
                    values = [name for name in values if own(name)(r)]
                c.update(values)
        out[f] = c
    return out


FACET_CASES = [
    ("", {}),
    ("river", {}),
    ("river", {"committee": ("cabinet",)}),
    ("apple OR bridge", {"committee": ("Cabinet", "Planning Committee"), "year": ("2016", "2019")}),
    ("", {"speaker": ("Reed",), "topic": ("housing",)}),
    ("canal", {"speaker": ("Councillor Bob Smith", "Balfour"), "source": ("sutton",), "year": ("2020",)}),
    ("speaker:Reed apple", {"topic": ("Schools", "Roads")}),
]


@pytest.mark.parametrize("q,sel", FACET_CASES)
def test_facet_counts_match_counters(model_reader, records, q, sel):
    pred = m.word(q) if q and " " not in q and ":" not in q else (
        (lambda r: True) if not q else
        m.OR(m.word("apple"), m.word("bridge")) if q == "apple OR bridge" else
        m.AND(m.spoke("Reed"), m.spoken("Reed", "apple")))
    restricted = pred
    if q and sel.get("speaker"):  # a speaker filter narrows the words to that speaker's passages
        restricted = m.OR(*(m.spoken(name, q) for name in sel["speaker"]))
    own = None
    if q:  # the query inside one speaker's own passages
        own = {"apple OR bridge": lambda n: m.OR(m.spoken_by(n, "apple"), m.spoken_by(n, "bridge")),
               "speaker:Reed apple": lambda n: m.AND(m.spoke("Reed"), m.spoken_by(n, "apple"),
                                                     m.spoken("Reed", "apple"))}.get(q, lambda n: m.spoken_by(n, q))
    res = model_reader.search(SearchRequest(q=q, **sel))
    want = _facet_oracle(records, pred, sel, restricted, own)
    for f, values in res.facets.items():
        got = {v.value: v.count for v in values if v.count}
        assert got == dict(want[f]), f"facet {f}"
        counts = [(-v.count, v.value.casefold()) for v in values if v.count]
        assert counts == sorted(counts), f"facet {f} is not sorted by count, then value"
    # The total counts the items matching every selection; facet counts of an
    # unselected facet add up to at least that (an item can have several values).
    in_all = sum(1 for r in records if restricted(r) and not r.doc.procedural
                 and _matches_all(r, sel))
    assert res.total == in_all


def _matches_all(r, sel) -> bool:
    d = r.doc
    checks = {
        "committee": lambda vals: d.committee.casefold() in {v.casefold() for v in vals},
        "speaker": lambda vals: any(m.name_matches(s, v) for s in d.speakers for v in vals),
        "topic": lambda vals: any(t.casefold() == v.casefold() for t in d.topics for v in vals),
        "year": lambda vals: str(d.date.year) in vals,
        "source": lambda vals: d.source in vals,
    }
    return all(checks[f](vals) for f, vals in sel.items())


def test_selected_flags(model_reader):
    res = model_reader.search(SearchRequest(committee=("cabinet",), speaker=("Reed",)))
    committees = {v.value: v.selected for v in res.facets["committee"]}
    assert committees["Cabinet"] is True
    assert committees["Planning Committee"] is False
    speakers = {v.value: v.selected for v in res.facets["speaker"]}
    assert speakers["Councillor Jan Reed"] and speakers["Councillor Reed Smith"]
    assert not speakers.get("Councillor Mary Reedham", False)
    missing = model_reader.search(SearchRequest(committee=("No Such Committee",)))
    assert missing.total == 0
    assert FacetValue("No Such Committee", 0, True) in missing.facets["committee"]


from searchsvc.index import FacetValue  # noqa: E402


def test_attribution_is_per_passage(tmp_path):
    from searchsvc.index import IndexReader, IndexStore, ItemDoc
    from searchsvc.records import Passage

    doc = ItemDoc(
        id="t:item:1", source="t", committee="Cabinet", committee_id="1", meeting_id="t:meeting:1",
        date=date(2020, 1, 1), number="1.", title="Fostering",
        passages=(Passage("p1", "Councillor Reed asked about foster care.", ("Councillor Jan Reed",)),
                  Passage("p2", "The Director replied about adoption budgets.", ("The Director of Children's Services",))),
        speakers=("Councillor Jan Reed", "The Director of Children's Services"),
    )
    store = IndexStore(tmp_path, build_procs=1)
    store.build_full([doc])
    reader = IndexReader(store)
    assert reader.search(SearchRequest(q='speaker:"Reed" foster')).total == 1
    assert reader.search(SearchRequest(q='speaker:"Reed" adoption')).total == 0
    assert reader.search(SearchRequest(q='speaker:"Reed" budget')).total == 0
    assert reader.search(SearchRequest(q='speaker:Director budget')).total == 1
    assert reader.search(SearchRequest(q='speaker:Director foster')).total == 0
    assert reader.search(SearchRequest(q='speaker:Reed "foster care"')).total == 1
    assert reader.search(SearchRequest(q='speaker:Reed "about adoption"')).total == 0
    assert reader.search(SearchRequest(q="speaker:Reed adop*")).total == 0
    assert reader.search(SearchRequest(q="adoption foster")).total == 1
    res = reader.search(SearchRequest(q='speaker:"Jan Reed" foster'))
    assert [s.anchor for s in res.hits[0].snippets] == ["p1"]
    assert res.hits[0].snippets[0].speakers == ("Councillor Jan Reed",)
    # The Director spoke in the item, but not about foster: choosing them would give nothing.
    assert res.facets["speaker"] == (FacetValue("Councillor Jan Reed", 1, False),)


# --- the oracle after an update, deletions and eviction of cached posting data ---------------

ORACLE_QUERIES = [(q, pred) for q, pred in cases()
                  if q in ("river", "planning", "Plans", '"apple bridge"~3', "pl*", "-apple", "title:river",
                           "committee:Cabinet river", "speaker:Reed", "topic:housing")
                  or q.startswith(('speaker:"Reed"', 'speaker:"Balfour"', "(speaker:Reed OR"))]


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """The model index after a nightly-style update: 40 items changed, 30 deleted, 20 added."""
    from searchsvc.index import IndexStore

    docs = m.random_docs(300, seed=1234)
    fresh = m.random_docs(360, seed=4321)
    changed = [dataclasses.replace(fresh[i], id=docs[i].id) for i in range(0, 80, 2)]
    added = [dataclasses.replace(d, id=f"new:item:{i}") for i, d in enumerate(fresh[300:320])]
    deleted = [d.id for d in docs[100:130]]
    store = IndexStore(tmp_path_factory.mktemp("updated"), build_procs=2)
    store.build_full(iter(docs), expected_count=len(docs))
    store.update(changed + added, deleted)
    by_id = {d.id: d for d in docs}
    by_id.update({d.id: d for d in changed + added})
    for item_id in deleted:
        del by_id[item_id]
    return store, [m.record(d) for d in by_id.values()]


def _check_all(reader, records) -> None:
    for q, pred in ORACLE_QUERIES:
        got, total = all_ids(reader, q=q)
        want = expected(records, pred)
        assert total == len(got) and got == want, f"{q!r}: missing {sorted(want - got)[:5]}, extra {sorted(got - want)[:5]}"
    for q, sel in FACET_CASES[:4]:
        pred = m.word(q) if q and " " not in q else (lambda r: True) if not q else \
            m.OR(m.word("apple"), m.word("bridge"))
        own = None if not q else (lambda n: m.OR(m.spoken_by(n, "apple"), m.spoken_by(n, "bridge"))) \
            if " " in q else (lambda n, q=q: m.spoken_by(n, q))
        want = _facet_oracle(records, pred, sel, None, own)
        res = reader.search(SearchRequest(q=q, **sel))
        for f, values in res.facets.items():
            assert {v.value: v.count for v in values if v.count} == dict(want[f]), (q, sel, f)


def test_oracle_holds_after_updates_and_deletions(updated):
    from searchsvc.index import IndexReader

    store, records = updated
    reader = IndexReader(store)
    try:
        assert reader.doc_count() == len(records)
        _check_all(reader, records)
    finally:
        reader.close()


def test_oracle_holds_when_cached_posting_data_and_results_are_evicted(updated, monkeypatch):
    """A tiny memo budget and a one-entry result cache: every request re-reads postings."""
    from searchsvc.index import IndexReader
    from searchsvc.index import facets as facets_module

    store, records = updated
    monkeypatch.setattr(facets_module, "MEMO_BUDGET", 2_000)
    monkeypatch.setattr(facets_module, "_SET_CACHE", 2)
    reader = IndexReader(store, cache_size=1)
    try:
        _check_all(reader, records)
        _check_all(reader, records)  # second pass: whatever survived eviction must still be right
        view = next(iter(reader._views.values()))
        assert view._memo_size <= 2_000 or len(view._memo) == 1
    finally:
        reader.close()
