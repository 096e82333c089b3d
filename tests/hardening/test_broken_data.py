"""Issue 18, item 11 (and the path-disclosure part of item 10): a broken index or catalog is said
to be broken — `searchsvc status` exits non-zero, searches answer 503, /healthz is unhealthy —
and no answer shows where the server keeps its files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchsvc.web import create_app
from tests.hardening import hostile_archive
from tests.hardening.kit import cli, run


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return hostile_archive.build(tmp_path_factory.mktemp("archive") / "data")


@pytest.fixture
def data(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "data"))


def client(data: Path):
    return create_app(hostile_archive.config(data), {"TESTING": True}).test_client()


def status_cli(data: Path, tmp_path: Path):
    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\ndata_dir = "{data}"\n')
    return run(cli(conf, "status"), timeout=60)


def corrupt_current(data: Path) -> None:
    (data / "whoosh" / "CURRENT").write_bytes(b"\x00garbage/../..")


def remove_a_segment(data: Path) -> None:
    generation = next(p for p in (data / "whoosh").iterdir() if p.is_dir())
    segments = [p for p in generation.iterdir() if p.suffix == ".seg" or "_" in p.name and not p.name.endswith(".toc")]
    assert segments, sorted(p.name for p in generation.iterdir())
    for segment in segments:
        segment.unlink()


@pytest.mark.parametrize("damage", [corrupt_current, remove_a_segment])
def test_a_broken_index_is_a_503_and_a_failing_status(data, tmp_path, damage):
    damage(data)
    web = client(data)
    for path in ("/search?q=council", "/api/search?q=council", "/search.csv?q=council", "/search.atom?q=council"):
        answer = web.get(path)
        assert answer.status_code == 503, (path, answer.status_code)
        assert str(data) not in answer.get_data(as_text=True)
    health = web.get("/healthz")
    assert health.status_code == 503 and not health.get_json()["ok"]
    done = status_cli(data, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "index" in done.stderr and "error" in done.stderr


def test_a_corrupt_catalog_fails_health_and_status(data, tmp_path):
    catalog = data / "catalog.sqlite"
    catalog.write_bytes(b"this is not a database" * 100)
    health = client(data).get("/healthz")
    assert health.status_code == 503 and "catalog" in " ".join(health.get_json()["problems"])
    done = status_cli(data, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "catalog" in done.stderr


def test_an_empty_index_over_a_full_catalog_is_unhealthy(data):
    from searchsvc.index import IndexStore

    IndexStore(data).build_full(iter(()), expected_count=0)
    health = client(data).get("/healthz")
    assert health.status_code == 503, health.get_json()
    assert health.get_json()["index"]["documents"] == 0


def test_a_healthy_archive_is_healthy(data, tmp_path):
    assert client(data).get("/healthz").status_code == 200
    assert status_cli(data, tmp_path).returncode == 0


def test_status_and_errors_never_show_server_paths(data):
    web = client(data)
    for path in ("/api/status", "/status", "/healthz"):
        assert str(data) not in web.get(path).get_data(as_text=True), path
    corrupt_current(data)
    for path in ("/search?q=council", "/api/search?q=council", "/api/status", "/status"):
        body = web.get(path).get_data(as_text=True)
        assert str(data) not in body and str(data.parent) not in body, path
