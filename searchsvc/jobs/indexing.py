"""Indexing jobs: bring the live index up to date with the catalog, or build a new generation."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

from searchsvc.catalog import Catalog
from searchsvc.config import Config

log = logging.getLogger(__name__)


def _docs(rows: Iterator, source_titles: dict[str, str]):
    """Index documents of :meth:`Catalog.indexable_items` rows (item, batch, meeting)."""
    from searchsvc.index import item_doc

    for item, batch, meeting in rows:
        yield item_doc(item, meeting, batch, source_titles.get(item.source, item.source))


def index_update(catalog: Catalog, data_dir: Path, config: Config) -> dict[str, object]:
    """Bring the live index up to date with what changed in the catalog since it was last indexed."""
    from searchsvc.index import IndexStore

    store = IndexStore(data_dir, **_index_options(config))
    titles = {s.name: s.title for s in config.sources}
    if store.current_generation() is None:
        return index_full(catalog, data_dir, config)
    last = store.last_batch() or 0
    changed = list(_docs(catalog.indexable_items(changed_after=last), titles))
    deleted = catalog.removed_item_ids(after_batch=last)
    stats = store.update(changed, deleted)
    return {"mode": "update", "changed": len(changed), "deleted": len(deleted), "generation":
            store.current_generation(), "documents": store.doc_count(), "stats": str(stats)}


def index_full(catalog: Catalog, data_dir: Path, config: Config) -> dict[str, object]:
    """Build a new index generation from the whole catalog and switch to it atomically."""
    from searchsvc.index import IndexStore

    store = IndexStore(data_dir, **_index_options(config))
    titles = {s.name: s.title for s in config.sources}
    generation = store.build_full(_docs(catalog.indexable_items(), titles), expected_count=catalog.indexable_count())
    return {"mode": "full", "generation": generation, "documents": store.doc_count()}


def _index_options(config: Config) -> dict[str, int]:
    return {"build_procs": config["index.writer_procs"]}
