"""`searchsvc alerts list|send|delete`, refused recipients, weekly alerts and forgotten sign-ups."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from searchsvc.alerts.run import send_digests
from searchsvc.alerts.store import AlertStore
from searchsvc.cli import cli
from tests.alerts.conftest import SMTPServer, alerts_config, follow, publish_item


def write_toml(tmp_path, config) -> str:
    lines = [f'[storage]\ndata_dir = "{config.data_dir}"\n[alerts]']
    for key, value in config.values.items():
        if key.startswith("alerts."):
            shown = ("true" if value else "false") if isinstance(value, bool) else (
                f'"{value}"' if isinstance(value, str) else repr(value))
            lines.append(f"{key.split('.', 1)[1]} = {shown}")
    path = tmp_path / "searchsvc.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def config(archive, smtp):
    return alerts_config(archive, smtp.port)


def run(tmp_path, config, *args):
    return CliRunner().invoke(cli, ["-q", "--config", write_toml(tmp_path, config), "alerts", *args])


def test_list_masks_addresses_send_dry_run_changes_nothing_and_delete_removes_the_address(tmp_path, config, smtp):
    follow(config, "first.reader@example.org", "q=zebracrossing")
    follow(config, "first.reader@example.org", "speaker=Councillor+Jan+Reed")
    listed = run(tmp_path, config, "list")
    assert listed.exit_code == 0, listed.output
    assert "f***@example.org" in listed.output and "first.reader" not in listed.output
    assert "“zebracrossing” [daily, confirmed" in listed.output
    assert "first.reader@example.org" in run(tmp_path, config, "list", "--show-addresses").output

    publish_item(config, "Zebra crossings", "Councillor Reed asked about zebracrossing.")
    dry = run(tmp_path, config, "send", "--dry-run")
    assert dry.exit_code == 0 and "f***@example.org: 2 alerts, 2 new items" in dry.output
    assert smtp.inbox.messages == []
    sent = run(tmp_path, config, "send")
    assert sent.exit_code == 0, sent.output
    assert len(smtp.inbox.wait_for(1)) == 1
    assert "would send" not in run(tmp_path, config, "send").output and len(smtp.inbox.messages) == 1

    deleted = run(tmp_path, config, "delete", "First.Reader@EXAMPLE.org")
    assert deleted.exit_code == 0 and "deleted f***@example.org and its 2 alerts" in deleted.output
    assert "no alerts for" in run(tmp_path, config, "delete", "first.reader@example.org").output
    bad = run(tmp_path, config, "delete", "not an address")
    assert bad.exit_code == 2 and "exactly one @" in bad.output


class RefusingInbox:
    """Refuses one recipient as a real server refuses an unknown mailbox."""

    def __init__(self, inbox, refused: str):
        self.inbox, self.refused = inbox, refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return await self.inbox.handle_DATA(server, session, envelope)


def test_a_refused_recipient_is_recorded_masked_and_the_others_still_get_theirs(archive):
    from aiosmtpd.controller import Controller

    server = SMTPServer()
    controller = Controller(RefusingInbox(server.inbox, "gone@example.org"), hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        config = alerts_config(archive, server.port)
        for address in ("gone@example.org", "here@example.org"):
            follow(config, address, "q=zebracrossing")
        publish_item(config, "Zebra crossings", "Councillor Reed asked about zebracrossing.")
        report = send_digests(config)
        assert report.sent == 1 and report.status == "partial"
        assert "g***@example.org" in report.errors[0]["error"] and "gone@" not in report.errors[0]["error"]
        assert [rcpts for rcpts, _ in server.inbox.messages] == [["here@example.org"]]
        with AlertStore(config.data_dir / "alerts.sqlite") as store:
            gone = store.subscriber_by_email("gone@example.org")
            assert gone.failures == 1 and store.alerts_of(gone.id)[0].last_batch < report.mark  # retried next run
        for _ in range(4):
            assert send_digests(config).errors
        paused = send_digests(config)  # five refusals in a row: a dead mailbox is no longer tried
        assert paused.paused == 1 and not paused.errors
        with AlertStore(config.data_dir / "alerts.sqlite") as store:
            gone = store.subscriber_by_email("gone@example.org")
            alert = store.alerts_of(gone.id)[0]
            store.confirm(alert.id, gone.nonce, alert.last_batch)  # confirming again starts it again
        assert send_digests(config).paused == 0
    finally:
        controller.stop()


def test_weekly_alerts_wait_a_week_and_keep_what_came_in_between(config, smtp):
    from searchsvc.alerts.queries import label
    from searchsvc.index import IndexStore

    with AlertStore(config.data_dir / "alerts.sqlite") as store:
        sub, alert = store.add_pending("weekly@example.org", "q=zebracrossing", label("q=zebracrossing"), "weekly",
                                       max_alerts=20)
        store.confirm(alert.id, sub.nonce, IndexStore(config.data_dir).last_batch())
    now = datetime.now(timezone.utc)
    publish_item(config, "Zebra crossings one", "Councillor Reed asked about zebracrossing.")
    assert send_digests(config, now=now).sent == 1
    publish_item(config, "Zebra crossings two", "Councillor Reed asked about zebracrossing again.")
    assert send_digests(config, now=now + timedelta(days=3)).sent == 0
    publish_item(config, "Zebra crossings three", "Councillor Reed asked about zebracrossing once more.")
    assert send_digests(config, now=now + timedelta(days=7)).sent == 1
    text = smtp.inbox.wait_for(2)[1][1].get_body(("plain",)).get_content()
    assert "Zebra crossings two" in text and "Zebra crossings three" in text and "crossings one" not in text


def test_unconfirmed_sign_ups_are_forgotten_after_the_confirmation_window(config):
    with AlertStore(config.data_dir / "alerts.sqlite") as store:
        store.add_pending("late@example.org", "q=foster", "“foster”", "daily", max_alerts=20,
                          now=datetime.now(timezone.utc) - timedelta(hours=49))
    send_digests(config)
    with AlertStore(config.data_dir / "alerts.sqlite") as store:
        assert store.counts() == {"addresses": 0, "confirmed": 0, "pending": 0}
