"""`make bench`: the whole pipeline on a large sample council, and search side by side with Datasette.

    .venv/bin/python bench/run.py [--size small|default|large] [--seed 1] [--queries 240] [--reuse]
    BENCH_SIZE=small make bench

Everything runs on 127.0.0.1 and stops by itself. What it does, in order (bench/README.md says
what each figure means):

1. serves the sample council (bench/sitectl.py, its own process) at the chosen size;
2. crawls it with the rate limit lifted (or, with ``--reuse``, copies the catalog cached under
   bench/data/ by an earlier run of the same size and seed), then re-parses the raw store,
   builds the index from scratch, edits 1% of the items on the site and runs the nightly job
   (each phase in its own process, bench/phases.py, for its own peak memory);
3. loads the same items into a Datasette database, starts ``searchsvc serve`` (one worker process per core) and
   ``datasette serve`` as separate processes, and sends both the same seeded query mix
   (bench/queries.py) in interleaved rounds (bench/load.py): cold then warm, at concurrency 1
   and 8, every request asking for four facets;
4. prints the table and the targets, writes bench/results.json, and ends with the line
   ``ratio p50=<x> p95=<y>`` (ours / Datasette, cold, concurrency 8).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load, queries, report
from bench.procs import BIN, HOST, PYTHON, ROOT, Child, free_port, run_phase, stop_all, wait_http

SIZES = {"small": 0.5, "default": 7.0, "large": 48.0}  # x sample council: ~3k / ~43k / ~296k items
DATA = ROOT / "bench" / "data"
EDIT_TOKEN = "zqbenchedit"
DS_NAME = "bench"  # the database's name in Datasette's URLs: /bench/items.json


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the sample site --------------------------------------------------------------------

class Site:
    """bench/sitectl.py in a child process, spoken to one JSON line at a time."""

    def __init__(self, scale: float, seed: int, logs: Path, port: int = 0):
        self.child = Child("sample-site", [PYTHON, str(ROOT / "bench" / "sitectl.py"), str(scale), str(seed), str(port)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.child._log = open(logs / "sample-site.log", "wb")  # closed by Child.stop
        line = self.child.proc.stdout.readline()
        if not line:
            raise RuntimeError("the sample site did not start")
        self.info = json.loads(line)
        assert self.info["base_url"].startswith(f"http://{HOST}:")

    def ask(self, **cmd: Any) -> dict[str, Any]:
        self.child.proc.stdin.write((json.dumps(cmd) + "\n").encode())
        self.child.proc.stdin.flush()
        return json.loads(self.child.proc.stdout.readline())


# --- servers under test -------------------------------------------------------------------

def start_ours(config: Path, logs: Path, threads: int = 8, workers: int | None = None,
               name: str = "ours") -> tuple[Child, load.Target]:
    """``searchsvc serve``: ``workers`` processes of ``threads`` threads (default workers: one per core)."""
    port = free_port()
    argv = [str(BIN / "searchsvc"), "--config", str(config), "serve", "--host", HOST, "--port", str(port),
            "--threads", str(threads)] + (["--workers", str(workers)] if workers is not None else [])
    child = Child(f"searchsvc-serve-{name}", argv, log=logs / f"searchsvc-serve-{name}.log")
    wait_http(f"http://{HOST}:{port}/api/", child)
    return child, load.Target(name, port, lambda q: q.our_path(), check_ours)


def start_datasette(db: Path, logs: Path, sql_threads: int) -> tuple[Child, load.Target]:
    """``datasette serve`` in its fastest honest setup: the file opened immutable (no locking, counts
    cached), a 200 MB SQLite page cache per connection (the whole file fits), time limits raised so
    no answer is cut short (a cut one would be counted and reported, not hidden)."""
    port = free_port()
    child = Child("datasette", [str(BIN / "datasette"), "serve", "--immutable", str(db), "--metadata",
                                str(db.with_name("metadata.json")), "--host", HOST, "--port", str(port),
                                "--setting", "sql_time_limit_ms", "120000", "--setting", "facet_time_limit_ms", "120000",
                                "--setting", "cache_size_kb", "200000", "--setting", "num_sql_threads",
                                str(sql_threads)],
                  log=logs / "datasette.log")
    wait_http(f"http://{HOST}:{port}/-/versions.json", child)
    return child, load.Target("datasette", port, lambda q: q.their_path(), check_datasette)


def check_ours(body: dict) -> tuple[bool, int | None, bool]:
    ok = body.get("ok") is True and all(f in body.get("facets", {}) for f in ("committee", "speaker", "topic", "year"))
    return ok, body.get("total"), False


def check_datasette(body: dict) -> tuple[bool, int | None, bool]:
    facets = body.get("facet_results") or {}
    ok = "rows" in body and body.get("ok", True) is not False and all(
        f in facets for f in ("committee", "speakers", "topics", "year"))
    total = body.get("filtered_table_rows_count")
    return ok, total, bool(body.get("facets_timed_out")) or total is None


WARM_OURS = ["/api/search", "/api/search?q=zzqwarmupzz"]
WARM_THEIRS = [queries.Query(-1, "", (), ()).their_path(),
               queries.Query(-1, "", (), (("_search", "zzqwarmupzz"), ("_searchmode", "raw"))).their_path()]


def search_benchmark(config: Path, db: Path, logs: Path, mix: list[queries.Query], round_size: int,
                     sql_threads: int) -> dict[str, Any]:
    from searchsvc.config import cores

    out: dict[str, Any] = {"queries": len(mix), "round_size": round_size, "datasette_threads": sql_threads,
                           "our_workers": cores(), "our_threads_per_worker": 8,
                           "server_rss_mb": {"ours": [], "datasette": []}}
    for concurrency in (1, 8):
        # Fresh servers for each concurrency: the result cache starts empty (cold), then the same
        # queries again (warm). Warm-up requests outside the mix open every thread's files first.
        ours, ours_t = start_ours(config, logs)
        theirs, theirs_t = start_datasette(db, logs, sql_threads)
        try:
            load.warm_up(ours_t, WARM_OURS, 8)
            load.warm_up(theirs_t, WARM_THEIRS, 8)
            for kind in ("cold", "warm"):
                log(f"search: {kind}, concurrency {concurrency}")
                load_before = os.getloadavg()[0]
                res = load.interleaved([ours_t, theirs_t], mix, concurrency, round_size)
                a, b = load.summarise(res["ours"], check_ours), load.summarise(res["datasette"], check_datasette)
                out[f"{kind}_c{concurrency}"] = {"ours": a, "datasette": b,
                                                 "ratio_p50": report.ratio(a["p50_ms"], b["p50_ms"]),
                                                 "ratio_p95": report.ratio(a["p95_ms"], b["p95_ms"]),
                                                 "loadavg_1min": [load_before, os.getloadavg()[0]]}
                log(f"  ours p50 {a['p50_ms']:.1f} p95 {a['p95_ms']:.1f} ms {a['throughput_rps']:.1f} req/s; "
                    f"Datasette p50 {b['p50_ms']:.1f} p95 {b['p95_ms']:.1f} ms {b['throughput_rps']:.1f} req/s")
            out["server_rss_mb"]["ours"].append(round(ours.hwm_mb(), 1))
            out["server_rss_mb"]["datasette"].append(round(theirs.hwm_mb(), 1))
        finally:
            ours.stop()
            theirs.stop()
    # Do both tools find the same number of items? (Stemmers differ slightly; speaker + words differs by design.)
    cold = out["cold_c1"]
    pairs = list(zip(mix, cold["ours"].pop("totals"), cold["datasette"].pop("totals")))
    for key in ("warm_c1", "cold_c8", "warm_c8"):
        for who in ("ours", "datasette"):
            out[key][who].pop("totals")
    speaker = [(a, b) for q, a, b in pairs if q.kind == "speaker + words"]
    others = [(a, b) for q, a, b in pairs if q.kind != "speaker + words"]
    out["agreement"] = {"compared": len(others), "equal": sum(a == b for a, b in others),
                        "speaker_queries": len(speaker),
                        "speaker_subset": sum(a is not None and b is not None and a <= b for a, b in speaker),
                        "examples": [{"query": q.label(), "ours": a, "datasette": b}
                                     for q, a, b in pairs if a != b][:12]}
    return out


# --- the run --------------------------------------------------------------------------------

def write_config(path: Path, data_dir: Path) -> None:
    path.write_text(f'[storage]\ndata_dir = "{data_dir}"\n\n[enrich]\ntopics_file = "{ROOT / "config" / "topics.toml"}"'
                    f'\n\n[crawl]\nrequests_per_second = 0.0\n\n[web]\nthreads = 8\n')


def copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite file (WAL included), through the backup API."""
    dst.unlink(missing_ok=True)
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default=os.environ.get("BENCH_SIZE") or "default", choices=sorted(SIZES))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "1")))
    ap.add_argument("--queries", type=int, default=240, help="queries in the mix (at least 200 for the report)")
    ap.add_argument("--round", type=int, default=24, help="queries per interleaved round")
    ap.add_argument("--reuse", action="store_true", default=bool(os.environ.get("BENCH_REUSE")),
                    help="skip the crawl: start from the catalog an earlier run of this size and seed cached")
    ap.add_argument("--datasette-threads", type=int, default=3, help="Datasette's num_sql_threads (its default: 3)")
    args = ap.parse_args()

    scale = SIZES[args.size]
    root = DATA / f"{args.size}-x{scale:g}-seed{args.seed}"
    work, logs = root / "work", root / "logs"
    cached = root / "crawled-catalog.sqlite"
    cached_meta = root / "crawled.json"
    shutil.rmtree(work, ignore_errors=True)
    for p in (work, logs):
        p.mkdir(parents=True, exist_ok=True)
    config = root / "searchsvc.toml"
    write_config(config, work)
    results: dict[str, Any] = {"size": args.size, "scale": scale, "seed": args.seed, "machine": report.machine(),
                               "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "loadavg_start": os.getloadavg()}
    log(f"bench: size {args.size} (x{scale}), seed {args.seed}, data under {root.relative_to(ROOT)}")
    reuse = args.reuse and cached.exists() and cached_meta.exists()
    try:
        # Reusing a crawl: the site must come back on the port its stored URLs name.
        port = json.loads(cached_meta.read_text()).get("site_port", 0) if reuse else 0
        try:
            site = Site(scale, args.seed, logs, port)
        except RuntimeError:
            raise SystemExit(f"the sample site could not start on port {port} (busy?); run without --reuse") from None
        base = {"config": str(config), "base_url": site.info["base_url"], "today": site.info["today"],
                "title": f"{site.info['council']} (sample)"}
        log(f"sample council at {site.info['base_url']}: {site.info['stats']}")
        hours = 4 if args.size == "large" else 1

        if reuse:
            log("crawl: reusing the cached catalog (--reuse)")
            copy_sqlite(cached, work / "catalog.sqlite")
            crawl = json.loads(cached_meta.read_text()) | {"reused": True}
        else:
            log("crawl: fetching the whole site (rate limit lifted) …")
            crawl = run_phase("crawl", base, logs, 3600 * hours)
            crawl["site_port"] = int(site.info["base_url"].split(":")[2].split("/")[0])
            copy_sqlite(work / "catalog.sqlite", cached)
            cached_meta.write_text(json.dumps(crawl))
        fetched = crawl["crawl"]["pages_fetched"]
        crawl.update(pages=fetched, pages_per_s=round(fetched / crawl["fetch_seconds"], 1))
        results["crawl"] = crawl
        counts = crawl["counts"]
        results["data"] = {"items": counts["items"], "passages": counts["passages"], "meetings": counts["meetings"],
                           "pages": counts["pages"]}
        log(f"  {fetched} pages in {crawl['fetch_seconds']:.1f} s; {counts['items']} items, "
            f"{counts['passages']} passages")

        log("parse: re-parsing every stored page …")
        parse = run_phase("parse", base, logs, 3600 * hours)
        pages, meetings = parse["counts"]["pages_parsed"], parse["counts"]["meetings"]
        parse.update(pages=pages, pages_per_s=round(pages / parse["seconds"], 1),
                     meetings_per_s=round(meetings / parse["seconds"], 1),
                     items_per_s=round(parse["counts"]["items"] / parse["seconds"], 1))
        results["parse"] = parse
        log(f"  {pages} pages in {parse['seconds']:.1f} s")

        log("index: full rebuild …")
        index = run_phase("index", base, logs, 3600 * hours)
        index.update(items_per_s=round(index["documents"] / index["seconds"], 1),
                     passages_per_s=round(index["passages"] / index["seconds"], 1),
                     largest_process_mb=max(index["max_rss_mb"], index["max_child_rss_mb"]))
        results["index"] = index
        log(f"  {index['documents']} items in {index['seconds']:.1f} s, peak RSS {index['peak_tree_mb']:.0f} MB")

        edit = site.ask(cmd="edit", fraction=0.01, seed=args.seed, token=EDIT_TOKEN)
        log(f"nightly: {edit['edited']} items edited on the site; incremental crawl (look-back "
            f"{edit['lookback_days']} days) + index update …")
        nightly = run_phase("nightly", base | {"lookback_days": edit["lookback_days"], "token": EDIT_TOKEN},
                            logs, 3600 * hours)
        nightly.update(edited=edit["edited"], lookback_days=edit["lookback_days"])
        results["nightly"] = nightly
        log(f"  index update {nightly['index_update_seconds']:.1f} s, whole nightly {nightly['seconds']:.1f} s, "
            f"{nightly['edited_found']}/{edit['edited']} edits searchable")
        site.child.stop()

        db = work / f"{DS_NAME}.db"
        log("datasette: loading the same items into SQLite + FTS5 …")
        results["datasette_db"] = run_phase("datasette", {"config": str(config), "out": str(db),
                                                         "metadata": str(db.with_name("metadata.json"))},
                                            logs, 3600 * hours)

        vocab = queries.vocabulary(db, args.seed)
        mix = queries.query_mix(vocab, args.queries, args.seed)
        (root / "queries.txt").write_text("".join(f"{q.kind:<24} {q.our_path()}\n{'':<24} {q.their_path()}\n"
                                                  for q in mix))
        results["search"] = search_benchmark(config, db, logs, mix, args.round, args.datasette_threads)
    finally:
        stop_all()
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["loadavg_end"] = os.getloadavg()
    report.print_report(results)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"\nwrote bench/results.json; logs and data under {root.relative_to(ROOT)}")
    print(report.last_line(results))


if __name__ == "__main__":
    main()
