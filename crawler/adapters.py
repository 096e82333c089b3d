"""The one interface a committee system implements, so jobs never know a system's URLs or pages.

A source's ``kind`` ("moderngov") names its adapter in :mod:`crawler.registry`. The adapter
keeps our fetch / store / parse separation (docs/architecture.md):

- **crawl** — walk the site through a :class:`~crawler.walk.Walk` (which fetches and stores every
  answer), and say which stored pages hold the records the crawl refreshed;
- **stored pages** — the same, from the page store alone (``searchsvc reparse``: no network);
- **read** — turn stored pages into records: the source's committees, and one meeting with its
  items (a pure function of what the store holds);
- **parse one page** — for ``searchsvc parse``: what kind of page a URL is, and what its parser
  finds (a :class:`MeetingRecords` for a meeting page, :class:`PageItems` for a page of items
  without their meeting; any record or page dataclass otherwise).

Adding a system is one package under ``crawler/`` and one line in :mod:`crawler.registry`
(docs/extending.md, "A new council system").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Protocol

from crawler.walk import CrawlResult, SourcePages, Walk
from searchsvc.records import Committee, Item, Meeting, Source


@dataclass(frozen=True)
class MeetingRecords:
    """One meeting and its agenda items, as the enrichment and the catalog take them."""

    meeting: Meeting
    items: tuple[Item, ...] = ()


@dataclass
class PageItems:
    """Items read from a page that is not a meeting page (one item, an issue's history, a decision).

    Each item comes with its committee's name and its meeting's date; the meeting's people are not
    on such a page, so names are resolved from the passage text alone.
    """

    page: Any  # the parser's own result, shown by ``searchsvc parse``
    items: tuple[tuple[Item, str, date | None], ...] = ()


@dataclass
class CommitteeRecords:
    """A source's committees read from its stored pages, and the pages that could not be read."""

    committees: dict[str, Committee] = field(default_factory=dict)  # by committee id
    errors: list[dict[str, str]] = field(default_factory=list)  # {"url", "error"}


class StoredPageView(Protocol):
    """A page in the raw store, as an adapter reads it (the catalog's ``StoredPage`` is one)."""

    url: str
    kind: str
    status: int
    body: bytes
    fetched_at: str
    fetch_batch: int | None


class PageReader(Protocol):
    """Read-only access to one source's stored pages."""

    def body(self, url: str) -> bytes | None: ...  # None when absent or stored as an HTTP error
    def pages(self, kind: str) -> Iterable[StoredPageView]: ...  # every stored page of that kind
    def parsed(self, url: str) -> Any | None: ...  # the crawl's own parse of the stored page (Walk.keep), once


class SourceReader(Protocol):
    """Records from one source's stored pages, for one parse run (it may cache what it reads)."""

    def committees(self, urls: Iterable[str]) -> CommitteeRecords: ...
    def meeting(self, url: str) -> MeetingRecords: ...  # ParseError when the page cannot be read


class Adapter(Protocol):
    kind: str  # the ``kind`` a source names in the configuration
    title: str  # the system's name in plain words, for messages and docs

    def crawl(self, walk: Walk) -> CrawlResult: ...
    def stored_pages(self, source: Source, pages: PageReader) -> SourcePages: ...
    def reader(self, source: Source, pages: PageReader, *, today: date) -> SourceReader: ...
    def classify(self, url: str) -> str | None: ...  # the page kind, None when not this system's page
    def saved_page_url(self, file_name: str) -> str | None: ...  # a saved file's likely URL, from its name
    def parse_page(self, body: bytes, url: str, *, source: str) -> MeetingRecords | PageItems | Any: ...
