"""The app's long-lived handles: one catalog connection and one index reader per app.

Why one of each per app rather than per request: opening a Whoosh searcher is slow
(bench/README.md, "Design figures"), so :class:`~searchsvc.index.IndexReader` keeps one
searcher per thread and reopens it when the index changes; the catalog
connection is thread-safe and cheap to share. Both are opened lazily on first
use, so the app starts (and shows a clear "index not built yet" page) before a
first crawl; a failed open is not cached, so the next request tries again
after ``searchsvc index`` has run.

Web workers only read: nothing here writes to the catalog or the index.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app

from searchsvc.catalog import CATALOG_FILE, Catalog
from searchsvc.config import Config
from searchsvc.errors import SearchIndexError
from searchsvc.web.listings import now_iso

log = logging.getLogger(__name__)

EXTENSION = "searchsvc"
COVERAGE_TTL = 60.0


@dataclass(frozen=True)
class Coverage:
    """What the index holds, shown on the home page and used to explain zero results."""

    items: int
    meetings: int
    committees: int
    passages: int
    first: date | None
    last: date | None
    sources: tuple[tuple[str, str], ...]  # (name, title)
    generation: str


class Services:
    """Lazily opened catalog and index reader, shared by every request of one app."""

    def __init__(self, config: Config, data_dir: Path):
        self.config = config
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._reader: Any = None
        self._titles: dict[str, str] | None = None
        self._coverage: tuple[float, Coverage] | None = None

    # --- handles -----------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    if not (self.data_dir / CATALOG_FILE).is_file():
                        raise SearchIndexError(
                            f"no catalog in {self.data_dir}: crawl a source first (searchsvc crawl, or make demo)")
                    self._catalog = Catalog.in_dir(self.data_dir)
        return self._catalog

    @property
    def reader(self) -> Any:
        if self._reader is None:
            with self._lock:
                if self._reader is None:
                    from searchsvc.index import IndexReader, IndexStore

                    try:
                        store = IndexStore(self.data_dir)
                        self._reader = IndexReader(store, cache_size=self.config["search.cache_size"], warm=True,
                                                   at_once=self.config["search.at_once"])
                    except SearchIndexError:
                        raise
                    except Exception as e:  # an index that cannot be opened is an operator's problem
                        log.exception("cannot open the index in %s", self.data_dir)
                        raise SearchIndexError(f"the search index in {self.data_dir} cannot be opened: {e}") from None
        return self._reader

    def warm_first(self) -> None:
        """Open the index and warm its current version in the background (a worker at start);
        without an index yet, nothing to do: the first search says how to build one."""
        try:
            self.reader.warm_first()
        except SearchIndexError as e:
            log.info("nothing to warm: %s", e)

    def close(self) -> None:
        with self._lock:
            if self._catalog is not None:
                self._catalog.close()
                self._catalog = None
            reader, self._reader = self._reader, None
            if reader is not None and hasattr(reader, "close"):
                reader.close()

    # --- lookups -----------------------------------------------------------

    def source_title(self, name: str) -> str:
        """The council's name for a source id: configuration first, then the catalog's copy."""
        for source in self.config.sources:
            if source.name == name:
                return source.title
        if self._titles is None:
            titles: dict[str, str] = {}
            try:
                titles = self.catalog.source_titles()
            except Exception:  # an old or empty catalog: fall back to the id
                log.debug("no source titles in the catalog", exc_info=True)
            self._titles = titles
        return self._titles.get(name, name)

    def recent_meetings(self, limit: int = 0, committee_id: str | None = None,
                        include_future: bool = False) -> list[Any]:
        """Meetings newest first, those not yet held left out unless asked for."""
        held_by = None if include_future else now_iso()
        return self.catalog.recent_meetings(limit, committee_id, held_by=held_by)

    def coverage(self) -> Coverage:
        """Counts for the home page and zero-result explanations, cached for ``COVERAGE_TTL`` seconds:
        counting passages of a large catalog takes a while, and the numbers only move nightly."""
        now = time.monotonic()
        cached = self._coverage
        if cached is not None and now - cached[0] < COVERAGE_TTL:
            return cached[1]
        coverage = self._count_coverage()
        self._coverage = (now, coverage)
        return coverage

    def _count_coverage(self) -> Coverage:
        catalog = self.catalog
        counts = catalog.counts()
        # Meetings not yet held are listed as upcoming, not counted as what the index covers.
        held = catalog.held_coverage(now_iso())
        first = date.fromisoformat(held.first[:10]) if held.first else None
        last = date.fromisoformat(held.last[:10]) if held.last else None
        names = catalog.source_names()
        generation = ""
        try:
            store = getattr(self.reader, "store", None)
            if store is not None and hasattr(store, "current_generation"):
                generation = str(store.current_generation() or "")
        except Exception:
            log.debug("no index generation", exc_info=True)
        return Coverage(items=held.items, meetings=held.meetings,
                        committees=counts.get("committees", 0), passages=counts.get("passages", 0),
                        first=first, last=last, sources=tuple((n, self.source_title(n)) for n in names),
                        generation=generation)


def services() -> Services:
    """The current app's :class:`Services`."""
    return current_app.extensions[EXTENSION]
