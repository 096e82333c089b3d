"""Shared helpers of the hardening tests: running the real CLI, killing it, and fingerprints of
what a data directory holds (catalog records, index documents) to compare with a clean run."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "searchsvc", "-q"]


def cli(conf: Path, *args: str) -> list[str]:
    return [*CLI, "--config", str(conf), *args]


def run(cmd: list[str], *, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, **kwargs)


def timed(cmd: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = run(cmd, **kwargs)
    return done, time.monotonic() - started


@dataclass(frozen=True)
class Kill:
    """What happened to one process we meant to kill."""

    killed: bool  # False: it finished before the kill point
    after: float  # seconds from start to the kill (or to its exit)
    returncode: int


def kill_after(cmd: list[str], delay: float, *, until: Callable[[], bool] | None = None,
               limit: float = 60.0) -> Kill:
    """Start ``cmd`` and SIGKILL it after ``delay`` seconds, or as soon as ``until()`` is true
    (polled every 5 ms) when given; bounded by ``limit`` seconds either way."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    started = time.monotonic()
    deadline = started + (limit if until else min(delay, limit))
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if until is not None and until():
                break
            time.sleep(0.005 if until else min(0.005, max(0.0, deadline - time.monotonic())))
        after = time.monotonic() - started
        if proc.poll() is not None:
            return Kill(False, after, proc.returncode)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        return Kill(True, after, proc.returncode)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


# --- fingerprints -------------------------------------------------------------------------


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def readonly_db(path: Path) -> sqlite3.Connection:
    """A read-only connection that never migrates or writes (unlike Catalog), for watching."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)


def page_count(data_dir: Path) -> int:
    path = data_dir / "catalog.sqlite"
    if not path.exists():
        return 0
    try:
        db = readonly_db(path)
        try:
            return db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:  # created but no schema yet, or locked for a moment
        return 0


def integrity(data_dir: Path) -> str:
    db = sqlite3.connect(data_dir / "catalog.sqlite", timeout=30)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def catalog_records(data_dir: Path) -> dict[str, object]:
    """Every live record with its content hash, and the passages, as the crawl left them."""
    db = sqlite3.connect(data_dir / "catalog.sqlite", timeout=30)
    try:
        out: dict[str, object] = {}
        for table in ("committees", "meetings"):
            out[table] = dict(db.execute(f"SELECT id, hash FROM {table}").fetchall())
        out["items"] = dict(db.execute("SELECT id, hash FROM items WHERE removed_batch IS NULL").fetchall())
        out["removed"] = sorted(r[0] for r in db.execute("SELECT id FROM items WHERE removed_batch IS NOT NULL"))
        rows = db.execute("SELECT item_id, anchor, text, speakers FROM passages p JOIN items i ON i.id = p.item_id "
                          "WHERE i.removed_batch IS NULL ORDER BY item_id, anchor").fetchall()
        out["passages"] = _digest(rows)
        out["passage_count"] = len(rows)
        out["pages"] = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        return out
    finally:
        db.close()


def index_docs(data_dir: Path) -> dict[str, str]:
    """``{item id: hash of its stored fields}`` of the live generation; fails on a repeated id."""
    from whoosh import index as windex

    from searchsvc.index import IndexStore

    store = IndexStore(data_dir)
    ix = windex.open_dir(str(store.path(store.current_generation())))
    try:
        with ix.searcher() as searcher:
            docs = [fields for _, fields in searcher.reader().iter_docs()]
            assert searcher.doc_count() == len(docs)
    finally:
        ix.close()
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)), f"an item is indexed twice: {sorted(i for i in ids if ids.count(i) > 1)[:5]}"
    return {d["id"]: _digest(d) for d in docs}


def live_index_answers(data_dir: Path, query: str = "council") -> tuple[str, int, int]:
    """(generation, doc count, total for ``query``) through the same reader the web app uses."""
    from searchsvc.index import IndexReader, IndexStore, SearchRequest

    store = IndexStore(data_dir)
    reader = IndexReader(store)
    try:
        count = reader.doc_count()
        total = reader.search(SearchRequest(q=query, include_procedural=True, per_page=1)).total
        return reader.version().split("/")[0], count, total
    finally:
        reader.close()
