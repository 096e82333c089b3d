"""The sample site over real HTTP: a ThreadingHTTPServer on 127.0.0.1 in a background thread.

:class:`SampleSite` is the council model (ground truth, mutations) plus a server, so a test
holds one object: start it, crawl ``site.url(...)``, then compare what the crawler stored with
``site.items(...)``. Every response carries an ETag (a hash of the body) and a Last-Modified
(from the meeting's modification time), and conditional requests get 304s, because the
crawler's nightly runs depend on both. Requests are counted per target so a test can check
what a crawler fetched (and that it left the robots-disallowed page alone).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import vocab
from .council import Council
from .model import TODAY
from .render import Page, render

logger = logging.getLogger(__name__)

_NOT_FOUND = (b"<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body><h1>Page not found</h1>"
              b"<p>The page you asked for does not exist.</p></body></html>\n")


def _query(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        out.setdefault(key.lower(), value)
    return out


class SampleSite(Council):
    """A fictional ModernGov council site, deterministic for a given ``seed`` and ``size``.

    Use as a context manager (``with SampleSite(size=0.05) as site: site.url("…")``) or call
    :meth:`start`/:meth:`stop`. The ground-truth and mutation methods come from
    :class:`~searchsvc.sample.council.Council`.
    """

    def __init__(self, seed: int = 1, size: float = 1.0, base_path: str = "/democracy/",
                 webservice: bool = False, port: int = 0, printed: bool = False) -> None:
        super().__init__(seed, size, printed)
        self.council_name = vocab.COUNCIL_NAME
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.webservice = webservice
        self.port = port
        self.requests: Counter[str] = Counter()  # request target ("/democracy/mgAi.aspx?ID=5") -> count
        self.request_log: list[tuple[str, str, int]] = []  # (method, target, status)
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- addresses ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sample site is not started")
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    def url(self, path: str = "") -> str:
        """Absolute URL of ``path``: relative to the base path, or host-absolute if it starts with "/"."""
        return self.base_url[: -len(self.base_path)] + path if path.startswith("/") else self.base_url + path

    def robots_txt(self) -> str:
        return (f"# Sample council site\nUser-agent: *\nDisallow: {self.base_path}mgCalendarMonthView.aspx\n"
                "Allow: /\n")

    # --- serving --------------------------------------------------------------------------
    def page(self, target: str) -> Page | None:
        """What the server answers for a host-absolute target ("/democracy/mgAi.aspx?ID=5"),
        without HTTP: handy for benchmarks and parser tests."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path == "/robots.txt":
            return Page(self.robots_txt().encode(), "text/plain; charset=utf-8", TODAY)
        if not path.startswith(self.base_path):
            return None
        base_url = self.base_url if self._server else f"http://127.0.0.1{self.base_path}"
        return render(self, path[len(self.base_path):], _query(parts.query), webservice_on=self.webservice,
                      base_url=base_url)

    def _record(self, method: str, target: str, status: int) -> None:
        with self._log_lock:
            self.requests[target] += 1
            self.request_log.append((method, target, status))

    def reset_requests(self) -> None:
        with self._log_lock:
            self.requests.clear()
            self.request_log.clear()

    def start(self) -> SampleSite:
        if self._server is None:
            self._server = _Server(("127.0.0.1", self.port), _Handler)
            self._server.site = self
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                            name=f"sample-site:{self.port}", daemon=True)
            self._thread.start()
            logger.info("sample site serving %s", self.base_url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def serve_site(site: SampleSite, port: int = 0) -> Iterator[SampleSite]:
    """Serve ``site`` on 127.0.0.1:``port`` (0 = a free port) for the duration of a ``with``
    block; yields the started site (``.base_url``, ``.url()``)."""
    if site._server is None:
        site.port = port
    site.start()
    try:
        yield site
    finally:
        site.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: SampleSite

    def handle_error(self, request, client_address) -> None:
        logger.debug("error serving %s", client_address, exc_info=True)  # no tracebacks on stderr


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write (flushed per request by the base class)
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive connections
    server_version = "SampleModernGov/1.0"
    server: _Server

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve(self.path)

    def do_HEAD(self) -> None:
        self._serve(self.path, head=True)

    def do_POST(self) -> None:
        """The meeting list's year form posts YearSelect and hCommitteeId; answer it like a GET."""
        length = int(self.headers.get("Content-Length") or 0)
        form = _query(self.rfile.read(length).decode("utf-8", "replace"))
        target = self.path
        if urlsplit(target).path.lower().endswith("ielistmeetings.aspx") and form.get("hcommitteeid"):
            target = f"{urlsplit(target).path}?CId={form['hcommitteeid']}&Year={form.get('yearselect', '0')}"
        self._serve(target, method="POST")

    def _serve(self, target: str, head: bool = False, method: str = "") -> None:
        site = self.server.site
        try:
            page = site.page(target)
        except Exception:  # a bug in the generator must show up as a 500, not a hung client
            logger.exception("sample site failed on %s", target)
            page = None
            self._send(500, b"internal error\n", "text/plain; charset=utf-8", {}, head)
            site._record(method or self.command, self.path, 500)
            return
        if page is None:
            self._send(404, _NOT_FOUND, "text/html; charset=utf-8", {}, head)
            site._record(method or self.command, self.path, 404)
            return
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:24] + '"'
        modified = page.modified.replace(tzinfo=timezone.utc)
        headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
        status = 304 if self._not_modified(etag, modified) else 200
        self._send(status, page.body, page.content_type, headers, head)
        site._record(method or self.command, self.path, status)

    def _not_modified(self, etag: str, modified) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return modified.replace(microsecond=0) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str], head: bool) -> None:
        try:
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if status != 304 and not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
