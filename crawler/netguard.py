"""Where and how the crawler talks to a server: the address guard, connections pinned to checked
addresses, and one bounded exchange (overall deadline, size cap, gzip) over such a connection.

The crawler follows links and redirects found on other people's servers, and some of it runs
next to our own services. A hostile or mis-configured DNS record (``democracy.example.gov.uk →
127.0.0.1``) would otherwise let a council page make us talk to localhost, the cloud metadata
endpoint (169.254.169.254) or the office network. So every host is resolved *before* a
connection is made, every address it resolves to is checked, and the connection is then made to
one of those checked addresses (not to the name again) -- which closes the DNS-rebinding gap
where a second lookup answers differently from the first. TLS still verifies the certificate
against the host *name* (SNI + ``check_hostname``), so pinning the address weakens nothing.

Once connected, a server can still misbehave: trickle bytes, send gigabytes, or a gzip bomb.
``exchange`` bounds all three, so the worst a server can cost us is ``deadline`` seconds and
``max_bytes`` of memory per request.

Limitations: proxies (``http_proxy`` …) are deliberately not supported (we talk to the origin);
the DNS lookup itself is bounded by the system resolver's timeouts, not by ``deadline``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Resolver = Callable[..., Sequence[tuple[Any, ...]]]

# Categories the ipaddress module can name, in the order we report them.
_CATEGORIES = ("loopback", "link_local", "unspecified", "multicast", "reserved", "private")  # most specific first


class AddressRefused(Exception):
    """The host resolved to an address we must not connect to (the message says which and why)."""


def address_problem(address: str) -> str | None:
    """Why ``address`` is not a public unicast address, or None if it is one.

    IPv4-mapped and 6to4 IPv6 addresses (``::ffff:127.0.0.1``, ``2002:7f00:1::``) are judged by
    their IPv4 part, IPv6 site-local ones (``fec0::/10``) are refused, and
    anything ``ipaddress`` does not call global (e.g. carrier-grade NAT 100.64/10) is refused
    too, because a public council website never lives there.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour  # 6to4 (2002::/16) carries an IPv4 address too
        if embedded is not None:
            ip = embedded
        elif ip.is_site_local:  # fec0::/10: deprecated, but still routed on some internal networks
            return "site-local"
    for name in _CATEGORIES:
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:
        return "not globally routable"
    return None


