"""Email alerts end to end: Chromium, the web app, real nightly runs over the sample council on
127.0.0.1 and a real SMTP server (aiosmtpd) on 127.0.0.1.

subscribe in the browser → the confirmation email arrives → its link confirms → a nightly run
that adds a matching item sends one digest → a second run and a full rebuild send nothing new →
the digest's RFC 8058 one-click unsubscribe works and stops the next digest.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from searchsvc.config import load_config
from searchsvc.sample import SampleSite
from searchsvc.schedule import nightly_job, rebuild_job
from searchsvc.web import create_app
from searchsvc.web.server import BackgroundServer
from tests.alerts.conftest import SMTPServer, free_port, write_sample_config

WORD = "zebracrossingwidth"


@pytest.fixture
def world(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with SampleSite(seed=5, size=0.04) as site:
        smtp = SMTPServer().start()
        try:
            config = load_config(write_sample_config(tmp_path, site, smtp.port, public_url=url + "/"), environ={})
            assert nightly_job(config) == "ok"
            app = create_app(config)
            server = BackgroundServer(app, port=port)
            with server:
                yield site, smtp, config, url
            app.extensions["searchsvc"].close()
        finally:
            smtp.stop()


def add_word(site, text: str) -> None:
    held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
    item = next(i for i in site.items(held[-1].meeting_id) if not i.procedural)
    site.append_minutes(item.item_id, text)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_subscribe_confirm_digest_once_and_unsubscribe_in_one_click(world, browser):
    site, smtp, config, url = world
    context = browser.new_context(base_url=url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/search?q={WORD}")
    form = page.get_by_role("region", name="Email me new matches")
    form.get_by_label("Your email address").fill("reader@example.org")
    form.get_by_label("How often").select_option("daily")
    form.get_by_role("button", name="Email me new matches").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    (rcpts, confirmation), = smtp.inbox.wait_for(1)
    assert rcpts == ["reader@example.org"]
    confirm_url = re.search(r"http://\S+/alerts/confirm/\S+", body(confirmation)).group(0)
    page.goto(confirm_url)
    assert page.get_by_role("heading", name="Your alert is on").is_visible()
    assert WORD in page.get_by_role("status").inner_text()

    add_word(site, f"Councillor Quillfeather asked about {WORD}.")
    assert nightly_job(config) == "ok"
    (rcpts, digest), = smtp.inbox.wait_for(2)[1:]
    assert rcpts == ["reader@example.org"] and WORD in body(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert nightly_job(config) == "ok"
    assert rebuild_job(config) == "ok"
    assert nightly_job(config) == "ok"
    assert len(smtp.inbox.messages) == 2  # nothing new, nothing sent

    # The mail client's one-click unsubscribe: a POST to the List-Unsubscribe URL, no browser.
    one_click = digest["List-Unsubscribe"].strip("<>")
    request = urllib.request.Request(one_click, data=b"List-Unsubscribe=One-Click", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200

    add_word(site, f"Councillor Quillfeather asked again about {WORD}.")
    assert nightly_job(config) == "ok"
    assert len(smtp.inbox.messages) == 2  # the next digest is stopped
    page.goto(confirm_url)  # the old confirmation link cannot bring the alert back
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    context.close()
