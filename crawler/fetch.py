"""The crawler's only network code: a polite, defensive HTTP client for council websites.

Why it is built the way it is:

- *Polite*: councils run these sites for residents, not for us. Every request carries an
  identifying User-Agent, robots.txt is honoured (see ``crawler.robots``), each host gets at most
  ``requests_per_second`` requests (or fewer if its Crawl-delay asks), and overload signals
  (429/5xx, ``Retry-After``) slow us down with exponential backoff plus jitter.
- *Cheap to re-run*: conditional GETs (ETag / Last-Modified) let the nightly crawl skip
  unchanged pages; a 304 comes back as a normal Response with an empty body.
- *Defensive*: only configured source hosts are fetched, redirects are followed by hand so a
  redirect can never take us to another host, and the address guard (``crawler.netguard``)
  refuses hosts resolving to private/loopback/link-local space before a byte is sent. Bodies are
  streamed under a size cap (also after gzip decoding) and every request has an overall
  deadline, so a huge or trickling response cannot exhaust memory or hang a nightly run.
- *Testable*: clock, sleep, resolver, wall clock and randomness are injected; tests run against
  a real local server without real waits.

Standard library only (``http.client``), one connection per request (``Connection: close``):
at one request per second per host, keep-alive saves little and complicates thread-safety.
"""

from __future__ import annotations

import codecs
import email.utils
import http.client
import logging
import math
import random
import re
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from crawler.netguard import (
    AddressRefused,
    BodyRefused,
    DeadlineExceeded,
    Exchange,
    Resolver,
    describe,
    exchange,
    open_connection,
)
from crawler.robots import RobotsCache, RobotsRules
from crawler.urls import canonical, host_of
from searchsvc.errors import ConfigError, FetchError

log = logging.getLogger(__name__)

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MISSING_STATUSES = frozenset({404, 410})  # a missing page is an answer, not a fault
DEADLINE_FACTOR = 4  # overall per-request deadline = timeout * DEADLINE_FACTOR
DEADLINE_RETRIES = 1  # a deadline overrun is retried once: a trickling server cost 5 × 120 s a page
ROBOTS_MAX_BYTES = 512 * 1024  # Google reads 500 KiB of robots.txt; an 18 MB one slowed every URL
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FetchSettings:
    """How the crawler behaves on the network; built from config (one instance per run)."""

    user_agent: str  # identifying, with a contact URL: "searchsvc/0.1 (+https://…)"
    requests_per_second: float = 1.0  # per host; 0 or negative = unlimited (benchmarks)
    timeout: float = 30.0  # per socket operation (connect, each read)
    max_retries: int = 4
    backoff_base: float = 1.0  # seconds; base * 2**attempt with jitter, capped at max_backoff
    max_backoff: float = 60.0
    max_bytes: int = 20_000_000  # response size cap, on the wire and after decompression
    allowed_hosts: frozenset[str] = frozenset()  # only hosts named by configured sources
    allow_private: frozenset[str] = frozenset()  # hosts allowed to resolve to non-public addresses
    respect_robots: bool = True
    max_redirects: int = 5
    max_crawl_delay: float = 60.0  # a longer robots Crawl-delay skips the host for the run instead

    def __post_init__(self) -> None:
        if not self.user_agent.strip():
            raise ConfigError("fetch settings: user_agent must identify the crawler (with a contact URL)")
        for name in ("timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fetch settings: {name} must be positive, not {getattr(self, name)!r}")
        for name in ("max_retries", "backoff_base", "max_backoff", "max_redirects", "max_crawl_delay"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch settings: {name} must not be negative, not {getattr(self, name)!r}")
        # Host names compare case-insensitively; accept any iterable from config.
        object.__setattr__(self, "allowed_hosts", frozenset(h.lower() for h in self.allowed_hosts))
        object.__setattr__(self, "allow_private", frozenset(h.lower() for h in self.allow_private))


_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# Browsers (WHATWG Encoding) read these labels as windows-1252; council pages rely on it for "£".
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}


def _usable_codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


