"""Warming a new index version before readers switch to it.

After a nightly commit or a generation swap, the first searches on the new version paid for
what a :class:`~searchsvc.index.facets.View` builds once per version (facet arrays, the ``day``
column, field lengths for BM25, the base filter set) and for an empty memo of posting data and
an empty result cache: ~0.4 s at 20k items, more at larger sizes (bench/first_query.py).

A reader built with ``warm=True`` (the web server's) keeps serving the version it has while one
background thread opens the new one, builds and fills its view, replays the most recent cached
searches on it and opens one searcher per serving thread; only then is the new version
*published* and threads switch to it, each taking a ready searcher. Results stay correct
throughout: a thread answers from one consistent version, at most a warm's length behind.
A web worker also warms its first version at start (``IndexReader.warm_first``); searches that
arrive meanwhile wait for it (up to :data:`FIRST_WARM_WAIT`) rather than each thread building
the same structures at once.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from typing import Any, Callable

from searchsvc.index.facets import FACETS, View

log = logging.getLogger(__name__)

FIRST_WARM_WAIT = 60.0  # seconds a search waits for a server's first version to be warmed
REPLAY = 32  # most recent cached searches re-run on the new version (postings memo + result cache)
SCORED_FIELDS = ("body", "title", "body_exact")  # fields whose lengths BM25 reads (index/matching.py)


def warm_view(view: View, reader: Any, searcher: Any) -> None:
    """Build everything a view makes once per version, so no search pays for it."""
    for name in FACETS:
        if view.codes(reader, name) is None:  # what facet counts count (from value_docs, which filters use)
            view.array(reader, name)  # a field with too many values for codes is counted from this
    view.column(reader, "day")
    if "speaker" in reader.indexed_field_names():
        view.passage_markers(reader)  # the speaker facet's counts with search words (spoken.py)
    for field in SCORED_FIELDS:
        if field in reader.indexed_field_names():
            view.lengths(reader, field)
    for include_procedural in (False, True):
        view.base_set(reader, searcher, None, None, None, include_procedural)


class Warmer:
    """Warms one index version at a time in a background thread (see module docstring)."""

    def __init__(self, prepare: Callable[[], Any], publish: Callable[[Any], None]):
        # ``prepare`` opens and warms the newest version, returning what ``publish`` installs.
        self._prepare, self._publish = prepare, publish
        self._lock = threading.Lock()
        self._running = False
        self._idle = threading.Event()
        self._idle.set()
        self.last_seconds = 0.0

    def wait(self, timeout: float) -> bool:
        """Block until no warm is running (at most ``timeout`` s); True if none is."""
        return self._idle.wait(timeout)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> bool:
        """Start warming the newest version unless a warm is running; True when one was started."""
        with self._lock:
            if self._running:
                return False
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._run, name="index-warmer", daemon=True).start()
        return True

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            ready = self._prepare()
            self._publish(ready)
            # The version's structures live as long as it serves: moved out of the collector's
            # generations, a full collection no longer walks them (bench/README.md, design figures).
            gc.freeze()
        except Exception:  # logged: a failed warm must not stop switching; threads open it cold
            log.exception("warming the new index version failed; readers switch to it unwarmed")
            self._publish(None)
        finally:
            self.last_seconds = time.perf_counter() - started
            with self._lock:
                self._running = False
                self._idle.set()
