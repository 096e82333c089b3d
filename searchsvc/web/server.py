"""Serving the app: gunicorn with one worker process per core, each running threads; Flask's own
server only for debugging, and werkzeug's threaded server in a thread for browser tests.

Why processes: Python runs one thread at a time, so one process with threads used one core however
many the machine had. ``web.workers`` processes (default: one per core available) each run
``web.threads`` threads (gunicorn's ``gthread`` worker). Each worker builds its own app after the
fork — its own catalog connection and Whoosh searchers (one per thread); the master opens nothing
of the data directory. What must be counted server-wide lives in a run directory the master creates
before forking and removes at exit (:class:`RunDir`): the rate limit's table
(:mod:`searchsvc.web.ratelimit`), the metric files of ``prometheus_client``'s multiprocess mode, and
the cached responses of repeated searches (:mod:`searchsvc.web.responsecache`).

Why these gunicorn settings (:func:`gunicorn_options`), the protections the earlier single-process
server had, in gunicorn's terms:

* request bodies: gunicorn never spools a body to disk (the app reads it from the socket), and the
  app answers 413 to a declared body over ``web.max_body_bytes`` before reading it (``MAX_CONTENT_LENGTH``
  bounds chunked ones); an unread body is drained for at most :data:`DATA_WAIT_SECONDS`, then the
  connection is closed.
* request line and headers: at most 8190 bytes for the request line (gunicorn's ceiling; a 42 KB URL
  is already hostile), 100 header fields of at most 8190 bytes each.
* connections: up to :data:`CONNECTION_LIMIT` per worker, idle keep-alive ones closed after
  :data:`IDLE_SECONDS`. A new connection waits for its first bytes in a worker thread; gunicorn
  lets it hold that thread for 5 s before parking it, so 150 silent sockets held all threads for
  about a minute. :func:`_post_fork` shortens that wait to :data:`DATA_WAIT_SECONDS`: a parked
  connection costs nothing but a file descriptor until it speaks.
* connections are spread evenly over the workers (:mod:`searchsvc.web.balance`): a kept-alive
  connection stays with the worker that accepted it, and the kernel's choice left one worker with
  most of them as often as not.
* no forwarded headers are trusted (the rate limit counts the TCP peer), and gunicorn's control
  socket is off (it would appear in the user's home directory).
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Flask

from searchsvc.config import cores

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 1000  # per worker process; about 100 idle sockets shut everyone out of the old default
IDLE_SECONDS = 15  # how long an idle keep-alive connection is kept
REQUEST_LINE_BYTES = 8190  # gunicorn's ceiling; the longest URL our forms make is far shorter
HEADER_FIELDS = 100
HEADER_FIELD_BYTES = 8190
DATA_WAIT_SECONDS = 0.1  # how long a worker thread waits for a new connection's first bytes
SERVER_NAME = "searchsvc"  # the Server header: which software answers is nobody else's business
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


class RunDir:
    """A fresh directory for one ``searchsvc serve``: the shared rate-limit table, the metric
    files and the shared response cache. Created by the master before any worker starts, removed when the server stops; a
    directory left by a killed server is never reused (a new one is made each start), so no
    counts from a previous run leak into this one."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="searchsvc-serve-"))
        self.metrics = self.path / "metrics"
        self.metrics.mkdir()
        from searchsvc.web.balance import CONNECTIONS_TABLE, ConnectionTable
        from searchsvc.web.ratelimit import RATE_TABLE, SharedCounts
        from searchsvc.web.responsecache import RESPONSES

        SharedCounts.create(self.path / RATE_TABLE)
        (self.path / RESPONSES).mkdir()
        self.connections = self.path / CONNECTIONS_TABLE
        ConnectionTable.create(self.connections)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def gunicorn_options(host: str, port: int, workers: int, threads: int, worker_class: type) -> dict[str, Any]:
    """The gunicorn settings of ``searchsvc serve`` (see the module docstring for why)."""
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return {
        "bind": [f"{bind_host}:{port}"], "workers": workers, "worker_class": worker_class, "threads": threads,
        "worker_connections": CONNECTION_LIMIT, "keepalive": IDLE_SECONDS,
        "limit_request_line": REQUEST_LINE_BYTES, "limit_request_fields": HEADER_FIELDS,
        "limit_request_field_size": HEADER_FIELD_BYTES,
        "forwarded_allow_ips": "", "proxy_allow_ips": "", "control_socket_disable": True,
        "proc_name": "searchsvc", "accesslog": None, "errorlog": "-",
        "loglevel": "debug" if logging.getLogger().isEnabledFor(logging.DEBUG) else "info",
    }


