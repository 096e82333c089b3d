"""One measured phase of the pipeline, run in its own process by bench/run.py.

    python bench/phases.py PHASE 'JSON ARGS' OUT.json

Each phase calls the same job functions as the CLI and the scheduler (``run_sources``,
``index_full``, ``index_update``), so what is timed is what runs at night. The result is
written to OUT.json with the process's own peak memory from ``getrusage``.

Phases: ``crawl`` (fetch + store + parse from the sample site, rate limit lifted), ``parse``
(re-parse every stored page: no network), ``index`` (full rebuild: a new generation),
``nightly`` (incremental crawl of the site after edits, then ``index_update``), ``datasette``
(the comparison database: one row per indexed item, FTS5 over the same text).
"""

from __future__ import annotations

import json
import logging
import resource
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchsvc.catalog import Catalog  # noqa: E402
from searchsvc.config import Config, load_config  # noqa: E402
from searchsvc.demo import sample_config  # noqa: E402
from searchsvc.enrich.topics import load_taxonomy  # noqa: E402
from searchsvc.jobs import index_full, index_update, run_sources  # noqa: E402
from searchsvc.lock import WriterLock  # noqa: E402

PARSED_KINDS = ("committee_list", "committee", "meeting", "item", "attendance")


def bench_config(a: dict[str, Any]) -> Config:
    config = load_config(a["config"])
    config = sample_config(config, a["base_url"], a.get("title", "Sample council")) if a.get("base_url") else config
    if a.get("lookback_days"):
        values = dict(config.values, **{"crawl.lookback_days": int(a["lookback_days"])})
        config = Config(values=values, sources=config.sources, path=config.path)
    return config


def _counts(catalog: Catalog) -> dict[str, int]:
    counts = catalog.counts()
    kinds = dict(catalog.query("SELECT kind, COUNT(*) FROM pages GROUP BY kind"))
    counts["pages_parsed"] = sum(kinds.get(k, 0) for k in PARSED_KINDS)
    counts["pages_by_kind"] = kinds
    return counts


def crawl(a: dict[str, Any]) -> dict[str, Any]:
    """A first crawl of the whole site: every page fetched, stored and parsed into records."""
    config = bench_config(a)
    today = date.fromisoformat(a["today"])
    marks: dict[str, float] = {}

    def progress(line: str) -> None:  # the crawler's progress lines end when fetching ends
        if ": fetched " in line:
            marks["fetched"] = time.perf_counter()
        logging.info("%s", line)

    started = time.perf_counter()
    with WriterLock(config.data_dir, "bench-crawl"), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="bench-crawl",
                              today=today, progress=progress)
        total = time.perf_counter() - started
        counts = _counts(catalog)
    if summary.status != "ok" or not summary.reports:
        raise SystemExit(f"the crawl failed: {summary.failures}")
    report = summary.reports[0]
    fetch_s = marks.get("fetched", started + total) - started
    return {"seconds": round(total, 2), "fetch_seconds": round(fetch_s, 2), "parse_seconds": round(total - fetch_s, 2),
            "crawl": report.crawl, "errors": len(report.errors), "counts": counts}


def parse(a: dict[str, Any]) -> dict[str, Any]:
    """``searchsvc reparse``: every stored page parsed and enriched again, no network."""
    config = bench_config(a)
    started = time.perf_counter()
    with WriterLock(config.data_dir, "bench-parse"), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="bench-parse",
                              today=date.fromisoformat(a["today"]), reparse=True)
        seconds = time.perf_counter() - started
        counts = _counts(catalog)
    report = summary.reports[0]
    return {"seconds": round(seconds, 2), "meetings": report.meetings.as_dict(), "items": report.items.as_dict(),
            "errors": len(report.errors), "counts": counts}


def index(a: dict[str, Any]) -> dict[str, Any]:
    """``searchsvc index --full``: a new generation from the whole catalog, verified and swapped in."""
    from searchsvc.index import IndexStore

    config = bench_config(a)
    with WriterLock(config.data_dir, "bench-index"), Catalog.in_dir(config.data_dir) as catalog:
        counts = catalog.counts()
        started = time.perf_counter()
        result = index_full(catalog, config.data_dir, config)
        seconds = time.perf_counter() - started
    store = IndexStore(config.data_dir)
    return {"seconds": round(seconds, 2), "documents": result["documents"], "passages": counts["passages"],
            "index_bytes": store.size_bytes(), "generation": result["generation"]}


