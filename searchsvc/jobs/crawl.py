"""Crawling and parsing one source: the adapter walks, the catalog stores, enrichment attributes.

This module knows no committee system: the source's ``kind`` names an adapter
(:mod:`crawler.registry`) that walks the site into the page store and reads records back from
stored pages; here they are enriched and upserted. A crawl and the parse that follows it share
one batch, so every record it changes is marked with the run that changed it; a killed crawl's
batch is resumed by the next one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import pickle
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Iterator, Mapping

from crawler.adapters import MeetingRecords, SourceReader
from crawler.fetch import Fetcher, FetchSettings, Response
from crawler.limits import CrawlLimits, duplicate_ids
from crawler.pdf import pdf_text
from crawler.registry import adapter_for
from crawler.urls import host_of
from crawler.verdict import judge_source_run
from crawler.walk import CrawlPlan, CrawlStats, SourcePages, StoredCopy, Walk
from searchsvc.catalog import Catalog, StoredPage, UpsertCounts
from searchsvc.config import Config, cores
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import Taxonomy
from searchsvc.errors import ParseError
from searchsvc.jobnames import CRAWL, REPARSE
from searchsvc.jobs import parsepool
from searchsvc.records import Committee, Document, Meeting, Member, Source

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def crawl_limits(config: Config) -> CrawlLimits:
    """The per-source run bounds every adapter's walk applies (:mod:`crawler.limits`)."""
    return CrawlLimits(max_html_bytes=config["crawl.max_html_bytes"],
                       max_meetings=config["crawl.max_meetings_per_source"],
                       time_budget=config["crawl.source_time_budget"])


def fetch_settings(config: Config, sources: Iterable[Source]) -> FetchSettings:
    sources = list(sources)
    return FetchSettings(
        user_agent=config["crawl.user_agent"],
        requests_per_second=config["crawl.requests_per_second"],
        timeout=config["crawl.timeout_seconds"],
        max_retries=config["crawl.max_retries"],
        max_bytes=config["crawl.max_page_bytes"],
        max_crawl_delay=config["crawl.max_crawl_delay"],
        allowed_hosts=frozenset(host_of(s.base_url) for s in sources),
        allow_private=frozenset(host_of(s.base_url) for s in sources if s.allow_private),
    )


class CatalogPageStore:
    """The catalog's raw store for one source: written by a walk in one batch, read by an adapter."""

    def __init__(self, catalog: Catalog, source: str, batch: int | None = None,
                 parsed: Mapping[str, Any] | None = None):
        self.catalog, self.source, self.batch = catalog, source, batch
        self._parsed = dict(parsed or {})

    # --- what a walk needs (crawler.walk.PageStore) ---

    def get(self, url: str) -> StoredCopy | None:
        page = self.catalog.page(url)
        if page is None or page.status >= 400:
            return None
        return StoredCopy(page.body, page.etag, page.last_modified, page.fetch_batch == self.batch,
                          page.change_batch == self.batch)

    def save(self, url: str, kind: str, response: Response) -> bool:
        return self.catalog.put_page(url, self.source, kind, response.status, response.headers, response.body,
                                     hashlib.sha256(response.body).hexdigest(), self.batch)

    def touch(self, url: str) -> None:
        self.catalog.touch_page(url, self.batch)

    def count(self, kind: str) -> int:
        return self.catalog.page_count(self.source, kind)

    # --- what an adapter reads (crawler.adapters.PageReader) ---

    def body(self, url: str) -> bytes | None:
        page = self.catalog.page(url)
        return page.body if page is not None and page.status < 400 else None

    def pages(self, kind: str) -> Iterator[StoredPage]:
        return self.catalog.pages(self.source, kind)

    def parsed(self, url: str) -> Any | None:
        return self._parsed.pop(url, None)  # handed over once, then freed

    def hand_over(self, url: str, parsed: Any | None) -> None:
        """Give (or, with None, take back) the walk's parse of one page: a parse worker gets each
        meeting's parse with the meeting, not the whole walk's at once."""
        if parsed is None:
            self._parsed.pop(url, None)
        else:
            self._parsed[url] = parsed


@dataclass
class SourceReport:
    """What one source's run did: shown as progress, stored with the run, printed at the end."""

    source: str
    batch: int
    crawl: dict[str, object] = field(default_factory=dict)
    meetings: UpsertCounts = field(default_factory=UpsertCounts)
    items: UpsertCounts = field(default_factory=UpsertCounts)
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    failure: str = ""  # why the run counts as failed or degraded (crawler.verdict), else ""

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "batch": self.batch, "crawl": self.crawl, "meetings": self.meetings.as_dict(),
                "items": self.items.as_dict(), "errors": len(self.errors), "seconds": round(self.seconds, 1)}

    def summary(self) -> str:
        c, i = self.crawl, self.items
        crawl = (f"pages fetched {c.get('pages_fetched', 0)}, 304 {c.get('pages_304', 0)}, "
                 f"from store {c.get('pages_from_store', 0)}"
                 f"{' (web service)' if c.get('mode') == 'webservice' else ''}; ") if c else ""
        return (f"{self.source}: {crawl}items new {i.new}, changed {i.changed}, unchanged {i.unchanged}, "
                f"removed {i.removed}; errors {len(self.errors)} ({self.seconds:.1f} s)")