def serve(config: Any, host: str = "127.0.0.1", port: int = 5000, workers: int = 0, threads: int = 8) -> None:
    """Serve until interrupted (what ``searchsvc serve`` runs): ``workers`` processes (0 = one per
    core) of ``threads`` threads, each building its own app from ``config`` after the fork."""
    from gunicorn.app.base import BaseApplication

    workers = workers or cores()
    run = RunDir()
    os.environ[METRICS_ENV] = str(run.metrics)  # before prometheus_client is imported anywhere

    def factory() -> Flask:  # in each worker, after the fork
        from searchsvc.web import create_app
        from searchsvc.web.services import EXTENSION

        app = create_app(config, run_dir=run.path)
        app.extensions[EXTENSION].warm_first()  # its first searches find the index version warmed
        return app

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        from searchsvc.web.balance import clear_slot

        multiprocess.mark_process_dead(worker.pid, str(run.metrics))
        clear_slot(run.connections, worker)

    class Server(BaseApplication):
        def load_config(self) -> None:
            from searchsvc.web.balance import balanced_worker

            options = {**gunicorn_options(host, port, workers, threads, balanced_worker(run.connections)),
                       "post_fork": _post_fork, "child_exit": child_exit}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    log.info("serving on http://%s:%d/ with %d workers of %d threads", host, port, workers, threads)
    master = os.getpid()
    try:
        Server().run()
    except SystemExit as e:
        if os.getpid() != master:
            _end_worker(e.code)
        raise
    finally:
        run.remove()


def _end_worker(code: Any) -> None:
    """A worker process ends here, not by unwinding into the callers of :func:`serve`.

    gunicorn ends a worker by raising SystemExit in the forked child, which would climb through
    the master's stack: remove the run directory every other worker still uses, stop a sample site
    whose thread exists only in the master (``searchsvc demo`` then hung for 30 s at Ctrl-C).
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


#: The cyclic garbage collector's thresholds in a worker. A search allocates few containers, but
#: large ones (a common word's item sets and score maps); at Python's default (a collection every
#: 700 new containers) 240 first-time searches ran 86 collections, 0.3 s in all, pausing every
#: thread of the process for up to 58 ms. At 50,000 they ran none (bench/README.md, design figures).
GC_THRESHOLDS = (50_000, 20, 20)


def _post_fork(_server: Any, _worker: Any) -> None:
    """In each worker: gunicorn's name in the Server header replaced by ours, the wait for a new
    connection's first bytes shortened (module docstring; both module constants of the pinned
    gunicorn, which tests/web/test_web_workers.py notices if either stops working), and the garbage
    collector's thresholds raised (:data:`GC_THRESHOLDS`)."""
    import gunicorn.http.wsgi
    import gunicorn.workers.gthread

    gunicorn.workers.gthread.DEFAULT_WORKER_DATA_TIMEOUT = DATA_WAIT_SECONDS
    gunicorn.http.wsgi.SERVER = SERVER_NAME
    gc.set_threshold(*GC_THRESHOLDS)


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
    """A server on a free port in a daemon thread, for browser tests and screenshots: werkzeug's
    threaded server (it ships with Flask), with a thread per connection.

    >>> with BackgroundServer(app) as url: ...   # url like "http://127.0.0.1:43121"

    Not for production: it has no connection limit and keeps idle connections until they close
    (fine for a test's handful). Bodies are refused by the app itself (413 before reading, see
    ``create_app``), and the request line and each header are capped by Python's http.server.
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 4):
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Handler(WSGIRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the production server

            def version_string(self) -> str:
                return SERVER_NAME

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass  # tests print what they need

        del threads  # a thread per connection; kept for callers that name it
        self._server: Any = make_server(host, port, app, threaded=True, request_handler=Handler)
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="searchsvc-test-server", daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return self.url

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (for tests and benchmarks that start a server)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
