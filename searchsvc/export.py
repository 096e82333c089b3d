"""Bulk export of the whole archive as SQLite, JSON Lines or CSV, for journalists' own analysis.

Why three shapes: SQLite (tables with foreign keys and full-text search; opens as it is in
Datasette and sqlite-utils) for exploring, JSON Lines (one item per line with its meeting,
committee and source nested) for programs, CSV (one item per row) for spreadsheets. The
shapes are documented in docs/export.md and pinned by tests: columns and keys are only ever
added, at the end, never renamed or reordered, so a journalist's notebook keeps working.

Why a temporary file: an export is written beside its target and renamed over it
(``os.replace``) only once complete, so ``serve``'s download link and a reader of the nightly
file never see half an export; a failed export leaves the previous file as it was.

Why CSV cells are defused: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is a
formula to a spreadsheet (minutes quote ``=SUM(…)`` rarely, but a hostile page could), so such
a cell gets a leading ``'``. The SQLite and JSON exports keep text exactly as parsed.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.export_archive import Archive, Entry, ExportError, Meter, Progress, open_archive
from searchsvc.export_sqlite import write_sqlite

log = logging.getLogger(__name__)

FORMATS = ("sqlite", "jsonl", "csv")
STREAM_FORMATS = ("jsonl", "csv")  # the ones that can go to standard output
EXPORTS_DIR = "exports"

__all__ = ["FORMATS", "STREAM_FORMATS", "CSV_COLUMNS", "ExportError", "ExportSummary", "check_format",
           "default_path", "export_stream", "export_to", "item_json", "csv_row", "csv_cell"]


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: printed by the CLI, recorded by the nightly job, shown on ``/export``."""

    path: Path | None  # None when written to a stream
    rows: int  # items exported (one line / row / ``items`` row each)
    bytes: int
    format: str = ""
    seconds: float = 0.0


def check_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return fmt


def default_path(data_dir: Path | str, fmt: str, today: date | None = None) -> Path:
    """``<data_dir>/exports/searchsvc-<YYYY-MM-DD>.<format>``."""
    day = (today or date.today()).isoformat()
    return Path(data_dir) / EXPORTS_DIR / f"searchsvc-{day}.{check_format(fmt)}"


def export_to(catalog: Catalog, config: Config, fmt: str, out_path: Path | str | None = None, *,
              progress: Progress | None = None, today: date | None = None) -> ExportSummary:
    """Write the archive to ``out_path`` (default :func:`default_path`) atomically.

    The nightly job calls this with ``export.path``; it needs no writer lock (see
    export_archive). The file appears complete or not at all.
    """
    fmt = check_format(fmt)
    path = Path(out_path) if out_path else default_path(config.data_dir, fmt, today)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # per process: two exports never share one
    started = time.monotonic()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open_archive(catalog) as db:
            archive = Archive(db, config)
            rows = _write_file(archive, fmt, tmp, progress)
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as e:  # disk full, permissions, a directory in the way
        tmp.unlink(missing_ok=True)
        raise ExportError(f"the export to {path} failed: {getattr(e, 'strerror', None) or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    seconds = time.monotonic() - started
    summary = ExportSummary(path, rows, path.stat().st_size, fmt, seconds)
    log.info("exported %d items as %s to %s (%d bytes, %.1f s)", rows, fmt, path, summary.bytes, seconds)
    return summary


def export_stream(catalog: Catalog, config: Config, fmt: str, stream: IO[str], *,
                  progress: Progress | None = None) -> ExportSummary:
    """Write a JSON Lines or CSV export to an open text stream (``--out -``)."""
    fmt = check_format(fmt)
    if fmt not in STREAM_FORMATS:
        raise ExportError(f"the {fmt} export is a file; give --out a path (only {', '.join(STREAM_FORMATS)} "
                          "can go to standard output)")
    counting = _Counting(stream)
    with open_archive(catalog) as db:
        meter = WRITERS[fmt](Archive(db, config), counting, progress)
    stream.flush()
    return ExportSummary(None, meter.count, counting.bytes, fmt, meter.seconds)


def _write_file(archive: Archive, fmt: str, tmp: Path, progress: Progress | None) -> int:
    if fmt == "sqlite":
        rows = write_sqlite(archive, tmp, progress)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)  # written with synchronous=OFF: make it durable before the rename
        finally:
            os.close(fd)
        return rows
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        meter = WRITERS[fmt](archive, f, progress)
        f.flush()
        os.fsync(f.fileno())  # complete on disk before the rename makes it visible
    return meter.count


# --- JSON Lines --------------------------------------------------------------------------


