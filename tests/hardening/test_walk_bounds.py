"""Issue 18's crawl bounds belong to the walk every committee system shares (crawler/walk.py), not
to one walk: the sample council with its web service on is walked through GetMeetings/GetMeeting
(never the HTML pages), and the same meeting cap, byte cap and time budget hold there."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.demo import sample_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import fetch_settings, run_sources
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import REPO, SAMPLE_TODAY


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=3, size=0.03, webservice=True) as s:
        yield s


def crawl(site, data_dir, **crawl_settings):
    base = parse_config({"storage": {"data_dir": str(data_dir)}, "crawl": crawl_settings,
                         "enrich": {"topics_file": str(REPO / "config" / "topics.toml")}})
    config = sample_config(base, site.base_url, "Sample")
    with Catalog.in_dir(data_dir) as catalog:
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="crawl",
                              today=date.fromisoformat(str(SAMPLE_TODAY)),
                              fetcher=Fetcher(fetch_settings(config, config.sources)))
        run = catalog.runs(job="crawl")[0]
    return summary, run


def asked(site) -> Counter[str]:
    return Counter(target.split("?")[0].rsplit("/", 1)[-1] for _, target, _ in site.request_log)


def test_the_web_service_walk_visits_at_most_the_meeting_cap(site, tmp_path):
    site.request_log.clear()
    summary, run = crawl(site, tmp_path / "d", max_meetings_per_source=5)
    (report,) = summary.reports
    assert report.crawl["mode"] == "webservice"
    assert asked(site)["GetMeeting"] == 5  # of the sample's many meetings
    text = " / ".join(e["error"] for e in run.errors)
    assert f"{len(site.meetings()):,} meetings listed; only 5 were visited in this run" in text, text[:300]


def test_the_web_service_walk_refuses_xml_over_the_html_cap(site, tmp_path):
    # GetCommittees (under 3 KB) fits; a meeting's GetMeeting (the sample's are 4-45 KB) does not.
    summary, run = crawl(site, tmp_path / "d", max_html_bytes=4_000)
    assert summary.reports[0].crawl["mode"] == "webservice"
    refused = [e for e in run.errors if "GetMeeting?" in e.get("url", "")]
    assert refused and all("4000-byte limit" in e["error"] for e in refused), run.errors[:3]
    assert summary.reports[0].failure  # every meeting refused: a failed run, not "ok"


def test_the_web_service_walk_stops_at_the_time_budget(site, tmp_path):
    summary, run = crawl(site, tmp_path / "d", source_time_budget=0.001)
    assert any("time budget of 0.001 s (crawl.source_time_budget) is spent" in e["error"] for e in run.errors)
