"""Fixtures for the web tests: a real small catalog + index, an app on it, a test client.

The archive (``sampledata.py``) is built once per session into a temporary
directory — the web layer only reads, so tests can share it — and each test gets
a fresh app, the Flask tutorial's ``app``/``client`` pair.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from searchsvc.web import create_app
from tests.web import sampledata


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sampledata.build(tmp_path_factory.mktemp("webdata"))


@pytest.fixture
def app(data_dir: Path):
    app = create_app(sampledata.config(data_dir), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    yield app
    app.extensions["searchsvc"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def empty_app(tmp_path: Path):
    """An app whose data directory has nothing in it yet (before the first crawl)."""
    app = create_app(sampledata.config(tmp_path), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(tmp_path)})
    yield app
    app.extensions["searchsvc"].close()
