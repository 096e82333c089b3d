"""robots.txt for the crawler: fetched once per origin, cached for the run, read conservatively.

Status handling follows RFC 9309 and Python's own robotparser, leaning towards *not* crawling
when in doubt, because a council that cannot tell us its rules has not given us permission:

- 2xx: parse it (``urllib.robotparser``, matched with our user-agent's product token).
- 401/403: the site refuses robots → disallow everything.
- other 4xx (404, 410, …): there are no rules → allow everything.
- 5xx, 429 after retries, network failure, refused redirect, oversized file: unreachable →
  disallow everything *for this run* (logged once), so a flaky night costs a night, not a ban.

``Crawl-delay`` (and ``Request-rate``) become a minimum interval between our requests to that
host; the fetcher uses it only when it is longer than its own rate interval.

Known limitation: ``urllib.robotparser`` applies the first matching Allow/Disallow line rather
than RFC 9309's longest match, and ignores ``*``/``$`` wildcards inside paths.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from searchsvc.errors import FetchError

log = logging.getLogger(__name__)

ALLOW_ALL = "allow-all"
DISALLOW_ALL = "disallow-all"
PARSED = "parsed"


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt lets us do, and why (``reason`` is shown in errors/logs)."""

    verdict: str  # PARSED, ALLOW_ALL or DISALLOW_ALL
    reason: str
    parser: RobotFileParser | None = None
    crawl_delay: float | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        if self.verdict == ALLOW_ALL:
            return True
        if self.verdict == DISALLOW_ALL or self.parser is None:
            return False
        return self.parser.can_fetch(user_agent, url)


def robots_url(url: str) -> str:
    """The robots.txt URL governing ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def rules_from_response(status: int, body: bytes, user_agent: str, max_delay: float | None = None) -> RobotsRules:
    """Turn the final (post-redirect) answer for /robots.txt into rules.

    A Crawl-delay above ``max_delay`` disallows the host for the run: obeying ``Crawl-delay:
    86400`` would hold the writer lock for a day per page while every other council waited."""
    if 200 <= status < 300:
        text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        delays = []
        if (delay := parser.crawl_delay(user_agent)) is not None:
            delays.append(float(delay))
        if (rate := parser.request_rate(user_agent)) is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        delay = max(delays) if delays else None
        if delay is not None and max_delay is not None and delay > max_delay:
            return RobotsRules(DISALLOW_ALL, f"robots.txt asks for a Crawl-delay of {delay:g} s, more than "
                                             f"crawl.max_crawl_delay ({max_delay:g} s): host skipped for this run")
        return RobotsRules(PARSED, f"robots.txt ({status})", parser, delay)
    if status in (401, 403):
        return RobotsRules(DISALLOW_ALL, f"robots.txt answered {status}: robots are refused")
    if 400 <= status < 500:
        return RobotsRules(ALLOW_ALL, f"robots.txt answered {status}: no rules")
    return RobotsRules(DISALLOW_ALL, f"robots.txt answered {status}: treated as unreachable for this run")


class RobotsCache:
    """Rules per origin, fetched at most once per run even when many threads ask at once.

    ``fetch(robots_url) -> (status, body)`` is the fetcher's own request path (same rate limit,
    address guard, statistics); it raises FetchError when the file cannot be had at all.
    """

    def __init__(self, fetch: Callable[[str], tuple[int, bytes]], user_agent: str, max_delay: float | None = None):
        self._fetch = fetch
        self._user_agent = user_agent
        self._max_delay = max_delay
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        key = robots_url(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # a second thread waits for the first one's fetch instead of repeating it
            if key not in self._rules:
                self._rules[key] = self._load(key)
            return self._rules[key]

    def cached(self, url: str) -> RobotsRules | None:
        """The rules for ``url``'s origin if already fetched (never fetches)."""
        return self._rules.get(robots_url(url))

    def _load(self, key: str) -> RobotsRules:
        try:
            status, body = self._fetch(key)
        except FetchError as error:
            rules = RobotsRules(DISALLOW_ALL, f"robots.txt unreachable ({error}): disallowing this host for this run")
        else:
            rules = rules_from_response(status, body, self._user_agent, self._max_delay)
        if rules.verdict == DISALLOW_ALL:  # a whole host skipped tonight deserves attention
            log.error("%s: %s", key, rules.reason)
        else:
            log.debug("%s: %s, crawl-delay %s", key, rules.reason, rules.crawl_delay)
        return rules
