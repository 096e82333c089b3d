"""An unexpected error from a parser during the walk costs one page, not the source.

The HTML walk (``crawler/moderngov/crawl.py``, ``HtmlWalk``) and the web-service walk catch any
exception around their parser calls and record it through the shared ``crawler.walk.Walk``
with the page's URL; ``jobs.parse_pages`` does the same for the parse that follows. A page
nested 1,000+ elements deep once raised RecursionError here and stopped a whole council.
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
