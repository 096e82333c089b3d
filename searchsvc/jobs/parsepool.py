"""Meetings read and enriched in worker processes, for the parse stage of a crawl or a re-parse.

Why: reading a stored meeting (its page and follow-ups) and enriching its items is pure CPU work
(some 25 ms a meeting), and one process uses one core. Each worker opens the catalog read-only
(WAL mode lets it read while the parent writes), builds its own page store and reader once, and
sends back the meeting's records: plain dataclasses, pickled. The parent keeps every catalog
write, in meeting order, so the catalog is the one an in-process parse writes.

Workers are spawned, not forked: the parent holds an SQLite connection and may run in a
scheduler or web thread, and a forked child would inherit locks other threads hold. (So a
script that runs a crawl or re-parse must keep its work under ``if __name__ == "__main__":``,
as spawned children import the main module again.)

What a worker logs (a follow-up page that could not be read, a PDF without text) is captured
per meeting and replayed in the parent, with the meeting's result, through the parent's loggers.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from crawler.adapters import Adapter, MeetingRecords
from searchsvc.enrich.topics import Taxonomy
from searchsvc.errors import ParseError
from searchsvc.records import Committee, Source

if TYPE_CHECKING:
    from searchsvc.jobs.crawl import CatalogPageStore

log = logging.getLogger(__name__)

# Below this many meetings a parse stays in its own process: starting a worker (it imports the
# parsers and opens the catalog) costs about a second, some forty meetings' parsing.
POOL_MIN_MEETINGS = 100
CHUNK = 4  # meetings per task: few enough to keep the order cheap, enough to amortise a round trip
AHEAD = 4  # tasks queued per worker, so no worker waits while the parent writes


@dataclass(frozen=True)
class Failure:
    """A meeting that could not be read: what the report records and what the log shows."""

    error: str  # the report's text: the exception's message, else its type's name
    kind: str  # the exception's type name
    parse_error: bool  # a ParseError (an expected, logged-as-warning failure)
    message: str = ""  # str() of the exception
    trace: str = ""  # the formatted traceback of an unexpected exception

    @classmethod
    def of(cls, e: Exception) -> "Failure":
        parse_error = isinstance(e, ParseError)
        return cls(str(e) or type(e).__name__, type(e).__name__, parse_error, str(e),
                   "" if parse_error else "".join(traceback.format_exception(e)))


@dataclass
class Outcome:
    """One meeting's result from a worker: its records or why not, and what reading it logged."""

    url: str
    records: MeetingRecords | None = None
    failure: Failure | None = None
    errors: list[dict[str, str]] = field(default_factory=list)  # documents that could not be read
    logs: list[logging.LogRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Setup:
    """What every worker builds its reader from (sent once, when it starts)."""

    catalog_path: Path
    adapter: Adapter
    source: Source
    today: date
    committees: dict[str, Committee]
    taxonomy: Taxonomy
    log_level: int


# --- the worker side ------------------------------------------------------------------------

class _Capture(logging.Handler):
    """Keeps a worker's log records, made picklable, until its meeting's outcome is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


@dataclass
class _Worker:
    setup: Setup
    catalog: Any
    store: "CatalogPageStore"
    reader: Any
    capture: _Capture


_worker: _Worker | None = None


def _start(setup: Setup) -> None:
    """Worker initialiser: open the catalog read-only and build the store and reader once."""
    global _worker
    from searchsvc.catalog import Catalog
    from searchsvc.jobs.crawl import CatalogPageStore

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="parent-watch", daemon=True).start()
    capture = _Capture()
    root = logging.getLogger()
    root.handlers[:] = [capture]
    root.setLevel(setup.log_level)
    catalog = Catalog(setup.catalog_path, read_only=True)
    store = CatalogPageStore(catalog, setup.source.name)
    reader = setup.adapter.reader(setup.source, store, today=setup.today)
    _worker = _Worker(setup, catalog, store, reader, capture)


def _exit_with(sentinel: int) -> None:
    """End this worker when its parent ends: a killed crawl must not leave workers waiting forever on
    a task queue they themselves hold open (the next run resumes the batch)."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _read(tasks: Sequence[tuple[str, Any]]) -> list[Outcome]:
    """Read and enrich a few meetings, each with the walk's parse of its page when there is one."""
    from searchsvc.jobs.crawl import read_meeting

    w = _worker
    assert w is not None, "the worker was not started"
    out = []
    for url, parsed in tasks:
        if parsed is not None:
            w.store.hand_over(url, parsed)
        outcome = Outcome(url)
        try:
            outcome.records = read_meeting(w.catalog, w.store, w.setup.source, w.reader, url, w.setup.committees,
                                           w.setup.taxonomy, outcome.errors)
        except Exception as e:  # noqa: BLE001 - one bad meeting is reported by the parent and skipped
            outcome.failure = Failure.of(e)
        w.store.hand_over(url, None)
        outcome.logs, w.capture.records = w.capture.records, []
        out.append(outcome)
    return out


# --- the parent side ------------------------------------------------------------------------

def replay(records: Sequence[logging.LogRecord]) -> None:
    """A worker's log records, through this process's loggers (and so its handlers)."""
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def pooled(setup: Setup, urls: Sequence[str], parsed: Callable[[str], Any], workers: int) -> Iterator[Outcome]:
    """Each of ``urls``' outcome, in order, read by ``workers`` processes.

    ``parsed(url)``: the walk's parse of a page, handed to the worker that reads it (so no page is
    parsed twice in a crawl). At most ``workers * AHEAD`` tasks are in flight: a slow parent never
    holds the whole run's records in memory.
    """
    chunks = iter([urls[i:i + CHUNK] for i in range(0, len(urls), CHUNK)])
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(setup,))
    pending: deque[Future[list[Outcome]]] = deque()

    def submit() -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            pending.append(pool.submit(_read, [(url, parsed(url)) for url in chunk]))

    try:
        for _ in range(workers * AHEAD):
            submit()
        while pending:
            outcomes = pending.popleft().result()
            submit()
            yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
