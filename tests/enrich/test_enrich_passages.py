"""split_passages: stable anchors, sections, merged resolutions."""

from __future__ import annotations

import pytest

from searchsvc.enrich import split_passages
from searchsvc.enrich.passages import is_media_line, is_resolution_header


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


def test_resolution_printed_under_minutes_and_decision_is_one_passage():
    minutes = ["Councillor Ames introduced the report.", "RESOLVED that:", "1. the scheme be approved;",
               "2. a report come back in six months."]
    decision = ["RESOLVED that:", "1. The scheme be approved;", "2. a report come back in six months"]
    passages = split_passages(minutes, decision)
    assert [(p.anchor, p.section) for p in passages] == [("p1", "minutes"), ("p2", "decision")]
    assert passages[1].text.startswith("RESOLVED that:\n1. The scheme")


def test_decision_inside_a_longer_minutes_paragraph_is_not_repeated():
    minutes = ["The Board discussed the plan. RESOLVED: That the Housing Strategy 2026 to 2031 be adopted. "
               "The Chair thanked the officers."]
    passages = split_passages(minutes, ["RESOLVED: That the Housing Strategy 2026 to 2031 be adopted."])
    assert [p.section for p in passages] == ["minutes"]
    # Short, different or partly different decisions stay.
    assert len(split_passages(["Noted, with thanks."], ["Noted."])) == 2
    assert len(split_passages(["RESOLVED: That the plan be adopted."], ["RESOLVED: That the plan be rejected."])) == 2


@pytest.mark.parametrize("line", ["Audio recording – 1 minute 46 seconds", "Video recording: 12 minutes",
                                  "Webcast - 1 hour 2 minutes", "Audio recording (2:31)", "Recording 45 seconds."])
def test_media_duration_lines_are_not_passages(line):
    assert is_media_line(line)
    assert [p.text for p in split_passages([line, "The Committee noted the update."])] == \
        ["The Committee noted the update."]


def test_speech_about_recordings_stays():
    for text in ("The audio recording of the meeting would be published within 5 days.",
                 "Audio recording of item 4 was unavailable."):
        assert not is_media_line(text)
