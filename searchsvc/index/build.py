"""Writing item documents into a Whoosh index: field values, writers, verification.

:class:`~searchsvc.index.store.IndexStore` decides *where* (which generation)
and *when* (swap, prune); this module knows *how*: the mapping from
:class:`ItemDoc` to schema fields, the writer settings, and the checks a new
generation must pass before it may serve.

Writer settings (measured: bench/README.md, "Design figures"): a full build
uses ``procs=2, multisegment=True, limitmb=256``, about twice as fast as
``procs=1`` on two cores; each sub-process writes its own segment and no final
merge is done. Incremental updates use one process and one commit per run
(a commit is costly, so never one per item).
Most build time is text analysis and posting writes, which is why the
analyzers have a fast path (:class:`~searchsvc.index.schema.TextAnalyzer`).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.index import Index, LockError
from whoosh.multiproc import MpWriter, _run_subwriter
from whoosh.writing import SegmentWriter

from searchsvc.errors import SearchIndexError
from searchsvc.facets import FACETS
from searchsvc.index.documents import ItemDoc, speaker_key
from searchsvc.index.schema import clean_text, marker_text

log = logging.getLogger(__name__)

BUILD_PROCS = 2
LIMIT_MB = 256
#: "fork" is cheapest; "forkserver" would avoid forking a threaded process but
#: re-imports Whoosh in every sub-writer. Sub-writers only run Whoosh code on
#: objects they unpickle themselves, so fork is safe here.
START_METHOD = "fork"


def to_fields(doc: ItemDoc) -> dict[str, Any]:
    """The Whoosh field values of one item document."""
    # The title and the committee's name are always the first two paragraphs, even when empty:
    # ranking finds an exact word in them by its position (see schema.heading_part).
    # Markers are added after cleaning: no text can forge one.
    head = [" ".join(clean_text(doc.title).split()), " ".join(clean_text(doc.committee).split())]
    parts = [clean_text(doc.agenda)]
    parts += [marker_text(sorted({speaker_key(s) for s in p.speakers}), p.text) for p in doc.passages]
    parts.append(clean_text(doc.documents_text))
    text = "\n\n".join(head + [p for p in parts if p])
    snippets = ([["", doc.agenda, []]] if doc.agenda else []) + [
        [p.anchor, p.text, list(p.speakers)] for p in doc.passages
    ]
    fields: dict[str, Any] = {
        "id": doc.id,
        "source_title": doc.source_title,
        "committee_id": doc.committee_id,
        "meeting_id": doc.meeting_id,
        "date": doc.date.isoformat() if doc.date else "",
        "day": doc.day,
        "number": doc.number,
        "position": doc.position,
        "title": doc.title,
        "body": text,
        "body_exact": text,
        "procedural": bool(doc.procedural),
        "batch": int(doc.batch),
        "url": doc.url,
        "meeting_url": doc.meeting_url,
        "passages": json.dumps(snippets, ensure_ascii=False, separators=(",", ":")),
    }
    for facet in FACETS:  # searchsvc/facets.py says where each facet's value comes from
        value = facet.value(doc)
        if facet.multi:
            fields[facet.name] = list(value or ())
        elif value:
            fields[facet.name] = value
    return fields


@dataclass(frozen=True)
class WriteStats:
    count: int
    max_batch: int
    first_id: str | None
    seconds: float


def open_writer(ix: Index, procs: int = 1, **kwargs: Any):
    """A Whoosh writer, turning ``LockError`` into a clear :class:`SearchIndexError`."""
    try:
        if procs > 1:
            return ix.writer(procs=procs, multisegment=True, limitmb=LIMIT_MB, **kwargs)
        return ix.writer(limitmb=LIMIT_MB, **kwargs)
    except LockError as e:
        raise SearchIndexError(
            "Another process is writing this search index (its Whoosh write lock is held). "
            "Wait for the running crawl/index job to finish, then try again."
        ) from e


def add_all(writer: Any, docs: Iterable[ItemDoc], update: bool = False) -> WriteStats:
    """Add (or update by id) every document; the caller commits or cancels.

    A full build skips a repeated id (with a warning): the catalog should never
    produce one, and a duplicate would show twice in every result list.
    """
    start = time.perf_counter()
    count, max_batch, first_id = 0, 0, None
    seen: set[str] = set()
    add = writer.update_document if update else writer.add_document
    for doc in docs:
        if not update:
            if doc.id in seen:
                log.warning("item %s appears twice in the full build; the repeat was skipped", doc.id)
                continue
            seen.add(doc.id)
        add(**to_fields(doc))
        count += 1
        max_batch = max(max_batch, int(doc.batch))
        if first_id is None:
            first_id = doc.id
        if count % 5000 == 0:
            log.info("indexed %d items (%.0f/s)", count, count / (time.perf_counter() - start))
    return WriteStats(count, max_batch, first_id, time.perf_counter() - start)


def verify(ix: Index, added: int, probe_id: str | None, expected_count: int | None = None) -> int:
    """Check a freshly written index before it may serve; returns its document count.

    ``added`` is how many documents were handed to the writer: a sub-writer
    that died would otherwise lose its share silently.
    """
    try:
        with ix.searcher() as s:
            n = s.doc_count()
            if n != added:
                raise SearchIndexError(
                    f"The new index holds {n} items but {added} were written; it was not published."
                )
            if expected_count is not None and n != expected_count:
                raise SearchIndexError(
                    f"The new index holds {n} items but {expected_count} were expected; "
                    "it was not published and the previous index keeps serving."
                )
            if probe_id is not None:
                found = s.search(wq.Term("id", probe_id), limit=1)
                if len(found) != 1 or found[0]["id"] != probe_id:
                    raise SearchIndexError(
                        f"The new index does not answer a probe query for {probe_id!r}; it was not published."
                    )
            return n
    except SearchIndexError:
        raise
    except Exception as e:  # a corrupt segment, unreadable files…
        raise SearchIndexError(f"The new index cannot be read back ({e}); it was not published.") from e


# --- parallel full builds -------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    """Make a sub-writer exit when the builder dies (even by SIGKILL).

    Whoosh's sub-writers block on a queue whose write end they also hold, so
    without this a killed build would leave them waiting forever.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _subwriter(parent: int, *args: Any) -> None:
    _die_with_parent(parent)
    try:
        _run_subwriter(*args)
    except Exception as e:  # noqa: BLE001 - e.g. a full disk: one log line, not a child's traceback
        log.error("an index sub-writer failed: %s", e)
        logging.shutdown()
        os._exit(1)  # the parent's count check then refuses the generation


class ParallelWriter(MpWriter):
    """Whoosh's ``MpWriter`` (``multisegment=True``) with a cancel that really cancels.

    ``MpWriter.cancel()`` only flips a flag on the parent's copy of each
    sub-process object, so the children keep waiting for work and a failed
    build hangs at interpreter exit. Here children are daemons that die with
    the parent, and cancel terminates them before releasing the write lock.
    """

    def __init__(self, ix: Index, procs: int = BUILD_PROCS, **kwargs: Any):
        try:
            super().__init__(ix, procs=procs, multisegment=True, start_method=START_METHOD, **kwargs)
        except LockError as e:
            raise SearchIndexError(
                "Another process is writing this search index (its Whoosh write lock is held)."
            ) from e

    def _new_task(self):
        args = (os.getpid(), self.storage, self.indexname, self.jobqueue, self.resultqueue,
                self.subargs, self.multisegment)
        task = self._mpctx.Process(target=_subwriter, args=args, daemon=True)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(5)
        self.tasks = []
        SegmentWriter.cancel(self)
