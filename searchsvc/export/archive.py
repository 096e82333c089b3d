"""A consistent, streamed read of the whole archive, shared by the three export formats.

Why its own connection and one read transaction: the catalog is in WAL mode, so a reader
never blocks the writer, but a crawl may commit while a long export runs. Reading every
table inside one ``BEGIN`` on a private connection gives a snapshot: an item is never paired
with a meeting from a later run, and no writer lock is needed (an export can run beside the
nightly job). The ``Catalog`` object's own connection is left alone, so a scheduler thread
sharing it keeps writing.

Why item keys first: only the ordered rowids of the live items are held in memory (about
8 bytes each); records are decoded ``CHUNK`` at a time, so a 100k-item archive exports in
bounded memory. Removed items (``removed_batch`` set) are never read.

Records the catalog lacks but others refer to (a source not in the configuration, a committee
whose page was never parsed) get placeholder rows, so every foreign key of the export holds.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.errors import SearchsvcError
from searchsvc.records import Committee, Item, Meeting, Source, from_dict

log = logging.getLogger(__name__)

CHUNK = 500  # records decoded per query
Progress = Callable[[str], None]


class ExportError(SearchsvcError):
    """The export could not be written or a catalog record could not be read; names which."""


@dataclass(frozen=True)
class Entry:
    """One live item with the context every format needs: its meeting, committee and source."""

    item: Item  # documents' text already filled from the catalog's documents table
    batch: int | None  # the batch that last changed the item
    meeting: Meeting
    committee: Committee
    source: Source

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def speakers(self) -> list[str]:
        """Distinct canonical speakers over the item's passages, in order of first appearance."""
        return _distinct(s for p in self.item.passages for s in p.speakers)


class Archive:
    """Sources, committees and meetings loaded up front (small); items streamed by :meth:`entries`."""

    def __init__(self, db: sqlite3.Connection, config: Config):
        self._db = db
        self.sources: dict[str, Source] = {s.name: s for s in config.sources}
        for row in db.execute("SELECT name, data FROM sources ORDER BY name"):
            self.sources.setdefault(row["name"], _record(Source, "source", row["name"], row["data"]))
        self.committees: dict[str, Committee] = {
            row["id"]: _record(Committee, "committee", row["id"], row["data"])
            for row in db.execute("SELECT id, data FROM committees ORDER BY source, name, id")}
        self.meetings: dict[str, Meeting] = {}
        self.meeting_batches: dict[str, int | None] = {}
        for row in db.execute("SELECT id, data, batch_changed FROM meetings ORDER BY start IS NULL, start, id"):
            self.meetings[row["id"]] = _record(Meeting, "meeting", row["id"], row["data"])
            self.meeting_batches[row["id"]] = row["batch_changed"]
        # The export order: meeting date, meeting, agenda position.
        keys = db.execute(
            "SELECT items.rowid, items.meeting_id, items.source FROM items "
            "LEFT JOIN meetings ON meetings.id = items.meeting_id WHERE items.removed_batch IS NULL "
            "ORDER BY meetings.start IS NULL, meetings.start, items.meeting_id, items.position, items.id").fetchall()
        self._keys: list[tuple[int, str]] = [(rowid, meeting_id) for rowid, meeting_id, _ in keys]
        for _, meeting_id, source in keys:
            if meeting_id not in self.meetings:
                self._placeholder_meeting(meeting_id, source)
        self.last_batch: int = db.execute("SELECT COALESCE(MAX(id), 0) FROM batches").fetchone()[0]
        self._placeholders()

    @property
    def item_count(self) -> int:
        return len(self._keys)

    def committee_of(self, meeting: Meeting) -> Committee:
        return self.committees[meeting.committee_record_id]

    def entries(self) -> Iterator[Entry]:
        """Every live item in export order, decoded ``CHUNK`` at a time."""
        for start in range(0, len(self._keys), CHUNK):
            keys = self._keys[start:start + CHUNK]
            marks = ",".join("?" * len(keys))
            rows = {r["rowid"]: r for r in self._db.execute(
                f"SELECT rowid, id, data, batch_changed FROM items WHERE rowid IN ({marks})", [k for k, _ in keys])}
            items = [(_record(Item, "item", rows[k]["id"], rows[k]["data"]), rows[k]["batch_changed"], m)
                     for k, m in keys]
            texts = self.document_texts(d.url for item, _, _ in items for d in item.documents if not d.text)
            for item, batch, meeting_id in items:
                meeting = self.meetings[meeting_id]
                yield Entry(with_texts(item, texts), batch, meeting, self.committee_of(meeting),
                            self.sources[meeting.source])

    def meetings_in_chunks(self) -> Iterator[list[Meeting]]:
        """Meetings ``CHUNK`` at a time with their documents' text filled (for the SQLite export)."""
        meetings = list(self.meetings.values())
        for start in range(0, len(meetings), CHUNK):
            chunk = meetings[start:start + CHUNK]
            texts = self.document_texts(d.url for m in chunk for d in m.documents if not d.text)
            yield [with_texts(m, texts) for m in chunk]

    def document_texts(self, urls: Iterable[str]) -> dict[str, str]:
        """Extracted text kept in the catalog's documents table for records whose copy has none."""
        urls = _distinct(urls)
        found: dict[str, str] = {}
        for start in range(0, len(urls), CHUNK):
            part = urls[start:start + CHUNK]
            found.update((r[0], r[1]) for r in self._db.execute(
                f"SELECT url, text FROM documents WHERE text != '' AND url IN ({','.join('?' * len(part))})", part))
        return found

    def _placeholder_meeting(self, meeting_id: str, source: str) -> None:
        """Keep an item whose meeting row is missing, under a placeholder meeting."""
        log.warning("items of meeting %s have no meeting record: exported under a placeholder", meeting_id)
        self.meetings[meeting_id] = Meeting(source=source, committee_id="", committee_name="",
                                            meeting_id=meeting_id.split(":", 2)[-1])
        self.meeting_batches[meeting_id] = None

    def _placeholders(self) -> None:
        for meeting in self.meetings.values():
            if meeting.committee_record_id not in self.committees:
                self.committees[meeting.committee_record_id] = Committee(
                    source=meeting.source, committee_id=meeting.committee_id,
                    name=meeting.committee_name or f"committee {meeting.committee_id or '?'}")
        for name in _distinct(c.source for c in self.committees.values()):
            self.sources.setdefault(name, Source(name=name, title=name, kind="", base_url=""))


