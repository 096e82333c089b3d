"""Fixtures for enrichment tests: the labelled evaluation set and the real Kingston pages.

The Kingston pages are read from the shared reference corpus at test time (never
copied into the repository); tests that need them skip when it is absent.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from searchsvc.enrich import load_taxonomy
from searchsvc.records import Member

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EVAL_FILE = HERE / "speaker_eval.toml"
TAXONOMY_FILE = REPO / "config" / "topics.toml"

KINGSTON_711 = "kingston/ieListDocuments_CId711_MId10221.html"
KINGSTON_711_URL = "https://moderngov.kingston.gov.uk/ieListDocuments.aspx?CId=711&MId=10221&Ver=4"
KINGSTON_179 = "kingston/ieListDocuments_CId179_MId10214_EDITED-by-test-author.html"
KINGSTON_179_URL = "https://moderngov.kingston.gov.uk/ieListDocuments.aspx?CId=179&MId=10214&Ver=4"


def load_eval() -> dict:
    return tomllib.loads(EVAL_FILE.read_text(encoding="utf-8"))


def context_people(data: dict, name: str) -> tuple[Member, ...]:
    return tuple(Member(**person) for person in data["context"][name]["people"])


def parse_page(corpus: Path, file: str, url: str):
    """The parser engineer's MeetingPage for a corpus file."""
    from crawler.moderngov import parse_meeting_page

    return parse_meeting_page((corpus / file).read_bytes(), url, source="kingston")


@pytest.fixture(scope="session")
def eval_data() -> dict:
    return load_eval()


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(TAXONOMY_FILE)


@pytest.fixture
def kingston_711(corpus):
    return parse_page(corpus, KINGSTON_711, KINGSTON_711_URL)


@pytest.fixture
def kingston_179(corpus):
    return parse_page(corpus, KINGSTON_179, KINGSTON_179_URL)


@pytest.fixture(scope="session")
def kingston_711_people(eval_data) -> tuple[Member, ...]:
    return context_people(eval_data, "kingston711")
