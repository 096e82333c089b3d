"""The jobs: crawl, parse + enrich, index. Each is a plain function over injected parts.

The CLI and the scheduler call these; both take the data directory's writer lock first.
A crawl and the parse that follows it share one batch, so every record it changes is
marked with the run that changed it. A source that fails does not stop the others: its
error is recorded in the run and the next source goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from crawler.fetch import Fetcher, FetchSettings, Response
from crawler.limits import CrawlLimits, duplicate_ids
from crawler.verdict import judge_source_run
from crawler.moderngov.assemble import assemble_meeting
from crawler.moderngov.committees import parse_committee_list, parse_committee_page
from crawler.moderngov.dispatch import classify
from crawler.moderngov.pages import MeetingPage
from crawler.moderngov.webservice import parse_ws_committees, ws_committee_map
from crawler.pdf import pdf_text
from crawler.moderngov.crawl import CrawlPlan, CrawlStats, ModernGovCrawler, StoredCopy
from crawler.urls import host_of, query_param
from searchsvc.catalog import Catalog, UpsertCounts
from searchsvc.config import Config
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import Taxonomy
from searchsvc.errors import ParseError, SearchsvcError
from searchsvc.records import Committee, Document, Meeting, Member, Source

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def crawl_limits(config: Config) -> CrawlLimits:
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
    """The crawler's view of the catalog's raw store, for one source and batch."""

    def __init__(self, catalog: Catalog, source: str, batch: int):
        self.catalog, self.source, self.batch = catalog, source, batch

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
        return self.catalog.query("SELECT COUNT(*) FROM pages WHERE source = ? AND kind = ?", (self.source, kind))[0][0]


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
    batch = catalog.unfinished_batch("crawl", source.name)
    if batch is not None:
        log.info("%s: resuming the interrupted batch %d", source.name, batch)
    else:
        batch = catalog.start_batch("crawl", source.name)
    catalog.upsert_source(source, batch)
    fetcher = fetcher or Fetcher(fetch_settings(config, [source]))
    plan = CrawlPlan(today=today, lookback_days=config["crawl.lookback_days"], full=full)
    items_before = catalog.counts(source.name)["items"]

    def crawl_progress(stats: CrawlStats) -> None:
        if progress:
            d = stats.as_dict()
            progress(f"{source.name}: fetched {d['pages_fetched']}, 304 {d['pages_304']}, "
                     f"from store {d['pages_from_store']}, errors {d['errors']}")

    try:
        result = ModernGovCrawler(source, fetcher, CatalogPageStore(catalog, source.name, batch), plan,
                                  crawl_progress, limits=crawl_limits(config)).run()
        report = SourceReport(source.name, batch, crawl=result.stats.as_dict(), errors=list(result.stats.errors))
        parse_pages(catalog, source, taxonomy, batch, report, today=today,
                    committee_list_url=result.committee_list_url, committee_urls=result.committee_urls,
                    meeting_urls=result.refreshed_meeting_urls, progress=progress)
    except Exception:
        # A run that failed (rather than being killed) is not resumed: the next run starts a
        # new batch and asks for every due page again.
        catalog.finish_batch(batch, "failed")
        raise
    verdict = judge_source_run(source.name, report.errors, result.meeting_urls, result.refreshed_meeting_urls,
                               items_before, catalog.counts(source.name)["items"])
    report.failure = verdict.reason
    catalog.finish_batch(batch, verdict.status)
    report.seconds = time.monotonic() - started
    return report


def reparse_source(catalog: Catalog, source: Source, taxonomy: Taxonomy, *, today: date,
                   progress: Progress | None = None) -> SourceReport:
    """Re-run parsing and enrichment over every stored page of a source: no network."""
    started = time.monotonic()
    batch = catalog.start_batch("reparse", source.name)
    report = SourceReport(source.name, batch)
    parse_pages(catalog, source, taxonomy, batch, report, today=today,
                committee_list_url=_stored_committee_list(catalog, source),
                committee_urls=[p.url for p in catalog.pages(source.name, "committee")],
                meeting_urls=_stored_meetings(catalog, source), progress=progress)
    catalog.finish_batch(batch)
    report.seconds = time.monotonic() - started
    return report


def _stored_committee_list(catalog: Catalog, source: Source) -> str:
    """The committee list the latest crawl used: the HTML list or, in web-service mode, GetCommittees
    (a stored GetCommittees that is not a committee list — an HTML error page — is passed over)."""
    pages = [*catalog.pages(source.name, "committee_list"), *catalog.pages(source.name, "webservice_getcommittees")]
    pages.sort(key=lambda p: (p.fetch_batch or 0, p.fetched_at), reverse=True)
    for page in pages:
        if page.kind == "committee_list":
            return page.url
        try:
            if parse_ws_committees(page.body, page.url).committees:
                return page.url
        except ParseError:
            continue
    return ""


def _stored_meetings(catalog: Catalog, source: Source) -> list[str]:
    """Every stored meeting page and GetMeeting response, one per meeting: when a council switched
    its web service on or off, the copy fetched last."""
    latest: dict[str, tuple[tuple[int, str], str]] = {}
    for kind, names in (("meeting", ("MId", "MeetingId")), ("webservice_getmeeting", ("lMeetingId",))):
        for page in catalog.pages(source.name, kind):
            key = query_param(page.url, *names) or page.url
            when = (page.fetch_batch or 0, page.fetched_at)
            if key not in latest or when > latest[key][0]:
                latest[key] = (when, page.url)
    return sorted(url for _, url in latest.values())


def parse_pages(catalog: Catalog, source: Source, taxonomy: Taxonomy, batch: int, report: SourceReport, *,
                today: date, committee_list_url: str, committee_urls: Iterable[str], meeting_urls: Iterable[str],
                progress: Progress | None = None) -> None:
    """Stored pages → records → enrichment → catalog upserts. A malformed page is logged and skipped.

    Meeting URLs may be HTML meeting pages or web-service GetMeeting responses (their committees
    come from the source's stored GetMeetings responses)."""

    def lookup(url: str) -> bytes | None:
        page = catalog.page(url)
        return page.body if page is not None and page.status < 400 else None

    committees = _committees(source, committee_list_url, committee_urls, lookup, report)
    for committee in committees.values():
        catalog.upsert_committee(committee, batch)
    meeting_urls = list(meeting_urls)
    ws_committees = None
    if any(classify(url) == "webservice_getmeeting" for url in meeting_urls):
        listings = sorted(catalog.pages(source.name, "webservice_getmeetings"),
                          key=lambda p: (p.fetch_batch or 0, p.fetched_at))
        ws_committees = ws_committee_map((p.url, p.body) for p in listings if p.status < 400)
    owners: dict[str, str] = {}  # item id -> the meeting page that gave it, to report duplicates
    for n, url in enumerate(meeting_urls, 1):
        try:
            page = assemble_meeting(url, lookup, source=source.name, today=today, committees=ws_committees)
            if source.documents:
                page = _with_document_text(page, lookup, report)
            meeting = page.meeting
            committee = committees.get(meeting.committee_id) or catalog.committee(meeting.committee_record_id)
            people, chair = _people(meeting, committee)
            items = [enrich_item(item, people, taxonomy, chair=chair) for item in page.items]
            report.errors += [{"url": url, "error": f"two items share the id {i}; only the last is kept"}
                              for i in duplicate_ids([*(item.id for item in items),
                                                      *owners.keys() & {item.id for item in items}])]
            owners.update((item.id, url) for item in items)
        except Exception as e:  # noqa: BLE001 - one bad page is skipped, the run goes on
            if isinstance(e, ParseError):
                log.warning("skipping %s", e)
            else:
                log.exception("skipping %s: unexpected %s", url, type(e).__name__)
            report.errors.append({"url": url, "error": str(e) or type(e).__name__})
            continue
        with catalog.transaction():
            outcome = catalog.upsert_meeting(meeting, batch)
            setattr(report.meetings, outcome, getattr(report.meetings, outcome) + 1)
            report.items.add(catalog.replace_items(meeting, items, batch))
        if progress and n % 100 == 0:
            progress(f"{source.name}: parsed {n}/{len(meeting_urls)} meetings")


def _with_document_text(page: MeetingPage, lookup, report: SourceReport) -> MeetingPage:
    """Fill ``Document.text`` from the stored PDFs; an unreadable PDF is logged and left without text."""

    def filled(doc: Document) -> Document:
        body = lookup(doc.url)
        if body is None or doc.text:
            return doc
        try:
            return dataclasses.replace(doc, text=pdf_text(body, url=doc.url))
        except ParseError as e:
            log.warning("%s", e)
            report.errors.append({"url": doc.url, "error": str(e)})
            return doc

    items = tuple(dataclasses.replace(i, documents=tuple(map(filled, i.documents))) for i in page.items)
    meeting = dataclasses.replace(page.meeting, documents=tuple(map(filled, page.meeting.documents)))
    return dataclasses.replace(page, meeting=meeting, items=items)


def _committees(source: Source, list_url: str, urls: Iterable[str], lookup, report: SourceReport) -> dict[str, Committee]:
    """Committees from the list (names, categories) completed by their own pages (purpose, members)."""
    found: dict[str, Committee] = {}
    body = lookup(list_url) if list_url else None
    if body is not None:
        parse_list = parse_ws_committees if classify(list_url) == "webservice_getcommittees" else parse_committee_list
        try:
            for c in parse_list(body, list_url, source=source.name).committees:
                found[c.committee_id] = c
        except ParseError as e:
            report.errors.append({"url": list_url, "error": str(e)})
    for url in urls:
        body = lookup(url)
        if body is None:
            continue
        try:
            detail = parse_committee_page(body, url, source=source.name).committee
        except ParseError as e:
            report.errors.append({"url": url, "error": str(e)})
            continue
        listed = found.get(detail.committee_id)
        if listed is not None and not detail.category:
            detail = dataclasses.replace(detail, category=listed.category)
        found[detail.committee_id] = detail
    return found


def _people(meeting: Meeting, committee: Committee | None) -> tuple[list[Member], str | None]:
    """Who may speak at a meeting (attendance first, then membership) and who chaired it."""
    people = list(meeting.attendance) + (list(committee.members) if committee else [])
    chair = next((p.name for p in people if p.role.strip().lower() in ("chair", "chairman", "chairperson")), None)
    return people, chair


# --- indexing -------------------------------------------------------------------------

def _docs(catalog: Catalog, items: Iterator, source_titles: dict[str, str]):
    from searchsvc.index import item_doc

    meetings: dict[str, Meeting | None] = {}
    for item, batch in items:
        rid = item.meeting_record_id
        if rid not in meetings:
            meetings[rid] = catalog.meeting(rid)
        meeting = meetings[rid]
        if meeting is None:
            log.warning("item %s has no meeting %s in the catalog; not indexed", item.id, rid)
            continue
        yield item_doc(item, meeting, batch, source_titles.get(item.source, item.source))


def index_update(catalog: Catalog, data_dir: Path, config: Config) -> dict[str, object]:
    """Bring the live index up to date with what changed in the catalog since it was last indexed."""
    from searchsvc.index import IndexStore

    store = IndexStore(data_dir, **_index_options(config))
    titles = {s.name: s.title for s in config.sources}
    if store.current_generation() is None:
        return index_full(catalog, data_dir, config)
    last = store.last_batch() or 0
    changed = list(_docs(catalog, catalog.items(changed_after=last), titles))
    deleted = catalog.removed_item_ids(after_batch=last)
    stats = store.update(changed, deleted)
    return {"mode": "update", "changed": len(changed), "deleted": len(deleted), "generation":
            store.current_generation(), "documents": store.doc_count(), "stats": str(stats)}


def index_full(catalog: Catalog, data_dir: Path, config: Config) -> dict[str, object]:
    """Build a new index generation from the whole catalog and switch to it atomically."""
    from searchsvc.index import IndexStore

    store = IndexStore(data_dir, **_index_options(config))
    titles = {s.name: s.title for s in config.sources}
    expected = catalog.query("SELECT COUNT(*) FROM items JOIN meetings ON meetings.id = items.meeting_id "
                             "WHERE items.removed_batch IS NULL")[0][0]  # what _docs can index
    generation = store.build_full(_docs(catalog, catalog.items(), titles), expected_count=expected)
    return {"mode": "full", "generation": generation, "documents": store.doc_count()}


def _index_options(config: Config) -> dict[str, int]:
    return {"build_procs": config["index.writer_procs"]}


# --- runs -----------------------------------------------------------------------------

@dataclass
class RunSummary:
    run_id: int
    status: str  # "ok", "partial" (some sources failed), "failed"
    reports: list[SourceReport]
    failures: list[dict[str, str]]
    index: dict[str, object] = field(default_factory=dict)


def run_sources(catalog: Catalog, config: Config, sources: Iterable[Source], taxonomy: Taxonomy, *, job: str,
                today: date, full: bool = False, reparse: bool = False, index: str | None = None,
                fetcher: Fetcher | None = None, progress: Progress | None = None) -> RunSummary:
    """Crawl (or re-parse) each source, then optionally index ("update" or "full"), as one recorded run.

    One source failing — even with a bug — is recorded and the others go on.
    """
    run = catalog.start_run(job, batch=None)
    reports, failures = [], []
    for source in sources:
        try:
            if reparse:
                report = reparse_source(catalog, source, taxonomy, today=today, progress=progress)
            else:
                report = crawl_source(catalog, config, source, taxonomy, today=today, full=full, fetcher=fetcher,
                                      progress=progress)
            reports.append(report)
            if report.failure:  # a run of failed pages is a failure of the source (the alert counts these)
                failures.append({"source": source.name, "error": report.failure})
            if progress:
                progress(report.summary())
        except Exception as e:  # noqa: BLE001 - one source must not stop the others
            log.error("%s failed: %s", source.name, e, exc_info=not isinstance(e, SearchsvcError))
            failures.append({"source": source.name, "error": str(e)})
    summary = RunSummary(run, "ok", reports, failures)
    if index and (reports or not failures):
        try:
            summary.index = (index_full if index == "full" else index_update)(catalog, Path(config.data_dir), config)
        except Exception as e:  # noqa: BLE001 - recorded, and the live index is untouched
            log.error("indexing failed: %s", e, exc_info=not isinstance(e, SearchsvcError))
            failures.append({"source": "", "error": f"indexing failed: {e}"})
    summary.status = "failed" if failures and not reports else "partial" if failures else "ok"
    errors = failures + [dict(e, source=r.source) for r in reports for e in r.errors]
    catalog.finish_run(run, summary.status, {"sources": {r.source: r.as_dict() for r in reports},
                                              "index": summary.index}, errors[:500])
    return summary