@contextmanager
def open_archive(catalog: Catalog) -> Iterator[sqlite3.Connection]:
    """A private connection to the catalog file holding one read transaction (a snapshot)."""
    try:
        db = sqlite3.connect(catalog.path, timeout=30, isolation_level=None)
    except sqlite3.Error as e:
        raise ExportError(f"cannot open the catalog {catalog.path}: {e}") from None
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA query_only = ON")
        db.execute("BEGIN")
        yield db
    finally:
        db.close()


def with_texts(record: Any, texts: dict[str, str]) -> Any:
    """``record`` (an Item or a Meeting) with empty document texts filled from ``texts``."""
    if not any(not d.text and d.url in texts for d in record.documents):
        return record
    docs = tuple(d if d.text else dataclasses.replace(d, text=texts.get(d.url, "")) for d in record.documents)
    return dataclasses.replace(record, documents=docs)


def _record(cls: type, kind: str, rid: str, data: str) -> Any:
    try:
        return from_dict(cls, json.loads(data))
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise ExportError(f"cannot read the catalog's {kind} {rid}: {type(e).__name__}: {e}") from None


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


class Meter:
    """Counts exported items and reports progress (to stderr via ``progress``) every few seconds."""

    def __init__(self, label: str, total: int, progress: Progress | None, every: float = 2.0):
        self.label, self.total, self.progress, self.every = label, total, progress, every
        self.count = 0
        self.started = self._last = time.monotonic()

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if self.progress and now - self._last >= self.every:
            self._last = now
            self.progress(f"export {self.label}: {self.count}/{self.total} items ({self.rate():.0f} items/s)")

    def rate(self) -> float:
        return self.count / max(time.monotonic() - self.started, 1e-9)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
