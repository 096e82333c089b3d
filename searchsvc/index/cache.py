"""A small thread-safe LRU cache for search results, scoped to one index version.

Results are keyed by ``(generation, commit version, request)``. Because the
version is part of every key, a commit or a generation swap makes every old
entry unreachable at once; :meth:`ResultCache.get` also drops them as soon
as it sees a newer version, so stale results never linger in memory. Front
pages and facet clicks repeat a lot, so a warm hit skips the search entirely.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_SIZE = 512


class ResultCache:
    """LRU of ``request → result`` for the newest index version seen."""

    def __init__(self, maxsize: int = DEFAULT_SIZE):
        self.maxsize = max(0, int(maxsize))
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _switch(self, version: Hashable) -> None:
        if version != self._version:
            if self._data:
                log.debug("index version %s → %s: dropping %d cached results", self._version, version, len(self._data))
            self._data.clear()
            self._version = version

    def get(self, version: Hashable, key: Hashable) -> Any | None:
        with self._lock:
            self._switch(version)
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, version: Hashable, key: Hashable, value: Any) -> None:
        if not self.maxsize:
            return
        with self._lock:
            if version != self._version:
                # A result computed on an older version than the newest seen is
                # dropped; one on a newer version starts the cache afresh.
                if self._version is not None and older(version, self._version):
                    return
                self._switch(version)
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def recent(self, n: int) -> list[Hashable]:
        """The ``n`` most recently used requests, newest first (replayed on a new version)."""
        with self._lock:
            return list(reversed(self._data))[:n]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def older(a: Hashable, b: Hashable) -> bool:
    """Is version ``a`` older than ``b``? Versions are (generation name, commit number)."""
    try:
        return (a[0], a[1]) < (b[0], b[1])  # type: ignore[index]
    except (TypeError, IndexError):
        return False
