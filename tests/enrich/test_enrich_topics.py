"""Topic taxonomy parsing, validation and assignment (golden labels)."""

from __future__ import annotations

import pytest

from searchsvc.enrich import assign_topics, enrich_item, load_taxonomy, parse_taxonomy
from searchsvc.errors import ConfigError
from searchsvc.records import Item

SMALL = """
[[topic]]
name = "Children and families"
phrases = ["foster*", "children's centre*", "looked after"]

[[topic]]
name = "Transport and streets"
phrases = ["road*", "parking", "zebra crossing*"]

[[topic]]
name = "Environment"
phrases = ["flood*", "air quality"]
"""


@pytest.fixture
def small():
    return parse_taxonomy(SMALL, "small.toml")


def test_parse_keeps_order_and_phrases(small):
    assert small.names == ("Children and families", "Transport and streets", "Environment")
    assert small.topics[0].phrases == ("foster*", "children's centre*", "looked after")
    assert small.source == "small.toml"


def test_title_hit_is_enough(small):
    assert assign_topics("Fostering Service Annual Report", [], small) == ("Children and families",)


def test_one_body_hit_is_not_enough_two_are(small):
    assert assign_topics("Annual Report", ["The road was closed."], small) == ()
    assert assign_topics("Annual Report", ["The road was closed.", "Other roads were too."], small) == (
        "Transport and streets",)


def test_topics_come_in_taxonomy_order(small):
    title = "Flooding on roads near the children's centre"
    assert assign_topics(title, [], small) == (
        "Children and families", "Transport and streets", "Environment")


def test_stems_phrases_and_word_boundaries(small):
    assert assign_topics("Foster carers", [], small) == ("Children and families",)
    assert assign_topics("Looked  after children", [], small) == ("Children and families",)
    assert assign_topics("Children’s Centres review", [], small) == ("Children and families",)
    assert assign_topics("Railroads", [], small) == ()  # road* matches word starts only
    assert assign_topics("Air Quality", [], small) == ("Environment",)


def test_place_names_are_not_topics(small):
    assert assign_topics("Planning application: 24 Church Street", ["At 12 Kestrel Road."], small) == ()
    assert assign_topics("Parking on Church Street", [], small) == ("Transport and streets",)
    assert assign_topics("Report", ["Residents on Hook Road and Mill Road asked for it."], small) == ()


def test_a_minor_body_topic_is_dwarfed_by_the_main_one(small):
    body = ["Road works on the road."] * 30 + ["Flooding and more flooding."]
    assert assign_topics("Report", body, small) == ("Transport and streets",)
    assert assign_topics("Flood report", body, small) == ("Transport and streets", "Environment")


@pytest.mark.parametrize("text, key", [
    ("[[topic]\nname = 1", "not valid TOML"),
    ("title = 'x'", "unknown key 'title'"),
    ("topic = 3", "key 'topic'"),
    ("[[topic]]\nphrases = ['a']", "topic[1].name"),
    ("[[topic]]\nname = 'A'\n", "topic[1] ('A').phrases"),
    ("[[topic]]\nname = 'A'\nphrases = 'road'", "topic[1] ('A').phrases"),
    ("[[topic]]\nname = 'A'\nphrases = ['Road']", "'Road' is not a lower-case word"),
    ("[[topic]]\nname = 'A'\nphrases = ['r*']", "too short"),
    ("[[topic]]\nname = 'A'\nphrases = ['a b']\nweight = 2", "topic[1].weight"),
    ("[[topic]]\nname = 'A'\nphrases = ['road']\n[[topic]]\nname = 'a'\nphrases = ['x']",
     "topic[2] ('a').name: duplicate"),
])
def test_malformed_taxonomy_names_file_and_key(text, key):
    with pytest.raises(ConfigError) as error:
        parse_taxonomy(text, "config/topics.toml")
    assert "config/topics.toml" in str(error.value)
    assert key in str(error.value)


def test_load_taxonomy_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="nope.toml"):
        load_taxonomy(missing)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[topic]]\nname = 'A'\nphrases = [1]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml: topic\[1\] \('A'\).phrases"):
        load_taxonomy(bad)


