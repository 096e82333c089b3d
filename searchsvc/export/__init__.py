"""Bulk export of the whole archive, for journalists' own analysis: one writer per format.

Formats (each a :class:`~searchsvc.export.base.Writer` in :data:`WRITERS`): SQLite (tables with
foreign keys and full-text search; opens as it is in Datasette and sqlite-utils) for exploring,
JSON Lines (one item per line with its meeting, committee and source nested) for programs, CSV
(one item per row) for spreadsheets. The shapes are documented in docs/export.md and pinned by
tests: columns and keys are only ever added, at the end, never renamed or reordered, so a
journalist's notebook keeps working.

Why a temporary file: an export is written beside its target and renamed over it
(``os.replace``) only once complete, so ``serve``'s download link and a reader of the nightly
file never see half an export; a failed export leaves the previous file as it was.

Modules: :mod:`.archive` (the consistent, streamed read of the catalog every writer uses),
:mod:`.base` (the writer interface), :mod:`.jsonl`, :mod:`.csvfile`, :mod:`.sqlite` (the writers).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.export.archive import Archive, ExportError, Progress, open_archive
from searchsvc.export.base import Writer
from searchsvc.export.csvfile import CSV_COLUMNS, CsvWriter, csv_cell, csv_row
from searchsvc.export.jsonl import JsonLinesWriter, item_json
from searchsvc.export.sqlite import SQLiteWriter

log = logging.getLogger(__name__)

#: The formats shipped, by name (scrapy's ``FEED_EXPORTERS_BASE``); :data:`WRITERS` is what is
#: offered, these plus any :func:`register`-ed. The first is the default.
WRITERS_BASE: dict[str, type[Writer]] = {w.name: w for w in (SQLiteWriter, JsonLinesWriter, CsvWriter)}
WRITERS: dict[str, type[Writer]] = dict(WRITERS_BASE)
EXPORTS_DIR = "exports"

__all__ = ["FORMATS", "STREAM_FORMATS", "CSV_COLUMNS", "WRITERS", "ExportError", "ExportSummary", "Writer",
           "check_format", "default_path", "export_stream", "export_to", "format_for_path", "formats",
           "item_json", "csv_row", "csv_cell", "register", "stream_formats"]


def register(writer: type[Writer]) -> type[Writer]:
    """Offer another format (usable as a class decorator)."""
    WRITERS[writer.name] = writer
    return writer


def formats() -> tuple[str, ...]:
    return tuple(WRITERS)


def stream_formats() -> tuple[str, ...]:
    """The formats that can go to standard output."""
    return tuple(name for name, w in WRITERS.items() if w.streams)


FORMATS = formats()
STREAM_FORMATS = stream_formats()


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
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of: {', '.join(WRITERS)}")
    return fmt


def format_for_path(path: Path | str) -> str:
    """The format a file name asks for by its suffix (``.db`` is SQLite; none: the default).

    Raises ExportError for a suffix no writer claims."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return next(iter(WRITERS_BASE))
    for name, writer in WRITERS.items():
        if suffix == writer.suffix or suffix in writer.aliases:
            return name
    raise ExportError(f"{path}: no export format writes {suffix} files; use one of "
                      + ", ".join(w.suffix for w in WRITERS.values()))


def default_path(data_dir: Path | str, fmt: str, today: date | None = None) -> Path:
    """``<data_dir>/exports/searchsvc-<YYYY-MM-DD>.<format>``."""
    day = (today or date.today()).isoformat()
    return Path(data_dir) / EXPORTS_DIR / f"searchsvc-{day}{WRITERS[check_format(fmt)].suffix}"


def export_to(catalog: Catalog, config: Config, fmt: str, out_path: Path | str | None = None, *,
              progress: Progress | None = None, today: date | None = None) -> ExportSummary:
    """Write the archive to ``out_path`` (default :func:`default_path`) atomically.

    The nightly job calls this with ``export.path``; it needs no writer lock (see
    :mod:`.archive`). The file appears complete or not at all.
    """
    fmt = check_format(fmt)
    path = Path(out_path) if out_path else default_path(config.data_dir, fmt, today)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # per process: two exports never share one
    started = time.monotonic()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open_archive(catalog) as db:
            rows = WRITERS[fmt](Archive(db, config), progress).write_file(tmp)
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
    """Write an export that streams (JSON Lines, CSV) to an open text stream (``--out -``)."""
    fmt = check_format(fmt)
    if not WRITERS[fmt].streams:
        raise ExportError(f"the {fmt} export is a file; give --out a path (only {', '.join(stream_formats())} "
                          "can go to standard output)")
    counting = _Counting(stream)
    with open_archive(catalog) as db:
        meter = WRITERS[fmt](Archive(db, config), progress).write(counting)
    stream.flush()
    return ExportSummary(None, meter.count, counting.bytes, fmt, meter.seconds)


class _Counting:
    """A text stream wrapper counting the UTF-8 bytes written (for the summary of ``--out -``)."""

    def __init__(self, stream: IO[str]):
        self.stream, self.bytes = stream, 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode("utf-8"))
        return self.stream.write(text)