def item_json(entry: Entry) -> dict[str, Any]:
    """One JSONL line: an item with its context. Key order is part of the documented shape."""
    item, meeting, committee, source = entry.item, entry.meeting, entry.committee, entry.source
    return {
        "id": item.id,
        "source": {"name": source.name, "title": source.title, "base_url": source.base_url},
        "committee": {"id": committee.id, "committee_id": committee.committee_id, "name": committee.name,
                      "category": committee.category, "url": committee.url},
        "meeting": {
            "id": meeting.id, "meeting_id": meeting.meeting_id,
            "date": meeting.date.isoformat() if meeting.date else None,
            "start": meeting.start.isoformat() if meeting.start else None,
            "status": meeting.status, "venue": meeting.venue, "url": meeting.url,
            "attendance": [{"name": a.name, "role": a.role, "attendance": a.attendance, "uid": a.uid}
                           for a in meeting.attendance],
            "documents": [{"url": d.url, "title": d.title, "kind": d.kind} for d in meeting.documents],
        },
        "item_id": item.item_id,
        "position": item.position,
        "number": item.number,
        "title": item.title,
        "url": item.url,
        "full_text_url": item.full_text_url,
        "procedural": item.procedural,
        "topics": list(dict.fromkeys(item.topics)),
        "speakers": entry.speakers,
        "agenda_text": item.agenda_text,
        "minutes_text": item.minutes_text,
        "decision_text": item.decision_text,
        "passages": [{"anchor": p.anchor, "section": p.section, "text": p.text, "speakers": list(p.speakers),
                      "raw_speakers": list(p.raw_speakers)} for p in item.passages],
        "declarations": [{"member": d.member, "item": d.item, "kind": d.kind, "text": d.text}
                         for d in item.declarations],
        "documents": [{"url": d.url, "title": d.title, "kind": d.kind, "text": d.text} for d in item.documents],
        "batch": entry.batch,
    }


def write_jsonl(archive: Archive, stream: IO[str], progress: Progress | None = None) -> Meter:
    meter = Meter("jsonl", archive.item_count, progress)
    for entry in archive.entries():
        stream.write(json.dumps(item_json(entry), ensure_ascii=False, separators=(",", ":")) + "\n")
        meter.tick()
    return meter


# --- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "source", "committee", "meeting_id", "meeting_date", "meeting_start", "meeting_status",
               "venue", "number", "title", "procedural", "topics", "speakers", "declarations", "agenda_text",
               "minutes_text", "decision_text", "document_urls", "url", "full_text_url", "meeting_url", "batch")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: lists joined with "; ", formula starts defused with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        text = JOIN.join(str(v) for v in value)
    else:
        text = str(value)
    # Spreadsheets skip leading blanks before reading "=…" as a formula (" =HYPERLINK(…)" too).
    return "'" + text if text.lstrip(" \u00a0\n\x0b\x0c").startswith(_FORMULA) else text


def csv_row(entry: Entry) -> list[str]:
    item, meeting = entry.item, entry.meeting
    values = {
        "id": item.id, "source": item.source, "committee": entry.committee.name, "meeting_id": meeting.id,
        "meeting_date": meeting.date.isoformat() if meeting.date else "",
        "meeting_start": meeting.start.isoformat() if meeting.start else "", "meeting_status": meeting.status,
        "venue": meeting.venue, "number": item.number, "title": item.title, "procedural": item.procedural,
        "topics": list(dict.fromkeys(item.topics)), "speakers": entry.speakers,
        "declarations": [_declaration(d) for d in item.declarations], "agenda_text": item.agenda_text,
        "minutes_text": item.minutes_text, "decision_text": item.decision_text,
        "document_urls": [d.url for d in item.documents], "url": item.url, "full_text_url": item.full_text_url,
        "meeting_url": meeting.url, "batch": entry.batch,
    }
    return [csv_cell(values[c]) for c in CSV_COLUMNS]


def _declaration(d) -> str:
    kind = f" ({d.kind})" if d.kind else ""
    return f"{d.member}{kind}: {d.text or d.item}".strip()


def write_csv(archive: Archive, stream: IO[str], progress: Progress | None = None) -> Meter:
    meter = Meter("csv", archive.item_count, progress)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in archive.entries():
        writer.writerow(csv_row(entry))
        meter.tick()
    return meter


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


class _Counting:
    """A text stream wrapper counting the UTF-8 bytes written (for the summary of ``--out -``)."""

    def __init__(self, stream: IO[str]):
        self.stream, self.bytes = stream, 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode("utf-8"))
        return self.stream.write(text)
