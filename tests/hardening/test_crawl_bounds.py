"""Issue 18, items 1, 2 and 4 at the fetcher and the run's bounds: the size cap per kind of page,
a trickling server retried once, redirects that change port or scheme, a huge robots.txt, IPv6
literals and credentials in base_url; and the pure rules of a source run (limits, verdicts)."""

from __future__ import annotations

import random

import pytest

from crawler.fetch import Fetcher, FetchSettings
from crawler.limits import CrawlLimits, SourceGuard, duplicate_ids
from crawler.urls import canonical
from crawler.verdict import judge_source_run
from searchsvc.config import parse_config
from searchsvc.errors import ConfigError, FetchError
from tests.crawler import faultserver
from tests.crawler.faultserver import FaultServer

USER_AGENT = "searchsvc-test/0.1 (+https://example.org/searchsvc/contact)"


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


def fetcher(**overrides) -> Fetcher:
    values = dict(user_agent=USER_AGENT, requests_per_second=0, timeout=2.0, max_retries=4, backoff_base=0.01,
                  max_backoff=0.05, max_bytes=100_000, allowed_hosts=frozenset({"127.0.0.1"}),
                  allow_private=frozenset({"127.0.0.1"}), respect_robots=False)
    values.update(overrides)
    return Fetcher(FetchSettings(**values), rng=random.Random(1))


# --- item 1: HTML pages get their own, smaller cap -------------------------------------------------

def test_a_request_can_lower_the_size_cap_but_not_raise_it(server):
    big = server.url("/big-length")  # offers 1,000,000 bytes
    with pytest.raises(FetchError, match="exceeds the 50000-byte limit"):
        fetcher(max_bytes=2_000_000).get(big, max_bytes=50_000)
    assert len(fetcher(max_bytes=2_000_000).get(big).body) == faultserver.BIG  # a PDF keeps the large cap
    with pytest.raises(FetchError, match="exceeds the 100000-byte limit"):
        fetcher(max_bytes=100_000).get(big, max_bytes=5_000_000)


def test_the_guard_caps_pages_links_list_pages_and_meetings_and_records_each_cut():
    cuts: list[tuple[str, str]] = []
    guard = SourceGuard(CrawlLimits(max_html_bytes=10, max_links_per_page=3, max_meetings=4, max_list_pages=2),
                        lambda url, why: cuts.append((url, why)))
    assert guard.max_bytes("meeting") == 10 and guard.max_bytes("webservice_getmeeting") == 10
    assert guard.max_bytes("document") is None  # PDFs: crawl.max_page_bytes
    assert guard.links("L", list(range(10))) == [0, 1, 2]
    assert guard.meetings("M", list(range(10))) == [0, 1, 2, 3]
    assert [guard.list_page(f"P{i}") for i in range(5)] == [True, True, False, False, False]
    assert [url for url, _ in cuts] == ["L", "M", "P2"]  # the list-page cut is recorded once


# --- item 2: a trickling server, a source's time budget --------------------------------------------

def test_a_deadline_overrun_is_retried_once_not_max_retries_times(server):
    with pytest.raises(FetchError, match="timed out"):
        fetcher(timeout=0.1, max_retries=4).get(server.url("/slow-body"))
    assert server.count("/slow-body") == 2  # five attempts before: ~10 minutes a page at 30 s timeouts


def test_the_time_budget_is_spent_once_and_recorded_once():
    now = [0.0]
    cuts: list[str] = []
    guard = SourceGuard(CrawlLimits(time_budget=100), lambda url, why: cuts.append(why), clock=lambda: now[0])
    assert not guard.out_of_time("a")
    now[0] = 101
    assert guard.out_of_time("b") and guard.out_of_time("c")
    assert len(cuts) == 1 and "time budget of 100 s" in cuts[0]


# --- item 4: redirects, robots.txt, IPv6, credentials ------------------------------------------------

@pytest.mark.parametrize("target", ["{other}/page", "https://127.0.0.1:{port}/page"])
def test_a_redirect_may_not_change_port_or_scheme(server, monkeypatch, target):
    with FaultServer() as other:
        location = target.format(other=other.url("").rstrip("/"), port=server.port)
        monkeypatch.setitem(faultserver.ROUTES, "/hop", faultserver.redirect_to(location))
        with pytest.raises(FetchError, match="a redirect may not move from http port"):
            fetcher().get(server.url("/hop"))
        assert other.count("/page") == 0


def test_a_same_origin_redirect_still_works(server, monkeypatch):
    monkeypatch.setitem(faultserver.ROUTES, "/hop", faultserver.redirect_to("/page"))
    assert fetcher().get(server.url("/hop")).status == 200


def test_a_huge_robots_txt_disallows_the_host_after_half_a_megabyte(server):
    server.robots = (200, "User-agent: *\n" + "Disallow: /nothing-here-at-all\n" * 600_000)  # ~18 MB
    f = fetcher(respect_robots=True, max_bytes=20_000_000)
    with pytest.raises(FetchError, match="robots.txt"):
        f.get(server.url("/page"))
    assert f.stats.bytes < 2_000_000 and server.count("/page") == 0


def test_ipv6_literals_keep_their_brackets_and_fail_as_fetch_errors():
    assert canonical("http://[::1]:8080/a b") == "http://[::1]:8080/a%20b"
    assert canonical("HTTP://[2001:DB8::1]/") == "http://[2001:db8::1]/"
    f = fetcher(allowed_hosts=frozenset({"::1"}), allow_private=frozenset(), max_retries=0)
    with pytest.raises(FetchError, match=r"\[::1\]"):
        f.get("http://[::1]:9/meeting")


@pytest.mark.parametrize("url", ["https://user:pass@council.example/", "https://user@council.example/"])
def test_credentials_in_base_url_are_refused(url):
    with pytest.raises(ConfigError, match="must not contain a user name or password"):
        parse_config({"sources": [{"name": "x", "base_url": url}]})


# --- item 3 and 4: what a run's outcome says --------------------------------------------------------

def test_most_meeting_pages_failing_is_a_failed_run():
    urls = [f"m{i}" for i in range(10)]
    errors = [{"url": f"m{i}", "error": "HTTP 500"} for i in range(6)]
    verdict = judge_source_run("s", errors, urls, urls, 100, 100)
    assert verdict.status == "failed" and "6 of 10 meeting pages" in verdict.reason
    assert judge_source_run("s", errors[:2], urls, urls, 100, 100).status == "ok-with-errors"
    assert judge_source_run("s", [], urls, urls, 100, 100).status == "ok"


def test_a_collapse_of_the_item_count_is_a_degraded_run():
    verdict = judge_source_run("s", [], ["m"], ["m"], 1_000, 120)
    assert verdict.status == "degraded" and "from 1,000 to 120" in verdict.reason
    assert judge_source_run("s", [], ["m"], ["m"], 1_000, 900).status == "ok"
    assert judge_source_run("s", [], [], [], 0, 0).status == "ok"


def test_duplicate_ids_are_found():
    assert duplicate_ids(["a", "b", "a", "c", "b", "a"]) == ["a", "b"]
    assert duplicate_ids(["a", "b"]) == []
