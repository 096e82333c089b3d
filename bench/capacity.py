"""The capacity curve: how the index and the server behave as the archive grows.

    PYTHONPATH=. .venv/bin/python bench/capacity.py [--scales 7,20,48] [--seed 1] [--queries 240]

For each scale (× the sample council: 7 ≈ 43k items, 48 ≈ 300k items / 1.1M passages) it writes a
catalog straight from the sample generator (bench/generate.py: no crawl), then measures, each in
its own process: the full index build (wall time, peak RSS summed over the builder and its writer
processes, index size), a night's 1% corrections and ``index_update``, and the query mix of
``make bench`` (bench/queries.py, drawn from this archive) against ``searchsvc serve`` (one worker
process per core, 8 threads each) at 1 and 8 clients, cold (fresh server) then warm (the same queries again), with the
server's peak RSS. The 1-minute load average is recorded around every pass (the machine may be
shared). Results accumulate in bench/capacity.json (one entry per scale, the latest run); the
table is printed and bench/capacity.svg drawn from all entries (plain SVG, no plotting library).
Catalogs are kept under bench/data/capacity-x<scale>-seed<seed>/ and reused (``--fresh`` rebuilds).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load, queries
from bench.generate import BASE
from bench.procs import ROOT, run_phase, stop_all
from bench.run import WARM_OURS, check_ours, log, start_ours, write_config

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "capacity.json"
CHART = ROOT / "bench" / "capacity.svg"
TARGET_C1, TARGET_C8 = 150.0, 500.0  # cold p95 (ms) at 1 and 8 clients


def archive(name: str, scale: float, seed: int) -> tuple[Path, Path, Path, Path, dict[str, Any]]:
    """(root, work, logs, config, phase arguments) of one generated archive under bench/data/, the
    folders made and the config written; the phases (``generate``, ``index``…) fill it."""
    root = DATA / f"{name}-x{scale:g}-seed{seed}"
    work, logs = root / "work", root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    work.mkdir(exist_ok=True)
    config = root / "searchsvc.toml"
    write_config(config, work)
    args = {"config": str(config), "base_url": BASE, "title": "Sample council", "seed": seed, "scale": scale,
            "vocab": str(root / "vocab.sqlite")}
    return root, work, logs, config, args


def measure(scale: float, seed: int, n_queries: int, fresh: bool, generate_only: bool = False,
            earlier: dict[str, Any] | None = None) -> dict[str, Any]:
    if fresh:
        shutil.rmtree(DATA / f"capacity-x{scale:g}-seed{seed}", ignore_errors=True)
    root, work, logs, config, args = archive("capacity", scale, seed)
    out: dict[str, Any] = {"scale": scale, "seed": seed, "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    generated = root / "generated.json"
    if not generated.exists():
        log(f"x{scale:g}: writing the catalog from the generator")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        generated.write_text(json.dumps(run_phase("generate", args, logs, timeout=4 * 3600)))
    out["generate"] = json.loads(generated.read_text())
    if generate_only:
        return {}
    if earlier:  # --search-only: the build and update figures of the earlier run stand
        out.update({k: earlier[k] for k in ("load_before_build", "index", "update")})
        out["search_only_rerun"] = True
    else:
        log(f"x{scale:g}: {out['generate']['items']:,} items, {out['generate']['passages']:,} passages; full build")
        out["load_before_build"] = os.getloadavg()[0]
        out["index"] = run_phase("index", args, logs, timeout=4 * 3600)
        log(f"  build {out['index']['seconds']} s, peak {out['index'].get('peak_tree_mb')} MB, "
            f"{out['index']['index_bytes'] / 1e6:.0f} MB on disk")
        out["update"] = run_phase("update", args, logs, timeout=3600)
        log(f"  1% update: {out['update']['edited']} items, index_update {out['update']['update_seconds']} s")
    mix = queries.query_mix(queries.vocabulary(root / "vocab.sqlite", seed), n_queries, seed)
    out["search"] = {}
    rss = []
    for concurrency in (1, 8):
        server, target = start_ours(config, logs)
        try:
            load.warm_up(target, WARM_OURS, 8)
            for kind in ("cold", "warm"):
                before = os.getloadavg()[0]
                res = load.interleaved([target], mix, concurrency, len(mix))
                s = load.summarise(res["ours"], check_ours)
                s.pop("totals")
                s["loadavg_1min"] = [round(before, 2), round(os.getloadavg()[0], 2)]
                out["search"][f"{kind}_c{concurrency}"] = s
                log(f"  {kind} c{concurrency}: p50 {s['p50_ms']} p95 {s['p95_ms']} ms, {s['throughput_rps']} req/s, "
                    f"failures {s['failures']}, load {s['loadavg_1min']}")
            rss.append(round(server.hwm_mb(), 1))
        finally:
            server.stop()
    out["server_rss_mb"] = max(rss)
    out["queries"] = n_queries
    out["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = ("| items | passages | full build | build peak RSS | index | 1% update | cold p50/p95 c1 | "
            "cold p50/p95 c8 | warm p50/p95 c1 | warm p50/p95 c8 | server RSS | queries | load avg |")
    lines = [head, "|" + "---|" * 13]
    for r in results:
        s = r["search"]

        def pp(key: str, s: dict = s) -> str:
            return f"{s[key]['p50_ms']:.0f} / {s[key]['p95_ms']:.0f} ms"

        loads = [v for k in s for v in s[k]["loadavg_1min"]]
        lines.append(
            f"| {r['generate']['items']:,} | {r['generate']['passages']:,} | {r['index']['seconds']:.0f} s | "
            f"{r['index'].get('peak_tree_mb', 0):.0f} MB | {r['index']['index_bytes'] / 1e6:.0f} MB | "
            f"{r['update']['update_seconds']:.1f} s | {pp('cold_c1')} | {pp('cold_c8')} | {pp('warm_c1')} | "
            f"{pp('warm_c8')} | {r['server_rss_mb']:.0f} MB | {r.get('queries', 240)} | {min(loads):.1f}–{max(loads):.1f} |")
    return "\n".join(lines)


def chart(results: list[dict[str, Any]]) -> str:
    """Cold and warm p95 against items, at 1 and 8 clients, with the targets: plain SVG."""
    w, h, left, right, top, bottom = 720, 420, 70, 190, 30, 50
    xs = [r["generate"]["items"] for r in results]
    series = [("cold p95, 8 clients", "cold_c8", "#c0392b", ""), ("cold p95, 1 client", "cold_c1", "#e67e22", ""),
              ("warm p95, 8 clients", "warm_c8", "#2c3e50", "6,4"), ("warm p95, 1 client", "warm_c1", "#7f8c8d", "6,4")]
    ymax = max([TARGET_C8] + [r["search"][k]["p95_ms"] for r in results for _, k, _, _ in series]) * 1.1
    xmax = max(xs) * 1.05

    def x(v: float) -> float:
        return left + v / xmax * (w - left - right)

    def y(v: float) -> float:
        return h - bottom - v / ymax * (h - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
             f'font-size="12"><rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="14">Search latency (p95) against archive size, 2 cores</text>',
             f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>']
    step = next(n for n in (50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000) if ymax / n <= 10)
    for v in range(0, int(ymax) + 1, step):
        parts.append(f'<line x1="{left - 4}" y1="{y(v):.1f}" x2="{w - right}" y2="{y(v):.1f}" stroke="#eee"/>'
                     f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for v in xs:
        parts.append(f'<text x="{x(v):.1f}" y="{h - bottom + 18}" text-anchor="middle">{v / 1000:.0f}k</text>')
    parts.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">items in the archive</text>'
                 f'<text x="16" y="{(top + h - bottom) / 2}" transform="rotate(-90 16 {(top + h - bottom) / 2})" '
                 f'text-anchor="middle">ms</text>')
    for target, label, dy in ((TARGET_C1, "target, 1 client", 12), (TARGET_C8, "target, 8 clients", -4)):
        parts.append(f'<line x1="{left}" y1="{y(target):.1f}" x2="{w - right}" y2="{y(target):.1f}" '
                     f'stroke="#27ae60" stroke-dasharray="2,3"/><text x="{w - right + 4}" y="{y(target) + dy:.1f}" '
                     f'fill="#27ae60">{label} {target:.0f} ms</text>')
    for n, (label, key, colour, dash) in enumerate(series):
        pts = " ".join(f"{x(r['generate']['items']):.1f},{y(r['search'][key]['p95_ms']):.1f}" for r in results)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2" '
                     f'stroke-dasharray="{dash}"/>')
        for r in results:
            parts.append(f'<circle cx="{x(r["generate"]["items"]):.1f}" cy="{y(r["search"][key]["p95_ms"]):.1f}" '
                         f'r="3" fill="{colour}"/>')
        ly = top + 40 + 18 * n
        parts.append(f'<line x1="{w - right + 4}" y1="{ly}" x2="{w - right + 24}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="2" stroke-dasharray="{dash}"/><text x="{w - right + 28}" y="{ly + 4}">{label}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default=os.environ.get("CAPACITY_SCALES", "7,20,48"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--fresh", action="store_true", help="write the catalogs again")
    ap.add_argument("--chart-only", action="store_true", help="redraw the table and chart from capacity.json")
    ap.add_argument("--generate-only", action="store_true", help="only write the catalogs (measure later)")
    ap.add_argument("--search-only", action="store_true",
                    help="measure the searches again on the index an earlier run built (keeps its build figures)")
    args = ap.parse_args()
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    try:
        if not args.chart_only:
            for scale in (float(s) for s in args.scales.split(",")):
                earlier = saved.get(f"{scale:g}") if args.search_only else None
                got = measure(scale, args.seed, args.queries, args.fresh, args.generate_only, earlier)
                if got:  # read again: another run may have added a size meanwhile
                    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
                    saved[f"{scale:g}"] = got
                    RESULTS.write_text(json.dumps(saved, indent=1))
    finally:
        stop_all()
    results = sorted(saved.values(), key=lambda r: r["generate"]["items"])
    if results:
        print(table(results))
        CHART.write_text(chart(results))
        print(f"chart: {CHART.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
