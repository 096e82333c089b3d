"""Serving the app: waitress (a production WSGI server with threads), Flask's own only for debugging.

Why waitress: pure Python, no compiler, threads rather than processes — and the
index reader keeps one Whoosh searcher per thread, so ``web.threads`` threads
means at most that many open searchers. Flask's development server reloads and
shows tracebacks in the browser, which is only acceptable with ``--debug``.

Why these waitress options (:func:`waitress_options`): waitress buffers a request body up to
1 GiB in temporary files before the app sees it — four 300 MB POSTs held 1.2 GB of disk — while
the only bodies we accept are small forms, so ``web.max_body_bytes`` caps it and waitress answers
413 itself. Its default of 100 connections, each idle one kept for 120 s, let about 100 idle
sockets shut everyone out; more connections with a shorter idle timeout keep that costly.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Flask

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 1000  # waitress default 100: about 100 idle sockets shut everyone out
IDLE_SECONDS = 15  # waitress default 120: how long an idle connection is kept
HEADER_BYTES = 64 * 1024  # waitress default 256 KB: a 42 KB URL is already hostile


def waitress_options(app: Flask) -> dict[str, Any]:
    """The waitress settings every server of this app uses (command line and tests alike)."""
    config = app.extensions["searchsvc"].config
    return {"max_request_body_size": config["web.max_body_bytes"], "connection_limit": CONNECTION_LIMIT,
            "channel_timeout": IDLE_SECONDS, "max_request_header_size": HEADER_BYTES, "ident": "searchsvc"}


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    """Serve until interrupted (what ``searchsvc serve`` runs)."""
    import waitress

    log.info("serving on http://%s:%d/ with %d threads", host, port, threads)
    waitress.serve(app, host=host, port=port, threads=threads, **waitress_options(app))


def serve_debug(app: Flask, host: str = "127.0.0.1", port: int = 5000) -> None:
    """Flask's development server with the debugger (``searchsvc serve --debug``); never in production."""
    app.run(host=host, port=port, debug=True, use_reloader=False)


class PublicBaseURL:
    """WSGI middleware: absolute URLs (Atom, OpenSearch, JSON) are built from ``web.public_base_url``
    instead of the request's Host header, which any client can set to anything — and a cache in
    front would then serve the attacker's host in links to everyone."""

    def __init__(self, wsgi_app: Callable[..., Any], base_url: str):
        parts = urlsplit(base_url)
        self.wsgi_app = wsgi_app
        self.scheme = parts.scheme
        self.host = parts.netloc
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        if self.prefix:
            environ["SCRIPT_NAME"] = self.prefix
        return self.wsgi_app(environ, start_response)


class BackgroundServer:
    """A waitress server on a free port in a daemon thread, for browser tests and screenshots.

    >>> with BackgroundServer(app) as url: ...   # url like "http://127.0.0.1:43121"
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 4):
        import waitress

        self._server: Any = waitress.create_server(app, host=host, port=port, threads=threads,
                                                   **waitress_options(app))
        self.url = f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="searchsvc-test-server", daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return self.url

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._server.close()
        self._thread.join(timeout=5)
