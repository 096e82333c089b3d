"""Cached whole answers of repeated searches (searchsvc/web/responsecache.py): what a client could
notice if the cache were wrong — someone else's host in links, a budget not spent, an answer from
an index that has since been replaced, here or in another worker."""

from __future__ import annotations

import dataclasses
import time

from searchsvc.index import IndexStore
from searchsvc.web import create_app
from searchsvc.web.server import RunDir
from tests.web import sampledata
from tests.web.served import time_left_in_the_minute


def _app(data_dir, run_dir=None, **web):
    config = sampledata.config(data_dir)
    if web:
        config = dataclasses.replace(config, values={**config.values, **{f"web.{k}": v for k, v in web.items()}})
    return create_app(config, {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)}, run_dir=run_dir)


def test_each_host_gets_its_own_links(data_dir):
    web = _app(data_dir).test_client()
    for _ in range(2):
        for host in ("a.example", "b.example"):
            body = web.get("/api/search?q=foster", headers={"Host": host}).get_data(as_text=True)
            assert f"http://{host}/items/" in body
            assert "a.example" not in body or host == "a.example"


def test_a_cached_answer_still_spends_the_budget(data_dir):
    web = _app(data_dir, rate_limit_per_minute=3).test_client()
    time_left_in_the_minute()
    statuses = [web.get("/api/search?q=foster").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert web.get("/api/search?q=foster").headers["Retry-After"]


def test_cached_answers_keep_the_security_headers(data_dir):
    web = _app(data_dir).test_client()
    first, second = (web.get("/search?q=budget") for _ in range(2))
    assert first.get_data() == second.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_new_generation_is_never_answered_from_the_cache_of_any_worker(tmp_path):
    data = tmp_path / "data"
    docs = sampledata.build_documents(data)
    run = RunDir()
    try:
        workers = [_app(data, run.path).test_client() for _ in range(2)]  # two workers of one server
        probe = "/api/search?procedural=show&per_page=1"
        assert [w.get(probe).get_json()["total"] for w in workers] == [len(docs)] * 2
        IndexStore(data).build_full(docs[1:], expected_count=len(docs) - 1)
        totals = set()
        for worker in workers:
            deadline = time.monotonic() + 20  # the first request after the swap starts warming the new version
            while True:
                total = worker.get(probe).get_json()["total"]
                if total != len(docs) or time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            totals.add(total)
        assert totals == {len(docs) - 1}
    finally:
        run.remove()


def test_workers_share_answers_through_the_run_directory(data_dir):
    run = RunDir()
    try:
        first, second = (_app(data_dir, run.path).test_client() for _ in range(2))
        answer = first.get("/api/search?q=foster&per_page=2")
        assert list((run.path / "responses").iterdir()), "no answer was shared"
        assert second.get("/api/search?q=foster&per_page=2").get_data() == answer.get_data()
        assert second.get("/api/search?q=%22unclosed").status_code == 400  # errors are not cached
        assert len(list((run.path / "responses").iterdir())) == 1
    finally:
        run.remove()