def crawl_source(catalog: Catalog, config: Config, source: Source, taxonomy: Taxonomy, *, today: date,
                 full: bool = False, fetcher: Fetcher | None = None, progress: Progress | None = None) -> SourceReport:
    """Crawl one source and parse what the crawl fetched, in one batch (resumed if the last one died)."""
    started = time.monotonic()
    adapter = adapter_for(source.kind)
    batch = catalog.unfinished_batch(CRAWL.name, source.name)
    if batch is not None:
        log.info("%s: resuming the interrupted batch %d", source.name, batch)
    else:
        batch = catalog.start_batch(CRAWL.name, source.name)
    catalog.upsert_source(source, batch)
    fetcher = fetcher or Fetcher(fetch_settings(config, [source]))
    plan = CrawlPlan(today=today, lookback_days=config["crawl.lookback_days"], full=full)
    store = CatalogPageStore(catalog, source.name, batch)
    items_before = catalog.item_count(source.name)

    def crawl_progress(stats: CrawlStats) -> None:
        if progress:
            d = stats.as_dict()
            progress(f"{source.name}: fetched {d['pages_fetched']}, 304 {d['pages_304']}, "
                     f"from store {d['pages_from_store']}, errors {d['errors']}")

    try:
        result = adapter.crawl(Walk(source, fetcher, store, plan, crawl_progress, limits=crawl_limits(config)))
        report = SourceReport(source.name, batch, crawl=result.stats.as_dict(), errors=list(result.stats.errors))
        parse_pages(catalog, source, taxonomy, batch, report, today=today, pages=result.pages, progress=progress,
                    parsed=result.parsed, workers=config["crawl.parse_workers"])
    except Exception:
        # A run that failed (rather than being killed) is not resumed: the next run starts a
        # new batch and asks for every due page again.
        catalog.finish_batch(batch, "failed")
        raise
    verdict = judge_source_run(source.name, report.errors, result.meeting_urls, result.pages.meeting_urls,
                               items_before, catalog.item_count(source.name))
    report.failure = verdict.reason
    catalog.finish_batch(batch, verdict.status)
    report.seconds = time.monotonic() - started
    return report


def reparse_source(catalog: Catalog, source: Source, taxonomy: Taxonomy, *, today: date,
                   progress: Progress | None = None, workers: int = 1) -> SourceReport:
    """Re-run parsing and enrichment over every stored page of a source: no network.

    ``workers``: processes reading meetings (``crawl.parse_workers``; 1 = this process alone)."""
    started = time.monotonic()
    batch = catalog.start_batch(REPARSE.name, source.name)
    report = SourceReport(source.name, batch)
    pages = adapter_for(source.kind).stored_pages(source, CatalogPageStore(catalog, source.name))
    parse_pages(catalog, source, taxonomy, batch, report, today=today, pages=pages, progress=progress,
                workers=workers)
    catalog.finish_batch(batch)
    report.seconds = time.monotonic() - started
    return report


def parse_pages(catalog: Catalog, source: Source, taxonomy: Taxonomy, batch: int, report: SourceReport, *,
                today: date, pages: SourcePages, progress: Progress | None = None,
                parsed: Mapping[str, Any] | None = None, workers: int = 1) -> None:
    """Stored pages → records (the source's adapter) → enrichment → catalog upserts.

    ``parsed``: the crawl's own parses of pages it stored (``Walk.keep``), so none is parsed twice.
    ``workers``: processes reading and enriching meetings (0 = one per core); this process keeps
    every catalog write, in meeting order, so the catalog is the same whatever their number
    (:mod:`searchsvc.jobs.parsepool`). A page that cannot be read is recorded with its URL and
    skipped; the run goes on."""
    adapter = adapter_for(source.kind)
    store = CatalogPageStore(catalog, source.name, parsed=parsed)
    reader = adapter.reader(source, store, today=today)
    found = reader.committees(pages.committee_urls)
    report.errors.extend(found.errors)
    for committee in found.committees.values():
        catalog.upsert_committee(committee, batch)
    meeting_urls = list(pages.meeting_urls)
    workers = workers or cores()
    if workers > 1 and len(meeting_urls) >= parsepool.POOL_MIN_MEETINGS and _picklable(adapter):
        setup = parsepool.Setup(catalog.path, adapter, source, today, found.committees, taxonomy,
                                logging.getLogger().getEffectiveLevel())
        outcomes = _pooled(parsepool.pooled(setup, meeting_urls, store.parsed, workers), report)
    else:
        outcomes = _in_process(catalog, store, source, reader, meeting_urls, found.committees, taxonomy, report)
    with contextlib.closing(outcomes):  # a failed write stops the workers now, not when the traceback goes
        _write_meetings(catalog, source, batch, report, outcomes, len(meeting_urls), progress)


