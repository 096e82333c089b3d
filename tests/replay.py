"""A real HTTP server on 127.0.0.1 that replays saved pages: the crawler's test council.

Routes map a page name and the query parameters that identify a page (case-insensitive
names, any order, other parameters ignored) to bytes. Every request is logged so tests
can assert what the crawler asked for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Route:
    page: str  # "ieListDocuments.aspx"
    params: dict[str, str]  # identifying parameters, lower-case names: {"mid": "10221"}
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass
class ReplaySite:
    routes: list[Route] = field(default_factory=list)
    robots: bytes | None = None  # None → 404
    log: list[str] = field(default_factory=list)

    def add(self, page: str, body: bytes, status: int = 200, **params: str) -> None:
        self.routes.append(Route(page.lower(), {k.lower(): str(v) for k, v in params.items()}, body, status=status))

    def find(self, path: str, query: str) -> Route | None:
        page = path.rsplit("/", 1)[-1].lower()
        args = {k.lower(): v for k, v in parse_qsl(query)}
        for route in self.routes:
            if route.page == page and all(args.get(k) == v for k, v in route.params.items()):
                return route
        return None


class _Handler(BaseHTTPRequestHandler):
    site: ReplaySite

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.site.log.append(self.path)
        if parts.path == "/robots.txt":
            return self._send(200 if self.site.robots is not None else 404, self.site.robots or b"",
                              "text/plain")
        route = self.site.find(parts.path, parts.query)
        if route is None:
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        self._send(route.status, route.body, route.content_type)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class serve_replay:
    """``with serve_replay(site) as base_url:`` — serves ``site`` on 127.0.0.1 at a free port."""

    def __init__(self, site: ReplaySite):
        handler = type("Handler", (_Handler,), {"site": site})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
