"""Speaker attribution on passages modelled on real councils' minutes (tests/enrich/real_eval).

The labelled set is written by rules (real_eval/RULES.md) and split by council:
``dev.toml``, ``dev2.toml``, ``dev3.toml`` and ``dev4.toml`` hold the councils attribution
may be tuned on (``dev2`` was written later from other councils, to check that tuning on
``dev`` generalises; ``dev3`` and ``dev4`` blind, by labellers who never saw the code),
``test.toml`` the councils it is judged on. This harness scores
(passage, canonical speaker) pairs for whichever files exist, prints the figures
for each with ``pytest -s``, lists MISS lines and errors grouped by cause for the
development files only (the test half must not steer tuning), and guards the
test half.

The issue's target on the test half is precision >= 0.97 and recall >= 0.92. Scored
three times, each with the engine frozen: 0.957 / 0.878, 0.972 / 0.913 and, after
``dev3`` and ``dev4``, 0.986 / 0.956. The test holds the target, so a change that loses
ground fails; never improve the figure by tuning on this half.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage

HERE = Path(__file__).resolve().parent / "real_eval"
PRECISION = 0.97  # the target
RECALL = 0.92  # the target (measured 0.956 at the last freeze)
_MEMBER_FIELDS = {"name", "role", "uid", "attendance", "party", "ward", "posts"}


def load(half: str) -> dict:
    path = HERE / f"{half}.toml"
    if not path.is_file():
        pytest.skip(f"{path.relative_to(HERE.parents[2])} is absent: the {half} half is not written yet")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _member(person: dict | str) -> Member:
    if isinstance(person, str):
        return Member(person)
    data = {k: v for k, v in person.items() if k in _MEMBER_FIELDS}
    if "posts" in data:
        data["posts"] = tuple(data["posts"])
    return Member(**data)


def _entries(data: dict) -> list[dict]:
    for key in ("passage", "passages", "example", "examples"):
        if isinstance(data.get(key), list):
            return data[key]
    raise AssertionError(f"no [[passage]] entries (keys: {sorted(data)})")


def _context(data: dict, entry: dict) -> tuple[tuple[Member, ...], str | None]:
    """The people (attendance + membership) and chair the passage's meeting gives us."""
    contexts = data.get("context", data.get("contexts", {}))
    ctx = contexts.get(entry.get("context", ""), {}) if isinstance(contexts, dict) else {}
    people = entry.get("people", ctx.get("people", []))
    chair = entry.get("chair", ctx.get("chair"))
    return tuple(_member(p) for p in people), chair


def results(data: dict) -> list[tuple[str, str, str, set[str], set[str]]]:
    """(label, council, text, expected, predicted); one group is attributed as one item."""
    out = []
    numbered = list(enumerate(_entries(data), start=1))

    def group_key(pair):
        n, entry = pair
        return entry.get("group") or entry.get("item") or f"#{n}"

    for key, run in itertools.groupby(numbered, key=group_key):
        run = list(run)
        people, chair = _context(data, run[0][1])
        passages = [Passage(f"p{n}", entry["text"], section=entry.get("section", "minutes"))
                    for n, entry in run]
        for (n, entry), passage in zip(run, attribute(passages, people, chair)):
            label = entry.get("id") or f"#{n} ({key})"
            out.append((str(label), entry.get("council", ""), entry["text"],
                        set(entry.get("speakers", [])), set(passage.speakers)))
    return out


def score(rows) -> tuple[float, float, int, int, int]:
    tp = sum(len(e & p) for *_, e, p in rows)
    fp = sum(len(p - e) for *_, e, p in rows)
    fn = sum(len(e - p) for *_, e, p in rows)
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp, fp, fn)


# --- error causes (dev half only) ---------------------------------------------------

_CAUSES = [
    ("pronoun or 'the Member'", re.compile(r"\b(?:He|She|he|she|the Member)\b")),
    ("table or list row", re.compile(r"\||\t|^\s*[^.]{0,60}\s[-–—]\s", re.MULTILINE)),
    ("role phrase (office or officer)", re.compile(
        r"\b(?:Chair|Mayor|Leader|Cabinet Member|Portfolio Holder|Director|Head|Manager|Officer|"
        r"Clerk|Executive|Adviser|Advisor|Solicitor|Commissioner|Convener|Provost)\b")),
    ("untitled name", re.compile(r"(?<![A-Za-z] )\b[A-Z][a-z]+ [A-Z][a-z]+(?: [A-Z][a-z]+)?\b")),
]


def cause(text: str, missing: set[str], extra: set[str]) -> str:
    """A coarse reason for one wrong passage, for the grouped error report."""
    side = "wrong speaker" if extra and not missing else "missed" if missing and not extra \
        else "missed and wrong"
    if missing and len(re.findall(r"\b(?:Councillor|Cllr|Mr|Mrs|Ms|Dr)\b", text)) > 2:
        return f"{side}: several people in one clause or list"
    for name, pattern in _CAUSES:
        if pattern.search(text):
            return f"{side}: {name}"
    return f"{side}: other construction"


def report(half: str, rows, details: bool) -> tuple[float, float]:
    precision, recall, tp, fp, fn = score(rows)
    councils = len({c for _, c, *_ in rows if c})
    print(f"\n[real eval] {half}: {len(rows)} passages from {councils} councils, {tp + fn} "
          f"labelled pairs; precision {precision:.3f} recall {recall:.3f} (tp={tp} fp={fp} fn={fn})")
    if details:
        causes: Counter[str] = Counter()
        for label, council, text, expected, predicted in rows:
            if expected != predicted:
                causes[cause(text, expected - predicted, predicted - expected)] += 1
                print(f"  MISS {label} [{council}]: expected {sorted(expected)} got "
                      f"{sorted(predicted)} :: {text[:160]!r}")
        print("  errors by cause:")
        for name, count in causes.most_common():
            print(f"    {count:3d}  {name}")
    return precision, recall


@pytest.mark.parametrize("half", ["dev", "dev2", "dev3", "dev4"])
def test_dev_half_figures(half):
    """Figures and misses for a tuning file; no threshold (it is what we tune on)."""
    rows = results(load(half))
    report(f"development half ({half}.toml)", rows, details=True)
    assert rows


def test_test_half_holds_its_ground():
    """The held-out councils: figures only, never the misses."""
    precision, recall = report("test half", results(load("test")), details=False)
    assert precision >= PRECISION, f"precision {precision:.3f} < {PRECISION}"
    assert recall >= RECALL, f"recall {recall:.3f} < {RECALL}"
