"""The first search after an index commit, without and with warming (searchsvc/index/warm.py).

    PYTHONPATH=. .venv/bin/python bench/first_query.py [--data bench/data/capacity-x7-seed1] [--commits 12]

Runs in process on a catalog and index that bench/capacity.py left (one reader, as one web
thread sees it). The reader first answers 48 queries of the ``make bench`` mix (the searches
people are making). Then, ``--commits`` times: one item is re-indexed (a commit, as a nightly
``index_update`` makes: a new index version), and the script times

- *noticing*: the next search, one of the 48 (with warming it is answered from the version the
  reader has while the new one warms; the script then waits for the warm to finish);
- *first new query*: a query of the mix not asked before, on the new version;
- *first repeated query*: another of the 48, on the new version.

and, for comparison, *steady new query*: queries not asked before on a version that has been
served for a while (result cache miss, view and searcher warm) — the "warm cold-cache query"
the first query after a commit should not exceed. Prints p50/p95/max (ms) for warm=False
(before) and warm=True (after), with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import queries
from bench.index_micro import requests
from bench.load import percentile
from searchsvc.catalog import Catalog
from searchsvc.index import IndexReader, IndexStore, item_doc

POPULAR = 48


def ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def stats(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):7.1f}  p95 {percentile(values, 95):7.1f}  max {max(values):7.1f}"


def run(store: IndexStore, doc, reqs: list, commits: int, warm: bool) -> dict[str, list[float]]:
    popular, fresh = reqs[:POPULAR], reqs[POPULAR:]
    reader = IndexReader(store, warm=warm)
    for r in popular:
        reader.search(r)
    out: dict[str, list[float]] = {"noticing": [], "first new query": [], "first repeated query": [],
                                   "steady new query": [], "the warm itself": []}
    n = 0
    for k in range(commits):
        store.update([doc], [])
        out["noticing"].append(ms(lambda k=k: reader.search(popular[k % POPULAR])))
        if reader.warmer is not None:
            while reader.warmer.running:
                time.sleep(0.01)
            out["the warm itself"].append(reader.warmer.last_seconds * 1000)
        out["first new query"].append(ms(lambda n=n: reader.search(fresh[n])))
        out["first repeated query"].append(ms(lambda k=k: reader.search(popular[(k + 7) % POPULAR])))
        for j in range(1, 4):  # the same version, served a while: fresh queries, cache misses
            out["steady new query"].append(ms(lambda j=j, n=n: reader.search(fresh[n + j])))
        for r in popular:  # people keep searching: the popular queries are cached again
            reader.search(r)
        n += 4
    reader.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data" / "capacity-x7-seed1")
    ap.add_argument("--commits", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    store = IndexStore(args.data / "work")
    with Catalog.in_dir(args.data / "work") as catalog:
        item, batch, meeting = next(iter(catalog.indexable_items()))
        doc = item_doc(item, meeting, batch, "Sample council")
    mix = queries.query_mix(queries.vocabulary(args.data / "vocab.sqlite", args.seed), POPULAR + 4 * args.commits + 4,
                            args.seed)
    reqs = requests(mix)
    print(f"{store.doc_count():,} items; {args.commits} commits; load average {os.getloadavg()[0]:.2f}")
    for warm in (False, True):
        got = run(store, doc, reqs, args.commits, warm)
        print(f"warm={warm} ({'after' if warm else 'before'}), ms:")
        for label, values in got.items():
            if values:
                print(f"  {label:<22} {stats(values)}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
