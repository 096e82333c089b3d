"""Bounding what clients can make the search endpoints do: a per-address budget weighted by cost
(``web.rate_limit_per_minute``), and a cap on expensive requests running at once.

Why in the app and so simple: the service is often run without a reverse proxy
in front of it (a newsroom's spare machine), and one scraper paging through
every result must not starve the people searching. A fixed one-minute window
per client address is enough for that; 0 (the default) switches it off.

Why a shared table: ``searchsvc serve`` runs several worker processes, and a budget counted per
process would let a client spend it once per worker. :class:`SharedCounts` keeps the counts in a
small memory-mapped file the server's master creates before forking (65,536 slots of 16 bytes):
an address hashes to a slot, probing a few neighbours; a slot from an earlier minute is free. An
``flock`` on the file (plus a thread lock, since flock is per open file) makes a check atomic
across processes; it costs a few microseconds, far below a search. When every probed slot is held
by other addresses this minute, the address shares its home slot — it may be refused early, never
let through late. Without a table (tests, ``--debug``, the browser-test server) the counts are a
dict in this process (:class:`LocalCounts`).

:class:`ExpensiveGate` stays per process, by decision: with one worker per core, "one export or
trend chart running per process" is one per core, which still leaves every worker's other
threads for cheap searches; a server-wide semaphore in shared memory would leak its slot whenever
a worker dies mid-request (gunicorn kills a stuck worker) and lock exports out until a restart.

Why by cost and not by count: a CSV export runs up to 50 searches and a trends page one per year,
so counting requests let eight /trends clients push ordinary searches from 25 ms to 3.4 s. Any
request carrying a query counts (speaker pages run searches too), weighted by what it costs;
and :class:`ExpensiveGate` lets only a few expensive requests run at once — the rest are told to
come back (503 + Retry-After) instead of holding every server thread.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
import time
from pathlib import Path
from typing import Protocol

from flask import g, request
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

LIMITED = ("/search", "/api/search", "/search.atom", "/search.csv", "/trends", "/api/trends")
SEARCHING_PREFIXES = ("/speakers/", "/api/speakers/")  # run a search when given ?q=
COST = {"/search.csv": 10, "/trends": 5, "/api/trends": 5}  # budget units; everything else costs 1
EXPENSIVE = frozenset(COST)


def cost_of(path: str, has_query: bool) -> int:
    """What one request costs of its address's budget; 0 for requests that run no search."""
    if path in LIMITED or has_query and path.startswith(SEARCHING_PREFIXES):
        return COST.get(path, 1)
    return 0


class Counts(Protocol):
    def spend(self, address: str, window: int, cost: int, budget: int) -> bool:
        """Add ``cost`` to ``address``'s spending in ``window`` if it stays within ``budget``;
        False (and the address marked spent) when it would not."""


class LocalCounts:
    """Counts in this process only (one app serving with threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def spend(self, address: str, window: int, cost: int, budget: int) -> bool:
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            spent = self._counts.get(address, 0)
            if spent + cost <= budget:
                self._counts[address] = spent + cost
                return True
            self._counts[address] = max(spent, budget)
            return False


RATE_TABLE = "ratelimit.table"  # its name in the server's run directory
SLOT = struct.Struct("<QqI4x")  # address hash (0 = empty), window, spent
SLOTS = 65536
PROBES = 8


class SharedCounts:
    """Counts shared by every process that opens the same table file (module docstring)."""

    def __init__(self, path: Path):
        self._fd = os.open(path, os.O_RDWR)
        self._map = mmap.mmap(self._fd, SLOT.size * SLOTS)
        self._lock = threading.Lock()

    @staticmethod
    def create(path: Path) -> None:
        """An empty table (the server's master, before the workers start)."""
        with open(path, "wb") as f:
            f.truncate(SLOT.size * SLOTS)

    def spend(self, address: str, window: int, cost: int, budget: int) -> bool:
        key = int.from_bytes(hashlib.blake2b(address.encode(), digest_size=8).digest(), "little") or 1
        home = key % SLOTS
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                offset, spent = self._find(key, home, window)
                allowed = spent + cost <= budget
                self._map[offset:offset + SLOT.size] = SLOT.pack(key, window, spent + cost if allowed
                                                                 else max(spent, budget))
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        return allowed

    def _find(self, key: int, home: int, window: int) -> tuple[int, int]:
        """(offset, spent this window) of ``key``'s slot: its own, else a free one, else its home."""
        free = None
        for probe in range(PROBES):
            offset = (home + probe) % SLOTS * SLOT.size
            k, w, spent = SLOT.unpack_from(self._map, offset)
            if w == window and k == key:
                return offset, spent
            if free is None and (w != window or not k):
                free = offset
        if free is not None:
            return free, 0
        offset = home * SLOT.size
        return offset, SLOT.unpack_from(self._map, offset)[2]  # shared with another address: stricter

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic, counts: Counts | None = None):
        self.per_minute = per_minute
        self.clock = clock
        self.counts = counts or LocalCounts()

    def check(self) -> None:
        """``before_request`` hook: raise 429 when this address used up its minute."""
        if not self.per_minute:
            return
        cost = cost_of(request.path, bool(request.args.get("q", "").strip()))
        if not cost:
            return
        now = self.clock()
        if self.counts.spend(request.remote_addr or "-", int(now // 60), cost, self.per_minute):
            return
        g.retry_after = max(1, int(60 - now % 60))
        raise TooManyRequests(f"more than {self.per_minute} searches a minute from your address (exports count "
                              f"{COST['/search.csv']}, trends {COST['/trends']}); try again in {g.retry_after} seconds")


class ExpensiveGate:
    """At most ``running`` expensive requests (CSV exports, trends) at once, and ``waiting`` more
    queued for up to ``wait_seconds``; any beyond is a 503 with Retry-After at once, so cheap
    requests always find a free server thread and a share of the CPU."""

    def __init__(self, running: int = 1, waiting: int = 1, wait_seconds: float = 10.0):
        self._slots = threading.BoundedSemaphore(running)
        self._queue = threading.BoundedSemaphore(running + waiting)
        self._wait = wait_seconds

    def enter(self) -> None:
        """``before_request`` hook."""
        if request.path not in EXPENSIVE:
            return
        if not self._queue.acquire(blocking=False):
            self._busy()
        if not self._slots.acquire(timeout=self._wait):
            self._queue.release()
            self._busy()
        g.expensive_gate = self

    def leave(self, _error: BaseException | None = None) -> None:
        """``teardown_request`` hook: runs whatever happened to the request."""
        if g.pop("expensive_gate", None) is self:
            self._slots.release()
            self._queue.release()

    @staticmethod
    def _busy() -> None:
        g.retry_after = 2
        raise ServiceUnavailable("The server is busy with other exports and trend charts; try again in a few seconds.")