def _write_meetings(catalog: Catalog, source: Source, batch: int, report: SourceReport,
                    outcomes: Iterator[tuple[str, MeetingRecords | None]], total: int,
                    progress: Progress | None) -> None:
    """Upsert each meeting read, in order, one transaction each; report duplicate item ids."""
    owners: dict[str, str] = {}  # item id -> the meeting page that gave it, to report duplicates
    for n, (url, records) in enumerate(outcomes, 1):
        if records is not None:
            ids = [item.id for item in records.items]
            report.errors += [{"url": url, "error": f"two items share the id {i}; only the last is kept"}
                              for i in duplicate_ids([*ids, *owners.keys() & set(ids)])]
            owners.update((i, url) for i in ids)
            with catalog.transaction():
                outcome = catalog.upsert_meeting(records.meeting, batch)
                setattr(report.meetings, outcome, getattr(report.meetings, outcome) + 1)
                report.items.add(catalog.replace_items(records.meeting, records.items, batch))
        if progress and records is not None and n % 100 == 0:
            progress(f"{source.name}: parsed {n}/{total} meetings")


def _in_process(catalog: Catalog, store: CatalogPageStore, source: Source, reader: SourceReader,
                urls: Iterable[str], committees: dict[str, Committee], taxonomy: Taxonomy,
                report: SourceReport) -> Iterator[tuple[str, MeetingRecords | None]]:
    """Each meeting's records, read here (None for a page that could not be read: logged, reported)."""
    for url in urls:
        try:
            yield url, read_meeting(catalog, store, source, reader, url, committees, taxonomy, report.errors)
        except Exception as e:  # noqa: BLE001 - one bad meeting is logged, reported and skipped
            _skipped(url, parsepool.Failure.of(e), report)
            yield url, None


def _pooled(outcomes: Iterator[parsepool.Outcome], report: SourceReport) -> Iterator[tuple[str, MeetingRecords | None]]:
    """Each meeting's records as the workers read them, their logs and failures reported here as
    :func:`_in_process` reports its own."""
    with contextlib.closing(outcomes):
        for outcome in outcomes:
            parsepool.replay(outcome.logs)
            report.errors += outcome.errors
            if outcome.failure is not None:
                _skipped(outcome.url, outcome.failure, report)
            yield outcome.url, outcome.records


def _skipped(url: str, failure: parsepool.Failure, report: SourceReport) -> None:
    """A meeting that could not be read, read here or by a worker: logged and reported alike."""
    if failure.parse_error:
        log.warning("skipping %s", failure.message)
    else:
        log.error("skipping %s: unexpected %s\n%s", url, failure.kind, failure.trace.rstrip())
    report.errors.append({"url": url, "error": failure.error})


def _picklable(adapter: Any) -> bool:
    """Can worker processes get this adapter? (One defined inside a function cannot be sent.)"""
    try:
        pickle.dumps(adapter)
        return True
    except (pickle.PicklingError, AttributeError, TypeError) as e:
        log.info("parsing in this process: the %s adapter cannot be sent to workers (%s)", adapter.kind, e)
        return False


def read_meeting(catalog: Catalog, store: CatalogPageStore, source: Source, reader: SourceReader, url: str,
                 committees: dict[str, Committee], taxonomy: Taxonomy, errors: list[dict[str, str]]) -> MeetingRecords:
    """One meeting's records, with document text (for sources keeping documents), enriched.

    Unreadable documents are logged and added to ``errors``; the meeting keeps them without text."""
    records = reader.meeting(url)
    if source.documents:
        records = _with_document_text(records, store.body, errors)
    meeting = records.meeting
    committee = committees.get(meeting.committee_id) or catalog.committee(meeting.committee_record_id)
    people, chair = people_at(meeting, committee)
    return MeetingRecords(meeting, tuple(enrich_item(item, people, taxonomy, chair=chair) for item in records.items))


def _with_document_text(records: MeetingRecords, lookup, errors: list[dict[str, str]]) -> MeetingRecords:
    """Fill ``Document.text`` from the stored PDFs; an unreadable PDF is logged and left without text."""

    def filled(doc: Document) -> Document:
        if doc.text:
            return doc
        body = lookup(doc.url)
        if body is None:
            return doc
        try:
            return dataclasses.replace(doc, text=pdf_text(body, url=doc.url))
        except ParseError as e:
            log.warning("%s", e)
            errors.append({"url": doc.url, "error": str(e)})
            return doc

    items = tuple(dataclasses.replace(i, documents=tuple(map(filled, i.documents))) for i in records.items)
    meeting = dataclasses.replace(records.meeting, documents=tuple(map(filled, records.meeting.documents)))
    return MeetingRecords(meeting, items)


def people_at(meeting: Meeting, committee: Committee | None) -> tuple[list[Member], str | None]:
    """Who may speak at a meeting (attendance first, then membership) and who chaired it."""
    people = list(meeting.attendance) + (list(committee.members) if committee else [])
    chair = next((p.name for p in people if p.role.strip().lower() in ("chair", "chairman", "chairperson")), None)
    return people, chair
