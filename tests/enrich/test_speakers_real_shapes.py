"""Shapes real councils' minutes take beyond our own examples (issue: generalisation).

One construction per test, in our own words: several people as one subject, material
between subject and verb, untitled names known from the meeting's attendance, the
wider speech-act lexicon, list and table rows, pronouns, role phrases, and offices
resolved to the people who held them.
"""

from __future__ import annotations

import pytest

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage

PEOPLE = (
    Member("Councillor Nadia Okafor", "Chair"),
    Member("Councillor Rhys Pryce", "Vice-Chair", posts=("Portfolio Holder for Leisure",)),
    Member(
        "Councillor Tom Gale",
        posts=("Deputy Leader of the Council and Cabinet Member for Resources",),
    ),
    Member("Councillor Eve Ross", posts=("Cabinet Member for Housing",)),
    Member("Councillor Sam Lowe", posts=("Leader of the Council",)),
    Member("Mrs Karen Osei", "Co-opted Member"),
    Member("Mr Alan Jones", "Co-opted Member"),
    Member("Ann Hill", "Service Director, Adult Care", attendance="In attendance"),
    Member("Raj Bhatt", "Service Lead", attendance="In attendance"),
    Member("Greta Fenn", "Director of Public Health", attendance="In attendance"),
    Member("Paul Marsh", "Managing Director", attendance="In attendance"),
)


def speakers(*texts: str, people=PEOPLE, chair=None) -> list[tuple[str, ...]]:
    passages = [Passage(f"p{n}", t) for n, t in enumerate(texts, start=1)]
    return [p.speakers for p in attribute(passages, people, chair)]


def one(text: str, **kw) -> set[str]:
    return set(speakers(text, **kw)[0])


# 1. several people as the subject of one verb ----------------------------------------


def test_titled_list_with_mixed_titles_shares_the_verb():
    assert one(
        "Mr P Quinn, Mrs L Dara, Prof C Lowry, and Dr N Ngata, declared an interest in "
        "item 4 as trustees of the Foundation.",
        people=(),
    ) == {"Mr P Quinn", "Mrs L Dara", "Prof C Lowry", "Dr N Ngata"}


def test_semicolon_list_of_names_with_roles():
    assert one(
        "Councillor Ross, Cabinet Member for Housing; Ann Hill, Service Director, Adult "
        "Care; and Raj Bhatt, Service Lead, attended and answered the Panel's questions."
    ) == {"Councillor Eve Ross", "Ann Hill", "Raj Bhatt"}


# 2. something between subject and verb ----------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Councillor Okafor, as Chair, moved the recommendation.", "Councillor Nadia Okafor"),
        (
            "Councillor Pryce, Portfolio Holder for Leisure, informed Members that pools would reopen.",
            "Councillor Rhys Pryce",
        ),
        (
            "An answer was provided by the Chair of the Scrutiny Board, Councillor Tom Gale.",
            "Councillor Tom Gale",
        ),
        ("In presenting the report, the Leader, noted the savings.", "Councillor Sam Lowe"),
    ],
)
def test_material_between_subject_and_verb(text, expected):
    assert one(text) == {expected}


def test_office_with_untitled_name_in_apposition():
    assert one("The Mayor of Kelby, Jo Barnard, replied as follows.", people=()) == {"Jo Barnard"}


# 3. names without a title -------------------------------------------------------------


def test_untitled_names_known_from_attendance():
    assert one("Greta Fenn introduced the report on smoking.") == {"Greta Fenn"}
    assert one("Raj Bhatt stated that the waiting list had fallen.") == {"Raj Bhatt"}
    assert one("R Bhatt confirmed the figures.") == {"Raj Bhatt"}


def test_untitled_names_introduced_with_a_role_in_the_item():
    assert speakers(
        "Lena Voss (Head of Inclusion) introduced the report.",
        "Lena Voss stated that exclusions had fallen.",
        people=(),
    ) == [("Lena Voss",), ("Lena Voss",)]


