"""The HTTP load client: standard library threads, keep-alive connections, 127.0.0.1 only.

Two servers are measured *interleaved*: the query mix is cut into short rounds and each round
runs on one server, then on the other (the order alternating from round to round), at the
same concurrency. Drift of the machine (another process, thermal, page cache) then hits both
alike, and only one server is loaded at any moment, so neither slows the other.

Latency is wall time from sending a request to having read the whole body (JSON decoding
happens after the pass, off the clock). Throughput at a concurrency is requests divided by
the wall time of that server's rounds.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from bench.procs import HOST


@dataclass
class Sample:
    n: int
    kind: str
    ms: float
    status: int
    body: bytes = b""
    error: str = ""


@dataclass
class Target:
    """One server under test; ``check`` reads a body → (ok, total, hit a time limit)."""

    name: str
    port: int
    path: Callable[[Any], str]
    check: Callable[[dict], tuple[bool, int | None, bool]]


@dataclass
class PassResult:
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0  # wall time of this server's rounds


class Pool:
    """``concurrency`` client threads, each with its own keep-alive connection per server."""

    def __init__(self, concurrency: int, timeout: float = 300.0):
        self.concurrency = concurrency
        self.timeout = timeout
        self.jobs: queue.Queue = queue.Queue()
        self.threads = [threading.Thread(target=self._work, daemon=True, name=f"client-{i}")
                        for i in range(concurrency)]
        for t in self.threads:
            t.start()

    def _work(self) -> None:
        conns: dict[int, http.client.HTTPConnection] = {}
        while True:
            job = self.jobs.get()
            if job is None:
                for c in conns.values():
                    c.close()
                self.jobs.task_done()
                return
            target, query, out, i = job
            path = target.path(query)
            sample = Sample(query.n, query.kind, 0.0, 0)
            for _attempt in (1, 2):  # a server may close an idle keep-alive connection: reconnect once
                conn = conns.get(target.port)
                if conn is None:
                    conn = conns[target.port] = http.client.HTTPConnection(HOST, target.port, timeout=self.timeout)
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Accept": "application/json"})
                    response = conn.getresponse()
                    body = response.read()
                    sample.ms = (time.perf_counter() - started) * 1000
                    sample.status, sample.body, sample.error = response.status, body, ""
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                        del conns[target.port]
                    break
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    del conns[target.port]
                    sample.ms = (time.perf_counter() - started) * 1000
                    sample.error = f"{type(e).__name__}: {e}"
            out[i] = sample
            self.jobs.task_done()

    def run(self, target: Target, queries: list[Any]) -> tuple[list[Sample], float]:
        out: list[Any] = [None] * len(queries)
        started = time.perf_counter()
        for i, q in enumerate(queries):
            self.jobs.put((target, q, out, i))
        self.jobs.join()
        return out, time.perf_counter() - started

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)
        self.jobs.join()


def interleaved(targets: list[Target], queries: list[Any], concurrency: int, round_size: int) -> dict[str, PassResult]:
    """Run ``queries`` on every target in alternating rounds; samples in query order per target."""
    results = {t.name: PassResult() for t in targets}
    pool = Pool(concurrency)
    try:
        for r, lo in enumerate(range(0, len(queries), round_size)):
            chunk = queries[lo:lo + round_size]
            order = targets if r % 2 == 0 else list(reversed(targets))
            for target in order:
                samples, seconds = pool.run(target, chunk)
                results[target.name].samples += samples
                results[target.name].seconds += seconds
    finally:
        pool.close()
    return results


def warm_up(target: Target, paths: list[str], concurrency: int) -> None:
    """Requests outside the mix, so every server thread has opened its files before timing starts."""

    class _Q:
        def __init__(self, path: str):
            self.n, self.kind, self.p = -1, "warm-up", path

    t = Target(target.name, target.port, lambda q: q.p, target.check)
    pool = Pool(concurrency)
    try:
        for _ in range(3):
            samples, _s = pool.run(t, [_Q(p) for p in paths for _ in range(concurrency)])
            bad = [s for s in samples if s.status != 200]
            if bad:
                raise RuntimeError(f"{target.name} warm-up failed: {bad[0].status} {bad[0].error} "
                                   f"{bad[0].body[:300]!r}")
    finally:
        pool.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    xs = sorted(values)
    k = max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))
    return xs[k]


def summarise(result: PassResult, check: Callable[[dict], tuple[bool, int | None, bool]]) -> dict[str, Any]:
    """Percentiles, throughput, failures and time-limit hits of one server's pass."""
    ms = [s.ms for s in result.samples]
    failures, limited, totals = [], 0, []
    for s in result.samples:
        ok, total, hit_limit = False, None, False
        if s.status == 200 and not s.error:
            try:
                ok, total, hit_limit = check(json.loads(s.body))
            except ValueError:
                ok = False
        if not ok:
            failures.append(f"#{s.n} {s.kind}: {s.status} {s.error or s.body[:200]!r}")
        limited += hit_limit
        totals.append(total)
    by_kind: dict[str, list[float]] = {}
    for s in result.samples:
        by_kind.setdefault(s.kind, []).append(s.ms)
    return {
        "requests": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2) if ms else None,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else None,
        "throughput_rps": round(len(ms) / result.seconds, 2) if result.seconds else None,
        "failures": len(failures), "failure_examples": failures[:5], "time_limited": limited,
        "by_kind": {k: {"p50_ms": round(percentile(v, 50), 2), "p95_ms": round(percentile(v, 95), 2)}
                    for k, v in by_kind.items()},
        "totals": totals,
    }
