"""Procedural flags and declarations of interest."""

from __future__ import annotations

import pytest

from searchsvc.enrich import declarations, enrich_item, is_procedural
from searchsvc.records import Declaration, Item, Member


@pytest.mark.parametrize("title, paragraphs", [
    ("Apologies for Absence", ["Apologies were received from Councillors Hall and Sweeney."]),
    ("Apologies for absence and substitutions", []),
    ("Minutes", ["The minutes of the meeting held on 18 November 2025 were approved."]),
    ("Minutes of the Previous Meeting", ["Resolved that the minutes be agreed."]),
    ("Dates of Future Meetings", ["The Committee noted the dates."]),
    ("Date of next meeting", []),
    ("Exclusion of the Press and Public", ["RESOLVED that the press and public be excluded."]),
    ("Declarations of Interest", ["There were no declarations of interest."]),
    ("Declarations of Interest", ["None."]),
    ("Declarations of Interest", []),
    ("Disclosures of Pecuniary Interests", ["No interests were declared."]),
    ("Urgent Items Authorised by the Chair", ["There were no urgent items."]),
    ("Urgent Business", ["None"]),
    ("Any Other Business", ["There was no other business."]),
    ("Chair's Announcements", []),
    ("Chairman's Announcements", ["There were no announcements."]),
    ("Petitions", ["No petitions were submitted."]),
    ("Questions from Councillors", ["No questions from councillors had been received."]),
    ("Public Questions", ["The Chair reported that no questions had been received."]),
    ("Petitions", ["It was noted that there were no petitions."]),
    ("Members' Questions", ["The Democratic Services Officer advised that no questions had been submitted."]),
    ("Members' Questions", []),
    ("Public Question Time (30 minutes)", ["No questions had been received from members of the public."]),
    ("Public Question Time", [
        "The Committee set aside a period of up to 30 minutes during which written questions "
        "could be asked.", "There were no public questions."]),
])
def test_procedural(title, paragraphs):
    assert is_procedural(title, paragraphs)


@pytest.mark.parametrize("title, paragraphs", [
    ("Declarations of Interest", ["Councillor Bass declared an interest in item 9."]),
    ("Urgent Items", ["The Chair agreed to take an urgent item on the flooding in Surbiton."]),
    ("Chair's Announcements", ["The Chair announced the death of former Councillor Lee."]),
    ("Petitions", ["A petition with 60 signatures requested traffic calming on Manorgate Road."]),
    ("Public Questions", ["A resident asked whether HMOs were licensed."]),
    # Question items with content are substance, whatever else the title names.
    ("Public Question Time (30 minutes)", ["Ms Tara Voss asked when the highways on Mill Lane would be resurfaced."]),
    ("Minutes and Public Questions", ["A question about highways maintenance was put by Mr Ode."]),
    ("Questions from Councillors", ["Councillor Lin asked the Cabinet Member about potholes."]),
    ("Questions", ["Councillor Lin asked about street lighting."]),
    ("Deputations", ["A deputation from Mill Lane residents spoke about speeding."]),
    ("Budget Questions and Answers", ["The Leader set out the savings proposals."]),
    ("Public Questions", ["The Chair reported that a question about highway verges had been received."]),
    ("Chair's Announcements", ["The Chair announced that no decision had been made on the depot yet."]),
    ("Community Safety Update", ["The Committee received a presentation."]),
    ("Minutes of the Health and Wellbeing Board", ["The Committee noted the minutes."]),
    ("Fostering Service Annual Report", []),
])
def test_not_procedural(title, paragraphs):
    assert not is_procedural(title, paragraphs)


