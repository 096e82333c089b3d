"""Fixtures for the alert tests: a real SMTP server (aiosmtpd) on 127.0.0.1 and a real archive.

The archive is the web tests' hand-written council (``tests/web/sampledata.py``), built into a
fresh directory per test because alert tests write to it (``alerts.sqlite``, new batches).
:func:`publish_item` adds a meeting and item as a crawl would (a new batch in the catalog,
then the nightly index update), so digests see exactly what a nightly run leaves behind.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from searchsvc.catalog import Catalog
from searchsvc.config import Config, parse_config
from searchsvc.records import Item, Meeting, Passage
from tests.jobs.sample_helpers import write_config
from tests.web import sampledata


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received: (recipients, parsed message) pairs."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._cond:
            self.messages.append((list(envelope.rcpt_tos), msg))
            self._cond.notify_all()
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 15.0) -> list:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} emails, got {len(self.messages)}")
                self._cond.wait(left)
            return list(self.messages)

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]


class SMTPServer:
    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.inbox = Inbox()
        self.port = port or free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SMTPServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return sampledata.build(tmp_path / "data")


def alerts_config(data_dir: Path, smtp_port: int, public_url: str = "http://127.0.0.1:5999/", **alerts) -> Config:
    raw = {"storage": {"data_dir": str(data_dir)},
           "alerts": {"enabled": True, "public_url": public_url, "from_address": "alerts@example.org",
                      "smtp_host": "127.0.0.1", "smtp_port": smtp_port, "smtp_security": "none",
                      "smtp_timeout_seconds": 5.0, "send_per_minute": 0, **alerts},
           "sources": [{"name": sampledata.SOURCE.name, "title": sampledata.SOURCE.title,
                        "base_url": sampledata.SOURCE.base_url}]}
    return parse_config(raw)


_MEETING_IDS = iter(range(900, 10_000))


def publish_item(config: Config, title: str, text: str, speaker: str = sampledata.REED) -> str:
    """A crawl that finds one new meeting with one item, then the nightly index update; the item's id."""
    from searchsvc.jobs import index_update

    mid = str(next(_MEETING_IDS))
    with Catalog.in_dir(config.data_dir) as catalog:
        batch = catalog.start_batch("crawl", "kingston")
        meeting = Meeting(source="kingston", committee_id="7", committee_name=sampledata.COMMITTEES["7"][0],
                          meeting_id=mid, start=datetime(2020, 1, 9, 19, 30), url=f"{sampledata.BASE}x?MId={mid}")
        item = Item(source="kingston", meeting_id=mid, item_id=f"9{mid}", position=1, number="1.", title=title,
                    minutes_paragraphs=(text,), passages=(Passage("p1", text, (speaker,), ("Councillor Reed",)),),
                    url=f"{sampledata.BASE}x?MId={mid}#AI9{mid}")
        catalog.upsert_meeting(meeting, batch)
        catalog.replace_items(meeting, [item], batch)
        catalog.finish_batch(batch)
        index_update(catalog, config.data_dir, config)
    return item.id


def write_sample_config(folder: Path, site, smtp_port: int, public_url: str = "http://127.0.0.1:5999/") -> Path:
    """An operator's configuration file: the sample council on 127.0.0.1 and alerts through ``smtp_port``."""
    return write_config(folder, site, requests_per_second=0, lookback_days=1000, tables=f"""[alerts]
enabled = true
public_url = "{public_url}"
from_address = "alerts@example.org"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
smtp_security = "none"
smtp_timeout_seconds = 5
send_per_minute = 0""")


def follow(config: Config, email_address: str, query: str) -> None:
    """A confirmed alert, as if signed up and confirmed just now (from the live index's last batch)."""
    from searchsvc.alerts.queries import label
    from searchsvc.alerts.store import AlertStore
    from searchsvc.index import IndexStore

    with AlertStore(config.data_dir / "alerts.sqlite") as store:
        sub, alert = store.add_pending(email_address, query, label(query), "daily", max_alerts=20)
        store.confirm(alert.id, sub.nonce, IndexStore(config.data_dir).last_batch() or 0)
