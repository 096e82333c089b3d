"""Warming: a reader built with ``warm=True`` switches to a new index version only once it is warm."""

from __future__ import annotations

import time

import searchsvc.index.search as search_module
from searchsvc.index import IndexReader, SearchRequest
from tests.index.index_model import make_doc


def until_warmed(reader: IndexReader) -> None:
    """Wait (bounded) for the background warm a search started."""
    for _ in range(400):
        if not reader.warmer.running:
            return
        time.sleep(0.025)
    raise AssertionError("the warm never finished")


def test_after_a_commit_the_new_items_are_found_and_the_first_search_is_already_answered(store):
    store.build_full([make_doc(i, text=f"canal boat {i}") for i in range(30)])
    reader = IndexReader(store, warm=True)
    canal = SearchRequest(q="canal")
    assert reader.search(canal).total == 30
    store.update([make_doc(100 + k, text="canal lock") for k in range(12)], [])
    # The search that notices the commit is answered from the version it has, while the new one warms.
    assert reader.search(SearchRequest(q="boat")).total == 30
    until_warmed(reader)
    hits = reader.cache.hits
    result = reader.search(canal)
    assert result.total == 42
    assert reader.cache.hits == hits + 1  # replayed on the new version before the switch
    assert result.facets and reader.search(SearchRequest(q="lock")).total == 12


def test_after_a_swap_threads_switch_to_the_new_generation(store):
    store.build_full([make_doc(i, text="canal") for i in range(5)])
    reader = IndexReader(store, warm=True)
    assert reader.search(SearchRequest(q="canal")).total == 5
    store.build_full([make_doc(i, text="river") for i in range(7)])
    reader.search(SearchRequest(q="canal"))
    until_warmed(reader)
    assert reader.search(SearchRequest(q="river")).total == 7
    assert reader.search(SearchRequest(q="canal")).total == 0


def test_a_failed_warm_still_lets_readers_reach_the_new_version(store, monkeypatch):
    store.build_full([make_doc(i, text="canal") for i in range(5)])
    reader = IndexReader(store, warm=True)
    assert reader.search(SearchRequest(q="canal")).total == 5

    def broken(*args):
        raise OSError("disk went away")

    monkeypatch.setattr(search_module, "warm_view", broken)
    store.update([make_doc(50, text="canal")], [])
    reader.search(SearchRequest(q="boat"))
    until_warmed(reader)
    assert reader.search(SearchRequest(q="canal")).total == 6


def test_a_servers_first_version_is_warmed_once_and_early_searches_wait_for_it(store, monkeypatch):
    """A worker at start (``warm_first``): searches arriving during the warm wait for it instead
    of each building the version's facet arrays and field lengths again."""
    import threading

    store.build_full([make_doc(i, text=f"canal boat {i}") for i in range(20)])
    built: list[object] = []

    class CountedView(search_module.View):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            built.append(self)

    release = threading.Event()
    real_warm = search_module.warm_view

    def slow_warm(*args):
        assert release.wait(10)
        real_warm(*args)

    monkeypatch.setattr(search_module, "View", CountedView)
    monkeypatch.setattr(search_module, "warm_view", slow_warm)
    reader = IndexReader(store, warm=True)
    assert reader.warm_first()
    totals: list[int] = []
    threads = [threading.Thread(target=lambda: totals.append(reader.search(SearchRequest(q="canal")).total))
               for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    assert totals == []  # waiting for the warm, not building their own
    release.set()
    for t in threads:
        t.join(10)
    assert totals == [20] * 4
    assert len(built) == 1  # the warm's view, shared by every thread
    assert not reader.warm_first()  # once published, nothing more to warm at start


def test_the_warm_builds_every_per_version_structure_a_search_with_words_reads(store):
    """Field lengths for BM25 took ~0.25 s per field at 43k items: a field the warm missed made
    the first search with words on each worker pay for it (body_exact, read by the exact-form bonus)."""
    store.build_full([make_doc(i, title=f"Canal {i}", text=f"canal boat {i}", speaker="Cllr Reed") for i in range(20)])
    reader = IndexReader(store, warm=True)
    assert reader.warm_first()
    until_warmed(reader)
    _, view = reader._acquire()
    built = set(view._lengths), set(view._arrays), set(view._codes), set(view._markers), set(view._value_docs)
    for q in ("canal", '"canal boat"', "title:canal", "canal OR boat", "speaker:Reed canal"):
        assert reader.search(SearchRequest(q=q)).total, q
    assert (set(view._lengths), set(view._arrays), set(view._codes), set(view._markers),
            set(view._value_docs)) == built
