"""Topics and procedural flags on the sample council, against the generator's own labels.

The generator writes each substantive item about one topic and marks procedural items; our
taxonomy and rules never see those labels, so this is a check of the enrichment, not of itself.
"""

from __future__ import annotations

import pytest

from searchsvc.enrich import enrich_item
from searchsvc.records import Item
from searchsvc.sample import SampleSite

# The generator's topic keys and the taxonomy topic each should produce (licensing has no
# topic of its own in the Local Government Navigation List's top level).
EXPECTED_TOPIC = {
    "children": "Children and families", "schools": "Education and learning",
    "adult_social_care": "Health and social care", "health": "Health and social care", "housing": "Housing",
    "planning": "Planning and building control", "transport": "Transport and streets",
    "waste": "Waste and recycling", "budget": "Finance and budget", "community_safety": "Crime and community safety",
    "leisure": "Leisure and culture", "economy": "Business and economy", "climate": "Environment",
    "governance": "Council and democracy", "grants": "Community and voluntary sector",
}


@pytest.fixture(scope="module")
def enriched(taxonomy):
    site = SampleSite(seed=1, size=0.3)
    out = []
    for info in site.iter_items():
        item = Item("sample", str(info.meeting_id), str(info.item_id), info.position, title=info.title,
                    agenda_text=" ".join(info.agenda), minutes_paragraphs=info.minutes_paragraphs,
                    decision_paragraphs=info.decision_paragraphs)
        out.append((info, enrich_item(item, [], taxonomy)))
    return out


def test_substantive_items_get_their_main_topic(enriched):
    labelled = [(info, item) for info, item in enriched if info.kind == "substantive" and info.topic in EXPECTED_TOPIC]
    found = sum(EXPECTED_TOPIC[info.topic] in item.topics for info, item in labelled)
    recall = found / len(labelled)
    print(f"\n[topics] main topic found on {found} of {len(labelled)} sample items ({recall:.3f})")
    assert len(labelled) > 800 and recall >= 0.95


def test_procedural_flags_match_the_generator(enriched):
    differ = [(info, item) for info, item in enriched if info.procedural != item.procedural]
    # One deliberate difference: "Declarations of interest" is procedure only when nothing was
    # declared; the generator calls every declarations item procedural.
    assert all(info.kind == "declarations" and info.declarations and not item.procedural for info, item in differ)
    assert all(item.procedural for info, item in enriched if info.kind in ("apologies", "minutes", "future_dates",
                                                                         "exclusion", "urgent"))
    assert not any(item.procedural for info, item in enriched if info.kind == "substantive")


def test_declared_interests_are_recorded(enriched):
    for info, item in enriched:
        if info.kind == "declarations":
            assert {d.member.split()[-1] for d in item.declarations} == \
                {d.member.split()[-1] for d in info.declarations}, info.item_id
