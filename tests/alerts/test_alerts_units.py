"""Pure parts: the sending pace, labels, followed searches as index requests, masking."""

from __future__ import annotations

from datetime import date

from searchsvc.alerts.addresses import mask
from searchsvc.alerts.queries import canonical, label, search_path, to_request
from searchsvc.alerts.settings import alert_settings
from searchsvc.alerts.smtp import Sender
from tests.alerts.conftest import alerts_config


def test_the_sender_keeps_to_the_sending_rate(tmp_path):
    settings = alert_settings(alerts_config(tmp_path, 25, send_per_minute=30))
    now, waits = [100.0], []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        now[0] += seconds

    sender = Sender(settings, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        sender._pace()
        now[0] += 0.5  # building and sending a message takes half a second
    assert waits == [1.5, 1.5]  # 30 a minute: one every two seconds


def test_a_followed_search_keeps_only_what_chooses_items_and_becomes_a_since_request():
    query = canonical([("q", "foster care"), ("speaker", "Councillor Jan Reed"), ("year", "2019"),
                       ("from", "2019-01-01"), ("sort", "oldest"), ("page", "3"), ("since", "4"),
                       ("procedural", "show")])
    assert query == "q=foster+care&speaker=Councillor+Jan+Reed&year=2019&from=2019-01-01&procedural=show"
    req = to_request(query, since_batch=7, per_page=10)
    assert (req.q, req.speaker, req.year, req.date_from, req.since_batch, req.sort, req.include_procedural) == (
        "foster care", ("Councillor Jan Reed",), ("2019",), date(2019, 1, 1), 7, "newest", True)
    assert label(query) == "“foster care” · Speaker: Councillor Jan Reed · Year: 2019 · Dates: 2019-01-01 to any"
    assert search_path(query, 7).endswith("&sort=newest&since=7")


def test_labels_are_one_line_whatever_was_typed():
    assert "\n" not in label("q=a%0Ab&committee=x%0D%0Ay")


def test_masking():
    assert mask("jane.doe@example.org") == "j***@example.org" and mask("nonsense") == "***"
