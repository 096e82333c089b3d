"""enrich_item end to end, on the real Kingston page and a hand-written item."""

from __future__ import annotations

import dataclasses

from searchsvc.enrich import enrich_item
from searchsvc.records import Item, Member, content_hash, from_dict, to_dict


def test_enrich_kingston_meeting(kingston_711, kingston_711_people, taxonomy):
    items = {i.number: enrich_item(i, kingston_711_people, taxonomy) for i in kingston_711.items}
    zebra = items["60."]
    by_anchor = {p.anchor: p for p in zebra.passages}
    assert by_anchor["p1"].speakers == ("Councillor Olly Wehring",)
    assert by_anchor["p1"].raw_speakers == ("The Chair",)
    spoken = [p for p in zebra.passages if "Councillor Giles" in p.speakers]
    assert len(spoken) == 1 and spoken[0].raw_speakers == ("Councillor Giles", "He")
    proposal = next(p for p in zebra.passages if p.text.startswith("A proposal was made"))
    assert proposal.speakers == ("Councillor Olly Wehring", "Councillor Farshid Sadr-Hashemi")
    assert zebra.passages[-1].section == "decision"
    # Item 63: the minutes' own "It was RESOLVED that:" keeps its numbered resolutions.
    grants = items["63."]
    resolved = next(p for p in grants.passages if p.text.startswith("It was RESOLVED that:"))
    assert "2. the application" in resolved.text
    assert items["57."].declarations[0].member == "Councillor Rowena Bass"
    # Enrichment is deterministic: same input, same hash (the catalog relies on it).
    again = enrich_item(kingston_711.items[6], kingston_711_people, taxonomy)
    assert content_hash(again) == content_hash(zebra)


def test_enrich_item_round_trips_through_records(taxonomy):
    item = Item(
        source="sample", meeting_id="9", item_id="90", position=3, number="12.",
        title="Fostering Sufficiency Strategy",
        minutes_paragraphs=(
            "Councillor Reed asked how many foster carers had been recruited.",
            "The Head of Children's Services explained that 14 had been approved.",
            "She added that a campaign would start in March.",
        ),
        decision_paragraphs=("RESOLVED that:", "1. the strategy be approved;", "2. progress be reported."),
    )
    people = [Member("Councillor Jan Reed", "Chair")]
    enriched = enrich_item(item, people, taxonomy)
    assert [(p.anchor, p.section, p.speakers) for p in enriched.passages] == [
        ("p1", "minutes", ("Councillor Jan Reed",)),
        ("p2", "minutes", ("Head of Children's Services",)),
        ("p3", "minutes", ("Head of Children's Services",)),
        ("p4", "decision", ()),
    ]
    assert enriched.topics == ("Children and families",)
    assert not enriched.procedural
    assert from_dict(Item, to_dict(enriched)) == enriched
    # Everything but the enrichment fields is untouched.
    assert dataclasses.replace(enriched, passages=(), topics=(), procedural=False,
                               declarations=()) == item
