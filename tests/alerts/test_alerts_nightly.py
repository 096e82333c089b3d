"""The nightly job's digest step against the sample council: email never fails the night."""

from __future__ import annotations

import pytest

from searchsvc.catalog import Catalog
from searchsvc.config import load_config
from searchsvc.sample import SampleSite
from searchsvc.schedule import nightly_job
from searchsvc.web import create_app
from tests.alerts.conftest import SMTPServer, follow, free_port, write_sample_config


@pytest.fixture
def site():
    with SampleSite(seed=5, size=0.04) as s:
        yield s


def add_word(site, word: str) -> None:
    held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
    item = next(i for i in site.items(held[-1].meeting_id) if not i.procedural)
    site.append_minutes(item.item_id, f"Councillor Quillfeather asked about {word}.")


def alert_runs(config):
    with Catalog.in_dir(config.data_dir) as catalog:
        return catalog.runs(job="alerts")


def test_a_dead_smtp_server_never_fails_the_nightly_run_and_the_next_run_sends(site, tmp_path):
    port = free_port()  # nothing listens here yet
    config = load_config(write_sample_config(tmp_path, site, port), environ={})
    assert nightly_job(config) == "ok"
    follow(config, "reader@example.org", "q=zebracrossingwidth")
    add_word(site, "zebracrossingwidth")

    assert nightly_job(config) == "ok"
    (run, *_) = alert_runs(config)
    assert run.status == "failed" and run.counts["alerts"]["digests"] == 1
    assert "cannot use the SMTP server 127.0.0.1" in run.errors[0]["error"]
    app = create_app(config, {"TESTING": True})
    status = app.test_client().get("/status").get_data(as_text=True)
    app.extensions["searchsvc"].close()
    assert "alerts" in status and "cannot use the SMTP server" in status

    server = SMTPServer(port).start()
    try:
        assert nightly_job(config) == "ok"
        (rcpts, digest), = server.inbox.wait_for(1)
        assert rcpts == ["reader@example.org"]
        assert "zebracrossingwidth" in digest.get_body(("plain",)).get_content()
        assert alert_runs(config)[0].status == "ok"
        assert nightly_job(config) == "ok"  # nothing new: nothing sent
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()


def test_a_broken_alerts_file_is_recorded_and_the_night_goes_on(site, tmp_path):
    config = load_config(write_sample_config(tmp_path, site, free_port()), environ={})
    assert nightly_job(config) == "ok"
    (config.data_dir / "alerts.sqlite").write_bytes(b"this is not a database" * 100)
    assert nightly_job(config) == "ok"
    (run, *_) = alert_runs(config)
    assert run.status == "failed" and "digest step failed" in run.errors[0]["error"]


def test_digests_are_sent_after_the_writer_lock_is_released(site, tmp_path):
    """Thousands of digests at the sending rate take long; the rebuild and crawls must not wait for them."""
    from aiosmtpd.controller import Controller

    from searchsvc.lock import WriterLock
    from tests.alerts.conftest import Inbox

    class ProbingInbox(Inbox):
        def __init__(self):
            super().__init__()
            self.lock_free: list[bool] = []

        async def handle_DATA(self, server, session, envelope):
            try:
                WriterLock(config.data_dir, "probe").acquire().release()
                self.lock_free.append(True)
            except Exception:  # noqa: BLE001 - LockedError: the nightly job still holds it
                self.lock_free.append(False)
            return await super().handle_DATA(server, session, envelope)

    port = free_port()
    config = load_config(write_sample_config(tmp_path, site, port), environ={})
    assert nightly_job(config) == "ok"
    follow(config, "reader@example.org", "q=zebracrossingwidth")
    add_word(site, "zebracrossingwidth")
    inbox = ProbingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert nightly_job(config) == "ok"
        inbox.wait_for(1)
    finally:
        controller.stop()
    assert inbox.lock_free == [True]
