"""Speaker attribution, one construction per test, and name resolution."""

from __future__ import annotations

import time

import pytest

from searchsvc.enrich import attribute, find_speakers
from searchsvc.enrich.names import Directory, normalise_role, parse_name, role_key
from searchsvc.records import Member, Passage

PEOPLE = (
    Member("Councillor Jan Reed", "Chair"),
    Member("Councillor Bob Smith", "Vice-Chair"),
    Member("Councillor Ann Crute"),
    Member("Councillor Priya Bryce"),
    Member("Dr Helen Achebe", "Director of Public Health", attendance="In attendance"),
)


def speakers(*texts: str, people=PEOPLE, chair=None) -> list[tuple[str, ...]]:
    passages = [Passage(f"p{n}", t) for n, t in enumerate(texts, start=1)]
    return [p.speakers for p in attribute(passages, people, chair)]


def one(text: str, **kw) -> tuple[str, ...]:
    return speakers(text, **kw)[0]


@pytest.mark.parametrize("text, expected", [
    ("Councillor Reed referred to the report.", ("Councillor Jan Reed",)),
    ("Cllr J. Reed asked about foster care.", ("Councillor Jan Reed",)),
    ("Cllr. Reed queried the figures.", ("Councillor Jan Reed",)),
    ("Councillor J Reed explained her concerns.", ("Councillor Jan Reed",)),
    ("Councillor Jan Reed said that the service was improving.", ("Councillor Jan Reed",)),
    ("Councillor Reed also asked about the budget.", ("Councillor Jan Reed",)),
    ("Councillor Reed, in response, confirmed the figures.", ("Councillor Jan Reed",)),
])
def test_councillor_subject_forms(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("verb", [
    "said", "asked", "referred to it", "explained", "reported", "queried", "questioned it",
    "replied", "responded", "confirmed", "advised", "clarified", "suggested", "proposed",
    "moved", "seconded", "declared", "welcomed it", "thanked them", "stated", "added",
    "expressed concern", "raised", "highlighted", "commented", "presented", "introduced it",
    "undertook to", "requested", "urged", "noted", "emphasised", "acknowledged", "agreed",
    "outlined", "summarised", "sought", "indicated", "felt", "considered", "believed",
    "reminded them", "assured them", "praised", "congratulated", "spoke", "pointed out",
    "went on to say", "made a statement", "gave an update", "provided a briefing",
])
def test_speech_verbs(verb):
    assert one(f"Councillor Crute {verb} that it was so.") == ("Councillor Ann Crute",)


@pytest.mark.parametrize("text", [
    "Apologies were received from Councillor Crute.",
    "Councillor Crute had left the meeting.",
    "Councillor Crute was not present.",
    "The Committee were informed that the scheme was funded.",
    "Members noted the report.",
    "The Committee RESOLVED that the report be noted.",
    "Members noted the report of the Director of Housing.",
    "At the request of Councillor Crute, the item was deferred.",
    "The Committee thanked Councillor Crute for her work.",
    "Councillor Crute would circulate the figures.",
    "Councillor Crute's amendment was lost.",
    "Councillors Crute and Bryce voted against.",
    "The report of the Director of Place outlined three options.",
    "The Director of Place was asked to report back.",
    "RESOLVED that the Director of Place be authorised to sign the contract.",
    "A resident asked about parking.",
    "Officers explained the scheme.",
    "The minutes were signed by the Chair.",
])
def test_mentions_that_are_not_speech(text):
    assert one(text) == ()


def test_question_from_gives_two_speakers():
    assert one("On answering a question from Councillor Crute the Head of Planning "
               "explained the policy.") == ("Councillor Ann Crute", "Head of Planning")
    assert one("In response to a question from Cllr Bryce, the Director said it was funded.",
               people=PEOPLE[:4]) == ("Councillor Priya Bryce", "Director")


def test_moved_and_seconded():
    assert one("Councillor Crute moved, and Councillor Bryce seconded, the motion.") == (
        "Councillor Ann Crute", "Councillor Priya Bryce")
    assert one("It was moved by Councillor Bryce and seconded by Councillor Crute that the "
               "report be noted.") == ("Councillor Priya Bryce", "Councillor Ann Crute")
    assert one("A proposal was made by the Chair to defer. The proposal was seconded by "
               "Councillor Crute.") == ("Councillor Jan Reed", "Councillor Ann Crute")
    assert one("A decision made by the Director was reported to the Committee.") == ()


def test_plural_councillors():
    assert one("Councillors Reed and Smith asked about the budget.") == (
        "Councillor Jan Reed", "Councillor Bob Smith")
    assert one("Councillor Reed and Councillor Crute both praised the service.") == (
        "Councillor Jan Reed", "Councillor Ann Crute")


def test_chair_forms():
    assert one("The Chair thanked officers.") == ("Councillor Jan Reed",)
    assert one("The Chairman welcomed everyone.") == ("Councillor Jan Reed",)
    assert one("the Chairperson asked for order.") == ("Councillor Jan Reed",)
    assert one("The Vice-Chair queried the date.") == ("Councillor Bob Smith",)
    assert one("The Chair (Councillor Smith) thanked officers.") == ("Councillor Bob Smith",)
    assert one("The Chair thanked officers.", people=()) == ("The Chair",)
    assert one("The Chair thanked officers.", people=(), chair="Councillor Ann Crute") == (
        "Councillor Ann Crute",)
    # The chair argument wins over the membership role: someone else chaired tonight.
    assert one("The Chair thanked officers.", chair="Councillor Crute") == ("Councillor Ann Crute",)


def test_offices_and_portfolio_holders():
    assert one("The Mayor congratulated the winners.", people=()) == ("The Mayor",)
    assert one("The Leader of the Council stated the position.") == ("The Leader",)
    assert one("The Deputy Leader, Councillor Crute, moved the report.") == ("Councillor Ann Crute",)
    assert one("The Cabinet Member for Children's Services, Councillor Bryce, said it was on track."
               ) == ("Councillor Priya Bryce",)
    assert one("The Portfolio Holder for Environment indicated support.") == (
        "Portfolio Holder for Environment",)


@pytest.mark.parametrize("text, expected", [
    ("The Head of Early Help, Assessment and Safeguarding explained the figures.",
     "Head of Early Help, Assessment and Safeguarding"),
    ("The Director of Children's Services said it was improving.", "Director of Children's Services"),
    ("The Assistant Director of Highways outlined the options.", "Assistant Director of Highways"),
    ("The Chief Executive responded.", "Chief Executive"),
    ("The Monitoring Officer advised Members.", "Monitoring Officer"),
    ("The Strategic Manager for Housing Needs outlined the pathway.", "Strategic Manager for Housing Needs"),
    ("The Planning Officer introduced the application.", "Planning Officer"),
    ("The Democratic Services Officer reported the numbers.", "Democratic Services Officer"),
    ("The Section 151 Officer confirmed the budget.", "Section 151 Officer"),
    ("The Service Manager confirmed the waiting list.", "Service Manager"),
    ("The Interim Head of Finance clarified the point.", "Interim Head of Finance"),
    ("the head of planning said that it was dismissed.", "Head of Planning"),
    ("The Senior Property Strategy & Projects Officer presented the report.",
     "Senior Property Strategy & Projects Officer"),
])
def test_officer_roles(text, expected):
    assert one(text) == (expected,)


def test_officer_role_resolves_to_the_named_holder():
    assert one("The Director of Public Health emphasised the risk.") == ("Dr Helen Achebe",)


def test_short_role_takes_the_one_fuller_post_that_fits():
    # The only director present is the Director of Public Health (Dr Achebe).
    assert one("The Director said it was funded.") == ("Dr Helen Achebe",)
    officers = (Member("Director of Place", "Officer"), Member("Director of Children's Services",
                                                               "Officer"))
    assert one("The Director said it was funded.", people=officers) == ("Director",)
    # ... unless the item itself names the post in full.
    assert speakers("The Director of Place introduced the report.",
                    "The Director said it was funded.", people=officers) == [
        ("Director of Place",), ("Director of Place",)]
    assert one("The Strategic Manager, Planning reported objections.", people=()) == (
        "Strategic Manager, Planning",)
    # Offices never match by prefix, and the Mayor is only resolved through the role.
    assert one("The Leader stated the position.",
               people=(Member("Councillor Ann Crute", "Leader of the Opposition"),)) == (
        "The Leader",)
    assert one("The Mayor thanked officers.") == ("The Mayor",)
    assert one("The Mayor thanked officers.",
               people=PEOPLE + (Member("Councillor Ann Crute", "Mayor"),)) == ("Councillor Ann Crute",)


def test_titled_people():
    assert one("Mr M Balfour declared an interest.") == ("Mr M Balfour",)
    assert one("Mrs T Onslow asked a question.") == ("Mrs T Onslow",)
    assert one("Dr Helen Achebe, Director of Public Health, reported on rates.") == ("Dr Helen Achebe",)
    assert one("Professor Sir John Tate suggested a venue.") == ("Professor Sir John Tate",)
    assert one("Inspector Jane Walsh reported a fall in burglaries.") == ("Inspector Jane Walsh",)
    assert one("Jane Smith, Head of Planning, explained the recommendation.") == ("Jane Smith",)
    assert one("Mark Jones (Head of Highways) explained the programme.") == ("Mark Jones",)


def test_less_common_constructions():
    assert one("'We will act,' said Councillor Reed.") == ("Councillor Jan Reed",)
    assert one("According to the Director, the scheme was funded.", people=()) == ("Director",)
    assert one("Councillor Reed (Labour) asked about funding.") == ("Councillor Jan Reed",)
    assert one("Councillor Reed (Chair) asked about funding.") == ("Councillor Jan Reed",)
    assert one("The Assistant Chief Executive (Governance) explained.") == (
        "Assistant Chief Executive",)
    assert one("Councillor van der Berg asked about the dykes.") == ("Councillor van der Berg",)
    assert one("Councillor Mrs J. Smith-Jones MBE said it was a success.") == (
        "Councillor Mrs J Smith-Jones",)
    assert one("Mr Graham Peters, an objector, addressed the Committee.") == ("Mr Graham Peters",)
    assert one("Councillor Hussain, seconded by Councillor Das, moved an amendment.") == (
        "Councillor Hussain", "Councillor Das")
    assert one("The discussion was led by Councillor Crute.") == ("Councillor Ann Crute",)


def test_pronouns_continue_the_previous_speaker():
    assert speakers("The Head of Housing reported the numbers.", "She added that costs had risen."
                    ) == [("Head of Housing",), ("Head of Housing",)]
    assert speakers("Councillor Crute asked a question. He confirmed nothing.") == [
        ("Councillor Ann Crute",)]
    # No antecedent: nothing invented.
    assert speakers("She added that costs had risen.") == [()]
    # An anonymous speaker in between takes the pronoun.
    assert speakers("The Chair opened the item.", "A Member asked about costs.",
                    "He asked that they be published.")[2] == ()


def test_find_speakers_returns_mentions_with_parts():
    (mention,) = find_speakers("Cllr J. Reed asked about parking.")
    assert (mention.raw, mention.kind, mention.title, mention.name, mention.verb) == (
        "Cllr J. Reed", "councillor", "Councillor", "J. Reed", "asked")
    previous = mention
    (pronoun,) = find_speakers("She added a point.", previous)
    assert (pronoun.raw, pronoun.name, pronoun.how) == ("She", "J. Reed", "pronoun")
    (officer,) = find_speakers("Dr Helen Achebe, Director of Public Health, reported.")
    assert (officer.kind, officer.name, officer.role) == (
        "officer", "Helen Achebe", "Director of Public Health")


def test_raw_speakers_keep_the_phrases_as_written():
    (passage,) = attribute([Passage("p1", "The Chair (Councillor Smith) thanked Cllr J. Reed, "
                                          "and Cllr J. Reed said thanks.")], PEOPLE)
    assert passage.speakers == ("Councillor Bob Smith", "Councillor Jan Reed")
    assert passage.raw_speakers == ("The Chair (Councillor Smith)", "Cllr J. Reed")


def test_passages_keep_their_other_fields():
    (passage,) = attribute([Passage("p7", "Councillor Crute asked.", section="decision")], PEOPLE)
    assert (passage.anchor, passage.section) == ("p7", "decision")


# --- names ---------------------------------------------------------------------------

def test_parse_name():
    assert parse_name("Cllr J. Reed") == parse_name("Councillor J Reed")
    name = parse_name("Councillor Dr Jane Smith-Jones MBE")
    assert (name.titles, name.forenames, name.surname) == (("Councillor", "Dr"), ("Jane",), "Smith-Jones")
    assert parse_name("Cllr P.K. Das").forenames == ("P", "K")


def test_resolution_needs_an_unambiguous_match():
    directory = Directory([Member("Councillor Alice Smith", "Chair"), Member("Councillor Bob Smith")])
    assert directory.person("Councillor Smith") is None
    assert directory.person("Cllr A. Smith") == "Councillor Alice Smith"
    assert directory.person("Councillor Bob Smith") == "Councillor Bob Smith"
    assert directory.person("Mr Smith") is None  # honorific vs councillor: another person
    assert directory.person_or_written("Cllr J. Reed") == "Councillor J Reed"


def test_fuller_forms_written_in_the_item_resolve_shorter_ones():
    assert speakers("Councillor Ian Fraser asked a question.", "Cllr I. Fraser asked again.",
                    "Councillor Fraser thanked the Leader and said so.", people=()) == [
        ("Councillor Ian Fraser",)] * 3
    # Initials are a fuller form when the item spells out no forename (the labelling rules:
    # the fullest form written in the item), and a spelt-out form still wins over them.
    assert speakers("Cllr P. K. Das asked.", "Councillor Das asked.", people=()) == [
        ("Councillor P K Das",), ("Councillor P K Das",)]
    assert speakers("Cllr P. Das asked.", "Councillor Priya Das replied.", "Councillor Das asked.",
                    people=()) == [("Councillor Priya Das",)] * 3


def test_roles():
    assert role_key("the Chairman") == "chair"
    assert role_key("Vice Chairman") == "vice-chair"
    assert role_key("Chair of the Committee") == "chair"
    assert normalise_role("the head of planning") == "Head of Planning"
    assert normalise_role("The Head of Early Help, Assessment and Safeguarding") == (
        "Head of Early Help, Assessment and Safeguarding")
    assert Directory([Member("Councillor A Person", "Committee Member")]).role("committee member") == (
        "Committee Member")


def test_speed_floor():
    """A loose floor to catch catastrophic backtracking; bench_speakers.py reports the real rate."""
    texts = [
        "The Committee considered a report outlining the proposed redistribution of unspent "
        "Councillor Ward Funding with any funds unspent being redistributed. " * 3,
        "On answering a question from Councillor Crute the Head of Planning explained the policy.",
        "Apologies were received from Councillors Noel Hadjimichael, Patrick Hall and John Sweeney.",
        "The Chair moved this item up the agenda with the agreement of the Chair.",
    ] * 500
    passages = [Passage(f"p{n}", t) for n, t in enumerate(texts)]
    start = time.perf_counter()
    for n in range(0, len(passages), 8):
        attribute(passages[n:n + 8], PEOPLE)
    rate = len(passages) / (time.perf_counter() - start)
    assert rate > 1000, f"{rate:.0f} passages/s"
