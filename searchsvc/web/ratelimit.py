"""Bounding what clients can make the search endpoints do: a per-address budget weighted by cost
(``web.rate_limit_per_minute``), and a cap on expensive requests running at once.

Why in the app and so simple: the service is often run without a reverse proxy
in front of it (a newsroom's spare machine), and one scraper paging through
every result must not starve the people searching. A fixed one-minute window
per client address is enough for that; 0 (the default) switches it off. The
counters live in this process, so with several processes each enforces its own.

Why by cost and not by count: a CSV export runs up to 50 searches and a trends page one per year,
so counting requests let eight /trends clients push ordinary searches from 25 ms to 3.4 s. Any
request carrying a query counts (speaker pages run searches too), weighted by what it costs;
and :class:`ExpensiveGate` lets only a few expensive requests run at once — the rest are told to
come back (503 + Retry-After) instead of holding every server thread.
"""

from __future__ import annotations

import threading
import time

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


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def check(self) -> None:
        """``before_request`` hook: raise 429 when this address used up its minute."""
        if not self.per_minute:
            return
        cost = cost_of(request.path, bool(request.args.get("q", "").strip()))
        if not cost:
            return
        now = self.clock()
        window = int(now // 60)
        address = request.remote_addr or "-"
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            spent = self._counts.get(address, 0)
            if spent + cost <= self.per_minute:
                self._counts[address] = spent + cost
                return
            self._counts[address] = max(spent, self.per_minute)
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
