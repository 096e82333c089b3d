"""`searchsvc serve` with several worker processes, as a client meets it: one rate-limit budget for
the whole server, one /metrics for the whole server, a new index generation answered by every
worker, and the protections against hostile connections. Real processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import socket
import time
import urllib.request
from collections import Counter

from searchsvc.index import IndexStore
from tests.web import sampledata
from tests.web.served import (
    Connection,
    get,
    one_connection_per_worker,
    port_of,
    serving,
    time_left_in_the_minute,
    worker_of,
    write_config,
)

SEARCH = "/api/search?q=foster"


def test_the_budget_is_one_for_the_whole_server_not_one_per_worker(data_dir, tmp_path):
    conf = write_config(tmp_path / "c.toml", data_dir, rate_limit_per_minute=10)
    with serving(conf, workers=2) as url:
        conns = list(one_connection_per_worker(url, 2).values())
        time_left_in_the_minute()
        statuses = [get(conns[n % 2], SEARCH)[0] for n in range(16)]  # alternately through each worker
    assert statuses == [200] * 10 + [429] * 6, statuses


def test_connections_are_spread_evenly_over_the_workers(data_dir, tmp_path):
    """A kept-alive connection stays with the worker that accepted it; left to the kernel, eight
    connections often all went to one worker while the other core idled (web/balance.py)."""
    conf = write_config(tmp_path / "c.toml", data_dir)
    with serving(conf, workers=2) as url:
        conns = [Connection(port_of(url)) for _ in range(8)]
        pids = [worker_of(c)["process"] for c in conns]  # one after another, each held open
        assert sorted(Counter(pids).values()) == [4, 4], pids
        # A worker whose clients leave takes the next ones (once it has noticed them gone).
        emptied = pids[0]
        for conn, pid in zip(conns, pids):
            if pid == emptied:
                conn.close()
        time.sleep(1.0)  # the worker notices closed connections within a few hundredths of a second
        again = [worker_of(Connection(port_of(url)))["process"] for _ in range(3)]
        assert again == [emptied] * 3, (emptied, again)


def test_metrics_count_the_searches_of_every_worker(data_dir, tmp_path):
    conf = write_config(tmp_path / "c.toml", data_dir)
    with serving(conf, workers=2) as url:
        first, second = one_connection_per_worker(url, 2).values()
        for _ in range(3):
            assert get(first, SEARCH)[0] == 200
        for _ in range(4):
            assert get(second, SEARCH)[0] == 200
        assert get(second, "/api/search?q=%22unclosed")[0] == 400
        scrapes = [get(conn, "/metrics")[1].decode() for conn in (first, second)]
    for text in scrapes:  # whichever worker answers the scrape
        assert 'searchsvc_queries_total{path="/api/search",status="200"} 7.0' in text
        assert 'searchsvc_queries_total{path="/api/search",status="400"} 1.0' in text
        assert "searchsvc_query_duration_seconds_count 8.0" in text
        assert re.search(r"^searchsvc_documents \d", text, re.M)


def test_a_new_index_generation_is_answered_by_every_worker(tmp_path):
    data = tmp_path / "data"
    docs = sampledata.build_documents(data)
    conf = write_config(tmp_path / "c.toml", data)
    probe = "/api/search?procedural=show&per_page=1"
    with serving(conf, workers=2) as url:
        conns = one_connection_per_worker(url, 2)
        before = {worker_of(conn)["index_version"] for conn in conns.values()}
        assert {json.loads(get(conn, probe)[1])["total"] for conn in conns.values()} == {len(docs)}
        IndexStore(data).build_full(docs[1:], expected_count=len(docs) - 1)  # as `searchsvc index --full` does
        answered = {}
        for pid, conn in conns.items():
            for _ in range(200):  # the first request after the swap warms the new version, answering from the old
                version = worker_of(conn)["index_version"]
                if version not in before:
                    answered[pid] = (version, json.loads(get(conn, probe)[1])["total"])
                    break
                time.sleep(0.05)
        masters = {_parent(pid) for pid in conns}
        master_files = [link for master in masters for link in _open_files(master)]
    assert len(masters) == 1 and not [f for f in master_files if f.startswith(str(data))], master_files
    assert sorted(answered) == sorted(conns), f"workers still on the old generation: {set(conns) - set(answered)}"
    assert {total for _, total in answered.values()} == {len(docs) - 1}
    assert len({version for version, _ in answered.values()}) == 1


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def _open_files(pid: int) -> list[str]:
    """What the process has open (the server's master must hold nothing of the data directory)."""
    out = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed meanwhile
            pass
    return out


def test_silent_connections_do_not_shut_others_out(data_dir, tmp_path):
    """150 sockets that never send a byte: a worker thread must not wait seconds for each."""
    conf = write_config(tmp_path / "c.toml", data_dir)
    with serving(conf, workers=2, threads=2) as url:
        idle = []
        try:
            for _ in range(150):
                idle.append(socket.create_connection(("127.0.0.1", port_of(url)), timeout=5))
            time.sleep(0.5)
            with urllib.request.urlopen(f"{url}/healthz", timeout=10) as answer:
                assert answer.status == 200
                assert answer.headers["Server"] == "searchsvc"
        finally:
            for sock in idle:
                sock.close()


def test_hostile_requests_get_an_answer_not_a_hang(data_dir, tmp_path):
    conf = write_config(tmp_path / "c.toml", data_dir, max_body_bytes=1000)
    with serving(conf, workers=2) as url:
        answers = {
            "body": _raw(url, b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n"
                              b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + b"a" * 200_000),
            "url": _raw(url, b"GET /search?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
            "header": _raw(url, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20_000 + b"\r\n\r\n"),
            "headers": _raw(url, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
                            + b"\r\n"),
        }
        conn = Connection(port_of(url))
        assert get(conn, "/healthz")[0] == 200  # and the server still serves
    assert answers["body"].startswith(b"HTTP/1.1 413"), answers["body"][:200]
    assert answers["url"].startswith(b"HTTP/1.1 414"), answers["url"][:200]
    assert answers["header"].startswith(b"HTTP/1.1 431"), answers["header"][:200]
    assert answers["headers"].startswith(b"HTTP/1.1 431"), answers["headers"][:200]


def _raw(url: str, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=10) as sock:
        try:
            sock.sendall(request)
        except OSError:  # the server may already have answered and closed
            pass
        return sock.recv(65536)


def test_one_admin_job_at_a_time_across_workers(tmp_path):
    data = sampledata.build(tmp_path / "data")
    conf = write_config(tmp_path / "c.toml", data, admin_token="s3cret")
    with serving(conf, workers=2) as url:
        first, second = one_connection_per_worker(url, 2).values()
        ok = {"Authorization": "Bearer s3cret"}
        first.request("POST", "/admin/run/rebuild", headers=ok)
        started = first.getresponse()
        assert started.status == 202, started.read()[:300]
        pid = json.loads(started.read())["pid"]
        second.request("POST", "/admin/run/rebuild", headers=ok)
        refused = second.getresponse()
        body = refused.read().decode()
        deadline = time.monotonic() + 60
        while _alive(pid) and time.monotonic() < deadline:  # leave no job behind
            time.sleep(0.1)
    assert refused.status == 409 and f"pid {pid}" in body, body[:300]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_worker_that_ends_leaves_the_server_whole(data_dir, tmp_path):
    """A worker that exits (killed, recycled) is replaced, and the shared budget, metrics and the
    server's own process are untouched: a worker's exit must not run the master's clean-up."""
    conf = write_config(tmp_path / "c.toml", data_dir, rate_limit_per_minute=1000)
    with serving(conf, workers=2) as url:
        conns = one_connection_per_worker(url, 2)
        victim = next(iter(conns))
        os.kill(victim, 15)  # SIGTERM: gunicorn's worker ends as it does at every shutdown
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pids = {worker_of(Connection(port_of(url)))["process"] for _ in range(20)}
            if victim not in pids and len(pids) == 2:
                break
            time.sleep(0.2)
        assert victim not in pids and len(pids) == 2, pids  # replaced by a new worker
        fresh = {pid: c for pid, c in one_connection_per_worker(url, 2).items()}
        assert all(get(c, SEARCH)[0] == 200 for c in fresh.values())
        with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
            assert response.status == 200 and b"searchsvc_queries_total" in response.read()
