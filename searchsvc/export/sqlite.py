"""The SQLite export: normalised tables with foreign keys and FTS5, ready for Datasette.

Why this shape: a journalist runs ``datasette export.sqlite`` (or opens it with sqlite-utils)
and gets, with no configuration, tables linked by foreign keys (Datasette shows a meeting's
title where an item names it), facets on indexed columns (committee, year, speaker, topic)
and a search box on passages and documents. Datasette finds a full-text table by the text
``content=[table]`` in its ``CREATE VIRTUAL TABLE`` (the form sqlite-utils writes), and
searches with ``rowid IN (… MATCH …)``, so each FTS table indexes a table whose
``INTEGER PRIMARY KEY`` is its rowid (stable even after a ``VACUUM``).

Written once into a temporary file (no journal, no WAL: nothing is left beside the file, and
the caller renames it into place only when it is complete), the FTS tables are filled with one
``'rebuild'`` at the end; no triggers, since nothing updates the file afterwards.

The columns are documented in docs/export.md; tests pin them. Add columns, never rename.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from searchsvc.export.archive import Archive, Entry, ExportError, Meter, Progress
from searchsvc.export.base import Writer
from searchsvc.records import Meeting

log = logging.getLogger(__name__)

SHAPE_VERSION = 1  # PRAGMA user_version of the export file; bumped when a column changes meaning

SCHEMA = """
CREATE TABLE export_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    name TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, base_url TEXT NOT NULL
);
CREATE TABLE committees (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(name), committee_id TEXT NOT NULL,
    name TEXT NOT NULL, category TEXT NOT NULL, url TEXT NOT NULL, purpose TEXT NOT NULL
);
CREATE TABLE committee_members (
    committee_id TEXT NOT NULL REFERENCES committees(id), position INTEGER NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (committee_id, position)
);
CREATE TABLE meetings (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(name),
    committee_id TEXT NOT NULL REFERENCES committees(id), meeting_id TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, start TEXT, year INTEGER, status TEXT NOT NULL, venue TEXT NOT NULL, url TEXT NOT NULL,
    published TEXT NOT NULL, batch INTEGER
);
CREATE TABLE attendance (
    meeting_id TEXT NOT NULL REFERENCES meetings(id), position INTEGER NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, attendance TEXT NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (meeting_id, position)
);
CREATE TABLE items (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(name),
    meeting_id TEXT NOT NULL REFERENCES meetings(id), committee_id TEXT NOT NULL REFERENCES committees(id),
    meeting_date TEXT, year INTEGER, item_id TEXT NOT NULL, position INTEGER NOT NULL, number TEXT NOT NULL,
    title TEXT NOT NULL, agenda_text TEXT NOT NULL, minutes_text TEXT NOT NULL, decision_text TEXT NOT NULL,
    procedural INTEGER NOT NULL, topics TEXT NOT NULL, speakers TEXT NOT NULL, url TEXT NOT NULL,
    full_text_url TEXT NOT NULL, batch INTEGER
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items(id), position INTEGER NOT NULL,
    anchor TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL, speakers TEXT NOT NULL,
    raw_speakers TEXT NOT NULL
);
CREATE TABLE passage_speakers (
    passage_id INTEGER NOT NULL REFERENCES passages(id), item_id TEXT NOT NULL REFERENCES items(id),
    speaker TEXT NOT NULL, PRIMARY KEY (passage_id, speaker)
);
CREATE TABLE item_topics (
    item_id TEXT NOT NULL REFERENCES items(id), topic TEXT NOT NULL, PRIMARY KEY (item_id, topic)
);
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items(id), member TEXT NOT NULL,
    concerns TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT REFERENCES items(id), title TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX committees_source ON committees(source);
CREATE INDEX committee_members_name ON committee_members(name);
CREATE INDEX meetings_committee ON meetings(committee_id);
CREATE INDEX meetings_date ON meetings(date);
CREATE INDEX meetings_year ON meetings(year);
CREATE INDEX meetings_source ON meetings(source);
CREATE INDEX meetings_status ON meetings(status);
CREATE INDEX attendance_name ON attendance(name);
CREATE INDEX items_meeting ON items(meeting_id);
CREATE INDEX items_committee ON items(committee_id);
CREATE INDEX items_date ON items(meeting_date);
CREATE INDEX items_year ON items(year);
CREATE INDEX items_source ON items(source);
CREATE INDEX items_procedural ON items(procedural);
CREATE INDEX passages_item ON passages(item_id);
CREATE INDEX passage_speakers_speaker ON passage_speakers(speaker);
CREATE INDEX passage_speakers_item ON passage_speakers(item_id);
CREATE INDEX item_topics_topic ON item_topics(topic);
CREATE INDEX declarations_item ON declarations(item_id);
CREATE INDEX declarations_member ON declarations(member);
CREATE INDEX documents_url ON documents(url);
CREATE INDEX documents_meeting ON documents(meeting_id);
CREATE INDEX documents_item ON documents(item_id);
CREATE INDEX documents_kind ON documents(kind);
CREATE VIRTUAL TABLE passages_fts USING fts5 (
    [text], content=[passages], content_rowid=[id], tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    [title], [text], content=[documents], content_rowid=[id], tokenize='porter unicode61 remove_diacritics 2'
);
"""

FTS_TABLES = ("passages_fts", "documents_fts")


class SQLiteWriter(Writer):
    name = "sqlite"
    suffix = ".sqlite"
    help = "Datasette-ready tables with foreign keys and full-text search (for exploring)"
    media_type = "application/vnd.sqlite3"
    streams = False
    aliases = (".db", ".sqlite3")

    def write_file(self, path: Path) -> int:
        rows = write_sqlite(self.archive, path, self.progress)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)  # written with synchronous=OFF: make it durable before the rename
        finally:
            os.close(fd)
        return rows


def write_sqlite(archive: Archive, path: Path, progress: Progress | None = None,
                 info: dict[str, str] | None = None) -> int:
    """Write the archive as a new SQLite file at ``path`` (replaced if present); returns the item count."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a temporary file: a failed run is deleted, not rolled back
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA foreign_keys = ON")  # a wrong reference fails here, not in a journalist's join
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA user_version = {SHAPE_VERSION}")
        db.execute("BEGIN")
        _write_context(db, archive, info or {})
        meter = Meter("sqlite", archive.item_count, progress)
        for entry in archive.entries():
            _write_item(db, entry)
            meter.tick()
        db.execute("COMMIT")
        for table in FTS_TABLES:
            db.execute(f"INSERT INTO {table}({table}) VALUES('rebuild')")
        db.execute("ANALYZE")  # the query planner's statistics, for Datasette's facet queries
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ExportError(f"the export would break {len(broken)} foreign keys, e.g. {tuple(broken[0])}")
        return meter.count
    finally:
        db.close()


