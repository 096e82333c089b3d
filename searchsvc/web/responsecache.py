"""Whole responses of repeated searches, answered before routing.

Why: the index already caches search results per index version (searchsvc/index/cache.py), but a
profile of a warm repeated search showed the result lookup at about 0.1 ms of a 3 ms JSON answer
and an 11 ms HTML page: the rest was building the view and rendering it. Popular searches (the
home page's examples, a link passed round) are asked again and again, so the finished bytes are
kept too, per worker process.

What makes two requests the same answer: the path and the exact query string, the Host and scheme
(absolute links are built from them when ``web.public_base_url`` is unset), and the index version
the worker searches — a new generation or commit changes the key, so nothing from an older index
is served. Entries also expire after :data:`TTL_SECONDS`, which bounds what else a page shows from
the catalog (source titles, coverage counts). Only successful GETs of the search paths are kept,
small ones only, within a byte budget. The rate limit still counts every request (its hook runs
first), and metrics and security headers are applied to cached answers as to fresh ones.

Why a shared level too: with several worker processes, a search repeated on another connection
usually reaches another worker, whose own memory has never seen it (with two workers, half the
repeats missed). So each answer is also written to a file in the server's run directory
(:data:`RESPONSES`), named by a hash of its key, which any worker reads (a few tens of
microseconds, from the page cache) and then keeps in its own memory. Files are replaced atomically
(written beside, then renamed) and the oldest pruned beyond :data:`MAX_FILES`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from flask import Response, g, request

from searchsvc.web.services import services

log = logging.getLogger(__name__)

RESPONSES = "responses"  # the shared level's folder in the server's run directory
MAX_FILES = 512
PRUNE_EVERY = 64  # stores between two looks at how many files there are
PATHS = frozenset({"/search", "/api/search", "/search.atom"})
TTL_SECONDS = 60.0
MAX_ENTRY_BYTES = 256 * 1024
BUDGET_BYTES = 16 * 1024 * 1024


class ResponseCache:
    def __init__(self, budget: int = BUDGET_BYTES, clock=time.time, shared_dir: Path | None = None):
        self.budget = budget
        self.clock = clock  # wall time: entries written by one process are read by others
        self.shared_dir = shared_dir
        self._stores = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[float, int, bytes, list[tuple[str, str]]]] = OrderedDict()
        self._bytes = 0

    def lookup(self) -> Any:
        """``before_request`` hook: the stored answer, or None (and the key noted for :meth:`store`)."""
        if request.method != "GET" or request.path not in PATHS:
            return None
        try:
            version = services().reader.version()
        except Exception:  # noqa: BLE001 - no index: the view answers with the reason
            return None
        key = (request.path, request.query_string, request.host, request.scheme, version)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is None and self.shared_dir is not None:
            entry = self._read_shared(key)
            if entry is not None:
                self._remember(key, entry)
        if entry is not None and self.clock() - entry[0] < TTL_SECONDS:
            _, status, body, headers = entry
            return Response(body, status=status, headers=headers)
        g.response_cache_key = key
        return None

    def clear(self) -> None:
        """Forget this process's answers (the shared files expire by themselves)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def store(self, response: Response) -> Response:
        """``after_request`` hook: keep a fresh, small, successful answer."""
        key = g.pop("response_cache_key", None)
        if key is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed \
                or "Set-Cookie" in response.headers:
            return response
        body = response.get_data()
        if len(body) > MAX_ENTRY_BYTES:
            return response
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        entry = (self.clock(), response.status_code, body, headers)
        self._remember(key, entry)
        if self.shared_dir is not None:
            self._write_shared(key, entry)
        return response

    def _remember(self, key: tuple, entry: tuple[float, int, bytes, list[tuple[str, str]]]) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._entries[key] = entry
            self._bytes += len(entry[2])
            while self._bytes > self.budget and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])

    # --- the shared level: one file per answer --------------------------------------------------

    def _file(self, key: tuple) -> Path:
        assert self.shared_dir is not None
        return self.shared_dir / hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()

    def _read_shared(self, key: tuple) -> tuple[float, int, bytes, list[tuple[str, str]]] | None:
        try:
            data = self._file(key).read_bytes()
            head, _, body = data.partition(b"\n")
            meta = json.loads(head)
        except (OSError, ValueError):  # not there (the usual case), or being replaced
            return None
        if meta.get("key") != repr(key):
            return None
        return meta["stored"], meta["status"], body, [tuple(h) for h in meta["headers"]]

    def _write_shared(self, key: tuple, entry: tuple[float, int, bytes, list[tuple[str, str]]]) -> None:
        stored, status, body, headers = entry
        head = json.dumps({"key": repr(key), "stored": stored, "status": status, "headers": headers}).encode()
        assert self.shared_dir is not None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.shared_dir, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(head + b"\n" + body)
            os.replace(tmp, self._file(key))
        except OSError:
            log.warning("cannot write a cached response to %s", self.shared_dir, exc_info=True)
            return
        self._stores += 1
        if self._stores % PRUNE_EVERY == 0:
            self._prune()

    def _prune(self) -> None:
        """Remove the oldest files beyond :data:`MAX_FILES` (any worker may; a file gone is a miss)."""
        assert self.shared_dir is not None
        try:
            files = [(e.stat().st_mtime, e.path) for e in os.scandir(self.shared_dir)
                     if e.is_file() and not e.name.startswith(".tmp-")]
        except OSError:
            return
        if len(files) <= MAX_FILES:
            return
        for _, path in sorted(files)[:len(files) - MAX_FILES * 3 // 4]:
            try:
                os.unlink(path)
            except OSError:  # another worker pruned it first
                pass
