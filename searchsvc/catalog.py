"""The SQLite catalog: raw pages, records, batches and job runs — the source of truth.

Why SQLite: one file in the data directory, transactional, readable by every tool a
journalist or operator already has. The Whoosh index is derived from it and can always be
rebuilt; raw pages are kept so a better parser can re-run over the archive without
re-fetching (``searchsvc reparse``).

Change tracking: every record row keeps the sha256 of its canonical JSON, the batch that
last *changed* it (``batch_changed``) and the batch that last *saw* it (``batch_seen``).
Upserting an unchanged record touches only ``batch_seen``, so re-running a job over the
same pages changes no ``batch_changed`` and alerts never repeat. Removed items are kept
with ``removed_batch`` set, so the indexer can delete them.

Concurrency: WAL mode lets web workers and ``status`` read while the single writer (held by
the data directory's lock) writes. Each call commits its own transaction unless it runs
inside :meth:`Catalog.transaction`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from searchsvc.catalog_queries import CatalogQueries, equal_to
from searchsvc.errors import CatalogError
from searchsvc.records import Committee, Document, Item, Meeting, Source, from_dict, hash_of_json, to_json

CATALOG_FILE = "catalog.sqlite"
ITEM_CHUNK = 500  # item rows read per query when streaming

# Each migration moves the schema from version i to i+1. Never edit one that has shipped:
# append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE pages (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL,
        headers TEXT NOT NULL DEFAULT '{}',
        body BLOB,
        sha256 TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        fetch_batch INTEGER,
        change_batch INTEGER
    );
    CREATE INDEX pages_source_kind ON pages(source, kind);
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
    );
    CREATE TABLE sources (
        name TEXT PRIMARY KEY, data TEXT NOT NULL, hash TEXT NOT NULL,
        batch_changed INTEGER, batch_seen INTEGER
    );
    CREATE TABLE committees (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, name TEXT NOT NULL,
        data TEXT NOT NULL, hash TEXT NOT NULL, batch_changed INTEGER, batch_seen INTEGER
    );
    CREATE TABLE meetings (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, committee_id TEXT NOT NULL,
        start TEXT, status TEXT NOT NULL, url TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL, hash TEXT NOT NULL, batch_changed INTEGER, batch_seen INTEGER
    );
    CREATE INDEX meetings_source_start ON meetings(source, start);
    CREATE TABLE items (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, meeting_id TEXT NOT NULL,
        position INTEGER NOT NULL, title TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL, hash TEXT NOT NULL, batch_changed INTEGER, batch_seen INTEGER,
        removed_batch INTEGER
    );
    CREATE INDEX items_meeting ON items(meeting_id);
    CREATE INDEX items_batch ON items(batch_changed);
    CREATE TABLE passages (
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        anchor TEXT NOT NULL,
        section TEXT NOT NULL,
        text TEXT NOT NULL,
        speakers TEXT NOT NULL DEFAULT '[]',
        raw_speakers TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (item_id, anchor)
    );
    CREATE TABLE documents (
        url TEXT PRIMARY KEY, source TEXT NOT NULL, owner_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '', batch_changed INTEGER
    );
    CREATE TABLE job_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        batch INTEGER,
        counts TEXT NOT NULL DEFAULT '{}',
        errors TEXT NOT NULL DEFAULT '[]'
    );
    """,
)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class UpsertCounts:
    """What an upsert did; added up across a run and shown in progress lines and the status page."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def add(self, other: "UpsertCounts") -> None:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.removed += other.removed

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged, "removed": self.removed}


@dataclass(frozen=True)
class StoredPage:
    url: str
    source: str
    kind: str
    status: int
    headers: dict[str, str]
    body: bytes
    sha256: str
    fetched_at: str
    changed_at: str
    fetch_batch: int | None
    change_batch: int | None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(frozen=True)
class JobRun:
    id: int
    job: str
    started_at: str
    finished_at: str | None
    status: str
    batch: int | None
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[Any] = field(default_factory=list)


class Catalog(CatalogQueries):
    """A connection to the catalog file; safe to share between threads (one lock serialises calls).

    The read-only listing and report questions (counts, spans, speakers, topics, upcoming
    meetings) come from :class:`~searchsvc.catalog_queries.CatalogQueries`.
    """

    def __init__(self, path: Path | str, *, read_only: bool = False):
        """``read_only``: open an existing catalog for reading alone (a parse worker process beside
        the writer): the file is opened read-only, never created or migrated, and must already have
        this searchsvc's schema. WAL mode lets such readers run while the writer commits."""
        self.path = Path(path)
        try:
            if read_only:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                           check_same_thread=False, isolation_level=None, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.row_factory = sqlite3.Row
            if not read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA foreign_keys=ON")
                self._db.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as e:
            raise CatalogError(f"cannot open the catalog {self.path}: {e}") from None
        self._lock = threading.RLock()
        self._depth = 0
        if not read_only:
            self.migrate()
        elif (version := self.schema_version) != len(MIGRATIONS):
            self._db.close()
            raise CatalogError(f"the catalog {self.path} has schema version {version}, "
                               f"not this searchsvc's {len(MIGRATIONS)}: open it for writing first")

    @classmethod
    def in_dir(cls, data_dir: Path | str) -> "Catalog":
        return cls(Path(data_dir) / CATALOG_FILE)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- schema -----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        try:
            return self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as e:  # the first read of a new connection: a WAL that cannot be written…
            raise self._failed("reading", e) from None

    def migrate(self) -> None:
        """Apply the migrations this file has not had yet, each in one transaction.

        The version is read again inside the write transaction: two processes opening a new
        catalog at once (a reader and a writer) must not both apply the same migration.
        """
        self._check_version(self.schema_version)
        for version in range(self.schema_version, len(MIGRATIONS)):
            try:
                with self.transaction():
                    if self.schema_version > version:
                        continue  # another process applied it meanwhile
                    for statement in _statements(MIGRATIONS[version]):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {version + 1}")
            except sqlite3.Error as e:
                raise CatalogError(f"migrating the catalog {self.path} to version {version + 1} failed: {e}") from None

    def _check_version(self, current: int) -> None:
        if current > len(MIGRATIONS):
            raise CatalogError(f"the catalog {self.path} has schema version {current}, newer than this "
                               f"searchsvc ({len(MIGRATIONS)}): upgrade searchsvc")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one.

        An SQLite error (disk full, read-only file, I/O error) leaves the transaction rolled
        back and surfaces as a CatalogError naming the file, never as a bare sqlite3 error.
        """
        with self._lock:
            outer = self._depth == 0
            if outer:
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as e:
                    raise self._failed("writing to", e) from None
            self._depth += 1
            try:
                yield self._db
            except BaseException as e:
                self._depth -= 1
                if outer:
                    self._rollback()
                    if isinstance(e, sqlite3.Error):
                        raise self._failed("writing to", e) from None
                raise
            else:
                self._depth -= 1
                if outer:
                    try:
                        self._db.execute("COMMIT")
                    except sqlite3.Error as e:
                        self._rollback()
                        raise self._failed("writing to", e) from None

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite rolls back by itself after some
        I/O errors, and a failing ROLLBACK must not hide the error that caused it)."""
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _failed(self, doing: str, error: sqlite3.Error) -> CatalogError:
        name = getattr(error, "sqlite_errorname", "") or ""
        hint = (" (is the disk full, or the data directory read-only?)"
                if name.startswith(("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN")) else "")
        return CatalogError(f"{doing} the catalog {self.path} failed: {error}{hint}")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of one read (for this module, tests and one-off inspection: product code asks
        by named methods here and in :mod:`searchsvc.catalog_queries`, so the SQL stays in the catalog's
        modules; a test checks that)."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise self._failed("reading", e) from None

    def integrity_ok(self) -> bool:
        return self.query("PRAGMA integrity_check")[0][0] == "ok"

    # --- batches and job runs -------------------------------------------------------

    def start_batch(self, job: str, source: str = "") -> int:
        with self.transaction() as db:
            return db.execute("INSERT INTO batches (job, source, started_at) VALUES (?, ?, ?)",
                              (job, source, utcnow())).lastrowid

    def finish_batch(self, batch: int, status: str = "ok") -> None:
        with self.transaction() as db:
            db.execute("UPDATE batches SET finished_at = ?, status = ? WHERE id = ?", (utcnow(), status, batch))

    def unfinished_batch(self, job: str, source: str) -> int | None:
        """The newest batch of ``job`` for ``source`` that never finished (a killed run), to resume."""
        rows = self.query("SELECT id, status FROM batches WHERE job = ? AND source = ? ORDER BY id DESC LIMIT 1",
                          (job, source))
        return rows[0]["id"] if rows and rows[0]["status"] == "running" else None

    def last_batch(self) -> int:
        return self.query("SELECT COALESCE(MAX(id), 0) FROM batches")[0][0]

    def start_run(self, job: str, batch: int | None = None) -> int:
        with self.transaction() as db:
            return db.execute("INSERT INTO job_runs (job, started_at, batch) VALUES (?, ?, ?)",
                              (job, utcnow(), batch)).lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any], errors: list[Any]) -> None:
        with self.transaction() as db:
            db.execute("UPDATE job_runs SET finished_at = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
                       (utcnow(), status, json.dumps(counts), json.dumps(errors), run_id))

    def runs(self, limit: int = 20, job: str | None = None) -> list[JobRun]:
        sql = "SELECT * FROM job_runs" + (" WHERE job = ?" if job else "") + " ORDER BY id DESC LIMIT ?"
        rows = self.query(sql, (job, limit) if job else (limit,))
        return [JobRun(r["id"], r["job"], r["started_at"], r["finished_at"], r["status"], r["batch"],
                       json.loads(r["counts"]), json.loads(r["errors"])) for r in rows]

    # --- raw pages ------------------------------------------------------------

    def put_page(self, url: str, source: str, kind: str, status: int, headers: dict[str, str], body: bytes,
                 sha256: str, batch: int | None) -> bool:
        """Store a fetched response; returns True when its body differs from the stored one."""
        now = utcnow()
        with self.transaction() as db:
            row = db.execute("SELECT sha256 FROM pages WHERE url = ?", (url,)).fetchone()
            changed = row is None or row["sha256"] != sha256
            if row is None:
                db.execute("INSERT INTO pages (url, source, kind, status, headers, body, sha256, fetched_at, "
                           "changed_at, fetch_batch, change_batch) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           (url, source, kind, status, json.dumps(headers), body, sha256, now, now, batch, batch))
            elif changed:
                db.execute("UPDATE pages SET kind=?, status=?, headers=?, body=?, sha256=?, fetched_at=?, "
                           "changed_at=?, fetch_batch=?, change_batch=? WHERE url=?",
                           (kind, status, json.dumps(headers), body, sha256, now, now, batch, batch, url))
            else:
                db.execute("UPDATE pages SET status=?, headers=?, fetched_at=?, fetch_batch=? WHERE url=?",
                           (status, json.dumps(headers), now, batch, url))
        return changed

    def touch_page(self, url: str, batch: int | None) -> None:
        """Record that a conditional GET answered 304: the stored copy is current."""
        with self.transaction() as db:
            db.execute("UPDATE pages SET fetched_at=?, fetch_batch=? WHERE url=?", (utcnow(), batch, url))

    def page(self, url: str) -> StoredPage | None:
        rows = self.query("SELECT * FROM pages WHERE url = ?", (url,))
        return _page(rows[0]) if rows else None

    def pages(self, source: str | None = None, kind: str | None = None) -> Iterator[StoredPage]:
        """Stored pages in URL order, streamed (the raw store can be large)."""
        where, args = equal_to(source=source, kind=kind)
        for row in self.query(f"SELECT url FROM pages WHERE 1=1{where} ORDER BY url", args):
            page = self.page(row["url"])
            if page is not None:
                yield page

    def page_count(self, source: str | None = None, kind: str | None = None) -> int:
        where, args = equal_to(source=source, kind=kind)
        return self.query(f"SELECT COUNT(*) FROM pages WHERE 1=1{where}", args)[0][0]

    # --- records ----------------------------------------------------------------

    def upsert_source(self, source: Source, batch: int) -> None:
        self._upsert("sources", "name", source.name, {}, source, batch)

    def upsert_committee(self, committee: Committee, batch: int) -> str:
        return self._upsert("committees", "id", committee.id, {"source": committee.source, "name": committee.name},
                            committee, batch)

    def upsert_meeting(self, meeting: Meeting, batch: int) -> str:
        start = meeting.start.isoformat() if meeting.start else None
        return self._upsert("meetings", "id", meeting.id,
                            {"source": meeting.source, "committee_id": meeting.committee_record_id,
                             "start": start, "status": meeting.status, "url": meeting.url}, meeting, batch)

    def replace_items(self, meeting: Meeting, items: Sequence[Item], batch: int) -> UpsertCounts:
        """Upsert a meeting's items as now published; items no longer on the page are marked removed."""
        counts = UpsertCounts()
        with self.transaction() as db:
            for item in items:
                outcome = self._upsert("items", "id", item.id,
                                       {"source": item.source, "meeting_id": meeting.id, "position": item.position,
                                        "title": item.title, "removed_batch": None}, item, batch)
                setattr(counts, outcome, getattr(counts, outcome) + 1)
                if outcome != "unchanged":
                    db.execute("DELETE FROM passages WHERE item_id = ?", (item.id,))
                    db.executemany(
                        "INSERT INTO passages (item_id, position, anchor, section, text, speakers, raw_speakers) "
                        "VALUES (?,?,?,?,?,?,?)",
                        [(item.id, i, p.anchor, p.section, p.text, json.dumps(list(p.speakers)),
                          json.dumps(list(p.raw_speakers))) for i, p in enumerate(item.passages)])
                    for doc in item.documents:
                        self._put_document(doc, item.source, item.id, batch)
            for doc in meeting.documents:
                self._put_document(doc, meeting.source, meeting.id, batch)
            keep = [item.id for item in items]
            gone = db.execute(
                f"SELECT id FROM items WHERE meeting_id = ? AND removed_batch IS NULL "
                f"AND id NOT IN ({','.join('?' * len(keep))})", [meeting.id, *keep]).fetchall()
            for row in gone:
                db.execute("UPDATE items SET removed_batch = ?, batch_changed = ? WHERE id = ?",
                           (batch, batch, row["id"]))
                counts.removed += 1
        return counts

    def _put_document(self, doc: Document, source: str, owner_id: str, batch: int) -> None:
        row = self._db.execute("SELECT title, kind, text FROM documents WHERE url = ?", (doc.url,)).fetchone()
        if row is None:
            self._db.execute("INSERT INTO documents (url, source, owner_id, title, kind, text, batch_changed) "
                             "VALUES (?,?,?,?,?,?,?)",
                             (doc.url, source, owner_id, doc.title, doc.kind, doc.text, batch))
        elif (row["title"], row["kind"]) != (doc.title, doc.kind) or (doc.text and doc.text != row["text"]):
            self._db.execute("UPDATE documents SET title=?, kind=?, text=CASE WHEN ?='' THEN text ELSE ? END, "
                             "batch_changed=? WHERE url=?", (doc.title, doc.kind, doc.text, doc.text, batch, doc.url))

    def _upsert(self, table: str, key: str, rid: str, columns: dict[str, Any], record: Any, batch: int) -> str:
        data = to_json(record)
        digest = hash_of_json(data)
        with self.transaction() as db:
            row = db.execute(f"SELECT hash FROM {table} WHERE {key} = ?", (rid,)).fetchone()
            extra = dict(columns)
            if row is None:
                names = [key, *extra, "data", "hash", "batch_changed", "batch_seen"]
                db.execute(f"INSERT INTO {table} ({','.join(names)}) VALUES ({','.join('?' * len(names))})",
                           (rid, *extra.values(), data, digest, batch, batch))
                return "new"
            was_removed = table == "items" and db.execute(
                "SELECT removed_batch FROM items WHERE id = ?", (rid,)).fetchone()[0] is not None
            if row["hash"] == digest and not was_removed:
                db.execute(f"UPDATE {table} SET batch_seen = ? WHERE {key} = ?", (batch, rid))
                return "unchanged"
            sets = ", ".join(f"{c} = ?" for c in [*extra, "data", "hash", "batch_changed", "batch_seen"])
            db.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?",
                       (*extra.values(), data, digest, batch, batch, rid))
            return "changed"

    def committee(self, rid: str) -> Committee | None:
        rows = self.query("SELECT data FROM committees WHERE id = ?", (rid,))
        return from_dict(Committee, json.loads(rows[0]["data"])) if rows else None

    def committees(self, source: str | None = None) -> list[Committee]:
        sql = "SELECT data FROM committees" + (" WHERE source = ?" if source else "") + " ORDER BY name"
        return [from_dict(Committee, json.loads(r["data"])) for r in self.query(sql, (source,) if source else ())]

    def meetings_mentioning(self, word: str, limit: int) -> list[Meeting]:
        """The newest ``limit`` meetings whose record contains ``word`` anywhere (a cheap pre-filter
        for finding a person in attendance lists; the caller checks the names)."""
        rows = self.query("SELECT data FROM meetings WHERE data LIKE ? ESCAPE '\\' ORDER BY start DESC LIMIT ?",
                          (_like(word), limit))
        return [from_dict(Meeting, json.loads(r["data"])) for r in rows]

    def committees_mentioning(self, word: str) -> list[Committee]:
        """Committees whose record contains ``word`` anywhere (see :meth:`meetings_mentioning`)."""
        rows = self.query("SELECT data FROM committees WHERE data LIKE ? ESCAPE '\\'", (_like(word),))
        return [from_dict(Committee, json.loads(r["data"])) for r in rows]

    def meeting(self, rid: str) -> Meeting | None:
        rows = self.query("SELECT data FROM meetings WHERE id = ?", (rid,))
        return from_dict(Meeting, json.loads(rows[0]["data"])) if rows else None

    def meetings(self, source: str | None = None) -> list[Meeting]:
        sql = "SELECT data FROM meetings" + (" WHERE source = ?" if source else "") + " ORDER BY start, id"
        return [from_dict(Meeting, json.loads(r["data"])) for r in self.query(sql, (source,) if source else ())]

    def item(self, rid: str) -> Item | None:
        rows = self.query("SELECT data FROM items WHERE id = ? AND removed_batch IS NULL", (rid,))
        return from_dict(Item, json.loads(rows[0]["data"])) if rows else None

    def items(self, meeting_id: str | None = None, *, changed_after: int | None = None,
              include_removed: bool = False) -> Iterator[tuple[Item, int]]:
        """Items with the batch that last changed them, in meeting and agenda order, streamed.

        Read :data:`ITEM_CHUNK` rows at a time, each chunk its own short query continuing after
        the last row seen (keyset paging): memory stays bounded on a large archive, and the
        shared connection is never held between chunks, so the caller may write meanwhile.
        """
        for row in self._item_rows("SELECT data, batch_changed", meeting_id, changed_after, include_removed):
            yield from_dict(Item, json.loads(row["data"])), row["batch_changed"]

    def indexable_items(self, *, changed_after: int | None = None) -> Iterator[tuple[Item, int, Meeting]]:
        """What the search index holds: live items whose meeting is in the catalog, with it.

        The one definition of "what a full build can index": :meth:`indexable_count` counts
        the same rows, so a build can verify it indexed all of them.
        """
        rid, meeting = None, None
        for row in self._item_rows("SELECT items.data, items.batch_changed, items.meeting_id, "
                                   "meetings.data AS meeting_data", None, changed_after, False, with_meeting=True):
            if row["meeting_id"] != rid:  # items come in meeting order: decode each meeting once
                rid, meeting = row["meeting_id"], from_dict(Meeting, json.loads(row["meeting_data"]))
            yield from_dict(Item, json.loads(row["data"])), row["batch_changed"], meeting

    def indexable_count(self) -> int:
        """How many items :meth:`indexable_items` yields for a full build."""
        return self.query("SELECT COUNT(*) FROM items JOIN meetings ON meetings.id = items.meeting_id "
                          "WHERE items.removed_batch IS NULL")[0][0]

    def _item_rows(self, select: str, meeting_id: str | None, changed_after: int | None, include_removed: bool,
                   with_meeting: bool = False) -> Iterator[sqlite3.Row]:
        where, params = ["1=1"], []
        if not include_removed:
            where.append("items.removed_batch IS NULL")
        if meeting_id:
            where.append("items.meeting_id = ?")
            params.append(meeting_id)
        if changed_after is not None:  # the item changed, or its meeting (date, committee) did
            where.append("(items.batch_changed > ? OR items.meeting_id IN "
                         "(SELECT id FROM meetings WHERE batch_changed > ?))")
            params += [changed_after, changed_after]
        join = " JOIN meetings ON meetings.id = items.meeting_id" if with_meeting else ""
        sql = (f"{select}, items.meeting_id AS k1, items.position AS k2, items.id AS k3 FROM items{join} "
               f"WHERE {' AND '.join(where)}")
        after: tuple[Any, ...] | None = None
        while True:
            page = sql + (" AND (items.meeting_id, items.position, items.id) > (?, ?, ?)" if after else "")
            rows = self.query(page + " ORDER BY items.meeting_id, items.position, items.id LIMIT ?",
                              [*params, *(after or ()), ITEM_CHUNK])
            yield from rows
            if len(rows) < ITEM_CHUNK:
                return
            last = rows[-1]
            after = (last["k1"], last["k2"], last["k3"])


