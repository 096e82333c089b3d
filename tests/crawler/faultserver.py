"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for testing crawler.fetch.

Why a real server rather than mocks: the fetcher's interesting failures (connections reset mid
body, bytes trickling in, chunked bodies without a length, gzip) happen inside http.client and
the socket layer; only real sockets exercise them. Each route is a small function of the
request and of how many times that path has been hit (``n``, from 1), so "503 twice, then 200"
is a one-liner. Every request is recorded (path, headers, arrival time) so tests can assert
exactly what the crawler sent -- and what it did *not* send.

It binds 127.0.0.1 on an ephemeral port and never connects anywhere itself.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 14 Jan 2026 10:00:00 GMT"
PAGE = b"<!doctype html><html><head><title>Meeting</title></head><body><div id=modgov>Minutes</div></body></html>"
OFFSITE = "http://example.invalid/stolen"  # .invalid never resolves (RFC 6761); must never be contacted
BIG = 1_000_000  # bytes the oversized routes offer; tests cap the fetcher well below this


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    path: str
    query: str
    headers: Message  # case-insensitive .get()
    at: float  # time.monotonic() on arrival


Route = Callable[["Handler", int], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # needed for chunked bodies; every answer still closes
    server: _Server

    def do_GET(self) -> None:
        self.close_connection = True
        fault = self.server.fault
        parts = urlsplit(self.path)
        n = fault._record(Hit(parts.path, parts.query, self.headers, time.monotonic()))
        route = fault.route_for(parts.path)
        try:
            route(self, n)
        except OSError:  # broken pipe, reset, TLS EOF: the client gave up (size cap, deadline),
            pass  # which is exactly what some tests want

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    # helpers for routes
    def reply(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Connection", "close")
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def head_only(self, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Connection", "close")
        self.end_headers()

    def reset_connection(self) -> None:
        """Abort with a TCP RST (SO_LINGER 0) instead of a clean close."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop the makefile reference so close() really closes
        self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fault: FaultServer


# -- routes ---------------------------------------------------------------------------------


def page(h: Handler, n: int) -> None:
    """A normal page with validators that honours If-None-Match / If-Modified-Since."""
    inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
    fresh = inm == ETAG if inm is not None else (ims is not None and parsedate_to_datetime(ims) >= parsedate_to_datetime(LAST_MODIFIED))
    h.reply(304 if fresh else 200, PAGE, ETag=ETAG, Last_Modified=LAST_MODIFIED)


def robots(h: Handler, n: int) -> None:
    status, body = h.server.fault.robots
    h.reply(status, body.encode(), content_type="text/plain")


def flaky_429(h: Handler, n: int) -> None:
    if n == 1:
        h.reply(429, b"slow down", Retry_After="3")
    else:
        page(h, n)


def flaky_503(h: Handler, n: int) -> None:
    if n <= 2:
        h.reply(503, b"busy")
    else:
        page(h, n)


def retry_date(h: Handler, n: int) -> None:
    if n == 1:
        h.reply(503, b"maintenance", Retry_After=h.server.fault.retry_after_date)
    else:
        page(h, n)


def always_500(h: Handler, n: int) -> None:
    h.reply(500, b"oops")


def redirect_to(location: str, status: int = 302) -> Route:
    return lambda h, n: h.reply(status, b"", Location=location)


def chain(h: Handler, n: int) -> None:
    """/chain/<k> redirects to /chain/<k-1>; /chain/0 is a page."""
    k = int(h.path.rsplit("/", 1)[1])
    page(h, n) if k == 0 else h.reply(301, b"", Location=f"/chain/{k - 1}")


def big_length(h: Handler, n: int) -> None:
    h.head_only(200, Content_Type="text/html", Content_Length=str(BIG))
    for _ in range(BIG // 10_000):
        h.wfile.write(b"x" * 10_000)


def big_chunked(h: Handler, n: int) -> None:
    h.head_only(200, Content_Type="text/html", Transfer_Encoding="chunked")
    for _ in range(BIG // 10_000):
        h.wfile.write(b"%x\r\n%s\r\n" % (10_000, b"x" * 10_000))
    h.wfile.write(b"0\r\n\r\n")


def big_until_close(h: Handler, n: int) -> None:
    h.head_only(200, Content_Type="text/html")  # neither length nor chunked: body ends at close
    for _ in range(BIG // 10_000):
        h.wfile.write(b"x" * 10_000)


def gzipped(h: Handler, n: int) -> None:
    if "gzip" in (h.headers.get("Accept-Encoding") or ""):
        h.reply(200, gzip.compress(PAGE * 20), Content_Encoding="gzip")
    else:
        h.reply(200, PAGE * 20)


def gzip_bomb(h: Handler, n: int) -> None:
    h.reply(200, gzip.compress(b"\0" * 5_000_000), Content_Encoding="gzip")  # ~5 KB on the wire


def slow_body(h: Handler, n: int) -> None:
    """Valid headers, then one byte every 50 ms: never trips a per-read socket timeout."""
    h.head_only(200, Content_Type="text/html", Content_Length="1000")
    for _ in range(100):
        h.wfile.write(b"x")
        time.sleep(0.05)


def slow_headers(h: Handler, n: int) -> None:
    """The status line, then header bytes trickled forever."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
    for _ in range(100):
        h.wfile.write(b"a")
        time.sleep(0.05)


def truncated(h: Handler, n: int) -> None:
    """Promises 1000 bytes, sends 10, closes cleanly."""
    h.head_only(200, Content_Type="text/html", Content_Length="1000")
    h.wfile.write(b"<html>0123")


def reset(h: Handler, n: int) -> None:
    h.head_only(200, Content_Type="text/html", Content_Length="1000")
    h.wfile.write(b"<html>0123")
    h.reset_connection()


def reset_once(h: Handler, n: int) -> None:
    reset(h, n) if n == 1 else page(h, n)


def wrong_type(h: Handler, n: int) -> None:
    """A PDF served as text/html (ModernGov document links do this)."""
    h.reply(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="text/html")


def bad_utf8(h: Handler, n: int) -> None:
    h.reply(200, b"<p>Caf\xc3\xa9 \xff\xfe broken \xe2\x82</p>", content_type="text/html; charset=utf-8")


def meta_charset(h: Handler, n: int) -> None:
    h.reply(200, b'<html><head><meta charset="windows-1252"></head><body>\xa3120 \x96 agreed</body></html>', content_type="text/html")


ROUTES: dict[str, Route] = {
    "/robots.txt": robots,
    "/page": page,
    "/other": page,
    "/private/secret": page,
    "/flaky-429": flaky_429,
    "/flaky-503": flaky_503,
    "/retry-date": retry_date,
    "/always-500": always_500,
    "/forbidden": lambda h, n: h.reply(403, b"no"),
    "/bad-request": lambda h, n: h.reply(400, b"bad"),
    "/gone": lambda h, n: h.reply(410, b"<p>gone</p>"),
    "/redirect": redirect_to("/page"),
    "/redirect-absolute": lambda h, n: h.reply(301, b"", Location=f"http://127.0.0.1:{h.server.server_port}/other"),
    "/redirect-offsite": redirect_to(OFFSITE),
    "/redirect-private": redirect_to("/private/secret"),
    "/redirect-no-location": lambda h, n: h.reply(302, b""),
    "/loop-a": redirect_to("/loop-b"),
    "/loop-b": redirect_to("/loop-a"),
    "/big-length": big_length,
    "/big-chunked": big_chunked,
    "/big-until-close": big_until_close,
    "/gzip": gzipped,
    "/gzip-bomb": gzip_bomb,
    "/slow-body": slow_body,
    "/slow-headers": slow_headers,
    "/truncated": truncated,
    "/reset": reset,
    "/reset-once": reset_once,
    "/wrong-type": wrong_type,
    "/bad-utf8": bad_utf8,
    "/meta-charset": meta_charset,
}
PREFIX_ROUTES: dict[str, Route] = {"/chain/": chain}


class FaultServer:
    """Start with ``with FaultServer() as server:``; ``server.url("/page")`` gives a URL."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """``tls``: a server-side SSLContext to serve HTTPS instead of HTTP."""
        self.scheme = "https" if tls else "http"
        self.robots: tuple[int, str] = (404, "not found")
        self.retry_after_date = ""
        self.hits: list[Hit] = []
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.fault = self
        if tls:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_port

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def count(self, path: str) -> int:
        """How many requests the server saw for ``path``."""
        with self._lock:
            return self._counts[path]

    def paths(self) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.hits]

    def route_for(self, path: str) -> Route:
        if path in ROUTES:
            return ROUTES[path]
        for prefix, route in PREFIX_ROUTES.items():
            if path.startswith(prefix):
                return route
        return lambda h, n: h.reply(404, b"<p>no such page</p>")

    def _record(self, hit: Hit) -> int:
        with self._lock:
            self.hits.append(hit)
            self._counts[hit.path] += 1
            return self._counts[hit.path]

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)
