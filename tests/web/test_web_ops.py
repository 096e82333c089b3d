"""Operations endpoints: /status, /healthz, /metrics, /export and the token-guarded admin trigger."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from searchsvc.catalog import Catalog
from searchsvc.web import create_app
from tests.web import sampledata


def test_status_json_has_sources_runs_and_index(client):
    data = client.get("/api/status").get_json()
    assert data["ok"] is True
    assert data["index"]["documents"] == 23 and data["index"]["generation"]
    (source,) = [s for s in data["sources"] if s["name"] == "kingston"]
    # The catalog also holds the agenda (3 items) of the meeting not yet held.
    assert source["items"] == 23 + 3 and source["earliest"] <= source["latest"]
    assert data["runs"][0]["job"] == "crawl" and data["runs"][0]["status"] == "ok"


def test_status_alerts_after_three_failed_runs_of_a_source(tmp_path):
    sampledata.build(tmp_path)
    with Catalog.in_dir(tmp_path) as catalog:
        for _ in range(3):
            run = catalog.start_run("nightly")
            catalog.finish_run(run, "failed", {"sources": {}}, [{"source": "kingston", "error": "HTTP 503"}])
    app = create_app(sampledata.config(tmp_path), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(tmp_path)})
    html = app.test_client().get("/status").get_data(as_text=True)
    assert 'role="alert"' in html and "Royal Borough of Kingston upon Thames: the last 3 runs failed" in html
    assert app.test_client().get("/api/status").get_json()["sources"][0]["alert"] is True


def test_healthz_reports_the_index_and_the_age_of_the_last_success(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["index"]["documents"] == 23
    assert body["last_success"] and 0 <= body["last_success_age_seconds"] < 3600


def test_healthz_is_503_without_an_index(empty_app):
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["ok"] is False


def test_metrics_in_prometheus_text_format(client):
    client.get("/search?q=budget")
    client.get("/api/search?q=%22unclosed")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'searchsvc_queries_total{path="/search",status="200"} 1.0' in text
    assert 'searchsvc_queries_total{path="/api/search",status="400"} 1.0' in text
    assert "searchsvc_documents 23" in text
    assert 'searchsvc_runs_recent{job="crawl",status="ok"} 1' in text
    count = re.search(r"searchsvc_query_duration_seconds_count (\d+)", text)
    assert count and int(count.group(1)) == 2
    for line in text.splitlines():
        assert line.startswith("#") or re.match(r"^searchsvc_[a-z_]+(\{[^}]*\})? [0-9.e+-]+$", line), line


def test_exports_are_listed_and_downloadable(data_dir, client):
    exports = data_dir / "exports"
    exports.mkdir(exist_ok=True)
    (exports / "searchsvc-2026-01-01.csv").write_text("id,title\n1,x\n")
    (exports / "searchsvc-2026-01-02.csv.123.tmp").write_text("partial")
    listed = client.get("/api/export").get_json()["exports"]
    assert [f["name"] for f in listed] == ["searchsvc-2026-01-01.csv"]
    assert client.get(listed[0]["url"]).get_data(as_text=True) == "id,title\n1,x\n"
    assert client.get("/export/searchsvc-2026-01-02.csv.123.tmp").status_code == 404
    assert client.get("/export/..%2fcatalog.sqlite").status_code == 404
    assert "searchsvc-2026-01-01.csv" in client.get("/export").get_data(as_text=True)


def test_admin_actions_are_off_without_a_token(client):
    response = client.post("/admin/run/nightly", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404 and "disabled" in response.get_data(as_text=True)


@pytest.fixture
def admin_client(tmp_path):
    data_dir = sampledata.build(tmp_path)  # its own: the triggered job writes
    config = sampledata.config(data_dir)
    config = dataclasses.replace(config, values={**config.values, "web.admin_token": "s3cret-token"}, sources=())
    app = create_app(config, {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    yield app.test_client()
    app.extensions["searchsvc"].close()


def test_admin_actions_need_the_token(admin_client):
    assert admin_client.post("/admin/run/nightly").status_code == 401
    assert admin_client.post("/admin/run/nightly", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert admin_client.get("/admin/run/nightly").status_code == 405
    ok = {"Authorization": "Bearer s3cret-token"}
    assert admin_client.post("/admin/run/everything", headers=ok).status_code == 404


def test_admin_trigger_starts_the_job_in_its_own_process(admin_client, tmp_path):
    data_dir = tmp_path
    with Catalog.in_dir(data_dir) as catalog:
        before = len(catalog.runs(limit=100))
    response = admin_client.post("/admin/run/nightly", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 202
    assert response.get_json()["job"] == "nightly" and response.get_json()["pid"] > 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with Catalog.in_dir(data_dir) as catalog:
            runs = catalog.runs(limit=100)
        if len(runs) > before and runs[0].finished_at:
            break
        time.sleep(0.1)
    assert runs[0].job == "nightly" and runs[0].status == "ok"


def test_status_page_shows_item_counts_and_the_councils_name(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/status").get_data(as_text=True), "html.parser")
    table = page.find(id="sources-heading").find_next("table")
    headers = [th.get_text() for th in table.select("thead th")]
    row = table.select_one("tbody tr")
    cells = dict(zip(headers, [row.th.get_text(" ", strip=True)] + [td.get_text() for td in row.find_all("td")]))
    assert cells["Council"] == "Royal Borough of Kingston upon Thames (kingston)"
    assert cells["Items"] == "26" and cells["Meetings"] == "8"
    assert "built-in method" not in page.get_text()