def test_public_questioner_without_title():
    assert one("Question from J Price of Northfield about the bus station.", people=()) == {
        "J Price"
    }
    assert one("The following question was submitted by Nora Quist:", people=()) == {"Nora Quist"}


def test_untitled_words_that_are_not_people():
    assert one("Planning Policy stated in its response that the site was allocated.") == set()
    assert one("A question from Kelby Residents Association was read out.", people=()) == set()


# 4. verbs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "verb",
    [
        "disclosed a pecuniary interest",
        "made reference to the audit",
        "gave reasons for the delay",
        "read out a statement",
        "indicated support",
        "sought assurance",
        "put a question",
        "tabled an amendment",
        "summarised the debate",
        "put forward an amendment",
    ],
)
def test_lexicon_verbs(verb):
    assert one(f"Councillor Ross {verb}.") == {"Councillor Eve Ross"}


@pytest.mark.parametrize(
    "text",
    [
        "A question had been received from Councillor Ross about empty homes.",
        "It was moved by Councillor Ross that the report be noted.",
        "An interest was declared by Councillor Ross.",
        "Proposed: Councillor Ross",
    ],
)
def test_passive_forms(text):
    assert one(text) == {"Councillor Eve Ross"}


@pytest.mark.parametrize(
    "text",
    [
        "Apologies were received from Councillor Ross.",
        "Councillor Ross attended the meeting.",
        "Councillor Ross voted against the motion.",
        "A decision made by Councillor Ross was noted.",
        "Councillor Ross gave apologies.",
    ],
)
def test_not_speech(text):
    assert one(text) == set()


# 5. lists and tables -------------------------------------------------------------------


def test_dash_rows_of_declarations():
    assert one("Mrs K Osei - declared a DPI in respect of item 8") == {"Mrs Karen Osei"}
    assert one("Councillor Ross – had an interest in item 9 as a landlord") == {
        "Councillor Eve Ross"
    }


def test_question_and_answer_table_row_gives_both_people():
    assert one(
        "Councillor Pryce | Councillor Ross | When will the flats be let? | By the spring."
    ) == {"Councillor Rhys Pryce", "Councillor Eve Ross"}


def test_declarations_table_row():
    assert one("Councillor Ross | 8.1 | School governor | Private interest") == {
        "Councillor Eve Ross"
    }


def test_recorded_vote_rows_are_not_speech():
    assert one("For | Councillors Ross, Pryce and Gale") == set()
    assert one("Councillor Ross | For") == set()


# 6. pronouns and "the Member" -----------------------------------------------------------


def test_pronoun_after_a_councillor_named_as_object():
    assert speakers(
        "The Chair invited Councillor Ross to present her motion.",
        "She proposed that the Council adopt the charter.",
    ) == [("Councillor Nadia Okafor",), ("Councillor Eve Ross",)]


def test_pronoun_gender_mismatch_gives_no_speaker():
    assert speakers(
        "Mr Alan Jones asked about the timetable.", "She replied that it was on track."
    ) == [("Mr Alan Jones",), ()]


def test_the_member_is_the_questioner_just_named():
    assert speakers(
        "A question was received from Councillor Pryce about parking.",
        "The Member queried whether charges would rise.",
    ) == [("Councillor Rhys Pryce",), ("Councillor Rhys Pryce",)]


def test_the_member_with_nobody_named_is_nobody():
    assert one("The Member queried whether charges would rise.") == set()


# 7. role phrases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chair of Council thanked the retiring members.", "Councillor Nadia Okafor"),
        (
            "The Legal Adviser to the Licensing Sub-Committee advised on the options.",
            "Legal Adviser to the Licensing Sub-Committee",
        ),
        (
            "The Head of Housing, Planning and Regeneration explained the delay.",
            "Head of Housing, Planning and Regeneration",
        ),
    ],
)
def test_role_phrases(text, expected):
    assert one(text, chair="Councillor Nadia Okafor") == {expected}