class Snapshot:
    """A consistent read of the whole catalog, on a private connection in one read transaction.

    Why: a long read (an export) must see one state even if a crawl commits meanwhile — an item
    never paired with a meeting from a later run — without taking the writer lock, and without
    touching the shared connection a scheduler thread may be writing on. Rows come back as
    decoded JSON (dicts) so the caller builds records and reports unreadable ones itself.
    """

    def __init__(self, db: sqlite3.Connection, path: Path):
        self._db, self.path = db, path

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise CatalogError(f"reading the catalog {self.path} failed: {e}") from None

    def sources(self) -> list[tuple[str, str]]:
        """(name, JSON) of every source record, by name."""
        return [(r["name"], r["data"]) for r in self._rows("SELECT name, data FROM sources ORDER BY name")]

    def committees(self) -> list[tuple[str, str]]:
        """(id, JSON) of every committee record, by source and name."""
        return [(r["id"], r["data"]) for r in self._rows("SELECT id, data FROM committees ORDER BY source, name, id")]

    def meetings(self) -> list[tuple[str, str, int | None]]:
        """(id, JSON, batch_changed) of every meeting, by start (undated last)."""
        return [(r["id"], r["data"], r["batch_changed"]) for r in self._rows(
            "SELECT id, data, batch_changed FROM meetings ORDER BY start IS NULL, start, id")]

    def live_item_keys(self) -> list[tuple[int, str, str]]:
        """(rowid, meeting id, source) of every live item in export order: meeting start, meeting,
        agenda position. Rowids are small, so a large archive's keys fit in memory."""
        return [tuple(r) for r in self._rows(
            "SELECT items.rowid, items.meeting_id, items.source FROM items "
            "LEFT JOIN meetings ON meetings.id = items.meeting_id WHERE items.removed_batch IS NULL "
            "ORDER BY meetings.start IS NULL, meetings.start, items.meeting_id, items.position, items.id")]

    def items_by_rowid(self, rowids: Sequence[int]) -> dict[int, tuple[str, str, int | None]]:
        """rowid → (id, JSON, batch_changed) for a chunk of :meth:`live_item_keys`."""
        marks = ",".join("?" * len(rowids))
        return {r["rowid"]: (r["id"], r["data"], r["batch_changed"]) for r in self._rows(
            f"SELECT rowid, id, data, batch_changed FROM items WHERE rowid IN ({marks})", list(rowids))}

    def document_texts(self, urls: Sequence[str]) -> dict[str, str]:
        """Extracted text kept in the documents table, for those of ``urls`` that have some."""
        marks = ",".join("?" * len(urls))
        return {r[0]: r[1] for r in self._rows(
            f"SELECT url, text FROM documents WHERE text != '' AND url IN ({marks})", list(urls))}

    def last_batch(self) -> int:
        return self._rows("SELECT COALESCE(MAX(id), 0) FROM batches")[0][0]


@contextmanager
def snapshot(catalog: Catalog) -> Iterator[Snapshot]:
    """A :class:`Snapshot` of ``catalog``'s file, closed on exit."""
    try:
        db = sqlite3.connect(catalog.path, timeout=30, isolation_level=None)
    except sqlite3.Error as e:
        raise CatalogError(f"cannot open the catalog {catalog.path}: {e}") from None
    db.row_factory = sqlite3.Row
    try:
        try:
            db.execute("PRAGMA query_only = ON")
            db.execute("BEGIN")
        except sqlite3.Error as e:
            raise CatalogError(f"reading the catalog {catalog.path} failed: {e}") from None
        yield Snapshot(db, catalog.path)
    finally:
        db.close()


def _page(row: sqlite3.Row) -> StoredPage:
    return StoredPage(row["url"], row["source"], row["kind"], row["status"], json.loads(row["headers"]),
                      bytes(row["body"] or b""), row["sha256"], row["fetched_at"], row["changed_at"],
                      row["fetch_batch"], row["change_batch"])


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _like(word: str) -> str:
    """A LIKE pattern matching ``word`` literally anywhere (with ESCAPE '\\')."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
