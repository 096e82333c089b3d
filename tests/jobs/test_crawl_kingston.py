"""Crawling a real council's saved pages from a local server: discovery, cancelled meetings,
truncated items, missing pages logged without stopping the run."""

from __future__ import annotations

import re
from datetime import date

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import crawl_source, fetch_settings
from searchsvc.records import CANCELLED, Source
from tests.replay import ReplaySite, serve_replay


@pytest.fixture
def kingston(corpus):
    k = corpus / "kingston"
    site = ReplaySite()
    site.add("mgCommitteeStructure.aspx", (k / "mgCommitteeStructure.html").read_bytes())
    site.add("mgCommitteeDetails.aspx", (k / "mgCommitteeDetails_ID711.html").read_bytes(), ID="711")
    site.add("ieListMeetings.aspx", (k / "ieListMeetings_CommitteeId711.html").read_bytes(), CId="711", Year="0")
    site.add("ieListDocuments.aspx", (k / "ieListDocuments_CId711_MId10221.html").read_bytes(), MId="10221")
    site.add("ieListDocuments.aspx", (k / "ieListDocuments_CId711_MId10161_cancelled.html").read_bytes(), MId="10161")
    return site


def crawl(base_url: str, tmp_path, today=date(2026, 2, 6)):
    from tests.conftest import REPO

    config = parse_config({"crawl": {"requests_per_second": 0.0, "max_retries": 0}})
    source = Source("kingston", "Kingston", "moderngov", base_url, committees=("711",), allow_private=True)
    taxonomy = load_taxonomy(REPO / "config" / "topics.toml")
    catalog = Catalog.in_dir(tmp_path)
    fetcher = Fetcher(fetch_settings(config, [source]))
    report = crawl_source(catalog, config, source, taxonomy, today=today, fetcher=fetcher)
    return catalog, report


def test_discovers_meetings_and_records_items(kingston, tmp_path):
    with serve_replay(kingston) as base:
        catalog, report = crawl(base, tmp_path)
    with catalog:
        meeting = catalog.meeting("kingston:meeting:10221")
        assert meeting is not None and meeting.committee_id == "711"
        assert meeting.start.date() == date(2026, 1, 15)
        items = [i for i, _ in catalog.items(meeting_id=meeting.id)]
        assert len(items) == 12  # minutes 54-65
        assert all(i.passages for i in items if i.minutes_paragraphs)
        assert catalog.meeting("kingston:meeting:10161").status == CANCELLED
        committee = catalog.committee("kingston:committee:711")
        assert committee is not None and committee.members
        # Only committee 711 was asked for: no other committee's details page was requested.
        assert not [p for p in kingston.log if "mgCommitteeDetails" in p and "ID=711" not in p]
    # Meetings listed but not saved answer 404: logged with their URL, and the run went on.
    assert report.errors and all("url" in e for e in report.errors)
    assert any("MId=" in e["url"] and "404" in e["error"] for e in report.errors)
    assert report.items.new == 12


def test_a_malformed_meeting_page_is_logged_and_skipped(kingston, tmp_path):
    kingston.add("ieListDocuments.aspx", b"<html><body><p>Service unavailable</p></body></html>", MId="10220")
    with serve_replay(kingston) as base:
        catalog, report = crawl(base, tmp_path)
    bad = [e for e in report.errors if "MId=10220" in e["url"]]
    assert bad and "modgov" in bad[0]["error"]
    with catalog:
        assert catalog.meeting("kingston:meeting:10221") is not None


def test_a_site_without_committees_fails_loudly(tmp_path):
    with serve_replay(ReplaySite()) as base:
        with pytest.raises(Exception, match="no committees found"):
            crawl(base, tmp_path)


def test_a_failed_run_is_not_resumed(tmp_path):
    with serve_replay(ReplaySite()) as base:
        with pytest.raises(Exception, match="no committees found"):
            crawl(base, tmp_path)
    with Catalog.in_dir(tmp_path) as catalog:
        assert catalog.unfinished_batch("crawl", "kingston") is None
        assert catalog.query("SELECT status FROM batches")[0][0] == "failed"


def test_without_a_year_selector_the_earlier_pages_are_followed(corpus, tmp_path):
    k = corpus / "kingston"
    listing = (k / "ieListMeetings_CommitteeId711.html").read_text(encoding="utf-8")
    no_years = re.sub(r'<select[^>]*id="YearSelect".*?</select>', "", listing, flags=re.S)
    assert no_years != listing and "Act=earlier" in no_years
    # The "Earlier" page: other meetings (ids rewritten), and no further "Earlier" link.
    earlier = re.sub(r"MId=(\d+)", lambda m: f"MId=9{m.group(1)}", no_years)
    earlier = re.sub(r'<a[^>]*Act=earlier[^>]*>.*?</a>', "", earlier, flags=re.S)
    site = ReplaySite()
    site.add("mgCommitteeStructure.aspx", (k / "mgCommitteeStructure.html").read_bytes())
    site.add("mgCommitteeDetails.aspx", (k / "mgCommitteeDetails_ID711.html").read_bytes(), ID="711")
    site.add("ieListMeetings.aspx", earlier.encode(), Act="earlier")
    site.add("ieListMeetings.aspx", no_years.encode(), CId="711", Year="0")
    with serve_replay(site) as base:
        catalog, report = crawl(base, tmp_path)
    catalog.close()
    first = set(re.findall(r"MId=(\d+)", no_years))
    assert report.crawl["meetings_listed"] == 2 * len(first)
    assert sum("Act=earlier" in path for path in site.log) == 1
    assert any(f"MId=9{mid}" in e["url"] for e in report.errors for mid in first)


def test_the_source_is_recorded_in_the_catalog(kingston, tmp_path):
    with serve_replay(kingston) as base:
        catalog, _ = crawl(base, tmp_path)
    with catalog:
        (row,) = catalog.query("SELECT name, data FROM sources")
        assert row["name"] == "kingston" and '"base_url"' in row["data"]
