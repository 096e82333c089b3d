"""Crawling the sample council end to end: every meeting and item it contains, nothing more;
a second run fetches only what changed; a killed crawl resumes without loss or duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from searchsvc.catalog import Catalog
from searchsvc.records import CANCELLED, FUTURE, HELD
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import crawl, write_config

SIZE = 0.04


@pytest.fixture
def site():
    with SampleSite(seed=3, size=SIZE) as s:
        yield s


def ground_truth(site):
    return {f"sample:meeting:{m.meeting_id}": m for m in site.meetings()}


def test_records_every_meeting_and_item_of_the_site(site, tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        report = crawl(site, catalog, tmp_path)
        truth = ground_truth(site)
        meetings = {m.id: m for m in catalog.meetings()}
        assert set(meetings) == set(truth)
        status = {"held": HELD, "cancelled": CANCELLED, "future": FUTURE}
        for rid, expected in truth.items():
            got = meetings[rid]
            assert got.start == expected.start, rid
            assert got.status == status[expected.status], rid
            items = [i for i, _ in catalog.items(meeting_id=rid)]
            want = site.items(expected.meeting_id)
            assert [i.item_id for i in items] == [str(w.item_id) for w in want], rid
            for got_item, want_item in zip(items, want):
                assert got_item.number == want_item.number
                assert got_item.title == want_item.title
                # Truncated minutes were completed from the item's mgAi page.
                assert got_item.minutes_paragraphs == want_item.minutes_paragraphs, got_item.id
                assert got_item.decision_paragraphs == want_item.decision_paragraphs, got_item.id
        assert any(w.truncated for m in truth.values() for w in site.items(m.meeting_id))
        assert report.items.new == sum(len(site.items(m.meeting_id)) for m in truth.values())
        assert report.errors == []
        assert catalog.integrity_ok()


def test_a_second_run_fetches_only_what_changed(site, tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path)
        site.reset_requests()
        second = crawl(site, catalog, tmp_path)
        assert second.crawl["pages_changed"] == 0
        assert second.items.new == second.items.changed == second.items.removed == 0
        assert second.items.unchanged > 0
        # Old meetings were not asked for again; recent lists and meetings answered 304.
        assert second.crawl["pages_fetched"] == 0
        assert second.crawl["pages_304"] > 0
        assert second.crawl["pages_304"] + second.crawl["pages_from_store"] >= first.crawl["pages_fetched"] // 2
        assert sum(site.requests.values()) < first.crawl["pages_fetched"]
        assert list(catalog.items(changed_after=first.batch)) == []


def test_changes_to_the_site_reach_the_catalog(site, tmp_path):
    held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
    recent = held[-1]
    today = recent.start.date() + timedelta(days=20)  # the meeting is within the look-back window
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path, today=today)
        edited = site.items(recent.meeting_id)[-1]
        removed = site.items(recent.meeting_id)[0]
        site.append_minutes(edited.item_id, "Councillor Reed asked about the new wording.")
        site.remove_item(removed.item_id)
        second = crawl(site, catalog, tmp_path, today=today)
        assert second.items.changed >= 1 and second.items.removed == 1
        assert catalog.item(f"sample:item:{removed.item_id}") is None
        item = catalog.item(f"sample:item:{edited.item_id}")
        assert item.minutes_paragraphs[-1] == "Councillor Reed asked about the new wording."
        changed = {i.id for i, _ in catalog.items(changed_after=first.batch)}
        assert f"sample:item:{edited.item_id}" in changed


def test_old_meetings_are_refreshed_by_a_full_run_only(site, tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        crawl(site, catalog, tmp_path)
        oldest = min((m for m in site.meetings() if m.status == "held" and m.minutes_published),
                     key=lambda m: m.start)
        item = site.items(oldest.meeting_id)[-1]
        site.append_minutes(item.item_id, "The Chair thanked officers for the correction.")
        nightly = crawl(site, catalog, tmp_path)
        assert nightly.items.changed == 0
        full = crawl(site, catalog, tmp_path, full=True)
        assert full.items.changed == 1
        got = catalog.item(f"sample:item:{item.item_id}")
        assert got.minutes_paragraphs[-1] == "The Chair thanked officers for the correction."


def test_a_full_run_walks_everything_again(site, tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path)
        again = crawl(site, catalog, tmp_path, full=True)
        assert again.crawl["pages_304"] >= first.crawl["pages_fetched"] - 5  # robots and 404s aside
        assert again.items.unchanged == first.items.new


def _snapshot(catalog: Catalog) -> dict[str, str]:
    return {r["id"]: r["hash"] for r in catalog.query("SELECT id, hash FROM items WHERE removed_batch IS NULL")}


def test_a_killed_crawl_resumes_without_losing_or_duplicating(site, tmp_path):
    clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
    with Catalog.in_dir(clean_dir) as catalog:
        crawl(site, catalog, clean_dir, today=date.today())  # the command below runs with today's date
        expected = _snapshot(catalog)
        pages = catalog.page_count()
    conf = write_config(tmp_path, site, data_dir=killed_dir, requests_per_second=150)

    cmd = [sys.executable, "-m", "searchsvc", "-q", "--config", str(conf), "crawl"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if (killed_dir / "catalog.sqlite").exists():
            with Catalog.in_dir(killed_dir) as c:
                stored = c.page_count()
            if stored >= pages // 2:
                break
    assert proc.poll() is None, "the crawl finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Catalog.in_dir(killed_dir) as catalog:
        assert catalog.integrity_ok()
        assert catalog.unfinished_batch("crawl", "sample") is not None
    site.reset_requests()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Catalog.in_dir(killed_dir) as catalog:
        assert catalog.integrity_ok()
        assert _snapshot(catalog) == expected
        assert catalog.unfinished_batch("crawl", "sample") is None
    # The resumed run did not fetch again what the killed run had stored.
    assert sum(site.requests.values()) < pages - stored // 2
