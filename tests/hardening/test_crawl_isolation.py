"""PENDING — a failing test for crawler/moderngov/crawl.py, which another engineer owns right now.

Not collected by ``make test`` (the name does not start with ``test_``); run it by hand:
``.venv/bin/python -m pytest tests/hardening/pending_crawl_isolation.py``. Rename it to
``test_crawl_isolation.py`` once the fix below is in.

The bug: the crawl walker catches only ``ParseError`` around its parser calls
(``ModernGovCrawler._meeting``: ``parse_meeting_page``; ``_html_walk``/``_meeting_links``:
``parse_committee_list``, ``parse_meeting_list``; the same in ``wscrawl.py``). Any other exception
from a parser — a bug, or a hostile page finding one (a page nested 1,000+ elements deep did,
with RecursionError, before crawler/moderngov/text.py became iterative) — escapes ``run()``, and
``crawl_source`` marks the batch failed: the *whole council* is not crawled that night, not just
the one page. ``jobs.parse_pages`` already isolates exactly this case ("any error in one meeting
skips only that meeting"); the walk before it should too.

Proposed fix (crawl.py, ``_meeting``; likewise at the other parser calls and in wscrawl.py)::

    try:
        page = parse_meeting_page(body, url, source=self.source.name)
    except Exception as e:  # noqa: BLE001 - one bad page is skipped, the crawl goes on
        if not isinstance(e, ParseError):
            log.exception("unexpected %s parsing %s", type(e).__name__, url)
        self._error(url, str(e) or type(e).__name__)
        return due
"""

from __future__ import annotations

import crawler.moderngov.crawl as walker
from searchsvc.catalog import Catalog
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import crawl


def test_an_unexpected_error_parsing_one_meeting_page_skips_only_that_meeting(tmp_path, monkeypatch):
    with SampleSite(seed=3, size=0.02) as site:
        victim = next(m for m in site.meetings() if m.status == "held").meeting_id
        real = walker.parse_meeting_page

        def parse(body, url, **kwargs):
            if f"MId={victim}" in url:
                raise RecursionError("maximum recursion depth exceeded")  # what a 1,000-deep page raised
            return real(body, url, **kwargs)

        monkeypatch.setattr(walker, "parse_meeting_page", parse)
        with Catalog.in_dir(tmp_path) as catalog:
            report = crawl(site, catalog, tmp_path)  # raises today: the whole source fails
            assert any(f"MId={victim}" in e["url"] for e in report.errors), report.errors
            others = {f"sample:meeting:{m.meeting_id}" for m in site.meetings() if m.meeting_id != victim}
            assert others <= {m.id for m in catalog.meetings()}