# Roles to people ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Cabinet Member for Resources explained the budget.", "Councillor Tom Gale"),
        ("The Deputy Leader moved the amendment.", "Councillor Tom Gale"),
        ("The Managing Director responded to the question.", "Paul Marsh"),
        ("The Chair thanked everyone.", "Councillor Nadia Okafor"),
        ("The Leader responded.", "Councillor Sam Lowe"),
        ("The Portfolio Holder for Leisure said the pools would reopen.", "Councillor Rhys Pryce"),
        ("The Director of Public Health presented the report.", "Greta Fenn"),
    ],
)
def test_offices_resolve_to_the_post_holder(text, expected):
    assert one(text) == {expected}


def test_role_as_written_stays_in_the_raw_phrases():
    done = attribute(
        [Passage("p1", "The Cabinet Member for Resources explained the budget.")], PEOPLE
    )[0]
    assert done.speakers == ("Councillor Tom Gale",)
    assert done.raw_speakers == ("The Cabinet Member for Resources",)


def test_office_shared_by_two_people_is_left_as_the_role():
    people = (
        Member("Councillor A Ford", posts=("Cabinet Member for Housing",)),
        Member("Councillor B Ford", posts=("Cabinet Member for Housing",)),
    )
    assert one("The Cabinet Member for Housing replied.", people=people) == {
        "Cabinet Member for Housing"
    }


# The labelling rules, case by case (docs/speakers.md) -----------------------------------

