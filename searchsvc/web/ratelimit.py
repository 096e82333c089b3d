"""A per-address request limit for the search endpoints (``web.rate_limit_per_minute``).

Why in the app and so simple: the service is often run without a reverse proxy
in front of it (a newsroom's spare machine), and one scraper paging through
every result must not starve the people searching. A fixed one-minute window
per client address is enough for that; 0 (the default) switches it off. The
counters live in this process, so with several processes each enforces its own.
"""

from __future__ import annotations

import threading
import time

from flask import g, request
from werkzeug.exceptions import TooManyRequests

LIMITED = ("/search", "/api/search", "/search.atom", "/search.csv", "/trends", "/api/trends")


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def check(self) -> None:
        """``before_request`` hook: raise 429 when this address used up its minute."""
        if not self.per_minute or request.path not in LIMITED:
            return
        now = self.clock()
        window = int(now // 60)
        address = request.remote_addr or "-"
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(address, 0) + 1
            self._counts[address] = count
        if count > self.per_minute:
            g.retry_after = max(1, int(60 - now % 60))
            raise TooManyRequests(f"more than {self.per_minute} searches a minute from your address; "
                                  f"try again in {g.retry_after} seconds")
