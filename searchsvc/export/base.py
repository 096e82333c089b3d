"""What every export format is: a :class:`Writer` of an :class:`~searchsvc.export.archive.Archive`.

Scrapy's habit (``BaseItemExporter`` and the ``FEED_EXPORTERS_BASE`` registry): one small class
per output format, all with the same two entry points, found by name in one registry
(:data:`searchsvc.export.WRITERS`). The CLI's ``--format`` choices, the nightly job's format
from a file name and ``export --out -`` all read the registry, so a new format is one module
and one line (docs/extending.md, "A new output format").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, ClassVar

from searchsvc.export.archive import Archive, Meter, Progress


class Writer:
    """One export format. Text formats implement :meth:`write`; others override :meth:`write_file`."""

    name: ClassVar[str]  # the --format value
    suffix: ClassVar[str]  # the file suffix of its default file name (".jsonl")
    help: ClassVar[str]  # one line for --help and the docs
    media_type: ClassVar[str] = "application/octet-stream"
    streams: ClassVar[bool] = True  # can be written to standard output (``--out -``)
    aliases: ClassVar[tuple[str, ...]] = ()  # other file suffixes that mean this format (".db")

    def __init__(self, archive: Archive, progress: Progress | None = None):
        self.archive, self.progress = archive, progress

    def meter(self) -> Meter:
        return Meter(self.name, self.archive.item_count, self.progress)

    def write(self, stream: IO[str]) -> Meter:
        """Write every entry to an open text stream; returns the meter (count, seconds)."""
        raise NotImplementedError(f"the {self.name} export is written to a file, not a stream")

    def write_file(self, path: Path) -> int:
        """Write a complete new file at ``path``, durable on disk; returns the items written."""
        with open(path, "w", encoding="utf-8", newline="") as f:
            meter = self.write(f)
            f.flush()
            os.fsync(f.fileno())  # complete on disk before the caller's rename makes it visible
        return meter.count