@dataclass(frozen=True)
class Response:
    """One final answer to a GET (after redirects): what the catalog stores as a raw page."""

    url: str  # final canonical URL (after allowed redirects)
    requested_url: str  # canonical form of the URL asked for
    status: int  # 2xx, 304, 404 or 410
    headers: dict[str, str]  # lower-case names; content-encoding/-length dropped once decoded
    body: bytes  # decoded (gunzipped) body; empty for 304
    fetched_at: datetime  # UTC, when the response headers arrived
    elapsed: float  # seconds spent on the final request (not on waits or earlier retries)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        """The media type alone, lower-case ("text/html"); "" when the server sent none."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        """Codec for ``text``: BOM, then Content-Type charset, then <meta>/XML declaration, then utf-8."""
        for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
            if self.body.startswith(bom):
                return name
        match = _HEADER_CHARSET.search(self.headers.get("content-type", ""))
        if codec := _usable_codec(match.group(1) if match else None):
            return codec
        head = self.body[:4096]
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        if codec := _usable_codec(match.group(1).decode("ascii") if match else None):
            return codec
        return "utf-8"

    @property
    def text(self) -> str:
        """The body as text; undecodable bytes become U+FFFD rather than failing a crawl."""
        return self.body.decode(self.charset, errors="replace")


@dataclass(frozen=True)
class FetchStats:
    """A snapshot of what a Fetcher has done, for crawl progress and the run record."""

    requests: int = 0  # HTTP requests sent (robots.txt, redirects and retries included)
    not_modified: int = 0  # 304 answers returned by get()
    retries: int = 0  # attempts repeated after a connection error, timeout, 429 or 5xx
    errors: int = 0  # get() calls that raised FetchError
    bytes: int = 0  # body bytes received on the wire
    redirects: int = 0  # redirects followed or refused


