"""The scheduled jobs against the sample council on 127.0.0.1: changes between runs reach the
index, unchanged items keep their batch, readers never see an error or an empty index, a killed
run leaves the live index serving, and concurrent writers never corrupt anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler

from searchsvc.catalog import Catalog
from searchsvc.config import load_config
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.sample import SampleSite
from searchsvc.schedule import build_scheduler, needs_catch_up, nightly_job, period, trigger
from tests.jobs.sample_helpers import write_config

SIZE = 0.04


@pytest.fixture
def site():
    with SampleSite(seed=5, size=SIZE) as s:
        yield s


def item_batches(config) -> dict[str, int]:
    with Catalog.in_dir(config.data_dir) as catalog:
        return {r["id"]: r["batch_changed"] for r in catalog.query("SELECT id, batch_changed FROM items")}


def search_ids(config, q: str) -> set[str]:
    reader = IndexReader(IndexStore(config.data_dir))
    return {h.id for h in reader.search(SearchRequest(q=q, include_procedural=True, per_page=100)).hits}


def test_the_scheduler_runs_a_catch_up_then_nightly_runs_pick_up_changes(site, tmp_path):
    config = load_config(write_config(tmp_path, site, requests_per_second=0, lookback_days=1000), environ={})
    scheduler = build_scheduler(config, scheduler_factory=BackgroundScheduler)
    assert {j.id for j in scheduler.get_jobs()} == {"nightly", "rebuild", "catch-up"}
    done = threading.Event()
    scheduler.add_listener(lambda event: done.set(), mask=EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        nightly = scheduler.get_job("nightly")
        assert nightly.coalesce and nightly.max_instances == 1
        assert nightly.misfire_grace_time == config["schedule.misfire_grace_seconds"]
        assert done.wait(120), "the catch-up run did not finish"
        store = IndexStore(config.data_dir)
        with Catalog.in_dir(config.data_dir) as catalog:
            indexed = catalog.counts()["items"]
            assert store.doc_count() == indexed > 0
        assert not needs_catch_up(config, datetime.now().astimezone())
        before = item_batches(config)

        # Change the site: a new meeting, an edited minute, a removed item.
        held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
        committee = held[-1].committee_id
        new_mid = site.add_meeting(committee, held[-1].start.replace(day=1, hour=10))
        edited = site.items(held[-1].meeting_id)[-1]
        removed = site.items(held[-2].meeting_id)[-1]  # the last: no other item changes position
        site.append_minutes(edited.item_id, "Councillor Quillfeather asked about zebracrossingwidth.")
        site.remove_item(removed.item_id)

        done.clear()
        scheduler.modify_job("nightly", next_run_time=datetime.now().astimezone())
        assert done.wait(120), "the nightly run did not finish"
    finally:
        scheduler.shutdown(wait=True)

    after = item_batches(config)
    new_items = {f"sample:item:{i.item_id}" for i in site.items(new_mid)}
    assert new_items and new_items <= set(after)
    assert search_ids(config, "zebracrossingwidth") == {f"sample:item:{edited.item_id}"}
    assert f"sample:item:{removed.item_id}" not in search_ids(config, f'"{removed.title}"')
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed == {f"sample:item:{edited.item_id}", f"sample:item:{removed.item_id}"}
    with Catalog.in_dir(config.data_dir) as catalog:
        assert IndexStore(config.data_dir).doc_count() == catalog.counts()["items"]
        runs = catalog.runs(job="nightly")
        assert [r.status for r in runs] == ["ok", "ok"]


def test_a_nightly_run_over_an_unchanged_site_changes_no_batch(site, tmp_path):
    config = load_config(write_config(tmp_path, site, requests_per_second=0, lookback_days=1000), environ={})
    assert nightly_job(config) == "ok"
    before = item_batches(config)
    assert nightly_job(config) == "ok"
    assert item_batches(config) == before


def test_readers_keep_answering_during_runs(site, tmp_path):
    config = load_config(write_config(tmp_path, site, requests_per_second=0, lookback_days=1000), environ={})
    assert nightly_job(config) == "ok"
    reader = IndexReader(IndexStore(config.data_dir))
    expected = reader.search(SearchRequest(q="council", per_page=1)).total
    assert expected > 0
    stop, seen, errors = threading.Event(), [], []

    def loop() -> None:
        while not stop.is_set():
            try:
                seen.append(reader.search(SearchRequest(q="council", per_page=1, facets=True)).total)
            except Exception as e:  # noqa: BLE001 - the assertion below reports it
                errors.append(repr(e))

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        site.append_minutes(site.items(site.meetings()[-1].meeting_id)[-1].item_id, "The council noted it.")
        assert nightly_job(config) == "ok"
        from searchsvc.schedule import rebuild_job

        assert rebuild_job(config) == "ok"
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert len(seen) > 10 and min(seen) >= expected


def test_a_killed_run_leaves_the_live_index_serving_and_the_next_run_completes(site, tmp_path):
    conf = write_config(tmp_path, site, requests_per_second=0, lookback_days=1000)
    config = load_config(conf, environ={})
    assert nightly_job(config) == "ok"
    generation = IndexStore(config.data_dir).current_generation()
    count = IndexStore(config.data_dir).doc_count()
    cmd = [sys.executable, "-m", "searchsvc", "-q", "--config", str(conf), "schedule", "--once", "rebuild"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    building = config.data_dir / "whoosh"
    deadline = time.monotonic() + 30
    caught = False
    while time.monotonic() < deadline and proc.poll() is None and not caught:
        caught = building.is_dir() and any(p.name.endswith(".building") for p in building.iterdir())
        time.sleep(0.005)
    assert caught, "the rebuild finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = IndexStore(config.data_dir)
    assert store.current_generation() == generation and store.doc_count() == count
    assert search_ids(config, "council")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert IndexStore(config.data_dir).current_generation() != generation
    assert IndexStore(config.data_dir).doc_count() == count


def test_concurrent_writers_take_turns(site, tmp_path):
    conf = write_config(tmp_path, site, requests_per_second=0, lookback_days=1000)
    config = load_config(conf, environ={})
    assert nightly_job(config) == "ok"
    site.append_minutes(site.items(site.meetings()[-1].meeting_id)[-1].item_id, "The council noted it again.")
    cmds = [[sys.executable, "-m", "searchsvc", "-q", "--config", str(conf), "crawl", "--index", "--wait", "120"],
            [sys.executable, "-m", "searchsvc", "-q", "--config", str(conf), "index", "--full", "--wait", "120"],
            [sys.executable, "-m", "searchsvc", "-q", "--config", str(conf), "schedule", "--once", "nightly"]]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    results = [p.communicate(timeout=180) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], [r[1] for r in results]
    with Catalog.in_dir(config.data_dir) as catalog:
        assert catalog.integrity_ok()
        assert IndexStore(config.data_dir).doc_count() == catalog.counts()["items"]


def test_catch_up_period_follows_the_cron_expression(tmp_path, site):
    config = load_config(write_config(tmp_path, site, requests_per_second=0, lookback_days=1000), environ={})
    now = datetime(2026, 3, 3, 12, 0).astimezone()
    assert period(trigger(config, "nightly"), now).days == 1
    assert period(trigger(config, "rebuild"), now).days == 7
    assert needs_catch_up(config, now)  # never ran


def test_the_nightly_job_refreshes_the_export_file(site, tmp_path):
    import sqlite3

    target = tmp_path / "public" / "archive.sqlite"
    target.parent.mkdir()
    config = load_config(write_config(tmp_path, site, export_path=target, requests_per_second=0), environ={})
    assert nightly_job(config) == "ok"
    db = sqlite3.connect(target)
    with Catalog.in_dir(config.data_dir) as catalog:
        assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == catalog.counts()["items"] > 0
    db.close()
