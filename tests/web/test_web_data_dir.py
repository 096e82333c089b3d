"""The data directory is absolute from configuration on, and the Data page's downloads work from it."""

from __future__ import annotations

import shutil
from pathlib import Path

from searchsvc.config import load_config
from searchsvc.web import create_app


def test_a_relative_data_dir_is_resolved_once_when_configured(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={}, data_dir="indexes")
    assert config.data_dir == tmp_path.resolve() / "indexes"
    monkeypatch.chdir("/")  # later changes of directory do not move it
    assert config.data_dir == tmp_path.resolve() / "indexes"


def test_export_download_works_with_a_relative_data_dir(data_dir, tmp_path, monkeypatch):
    shutil.copytree(data_dir, tmp_path / "indexes")
    (tmp_path / "indexes" / "exports").mkdir(exist_ok=True)
    (tmp_path / "indexes" / "exports" / "searchsvc-2026-01-01.csv").write_text("id,speaker\n1,José\n",
                                                                               encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    app = create_app(load_config(environ={}, data_dir="indexes"), {"TESTING": True})
    client = app.test_client()
    response = client.get("/export/searchsvc-2026-01-01.csv")
    assert response.status_code == 200 and response.data == "id,speaker\n1,José\n".encode("utf-8")
    excel = client.get("/export/searchsvc-2026-01-01.csv?for=excel")
    assert excel.status_code == 200 and excel.data == "\ufeffid,speaker\n1,José\n".encode("utf-8")
    assert 'filename="searchsvc-2026-01-01-excel.csv"' in excel.headers["Content-Disposition"]
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/export").get_data(as_text=True), "html.parser")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".downloads a")}
    assert links["searchsvc-2026-01-01.csv"] == "/export/searchsvc-2026-01-01.csv"
    assert links["CSV for Excel : searchsvc-2026-01-01.csv"] == "/export/searchsvc-2026-01-01.csv?for=excel"
    app.extensions["searchsvc"].close()


def test_a_relative_data_dir_without_an_index_is_named_in_full(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "indexes").mkdir()
    app = create_app(load_config(environ={}, data_dir="indexes"), {"TESTING": True})
    response = app.test_client().get("/api/search?q=x")
    assert response.status_code == 503
    # The operator's log names the folder in full; the visitor is not shown the server's disk (issue 18).
    full = str(Path(tmp_path).resolve() / "indexes")
    assert f"in {full}" in caplog.text
    assert str(tmp_path) not in response.get_json()["error"] and "…/whoosh" in response.get_json()["error"]
