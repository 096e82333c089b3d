"""Abuse: floods of sign-ups, header injection in every field, forged and expired links,
enumeration, and addresses kept out of logs."""

from __future__ import annotations

import logging
import time
import urllib.parse

import pytest
from itsdangerous import TimestampSigner

from searchsvc.alerts.addresses import normalize_address, scrub
from searchsvc.alerts.errors import AlertError
from searchsvc.alerts.mail import confirmation_message
from searchsvc.alerts.settings import STORE_FILE, alert_settings
from searchsvc.alerts.store import AlertStore
from searchsvc.alerts.tokens import CONFIRM, MANAGE, LinkData, Signer
from searchsvc.errors import ConfigError
from searchsvc.web import create_app
from tests.alerts.conftest import alerts_config
from tests.alerts.test_alerts_flow import link_in, local, subscribe


@pytest.fixture
def config(archive, smtp):
    return alerts_config(archive, smtp.port, signups_per_client_per_hour=10, signups_per_address_per_day=3)


@pytest.fixture
def app(config):
    app = create_app(config, {"TESTING": True})
    yield app
    app.extensions["searchsvc"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def store_counts(config):
    with AlertStore(config.data_dir / STORE_FILE) as store:
        return store.counts()


def test_a_thousand_sign_ups_from_one_client_send_at_most_the_limit(client, config, smtp):
    statuses = [subscribe(client, email=f"victim{i}@example.org", REMOTE_ADDR="203.0.113.9").status_code
                for i in range(1000)]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    refused = subscribe(client, email="another@example.org", REMOTE_ADDR="203.0.113.9")
    assert "Too many sign-ups" in refused.get_data(as_text=True)
    assert len(smtp.inbox.wait_for(10)) == 10
    time.sleep(0.3)
    assert len(smtp.inbox.messages) == 10 and store_counts(config)["pending"] == 10
    # Another client is not punished for it.
    assert subscribe(client, email="someone@example.org", REMOTE_ADDR="198.51.100.1").status_code == 200


def test_one_address_gets_few_confirmations_and_the_same_answer_every_time(client, smtp):
    answers = [subscribe(client, email="target@example.org", query=f"q=word{i}", REMOTE_ADDR=f"198.51.100.{i}")
               for i in range(6)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.get_data(as_text=True) for a in answers}) == 1
    time.sleep(0.3)
    assert len(smtp.inbox.wait_for(3)) == 3


def test_the_answer_does_not_say_whether_an_address_is_subscribed(client, smtp):
    first = subscribe(client, email="known@example.org", REMOTE_ADDR="192.0.2.1")
    (_, message), = smtp.inbox.wait_for(1)
    client.get(local(link_in(message, "confirm")))
    again = subscribe(client, email="known@example.org", REMOTE_ADDR="192.0.2.2")
    stranger = subscribe(client, email="stranger@example.org", REMOTE_ADDR="192.0.2.3")
    assert first.status_code == again.status_code == stranger.status_code == 200
    assert first.get_data(as_text=True) == again.get_data(as_text=True) == stranger.get_data(as_text=True)


INJECTIONS = ["x\r\nBcc: thief@evil.example", "x\nBcc: thief@evil.example", "x\rSubject: hi"]


@pytest.mark.parametrize("injection", INJECTIONS)
@pytest.mark.parametrize("field", ["email", "frequency", "query", "query-value"])
def test_header_injection_in_every_field_is_refused_with_a_clear_message(client, config, smtp, field, injection):
    form = {"email": "reader@example.org", "frequency": "daily", "query": "q=foster"}
    if field == "query-value":
        form["query"] = "q=" + urllib.parse.quote("foster" + injection)
    else:
        form[field] = ("reader@example.org" if field == "email" else form[field]) + injection
    answer = client.post("/alerts/subscribe", data=form)
    assert answer.status_code == 400
    assert "line breaks" in answer.get_data(as_text=True)
    time.sleep(0.1)
    assert smtp.inbox.messages == [] and store_counts(config)["addresses"] == 0


