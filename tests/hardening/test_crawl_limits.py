"""Issue 18, items 1-4: what a hostile or broken council site could still cost a crawl run — a
parse-cost bomb, a flood of meeting links, a day-long Crawl-delay, a trickling server, a run in
which every page fails — through a real proxy in front of the sample council on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import date
from urllib.parse import parse_qsl

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.demo import sample_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import fetch_settings, run_sources
from searchsvc.sample import SampleSite
from searchsvc.status import collect_status
from tests.hardening.test_hostile_server import Faults, Proxy
from tests.jobs.sample_helpers import REPO


class HostileProxy(Proxy):
    """The hardening proxy with the faults of issue 18 added: whole-site rules (``everywhere``),
    a robots.txt of our choosing, and pages padded into parse-cost bombs."""

    def __init__(self, upstream: str):
        super().__init__(upstream, Faults())
        self.robots: bytes | None = None
        self.everywhere: dict[str, str] = {}  # page name -> fault, for every id
        self.copies: dict[str, dict[str, str]] = {}  # page name -> {MId: the MId whose page is served}

    def handle(self, h) -> None:
        page = h.path.split("?", 1)[0].rsplit("/", 1)[-1].lower()
        if page == "robots.txt" and self.robots is not None:
            return self._send(h, 200, {"Content-Type": "text/plain"}, self.robots)
        kind = self.everywhere.get(page)
        if kind == "html-bomb":  # a few MB of cheap-to-send, costly-to-parse markup
            status, headers, body = self._relay(h)
            return self._send(h, status, headers, body.replace(b"</body>", b"<p>x</p>" * 400_000 + b"</body>"),
                              chunked=True)
        if kind == "link-flood":  # a meeting list of 6,000 meetings
            status, headers, body = self._relay(h)
            links = b"".join(b'<li class="mgTableEvenRow"><a class="mgMeetingTableLnk" href="ieListDocuments.aspx?'
                             b'CId=1&amp;MId=%d&amp;Ver=4">17 Oct 2016&nbsp;7.00 pm</a></li>' % (900_000 + i)
                             for i in range(6_000))
            listing = b'<ul class="mgNonBulletTableList">'
            assert listing in body, body[:300]
            return self._send(h, status, headers, body.replace(listing, listing + links, 1))
        if page in self.copies and (mid := dict(parse_qsl(h.path.split("?", 1)[-1])).get("MId")) in self.copies[page]:
            h.path = h.path.replace(f"MId={mid}", f"MId={self.copies[page][mid]}")  # another meeting's page
            return self._send(h, *self._relay(h))
        if kind == "500":
            return self._send(h, 500, {"Content-Type": "text/plain"}, b"Server Error in '/' Application.")
        if kind == "slow":  # a site answering every such page a tenth of a second late
            time.sleep(0.1)
        return super().handle(h)


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=31, size=0.02) as s:
        yield s


@pytest.fixture
def proxy(site):
    with HostileProxy(site.base_url) as running:
        yield running


def crawl(proxy: HostileProxy, site: SampleSite, data_dir, *, sleep=time.sleep, **crawl_settings):
    """One recorded crawl run through ``proxy``; returns (summary, run, seconds)."""
    base = parse_config({"storage": {"data_dir": str(data_dir)},
                         "crawl": {"timeout_seconds": 0.5, "max_retries": 1, **crawl_settings},
                         "enrich": {"topics_file": str(REPO / "config" / "topics.toml")}})
    config = sample_config(base, proxy.base_url(site.base_path), "Sample")
    settings = dataclasses.replace(fetch_settings(config, config.sources), backoff_base=0.01, max_backoff=0.05)
    with Catalog.in_dir(data_dir) as catalog:
        started = time.monotonic()
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="crawl",
                              today=date(2026, 1, 31), fetcher=Fetcher(settings, sleep=sleep))
        seconds = time.monotonic() - started
        run = catalog.runs(job="crawl")[0]
    return summary, run, seconds, config


def reasons(run, fragment: str = "") -> str:
    return " / ".join(e["error"] for e in run.errors if fragment in e.get("url", ""))


# --- 1. parse-cost bombs ---------------------------------------------------------------------

def test_an_html_page_over_its_own_cap_is_refused_and_the_run_says_so(proxy, site, tmp_path):
    proxy.everywhere["ielistdocuments.aspx"] = "html-bomb"
    summary, run, _, _ = crawl(proxy, site, tmp_path / "d", max_html_bytes=1_000_000, max_page_bytes=20_000_000)
    refused = [e for e in run.errors if "MId=" in e.get("url", "")]
    assert refused and all("1000000-byte limit" in e["error"] for e in refused), run.errors[:3]
    # Every meeting page failed: the run says so (item 3) instead of "ok".
    assert summary.reports[0].failure and summary.status != "ok"


def test_a_flood_of_meeting_links_is_cut_and_recorded(proxy, site, tmp_path):
    proxy.everywhere["ielistmeetings.aspx"] = "link-flood"
    summary, run, _, _ = crawl(proxy, site, tmp_path / "d", max_meetings_per_source=200)
    text = " / ".join(e["error"] for e in run.errors)
    assert "6,000 meeting links on one page; only the first 5,000 were followed" in text or \
        re.search(r"[\d,]+ meeting links on one page; only the first 5,000", text), text[:500]
    assert re.search(r"[\d,]+ meetings listed; only 200 were visited in this run", text), text[:500]
    flood = [e for e in run.errors if "MId=9" in e.get("url", "")]  # the invented meetings answer 404
    assert 0 < len(flood) <= 200


# --- 2. one council stalls everyone ------------------------------------------------------------

def test_a_day_long_crawl_delay_skips_the_host_instead_of_sleeping(proxy, site, tmp_path):
    proxy.robots = b"User-agent: *\nCrawl-delay: 86400\nDisallow:\n"
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        assert seconds < 3600, f"the crawler slept {seconds} s for one page"

    summary, run, seconds, _ = crawl(proxy, site, tmp_path / "d", sleep=sleep)
    assert not slept or max(slept) < 3600
    assert "Crawl-delay of 86400 s, more than crawl.max_crawl_delay" in (
        " / ".join(f["error"] for f in summary.failures) + reasons(run)), (summary.failures, run.errors[:3])


def test_a_source_stops_at_its_time_budget_and_says_so(proxy, site, tmp_path):
    # Meeting pages a tenth of a second late: a few of them spend the budget however fast we parse.
    proxy.everywhere["ielistdocuments.aspx"] = "slow"
    try:
        summary, run, seconds, _ = crawl(proxy, site, tmp_path / "d", source_time_budget=0.3)
    finally:
        del proxy.everywhere["ielistdocuments.aspx"]
    assert "time budget of 0.3 s (crawl.source_time_budget) is spent" in reasons(run)
    assert summary.reports, summary.failures  # the source finished with what it had


# --- 3. total failure is not success ------------------------------------------------------------

def test_a_run_in_which_every_meeting_page_fails_is_a_failure_that_alerts(proxy, site, tmp_path):
    data = tmp_path / "d"
    summary, run, _, config = crawl(proxy, site, data)
    assert summary.status == "ok" and not summary.reports[0].failure
    good = collect_status(config)["sources"][0]["last_success"]
    proxy.everywhere["ielistdocuments.aspx"] = "500"
    for _ in range(3):
        summary, run, _, _ = crawl(proxy, site, data, lookback_days=100_000)
        assert summary.status == "partial"
        assert "meeting pages asked for in this run failed" in summary.reports[0].failure
    source = collect_status(config)["sources"][0]
    assert source["last_success"] == good  # "last success" did not move
    assert source["consecutive_failures"] == 3 and source["alert"]


# --- 4. two items with one id ----------------------------------------------------------------------

def test_two_meetings_giving_the_same_items_are_recorded(proxy, site, tmp_path):
    held = [m for m in site.meetings() if m.status == "held" and m.minutes_published]
    first, second = held[0].meeting_id, held[1].meeting_id
    proxy.copies["ielistdocuments.aspx"] = {str(second): str(first)}  # the second's page is the first's
    summary, run, _, _ = crawl(proxy, site, tmp_path / "d")
    shared = [e for e in run.errors if "two items share the id" in e["error"]]
    assert shared, run.errors[:5]
    assert all(f"MId={first}" in e["url"] or f"MId={second}" in e["url"] for e in shared)
