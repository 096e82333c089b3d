"""The alerts' own SQLite file, ``alerts.sqlite`` in the data directory: the only place addresses live.

Why a file of its own rather than tables in the catalog: the catalog is public data that
gets exported, copied and shared; addresses are personal data kept for one purpose. A
separate file is never in an export, can be given tighter permissions (0600), and deleting
it forgets every subscriber at once. Nothing here is logged with an address in full.

Tables: ``subscribers`` (one row per address, with a random ``nonce`` that every signed
link carries, so deleting an address voids its old links), ``alerts`` (a followed search,
pending until confirmed, with the batch it last reported), ``signups`` (hashed addresses
and client addresses of recent sign-ups, for rate limits, pruned after a day) and ``meta``
(the generated signing secret).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from searchsvc.alerts.errors import AlertError

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- one subscriber however the address is capitalised
    nonce TEXT NOT NULL,
    created_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    query TEXT NOT NULL,
    label TEXT NOT NULL,
    frequency TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_batch INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    UNIQUE (subscriber_id, query)
);
CREATE TABLE IF NOT EXISTS signups (at TEXT NOT NULL, client TEXT NOT NULL, address_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signups_client ON signups (client, at);
CREATE INDEX IF NOT EXISTS signups_address ON signups (address_hash, at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat()


@dataclass(frozen=True)
class Subscriber:
    id: int
    email: str
    nonce: str
    created_at: str
    failures: int = 0
    last_error: str = ""


@dataclass(frozen=True)
class Alert:
    id: int
    subscriber_id: int
    query: str  # canonical URL arguments of the followed search
    label: str
    frequency: str  # "daily" or "weekly"
    created_at: str
    confirmed_at: str | None
    last_batch: int
    last_sent_at: str | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class AlertStore:
    """All reads and writes of ``alerts.sqlite``; thread-safe (one connection behind a lock)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            if fresh:
                os.chmod(self.path, 0o600)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            # No fsync per commit: a power cut may at worst resend the last few digests.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as e:
            raise AlertError(f"cannot open the alerts database {self.path}: {e}") from None
        self._lock = threading.RLock()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "AlertStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _write(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[sqlite3.Cursor]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                out = [self._db.execute(sql, args) for sql, args in statements]
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return out

    # --- the signing secret -----------------------------------------------------------

    def secret(self) -> str:
        """The generated signing secret (made on first use, kept here beside what it protects)."""
        rows = self._rows("SELECT value FROM meta WHERE key = 'secret'")
        if rows:
            return rows[0][0]
        self._write([("INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?)", (secrets.token_urlsafe(32),))])
        return self._rows("SELECT value FROM meta WHERE key = 'secret'")[0][0]

    # --- sign-ups and rate limits -------------------------------------------------------

    def record_signup(self, client: str, address: str, now: datetime | None = None) -> None:
        now = now or utcnow()
        self._write([("DELETE FROM signups WHERE at < ?", (_iso(now - timedelta(days=1)),)),
                     ("INSERT INTO signups (at, client, address_hash) VALUES (?, ?, ?)",
                      (_iso(now), client, address_hash(address)))])

    def signups_from(self, client: str, since: datetime) -> int:
        return self._rows("SELECT COUNT(*) FROM signups WHERE client = ? AND at >= ?", (client, _iso(since)))[0][0]

    def signups_for(self, address: str, since: datetime) -> int:
        return self._rows("SELECT COUNT(*) FROM signups WHERE address_hash = ? AND at >= ?",
                          (address_hash(address), _iso(since)))[0][0]

    def add_pending(self, email: str, query: str, label: str, frequency: str, *, max_alerts: int,
                    now: datetime | None = None) -> tuple[Subscriber, Alert] | None:
        """A pending alert for ``email`` (or the existing one for the same search); None when the
        address already follows ``max_alerts`` searches. Pending alerts never get a digest."""
        now = now or utcnow()
        with self._lock:
            self._write([("INSERT OR IGNORE INTO subscribers (email, nonce, created_at) VALUES (?, ?, ?)",
                          (email, secrets.token_urlsafe(9), _iso(now)))])
            sub = self.subscriber_by_email(email)
            assert sub is not None
            existing = self._rows("SELECT * FROM alerts WHERE subscriber_id = ? AND query = ?", (sub.id, query))
            if not existing:
                if len(self.alerts_of(sub.id)) >= max_alerts:
                    return None
                self._write([("INSERT INTO alerts (subscriber_id, query, label, frequency, created_at) "
                              "VALUES (?, ?, ?, ?, ?)", (sub.id, query, label, frequency, _iso(now)))])
            elif existing[0]["confirmed_at"] is None:
                self._write([("UPDATE alerts SET frequency = ?, label = ? WHERE id = ?",
                              (frequency, label, existing[0]["id"]))])
            row = self._rows("SELECT * FROM alerts WHERE subscriber_id = ? AND query = ?", (sub.id, query))[0]
            return sub, _alert(row)

    def confirm(self, alert_id: int, nonce: str, last_batch: int, now: datetime | None = None) -> Alert | None:
        """Confirm a pending alert (digests start after ``last_batch``); confirming twice changes nothing."""
        alert = self.alert(alert_id)
        if alert is None or self._nonce(alert.subscriber_id) != nonce:
            return None
        statements: list[tuple[str, Sequence[Any]]] = [
            ("UPDATE subscribers SET failures = 0, last_error = '' WHERE id = ?", (alert.subscriber_id,))]
        if not alert.confirmed:
            statements.append(("UPDATE alerts SET confirmed_at = ?, last_batch = ? WHERE id = ? "
                               "AND confirmed_at IS NULL", (_iso(now or utcnow()), last_batch, alert_id)))
        self._write(statements)  # a confirmed link shows the mailbox works: deliveries start again
        return self.alert(alert_id)

    def purge_unconfirmed(self, older_than: timedelta, now: datetime | None = None) -> int:
        """Forget sign-ups never confirmed in time, and addresses left with no alert."""
        cutoff = _iso((now or utcnow()) - older_than)
        cur, _ = self._write([
            ("DELETE FROM alerts WHERE confirmed_at IS NULL AND created_at < ?", (cutoff,)),
            ("DELETE FROM subscribers WHERE created_at < ? AND id NOT IN (SELECT subscriber_id FROM alerts)",
             (cutoff,))])
        return cur.rowcount

    # --- reading -------------------------------------------------------------------------

    def subscriber(self, subscriber_id: int) -> Subscriber | None:
        rows = self._rows("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,))
        return _subscriber(rows[0]) if rows else None

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        rows = self._rows("SELECT * FROM subscribers WHERE email = ?", (email,))
        return _subscriber(rows[0]) if rows else None

    def _nonce(self, subscriber_id: int) -> str | None:
        sub = self.subscriber(subscriber_id)
        return sub.nonce if sub else None

    def alert(self, alert_id: int) -> Alert | None:
        rows = self._rows("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return _alert(rows[0]) if rows else None

    def alerts_of(self, subscriber_id: int, confirmed_only: bool = False) -> list[Alert]:
        sql = "SELECT * FROM alerts WHERE subscriber_id = ?" + (" AND confirmed_at IS NOT NULL" if confirmed_only else "")
        return [_alert(r) for r in self._rows(sql + " ORDER BY id", (subscriber_id,))]

    def subscribers(self) -> list[Subscriber]:
        return [_subscriber(r) for r in self._rows("SELECT * FROM subscribers ORDER BY id")]

    def confirmed_by_subscriber(self) -> Iterator[tuple[Subscriber, list[Alert]]]:
        """Every address with at least one confirmed alert, with those alerts (for the digests)."""
        subs = {r["id"]: _subscriber(r) for r in self._rows(
            "SELECT * FROM subscribers WHERE id IN (SELECT subscriber_id FROM alerts WHERE confirmed_at IS NOT NULL)")}
        grouped: dict[int, list[Alert]] = {}
        for row in self._rows("SELECT * FROM alerts WHERE confirmed_at IS NOT NULL ORDER BY subscriber_id, id"):
            grouped.setdefault(row["subscriber_id"], []).append(_alert(row))
        for sid, alerts in grouped.items():
            if sid in subs:
                yield subs[sid], alerts

    def counts(self) -> dict[str, int]:
        row = self._rows("SELECT (SELECT COUNT(*) FROM subscribers), "
                         "(SELECT COUNT(*) FROM alerts WHERE confirmed_at IS NOT NULL), "
                         "(SELECT COUNT(*) FROM alerts WHERE confirmed_at IS NULL)")[0]
        return {"addresses": row[0], "confirmed": row[1], "pending": row[2]}

    # --- after a digest -------------------------------------------------------------------

    def mark_reported(self, alert_ids: Sequence[int], batch: int, sent: bool, now: datetime | None = None,
                      subscriber_id: int | None = None) -> None:
        """The alerts reported everything up to ``batch`` (``sent``: an email went out to
        ``subscriber_id``, whose count of failed deliveries starts again)."""
        stamp = _iso(now or utcnow())
        statements: list[tuple[str, Sequence[Any]]] = [
            ("UPDATE alerts SET last_batch = MAX(last_batch, ?)" + (", last_sent_at = ?" if sent else "")
             + " WHERE id = ?", (batch, stamp, i) if sent else (batch, i)) for i in alert_ids]
        if sent and subscriber_id is not None:
            statements.append(("UPDATE subscribers SET failures = 0, last_error = '' WHERE id = ? AND failures > 0",
                               (subscriber_id,)))
        if statements:
            self._write(statements)

    def mark_delivery(self, subscriber_id: int, error: str = "") -> None:
        """Count consecutive failed deliveries to an address (reset by a success)."""
        if error:
            self._write([("UPDATE subscribers SET failures = failures + 1, last_error = ? WHERE id = ?",
                          (error[:300], subscriber_id))])
        else:
            self._write([("UPDATE subscribers SET failures = 0, last_error = '' WHERE id = ?", (subscriber_id,))])

    # --- leaving --------------------------------------------------------------------------

    def delete_alert(self, subscriber_id: int, alert_id: int) -> bool:
        """Delete one alert; the address goes too when it was the last one."""
        cur, _ = self._write([
            ("DELETE FROM alerts WHERE id = ? AND subscriber_id = ?", (alert_id, subscriber_id)),
            ("DELETE FROM subscribers WHERE id = ? AND id NOT IN (SELECT subscriber_id FROM alerts)",
             (subscriber_id,))])
        return cur.rowcount > 0

    def delete_subscriber(self, subscriber_id: int) -> bool:
        """Delete an address and every alert it follows (its signed links stop working)."""
        _, cur = self._write([("DELETE FROM alerts WHERE subscriber_id = ?", (subscriber_id,)),
                              ("DELETE FROM subscribers WHERE id = ?", (subscriber_id,))])
        return cur.rowcount > 0


def address_hash(address: str) -> str:
    """A rate-limit key that is not the address itself (sign-up records outlive pending alerts)."""
    return hashlib.sha256(("searchsvc-alerts:" + address.lower()).encode()).hexdigest()[:32]


def _subscriber(row: sqlite3.Row) -> Subscriber:
    return Subscriber(row["id"], row["email"], row["nonce"], row["created_at"], row["failures"], row["last_error"])


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(row["id"], row["subscriber_id"], row["query"], row["label"], row["frequency"], row["created_at"],
                 row["confirmed_at"], row["last_batch"], row["last_sent_at"])