@pytest.mark.parametrize("address, reason", [
    ("", "Enter an email address"), ("no-at-sign", "exactly one @"), ("a@b@example.org", "exactly one @"),
    ('"quoted"@example.org', "before the @"), ("a b@example.org", "before the @"),
    ("<a@example.org>", "before the @"), ("a@localhost", "domain name"), ("a@exa mple.org", "domain name"),
    ("a@-bad.org", "domain name"), ("a," + "b" * 300 + "@example.org", "longer than"),
    ("Name <a@example.org>", "before the @"), ("a@example.org, b@example.org", "exactly one @"),
])
def test_malformed_addresses_are_refused_saying_what_is_wrong(client, address, reason):
    answer = subscribe(client, email=address)
    assert answer.status_code == 400 and reason in answer.get_data(as_text=True)
    with pytest.raises(AlertError, match=reason):
        normalize_address(address)


def test_addresses_are_normalised_not_mangled():
    assert normalize_address("  First.Last+alerts@Example.ORG ") == "First.Last+alerts@example.org"


def test_messages_refuse_line_breaks_in_headers_and_config_refuses_them_too(config):
    settings = alert_settings(config)
    with pytest.raises(AlertError):
        confirmation_message(settings, "a@example.org\r\nBcc: b@example.org", "x", "http://x/", 48)
    bad = alerts_config(config.data_dir, 25, from_address="alerts@example.org\r\nBcc: b@evil.example")
    with pytest.raises(ConfigError, match="from_address"):
        alert_settings(bad)


def test_forged_tampered_and_wrong_purpose_links_are_refused(client, config, smtp):
    subscribe(client)
    (_, message), = smtp.inbox.wait_for(1)
    path = local(link_in(message, "confirm"))
    token = path.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (f"/alerts/confirm/{tampered}", "/alerts/confirm/not-a-token", f"/alerts/manage/{token}",
                f"/alerts/unsubscribe/{token}"):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert "This link" in answer.get_data(as_text=True)
    forged = Signer("not-the-secret", 3600).make(MANAGE, LinkData(1, "guess"))
    assert client.get(f"/alerts/manage/{forged}").status_code == 400
    assert client.post(f"/alerts/unsubscribe/{forged}").status_code == 400
    assert store_counts(config)["pending"] == 1  # nothing was changed by any of them


def test_an_expired_confirmation_link_is_refused_and_asks_to_sign_up_again(client, config, smtp, monkeypatch):
    subscribe(client)
    smtp.inbox.wait_for(1)
    with AlertStore(config.data_dir / STORE_FILE) as store:
        sub = store.subscriber_by_email("reader@example.org")
        alert = store.alerts_of(sub.id)[0]
        secret = store.secret()
    hours = config["alerts.confirm_hours"]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - hours * 3600 - 60)
    old = Signer(secret, hours * 3600).make(CONFIRM, LinkData(alert.id, sub.nonce))
    monkeypatch.undo()
    answer = client.get(f"/alerts/confirm/{old}")
    assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    assert store_counts(config)["confirmed"] == 0


def test_no_address_reaches_the_logs_in_full(client, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    subscribe(client, email="private.person@example.org")
    (_, message), = smtp.inbox.wait_for(1)
    client.get(local(link_in(message, "confirm")))
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("searchsvc"))
    assert "private.person@example.org" not in ours  # (the test SMTP server's own log is not ours)
    assert "p***@example.org" in ours
    assert scrub("550 <private.person@example.org>: no such user") == "550 <p***@example.org>: no such user"


def test_a_dead_smtp_server_at_sign_up_says_email_is_not_working(archive):
    from tests.alerts.conftest import free_port

    app = create_app(alerts_config(archive, free_port()), {"TESTING": True})
    answer = subscribe(app.test_client())
    app.extensions["searchsvc"].close()
    assert answer.status_code == 503 and "could not be sent just now" in answer.get_data(as_text=True)
