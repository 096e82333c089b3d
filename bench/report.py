"""Machine facts, the printed table, the targets and ``bench/results.json``."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from typing import Any

from bench.procs import ROOT

PASSES = (("cold", 1), ("warm", 1), ("cold", 8), ("warm", 8))


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal:")))
    except (OSError, StopIteration):
        pass
    versions = {}
    for dist in ("searchsvc", "whoosh3", "flask", "gunicorn", "beautifulsoup4", "datasette", "uvicorn"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    import sqlite3

    versions["sqlite"] = sqlite3.sqlite_version
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                                    timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", False
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 1024 ** 2, 1),
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions,
            "git": commit + ("+dirty" if dirty else "")}


def _n(x: float | int | None, digits: int = 0) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def targets(r: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(target, met?, the figure) for each target of bench/README.md, "The targets"."""
    s, out = r.get("search", {}), []
    if s:
        for c in (1, 8):
            ours, theirs = s[f"cold_c{c}"]["ours"], s[f"cold_c{c}"]["datasette"]
            for p in ("p50", "p95"):
                out.append((f"cold {p} at concurrency {c} ≤ Datasette's", ours[f"{p}_ms"] <= theirs[f"{p}_ms"],
                            f"{ours[f'{p}_ms']:.1f} vs {theirs[f'{p}_ms']:.1f} ms"))
        ours8, theirs8 = s["cold_c8"]["ours"], s["cold_c8"]["datasette"]
        out.append(("throughput at concurrency 8 ≥ Datasette's (cold)",
                    ours8["throughput_rps"] >= theirs8["throughput_rps"],
                    f"{ours8['throughput_rps']:.1f} vs {theirs8['throughput_rps']:.1f} req/s"))
        p95 = s["cold_c1"]["ours"]["p95_ms"]
        out.append(("cold p95 ≤ 150 ms at concurrency 1", p95 <= 150, f"{p95:.1f} ms"))
        for c in (1, 8):
            p95 = s[f"warm_c{c}"]["ours"]["p95_ms"]
            out.append((f"warm p95 ≤ 10 ms at concurrency {c}", p95 <= 10, f"{p95:.1f} ms"))
        rss = max(s.get("server_rss_mb", {}).get("ours", [0]))
        out.append(("server RSS ≤ 1 GB (peak)", rss <= 1024, f"{rss:,.0f} MB"))
    if "index" in r:
        sec = r["index"]["seconds"]
        out.append(("full rebuild ≤ 5 min", sec <= 300, f"{sec:.1f} s"))
    if "nightly" in r:
        sec = r["nightly"]["index_update_seconds"]
        out.append(("1% incremental index update ≤ 30 s", sec <= 30,
                    f"{sec:.1f} s (whole nightly {r['nightly']['seconds']:.1f} s)"))
    return out