@pytest.mark.parametrize("text, expected", [
    ("Councillor Ann Crute declared a non-pecuniary interest in item 5 as a governor of "
     "St Mary's School.", [("Councillor Ann Crute", "item 5", "non-pecuniary")]),
    ("Cllr Bryce declared a disclosable pecuniary interest in agenda item 7 (Land at Hook Road) "
     "and left the room for that item.",
     [("Councillor Bryce", "agenda item 7 (Land at Hook Road)", "pecuniary")]),
    ("Mr M Balfour declared an other registrable interest in item 6, being a trustee.",
     [("Mr M Balfour", "item 6", "other")]),
    ("Councillors Reed and Smith declared personal interests in Minute 45 as members of the "
     "Kingston Society.", [("Councillor Reed", "Minute 45", "other"),
                           ("Councillor Smith", "Minute 45", "other")]),
    ("Councillor Wooldridge declared an interest due to her employment in relation to Agenda "
     "item 8 - Quarter One Revenue Monitoring Report and stated she would not vote.",
     [("Councillor Wooldridge", "Agenda item 8 - Quarter One Revenue Monitoring Report", "")]),
    ("The Chair declared an interest as a local resident.", [("The Chair", "", "")]),
    ("There were no declarations of interest.", []),
    ("No interests were declared.", []),
    ("Members were reminded to declare any interests.", []),
])
def test_declarations(text, expected):
    got = [(d.member, d.item, d.kind) for d in declarations("Declarations of Interest", [text])]
    assert got == expected


def test_declarations_keep_the_sentence():
    (d,) = declarations("x", ["Intro. Councillor Bass declared an interest in item 9. Outro."])
    assert d.text == "Councillor Bass declared an interest in item 9."


def test_kingston_declaration(kingston_711, kingston_711_people, taxonomy):
    item = next(i for i in kingston_711.items if i.number == "57.")
    enriched = enrich_item(item, kingston_711_people, taxonomy)
    assert enriched.declarations == (Declaration(
        member="Councillor Rowena Bass",
        item="agenda 9 Coombe Lane West Zebra Crossing - Local Consultation Results",
        kind="",
        text=item.minutes_paragraphs[0],
    ),)
    assert not enriched.procedural
    others = [i for i in kingston_711.items if i.number != "57."]
    assert all(declarations(i.title, i.minutes_paragraphs) == () for i in others)


def test_kingston_179_has_no_declarations(kingston_179):
    assert all(declarations(i.title, i.minutes_paragraphs) == () for i in kingston_179.items)


def test_enrich_item_resolves_declaring_members(taxonomy):
    item = Item(source="t", meeting_id="1", item_id="1", position=1, title="Declarations of Interest",
                minutes_paragraphs=("Cllr J. Reed declared a pecuniary interest in item 4.",
                                    "The Chair declared an interest in item 6."))
    people = [Member("Councillor Jan Reed"), Member("Councillor Bob Smith", "Chair")]
    got = enrich_item(item, people, taxonomy).declarations
    assert [(d.member, d.item, d.kind) for d in got] == [
        ("Councillor Jan Reed", "item 4", "pecuniary"), ("Councillor Bob Smith", "item 6", "")]


@pytest.mark.parametrize("text, item", [
    # Issue 15 item 7: an application reference and address with commas inside the brackets.
    ("Councillor Ivy Marsh declared a personal interest in item 4 (15/01672/OUT - 6 Tanners Yard, "
     "Millbrook Road, Exton) as she lived nearby.", "item 4 (15/01672/OUT - 6 Tanners Yard, Millbrook Road, Exton)"),
    ("Councillor Ivy Marsh declared a pecuniary interest in agenda item 7 (Land at Hook Road; phase 2, "
     "plots 3-5), and left the room.", "agenda item 7 (Land at Hook Road; phase 2, plots 3-5)"),
    ("Cllr Dean declared an interest in item 9 (Budget Monitoring (Quarter 2), Revenue).",
     "item 9 (Budget Monitoring (Quarter 2), Revenue)"),
])
def test_declaration_items_keep_their_bracketed_detail(text, item):
    (found,) = declarations("Declarations of Interest", [text])
    assert found.item == item
