"""Cold searches in process, A/B: one or more checkouts of the code, on the same index, interleaved.

    PYTHONPATH=. .venv/bin/python bench/cold_queries.py [--data bench/data/capacity-x7-seed1]
        [--queries 120] [--rounds 3] [--code OLD_CHECKOUT --code NEW_CHECKOUT[:BUDGET]]

*Cold* as in bench/capacity.py: a fresh process opens a reader on the index (a new searcher and
an empty view, memo and result cache), answers the two warm-up searches the capacity run makes,
then each query of the seeded ``make bench`` mix once (bench/queries.py, drawn from this
archive), timed one by one in process (no HTTP). Each ``--code`` is a checkout whose
``searchsvc`` is imported (default: this one), optionally with ``:BUDGET``, the speaker facet's
work budget (``IndexReader(spoken_budget=…)``; ``:none`` for no limit); the runs take turns, ``--rounds`` times, so a
busy machine slows all of them alike. Prints, per checkout, the medians over rounds of p50/p95/max
and per kind, the load average, and whether the speaker facet's counts differ between checkouts
(values marked approximate by the newer code are listed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(data: Path, n_queries: int, seed: int, out: Path, budget: str) -> None:
    """Runs in the checkout under test (its ``searchsvc`` first on sys.path)."""
    from bench import queries
    from bench.index_micro import requests
    from searchsvc.index import IndexReader, IndexStore, SearchRequest

    mix = queries.query_mix(queries.vocabulary(data / "vocab.sqlite", seed), n_queries, seed)
    reqs = requests(mix)
    kw = {"spoken_budget": None if budget == "none" else int(budget)} if budget else {}
    reader = IndexReader(IndexStore(data / "work"), **kw)
    for warm in (SearchRequest(), SearchRequest(q="zzqwarmupzz")):  # bench/run.py WARM_OURS
        reader.search(warm)
    rows = []
    for q, r in zip(mix, reqs):
        started = time.perf_counter()
        res = reader.search(r)
        ms = (time.perf_counter() - started) * 1000
        speakers = [[v.value, v.count, bool(getattr(v, "approximate", False))] for v in res.facets.get("speaker", ())]
        rows.append({"kind": q.kind, "ms": ms, "total": res.total, "speakers": speakers})
    out.write_text(json.dumps(rows))


def label(code: tuple[Path, str]) -> str:
    return f"{code[0].name}" + (f" (budget {code[1]})" if code[1] else "")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "capacity-x7-seed1")
    ap.add_argument("--queries", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--code", action="append", help="a checkout to measure, PATH[:BUDGET] (repeatable)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--budget", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.data.resolve(), args.queries, args.seed, args.child, args.budget)
        return
    codes = [(Path(c.split(":")[0]).resolve(), c.split(":")[1] if ":" in c else "") for c in (args.code or [str(ROOT)])]
    runs: dict[tuple[Path, str], list[list[dict]]] = {c: [] for c in codes}
    loads = [os.getloadavg()[0]]
    for rnd in range(args.rounds):
        for code in codes:
            path, budget = code
            fd, name = tempfile.mkstemp(suffix=".json", prefix="cold_queries-")
            os.close(fd)
            out = Path(name)
            subprocess.run([sys.executable, str(path / "bench" / "cold_queries.py"), "--data", str(args.data.resolve()),
                            "--queries", str(args.queries), "--seed", str(args.seed), "--child", str(out),
                            "--budget", budget], env={**os.environ, "PYTHONPATH": str(path)}, cwd=path, check=True)
            runs[code].append(json.loads(out.read_text()))
            out.unlink()
            loads.append(os.getloadavg()[0])
            times = [r["ms"] for r in runs[code][-1]]
            print(f"round {rnd + 1} {label(code)}: p50 {pct(times, 50):.0f} p95 {pct(times, 95):.0f} ms", flush=True)
    print(f"\n{args.queries} cold queries per run, {args.rounds} rounds, load average {min(loads):.1f}–{max(loads):.1f}")
    for code in codes:
        med = {p: statistics.median(pct([r["ms"] for r in run], p) for run in runs[code]) for p in (50, 95, 100)}
        print(f"{label(code)}: median over rounds p50 {med[50]:.0f} ms  p95 {med[95]:.0f} ms  max {med[100]:.0f} ms")
        kinds: dict[str, list[float]] = {}
        for run in runs[code]:
            for r in run:
                kinds.setdefault(r["kind"], []).append(r["ms"])
        for kind, ms in kinds.items():
            print(f"   {kind:<24} p50 {pct(ms, 50):7.0f}  p95 {pct(ms, 95):7.0f}")
    for other in codes[1:]:
        base, new = runs[codes[0]][0], runs[other][0]
        same = differ = approx = 0
        for a, b in zip(base, new):
            exact_b = [v[:2] for v in b["speakers"] if not v[2]]
            approx += sum(1 for v in b["speakers"] if v[2])
            want = {v[0]: v[1] for v in a["speakers"]}
            ok = a["total"] == b["total"] and all(want.get(n) == c for n, c in exact_b)
            same += ok
            differ += not ok
        print(f"speaker facet, {label(other)} against {label(codes[0])}: {same} queries agree on every exact count, "
              f"{differ} differ; {approx} values marked approximate")

if __name__ == "__main__":
    main()
