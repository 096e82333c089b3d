"""split_passages: stable anchors, sections, merged resolutions."""

from __future__ import annotations

from searchsvc.enrich import split_passages
from searchsvc.enrich.passages import is_resolution_header


def test_anchors_run_across_minutes_then_decision():
    passages = split_passages(["First.", "Second."], ["RESOLVED that the report be noted."])
    assert [(p.anchor, p.section, p.text) for p in passages] == [
        ("p1", "minutes", "First."),
        ("p2", "minutes", "Second."),
        ("p3", "decision", "RESOLVED that the report be noted."),
    ]


def test_empty_paragraphs_are_dropped_and_do_not_consume_anchors():
    passages = split_passages(["", "  ", "Text."], ["", "More."])
    assert [(p.anchor, p.text) for p in passages] == [("p1", "Text."), ("p2", "More.")]


def test_resolved_header_absorbs_numbered_resolutions():
    passages = split_passages([], [
        "RESOLVED that:",
        "1. the scheme be approved;",
        "2. a report be brought back in six months;",
        "3. funding be secured.",
    ])
    assert len(passages) == 1
    assert passages[0].text == ("RESOLVED that:\n1. the scheme be approved;\n"
                                "2. a report be brought back in six months;\n3. funding be secured.")
    assert passages[0].section == "decision"


def test_merge_stops_at_the_first_unnumbered_paragraph():
    passages = split_passages([
        "It was RESOLVED that:",
        "1. the redistribution be approved; and",
        "Voting: unanimous",
        "2. the application be approved.",
        "Voting: unanimous",
        "Councillors Davey, Chohan and Hamed were not present for these votes.",
    ])
    assert [p.text.split("\n")[0] for p in passages] == [
        "It was RESOLVED that:",
        "Councillors Davey, Chohan and Hamed were not present for these votes.",
    ]
    assert passages[0].text.count("\n") == 4


def test_numbered_paragraphs_without_a_header_stay_separate():
    passages = split_passages(["1. first point", "2. second point"])
    assert len(passages) == 2


def test_header_forms():
    for header in ("RESOLVED:", "RESOLVED that:", "It was RESOLVED that:", "Resolved -",
                   "RESOLVED", "AGREED:", "It was unanimously RESOLVED that:"):
        assert is_resolution_header(header), header
    for text in ("RESOLVED that the report be noted.", "The Committee agreed the minutes.",
                 "Agreed.", ""):
        assert not is_resolution_header(text), text


def test_anchors_are_stable_for_equal_input():
    a = split_passages(["One.", "RESOLVED:", "(a) x", "(b) y"], ["Two."])
    b = split_passages(["One.", "RESOLVED:", "(a) x", "(b) y"], ["Two."])
    assert a == b
    assert [p.anchor for p in a] == ["p1", "p2", "p3"]


def test_kingston_decision_becomes_one_passage(kingston_711):
    item = next(i for i in kingston_711.items if i.number == "59.")
    passages = split_passages(item.minutes_paragraphs, item.decision_paragraphs)
    decision = [p for p in passages if p.section == "decision"]
    assert len(decision) == 1
    assert decision[0].text.startswith("RESOLVED that:\n1. the introduction")
    assert decision[0].text.count("\n") == 3
    assert [p.anchor for p in passages] == [f"p{n}" for n in range(1, len(passages) + 1)]