def test_default_taxonomy_covers_the_navigation_list(taxonomy):
    for name in ("Children and families", "Education and learning", "Health and social care",
                 "Housing", "Planning and building control", "Transport and streets",
                 "Environment", "Waste and recycling", "Council and democracy",
                 "Finance and budget", "Crime and community safety", "Leisure and culture",
                 "Business and economy", "Benefits", "Libraries"):
        assert name in taxonomy.names


@pytest.mark.parametrize("title, body, expected", [
    ("Fostering Service Annual Report 2025", ["The service recruited 14 new foster carers."],
     ("Children and families",)),
    ("Homelessness Strategy 2026-2031", ["Rough sleeping had fallen; temporary accommodation costs rose."],
     ("Housing",)),
    ("Local Plan Regulation 18 Consultation", ["The draft Local Plan allocates sites for 9,000 homes."],
     ("Planning and building control",)),
    ("Waste Collection Contract Extension", ["The contract for refuse and recycling collection ends in 2027."],
     ("Waste and recycling", "Finance and budget")),
    ("Library Service Review", ["Opening hours at three libraries would change."], ("Libraries",)),
    ("Budget 2026/27 and Council Tax Setting", ["The revenue budget is balanced using reserves."],
     ("Finance and budget",)),
    ("Air Quality Action Plan", ["Nitrogen dioxide levels exceeded limits at two sites."], ("Environment",)),
    ("School Place Planning", ["Demand for secondary school places will peak in 2028."],
     ("Education and learning",)),
    ("Adult Social Care Charging Policy", ["Residents in care homes will be assessed."],
     ("Health and social care",)),
    ("Knife Crime and Violence Reduction", ["The police reported 40 offences."],
     ("Crime and community safety",)),
    ("Annual Governance Statement", ["The statement was approved."], ("Council and democracy",)),
    ("Any Other Business", ["None."], ()),
])
def test_hand_written_golden_topics(taxonomy, title, body, expected):
    assert assign_topics(title, body, taxonomy) == expected


# Kingston golden labels, by item number: (topics, procedural). Procedural items get no topics.
KINGSTON_711 = {
    "54.": ((), True),
    "55.": ((), True),
    "56.": ((), True),
    "57.": ((), False),  # a declaration; place names (Dickerage Road) do not make it transport
    "58.": ((), True),
    "59.": (("Transport and streets", "Council and democracy"), False),  # a petition
    "60.": (("Education and learning", "Transport and streets"), False),  # walking to school
    "61.": (("Crime and community safety",), False),
    "62.": (("Transport and streets", "Finance and budget"), False),
    "63.": (("Children and families", "Health and social care", "Council and democracy",
             "Finance and budget", "Community and voluntary sector"), False),
    "64.": (("Council and democracy",), False),
    "65.": ((), True),
}
KINGSTON_179 = {
    "29.": (("Housing",), False),  # questions about HMOs
    "30.": ((), True),
    "31.": ((), True),
    "32.": ((), True),
    "33.": ((), True),
    "34.": (("Crime and community safety",), False),
    "35.": (("Children and families", "Education and learning", "Council and democracy",
             "Finance and budget", "Leisure and culture", "Community and voluntary sector"), False),
    "36.": (("Council and democracy",), False),
    "37.": (("Council and democracy",), False),
    "38.": ((), True),
}


@pytest.mark.parametrize("fixture, golden", [("kingston_711", KINGSTON_711),
                                             ("kingston_179", KINGSTON_179)])
def test_kingston_golden_topics_and_procedural(request, taxonomy, fixture, golden):
    page = request.getfixturevalue(fixture)
    got = {}
    for item in page.items:
        enriched = enrich_item(item, (), taxonomy)
        got[item.number] = (enriched.topics, enriched.procedural)
    assert got == golden


def test_enrich_item_topics_use_agenda_text(taxonomy):
    item = Item(source="t", meeting_id="1", item_id="1", position=1, title="Report",
                agenda_text="To consider the fostering sufficiency strategy for looked after children.",
                minutes_paragraphs=("The Committee noted the report.",))
    assert enrich_item(item, (), taxonomy).topics == ("Children and families",)
