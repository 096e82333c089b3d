"""Generations on disk: build, verify, swap, prune, crash safety, incremental updates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from searchsvc.errors import SearchIndexError
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.index.store import META_FILE
from tests.index.index_model import make_doc, random_docs


def docs(n: int, start: int = 0, batch: int = 1, word: str = "river"):
    return [make_doc(i, text=f"{word} text {i}", batch=batch) for i in range(start, start + n)]


def test_build_full_publishes_a_verified_generation(store):
    assert store.current_generation() is None
    assert store.doc_count() == 0 and store.last_batch() is None and store.size_bytes() == 0
    gen = store.build_full(docs(5, batch=3), expected_count=5)
    assert store.current_generation() == gen
    assert (store.dir / "CURRENT").read_text().strip() == gen
    assert (store.path(gen) / META_FILE).is_file()
    assert store.doc_count() == 5
    assert store.last_batch() == 3
    assert store.size_bytes() > 0
    assert not [p for p in store.dir.iterdir() if p.name.endswith(".building")]


@pytest.mark.parametrize("procs", [1, 2])
def test_count_mismatch_keeps_the_previous_generation(tmp_path, procs):
    store = IndexStore(tmp_path, build_procs=procs)
    old = store.build_full(docs(3))
    with pytest.raises(SearchIndexError, match="3 items but 4 were expected"):
        store.build_full(docs(3), expected_count=4)
    assert store.current_generation() == old
    assert store.generations() == [old]
    assert not list(store.dir.glob("*.building"))


@pytest.mark.parametrize("procs", [1, 2])
def test_crash_inside_the_docs_iterator_keeps_serving(tmp_path, procs):
    store = IndexStore(tmp_path, build_procs=procs)
    old = store.build_full(docs(4))
    reader = IndexReader(store)

    def exploding():
        yield from docs(250)
        raise RuntimeError("catalog went away")

    with pytest.raises(RuntimeError, match="catalog went away"):
        store.build_full(exploding())
    assert store.current_generation() == old
    assert reader.search(SearchRequest(q="river")).total == 4
    assert store.generations() == [old]


def test_leftovers_of_a_killed_build_are_cleaned_next_time(tmp_path):
    store = IndexStore(tmp_path, build_procs=1)
    old = store.build_full(docs(2))
    junk = store.dir / "g20000101T000000000000.building"
    junk.mkdir()
    (junk / "MAIN_WRITELOCK").write_text("")
    (store.dir / ".CURRENT.999.tmp").write_text("g-half")
    new = store.build_full(docs(3))
    assert not junk.exists()
    assert not (store.dir / ".CURRENT.999.tmp").exists()
    assert store.generations() == sorted([old, new])


def test_sigkill_during_a_parallel_build(tmp_path):
    """A builder killed mid-way leaves the old generation live and no stray sub-writers."""
    store = IndexStore(tmp_path, build_procs=2)
    old = store.build_full(docs(3))
    pids_file = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import multiprocessing, sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from tests.index.index_model import make_doc
        from searchsvc.index import IndexStore

        def slow():
            for i in range(100000):
                if i == 600:
                    kids = [p.pid for p in multiprocessing.active_children()]
                    open({str(pids_file)!r}, "w").write(" ".join(map(str, kids)))
                if i > 600:
                    time.sleep(0.01)
                yield make_doc(i, text="river text")

        IndexStore({str(tmp_path)!r}, build_procs=2).build_full(slow())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while not pids_file.exists() or not pids_file.read_text().strip():
        assert time.time() < deadline and proc.poll() is None, "builder did not start"
        time.sleep(0.1)
    kids = [int(p) for p in pids_file.read_text().split()]
    assert kids, "expected sub-writer processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.current_generation() == old
    assert IndexReader(store).search(SearchRequest(q="river")).total == 3
    assert list(store.dir.glob("*.building"))
    for _ in range(50):  # the sub-writers die with their parent
        alive = [k for k in kids if Path(f"/proc/{k}").exists() and "zombie" not in _state(k)]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive
    store.build_full(docs(2))
    assert not list(store.dir.glob("*.building"))


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_prune_keeps_the_previous_generation_for_rollback(store):
    g1 = store.build_full(docs(1))
    g2 = store.build_full(docs(2))
    g3 = store.build_full(docs(3))
    assert store.generations() == [g2, g3]
    assert g1 not in store.generations()
    assert store.rollback() == g2
    assert store.current_generation() == g2
    assert store.doc_count() == 2


def test_update_adds_changes_and_deletes_in_one_commit(store):
    store.build_full(docs(5, batch=1))
    ix = store.open_index()
    before = ix.latest_generation()
    ix.close()
    changed = [make_doc(1, text="canal text changed", batch=7), make_doc(10, text="river new", batch=6)]
    stats = store.update(changed, ["t:item:3", "t:item:99"])
    assert (stats.added, stats.replaced, stats.deleted, stats.doc_count) == (1, 1, 1, 5)
    ix = store.open_index()
    assert ix.latest_generation() == before + 1  # exactly one commit
    ix.close()
    assert store.last_batch() == 7
    reader = IndexReader(store)
    ids = {h.id for h in reader.search(SearchRequest(q="river", per_page=100)).hits}
    assert ids == {"t:item:0", "t:item:2", "t:item:4", "t:item:10"}
    assert [h.id for h in reader.search(SearchRequest(q="canal")).hits] == ["t:item:1"]


def test_update_without_a_generation_builds_the_first(store):
    stats = store.update(docs(3), [])
    assert stats.created and stats.added == 3
    assert store.current_generation() == stats.generation
    assert store.doc_count() == 3


def test_update_while_another_writer_holds_the_lock(store):
    store.build_full(docs(2))
    ix = windex.open_dir(str(store.path(store.current_generation())))
    writer = ix.writer()
    try:
        with pytest.raises(SearchIndexError, match="Another process is writing"):
            store.update(docs(1, start=5), [])
    finally:
        writer.cancel()
        ix.close()


def test_searching_before_any_build_is_a_clear_error(store):
    with pytest.raises(SearchIndexError, match="no search index"):
        IndexReader(store).search(SearchRequest(q="river"))


def test_random_documents_round_trip(tmp_path):
    ds = random_docs(40, seed=5)
    store = IndexStore(tmp_path, build_procs=2)
    store.build_full(iter(ds), expected_count=40)
    reader = IndexReader(store)
    for d in ds[:10]:
        hit = reader.get(d.id)
        assert hit is not None
        assert (hit.title, hit.committee, hit.date, hit.topics, hit.speakers, hit.procedural, hit.batch) == (
            d.title, d.committee, d.date, d.topics, d.speakers, d.procedural, d.batch)
    assert reader.get("nope") is None
    assert reader.doc_count() == 40


def test_a_repeated_id_in_a_full_build_is_indexed_once(store):
    store.build_full([make_doc(1, text="river one"), make_doc(1, text="river two"), make_doc(2, text="river")],
                     expected_count=2)
    assert store.doc_count() == 2
    assert IndexReader(store).search(SearchRequest(q="river")).total == 2
