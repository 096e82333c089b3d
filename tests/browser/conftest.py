"""Browser-test fixtures: the sample archive served on 127.0.0.1 (BackgroundServer), and Debian's Chromium.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium``
(apt package ``chromium``); when it is absent every test here is skipped with
that reason. axe-core comes from the npm registry into ``.cache/npm`` (see
``AXE_INSTALL``); the accessibility tests skip, saying how to install it, when
it is not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web import sampledata

REPO = Path(__file__).resolve().parents[2]

CHROMIUM = Path(os.environ.get("SEARCHSVC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = REPO / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "npm install --prefix .cache/npm axe-core@4"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[dev]')"
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    from searchsvc.web import create_app
    from searchsvc.web.server import BackgroundServer

    data_dir = sampledata.build(tmp_path_factory.mktemp("browserdata"))
    app = create_app(sampledata.config(data_dir), {"SEARCHSVC_DATA_DIR": str(data_dir)})
    with BackgroundServer(app) as url:
        yield url
    app.extensions["searchsvc"].close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def axe_path() -> Path:
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed at {AXE}: run `{AXE_INSTALL}` in the repository")
    return AXE
