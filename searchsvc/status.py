"""What an operator needs to know at a glance: per source coverage and freshness, recent runs,
the index generation. Shared by `searchsvc status` and the web app's /status page."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from searchsvc.catalog import CATALOG_FILE, Catalog
from searchsvc.config import Config
from searchsvc.errors import SearchsvcError
from searchsvc.jobnames import CRAWL, label

FAILURE_ALERT_AFTER = 3  # consecutive failed runs of a source before the status page alerts


def collect_status(config: Config) -> dict[str, Any]:
    """Everything `searchsvc status` and /status show. ``problems`` lists what is broken (a corrupt
    index or catalog) in words; it is empty when all is well, and callers exit or answer non-OK
    when it is not, rather than showing "generation -" as if nothing were built yet."""
    data_dir = config.data_dir
    out: dict[str, Any] = {"data_dir": str(data_dir), "sources": [], "runs": [], "index": _index(config),
                           "catalog": {}, "problems": []}
    if out["index"].get("error"):
        out["problems"].append(f"index: {out['index']['error']}")
    if not (data_dir / CATALOG_FILE).exists():
        return out
    try:
        _catalog_status(config, out)
    except (SearchsvcError, sqlite3.Error) as e:
        out["sources"], out["runs"], out["catalog"] = [], [], {"error": str(e)}
        out["problems"].append(f"catalog: {e}")
    return out


def _catalog_status(config: Config, out: dict[str, Any]) -> None:
    data_dir = config.data_dir
    with Catalog.in_dir(data_dir) as catalog:
        out["catalog"] = {"items": catalog.item_count()}
        names = [s.name for s in config.sources]
        names += [n for n in catalog.source_names() if n not in names]
        runs = catalog.runs(limit=50)
        for name in names:
            counts = catalog.counts(name)
            span = catalog.meeting_span(name, status="held")
            last_ok = catalog.last_batch_success(name, CRAWL.name)
            out["sources"].append({"name": name, **counts, "earliest": (span[0] or "")[:10] or None,
                                   "latest": (span[1] or "")[:10] or None, "last_success": last_ok,
                                   "consecutive_failures": _failures(runs, name)})
        out["runs"] = [{"id": r.id, "job": r.job, "label": label(r.job), "status": r.status, "started_at": r.started_at,
                        "finished_at": r.finished_at, "seconds": _seconds(r.started_at, r.finished_at),
                        "errors": len(r.errors), "error_list": r.errors[:20], "counts": r.counts} for r in runs]
    for source in out["sources"]:
        source["alert"] = source["consecutive_failures"] >= FAILURE_ALERT_AFTER


def _failures(runs, name: str) -> int:
    """How many of the latest runs in a row failed for this source (newest first)."""
    n = 0
    for run in runs:
        sources = (run.counts or {}).get("sources", {})
        failed = any(e.get("source") == name and "url" not in e for e in run.errors)
        if name in sources and not failed:
            break
        if failed:
            n += 1
    return n


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds(), 1)


def _index(config: Config) -> dict[str, Any]:
    try:
        from searchsvc.index import IndexStore

        store = IndexStore(config.data_dir)
        generation = store.current_generation()
        return {"generation": generation, "documents": store.doc_count() if generation else 0,
                "size_bytes": store.size_bytes() if generation else 0,
                "last_batch": store.last_batch() if generation else 0}
    except Exception as e:  # noqa: BLE001 - status must answer even when the index is broken
        return {"generation": None, "documents": 0, "size_bytes": 0, "error": str(e)}
