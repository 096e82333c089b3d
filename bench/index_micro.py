"""The index alone, in process: where a search's time goes without HTTP, Flask or JSON.

    .venv/bin/python bench/index_micro.py [--data bench/data/default-x7-seed1] [--queries 240]
                                          [--profile] [--micro]

Runs on the data a ``make bench`` run left under bench/data/ (its index and its Datasette
database, from which the same seeded query mix is drawn) and prints, per query kind, p50/p95
of ``IndexReader.search`` with the result cache off: *from disk* (the per-version memo of
posting data emptied before every query: what a query costs the first time its words are
seen), *steady* (memo kept: words seen before), then *warm* (result cache on, second pass).
The difference between these figures and ``make bench``'s HTTP figures is the web layer.

``--profile`` runs the from-disk pass under cProfile and prints the top functions;
``--micro`` adds the measurements behind the index's design choices (Whoosh's own
collectors and ``groupedby`` facets against the cached sets and arrays used instead).
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import query as wq
from whoosh import sorting

from bench import queries
from bench.load import percentile
from searchsvc.index import IndexReader, IndexStore
from searchsvc.web.params import parse_search_args

DATA = Path(__file__).resolve().parent / "data"


def timed(fn, reps: int = 1) -> float:
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t) * 1000 / reps


def requests(mix: list[queries.Query]) -> list:
    """The index requests our web API makes for the mix (same parameter parsing)."""
    out = []
    for q in mix:
        args: dict[str, list[str]] = {}
        for k, v in q.ours:
            args.setdefault(k, []).append(v)
        out.append(parse_search_args(args).to_request())
    return out


def run_mix(reader: IndexReader, mix: list[queries.Query], reqs: list, from_disk: bool) -> list[float]:
    times = []
    for r in reqs:
        if from_disk:
            for view in list(reader._views.values()):
                view.drop_memo()
        t = time.perf_counter()
        reader.search(r)
        times.append((time.perf_counter() - t) * 1000)
    return times


def show(label: str, mix: list[queries.Query], times: list[float]) -> None:
    print(f"{label}: p50 {percentile(times, 50):.2f} ms  p95 {percentile(times, 95):.2f} ms  "
          f"max {max(times):.2f} ms  ({len(times)} queries)")
    by: dict[str, list[float]] = {}
    for q, ms in zip(mix, times):
        by.setdefault(q.kind, []).append(ms)
    for kind in queries.KINDS:
        if kind in by:
            print(f"   {kind:<24} p50 {percentile(by[kind], 50):7.2f}  p95 {percentile(by[kind], 95):7.2f}")


def micro(store: IndexStore, vocab: queries.Vocabulary) -> None:
    """Design choices, measured on this index (ms)."""
    from searchsvc.index.facets import View
    from searchsvc.index.matching import Evaluator
    from searchsvc.index.plan import AllOf, OneOf, PhraseOf, Term
    from searchsvc.index.query import stems

    print("micro-measurements (ms):")
    ix = store.open_index()
    s = ix.searcher()
    r = s.reader()
    shared = View(("micro", 0), r)

    def fresh() -> Evaluator:
        shared.drop_memo()
        return Evaluator(shared, r)

    a, b = (stems(w)[0] for w in vocab.common[:2])

    def word(w: str):
        return OneOf((Term("body", w), Term("title", w, 2.0)))

    plan = AllOf((word(a), word(b)))
    wq_ = wq.And([wq.Or([wq.Term("body", a), wq.Term("title", a)]), wq.Or([wq.Term("body", b), wq.Term("title", b)])])
    fresh().scores(plan, fresh().docs(plan))
    n = len(fresh().docs(plan))
    warm = Evaluator(shared, r)
    print(f"  two common words {a!r} {b!r} ({n} items): whoosh docs_for_query "
          f"{timed(lambda: set(s.docs_for_query(wq_)), 3):.0f}; whoosh search(optimize=False) top 20 + total "
          f"{timed(lambda: len(s.search(wq_, limit=20, optimize=False)), 3):.0f}; plan: match set + BM25F of every "
          f"match, from disk {timed(lambda: (lambda e: e.scores(plan, e.docs(plan)))(fresh()), 3):.0f}, "
          f"postings cached {timed(lambda: warm.scores(plan, warm.docs(plan)), 3):.0f}")
    words = tuple(vocab.phrases[0].split())
    ph = PhraseOf("body_exact", words)
    n = len(fresh().docs(ph))
    print(f"  phrase {' '.join(words)!r} ({n} items): whoosh Phrase "
          f"{timed(lambda: set(s.docs_for_query(wq.Phrase('body_exact', list(words)))), 3):.0f}; "
          f"plan positions check {timed(lambda: fresh().docs(ph), 3):.0f} (then cached per version)")
    docs = set(s.docs_for_query(wq.Term("body", a)))
    facets = [sorting.FieldFacet("committee", maptype=sorting.Count), sorting.FieldFacet("year", maptype=sorting.Count),
              sorting.FieldFacet("speaker", allow_overlap=True, maptype=sorting.Count),
              sorting.FieldFacet("topic", allow_overlap=True, maptype=sorting.Count)]
    g = timed(lambda: s.search(wq.Term("body", a), groupedby=facets, limit=20), 1)
    view = View(("micro", 1), r)
    build = timed(lambda: [View(("micro", 2), r).array(r, f) for f in ("committee", "year", "speaker", "topic")], 1)
    for f in ("committee", "year", "speaker", "topic"):
        view.array(r, f)
    c = timed(lambda: [view.count(r, f, docs) for f in ("committee", "year", "speaker", "topic")], 5)
    print(f"  4 facet counts over {len(docs)} items: groupedby FieldFacet {g:.0f}; cached arrays + Counter {c:.1f} "
          f"(arrays built once per index version in {build:.0f})")
    lo, hi = 20180101, 20190630
    nr = timed(lambda: set(s.docs_for_query(wq.NumericRange("day", lo, hi))), 5)
    col = r.column_reader("day")
    days = [col[d] for d in range(s.doc_count_all())]
    pairs = sorted((v, d) for d, v in enumerate(days))
    vals, ds = [v for v, _ in pairs], [d for _, d in pairs]
    bis = timed(lambda: set(ds[bisect.bisect_left(vals, lo):bisect.bisect_right(vals, hi)]), 5)
    print(f"  date range of 18 months: NumericRange(day) {nr:.1f}; sorted column + bisect {bis:.1f}")
    s.close()
    ix.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA / "default-x7-seed1", help="a bench/data/<size> folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--profile", action="store_true", help="cProfile the from-disk pass")
    ap.add_argument("--micro", action="store_true", help="add the design micro-measurements")
    args = ap.parse_args()
    work = args.data / "work"
    db = work / "bench.db"
    if not db.exists():  # a bench/capacity.py folder: the query mix's columns only
        db = args.data / "vocab.sqlite"
    if not db.exists():
        raise SystemExit(f"no benchmark data in {args.data}: run `make bench` (or bench/run.py --size …) first")
    vocab = queries.vocabulary(db, args.seed)
    mix = queries.query_mix(vocab, args.queries, args.seed)
    reqs = requests(mix)
    store = IndexStore(work)
    reader = IndexReader(store, cache_size=0)
    t = time.perf_counter()
    reader.search(reqs[-1].__class__())
    print(f"{store.doc_count():,} items; first search on a new index version (searcher, facet arrays): "
          f"{(time.perf_counter() - t) * 1000:.0f} ms")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
    show("from disk (memo emptied before each query)", mix, run_mix(reader, mix, reqs, True))
    if args.profile:
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    show("steady (posting memo kept)", mix, run_mix(reader, mix, reqs, False))
    warm = IndexReader(store, cache_size=1024)
    run_mix(warm, mix, reqs, False)
    show("warm (result cache)", mix, run_mix(warm, mix, reqs, False))
    if args.micro:
        micro(store, vocab)


if __name__ == "__main__":
    main()