class _HostGate:
    """Per-host turn-taking: one lock, the time of the last request, the robots Crawl-delay."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: float | None = None
        self.crawl_delay = 0.0


class Fetcher:
    """Fetches pages from configured source hosts politely; thread-safe (share one per run)."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Resolver = socket.getaddrinfo,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        rng: random.Random | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ):
        """``clock``/``sleep`` drive rate limiting and backoff (inject fakes to test waits);
        ``resolve`` is getaddrinfo-compatible (the address guard checks its answers); ``now``
        stamps responses and reads Retry-After dates; ``rng`` supplies backoff jitter.
        Overall request deadlines use real time, because socket timeouts do."""
        self.settings = settings
        self._clock, self._sleep, self._resolve, self._now = clock, sleep, resolve, now
        self._rng = rng or random.Random()
        self._ssl_context = ssl_context
        rps = settings.requests_per_second
        self._interval = 1.0 / rps if rps > 0 else 0.0
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._robots = RobotsCache(self._fetch_robots, settings.user_agent, max_delay=settings.max_crawl_delay)

    # -- public API ---------------------------------------------------------------------------

    @property
    def stats(self) -> FetchStats:
        with self._counts_lock:
            return FetchStats(**{f.name: self._counts[f.name] for f in fields(FetchStats)})

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Response:
        """GET ``url``; returns 2xx, 304 (empty body) and 404/410 responses.

        ``max_bytes`` lowers the size cap for this request (HTML and XML pages get a much smaller
        one than PDFs: parsing costs far more per byte than storing).
        Raises FetchError (naming the URL) for refused URLs (scheme, host, robots, address),
        refused or looping redirects, other 4xx, oversized bodies, and exhausted retries.
        """
        try:
            requested = canonical(url)
        except ValueError as error:  # e.g. a port out of range in a scraped href
            self._count(errors=1)
            raise FetchError(f"refused {url}: not a valid URL ({error})", url=url) from None
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        try:
            self._check_target(requested)
            self._check_robots(requested)
            cap = min(max_bytes, self.settings.max_bytes) if max_bytes else self.settings.max_bytes
            raw = self._follow(requested, conditional, check_robots=True, max_bytes=cap)
            if not (200 <= raw.status < 300 or raw.status == 304 or raw.status in MISSING_STATUSES):
                raise FetchError(f"{raw.url} answered HTTP {raw.status} {raw.reason}".rstrip(), url=raw.url,
                                 status=raw.status)
        except FetchError as error:
            self._count(errors=1)
            log.error("fetch failed: %s", error)  # the message names the URL and the reason
            raise
        if raw.status == 304:
            self._count(not_modified=1)
        body = b"" if raw.status == 304 else raw.body
        return Response(raw.url, requested, raw.status, raw.headers, body, raw.received_at, raw.elapsed)

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (fetching robots.txt on first use).

        Raises FetchError for a URL we would refuse anyway (not http(s), not a source host).
        """
        url = canonical(url)
        self._check_target(url)
        return not self.settings.respect_robots or self._robots_rules(url).allows(url, self.settings.user_agent)

    # -- policy ---------------------------------------------------------------------------------

    def _check_target(self, url: str) -> None:
        if reason := self._refusal(url):
            raise FetchError(f"refused {url}: {reason}", url=url)

    def _refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched at all (before robots.txt), or None."""
        if urlsplit(url).scheme not in ("http", "https"):
            return "only http and https URLs are fetched"
        host = host_of(url)
        if host not in self.settings.allowed_hosts:
            return f"{host or '(no host)'} is not a configured source host"
        return None

    def _robots_rules(self, url: str) -> RobotsRules:
        rules = self._robots.rules_for(url)
        if rules.crawl_delay:
            gate = self._gate(host_of(url))
            with gate.lock:
                gate.crawl_delay = max(gate.crawl_delay, rules.crawl_delay)
        return rules

    def _check_robots(self, url: str) -> None:
        if not self.settings.respect_robots:
            return
        rules = self._robots_rules(url)
        if not rules.allows(url, self.settings.user_agent):
            raise FetchError(f"refused {url}: disallowed by robots.txt ({rules.reason})", url=url)

    def _fetch_robots(self, robots_url: str) -> tuple[int, bytes]:
        """robots.txt goes through the normal path: same rate limit, guard, retries and stats."""
        raw = self._follow(robots_url, {}, check_robots=False, max_bytes=min(ROBOTS_MAX_BYTES, self.settings.max_bytes))
        return raw.status, raw.body

    def _follow(self, url: str, extra_headers: dict[str, str], *, check_robots: bool, max_bytes: int) -> Exchange:
        """Request ``url``, following redirects by hand so each hop is checked before it is sent."""
        chain = [url]
        while True:
            raw = self._with_retries(chain[-1], extra_headers, max_bytes)
            if raw.status not in REDIRECT_STATUSES:
                return raw
            self._count(redirects=1)
            location = raw.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"{raw.url} answered HTTP {raw.status} without a Location", url=raw.url,
                                 status=raw.status)
            target = canonical(urljoin(raw.url, location))
            if reason := self._refusal(target) or _hop_problem(raw.url, target):
                raise FetchError(f"refused redirect from {raw.url} to {target}: {reason}", url=url, status=raw.status)
            if target in chain:
                raise FetchError(f"redirect loop from {url}: {' -> '.join([*chain, target])}", url=url,
                                 status=raw.status)
            if len(chain) > self.settings.max_redirects:
                raise FetchError(f"too many redirects from {url} (more than {self.settings.max_redirects})",
                                 url=url, status=raw.status)
            if check_robots:
                self._check_robots(target)
            log.debug("redirect %s -> %s (%d)", raw.url, target, raw.status)
            chain.append(target)

    # -- retries and pacing ------------------------------------------------------------------

    def _with_retries(self, url: str, extra_headers: dict[str, str], max_bytes: int) -> Exchange:
        settings = self.settings
        attempt = overruns = 0
        while True:
            self._wait_turn(host_of(url))
            status: int | None = None
            retry_after: float | None = None
            try:
                raw = self._send(url, extra_headers, max_bytes)
            except DeadlineExceeded as error:
                reason = describe(error)
                overruns += 1
                if overruns > DEADLINE_RETRIES:
                    raise FetchError(f"gave up on {url} after {attempt + 1} attempts: {reason}", url=url) from None
            except AddressRefused as error:
                raise FetchError(f"refused {url}: {error}", url=url) from None
            except ssl.SSLCertVerificationError as error:
                raise FetchError(f"{url}: TLS certificate not valid ({error.verify_message})", url=url) from None
            except (OSError, http.client.HTTPException) as error:
                reason = describe(error)
            else:
                if raw.status not in RETRY_STATUSES:
                    return raw
                status, reason = raw.status, f"HTTP {raw.status} {raw.reason}".rstrip()
                retry_after = self._retry_after(raw.headers.get("retry-after"))
            if attempt >= settings.max_retries:
                raise FetchError(f"gave up on {url} after {attempt + 1} attempts: {reason}", url=url, status=status)
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            self._count(retries=1)
            log.warning("retrying %s in %.2fs (attempt %d of %d): %s", url, delay, attempt + 2,
                        settings.max_retries + 1, reason)
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        """Equal jitter: half the exponential step fixed, half random, so waits never collapse to 0."""
        step = min(self.settings.max_backoff, self.settings.backoff_base * 2 ** min(attempt, 32))
        return step / 2 + self._rng.uniform(0, step / 2)

    def _retry_after(self, value: str | None) -> float | None:
        """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped."""
        if not value:
            return None
        try:
            seconds = float(value.strip())
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value.strip())
            except (TypeError, ValueError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            seconds = (when - self._now()).total_seconds()
        if math.isnan(seconds):
            return None
        return min(max(seconds, 0.0), self.settings.max_backoff)

    def _gate(self, host: str) -> _HostGate:
        with self._gates_lock:
            return self._gates.setdefault(host, _HostGate())

    def _wait_turn(self, host: str) -> None:
        """Block until ``host`` may receive another request; the lock is held while sleeping so
        concurrent threads queue up per host instead of bursting."""
        gate = self._gate(host)
        with gate.lock:
            interval = max(self._interval, gate.crawl_delay)
            now = self._clock()
            if gate.last is not None and interval > 0:
                wait = gate.last + interval - now
                if wait > 0:
                    log.log(logging.INFO if wait >= 5 else logging.DEBUG, "waiting %.2fs for %s", wait, host)
                    self._sleep(wait)
                    now = max(self._clock(), gate.last + interval)
            gate.last = now

    def _count(self, **amounts: int) -> None:
        with self._counts_lock:
            self._counts.update(amounts)

    # -- one exchange ---------------------------------------------------------------------------

    def _send(self, url: str, extra_headers: dict[str, str], max_bytes: int) -> Exchange:
        """One GET on a fresh connection to a checked address; reads the body only when wanted."""
        settings = self.settings
        parts = urlsplit(url)
        host = parts.hostname or ""
        conn = open_connection(
            parts.scheme, host, parts.port or (443 if parts.scheme == "https" else 80),
            timeout=settings.timeout, resolve=self._resolve,
            allow_private=host in settings.allow_private, ssl_context=self._ssl_context,
        )  # resolves and checks the address: nothing is sent (or counted) if it is refused
        headers = {
            "User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip",
            "Connection": "close", **extra_headers,
        }
        self._count(requests=1)
        log.debug("GET %s", url)
        try:
            got = exchange(
                conn, url, parts.path + (f"?{parts.query}" if parts.query else ""), headers,
                deadline=settings.timeout * DEADLINE_FACTOR, max_bytes=max_bytes,
                want_body=lambda status: 200 <= status < 300 or status in MISSING_STATUSES,
                now=self._now, on_bytes=lambda n: self._count(bytes=n),
            )
        except BodyRefused as error:
            raise FetchError(f"refused {url}: {error}", url=url) from None
        log.debug("%d %s: %d bytes in %.3fs", got.status, url, len(got.body), got.elapsed)
        return got


def _hop_problem(source: str, target: str) -> str | None:
    """A redirect may keep its scheme and port or go from http to https on the default ports;
    anything else on the same host (another port, https to http) is another service."""
    a, b = urlsplit(source), urlsplit(target)
    port_a, port_b = a.port or DEFAULT_PORTS.get(a.scheme), b.port or DEFAULT_PORTS.get(b.scheme)
    if (a.scheme, port_a) == (b.scheme, port_b):
        return None
    if (a.scheme, port_a, b.scheme, port_b) == ("http", 80, "https", 443):
        return None
    return f"a redirect may not move from {a.scheme} port {port_a} to {b.scheme} port {port_b}"
