"""Printed (PDF-only) minutes in real Chromium: found by speaker, opened, linked to their PDF page."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlencode

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[dev]')")

from playwright.sync_api import expect

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import crawl_source, fetch_settings, index_full
from searchsvc.sample import SampleSite
from searchsvc.sample.printed import is_scanned
from tests.jobs.sample_helpers import SAMPLE_TODAY, config_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory):
    """The sample council with a PDF-only committee, crawled (no OCR: the scan stays unread) and indexed."""
    from searchsvc.web import create_app
    from searchsvc.web.server import BackgroundServer

    data_dir = tmp_path_factory.mktemp("printed")
    with SampleSite(seed=9, size=0.05, printed=True) as site:
        config = config_for(site, data_dir)
        source = dataclasses.replace(config.sources[0], ocr=False)
        with Catalog.in_dir(data_dir) as catalog:
            crawl_source(catalog, config, source, load_taxonomy(config.topics_file), today=SAMPLE_TODAY,
                         fetcher=Fetcher(fetch_settings(config, [source])))
            index_full(catalog, data_dir, config)
        cid = next(c.committee_id for c in site.committees() if site.printed_only(c.committee_id))
        meeting = next(m for m in site.meetings(cid) if m.minutes_published and not is_scanned(site, m))
        item = next(t for t in site.items(meeting.meeting_id) if any(
            s.startswith("Councillor") for p in t.minutes for s in p.speakers))
        speaker = next(s for p in item.minutes for s in p.speakers if s.startswith("Councillor"))
        app = create_app(config, {"SEARCHSVC_DATA_DIR": str(data_dir)})
        with BackgroundServer(app) as url:
            yield url, f"{source.name}:item:{item.item_id}", speaker, meeting.committee_name
        app.extensions["searchsvc"].close()


def test_search_by_speaker_finds_pdf_minutes_and_links_to_the_pdf_page(browser, printed_site):
    url, item_id, speaker, committee = printed_site
    context = browser.new_context(base_url=url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/search?" + urlencode({"speaker": speaker, "committee": committee, "procedural": "show"}))
    link = page.locator(f'a[href*="/items/{item_id}"]').first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(re.escape(f"/items/{item_id}")))
    note = page.locator(".printed-source")
    expect(note).to_contain_text("printed minutes (PDF)")
    assert ".pdf" in note.get_by_role("link").get_attribute("href")
    pdf_link = page.locator(".passage .pdf-page").first
    expect(pdf_link).to_have_text(re.compile(r"PDF page \d+"))
    assert re.search(r"\.pdf(\?[^#]*)?#page=\d+$", pdf_link.get_attribute("href"))
    expect(page.locator(".passage-speakers", has_text=speaker).first).to_be_visible()
    assert not errors
    context.close()
