"""`searchsvc demo` leaves the Data page something to download."""

from __future__ import annotations

import socket
from pathlib import Path

from bs4 import BeautifulSoup

from searchsvc.config import load_config
from searchsvc.demo import run_demo
from searchsvc.web import create_app

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_demo_makes_an_export_the_data_page_offers(tmp_path):
    config = load_config(REPO / "config" / "searchsvc.toml", environ={}, data_dir=tmp_path / "indexes")
    said: list[str] = []
    run_demo(config, sample_port=_free_port(), size=0.02, port=None, serve=False, echo=said.append)
    (export,) = (tmp_path / "indexes" / "exports").glob("*.csv")
    assert f"export for the Data page: {export}" in said
    app = create_app(config, {"TESTING": True})
    page = BeautifulSoup(app.test_client().get("/export").get_data(as_text=True), "html.parser")
    assert page.select_one(f'.downloads a[href="/export/{export.name}"]')
    download = app.test_client().get(f"/export/{export.name}?for=excel")
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbfid,")
    app.extensions["searchsvc"].close()
