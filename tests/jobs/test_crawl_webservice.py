"""Crawling through ``mgWebService.asmx`` where it answers, and falling back to the HTML walk where
it does not: the sample council with its web service on, the saved Manchester responses replayed,
and services that answer 403, an HTML error page or broken XML."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from datetime import date, timedelta

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import crawl_source, fetch_settings, reparse_source
from searchsvc.records import CANCELLED, FUTURE, HELD, Source
from searchsvc.sample import SampleSite
from tests.conftest import REPO
from tests.jobs.sample_helpers import SAMPLE_TODAY, config_for, crawl
from tests.replay import ReplaySite, serve_replay

SIZE = 0.04


@pytest.fixture
def site():
    with SampleSite(seed=3, size=SIZE, webservice=True) as s:
        yield s


def pages_asked(site) -> Counter[str]:
    """Requests by page name ("GetMeeting", "ieListDocuments.aspx")."""
    return Counter(target.split("?")[0].rsplit("/", 1)[-1] for _, target, _ in site.request_log)


def item_ids(catalog: Catalog) -> list[str]:
    return sorted(r["id"] for r in catalog.query("SELECT id FROM items WHERE removed_batch IS NULL"))


def test_the_web_service_records_every_meeting_and_item_of_the_site(site, tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        report = crawl(site, catalog, tmp_path)
        assert report.crawl["mode"] == "webservice"
        asked = pages_asked(site)
        assert asked["GetCommittees"] == 1 and asked["GetMeeting"] == len(site.meetings())
        assert asked["GetMeetings"] > 0 and asked["mgCommitteeDetails.aspx"] == len(site.committees())
        assert not asked.keys() & {"ieListDocuments.aspx", "ieListMeetings.aspx", "mgAi.aspx",
                                   "mgMeetingAttendance.aspx", "mgCommitteeStructure.aspx"}
        assert any("sFromDate=01/01/2026&sToDate=31/12/2026" in t for _, t, _ in site.request_log)

        truth = {f"sample:meeting:{m.meeting_id}": m for m in site.meetings()}
        meetings = {m.id: m for m in catalog.meetings()}
        assert set(meetings) == set(truth)
        status = {"held": HELD, "cancelled": CANCELLED, "future": FUTURE}
        for rid, expected in truth.items():
            got = meetings[rid]
            assert (got.start, got.status) == (expected.start, status[expected.status]), rid
            assert (got.committee_id, got.committee_name) == (str(expected.committee_id), expected.committee_name)
            assert got.url == site.url(expected.url_path)  # the HTML page people open, as in HTML mode
            items = [i for i, _ in catalog.items(meeting_id=rid)]
            want = site.items(expected.meeting_id)
            assert [i.item_id for i in items] == [str(w.item_id) for w in want], rid
            for got_item, want_item in zip(items, want):
                assert (got_item.number, got_item.title) == (want_item.number, want_item.title)
                # GetMeeting holds the whole text: nothing truncated, no mgAi.aspx needed.
                assert got_item.minutes_paragraphs == want_item.minutes_paragraphs, got_item.id
                assert got_item.decision_paragraphs == want_item.decision_paragraphs, got_item.id
            assert len(got.attendance) == len(site.attendance(expected.meeting_id))
        assert any(w.truncated for m in truth.values() for w in site.items(m.meeting_id))
        assert report.items.new == sum(len(site.items(m.meeting_id)) for m in truth.values())
        assert report.errors == []
        assert catalog.committee(f"sample:committee:{site.committees()[0].committee_id}").members


def test_a_second_web_service_run_fetches_only_what_changed(site, tmp_path):
    recent = max((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
    today = recent.start.date() + timedelta(days=20)  # within the look-back window
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path, today=today)
        site.reset_requests()
        second = crawl(site, catalog, tmp_path, today=today)
        assert second.crawl["mode"] == "webservice"
        assert second.crawl["pages_fetched"] == second.crawl["pages_changed"] == 0
        assert second.items.new == second.items.changed == second.items.removed == 0
        # Old year windows and old meetings came from the store; recent ones answered 304.
        assert second.crawl["pages_304"] > 0
        assert sum(site.requests.values()) < first.crawl["pages_fetched"] // 3
        asked = pages_asked(site)
        assert 0 < asked["GetMeeting"] < len(site.meetings()) // 2

        edited = site.items(recent.meeting_id)[-1]
        site.append_minutes(edited.item_id, "Councillor Reed asked about the new wording.")
        third = crawl(site, catalog, tmp_path, today=today)
        assert third.crawl["pages_fetched"] == third.crawl["pages_changed"] == 1  # that meeting's GetMeeting
        assert (third.items.new, third.items.changed, third.items.removed) == (0, 1, 0)
        item = catalog.item(f"sample:item:{edited.item_id}")
        assert item.minutes_paragraphs[-1] == "Councillor Reed asked about the new wording."


def test_switching_the_web_service_on_keeps_every_record_id(tmp_path):
    with SampleSite(seed=3, size=SIZE, webservice=False) as site, Catalog.in_dir(tmp_path) as catalog:
        html = crawl(site, catalog, tmp_path)
        assert html.crawl["mode"] == "html" and html.crawl["mode_reason"] == "HTTP 404"
        assert html.errors == []  # the probe's 404 is an answer, not an error
        assert pages_asked(site)["ieListDocuments.aspx"] == len(site.meetings())
        before, meetings = item_ids(catalog), sorted(m.id for m in catalog.meetings())

        site.webservice = True  # the council switches its web service on
        site.reset_requests()
        ws = crawl(site, catalog, tmp_path, full=True)
        assert ws.crawl["mode"] == "webservice" and pages_asked(site)["ieListDocuments.aspx"] == 0
        assert ws.items.new == ws.items.removed == 0 and ws.meetings.new == 0
        assert item_ids(catalog) == before and sorted(m.id for m in catalog.meetings()) == meetings
        assert catalog.query("SELECT COUNT(*) FROM items")[0][0] == len(before)

        # Both kinds of stored page are there now; a re-parse reads one per meeting (the latest).
        again = reparse_source(catalog, config_for(site, tmp_path).sources[0],
                               load_taxonomy(REPO / "config" / "topics.toml"), today=SAMPLE_TODAY)
        assert again.errors == []
        assert again.items.new == again.items.changed == again.items.removed == 0
        assert again.items.unchanged == len(before) and item_ids(catalog) == before


def test_documents_linked_by_get_meeting_are_fetched_and_read(tmp_path):
    with SampleSite(seed=3, size=0.02, webservice=True) as site, Catalog.in_dir(tmp_path) as catalog:
        config = config_for(site, tmp_path)
        source = dataclasses.replace(config.sources[0], documents=True)
        report = crawl_source(catalog, config, source, load_taxonomy(config.topics_file), today=SAMPLE_TODAY,
                              fetcher=Fetcher(fetch_settings(config, [source])))
        assert report.crawl["mode"] == "webservice" and report.errors == []
        linked = sum(len(it.all_documents) for m in site.meetings() for it in site.items(m.meeting_id))
        assert linked and pages_asked(site)["mgConvert2PDF.aspx"] == linked
        (total, with_text), = catalog.query("SELECT COUNT(*), SUM(LENGTH(text) > 0) FROM documents")
        assert total == with_text == linked


class KilledAfter(Fetcher):
    """A fetcher whose process "dies" (KeyboardInterrupt, which no job catches) after ``n`` requests."""

    def __init__(self, settings, n: int):
        super().__init__(settings)
        self.left = n

    def get(self, url, **kwargs):
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt
        return super().get(url, **kwargs)


def test_a_killed_web_service_crawl_resumes_without_losing_or_duplicating(site, tmp_path):
    def snapshot(catalog):
        return {r["id"]: r["hash"] for r in catalog.query("SELECT id, hash FROM items WHERE removed_batch IS NULL")}

    with Catalog.in_dir(tmp_path / "clean") as catalog:
        clean = crawl(site, catalog, tmp_path / "clean")
        expected = snapshot(catalog)
    config = config_for(site, tmp_path)
    (source,) = config.sources
    taxonomy = load_taxonomy(config.topics_file)
    with Catalog.in_dir(tmp_path / "killed") as catalog:
        killed = KilledAfter(fetch_settings(config, [source]), clean.crawl["pages_fetched"] * 2 // 3)
        with pytest.raises(KeyboardInterrupt):
            crawl_source(catalog, config, source, taxonomy, today=SAMPLE_TODAY, fetcher=killed)
        stored = catalog.page_count()
        batch = catalog.unfinished_batch("crawl", "sample")
        assert batch is not None
        site.reset_requests()
        resumed = crawl_source(catalog, config, source, taxonomy, today=SAMPLE_TODAY,
                               fetcher=Fetcher(fetch_settings(config, [source])))
        assert resumed.crawl["mode"] == "webservice" and resumed.batch == batch
        assert snapshot(catalog) == expected and catalog.unfinished_batch("crawl", "sample") is None
        # What the killed run stored was not asked for again.
        assert resumed.crawl["pages_from_store"] >= stored - 1
        assert sum(site.requests.values()) <= clean.crawl["pages_fetched"] - stored + 2


# --- replayed responses ------------------------------------------------------------------

def crawl_replay(base_url: str, tmp_path, name: str, **source: object):
    config = parse_config({"crawl": {"requests_per_second": 0.0, "max_retries": 0}})
    src = Source(name, name.title(), "moderngov", base_url, allow_private=True, **source)
    catalog = Catalog.in_dir(tmp_path)
    taxonomy = load_taxonomy(REPO / "config" / "topics.toml")
    report = crawl_source(catalog, config, src, taxonomy, today=date(2026, 2, 6),
                          fetcher=Fetcher(fetch_settings(config, [src])))
    return catalog, report, src, taxonomy


def test_manchester_responses_land_in_the_catalog_with_their_committee(corpus, tmp_path):
    m = corpus / "manchester"
    site = ReplaySite()
    site.add("GetCommittees", (m / "GetCommittees_TRIMMED.xml").read_bytes())
    site.add("GetMeetings", (m / "GetMeetings_lCommitteeId144_TRIMMED.xml").read_bytes(), lCommitteeId="144")
    site.add("GetMeeting", (m / "GetMeeting_lMeetingId4966_cancelled_TRIMMED.xml").read_bytes(), lMeetingId="4966")
    site.add("GetMeeting", (m / "GetMeeting_lMeetingId4967_with_minutes_TRIMMED.xml").read_bytes(),
             lMeetingId="4967")
    for content in site.routes:
        content.content_type = "text/xml; charset=utf-8"
    with serve_replay(site) as base:
        catalog, report, source, taxonomy = crawl_replay(base, tmp_path, "manchester")
    assert report.crawl["mode"] == "webservice"
    # Expired committee 312 was left alone; 163's GetMeetings (and the committee pages) answer 404.
    assert not [p for p in site.log if "lCommitteeId=312" in p or "ieList" in p]
    assert any("GetMeetings?lCommitteeId=163" in e["url"] and "404" in e["error"] for e in report.errors)
    assert len([e for e in report.errors if "lCommitteeId=163" in e["url"]]) == 1  # skipped after one failure
    with catalog:
        for _ in range(2):  # the crawl, then a re-parse of what it stored
            cancelled = catalog.meeting("manchester:meeting:4966")
            assert cancelled.status == CANCELLED and cancelled.start.date() == date(2026, 1, 13)
            assert (cancelled.committee_id, cancelled.committee_name) == ("144", "Audit Committee")
            held = catalog.meeting("manchester:meeting:4967")
            assert held.status == HELD and (held.committee_id, held.committee_name) == ("144", "Audit Committee")
            assert held.url == base + "ieListDocuments.aspx?CId=144&MId=4967&Ver=4"
            items = [i for i, _ in catalog.items(meeting_id=held.id)]
            assert [(i.item_id, i.number, i.title) for i in items] == [("18831", "1.", "Minutes"),
                                                                     ("18833", "9.", "Work Programme")]
            assert items[1].minutes_paragraphs and items[1].passages
            committee = catalog.committee("manchester:committee:144")
            assert committee.name == "Audit Committee"
            assert committee.category == "Governance and Decision Making Committees"
            again = reparse_source(catalog, source, taxonomy, today=date(2026, 2, 6))
            assert again.errors == [] and again.items.unchanged == 2


def kingston_site(corpus) -> ReplaySite:
    k = corpus / "kingston"
    site = ReplaySite()
    site.add("mgCommitteeStructure.aspx", (k / "mgCommitteeStructure.html").read_bytes())
    site.add("mgCommitteeDetails.aspx", (k / "mgCommitteeDetails_ID711.html").read_bytes(), ID="711")
    site.add("ieListMeetings.aspx", (k / "ieListMeetings_CommitteeId711.html").read_bytes(), CId="711", Year="0")
    site.add("ieListDocuments.aspx", (k / "ieListDocuments_CId711_MId10221.html").read_bytes(), MId="10221")
    return site


ERROR_PAGE = (b"<!DOCTYPE html>\r\n<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' "
              b"Application.</h1><p>The web service is not available.</p></body></html>")


@pytest.mark.parametrize("status, body, reason", [
    (200, ERROR_PAGE, "HTML page"),
    (403, b"<html><body>Forbidden</body></html>", "HTTP 403"),
    (200, b'<?xml version="1.0" encoding="utf-8"?>\n<committees><committee><committeeid>711', "not well-formed"),
], ids=["html-error-page", "forbidden", "broken-xml"])
def test_a_web_service_that_is_off_falls_back_to_html(corpus, tmp_path, caplog, status, body, reason):
    site = kingston_site(corpus)
    site.add("GetCommittees", body, status=status)
    with caplog.at_level(logging.INFO, logger="crawler.moderngov.wscrawl"), serve_replay(site) as base:
        catalog, report, _, _ = crawl_replay(base, tmp_path, "kingston", committees=("711",))
    assert report.crawl["mode"] == "html" and reason in report.crawl["mode_reason"]
    notes = [r.getMessage() for r in caplog.records if "web service" in r.getMessage()]
    assert len(notes) == 1 and "walking the HTML pages" in notes[0] and reason in notes[0]
    assert not [e for e in report.errors if "mgWebService" in e["url"]]
    with catalog:
        assert len(list(catalog.items(meeting_id="kingston:meeting:10221"))) == 12
