"""The index package's contract with whoosh3: it reads Whoosh internals for speed, so these
tests pin what it relies on — our BM25F equals Whoosh's own, the private attributes of the fast
posting reader still exist, and ranking does what a reader expects (a title beats the body)."""

from __future__ import annotations

import pytest
from whoosh import scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.index.facets import View
from searchsvc.index.matching import WHOOSH_INTERNALS, Evaluator, _decode, _decode_positions, first_position, read_term
from tests.index.index_model import make_doc, random_docs


@pytest.fixture(scope="module")
def updated_store(tmp_path_factory):
    """Several segments and deleted documents: what idf, lengths and docnums must survive."""
    store = IndexStore(tmp_path_factory.mktemp("contract"), build_procs=2)
    docs = random_docs(240, seed=7)
    store.build_full(iter(docs[:200]), expected_count=200)
    store.update(docs[200:], [d.id for d in docs[:15]])
    return store


def test_our_bm25f_scores_equal_whooshs_own(updated_store):
    ix = updated_store.open_index()
    try:
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            reader = searcher.reader()
            assert reader.has_deletions() and len(list(reader.leaf_readers())) > 1
            ev = Evaluator(View(("g", 1), reader), reader)
            checked = 0
            for field, text in [("body", "river"), ("body", "plan"), ("title", "river"), ("body_exact", "canal"),
                                ("body", "foster"), ("title", "garden"), ("body_exact", "planning")]:
                ours = ev.term_scores(field, text)
                assert ours, (field, text)
                # Whoosh scores each segment with a scorer on that segment's searcher (lengths) and
                # the top searcher's statistics (idf, average length), as its own collectors do.
                for sub, offset in searcher.leaf_searchers():
                    if (field, text.encode()) not in sub.reader():
                        continue
                    matcher = sub.postings(field, text, weighting=scoring.BM25F())
                    while matcher.is_active():
                        doc = offset + matcher.id()
                        assert ours[doc] == pytest.approx(matcher.score(), rel=1e-6), (field, text, doc)
                        checked += 1
                        matcher.next()
            assert checked > 100
    finally:
        ix.close()


def test_canary_whoosh_internals_the_fast_reader_uses_still_exist(updated_store):
    """If a whoosh3 upgrade renames these, fix matching._read_leaf: do not let it step postings."""
    ix = updated_store.open_index()
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            seen = 0
            for seg, _ in reader.leaf_readers():
                matcher = seg.postings("body", b"river")
                if isinstance(matcher, FilterMatcher):
                    matcher = matcher.child
                assert isinstance(matcher, W3LeafMatcher), f"postings are now {type(matcher).__name__}"
                for cls, names in WHOOSH_INTERNALS.items():
                    missing = [n for n in names if not hasattr(matcher, n)]
                    assert not missing, f"whoosh3 {cls.__name__} lost {missing}: the fast path needs them"
                seen += 1
            assert seen > 1
            # And the block reader agrees with stepping the matcher one posting at a time.
            fast = read_term(reader, View(("g", 1), reader).dead, "body", "river", positions=True)
            slow = []
            for seg, offset in reader.leaf_readers():
                m = seg.postings("body", b"river")
                while m.is_active():
                    slow.append((offset + m.id(), m.weight(), m.value()))
                    m.next()
            assert list(zip(fast.ids, fast.weights, fast.values)) == slow
    finally:
        ix.close()


def test_our_position_decoding_equals_whooshs_own(updated_store):
    """matching._decode and first_position read the encoding Whoosh's Positions format writes;
    if an upgrade changes it, these fail here rather than misplacing words in passages."""
    ix = updated_store.open_index()
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            checked = several = 0
            for field in ("body", "body_exact"):
                for text in list(reader.lexicon(field))[:400]:
                    data = read_term(reader, None, field, text.decode(), positions=True)
                    for value in data.values:
                        whoosh = _decode_positions(value)
                        assert _decode(value) == whoosh
                        assert first_position(value) == whoosh[0]
                        checked += 1
                        several += len(whoosh) > 1
            assert checked > 1000 and several > 100
            # Positions past one and two bytes, and an encoding it does not know: decoded in full.
            from whoosh.formats import Positions

            for positions in ([3], [300, 70_000], [5, 20_001, 2**31 - 5]):
                value = Positions().encode(positions)
                assert first_position(value) == positions[0] and _decode(value) == positions
            assert first_position(b"\x00\x00\x00\x01" + b"something else") is None
    finally:
        ix.close()


