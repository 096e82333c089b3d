"""Golden files of what the printed-minutes reader makes of laid-out minutes (header, minutes,
paragraphs with pages). After checking a change by eye, rewrite them with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/printed/test_golden.py``."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from crawler.printed.minutes import read_printed_minutes
from searchsvc.records import to_dict
from searchsvc.sample import Council
from searchsvc.sample.printed import printed_minutes_pdf
from tests.printed.shapes import SHAPES

GOLDEN = Path(__file__).resolve().parent / "golden"


def _sample() -> bytes:
    council = Council(seed=3, size=0.15, printed=True)
    cid = next(c.committee_id for c in council.committees() if council.printed_only(c.committee_id))
    meeting = [m for m in council.meetings(cid) if m.minutes_published and m.meeting_id % 2][1]  # two columns
    return printed_minutes_pdf(council, meeting)


CASES = {f.__name__: (lambda f=f: f().pdf()) for f in SHAPES} | {"sample_two_columns": _sample}


@pytest.mark.parametrize("name", sorted(CASES))
def test_printed_minutes_match_golden(name):
    got = json.dumps(to_dict(read_printed_minutes(CASES[name]())), indent=1, ensure_ascii=False, sort_keys=True)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(got + "\n", encoding="utf-8")
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"golden file {path.name} was missing and has been written; check it and run again")
    want = path.read_text(encoding="utf-8").rstrip("\n")
    if got != want:
        diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "now", lineterm="", n=2))
        pytest.fail(f"{name} differs from {path.name}:\n{diff[:4000]}")
