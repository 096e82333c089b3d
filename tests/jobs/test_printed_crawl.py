"""A committee whose minutes exist only as PDFs: crawled, read (one meeting by OCR), searchable by speaker."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

import pytest

from crawler.fetch import Fetcher
from crawler.printed.ocr import ocr_available
from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.jobs import crawl_source, fetch_settings, index_full
from searchsvc.sample import SampleSite
from searchsvc.sample.printed import is_scanned
from tests.jobs.sample_helpers import SAMPLE_TODAY, config_for


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=9, size=0.05, printed=True) as s:
        yield s


def printed_meetings(site):
    cid = next(c.committee_id for c in site.committees() if site.printed_only(c.committee_id))
    return cid, [m for m in site.meetings(cid) if m.minutes_published]


def crawl(site, data_dir, **source_changes):
    config = config_for(site, data_dir)
    source = dataclasses.replace(config.sources[0], **source_changes)
    catalog = Catalog.in_dir(data_dir)
    report = crawl_source(catalog, config, source, load_taxonomy(config.topics_file), today=SAMPLE_TODAY,
                          fetcher=Fetcher(fetch_settings(config, [source])))
    return catalog, report, source


def test_pdf_only_minutes_become_items_with_speakers_and_are_searchable(site, tmp_path):
    if not ocr_available():
        pytest.skip("tesseract-ocr is not installed (apt-get install tesseract-ocr): the scanned meeting is not read")
    cid, meetings = printed_meetings(site)
    assert len(meetings) >= 2 and any(is_scanned(site, m) for m in meetings)
    site.reset_requests()
    catalog, report, source = crawl(site, tmp_path, ocr=True)
    with catalog:
        assert report.errors == []
        pdfs = [unquote(path) for path in site.requests if ".pdf" in path]
        name = site.committee(cid).name
        # documents = false: only printed minutes, and only where the pages have no minutes (the HTML wins)
        assert len(pdfs) == len(meetings) and all("Printed minutes" in p and name in p for p in pdfs)
        for m in meetings:
            for truth in site.items(m.meeting_id):
                item = catalog.item(f"{source.name}:item:{truth.item_id}")
                if not truth.minutes:
                    continue
                assert item.minutes_pdf and ".pdf" in item.minutes_pdf
                assert all(p.page >= 1 for p in item.passages if p.section == "minutes")
                if is_scanned(site, m):
                    assert item.ocr_confidence > 50
                else:
                    assert item.minutes_paragraphs == truth.minutes_paragraphs and item.ocr_confidence == 0
        index_full(catalog, tmp_path, config_for(site, tmp_path))
    reader = IndexReader(IndexStore(tmp_path))
    for m in meetings:
        truth = next(t for t in site.items(m.meeting_id) if any(p.speakers for p in t.minutes))
        speaker = next(s for p in truth.minutes for s in p.speakers if s.startswith("Councillor"))
        found = reader.search(SearchRequest(speaker=(speaker,), committee=(m.committee_name,),
                                            include_procedural=True, per_page=100))
        assert f"{source.name}:item:{truth.item_id}" in {h.id for h in found.hits}, (speaker, m.meeting_id)


def test_html_minutes_win_and_the_setting_turns_printed_minutes_off(site, tmp_path):
    cid, meetings = printed_meetings(site)
    site.reset_requests()
    catalog, report, source = crawl(site, tmp_path / "off", printed_minutes=False)
    with catalog:
        assert not [path for path in site.requests if ".pdf" in path]
        truth = next(t for t in site.items(meetings[-1].meeting_id) if t.minutes)
        assert catalog.item(f"{source.name}:item:{truth.item_id}").minutes_paragraphs == ()
        other = next(m for m in site.meetings() if m.minutes_published and m.committee_id != cid)
        item = next(t for t in site.items(other.meeting_id) if t.minutes)
        assert catalog.item(f"{source.name}:item:{item.item_id}").minutes_pdf == ""


def test_web_service_mode_finds_the_printed_minutes_through_the_meeting_page(tmp_path):
    """GetMeeting carries no printed-minutes link: the meeting's HTML page is asked for it."""
    with SampleSite(seed=9, size=0.05, printed=True, webservice=True) as ws_site:
        cid, meetings = printed_meetings(ws_site)
        catalog, report, source = crawl(ws_site, tmp_path)
        with catalog:
            assert report.crawl["mode"] == "webservice" and report.errors == []
            read = [m for m in meetings if not is_scanned(ws_site, m)]
            assert read
            for m in read:
                truth = next(t for t in ws_site.items(m.meeting_id) if t.minutes)
                item = catalog.item(f"{source.name}:item:{truth.item_id}")
                assert item.minutes_paragraphs == truth.minutes_paragraphs and ".pdf" in item.minutes_pdf
        pages = [unquote(p) for p in ws_site.requests if "ieListDocuments" in p]
        assert len(pages) == len(meetings)  # only the printed committee's published meetings


def test_reparse_reads_the_stored_pdfs_again_without_the_network(site, tmp_path):
    from searchsvc.jobs import reparse_source

    cid, meetings = printed_meetings(site)
    catalog, report, source = crawl(site, tmp_path)
    with catalog:
        site.reset_requests()
        again = reparse_source(catalog, source, load_taxonomy(config_for(site, tmp_path).topics_file),
                               today=SAMPLE_TODAY)
        assert not site.requests
        assert again.errors == [] and again.items.changed == 0 and again.items.new == 0
        m = next(m for m in meetings if not is_scanned(site, m))
        truth = next(t for t in site.items(m.meeting_id) if t.minutes)
        assert catalog.item(f"{source.name}:item:{truth.item_id}").minutes_paragraphs == truth.minutes_paragraphs


def test_item_api_gives_the_printed_minutes_and_each_passage_s_pdf_page(site, tmp_path):
    """A program reading /api/items gets what the item page shows: the PDF and a deep link per passage."""
    from searchsvc.web import create_app

    cid, meetings = printed_meetings(site)
    text_meeting = next(m for m in meetings if not is_scanned(site, m))
    catalog, report, source = crawl(site, tmp_path)
    config = config_for(site, tmp_path)
    with catalog:
        index_full(catalog, tmp_path, config)
    truth = next(t for t in site.items(text_meeting.meeting_id) if t.minutes)
    app = create_app(config, {"TESTING": True})
    try:
        data = app.test_client().get(f"/api/items/{source.name}:item:{truth.item_id}").get_json()
    finally:
        app.extensions["searchsvc"].close()
    assert ".pdf" in data["minutes_pdf"] and data["ocr_confidence"] is None
    minutes = [p for p in data["passages"] if p["section"] == "minutes"]
    assert minutes and all(p["page"] >= 1 and p["pdf_url"] == f"{data['minutes_pdf']}#page={p['page']}"
                           for p in minutes)
