"""The catalog's named read-only questions: listings, counts and reports for the web app,
``status``, the scheduler and the demo.

Why a module of its own: :mod:`searchsvc.catalog` holds the schema, the writes and the record
reads the jobs stream; these are the many small questions readers ask, each one SELECT. They
are a mixin of :class:`~searchsvc.catalog.Catalog`, so callers still hold the one catalog
object and the SQL stays in the catalog's two modules (a test checks no other module runs a
query). Nothing here writes, and nothing reads the clock: a question about "held" or "upcoming"
meetings takes the instant ``now`` (an ISO string compared with the meetings' ``start``) from
the caller, so a page, its JSON twin and a test all agree on it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Sequence

from searchsvc.records import Meeting, from_dict


def equal_to(**columns: Any) -> tuple[str, list[Any]]:
    """`` AND column = ?`` for each column given a value (None or "" means no filter), and its
    arguments: the optional filters most questions take, written once."""
    given = {name: value for name, value in columns.items() if value}
    return "".join(f" AND {name} = ?" for name in given), list(given.values())


class SpeakerActivity(NamedTuple):
    """How much one passage speaker name spoke, and the newest item they spoke in."""

    name: str
    items: int  # agenda items with at least one passage of theirs
    passages: int
    newest: str | None  # ISO start of the newest meeting they spoke at
    item_id: str  # an item of that newest meeting they spoke in
    title: str


class MeetingDate(NamedTuple):
    """A dated meeting's keys, without its record (enough to summarise a committee)."""

    id: str
    committee_id: str
    start: str
    status: str


class TopicCount(NamedTuple):
    name: str
    items: int  # live items tagged with it
    newest: str | None  # ISO start of the newest meeting with such an item


@dataclass(frozen=True)
class HeldCoverage:
    """What has been held by an instant: the span and counts the home page shows as covered.

    Undated meetings count as held (their date is unknown, not in the future); meetings after
    the instant are listed as upcoming instead.
    """

    first: str | None  # ISO start of the first and last dated meeting held
    last: str | None
    meetings: int
    items: int  # live items of those meetings


