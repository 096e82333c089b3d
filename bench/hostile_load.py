"""Cost, not count (issue 18, item 6): do cheap searches stay fast while heavy clients hammer the
expensive endpoints? A script, not a test: it prints figures and exits 1 when the target is missed.

Eight "heavy" clients loop over trend charts and CSV exports as fast as the server answers (an
attacker does not honour Retry-After); four "cheap" clients loop over ordinary JSON searches.
All run for ``--seconds`` (30) against ``searchsvc serve`` on 127.0.0.1, started here on a free
port over ``--data-dir``. The target: the cheap clients' p95 at most 150 ms. A first, shorter pass
with the cheap clients alone gives the baseline.

    .venv/bin/python bench/hostile_load.py --data-dir /tmp/load-data   # builds the sample council if empty
    .venv/bin/python bench/hostile_load.py --data-dir D --code /path/to/other/checkout   # compare code

``--code`` runs the server from another checkout (e.g. the code before a change) on the same data.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.procs import HOST, ROOT, Child, free_port, wait_http

CHEAP_WORDS = ("foster", "parking", "budget", "school", "housing", "library", "planning", "council", "road",
               "care", "children", "licence", "waste", "park", "tax", "grant", "health", "transport")
HEAVY_PATHS = (
    "/trends?q=council", "/search.csv?q=council", "/trends?q=plan%2A", "/search.csv?q=c%2A+OR+p%2A",
    "/api/trends?q=report", "/search.csv?q=" + quote(" OR ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz")),
)
TARGET_P95_MS = 150.0


def client(port: int, paths: list[str], until: float, samples: list[tuple[float, int]], lock: threading.Lock) -> None:
    """Send ``paths`` round and round on one keep-alive connection until ``until``."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    n = 0
    while time.monotonic() < until:
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            status = answer.status
            if answer.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
        with lock:
            samples.append(((time.perf_counter() - started) * 1000, status))
    conn.close()


def load(port: int, seconds: float, heavy: int, cheap: int) -> dict[str, object]:
    lock = threading.Lock()
    cheap_samples: list[tuple[float, int]] = []
    heavy_samples: list[tuple[float, int]] = []
    until = time.monotonic() + seconds
    threads = []
    for i in range(cheap):
        paths = [f"/api/search?q={w}&page={p}" for p in (1, 2, 3) for w in CHEAP_WORDS[i::cheap]]
        threads.append(threading.Thread(target=client, args=(port, paths, until, cheap_samples, lock)))
    for i in range(heavy):
        paths = list(HEAVY_PATHS[i % len(HEAVY_PATHS):] + HEAVY_PATHS[: i % len(HEAVY_PATHS)])
        threads.append(threading.Thread(target=client, args=(port, paths, until, heavy_samples, lock)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"cheap": summary(cheap_samples), "heavy": summary(heavy_samples)}


def summary(samples: list[tuple[float, int]]) -> dict[str, object]:
    ms = sorted(m for m, _ in samples)
    if not ms:
        return {"requests": 0}
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else [ms[0]] * 99
    return {"requests": len(ms), "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "max_ms": round(ms[-1], 1),
            "statuses": dict(sorted(Counter(s for _, s in samples).items()))}


def ensure_data(data_dir: Path, size: float) -> None:
    if (data_dir / "whoosh" / "CURRENT").exists():
        return
    print(f"building the sample council (size {size}) into {data_dir} …", flush=True)
    subprocess.run([sys.executable, "-m", "searchsvc", "-q", "--data-dir", str(data_dir), "demo", "--no-serve",
                    "--size", str(size), "--sample-port", str(free_port())], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--size", type=float, default=1.0, help="sample council size when building (1.0 ≈ 6,000 items)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--heavy", type=int, default=8)
    parser.add_argument("--cheap", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="server threads (web.threads)")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout the server runs from")
    args = parser.parse_args()
    ensure_data(args.data_dir, args.size)
    port = free_port()
    log = args.data_dir / "hostile-load-server.log"
    argv = [sys.executable, "-P", "-m", "searchsvc", "--data-dir", str(args.data_dir), "serve", "--port", str(port),
            "--threads", str(args.threads)]
    server = Child("serve", argv, log=log,
                   env={**os.environ, "PYTHONPATH": str(args.code.resolve()), "SEARCHSVC_CONFIG": ""})
    try:
        wait_http(f"http://{HOST}:{port}/healthz", server)
        baseline = load(port, min(10.0, args.seconds), heavy=0, cheap=args.cheap)
        loaded = load(port, args.seconds, heavy=args.heavy, cheap=args.cheap)
    finally:
        server.stop()
    result = {"code": str(args.code.resolve()), "seconds": args.seconds, "server_threads": args.threads,
              "cheap_alone": baseline["cheap"], "under_load": loaded, "target_cheap_p95_ms": TARGET_P95_MS}
    print(json.dumps(result, indent=2))
    p95 = loaded["cheap"].get("p95_ms", float("inf"))
    print(f"cheap p95 {p95} ms with {args.heavy} heavy + {args.cheap} cheap clients for {args.seconds:g} s "
          f"(alone {baseline['cheap'].get('p95_ms')} ms): {'OK' if p95 <= TARGET_P95_MS else 'MISSED'} "
          f"(target ≤ {TARGET_P95_MS:g} ms)")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
