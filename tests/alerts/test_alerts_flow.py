"""Sign-up to unsubscribe through the app and a real SMTP server on 127.0.0.1 (no browser).

The browser test (tests/browser/test_browser_alerts.py) walks the same path in Chromium
against real nightly runs; these check the details an inbox would show.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from searchsvc.alerts.run import send_digests
from searchsvc.alerts.settings import STORE_FILE
from searchsvc.alerts.store import AlertStore
from searchsvc.catalog import Catalog
from searchsvc.jobs import index_full
from searchsvc.web import create_app
from tests.alerts.conftest import alerts_config, publish_item

ADDRESS = "reader@example.org"


@pytest.fixture
def config(archive, smtp):
    return alerts_config(archive, smtp.port)


@pytest.fixture
def client(config):
    app = create_app(config, {"TESTING": True})
    yield app.test_client()
    app.extensions["searchsvc"].close()


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(r"https?://\S*/alerts/" + path + r"/\S+", text)
    assert found, f"no {path} link in:\n{text}"
    return found.group(0)


def local(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def subscribe(client, email=ADDRESS, query="q=zebracrossing", frequency="daily", **environ):
    return client.post("/alerts/subscribe", data={"email": email, "query": query, "frequency": frequency},
                       environ_base=environ)


def test_the_search_speaker_and_committee_pages_offer_the_form(client):
    page = client.get("/search?q=foster&committee=Planning+Committee").get_data(as_text=True)
    assert "Email me new matches" in page
    assert 'value="q=foster&amp;committee=Planning+Committee"' in page
    speaker = client.get("/speakers/Councillor Jan Reed").get_data(as_text=True)
    assert "Email me new matches" in speaker and "Speaker: Councillor Jan Reed" in speaker
    committee = client.get("/committees/kingston:committee:12").get_data(as_text=True)
    assert "Email me new matches" in committee and "Committee: Planning Committee" in committee
    assert "Email me new matches" not in client.get("/search").get_data(as_text=True)  # nothing chosen


def test_sign_up_confirm_digest_once_then_unsubscribe_in_one_click(client, config, smtp):
    answer = subscribe(client)
    assert answer.status_code == 200 and "Check your email" in answer.get_data(as_text=True)
    (rcpts, confirmation), = smtp.inbox.wait_for(1)
    assert rcpts == [ADDRESS] and "Confirm" in confirmation["Subject"]

    # Nothing is sent before the link is opened.
    publish_item(config, "Zebra crossings near schools", "Councillor Reed asked about zebracrossing widths.")
    assert send_digests(config).sent == 0

    confirmed = client.get(local(link_in(confirmation, "confirm")))
    assert confirmed.status_code == 200 and "Your alert is on" in confirmed.get_data(as_text=True)
    assert client.get(local(link_in(confirmation, "confirm"))).status_code == 200  # twice is fine

    item_id = publish_item(config, "Zebra crossing on the High Street", "Councillor Reed asked about zebracrossing.")
    report = send_digests(config)
    assert (report.sent, report.items) == (1, 1)
    digest = smtp.inbox.wait_for(2)[1][1]
    assert digest["To"] == ADDRESS and digest["Subject"] == "1 new item in council minutes for your alerts"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Zebra crossing on the High Street" in body and "Councillor Jan Reed" in body
        assert "near schools" not in body  # published before the alert was confirmed
    assert f"/items/{item_id}" in text and "<mark>zebracrossing</mark>" in html

    # A second run and a full rebuild send nothing new.
    assert send_digests(config).sent == 0
    with Catalog.in_dir(config.data_dir) as catalog:
        index_full(catalog, config.data_dir, config)
    assert send_digests(config).sent == 0
    assert len(smtp.inbox.messages) == 2

    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the header's URL.
    one_click = digest["List-Unsubscribe"].strip("<>")
    assert client.get(local(one_click)).status_code == 200  # a GET (link scanner) changes nothing
    with AlertStore(config.data_dir / STORE_FILE) as store:
        assert store.counts()["confirmed"] == 1
    left = client.post(local(one_click), data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")
    assert left.status_code == 200 and "unsubscribed" in left.get_data(as_text=True)
    assert client.post(local(one_click), data="List-Unsubscribe=One-Click").status_code == 200  # retried
    publish_item(config, "Zebra crossing again", "Councillor Reed asked about zebracrossing again.")
    assert send_digests(config).sent == 0
    with AlertStore(config.data_dir / STORE_FILE) as store:
        assert store.counts() == {"addresses": 0, "confirmed": 0, "pending": 0}  # the address is gone


def test_one_email_per_address_groups_its_alerts_and_weekly_waits(client, config, smtp):
    for query, frequency in (("q=zebracrossing", "daily"), ("speaker=Councillor+Jan+Reed", "daily"),
                             ("q=zebracrossing&committee=Planning+Committee", "weekly")):
        assert subscribe(client, query=query, frequency=frequency).status_code == 200
    for _, message in smtp.inbox.wait_for(3):
        assert client.get(local(link_in(message, "confirm"))).status_code == 200
    publish_item(config, "Zebra crossings", "Councillor Reed asked about zebracrossing.")
    assert send_digests(config).sent == 1
    digest = smtp.inbox.wait_for(4)[3][1]
    text = digest.get_body(("plain",)).get_content()
    assert "== “zebracrossing” — 1 new ==" in text and "== Speaker: Councillor Jan Reed — 1 new ==" in text
    assert "Planning Committee" not in text.split("--")[0]  # that alert matched nothing


def test_the_manage_page_lists_and_deletes_alerts_and_then_the_address(client, config, smtp):
    subscribe(client, query="q=zebracrossing")
    subscribe(client, query="q=foster")
    for _, message in smtp.inbox.wait_for(2):
        confirmed = client.get(local(link_in(message, "confirm")))
    manage = re.search(r'href="(/alerts/manage/[^"]+)"', confirmed.get_data(as_text=True)).group(1)
    page = client.get(manage).get_data(as_text=True)
    assert "“zebracrossing”" in page and "“foster”" in page and ADDRESS not in page and "r***@example.org" in page
    with AlertStore(config.data_dir / STORE_FILE) as store:
        first = store.alerts_of(store.subscriber_by_email(ADDRESS).id)[0].id
    page = client.post(manage, data={"delete": str(first)}).get_data(as_text=True)
    assert "“zebracrossing”" not in page and "“foster”" in page
    gone = client.post(manage, data={"delete": "all"})
    assert "deleted" in gone.get_data(as_text=True)
    with AlertStore(config.data_dir / STORE_FILE) as store:
        assert store.subscriber_by_email(ADDRESS) is None
    assert client.get(manage).status_code == 404  # the old link manages nothing


def test_alerts_switched_off_show_no_form_and_no_pages(archive, smtp):
    config = alerts_config(archive, smtp.port, enabled=False)
    app = create_app(config, {"TESTING": True})
    client = app.test_client()
    assert "Email me new matches" not in client.get("/search?q=foster").get_data(as_text=True)
    assert subscribe(client).status_code == 404
    app.extensions["searchsvc"].close()


def test_digest_html_escapes_what_the_minutes_say(config, smtp):
    from tests.alerts.conftest import follow

    follow(config, ADDRESS, "q=zebracrossing")
    publish_item(config, "Crossings <b>&</b> schools", "Zebracrossing <script>alert(1)</script> was discussed.")
    assert send_digests(config).sent == 1
    html = smtp.inbox.wait_for(1)[0][1].get_body(("html",)).get_content()
    assert "<script>" not in html and "<b>&</b>" not in html
    assert "&lt;script&gt;" in html and "Crossings &lt;b&gt;&amp;&lt;/b&gt; schools" in html


def test_addresses_never_reach_an_export(config, tmp_path):
    from searchsvc.export import export_to
    from tests.alerts.conftest import follow

    follow(config, "secret.reader@example.org", "q=foster")
    with Catalog.in_dir(config.data_dir) as catalog:
        for fmt in ("sqlite", "jsonl", "csv"):
            out = tmp_path / f"export.{fmt}"
            export_to(catalog, config, fmt, str(out))
            assert b"secret.reader" not in out.read_bytes()
    assert (config.data_dir / STORE_FILE).stat().st_mode & 0o077 == 0  # only the owner may read it
