"""Index generations on disk: build beside the live one, verify, swap, prune.

Layout under the data root::

    whoosh/CURRENT                  the live generation's name (one line)
    whoosh/g20250301T020000123456/  a complete generation (Whoosh files + meta)
    whoosh/g….building/             a build in progress (never served)

Why generations: a full rebuild must never leave readers with a half-written or
empty index. A build writes ``<gen>.building``, verifies it (count, probe
query), renames it to ``<gen>`` and only then replaces ``CURRENT`` with
``os.replace`` of a temporary file — atomic on POSIX, so a reader sees either
the old or the new name, never neither. A crash (exception or SIGKILL) at any
point leaves ``CURRENT`` naming the previous generation; the ``.building``
leftovers are removed by the next build. After a swap the previous generation
is kept (for :meth:`IndexStore.rollback` and for readers still finishing a
request on it) and older ones are pruned.

Incremental updates (nightly) change the live generation in place with one
Whoosh commit; readers notice through ``Searcher.up_to_date()``.

Only one writer runs at a time — the caller holds the data directory's file
lock; a Whoosh ``LockError`` is still reported as a clear SearchIndexError.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import whoosh
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from searchsvc.errors import SearchIndexError
from searchsvc.index import build, packs
from searchsvc.index.documents import ItemDoc
from searchsvc.index.schema import build_schema

log = logging.getLogger(__name__)

META_FILE = "searchsvc-meta.json"
SCHEMA_VERSION = 1
_GEN = re.compile(r"g\d{8}T\d{12}(?:-\d+)?")


@dataclass(frozen=True)
class UpdateStats:
    generation: str
    added: int  # items that were not in the index
    replaced: int  # items re-indexed because they changed
    deleted: int  # items removed
    doc_count: int
    seconds: float
    created: bool = False  # no generation existed: a first one was built


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class IndexStore:
    """The generations of the search index under ``root/whoosh``."""

    def __init__(self, root: Path | str, build_procs: int = build.BUILD_PROCS, pack_min_docs: int = packs.MIN_DOCS):
        self.root = Path(root)
        self.dir = self.root / "whoosh"
        self.build_procs = build_procs
        self.pack_min_docs = pack_min_docs  # a term's items in a segment for a pack entry (index/packs.py)

    # -- reading the layout -----------------------------------------------------------

    @property
    def current_file(self) -> Path:
        return self.dir / "CURRENT"

    def current_generation(self) -> str | None:
        """The live generation's name, or None before the first build."""
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise SearchIndexError(f"Cannot read {self.current_file}: {e}") from e
        if name and not (_GEN.fullmatch(name) and self.path(name).is_dir()):
            # A corrupt CURRENT must be reported as such (503, status exit 1), not crash a search.
            shown = name[:40].encode("ascii", "backslashreplace").decode()
            raise SearchIndexError(f"{self.current_file} is corrupt: it names {shown!r}, which is not a "
                                   f"generation on disk; rebuild with `searchsvc index --full`")
        return name or None

    def path(self, generation: str) -> Path:
        return self.dir / generation

    def generations(self) -> list[str]:
        """Complete generations on disk, oldest first."""
        if not self.dir.is_dir():
            return []
        return sorted(p.name for p in self.dir.iterdir() if p.is_dir() and _GEN.fullmatch(p.name))

    def open_index(self, generation: str | None = None) -> windex.Index:
        gen = generation or self.current_generation()
        if gen is None:
            raise SearchIndexError(f"There is no search index in {self.dir} yet; build one with `searchsvc index`.")
        try:
            # Without mmap: whoosh3 copies every mmap-ed part of a segment into its own BytesIO,
            # so each searcher (one per web thread) held a private copy of the postings and
            # terms, which made the server's memory grow with its threads. Read through plain
            # files instead: same speed, no copies (bench/README.md, "Design figures").
            return FileStorage(str(self.path(gen)), supports_mmap=False).open_index()
        except (windex.EmptyIndexError, OSError) as e:
            raise SearchIndexError(f"The search index generation {gen} cannot be opened: {e}") from e

    def meta(self, generation: str | None = None) -> dict[str, Any]:
        gen = generation or self.current_generation()
        if gen is None:
            return {}
        try:
            return json.loads((self.path(gen) / META_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _write_meta(self, path: Path, meta: dict[str, Any]) -> None:
        _write_atomic(path / META_FILE, json.dumps(meta, indent=2, sort_keys=True))

    def doc_count(self) -> int:
        if self.current_generation() is None:
            return 0
        ix = self.open_index()
        try:
            return ix.doc_count()
        finally:
            ix.close()

    def last_batch(self) -> int | None:
        """The highest batch number indexed in the live generation (None: no index)."""
        return self.meta().get("last_batch")

    def size_bytes(self, generation: str | None = None) -> int:
        gen = generation or self.current_generation()
        if gen is None:
            return 0
        return sum(p.stat().st_size for p in self.path(gen).rglob("*") if p.is_file())

    # -- full build --------------------------------------------------------------------

    def _new_name(self) -> str:
        name = "g" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        n, candidate = 1, name
        while self.path(candidate).exists() or self.path(candidate + ".building").exists():
            n += 1
            candidate = f"{name}-{n}"
        return candidate

    def clean_leftovers(self) -> list[str]:
        """Remove half-built generations and stray temporary files (not the live one)."""
        removed = []
        if not self.dir.is_dir():
            return removed
        live = self.current_generation()
        for p in self.dir.iterdir():
            if p.name == live:
                continue
            if p.is_dir() and p.name.endswith(".building"):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p.name)
            elif p.is_file() and p.name.startswith(".CURRENT.") and p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)
                removed.append(p.name)
        if removed:
            log.warning("removed leftovers of an interrupted build: %s", ", ".join(removed))
        return removed

    def build_full(self, docs: Iterable[ItemDoc], expected_count: int | None = None) -> str:
        """Write a new generation from ``docs``, verify it, publish it; returns its name.

        On any failure the new directory is removed and the previous generation
        keeps serving; errors from ``docs`` itself propagate unchanged.
        """
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.clean_leftovers()
        except OSError as e:
            raise SearchIndexError(f"Cannot use the index folder {self.dir}: {e.strerror or e}") from None
        previous = self.current_generation()
        gen = self._new_name()
        tmp = self.path(gen + ".building")
        try:
            tmp.mkdir()
        except OSError as e:
            raise SearchIndexError(f"Cannot create {tmp}: {e.strerror or e}") from None
        start = time.perf_counter()
        try:
            ix = windex.create_in(str(tmp), build_schema())
            try:
                if self.build_procs > 1:
                    writer = build.ParallelWriter(ix, procs=self.build_procs, limitmb=build.LIMIT_MB)
                else:
                    writer = build.open_writer(ix)
                try:
                    stats = build.add_all(writer, docs)
                except BaseException:
                    writer.cancel()
                    raise
                try:
                    writer.commit(optimize=False)
                except Exception as e:
                    raise SearchIndexError(f"Writing the new index generation failed: {e}") from e
                count = build.verify(ix, stats.count, stats.first_id, expected_count)
                self._write_packs(ix)
            finally:
                ix.close()
            self._write_meta(tmp, {
                "generation": gen,
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "doc_count": count,
                "last_batch": stats.max_batch,
                "previous": previous,
                "schema_version": SCHEMA_VERSION,
                "whoosh": whoosh.versionstring(),
                "build_seconds": round(time.perf_counter() - start, 2),
            })
            os.rename(tmp, self.path(gen))
            _fsync_dir(self.dir)
        except BaseException as e:
            shutil.rmtree(tmp, ignore_errors=True)
            log.error("full build of %s failed; %s keeps serving", gen, previous or "no index")
            if isinstance(e, OSError):  # disk full, read-only: name the place, not just the errno
                raise SearchIndexError(f"Writing the new index generation {tmp} failed: {e.strerror or e}; "
                                       f"{previous or 'no index'} keeps serving") from None
            if isinstance(e, SearchIndexError):
                raise SearchIndexError(f"{e} ({tmp})") from None
            raise
        try:
            self._publish(gen)
        except OSError as e:
            raise SearchIndexError(f"Cannot switch {self.current_file} to the new generation {gen}: "
                                   f"{e.strerror or e}; {previous or 'no index'} keeps serving") from None
        seconds = time.perf_counter() - start
        log.info("published generation %s: %d items in %.1fs (%.0f items/s)", gen, count, seconds,
                 count / seconds if seconds else 0)
        self.prune(keep=(gen, previous))
        return gen

    def _write_packs(self, ix: windex.Index) -> None:
        """The packs of the segments that have none (index/packs.py). A pack only speeds searches
        up, so failing to write one is logged, not raised: its segment is read from Whoosh, and the
        next update writes the packs still missing."""
        start = time.perf_counter()
        try:
            written = packs.write_packs(ix, self.pack_min_docs)
        except OSError as e:
            log.warning("cannot write the packs of %s (%s); searches read those segments from the index",
                        ix.storage.folder, e.strerror or e)
            return
        if written:
            log.info("wrote %d segment packs in %.1fs", len(written), time.perf_counter() - start)

    def _publish(self, gen: str) -> None:
        _write_atomic(self.current_file, gen + "\n")

    def rollback(self) -> str:
        """Make the previous generation live again (after a bad build); returns its name."""
        prev = self.meta().get("previous")
        if not prev or not self.path(prev).is_dir():
            raise SearchIndexError("There is no previous index generation to roll back to.")
        self._publish(prev)
        log.warning("rolled back the search index to %s", prev)
        return prev

    def prune(self, keep: Iterable[str | None]) -> list[str]:
        """Delete complete generations other than ``keep`` (and the live one)."""
        keep_set = {k for k in keep if k} | {self.current_generation()}
        removed = [g for g in self.generations() if g not in keep_set]
        for g in removed:
            shutil.rmtree(self.path(g), ignore_errors=True)
        if removed:
            log.info("pruned old index generations: %s", ", ".join(removed))
        return removed

    # -- incremental update ---------------------------------------------------------------

    def update(self, changed: Iterable[ItemDoc], deleted_ids: Iterable[str]) -> UpdateStats:
        """Apply changed and deleted items to the live generation in one commit.

        Changed items replace the indexed version with the same id (or are
        added); deletions are applied after them, so an id in both is deleted.
        Without a live generation, a first one is built from ``changed``.
        """
        start = time.perf_counter()
        gen = self.current_generation()
        if gen is None:
            docs = list(changed)
            gen = self.build_full(docs)
            return UpdateStats(gen, len(docs), 0, 0, self.doc_count(), time.perf_counter() - start, created=True)
        path = self.path(gen)
        version = self.meta(gen).get("schema_version")
        if version is not None and version != SCHEMA_VERSION:
            raise SearchIndexError(
                f"The live index {gen} was built with schema version {version}, this code writes "
                f"version {SCHEMA_VERSION}; run a full rebuild (searchsvc index --full) first."
            )
        ix = self.open_index(gen)
        try:
            writer = build.open_writer(ix)
            try:
                docs = list(changed)
                with ix.searcher() as s:
                    existing = sum(1 for d in docs if s.document_number(id=d.id) is not None)
                stats = build.add_all(writer, docs, update=True)
                deleted = 0
                for item_id in dict.fromkeys(deleted_ids):
                    deleted += writer.delete_by_term("id", item_id) or 0
            except BaseException:
                writer.cancel()
                raise
            try:
                writer.commit()
            except Exception as e:
                raise SearchIndexError(f"Committing the index update to {path} failed: {e}") from e
            count = ix.doc_count()
            self._write_packs(ix)
        except OSError as e:  # writing postings before the commit: disk full, read-only
            raise SearchIndexError(f"Updating the index generation {path} failed: {e.strerror or e}") from None
        finally:
            ix.close()
        meta = self.meta(gen) or {"generation": gen, "schema_version": SCHEMA_VERSION}
        meta["last_batch"] = max(int(meta.get("last_batch") or 0), stats.max_batch)
        meta["doc_count"] = count
        meta["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            self._write_meta(path, meta)
        except OSError as e:  # the commit stands; the next update re-applies the same batches
            raise SearchIndexError(f"Cannot write {path / META_FILE}: {e.strerror or e}") from None
        result = UpdateStats(gen, stats.count - existing, existing, deleted, count, time.perf_counter() - start)
        log.info("updated %s: %d added, %d replaced, %d deleted in %.2fs", gen, result.added,
                 result.replaced, result.deleted, result.seconds)
        return result