def _write_context(db: sqlite3.Connection, archive: Archive, info: dict[str, str]) -> None:
    rows = {"shape_version": str(SHAPE_VERSION), "catalog_batch": str(archive.last_batch),
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **info}
    db.executemany("INSERT INTO export_info VALUES (?, ?)", sorted(rows.items()))
    db.executemany("INSERT INTO sources VALUES (?,?,?,?)",
                   [(s.name, s.title, s.kind, s.base_url) for s in archive.sources.values()])
    for cid, c in archive.committees.items():
        db.execute("INSERT INTO committees VALUES (?,?,?,?,?,?,?)",
                   (cid, c.source, c.committee_id, c.name, c.category, c.url, c.purpose))
        db.executemany("INSERT INTO committee_members VALUES (?,?,?,?,?)",
                       [(cid, i, m.name, m.role, m.uid) for i, m in enumerate(c.members, 1)])
    for chunk in archive.meetings_in_chunks():
        for m in chunk:
            _write_meeting(db, archive, m)


def _write_meeting(db: sqlite3.Connection, archive: Archive, m: Meeting) -> None:
    committee = archive.committee_of(m)
    day = m.date.isoformat() if m.date else None
    title = ", ".join(filter(None, [m.committee_name or committee.name, day])) or m.id
    db.execute("INSERT INTO meetings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
               (m.id, m.source, committee.id, m.meeting_id, title, day, m.start.isoformat() if m.start else None,
                m.start.year if m.start else None, m.status, m.venue, m.url, m.published,
                archive.meeting_batches.get(m.id)))
    db.executemany("INSERT INTO attendance VALUES (?,?,?,?,?,?)",
                   [(m.id, i, a.name, a.role, a.attendance, a.uid) for i, a in enumerate(m.attendance, 1)])
    _write_documents(db, m.documents, m.id, None)


def _write_item(db: sqlite3.Connection, entry: Entry) -> None:
    item, meeting = entry.item, entry.meeting
    topics = list(dict.fromkeys(item.topics))
    db.execute("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               (item.id, item.source, meeting.id, entry.committee.id,
                meeting.date.isoformat() if meeting.date else None, meeting.start.year if meeting.start else None,
                item.item_id, item.position, item.number, item.title, item.agenda_text, item.minutes_text,
                item.decision_text, int(item.procedural), _json(topics), _json(entry.speakers), item.url,
                item.full_text_url, entry.batch))
    for position, p in enumerate(item.passages, 1):
        pid = db.execute("INSERT INTO passages (item_id, position, anchor, section, text, speakers, raw_speakers) "
                         "VALUES (?,?,?,?,?,?,?)", (item.id, position, p.anchor, p.section, p.text,
                                                    _json(list(p.speakers)), _json(list(p.raw_speakers)))).lastrowid
        db.executemany("INSERT INTO passage_speakers VALUES (?,?,?)",
                       [(pid, item.id, s) for s in dict.fromkeys(p.speakers)])
    db.executemany("INSERT INTO item_topics VALUES (?,?)", [(item.id, t) for t in topics])
    db.executemany("INSERT INTO declarations (item_id, member, concerns, kind, text) VALUES (?,?,?,?,?)",
                   [(item.id, d.member, d.item, d.kind, d.text) for d in item.declarations])
    _write_documents(db, item.documents, meeting.id, item.id)


def _write_documents(db: sqlite3.Connection, documents, meeting_id: str, item_id: str | None) -> None:
    seen = set()
    for d in documents:
        if d.url not in seen:  # a page linking one file twice gives one row
            seen.add(d.url)
            db.execute("INSERT INTO documents (url, meeting_id, item_id, title, kind, text) VALUES (?,?,?,?,?,?)",
                       (d.url, meeting_id, item_id, d.title, d.kind, d.text))


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)