def test_a_title_match_outranks_a_body_match(store):
    filler = " ".join(["report"] * 30)
    store.build_full([
        make_doc(1, title="Minutes of the meeting", text=f"{filler} library {filler}"),
        make_doc(2, title="Library opening hours", text=f"{filler} hours {filler}"),
        make_doc(3, title="Other business", text="library library library"),
    ])
    reader = IndexReader(store)
    hits = reader.search(SearchRequest(q="library")).hits
    assert hits[0].id == "t:item:2"
    assert [h.id for h in hits][1:] == ["t:item:3", "t:item:1"]


def test_exact_word_forms_outrank_stemmed_forms(store):
    """``planning`` finds "plans" too (stemming), but items saying "planning" come first."""
    others = [make_doc(n, title=f"Item {n}", text="Budget monitoring and the library service.") for n in range(4, 30)]
    store.build_full([
        make_doc(1, title="Local plan review", text="The plan and its plans were planned."),
        make_doc(2, title="Applications", text="The application went to planning."),
        make_doc(3, title="Local plan update", text="Plans, plans and plans."),
        *others,
    ])
    reader = IndexReader(store)
    ids = [h.id for h in reader.search(SearchRequest(q="planning")).hits]
    assert set(ids) == {"t:item:1", "t:item:2", "t:item:3"}
    assert ids[0] == "t:item:2"


def test_a_committee_name_match_outranks_a_body_match(store):
    others = [make_doc(n, title=f"Item {n}", text="Budget monitoring and the library service.") for n in range(3, 30)]
    store.build_full([
        make_doc(1, title="Budget", text="The licensing of taxis was noted in passing.", committee="Cabinet"),
        make_doc(2, title="Taxi fares", text="Fares were set.", committee="Licensing Committee"),
        *others,
    ])
    reader = IndexReader(store)
    assert [h.id for h in reader.search(SearchRequest(q="licensing")).hits] == ["t:item:2", "t:item:1"]


def test_scoring_a_few_candidates_gives_the_scores_of_scoring_all(updated_store):
    """A filtered search scores its candidates alone (matching.Evaluator._rows, by bisection in
    the postings); each must get exactly the score a full pass gives it, deletions and segments
    included."""
    import random

    ix = updated_store.open_index()
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            rng = random.Random(3)
            checked = 0
            for field, text in [("body", "river"), ("body", "plan"), ("body_exact", "canal"), ("title", "garden")]:
                full_ev = Evaluator(View(("g", 1), reader), reader)
                full = full_ev.term_scores(field, text)
                exact_full = full_ev.exact_scores(text) if field == "body_exact" else {}
                docs = sorted(full)
                for size in (1, 3, len(docs) // 5):
                    cands = frozenset(rng.sample(docs, size)) | frozenset(rng.sample(range(reader.doc_count_all()), 3))
                    part_ev = Evaluator(View(("g", 2), reader), reader)  # an empty memo: no full map to reuse
                    # (a map of every item may come back: what counts is each candidate's score)
                    part = part_ev.term_scores(field, text, cands)
                    assert {d: part[d] for d in cands if d in part} == {d: full[d] for d in cands if d in full}
                    if exact_full:  # a fresh memo: the candidates' postings are read from their blocks alone
                        got = Evaluator(View(("g", 3), reader), reader).exact_scores(text, cands)
                        assert {d: got[d] for d in cands if d in got} == {d: exact_full[d] for d in cands
                                                                          if d in exact_full}
                    checked += len(cands & frozenset(full))
            assert checked > 20
    finally:
        ix.close()


def test_reading_some_items_postings_decodes_their_blocks_and_gives_those_postings(tmp_path):
    """read_term(only=...) skips the blocks that cannot hold a wanted item (by each block's last
    docnum): asked for each block's last item, or a scatter of items, it gives exactly their postings."""
    store = IndexStore(tmp_path / "blocks", build_procs=1)
    store.build_full([make_doc(i, text=f"canal towpath {'lock ' * (i % 5)}{i}") for i in range(700)], expected_count=700)
    ix = store.open_index()
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            full = read_term(reader, None, "body", "canal", positions=True)
            lasts, blocks = set(), 0
            for seg, offset in reader.leaf_readers():
                m = seg.postings("body", b"canal")
                while m.is_active():
                    lasts.add(offset + m._maxid)
                    blocks += 1
                    if m._lastblock:
                        break
                    m._next_block()
            assert len(full.ids) == 700 and blocks > 3
            for some in (frozenset(lasts), frozenset(full.ids[::9]) | {10_000}, frozenset({full.ids[0]})):
                only = read_term(reader, None, "body", "canal", positions=True, only=some)
                assert list(zip(only.ids, only.weights, only.values)) == [
                    p for p in zip(full.ids, full.weights, full.values) if p[0] in some]
    finally:
        ix.close()
