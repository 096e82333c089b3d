"""Serving the app: waitress (a production WSGI server with threads), Flask's own only for debugging.

Why waitress: pure Python, no compiler, threads rather than processes — and the
index reader keeps one Whoosh searcher per thread, so ``web.threads`` threads
means at most that many open searchers. Flask's development server reloads and
shows tracebacks in the browser, which is only acceptable with ``--debug``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    """Serve until interrupted (what ``searchsvc serve`` runs)."""
    import waitress

    log.info("serving on http://%s:%d/ with %d threads", host, port, threads)
    waitress.serve(app, host=host, port=port, threads=threads, ident="searchsvc")


def serve_debug(app: Flask, host: str = "127.0.0.1", port: int = 5000) -> None:
    """Flask's development server with the debugger (``searchsvc serve --debug``); never in production."""
    app.run(host=host, port=port, debug=True, use_reloader=False)


class BackgroundServer:
    """A waitress server on a free port in a daemon thread, for browser tests and screenshots.

    >>> with BackgroundServer(app) as url: ...   # url like "http://127.0.0.1:43121"
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 4):
        import waitress

        self._server: Any = waitress.create_server(app, host=host, port=port, threads=threads, ident="searchsvc")
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