def nightly(a: dict[str, Any]) -> dict[str, Any]:
    """The nightly job (as ``searchsvc schedule --once nightly``), timed in its two parts."""
    from searchsvc.index import IndexReader, IndexStore, SearchRequest

    config = bench_config(a)
    started = time.perf_counter()
    with WriterLock(config.data_dir, "bench-nightly"), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="bench-nightly",
                              today=date.fromisoformat(a["today"]))
        crawled = time.perf_counter()
        result = index_update(catalog, config.data_dir, config)
        done = time.perf_counter()
    report = summary.reports[0]
    # Did the night's work reach the index? Every edited item holds the token.
    found = IndexReader(IndexStore(config.data_dir), cache_size=0).search(
        SearchRequest(q=a["token"], include_procedural=True, facets=False, per_page=1)).total
    return {"seconds": round(done - started, 2), "crawl_parse_seconds": round(crawled - started, 2),
            "index_update_seconds": round(done - crawled, 2), "crawl": report.crawl,
            "items": report.items.as_dict(), "index": {k: v for k, v in result.items() if k != "stats"},
            "edited_found": found, "errors": len(report.errors)}


# --- the Datasette database ---------------------------------------------------------------

DATASETTE_SCHEMA = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY, item TEXT NOT NULL, title TEXT NOT NULL, committee TEXT, date TEXT, year INTEGER,
    speakers TEXT NOT NULL, topics TEXT NOT NULL, procedural INTEGER NOT NULL, url TEXT
);
CREATE VIRTUAL TABLE items_fts USING fts5(title, body, tokenize='porter unicode61');
"""
DATASETTE_INDEXES = ("committee", "date", "year", "procedural")
#: Tells Datasette which full-text table searches ``items`` (rowid = items.id).
DATASETTE_METADATA = {"databases": {"bench": {"tables": {"items": {"fts_table": "items_fts", "fts_pk": "id"}}}}}


def datasette(a: dict[str, Any]) -> dict[str, Any]:
    """What a journalist would load into Datasette: the same items and text as the index.

    One row per indexed item (the unit both tools return), its searchable text exactly as the
    index receives it (title, agenda, passages, document text), speakers and topics as JSON
    arrays, ``porter`` stemming as the index stems, b-tree indexes on the facet columns.

    Datasette's fastest layout, measured: the long text lives only in the FTS5 table, so the
    ``items`` rows its facet and count queries scan stay small (13 to a page). With the text
    in ``items`` too (``content=[items]``, as sqlite-utils' enable-fts makes it) the same
    queries ran three times slower (2.8 against 8.4 requests/s at 43k items).
    """
    from searchsvc.index import item_doc

    config = bench_config(a)
    path = Path(a["out"])
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + DATASETTE_SCHEMA)
    titles = {s.name: s.title for s in config.sources}
    rows, passages, meetings = 0, 0, {}

    def flush(batch: list[tuple]) -> None:
        db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?)", [r[:-1] for r in batch])
        db.executemany("INSERT INTO items_fts(rowid, title, body) VALUES (?,?,?)", [(r[0], r[2], r[-1]) for r in batch])

    with Catalog.in_dir(config.data_dir) as catalog:
        batch: list[tuple] = []
        for item, changed in catalog.items():
            rid = item.meeting_record_id
            if rid not in meetings:
                meetings[rid] = catalog.meeting(rid)
            if meetings[rid] is None:
                continue
            doc = item_doc(item, meetings[rid], changed, titles.get(item.source, item.source))
            rows += 1
            passages += len(doc.passages)
            batch.append((rows, doc.id, doc.title, doc.committee or None, doc.date.isoformat() if doc.date else None,
                          doc.year, json.dumps(list(doc.speakers), ensure_ascii=False),
                          json.dumps(list(doc.topics), ensure_ascii=False), int(doc.procedural), doc.url, doc.body))
            if len(batch) >= 2000:
                flush(batch)
                batch = []
        flush(batch)
    for column in DATASETTE_INDEXES:
        db.execute(f"CREATE INDEX idx_items_{column} ON items({column})")
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    Path(a["metadata"]).write_text(json.dumps(DATASETTE_METADATA, indent=1))
    return {"seconds": round(time.perf_counter() - started, 2), "rows": rows, "passages": passages,
            "bytes": path.stat().st_size}


def _generate(a: dict[str, Any]) -> dict[str, Any]:
    from bench.generate import generate

    return generate(a)


def _update(a: dict[str, Any]) -> dict[str, Any]:
    from bench.generate import edit

    return edit(a)


PHASES = {"crawl": crawl, "parse": parse, "index": index, "nightly": nightly, "datasette": datasette,
          "generate": _generate, "update": _update}  # the last two: bench/capacity.py


def main() -> None:
    name, args, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    result = PHASES[name](args)
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["max_rss_mb"] = round(me.ru_maxrss / 1024, 1)  # Linux: kB
    result["max_child_rss_mb"] = round(kids.ru_maxrss / 1024, 1)
    result["cpu_seconds"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2)
    out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