RULE_PEOPLE = (
    Member("Councillor Jan Reed", "Chair", posts=("Convener",)),
    Member("Councillor Bob Smith", "Vice-Chair"),
    Member("Councillor Ann Crute"),
    Member("Councillor Priya Bryce", posts=("Cabinet Member for Housing",)),
    Member("Mr Ian Holt", "Co-opted Member"),
    Member("Dana Pike", "Head of Finance"),
    Member("Councillor Gus Westhead", posts=("Leader of the Council",)),
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Members were advised by the Head of Finance that reserves were adequate.", {"Dana Pike"}),
        ("The report was presented by Councillor Crute.", {"Councillor Ann Crute"}),
        (
            "On the motion of Councillor Crute, seconded by Councillor Bryce, the Committee agreed the recommendations.",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        ("The Chair put the proposal to the vote and it was carried.", {"Councillor Jan Reed"}),
        ("There was submitted a report by the Head of Finance on treasury management.", set()),
        ("Councillor Reed in the Chair.", set()),
        ("Councillors Crute and Bryce voted for the motion.", set()),
        ("Councillor Crute, having declared an interest earlier, left the room.", set()),
        ("Councillor Crute had declared an interest at the start of the meeting.", set()),
        ("Councillor Crute's motion was put to the vote and lost.", set()),
        ("The motion in the name of Councillor Crute was withdrawn.", set()),
        ("The report was approved subject to the amendment requested by Councillor Bryce.", set()),
        ("Councillor Smith spoke on behalf of the Portfolio Holder.", {"Councillor Bob Smith"}),
        ("Portfolio Holder: Councillor G Westhead", set()),
        (
            "Councillor Crute answered questions from Councillor Bryce.",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        (
            "The Leader responded to questions from Councillors Crute and Bryce.",
            {"Councillor Gus Westhead", "Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        ("A question was received from Mr Holt, who asked about the grant.", {"Mr Ian Holt"}),
        (
            "The Convener intimated that the item would be taken in private.",
            {"Councillor Jan Reed"},
        ),
        (
            "The Committee heard from the Head of Finance, who explained the variance.",
            {"Dana Pike"},
        ),
        (
            "Councillor Crute, together with a number of Members, congratulated the team.",
            {"Councillor Ann Crute"},
        ),
        ("Apologies were received from Councillor Crute (substituted by Councillor Bryce).", set()),
        ("Councillor Bryce joined the meeting during this item.", set()),
        (
            "The Cabinet Member for Housing (Councillor Bryce) introduced the report.",
            {"Councillor Priya Bryce"},
        ),
        ("The Vice Convener moved the recommendation.", {"Councillor Bob Smith"}),
        ("Dana Pike reported that the audit had been completed.", {"Dana Pike"}),
        ("Ms Pike advised that the figures were provisional.", {"Dana Pike"}),
        ("Ian Holt asked about the timetable.", {"Mr Ian Holt"}),
        (
            "The Chair of the Scrutiny Board, Councillor Smith, presented the annual report.",
            {"Councillor Bob Smith"},
        ),
        (
            "In answer to Councillor Crute, the Leader said the scheme was funded.",
            {"Councillor Gus Westhead"},
        ),
        (
            "Councillor Crute proposed, and Councillor Bryce seconded, that the report be noted.",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        (
            "Proposed by Councillor Crute, seconded by Councillor Bryce and RESOLVED that the minutes be approved.",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        ("The Committee thanked Dana Pike for her report.", set()),
        (
            "Councillor Crute asked the Head of Finance about reserves. She replied that they were adequate.",
            {"Councillor Ann Crute", "Dana Pike"},
        ),
        ("A Member asked about reserves. He was told that they were adequate.", set()),
        ("The Clerk read out a letter from Mr Holt.", {"Clerk"}),
        (
            "Councillor Crute (Cabinet Member for Housing) declared a personal interest.",
            {"Councillor Ann Crute"},
        ),
        ("DECIDED: that the report be noted.", set()),
        (
            "The Deputy Leader and Cabinet Member for Housing, Councillor Bryce, moved the motion.",
            {"Councillor Priya Bryce"},
        ),
    ],
)
def test_labelling_rules(text, expected):
    assert one(text, people=RULE_PEOPLE) == expected


def test_declarations_table_with_the_member_in_the_second_column():
    assert one("12 | Councillor Ross | Personal interest") == {"Councillor Eve Ross"}


def test_appointments_table_row_is_not_speech():
    assert one("Planning Committee | Councillor Ross | Councillor Pryce") == set()


def test_hard_wrapped_lines_keep_names_and_verbs_together():
    assert speakers(
        "Turning to the revenue position for the coming year, Councillor Eve\nRoss "
        "asked about the budget and the Managing\nDirector replied that it was "
        "balanced."
    )[0] == ("Councillor Eve Ross", "Paul Marsh")
    assert one("Proposed by Councillor Ross\nSeconded by Councillor Pryce\nAll in favour.") == {
        "Councillor Eve Ross",
        "Councillor Rhys Pryce",
    }


def test_a_heading_line_names_a_topic_not_a_speaker():
    assert one("The Chair -\n(a) Former Councillor Ada Lowe\nreported that she had died.") == {
        "Councillor Nadia Okafor"
    }


MORE_PEOPLE = (
    Member("Councillor Jan Reed", "Chair"),
    Member("Councillor Bob Smith", "Vice-Chair"),
    Member("Councillor Ann Crute"),
    Member("Councillor Priya Bryce", posts=("Leader of the Council",)),
    Member("Mr Ian Holt", "Co-opted Member"),
    Member("Dana Pike", "Head of Planning"),
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("County Councillor Crute asked about gritting routes.", {"Councillor Ann Crute"}),
        (
            "Sergeant Lee Marsh of Kelby Police reported a fall in burglaries.",
            {"Sergeant Lee Marsh"},
        ),
        ("Mr Tom Ivers of the Kelby Cycling Group addressed the Committee.", {"Mr Tom Ivers"}),
        ("The applicant, Mr Hasan Demir, explained the opening hours.", {"Mr Hasan Demir"}),
        (
            "The following members of the public addressed the Committee: Mr Alan Ford (objector); Mrs Beth Rowe (supporter).",
            {"Mr Alan Ford", "Mrs Beth Rowe"},
        ),
        ("Officers responded to questions from Councillor Crute.", {"Councillor Ann Crute"}),
        ("The Committee received a presentation from Dr Maya Sen on air quality.", {"Dr Maya Sen"}),
        (
            "Members were informed by the Head of Planning that the appeal had been lodged.",
            {"Dana Pike"},
        ),
        (
            "PROPOSED: Councillor Crute\nSECONDED: Councillor Bryce",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
        (
            "Mrs Joan Hale, speaking in objection, stated that the road was too narrow.",
            {"Mrs Joan Hale"},
        ),
        ("The Head of Planning (Ms D Pike) reported on the appeal.", {"Dana Pike"}),
        ("Councillor Crute left the meeting at 8.15 pm.", set()),
        (
            "Cllrs Reed, Smith and Crute declared personal interests as members of the Trust.",
            {"Councillor Jan Reed", "Councillor Bob Smith", "Councillor Ann Crute"},
        ),
        ("Councillor Crute MBE JP welcomed the report.", {"Councillor Ann Crute"}),
        (
            "The Chairman, Councillor Reed, welcomed everyone to the meeting.",
            {"Councillor Jan Reed"},
        ),
        (
            "A petition was presented by Mr Ken Abbott on behalf of residents of Mill Lane.",
            {"Mr Ken Abbott"},
        ),
        (
            "Councillor Crute moved as an amendment that the item be deferred.",
            {"Councillor Ann Crute"},
        ),
        (
            "In response to Members' questions, the Head of Planning stated that no appeal had been made.",
            {"Dana Pike"},
        ),
        ("The Leader made a statement on the budget.", {"Councillor Priya Bryce"}),
        ("Councillor Smith requested that his vote against be recorded.", {"Councillor Bob Smith"}),
        ("Councillor Smith's request that his vote be recorded was noted.", set()),
        (
            "The Committee noted that Councillor Crute had declared an interest at the previous meeting.",
            set(),
        ),
        (
            "Councillor Crute and Mr Holt both spoke in support of the scheme.",
            {"Councillor Ann Crute", "Mr Ian Holt"},
        ),
        ("It was noted that Ian Holt had sent apologies.", set()),
        ("Thanks were expressed to Dana Pike for her work.", set()),
        (
            "The Vice-Chairman took the chair for this item and invited questions.",
            {"Councillor Bob Smith"},
        ),
        (
            "Councillor Crute, seconded by Councillor Bryce, proposed that the application be refused.",
            {"Councillor Ann Crute", "Councillor Priya Bryce"},
        ),
    ],
)
def test_more_shapes(text, expected):
    assert one(text, people=MORE_PEOPLE) == expected


def test_declarations_list_lines_under_a_heading():
    assert one("Declarations of interest\n12 Councillor Ross Personal\nCouncillor Pryce") == {
        "Councillor Eve Ross",
        "Councillor Rhys Pryce",
    }
    assert one(
        "Declarations of interest:\nMinute | Member | Level\n12 | Councillor Ross | Significant"
    ) == {"Councillor Eve Ross"}


def test_lines_that_are_sentences_in_a_declarations_item_need_their_verb():
    assert (
        one("Declarations of interest\nCouncillor Ross had left the meeting before this item.")
        == set()
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The report of Dana Pike was noted.", set()),
        ("Dana Pike's report outlined three options.", set()),
        ("Thanks were given to Dana Pike, who had organised the event.", set()),
        ("Dana Pike, Head of Planning, was thanked for her work.", set()),
        ("Councillor Crute, however, disagreed with the recommendation.", {"Councillor Ann Crute"}),
        ("The Leader, the Chair and the Head of Planning attended the meeting.", set()),
        (
            "On behalf of the Committee, the Chair, Councillor Reed, thanked the retiring clerk.",
            {"Councillor Jan Reed"},
        ),
        ("Present: Councillors Reed (Chair), Smith and Crute.", set()),
        ("In the absence of the Chair, the Vice-Chair presided.", set()),
        (
            "The Chair, having declared an interest, left the room and the Vice-Chair took the chair.",
            set(),
        ),
        ("Ms Pike said that Councillor Crute had asked for the figures.", {"Dana Pike"}),
        ("Councillor Crute, who chairs the Trust, declared an interest.", {"Councillor Ann Crute"}),
        (
            "The Committee considered the report of the Head of Planning, Dana Pike, on the appeal.",
            set(),
        ),
        (
            "Councillor Crute was appointed Chair and thanked Members for their support.",
            {"Councillor Ann Crute"},
        ),
        ("Ian Holt was welcomed to his first meeting.", set()),
        ("Councillor Smith, the Vice-Chair, was in the chair.", set()),
        (
            "The minutes were agreed, subject to the amendment proposed by Councillor Crute.",
            {"Councillor Ann Crute"},
        ),
        (
            "Members asked the Head of Planning about enforcement. She explained the process.",
            {"Dana Pike"},
        ),
    ],
)
def test_precision_around_the_wider_grammar(text, expected):
    assert one(text, people=MORE_PEOPLE) == expected


def test_directly_elected_mayor_named_with_the_office_as_title():
    assert one("Mayor Jo Bloggs said the budget was balanced.", people=()) == {"Jo Bloggs"}
    mayor = (Member("Jo Bloggs", posts=("Mayor",)),)
    assert one("The Mayor responded to the question.", people=mayor) == {"Jo Bloggs"}
    assert one("Jo Bloggs replied that the scheme was funded.", people=mayor) == {"Jo Bloggs"}


def test_officer_post_with_a_dash_qualifier():
    assert one("The Service Director – Adult Care reported on waiting times.", people=()) == {
        "Service Director – Adult Care"}


def test_an_earlier_declaration_is_not_a_declarations_row():
    assert one("Councillor Ross had declared an interest in item 5 at the last meeting.") == set()


def test_officer_lists_and_officer_titles_joined_by_and():
    assert one("The Executive Head of Strategy and Communications, Head of Digital Services and "
               "Executive Head of People and Culture discussed the plan and responded to "
               "questions.", people=()) == {
        "Executive Head of Strategy and Communications", "Head of Digital Services",
        "Executive Head of People and Culture"}
    assert one("The Committee and Scrutiny Officer advised that both schemes were on track.",
               people=()) == {"Committee and Scrutiny Officer"}
    assert one("The Chief Executive of the Office of the Police and Crime Commissioner gave an "
               "update.", people=()) == {
        "Chief Executive of the Office of the Police and Crime Commissioner"}


def test_light_verb_with_the_audience_before_the_speech_noun():
    assert one("Councillor Ross provided the scrutiny committee with an update on the station.") \
        == {"Councillor Eve Ross"}


def test_responding_to_someone_between_subject_and_verb():
    assert one("Councillor Ross in responding to Councillor Pryce confirmed the dates.") == {
        "Councillor Eve Ross"}
    assert one("Councillor Ross, in responding to Councillor Pryce gave an update on lettings.") \
        == {"Councillor Eve Ross"}


def test_a_source_named_for_the_future_is_not_a_speaker():
    assert one("Councillor Ross confirmed the plan. She would get an update from Mr Alan Jones "
               "on the costs.") == {"Councillor Eve Ross"}


def test_officer_post_with_services_after_a_dash_and_a_bracketed_statutory_role():
    assert one("The Chief Officer – Finance, Performance and Change (Section 151 Officer) "
               "presented the strategy.", people=()) == {
        "Chief Officer – Finance, Performance and Change"}
    assert one("The Interim Chief Officer – Finance and Change, presented a report.",
               people=()) == {"Interim Chief Officer – Finance and Change"}