def print_report(r: dict[str, Any]) -> None:
    m, d = r["machine"], r["data"]
    print()
    print(f"searchsvc benchmark — size {r['size']} (sample council x{r['scale']}, seed {r['seed']}): "
          f"{_n(d.get('items'))} items, {_n(d.get('passages'))} passages, {_n(d.get('pages'))} stored pages")
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}, "
          f"whoosh3 {m['versions']['whoosh3']}, datasette {m['versions']['datasette']}, SQLite {m['versions']['sqlite']}")
    la, lb = r.get("loadavg_start"), r.get("loadavg_end")
    if la and lb:
        print(f"load average (1/5/15 min) at start {la[0]:.2f}/{la[1]:.2f}/{la[2]:.2f}, at end "
              f"{lb[0]:.2f}/{lb[1]:.2f}/{lb[2]:.2f} (above ~1 means other work shared the 2 cores)")
    print()
    print("pipeline")
    if "crawl" in r:
        c = r["crawl"]
        tag = " (cached from an earlier run: --reuse)" if c.get("reused") else ""
        print(f"  crawl, 127.0.0.1, no rate limit   {_n(c['pages'])} pages fetched in {c['fetch_seconds']:.1f} s = "
              f"{_n(c['pages_per_s'], 1)} pages/s; with parsing {c['seconds']:.1f} s{tag}")
    if "parse" in r:
        p = r["parse"]
        print(f"  parse from the raw store          {_n(p['pages'])} pages in {p['seconds']:.1f} s = "
              f"{_n(p['pages_per_s'], 1)} pages/s ({_n(p['meetings_per_s'], 1)} meetings/s, "
              f"{_n(p['items_per_s'])} items/s)")
    if "index" in r:
        i = r["index"]
        print(f"  full index build                  {_n(i['documents'])} items in {i['seconds']:.1f} s = "
              f"{_n(i['items_per_s'])} items/s, {_n(i['passages_per_s'])} passages/s; "
              f"{i['index_bytes'] / 1e6:,.0f} MB; peak RSS {i['peak_tree_mb']:,.0f} MB (builder + writer processes; "
              f"largest one {i['largest_process_mb']:,.0f} MB)")
    if "nightly" in r:
        n = r["nightly"]
        print(f"  nightly after editing 1%          {n['edited']} items edited; index update {n['index_update_seconds']:.1f} s, "
              f"whole nightly {n['seconds']:.1f} s (crawl+parse {n['crawl_parse_seconds']:.1f} s, "
              f"{n['crawl'].get('pages_fetched', 0)} pages fetched, {n['crawl'].get('pages_304', 0)} × 304); "
              f"{n['edited_found']}/{n['edited']} edits searchable")
    if "datasette_db" in r:
        x = r["datasette_db"]
        print(f"  Datasette database                {_n(x['rows'])} rows loaded + FTS5 + indexes in {x['seconds']:.1f} s, "
              f"{x['bytes'] / 1e6:,.0f} MB")
    s = r.get("search")
    if s:
        print()
        print(f"search over HTTP: {s['queries']} queries, four facets each, rounds of {s['round_size']} interleaved "
              f"with Datasette ({s['datasette_threads']} SQL threads)")
        head = f"  {'pass':<18}{'ours p50':>9}{'p95':>8}{'p99':>8}{'req/s':>8}  │{'Datasette p50':>14}{'p95':>8}{'p99':>8}" \
               f"{'req/s':>8}  │{'ratio p50':>10}{'p95':>7}"
        print(head)
        print("  " + "─" * (len(head) - 2))
        for kind, c in PASSES:
            key = f"{kind}_c{c}"
            o, t = s[key]["ours"], s[key]["datasette"]
            print(f"  {kind + ', concurrency ' + str(c):<18}{o['p50_ms']:>9.1f}{o['p95_ms']:>8.1f}{o['p99_ms']:>8.1f}"
                  f"{o['throughput_rps']:>8.1f}  │{t['p50_ms']:>14.1f}{t['p95_ms']:>8.1f}{t['p99_ms']:>8.1f}"
                  f"{t['throughput_rps']:>8.1f}  │{s[key]['ratio_p50']:>10.2f}{s[key]['ratio_p95']:>7.2f}")
        print("  (milliseconds; ratio = ours / Datasette; cold = servers restarted, result cache empty; "
              "warm = the same queries again)")
        fails = {k: (s[k]["ours"]["failures"], s[k]["datasette"]["failures"]) for k, _ in
                 ((f"{a}_c{b}", 0) for a, b in PASSES)}
        limited = sum(s[f"{a}_c{b}"]["datasette"]["time_limited"] for a, b in PASSES)
        print(f"  failed requests (ours, Datasette): {fails}; Datasette answers cut by a time limit: {limited}")
        rss = s["server_rss_mb"]
        print(f"  server RSS after each run (MB, peak): ours {', '.join(f'{x:,.0f}' for x in rss['ours'])}; "
              f"Datasette {', '.join(f'{x:,.0f}' for x in rss['datasette'])}")
        agree = s["agreement"]
        print(f"  same total in both: {agree['equal']}/{agree['compared']} queries "
              f"(speaker + words: ours counts the speaker's own passages, Datasette the whole item — "
              f"ours ≤ theirs in {agree['speaker_subset']}/{agree['speaker_queries']})")
        print()
        print("  by kind, cold, concurrency 1   ours p50 / p95      Datasette p50 / p95")
        for kind, o in s["cold_c1"]["ours"]["by_kind"].items():
            t = s["cold_c1"]["datasette"]["by_kind"][kind]
            print(f"    {kind:<26}{o['p50_ms']:>9.1f} /{o['p95_ms']:>7.1f}   {t['p50_ms']:>11.1f} /{t['p95_ms']:>7.1f}")
    print()
    print("targets")
    for name, met, figure in targets(r):
        print(f"  {'met   ' if met else 'MISSED'}  {name}: {figure}")
    r["targets"] = [{"target": n, "met": m, "figure": f} for n, m, f in targets(r)]


def last_line(r: dict[str, Any]) -> str:
    s = r.get("search")
    if not s:
        return "ratio p50=nan p95=nan"
    return f"ratio p50={s['cold_c8']['ratio_p50']:.2f} p95={s['cold_c8']['ratio_p95']:.2f}"


if __name__ == "__main__":  # pragma: no cover
    print(machine(), file=sys.stderr)