class CatalogQueries:
    """Read-only questions of :class:`~searchsvc.catalog.Catalog` (mixed into it)."""

    if TYPE_CHECKING:
        def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]: ...

        def page_count(self, source: str | None = None, kind: str | None = None) -> int: ...

    def source_titles(self) -> dict[str, str]:
        """Source name → council name, from the catalog's copies of the source records."""
        return {r["name"]: json.loads(r["data"]).get("title") or r["name"]
                for r in self.query("SELECT name, data FROM sources")}

    def source_names(self) -> list[str]:
        """Every source that has meetings in the catalog, in name order."""
        return [r[0] for r in self.query("SELECT DISTINCT source FROM meetings ORDER BY source")]

    def recent_meetings(self, limit: int = 0, committee_id: str | None = None,
                        held_by: str | None = None) -> list[Meeting]:
        """Meetings with a start, newest first: of one committee record id if given, and only
        those started by ``held_by`` (ISO) if given, so meetings not yet held stay out."""
        sql, args = "SELECT data FROM meetings WHERE start IS NOT NULL", []
        if held_by is not None:
            sql += " AND start <= ?"
            args.append(held_by)
        where, more = equal_to(committee_id=committee_id)
        sql += where + " ORDER BY start DESC, id"
        args += more
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [from_dict(Meeting, json.loads(r["data"])) for r in self.query(sql, args)]

    def upcoming_meetings(self, now: str, limit: int, committee_id: str | None = None) -> list[Meeting]:
        """Meetings starting after ``now`` (ISO) and not cancelled, soonest first, at most ``limit``
        (of one committee record id if given)."""
        where, args = equal_to(committee_id=committee_id)
        sql = f"SELECT data FROM meetings WHERE start > ? AND status != 'cancelled'{where} ORDER BY start, id LIMIT ?"
        args = [now, *args, limit]
        return [from_dict(Meeting, json.loads(r["data"])) for r in self.query(sql, args)]

    def meeting_dates(self) -> list[MeetingDate]:
        """Every dated meeting's id, committee, start and status, earliest first (no records
        decoded: summarising every committee reads every meeting)."""
        return [MeetingDate(*r) for r in self.query(
            "SELECT id, committee_id, start, status FROM meetings WHERE start IS NOT NULL ORDER BY start")]

    def meeting_span(self, source: str | None = None, status: str | None = None) -> tuple[str | None, str | None]:
        """The first and last meeting start (ISO text), of one source and status if given."""
        where, args = equal_to(source=source, status=status)
        row = self.query("SELECT MIN(start), MAX(start) FROM meetings WHERE start IS NOT NULL" + where, args)[0]
        return row[0], row[1]

    def held_coverage(self, now: str) -> HeldCoverage:
        """The span of meetings held by ``now`` (ISO), how many meetings that is and how many
        live items they have (see :class:`HeldCoverage` for what counts as held)."""
        first, last, dated = self.query("SELECT MIN(start), MAX(start), COUNT(*) FROM meetings "
                                        "WHERE start IS NOT NULL AND start <= ?", (now,))[0]
        undated = self.query("SELECT COUNT(*) FROM meetings WHERE start IS NULL")[0][0]
        items = self.query("SELECT COUNT(*) FROM items i JOIN meetings m ON m.id = i.meeting_id "
                           "WHERE i.removed_batch IS NULL AND (m.start IS NULL OR m.start <= ?)", (now,))[0][0]
        return HeldCoverage(first, last, dated + undated, items)

    def last_batch_success(self, source: str, job: str) -> str | None:
        """When a batch of ``job`` for ``source`` last finished ok (ISO text), or None."""
        return self.query("SELECT MAX(finished_at) FROM batches WHERE source = ? AND job = ? "
                          "AND status LIKE 'ok%'", (source, job))[0][0]

    def last_run_success(self, job: str) -> str | None:
        """When a run of ``job`` last finished ok (ISO text), or None."""
        return self.query("SELECT MAX(finished_at) FROM job_runs WHERE job = ? AND status = 'ok'", (job,))[0][0]

    def speaker_activity(self) -> list[SpeakerActivity]:
        """Every name passages of live items are attributed to, with how much they spoke.

        One grouped query over all passages (SQLite takes the bare ``item_id`` and ``title``
        from the row holding ``MAX(start)``, so they name an item of the newest meeting).
        """
        rows = self.query(
            "SELECT s.value AS name, COUNT(DISTINCT p.item_id) AS items, COUNT(*) AS passages, "
            "MAX(m.start) AS newest, i.id AS item_id, i.title AS title "
            "FROM passages p, json_each(p.speakers) s JOIN items i ON i.id = p.item_id "
            "JOIN meetings m ON m.id = i.meeting_id WHERE i.removed_batch IS NULL GROUP BY s.value")
        return [SpeakerActivity(str(r["name"]), int(r["items"]), int(r["passages"]), r["newest"], r["item_id"],
                                r["title"]) for r in rows]

    def speaker_names(self) -> set[str]:
        """Every distinct name any passage is attributed to (removed items' passages included)."""
        return {str(r[0]) for r in self.query("SELECT DISTINCT s.value FROM passages p, json_each(p.speakers) s")}

    def top_speaker_mentioning(self, word: str, prefix: str = "Councillor ") -> str | None:
        """The speaker (named ``prefix``…) whose passages mention ``word`` most often."""
        rows = self.query(
            "SELECT value, COUNT(*) AS n FROM passages, json_each(passages.speakers) "
            "WHERE passages.text LIKE ? AND value LIKE ? GROUP BY value ORDER BY n DESC, value LIMIT 1",
            (f"%{word}%", prefix.replace("%", "") + "%"))
        return rows[0][0] if rows else None

    def topic_counts(self) -> list[TopicCount]:
        """Every topic live items are tagged with, most used first, with the newest meeting date."""
        rows = self.query(
            "SELECT t.value AS name, COUNT(*) AS items, MAX(m.start) AS newest "
            "FROM items i, json_each(i.data, '$.topics') t JOIN meetings m ON m.id = i.meeting_id "
            "WHERE i.removed_batch IS NULL GROUP BY t.value ORDER BY items DESC, t.value")
        return [TopicCount(str(r["name"]), int(r["items"]), r["newest"]) for r in rows]

    def removed_item_ids(self, after_batch: int = 0) -> list[str]:
        """Items removed by a batch after ``after_batch`` (the indexer deletes them)."""
        return [r[0] for r in self.query("SELECT id FROM items WHERE removed_batch > ?", (after_batch,))]

    def item_count(self, source: str | None = None) -> int:
        """Live items (of one source if given): one cheap count, for health checks and run verdicts
        (``counts`` does more)."""
        where, params = (" AND source = ?", (source,)) if source else ("", ())
        return self.query("SELECT COUNT(*) FROM items WHERE removed_batch IS NULL" + where, params)[0][0]

    def counts(self, source: str | None = None) -> dict[str, int]:
        """Committees, meetings, live items, their passages and stored pages (of one source if given)."""
        where, params = (" AND source = ?", (source,)) if source else ("", ())
        out = {}
        for table, live in (("committees", "1=1"), ("meetings", "1=1"), ("items", "removed_batch IS NULL")):
            out[table] = self.query(f"SELECT COUNT(*) FROM {table} WHERE {live}{where}", params)[0][0]
        joined = " JOIN items ON items.id = passages.item_id WHERE items.removed_batch IS NULL"
        out["passages"] = self.query("SELECT COUNT(*) FROM passages" + joined +
                                     (" AND items.source = ?" if source else ""), params)[0][0]
        out["pages"] = self.page_count(source)
        return out
