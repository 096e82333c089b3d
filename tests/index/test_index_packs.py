"""Segment packs (searchsvc/index/packs.py): searches read common terms from them, same results.

Real indexes on disk: the model archive built with a low pack threshold (so most words are
packed), then updated (a new segment and deleted items), against a copy of the same index with
its packs removed, which searches read from Whoosh alone.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil

import pytest

from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.index.packs import MAGIC, SUFFIX, open_packs
from tests.index.test_index_model import cases

MIN_DOCS = 5  # pack a term in at least 5 of a segment's items (the default is for real archives)


def _requests() -> list[SearchRequest]:
    reqs = [SearchRequest(q=q) for q, _ in cases()]
    reqs += [SearchRequest(q=q, speaker=(s,)) for q in ("river", "plan OR canal", '"river plan"')
             for s in ("Reed", "Jan Reed")]
    reqs += [SearchRequest(q="river", committee=("Planning Committee",)), SearchRequest(q="care", sort="newest"),
             SearchRequest(q="council", year=("2021",)), SearchRequest(q="plan", speaker=("Reed",), year=("2020",))]
    return reqs


def _answers(store: IndexStore) -> list:
    reader = IndexReader(store, cache_size=0)
    try:
        out = []
        for req in _requests():
            res = reader.search(req)
            out.append((req, res.total, [(h.id, h.score and round(h.score, 9)) for h in res.hits], res.facets))
        return out
    finally:
        reader.close()


@pytest.fixture(scope="module")
def packed(tmp_path_factory, model_docs) -> IndexStore:
    store = IndexStore(tmp_path_factory.mktemp("packed"), build_procs=2, pack_min_docs=MIN_DOCS)
    store.build_full(iter(model_docs), expected_count=len(model_docs))
    # A nightly update: changed items (a new segment, their old versions deleted) and deletions.
    changed = [dataclasses.replace(d, title=d.title + " river plan") for d in model_docs[:40]]
    store.update(changed, [d.id for d in model_docs[40:50]])
    return store


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory, packed) -> IndexStore:
    root = tmp_path_factory.mktemp("unpacked")
    shutil.copytree(packed.dir, root / "whoosh")
    for pack in (root / "whoosh").rglob("*" + SUFFIX):
        pack.unlink()
    return IndexStore(root)


def _segments(store: IndexStore) -> list[str]:
    ix = store.open_index()
    try:
        with ix.reader() as r:
            return [seg.segment().segment_id() for seg, _ in r.leaf_readers()]
    finally:
        ix.close()


def test_every_segment_has_a_pack_and_searches_open_them(packed):
    folder = packed.path(packed.current_generation())
    segments = _segments(packed)
    assert len(segments) >= 2  # the build's and the update's
    assert sorted(p.name for p in folder.glob("*" + SUFFIX)) == sorted(s + SUFFIX for s in segments)
    ix = packed.open_index()
    try:
        with ix.reader() as r:
            packs = open_packs(r)
            assert len(packs) == len(segments)
            assert packs.holds("body", "river") and packs.holds("body_exact", "river")
    finally:
        ix.close()


def test_searches_answer_the_same_with_and_without_packs(packed, unpacked):
    with_packs, without = _answers(packed), _answers(unpacked)
    assert any(total for _, total, _, _ in with_packs)
    for a, b in zip(with_packs, without):
        assert a == b, a[0]


def test_a_damaged_pack_is_logged_and_its_segment_read_from_the_index(tmp_path, packed, unpacked, caplog):
    root = tmp_path / "damaged"
    shutil.copytree(packed.dir, root / "whoosh")
    packs = sorted((root / "whoosh").rglob("*" + SUFFIX))
    packs[0].write_bytes(MAGIC + b"\xff\xff")  # a header length past the end
    packs[1].write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="searchsvc.index.packs"):
        got = _answers(IndexStore(root))
    assert got == _answers(unpacked)
    assert sum("cannot read the pack" in r.getMessage() for r in caplog.records) == 2


def test_a_merge_drops_the_packs_of_merged_segments_and_packs_the_new_one(tmp_path, model_docs):
    store = IndexStore(tmp_path / "data", build_procs=1, pack_min_docs=MIN_DOCS)
    store.build_full(iter(model_docs[:100]))
    for i in range(12):  # small updates: Whoosh merges the small segments as they pile up
        store.update([dataclasses.replace(d, title=f"{d.title} update{i}") for d in model_docs[100 + 10 * i:110 + 10 * i]],
                     [])
    folder = store.path(store.current_generation())
    assert sorted(p.name for p in folder.glob("*" + SUFFIX)) == sorted(s + SUFFIX for s in _segments(store))
    assert len(list(folder.glob("*" + SUFFIX))) < 13  # some segments were merged away, with their packs


def test_the_next_update_writes_a_damaged_or_older_pack_again(tmp_path, model_docs, unpacked):
    store = IndexStore(tmp_path / "data", build_procs=2, pack_min_docs=MIN_DOCS)
    store.build_full(iter(model_docs))
    folder = store.path(store.current_generation())
    packs = sorted(folder.glob("*" + SUFFIX))
    good = packs[0].read_bytes()
    packs[0].write_bytes(b"searchsvc pack 1\n" + good[len(MAGIC):])  # an older format
    packs[1].write_bytes(good[:100])  # cut short
    store.update([dataclasses.replace(model_docs[0], title="an update")], [])
    assert packs[0].read_bytes() == good
    ix = store.open_index()
    try:
        with ix.reader() as r:
            assert len(open_packs(r)) == len(_segments(store))
    finally:
        ix.close()
