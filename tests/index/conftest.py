"""Fixtures for the index tests: real Whoosh indexes on disk under tmp_path."""

from __future__ import annotations

import pytest

from searchsvc.index import IndexReader, IndexStore
from tests.index.index_model import random_docs, record


@pytest.fixture(scope="module")
def model_docs():
    return random_docs(300, seed=1234)


@pytest.fixture(scope="module")
def model_store(tmp_path_factory, model_docs):
    store = IndexStore(tmp_path_factory.mktemp("model"), build_procs=2)
    store.build_full(iter(model_docs), expected_count=len(model_docs))
    return store


@pytest.fixture(scope="module")
def model_reader(model_store):
    reader = IndexReader(model_store)
    yield reader
    reader.close()


@pytest.fixture(scope="module")
def records(model_docs):
    return [record(d) for d in model_docs]


@pytest.fixture
def store(tmp_path):
    return IndexStore(tmp_path / "data", build_procs=1)
