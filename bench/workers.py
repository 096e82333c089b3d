"""Worker processes A/B: ``searchsvc serve --workers 1`` against ``--workers N`` on the same index.

    PYTHONPATH=. .venv/bin/python bench/workers.py [--scale 1] [--workers 2] [--queries 240] [--rounds 3]

Writes a catalog from the sample generator and builds its index (bench/capacity.py's phases; kept
under bench/data/workers-x<scale>-seed<seed>/ and reused), starts both servers (8 threads per
worker, like ``make bench``), warms both, then sends the ``make bench`` query mix to both in
interleaved rounds (bench/load.py) at 8 clients: cold (fresh servers: every query new) then warm
(the same queries again, answered from each worker's result cache), ``--rounds`` times with fresh
servers. Prints p50/p95/throughput of each pass and the medians over the rounds. The machine may
be shared: interleaving puts drift on both alike, and the medians damp what is left.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench import load, queries
from bench.capacity import archive
from bench.procs import run_phase
from bench.run import WARM_OURS, check_ours, log, start_ours


def prepare(scale: float, seed: int) -> tuple[Path, Path, Path]:
    """(config, logs, vocabulary) of a generated and indexed archive, built once and reused."""
    root, _work, logs, config, args = archive("workers", scale, seed)
    if not (root / "indexed.json").exists():
        log(f"x{scale:g}: writing the catalog from the generator and building the index")
        (root / "generated.json").write_text(json.dumps(run_phase("generate", args, logs, timeout=3600)))
        (root / "indexed.json").write_text(json.dumps(run_phase("index", args, logs, timeout=3600)))
    return config, logs, root / "vocab.sqlite"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="the B side (A is always 1 worker)")
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--round", type=int, default=24, help="queries per interleaved round")
    ap.add_argument("--rounds", type=int, default=3, help="repetitions with fresh servers")
    ap.add_argument("--clients", type=int, default=8)
    args = ap.parse_args()
    config, logs, vocab = prepare(args.scale, args.seed)
    mix = queries.query_mix(queries.vocabulary(vocab, args.seed), args.queries, args.seed)
    names = ("w1", f"w{args.workers}")
    figures: dict[str, dict[str, list[dict]]] = {kind: {n: [] for n in names} for kind in ("cold", "warm")}
    for rep in range(args.rounds):
        servers = [start_ours(config, logs, workers=w, name=n) for n, w in zip(names, (1, args.workers))]
        try:
            for _child, target in servers:
                load.warm_up(target, WARM_OURS, 8)
            for kind in ("cold", "warm"):
                res = load.interleaved([t for _c, t in servers], mix, args.clients, args.round)
                for name in names:
                    s = load.summarise(res[name], check_ours)
                    figures[kind][name].append(s)
                    log(f"round {rep + 1} {kind} {name}: p50 {s['p50_ms']:.1f} p95 {s['p95_ms']:.1f} ms "
                        f"{s['throughput_rps']:.1f} req/s, {s['failures']} failures")
        finally:
            for child, _t in servers:
                child.stop()
    print(f"\nmedians over {args.rounds} rounds, {args.clients} clients, {len(mix)} queries per pass:")
    for kind in ("cold", "warm"):
        for name in names:
            runs = figures[kind][name]
            med = {k: statistics.median(r[k] for r in runs) for k in ("p50_ms", "p95_ms", "throughput_rps")}
            print(f"  {kind:<4} {name:<4} p50 {med['p50_ms']:7.1f} ms  p95 {med['p95_ms']:7.1f} ms  "
                  f"{med['throughput_rps']:7.1f} req/s")


if __name__ == "__main__":
    main()
