"""Fixtures for the ModernGov parser tests: the shared corpus of real pages and golden files.

(The fetch tests in this folder keep their own fixtures in test_fetch.py.)

The corpus lives outside the repository (``tests/conftest.py``'s ``corpus_dir`` says where,
or wherever ``SEARCHSVC_CORPUS`` points); tests that need it skip with a
reason when it is absent, so the suite still runs from a bare checkout.

Golden files hold the parser's output as JSON (``records.to_dict``). A change in
output fails the test with a diff; after checking the new output by eye, rewrite
them with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/crawler``.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from searchsvc.records import to_dict

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
KINGSTON = "https://moderngov.kingston.gov.uk/"
MANCHESTER = "https://democracy.manchester.gov.uk/"


@pytest.fixture(scope="session")
def read_page(corpus):
    """``read_page("kingston/x.html")`` → the page's bytes; skips when that file is missing."""

    def read(relative: str) -> bytes:
        path = corpus / relative
        if not path.is_file():
            pytest.skip(f"corpus page {relative} not found under {corpus}")
        return path.read_bytes()

    return read


def golden_text(result: object) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def golden():
    """``golden(name, result)``: compare with ``golden/<name>.json``; UPDATE_GOLDEN=1 rewrites it."""

    def check(name: str, result: object) -> None:
        path = GOLDEN_DIR / f"{name}.json"
        actual = golden_text(result)
        if os.environ.get("UPDATE_GOLDEN") == "1":
            GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"golden file {path.name} is missing: run with UPDATE_GOLDEN=1 and review it")
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                    fromfile=f"golden/{path.name}", tofile="parser output", n=2,
                )
            )
            pytest.fail(f"parser output differs from golden/{path.name} "
                        f"(UPDATE_GOLDEN=1 to accept after review):\n{diff[:6000]}")

    return check
