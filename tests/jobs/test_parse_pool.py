"""Parsing in worker processes (``crawl.parse_workers``) writes the catalog one process writes:
the same rows, the same errors and log lines for pages that cannot be read, and a run killed
while its workers parse resumes to the same catalog, leaving no worker behind."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import parsepool
from searchsvc.jobs.crawl import reparse_source
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import REPO, SAMPLE_TODAY, config_for, crawl, write_config


@pytest.fixture
def site():
    with SampleSite(seed=3, size=0.04) as s:
        yield s


@pytest.fixture
def pool_for_any_size(monkeypatch):
    """The sample council has a few dozen meetings: below the size that starts workers."""
    monkeypatch.setattr(parsepool, "POOL_MIN_MEETINGS", 1)


def _rows(catalog: Catalog) -> dict[str, list[tuple]]:
    return {table: [tuple(r) for r in catalog.query(f"SELECT id, hash, data FROM {table} ORDER BY id")]
            for table in ("committees", "meetings", "items")}


def _reparse(catalog: Catalog, site, tmp_path: Path, workers: int):
    config = config_for(site, tmp_path)
    return reparse_source(catalog, config.sources[0], load_taxonomy(config.topics_file), today=SAMPLE_TODAY,
                          workers=workers)


def test_a_crawl_and_a_reparse_with_workers_write_the_catalog_one_process_writes(site, tmp_path, pool_for_any_size):
    one, two = tmp_path / "one", tmp_path / "two"
    with Catalog.in_dir(one) as alone, Catalog.in_dir(two) as pooled:
        by_one = crawl(site, alone, one, parse_workers=1)
        by_two = crawl(site, pooled, two, parse_workers=2)
        assert by_two.items.new == by_one.items.new > 0
        assert by_two.errors == by_one.errors
        assert _rows(pooled) == _rows(alone)
        again = _reparse(pooled, site, two, workers=2)
        assert again.items.unchanged == by_one.items.new
        assert again.items.new == again.items.changed == again.items.removed == 0
        assert _rows(pooled) == _rows(alone)


def _break(catalog: Catalog, kind: str, body: bytes, which: int) -> str:
    """Overwrite a stored page of ``kind`` (``which``: its place in URL order) with ``body``; its URL."""
    page = list(catalog.pages("sample", kind))[which]
    catalog.put_page(page.url, "sample", kind, 200, {}, body, hashlib.sha256(body).hexdigest(), None)
    return page.url


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_that_cannot_be_read_is_logged_and_skipped_with_or_without_workers(site, tmp_path, caplog, workers,
                                                                                 pool_for_any_size):
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path, parse_workers=1)
        meeting = _break(catalog, "meeting", b"<html><body><p>Service unavailable</p></body></html>", 0)
        attendance = _break(catalog, "attendance", b"\x00\x01 not a page", -1)
        with caplog.at_level(logging.WARNING):
            report = _reparse(catalog, site, tmp_path, workers)
    assert [e["url"] for e in report.errors] == [meeting]
    skipped = [r for r in caplog.records if r.getMessage().startswith("skipping") and meeting in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].name == "searchsvc.jobs.crawl"
    # A follow-up page that cannot be read is logged where it was read (a worker), shown here.
    assert any(attendance in r.getMessage() and r.name == "crawler.moderngov.assemble" for r in caplog.records)
    assert report.meetings.unchanged + report.meetings.changed == first.meetings.new - 1


def test_a_crawl_killed_while_workers_parse_resumes_and_leaves_no_worker(tmp_path):
    with SampleSite(seed=3, size=0.1) as site:
        clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
        with Catalog.in_dir(clean_dir) as catalog:
            crawl(site, catalog, clean_dir, today=SAMPLE_TODAY, parse_workers=1)
            expected = {r["id"]: r["hash"] for r in catalog.query("SELECT id, hash FROM items")}
            meetings = len(catalog.meetings())
        conf = write_config(tmp_path, site, data_dir=killed_dir, requests_per_second=0, parse_workers=2)
        # The command as an operator runs it, with workers started for any number of meetings.
        run = ("import sys; import searchsvc.jobs.parsepool as p; p.POOL_MIN_MEETINGS = 1; "
               "from searchsvc.cli import main; sys.argv[0] = 'searchsvc'; main()")
        cmd = [sys.executable, "-c", run, "-q", "--config", str(conf), "crawl"]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and not workers:
            time.sleep(0.05)
            if (killed_dir / "catalog.sqlite").exists():
                with Catalog.in_dir(killed_dir) as c:
                    parsed = len(c.meetings())
                if parsed >= 2:
                    workers = _children(proc.pid)
        assert proc.poll() is None and parsed < meetings, "the crawl finished before it could be killed"
        assert len(workers) >= 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a parse worker outlived the killed crawl"
        with Catalog.in_dir(killed_dir) as catalog:
            assert catalog.unfinished_batch("crawl", "sample") is not None
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        with Catalog.in_dir(killed_dir) as catalog:
            assert catalog.integrity_ok()
            assert {r["id"]: r["hash"] for r in catalog.query("SELECT id, hash FROM items")} == expected
            assert catalog.unfinished_batch("crawl", "sample") is None


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