def resolve_checked(
    host: str, port: int, *, resolve: Resolver, allow_private: bool
) -> list[tuple[int, tuple[Any, ...]]]:
    """Resolve ``host`` and return ``(family, sockaddr)`` pairs that are safe to connect to.

    Raises AddressRefused if *any* address is non-public (unless ``allow_private``): a name
    that mixes public and private answers is exactly what a rebinding attack looks like, so we
    do not try to pick the good ones. Resolver errors (``socket.gaierror``) propagate; they are
    connection errors to the caller and are retried.
    """
    infos = resolve(host, port, 0, socket.SOCK_STREAM)
    targets: list[tuple[int, tuple[Any, ...]]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if not allow_private:
            problem = address_problem(str(sockaddr[0]))
            if problem:
                raise AddressRefused(f"{host} resolves to {sockaddr[0]} ({problem} address)")
        targets.append((family, tuple(sockaddr)))
    if not targets:
        raise socket.gaierror(f"{host} resolved to no addresses")
    return targets


def _connect_first(targets: Sequence[tuple[int, tuple[Any, ...]]], timeout: float) -> socket.socket:
    """Connect to the first reachable checked address (like socket.create_connection, minus DNS)."""
    last_error: OSError | None = None
    for family, sockaddr in targets:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            last_error = error
            sock.close()
    assert last_error is not None
    raise last_error


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTPConnection that connects to already-checked addresses; the Host header still
    names the host, so virtual hosting works."""

    def __init__(self, host: str, port: int, targets, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._targets = targets

    def connect(self) -> None:
        self.sock = _connect_first(self._targets, self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address; certificate verified against the host name via SNI."""

    def __init__(self, host: str, port: int, targets, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._targets = targets
        self._ssl_context = context

    def connect(self) -> None:
        sock = _connect_first(self._targets, self.timeout)
        self.sock = self._ssl_context.wrap_socket(sock, server_hostname=self.host)


def open_connection(
    scheme: str,
    host: str,
    port: int,
    *,
    timeout: float,
    resolve: Resolver,
    allow_private: bool,
    ssl_context: ssl.SSLContext | None = None,
) -> http.client.HTTPConnection:
    """A not-yet-connected connection to ``host`` pinned to addresses that passed the guard.

    Resolution happens here, before any byte is sent, so a refused address costs no traffic.
    """
    targets = resolve_checked(host, port, resolve=resolve, allow_private=allow_private)
    if scheme == "https":
        return PinnedHTTPSConnection(host, port, targets, timeout, ssl_context or ssl.create_default_context())
    return PinnedHTTPConnection(host, port, targets, timeout)


# -- one bounded exchange ---------------------------------------------------------------------

_CHUNK = 64 * 1024


class DeadlineExceeded(TimeoutError):
    """The overall per-request deadline passed; the fetcher retries it at most once (a server that
    trickles bytes will do it again, and each overrun costs the whole deadline)."""


class BodyRefused(Exception):
    """The body is too large, or encoded in a way we cannot decode; not worth retrying."""


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as received (any status); the body only when it was asked for."""

    url: str
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names, repeated headers joined with ", "
    body: bytes
    received_at: datetime
    elapsed: float


class _Watchdog:
    """Shuts a request's socket down when its overall deadline passes.

    Socket timeouts bound each read, not the whole response: a server sending one byte every
    few seconds never trips them. Shutting the socket from a timer thread unblocks whatever
    read is in progress (status line, headers or body; plain or TLS), so no request outlives
    its deadline by more than a moment.
    """

    def __init__(self, seconds: float):
        self.fired = False
        self._seconds = seconds
        self._timer: threading.Timer | None = None

    def arm(self, sock: socket.socket) -> None:
        def fire() -> None:
            self.fired = True
            try:  # the plain-socket method, so TLS state is not torn down under the reader
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

        self._timer = threading.Timer(self._seconds, fire)
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def exchange(
    conn: http.client.HTTPConnection,
    url: str,
    target: str,
    headers: dict[str, str],
    *,
    deadline: float,
    max_bytes: int,
    want_body: Callable[[int], bool],
    now: Callable[[], datetime],
    on_bytes: Callable[[int], None] = lambda n: None,
) -> Exchange:
    """Send one GET for ``url`` (path + query ``target``) on ``conn`` and read the answer
    within ``deadline`` seconds overall.

    Raises DeadlineExceeded, BodyRefused, OSError or http.client.HTTPException (including
    IncompleteRead when the connection closes before the declared or encoded end of the body).
    """
    watchdog = _Watchdog(deadline)
    started = time.monotonic()
    resp: http.client.HTTPResponse | None = None
    try:
        conn.connect()
        watchdog.arm(conn.sock)
        conn.request("GET", target, headers=headers)
        resp = conn.getresponse()
        received_at = now()
        resp_headers: dict[str, str] = {}
        for name, value in resp.getheaders():
            key = name.lower()
            resp_headers[key] = f"{resp_headers[key]}, {value}" if key in resp_headers else value
        body = _read_body(resp, resp_headers, max_bytes, on_bytes) if want_body(resp.status) else b""
        if watchdog.fired:  # the shutdown may have looked like a clean end of the body
            raise DeadlineExceeded()
    except Exception as error:
        if watchdog.fired:
            raise DeadlineExceeded(f"no complete response within {deadline:g}s") from error
        raise
    finally:
        watchdog.disarm()
        if resp is not None:  # with "Connection: close" the connection no longer owns it
            resp.close()
        conn.close()
    return Exchange(url, resp.status, resp.reason or "", resp_headers, body, received_at, time.monotonic() - started)


def _read_body(
    resp: http.client.HTTPResponse, headers: dict[str, str], cap: int, on_bytes: Callable[[int], None]
) -> bytes:
    """Stream the body under the size cap (on the wire *and* decoded), gunzipping as it arrives.

    A declared Content-Length over the cap is refused before reading anything. Once decoded,
    content-encoding/content-length are dropped from ``headers`` since they no longer describe it.
    """
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise BodyRefused(f"Content-Length {declared} exceeds the {cap}-byte limit")
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # accepts gzip and zlib wrappers
    elif encoding in ("", "identity"):
        inflater = None
    else:
        raise BodyRefused(f"unsupported Content-Encoding {encoding!r}")
    chunks: list[bytes] = []
    wire = size = 0
    while data := resp.read1(_CHUNK):
        wire += len(data)
        on_bytes(len(data))
        if inflater is not None:
            data = _inflate(inflater, data, cap - size)
        size += len(data)
        if wire > cap or size > cap:
            raise BodyRefused(f"body exceeds the {cap}-byte limit")
        chunks.append(data)
    if resp.length:  # fewer bytes than Content-Length: read1 reports that as a quiet EOF
        raise http.client.IncompleteRead(b"", resp.length)
    if inflater is not None:
        if not inflater.eof:
            raise http.client.IncompleteRead(b"", None)
        headers.pop("content-encoding", None)
        headers.pop("content-length", None)
    return b"".join(chunks)


def _inflate(inflater: Any, data: bytes, room: int) -> bytes:
    """Decompress ``data`` into at most ``room`` bytes (+1 to detect overflow): a small gzip
    bomb must not turn into a large allocation."""
    out: list[bytes] = []
    produced = 0
    try:
        while data and produced <= room:
            piece = inflater.decompress(data, room + 1 - produced)
            out.append(piece)
            produced += len(piece)
            data = inflater.unconsumed_tail
    except zlib.error as error:
        raise BodyRefused(f"corrupt compressed body ({error})") from None
    return b"".join(out)


def describe(error: BaseException) -> str:
    """A short reason for logs and messages ("timed out", "connection closed …", …)."""
    if isinstance(error, http.client.IncompleteRead):
        return "connection closed before the response was complete"
    if isinstance(error, http.client.RemoteDisconnected):
        return "connection closed without a response"
    if isinstance(error, TimeoutError):
        return f"timed out ({error})" if str(error) else "timed out"
    if isinstance(error, socket.gaierror):
        return f"host not found ({error})"
    return f"{type(error).__name__}: {error}"
