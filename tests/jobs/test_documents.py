"""Sources with documents = true: PDFs are downloaded, their text extracted, stored and searchable."""

from __future__ import annotations

import dataclasses

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.jobs import crawl_source, fetch_settings, index_full
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import SAMPLE_TODAY, config_for

PHRASE = '"do not record every contribution"'  # only in the sample's previous-minutes PDFs


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=9, size=0.03) as s:
        yield s


def crawl_and_index(site, data_dir, documents: bool):
    config = config_for(site, data_dir)
    source = dataclasses.replace(config.sources[0], documents=documents)
    with Catalog.in_dir(data_dir) as catalog:
        report = crawl_source(catalog, config, source, load_taxonomy(config.topics_file), today=SAMPLE_TODAY,
                              fetcher=Fetcher(fetch_settings(config, [source])))
        index_full(catalog, data_dir, config)
        texts = catalog.query("SELECT url, text FROM documents WHERE text != ''")
    return report, texts, IndexReader(IndexStore(data_dir))


def test_pdf_text_is_extracted_and_searchable(site, tmp_path):
    report, texts, reader = crawl_and_index(site, tmp_path, documents=True)
    assert report.errors == []
    assert texts and all(".pdf" in url for url, _ in texts)
    assert any("Purpose of the report" in text for _, text in texts)
    found = reader.search(SearchRequest(q=PHRASE, include_procedural=True))
    assert found.total > 0


def test_without_documents_no_pdf_is_fetched(site, tmp_path):
    site.reset_requests()
    report, texts, reader = crawl_and_index(site, tmp_path, documents=False)
    assert texts == []
    assert not [path for path in site.requests if ".pdf" in path]
    assert reader.search(SearchRequest(q=PHRASE, include_procedural=True)).total == 0
