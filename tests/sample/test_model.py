"""The sample council's model: determinism, size, and the ground truth being self-consistent."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import datetime

import pytest

from searchsvc.sample import CANCELLED, FUTURE, HELD, TODAY, Council, truncate
from searchsvc.sample.model import TRUNCATE_AT, municipal_year


@pytest.fixture(scope="module")
def full() -> Council:
    return Council(seed=1, size=1.0)


@pytest.fixture(scope="module")
def small() -> Council:
    return Council(seed=1, size=0.05)


def test_same_seed_same_council_and_different_seed_differs() -> None:
    a, b, c = Council(seed=7, size=0.05), Council(seed=7, size=0.05), Council(seed=8, size=0.05)
    assert a.meetings() == b.meetings()
    mid = a.meetings()[len(a.meetings()) // 2].meeting_id
    assert a.items(mid) == b.items(mid) and a.attendance(mid) == b.attendance(mid)
    assert [m.start for m in a.meetings()] != [m.start for m in c.meetings()]


def test_generation_does_not_depend_on_order(small: Council) -> None:
    mids = [m.meeting_id for m in small.meetings()]
    forward = {mid: small.items(mid) for mid in mids}
    fresh = Council(seed=1, size=0.05)
    assert {mid: fresh.items(mid) for mid in reversed(mids)} == forward


def test_full_size_meets_the_minimums(full: Council) -> None:
    stats = full.stats()
    assert stats["committees"] >= 6 and stats["meetings"] >= 300 and stats["items"] >= 3000
    years = {m.start.year for m in full.meetings()}
    assert min(years) <= 2015 and max(years) >= 2026 and len(years) >= 10
    assert 0.01 <= stats["cancelled"] / stats["meetings"] <= 0.06
    future = [m for m in full.meetings() if m.status == FUTURE]
    assert future and all(m.start > TODAY for m in future)
    assert all(m.start <= TODAY for m in full.meetings() if m.status == HELD)
    assert 8 <= stats["items"] / stats["meetings"] <= 12


def test_model_build_is_fast_and_lazy() -> None:
    t = time.perf_counter()
    Council(seed=2, size=1.0)
    assert time.perf_counter() - t < 1.0
    big = Council(seed=2, size=100)  # ~68k meetings: only the index is built
    assert big.stats()["items"] > 300_000
    sample = big.meetings()[::5000]
    per_item = sum(len(it.minutes) for m in sample for it in big.items(m.meeting_id)) / sum(
        len(big.items(m.meeting_id)) for m in sample)
    assert big.stats()["items"] * per_item > 1_000_000  # passages
    assert len(big._cache) <= 256


def test_paragraph_counts_and_truncation(full: Council) -> None:
    counts, truncated = Counter(), 0
    for m in full.meetings()[::7]:
        for it in full.items(m.meeting_id):
            if it.kind == "substantive" and it.minutes:
                counts[len(it.minutes)] += 1
                truncated += it.truncated
    total = sum(counts.values())
    assert sum(n for k, n in counts.items() if 3 <= k <= 6) / total > 0.8
    assert truncated > 0
    paras = ["word " * 200, "more " * 200]
    shown, cut = truncate([p.strip() for p in paras])
    assert cut and len(" ".join(shown)) <= TRUNCATE_AT + 5 and paras[0].strip().startswith(shown[0])


def test_minute_numbers_run_on_through_the_municipal_year(full: Council) -> None:
    cid = full.committees()[1].committee_id
    last: dict[int, int] = {}
    for m in full.meetings(cid):
        items = full.items(m.meeting_id)
        if not items:
            continue
        numbers = [int(it.number.rstrip(".")) for it in items]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        year = municipal_year(m.start)
        assert numbers[0] == last.get(year, 0) + 1
        last[year] = numbers[-1]
    assert max(last.values()) > 20


def test_item_ids_and_documents_lead_back_to_their_meeting(small: Council) -> None:
    ids = set()
    for m in small.meetings():
        for it in small.items(m.meeting_id):
            assert it.item_id not in ids
            ids.add(it.item_id)
            assert small.item(it.item_id) == it and it.meeting_id == m.meeting_id
            for doc in it.all_documents:
                assert small.document(doc.doc_id) == (it, doc)
    agenda_ids = [m.agenda_id for m in small.meetings()]
    assert len(set(agenda_ids)) == len(agenda_ids)


def test_speakers_are_people_at_the_meeting(full: Council) -> None:
    public = {"Mr Tom Hale", "Ms Ada Finch", "Mrs Joan Petty", "Mr Lewis Grant"}
    forms = Counter()
    for m in full.meetings()[::11]:
        if m.status != HELD or not m.minutes_published:
            continue
        there = {a.name for a in full.attendance(m.meeting_id) if a.attendance != "Apologies"}
        away = {a.name for a in full.attendance(m.meeting_id) if a.attendance == "Apologies"}
        for it in full.items(m.meeting_id):
            for p in it.minutes:
                assert set(p.speakers) <= there | public, (p.text, p.speakers)
                assert len(p.raw) >= len(p.speakers)
                forms.update(p.raw)
            if it.kind == "apologies":
                assert all(not p.speakers for p in it.minutes)
                assert all(name.split()[-1] in it.minutes[0].text for name in away)
    # the variety of reported-speech forms the brief asks for
    patterns = [r"Councillor [\w']+", r"Cllr [A-Z]\. [\w']+", r"Councillor \w+ [\w']+", r"She", r"He",
                r"The Chair", r"The (Chair|Mayor) \(Councillor [\w']+\)", r"The Head of [\w ]+",
                r"the Director", r"(Mr|Mrs|Ms|Dr) \w+( \w+)?"]
    for pattern in patterns:
        assert any(re.fullmatch(pattern, raw) for raw in forms), pattern


def test_reported_speech_shapes_and_non_speakers(full: Council) -> None:
    texts: dict[str, tuple[str, ...]] = {}
    for m in full.meetings()[::3]:
        for it in full.items(m.meeting_id):
            for p in it.minutes:
                texts.setdefault(p.text.split(" ")[0] + " " + p.text.split(" ")[1], p.speakers)
                one_sentence = p.text.count(". ") == 0  # some paragraphs hold two exchanges
                if p.text.startswith(("Apologies", "RESOLVED", "None were declared")) or (
                        one_sentence and p.text.startswith(("It was noted", "Members noted"))):
                    assert p.speakers == (), p.text
                if p.text.startswith("On answering a question from") or p.text.startswith("In response to a question"):
                    assert len(p.speakers) >= 2  # questioner and answerer (more when two exchanges)
                if " moved, and " in p.text:
                    assert len(p.speakers) >= 2
                if p.text.startswith(("She ", "He ")):
                    assert len(p.speakers) >= 1
    assert any(k.startswith("On answering") for k in texts)
    assert any(k.startswith("Mr ") or k.startswith("Dr ") for k in texts)


def test_declarations_are_recorded(full: Council) -> None:
    found = [d for m in full.meetings() for it in full.items(m.meeting_id) for d in it.declarations]
    assert found and {d.kind for d in found} >= {"pecuniary", "non-pecuniary"}
    assert any(not d.member.startswith("Councillor") for d in found)  # "Mr M Balfour declared…"


def test_membership_changes_over_the_years(full: Council) -> None:
    cid = full.committees()[2].committee_id
    early = {m.name for m in full.membership(cid, datetime(2016, 1, 1))}
    late = {m.name for m in full.membership(cid, TODAY)}
    assert early != late
    roles = Counter(m.role for m in full.membership(cid))
    assert roles["Chair"] == 1 and roles["Vice-Chair"] == 1 and roles["Committee Member"] >= 3
    assert len(full.people()) >= 40 and len(full.officers()) >= 10


def test_hostile_strings_are_in_the_ground_truth(small: Council) -> None:
    titles = [it.title for m in small.meetings() for it in small.items(m.meeting_id)]
    assert any("<script>alert(1)</script>" in t for t in titles)
    assert any("Fish & Chips" in t for t in titles)
    hostile = [it for m in small.meetings() for it in small.items(m.meeting_id) if it.kind == "hostile_petition"]
    assert hostile[0].truncated


def test_mutations_change_ground_truth_and_modified_times() -> None:
    c = Council(seed=3, size=0.05)
    held = [m for m in c.meetings() if m.status == HELD and m.minutes_published]
    m = held[-1]
    before = m.modified
    item = next(it for it in c.items(m.meeting_id) if it.kind == "substantive")
    c.edit_minutes(item.item_id, ["Councillor Smith said that the item was withdrawn."])
    assert c.item(item.item_id).minutes_paragraphs == ("Councillor Smith said that the item was withdrawn.",)
    assert c.meeting(m.meeting_id).modified > before
    c.append_minutes(item.item_id, "The Committee noted the position.")
    assert len(c.item(item.item_id).minutes) == 2
    c.remove_item(item.item_id)
    with pytest.raises(KeyError):
        c.item(item.item_id)
    c.cancel_meeting(held[0].meeting_id)
    assert c.meeting(held[0].meeting_id).status == CANCELLED and c.items(held[0].meeting_id) == ()
    cid = m.committee_id
    new = c.add_meeting(cid, datetime(2026, 3, 10, 19, 0))
    assert c.meeting(new).status == FUTURE and c.items(new) and not any(it.minutes for it in c.items(new))
    past = c.add_meeting(cid, datetime(2025, 6, 10, 19, 0))
    assert c.meeting(past).minutes_published and any(it.minutes for it in c.items(past))
    numbers = {it.number for mm in c.meetings(cid) for it in c.items(mm.meeting_id)
               if municipal_year(mm.start) == 2025}
    assert len(numbers) == sum(len(c.items(mm.meeting_id)) for mm in c.meetings(cid)
                               if municipal_year(mm.start) == 2025)  # added meetings never reuse numbers
