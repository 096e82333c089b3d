"""What a crawl costs: older meetings keep their stored copy and are not parsed again, and a
meeting page the walk parsed is not parsed again by the parse stage, in this process or a worker.

Parsing every stored meeting page to look for follow-up links was four fifths of a nightly run
at 43,000 items (bench/README.md); only meetings asked for again are parsed now.
"""

from __future__ import annotations

import pytest

import crawler.moderngov.assemble as assemble_module
import crawler.moderngov.crawl as crawl_module
from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import parsepool
from searchsvc.jobs.crawl import CatalogPageStore, reparse_source
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import SAMPLE_TODAY, config_for, crawl


@pytest.fixture
def site():
    with SampleSite(seed=3, size=0.04) as s:
        yield s


def test_a_nightly_run_parses_only_the_meetings_it_asks_for_again(site, tmp_path, monkeypatch):
    parsed: list[str] = []
    real = crawl_module.parse_meeting_page

    def counting(body, url, **kw):
        parsed.append(url)
        return real(body, url, **kw)

    monkeypatch.setattr(crawl_module, "parse_meeting_page", counting)
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path)
        assert len(parsed) == first.crawl["meetings_listed"]  # a first crawl looks at every meeting
        parsed.clear()
        nightly = crawl(site, catalog, tmp_path)
        asked = nightly.crawl["pages_304"] + nightly.crawl["pages_fetched"]
        assert 0 < len(parsed) < first.crawl["meetings_listed"] // 2
        assert len(parsed) <= asked
        assert nightly.items.new == nightly.items.changed == nightly.items.removed == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_first_crawl_parses_each_meeting_page_once_and_reads_the_same_records(site, tmp_path, monkeypatch,
                                                                               workers):
    """Once per crawl, whichever process reads the meeting: with parse workers, the walk's parse
    travels with the meeting to the worker (a worker parses a meeting page only when handed none,
    as :func:`assemble_meeting` does here)."""
    monkeypatch.setattr(parsepool, "POOL_MIN_MEETINGS", 1)  # workers even for the small sample council
    parsed: list[str] = []
    handed: list[str] = []

    def counting(real):
        def parse(body, url, **kw):
            parsed.append(url)
            return real(body, url, **kw)
        return parse

    def handing(real):
        def hand(self, url):
            page = real(self, url)
            if page is not None:
                handed.append(url)
            return page
        return hand

    monkeypatch.setattr(crawl_module, "parse_meeting_page", counting(crawl_module.parse_meeting_page))
    monkeypatch.setattr(assemble_module, "parse_meeting_page", counting(assemble_module.parse_meeting_page))
    monkeypatch.setattr(CatalogPageStore, "parsed", handing(CatalogPageStore.parsed))
    with Catalog.in_dir(tmp_path) as catalog:
        first = crawl(site, catalog, tmp_path, parse_workers=workers)
        assert first.items.new > 0
        assert len(parsed) == len(set(parsed)) == first.crawl["meetings_listed"]
        assert sorted(handed) == sorted(parsed)  # every parse went on to the reader, none was dropped
        # The records built from the walk's own parses are those a parse of the stored pages gives.
        config = config_for(site, tmp_path)
        again = reparse_source(catalog, config.sources[0], load_taxonomy(config.topics_file), today=SAMPLE_TODAY)
        assert again.items.unchanged == first.items.new
        assert again.items.new == again.items.changed == again.items.removed == 0
