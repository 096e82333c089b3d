"""Precision and recall of speaker attribution over the labelled set (speaker_eval.toml).

A pair is (passage, canonical speaker). Precision matters as much as recall: a
speaker facet that lists people who only appear in an apologies line is wrong
in a way users notice. Run with ``pytest -s`` to see the figures.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage
from tests.conftest import corpus_dir

THRESHOLD = 0.95


def _people(data: dict, name: str) -> tuple[Member, ...]:
    return tuple(Member(**p) for p in data["context"][name]["people"])


def example_results(data: dict) -> list[tuple[str, set[str], set[str]]]:
    """(label, expected, predicted) for every hand-written example, groups attributed together."""
    out = []
    numbered = list(enumerate(data["example"], start=1))
    for key, run in itertools.groupby(numbered, key=lambda e: e[1].get("group") or f"#{e[0]}"):
        run = list(run)
        context = run[0][1]["context"]
        passages = [Passage(f"p{n}", ex["text"]) for n, ex in run]
        done = attribute(passages, _people(data, context), run[0][1].get("chair"))
        for (n, ex), passage in zip(run, done):
            out.append((f"example {n} ({key})", set(ex["speakers"]), set(passage.speakers)))
    return out


def kingston_results(data: dict, corpus: Path) -> list[tuple[str, set[str], set[str]]]:
    """(label, expected, predicted) for every minutes paragraph of the labelled Kingston pages.

    Fails when a paragraph has no label, a label no paragraph, or a prefix differs:
    the parser changed and the labels must be reviewed.
    """
    from crawler.moderngov import parse_meeting_page

    out = []
    for page in data["page"]:
        parsed = parse_meeting_page((corpus / page["file"]).read_bytes(), page["url"], source="kingston")
        labels = {(lab["item"], lab["para"]): lab for lab in page["labels"]}
        people = _people(data, page["context"])
        for item in parsed.items:
            passages = [Passage(f"p{i + 1}", t) for i, t in enumerate(item.minutes_paragraphs)]
            for i, passage in enumerate(attribute(passages, people)):
                label = labels.pop((item.number, i), None)
                assert label is not None, f"{page['file']} item {item.number} paragraph {i} has no label"
                assert passage.text.startswith(label["prefix"]), (
                    f"{page['file']} item {item.number} paragraph {i} drifted: "
                    f"{passage.text[:40]!r} != {label['prefix']!r}")
                out.append((f"{Path(page['file']).name} {item.number}[{i}]",
                            set(label["speakers"]), set(passage.speakers)))
        assert not labels, f"labels without paragraphs in {page['file']}: {sorted(labels)}"
    return out


def score(results) -> tuple[float, float, int, int, int]:
    tp = sum(len(e & p) for _, e, p in results)
    fp = sum(len(p - e) for _, e, p in results)
    fn = sum(len(e - p) for _, e, p in results)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def _report(name: str, results) -> tuple[float, float]:
    precision, recall, tp, fp, fn = score(results)
    print(f"\n[speaker eval] {name}: {len(results)} passages, {tp + fn} labelled pairs; "
          f"precision {precision:.3f} recall {recall:.3f} (tp={tp} fp={fp} fn={fn})")
    for label, expected, predicted in results:
        if expected != predicted:
            print(f"  MISS {label}: expected {sorted(expected)} got {sorted(predicted)}")
    return precision, recall


def test_eval_set_is_large_enough(eval_data):
    assert len(eval_data["example"]) >= 60
    assert sum(len(p["labels"]) for p in eval_data["page"]) + len(eval_data["example"]) >= 100
    for ex in eval_data["example"]:
        assert ex["context"] in eval_data["context"]


def test_kingston_prefixes_are_short_labels_not_copies(eval_data):
    for page in eval_data["page"]:
        for lab in page["labels"]:
            assert len(lab["prefix"]) <= 40


def test_kingston_labels_match_the_corpus(eval_data, corpus):
    results = kingston_results(eval_data, corpus)
    precision, recall = _report("Kingston pages", results)
    assert precision >= THRESHOLD and recall >= THRESHOLD


def test_examples_precision_and_recall(eval_data):
    precision, recall = _report("hand-written examples", example_results(eval_data))
    assert precision >= THRESHOLD and recall >= THRESHOLD


def test_overall_precision_and_recall(eval_data):
    results = example_results(eval_data)
    corpus = corpus_dir()
    part = "examples only (corpus absent)"
    if corpus.is_dir():
        results = kingston_results(eval_data, corpus) + results
        part = "Kingston pages + examples"
    precision, recall = _report(f"overall, {part}", results)
    assert precision >= THRESHOLD, f"precision {precision:.3f} < {THRESHOLD}"
    assert recall >= THRESHOLD, f"recall {recall:.3f} < {THRESHOLD}"
