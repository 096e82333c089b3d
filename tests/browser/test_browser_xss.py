"""Injected markup never runs in a real browser: Chromium loads every page of an archive whose
titles, minutes, speaker, committee and council names (and the query) hold
``<img src=x onerror=window.__xss=1>``, ``<script>window.__xss=1</script>`` and an attribute
break-out (tests/hardening/hostile_archive.py), and ``window.__xss`` must stay undefined.

Each page is loaded twice: once with the site's Content-Security-Policy bypassed, so the test
proves the escaping on its own (with the CSP on, an escaping bug would be hidden: inline
handlers and scripts are blocked anyway), and once as served, CSP included. The payload must
also be visible as text, and no link may point at a ``javascript:``/``data:`` URL. The Atom
feed and the JSON answers are loaded too: a browser must not render them as HTML.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[dev]')")

from tests.hardening import hostile_archive as evil

pytestmark = pytest.mark.browser

SHOWN = {f"/items/evil:item:{evil.ITEM_IDS[1]}": evil.IMG, f"/search?q={evil.WORD}": evil.IMG,
         f"/meetings/evil:meeting:{evil.MEETING_ID}": evil.SCRIPT, "/status": evil.IMG,
         f"/committees/evil:committee:{evil.COMMITTEE_ID}": evil.SCRIPT}
OTHER = [f"/search.atom?q={evil.WORD}", f"/api/search?q={evil.WORD}", f"/api/items/evil:item:{evil.ITEM_IDS[0]}"]


@pytest.fixture(scope="module")
def evil_url(tmp_path_factory):
    from searchsvc.web import create_app
    from searchsvc.web.server import BackgroundServer

    data_dir = evil.build(tmp_path_factory.mktemp("evil-browser"))
    app = create_app(evil.config(data_dir), {"SEARCHSVC_DATA_DIR": str(data_dir)})
    with BackgroundServer(app) as url:
        yield url
    app.extensions["searchsvc"].close()


@pytest.mark.parametrize("csp", [False, True], ids=["escaping-alone", "with-csp"])
def test_no_injected_script_runs_on_any_page(browser, evil_url, csp):
    context = browser.new_context(base_url=evil_url, bypass_csp=not csp, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for url in evil.PAGES + evil.speaker_pages() + OTHER:
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status in (200, 400), (url, response and response.status)
            page.wait_for_timeout(50)  # let an onerror/onload fire if one was injected
            assert page.evaluate("typeof window.__xss") == "undefined", f"injected script ran on {url}"
            assert page.evaluate("document.querySelectorAll('img[onerror], svg[onload], [onload], [onerror]').length") == 0, url
            bad = page.evaluate("""() => [...document.querySelectorAll('[href], [src], [action]')]
                .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
                .map(u => new URL(u, document.baseURI).href).filter(u => !/^https?:/i.test(u))""")
            assert bad == [], (url, bad)
            if url.startswith("/api/") or url.endswith(".atom") or ".atom?" in url:
                assert page.evaluate("document.contentType") != "text/html", url
            if url in SHOWN:
                assert SHOWN[url] in page.locator("body").text_content(), f"{url} does not show the markup as text"
        assert not dialogs
    finally:
        context.close()


def test_the_query_box_and_the_error_page_keep_typed_markup_as_text(browser, evil_url):
    context = browser.new_context(base_url=evil_url, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Search council minutes").fill(evil.IMG + '"' + evil.SCRIPT)
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert re.search(r"could not be run|items? for", page.locator("main").inner_text())
        assert page.get_by_label("Search council minutes").input_value() == evil.IMG + '"' + evil.SCRIPT
    finally:
        context.close()
