"""The search index: every Whoosh call of the project lives in this package.

The interface is small — build, update, publish, search::

    store = IndexStore(data_root)                       # root/whoosh/<gen>/, root/whoosh/CURRENT
    store.build_full(docs, expected_count=n)            # new generation, verified, swapped in
    store.update(changed_docs, deleted_ids)             # nightly: one commit on the live one
    reader = IndexReader(store)                         # share it; one searcher per thread
    result = reader.search(SearchRequest(q="foster", committee=("Cabinet",)))

Documents come from :func:`item_doc` (records → :class:`ItemDoc`). Bad queries
raise :class:`~searchsvc.errors.QueryError`, index problems
:class:`~searchsvc.errors.SearchIndexError`. Importing this package does not
import Flask.
"""

from searchsvc.index.documents import ItemDoc, item_doc
from searchsvc.index.facets import FacetValue
from searchsvc.index.search import Hit, IndexReader, SearchRequest, SearchResult
from searchsvc.index.snippets import Snippet
from searchsvc.index.store import IndexStore, UpdateStats

__all__ = [
    "FacetValue",
    "Hit",
    "IndexReader",
    "IndexStore",
    "ItemDoc",
    "SearchRequest",
    "SearchResult",
    "Snippet",
    "UpdateStats",
    "item_doc",
]
