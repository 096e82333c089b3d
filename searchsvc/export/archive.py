"""A consistent, streamed read of the whole archive, shared by every export format.

Why a snapshot (:class:`searchsvc.catalog.Snapshot`: its own connection, one read
transaction): the catalog is in WAL mode, so a reader never blocks the writer, but a crawl may
commit while a long export runs. Reading every table inside one ``BEGIN`` gives one state: an
item is never paired with a meeting from a later run, and no writer lock is needed (an export
can run beside the nightly job). The SQL lives in the catalog; this module builds records.

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
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from searchsvc.catalog import Catalog, Snapshot, snapshot
from searchsvc.config import Config
from searchsvc.errors import CatalogError, SearchsvcError
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

    def __init__(self, snap: Snapshot, config: Config):
        self._snap = snap
        self.sources: dict[str, Source] = {s.name: s for s in config.sources}
        for name, data in snap.sources():
            self.sources.setdefault(name, _record(Source, "source", name, data))
        self.committees: dict[str, Committee] = {
            rid: _record(Committee, "committee", rid, data) for rid, data in snap.committees()}
        self.meetings: dict[str, Meeting] = {}
        self.meeting_batches: dict[str, int | None] = {}
        for rid, data, batch in snap.meetings():
            self.meetings[rid] = _record(Meeting, "meeting", rid, data)
            self.meeting_batches[rid] = batch
        keys = snap.live_item_keys()  # the export order: meeting date, meeting, agenda position
        self._keys: list[tuple[int, str]] = [(rowid, meeting_id) for rowid, meeting_id, _ in keys]
        for _, meeting_id, source in keys:
            if meeting_id not in self.meetings:
                self._placeholder_meeting(meeting_id, source)
        self.last_batch: int = snap.last_batch()
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
            rows = self._snap.items_by_rowid([k for k, _ in keys])
            items = [(_record(Item, "item", rows[k][0], rows[k][1]), rows[k][2], m) for k, m in keys]
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
            found.update(self._snap.document_texts(urls[start:start + CHUNK]))
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
def open_archive(catalog: Catalog) -> Iterator[Snapshot]:
    """A snapshot of the catalog (one read transaction on a private connection)."""
    try:
        with snapshot(catalog) as snap:
            yield snap
    except CatalogError as e:
        raise ExportError(str(e)) from None


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
