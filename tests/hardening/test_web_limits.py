"""Issue 18, items 5, 9 and 10: what a client could do to the server itself — fill its disk with a
request body, crash a CSV download with a Welsh letter, hold every connection, queue rebuilds,
put its own host into our links — against the real servers on 127.0.0.1: `searchsvc serve` (worker
processes) and the in-thread server of the browser tests."""

from __future__ import annotations

import socket
import time
import urllib.request

import pytest

from searchsvc.export import csv_cell
from searchsvc.web import create_app
from searchsvc.web.server import BackgroundServer
from tests.hardening import hostile_archive as evil
from tests.web.served import serving, write_config


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return evil.build(tmp_path_factory.mktemp("web-limits") / "data")


@pytest.fixture(scope="module", params=["workers", "thread"])
def served(request, data_dir):
    if request.param == "workers":
        with serving(write_config(data_dir.parent / "serve.toml", data_dir), workers=2) as url:
            yield url
        return
    app = create_app(evil.config(data_dir), {"SEARCHSVC_DATA_DIR": str(data_dir)})
    with BackgroundServer(app) as url:
        yield url
    app.extensions["searchsvc"].close()


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def raw(url: str, request: bytes, *, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", _port(url)), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_huge_request_body_is_refused_before_it_is_stored(served):
    """The server used to spool up to 1 GiB per request into temporary files before answering."""
    head = (b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 300000000\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", _port(served)), timeout=10) as sock:
        sock.sendall(head)
        try:
            sock.sendall(b"a" * 200_000)  # more than web.max_body_bytes, far less than declared
        except OSError:  # the server may already have answered and closed
            pass
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_an_oversized_form_is_a_413_from_the_app_too(data_dir):
    app = create_app(evil.config(data_dir, max_body_bytes=1000, admin_token="t0ken"), {"TESTING": True})
    answer = app.test_client().post("/admin/run/nightly", data=b"x" * 5000,
                                    headers={"Authorization": "Bearer t0ken", "Content-Type": "text/plain"})
    assert answer.status_code == 413


def test_a_welsh_query_downloads_as_csv_with_our_headers(served):
    with urllib.request.urlopen(f"{served}/search.csv?q=cyngor%20%C5%B5", timeout=20) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/csv")
        assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
        disposition = answer.headers["Content-Disposition"]
    assert 'filename="search-cyngor' in disposition and "filename*=UTF-8''search-cyngor-%C5%B5.csv" in disposition
    with urllib.request.urlopen(f"{served}/metrics", timeout=20) as answer:
        metrics = answer.read().decode()
    assert 'searchsvc_queries_total{path="/search.csv",status="200"}' in metrics


def test_idle_connections_do_not_shut_others_out(served):
    idle = []
    try:
        for _ in range(150):  # the old server's default limit was 100, each idle one kept for 120 s
            idle.append(socket.create_connection(("127.0.0.1", _port(served)), timeout=5))
        time.sleep(0.5)
        with urllib.request.urlopen(f"{served}/healthz", timeout=10) as answer:
            assert answer.status == 200
    finally:
        for sock in idle:
            sock.close()


# --- admin -------------------------------------------------------------------------------------

@pytest.fixture
def admin(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\ndata_dir = "{data}"\n[web]\nadmin_token = "s3cret"\n')
    from searchsvc.config import load_config

    app = create_app(load_config(conf, environ={}), {"TESTING": True})
    return app.test_client()


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def test_admin_jobs_run_one_at_a_time_and_are_reaped(admin):
    ok = {"Authorization": "Bearer s3cret"}
    first = admin.post("/admin/run/rebuild", headers=ok)
    assert first.status_code == 202
    second = admin.post("/admin/run/rebuild", headers=ok)
    assert second.status_code == 409 and "still running" in second.get_data(as_text=True)
    pid = first.get_json()["pid"]
    deadline = time.monotonic() + 60
    while _state(pid) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the reaper thread waits for it
    assert _state(pid) == "gone", "a finished admin job is left as a zombie"
    assert admin.post("/admin/run/rebuild", headers=ok).status_code == 202  # free again once it finished


@pytest.mark.parametrize("header", ["s3cret", "Token s3cret", "bearer s3cret"])
def test_the_token_counts_only_after_bearer(admin, header):
    assert admin.post("/admin/run/no-such-job", headers={"Authorization": header}).status_code == 401


# --- absolute URLs and CSV ---------------------------------------------------------------------

def test_absolute_links_use_the_public_base_url_not_the_host_header(data_dir):
    app = create_app(evil.config(data_dir, public_base_url="https://minutes.example.org/"), {"TESTING": True})
    web = app.test_client()
    headers = {"Host": "attacker.example"}
    for path in ("/opensearch.xml", f"/search.atom?q={evil.WORD}", f"/api/search?q={evil.WORD}", "/api"):
        body = web.get(path, headers=headers).get_data(as_text=True)
        assert "attacker.example" not in body, path
        assert "https://minutes.example.org/" in body, path


@pytest.mark.parametrize("text", [" =HYPERLINK(\"http://x\")", "  +1", "\u00a0-2", " @SUM(A1)"])
def test_blanks_before_a_formula_do_not_get_it_past_the_guard(text):
    assert csv_cell(text) == "'" + text
