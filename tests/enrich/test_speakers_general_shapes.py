"""Shapes seen in other councils' minutes (not the evaluation councils), in our own words.

Each test is one construction a new council is likely to use, so attribution is
checked on the structure rather than on the sentences it was tuned on: run-together
initials, courtesy verbs that are speech only with their object, notes of who
addressed a planning committee, dash-led comments, and posts read out as subjects.
"""

from __future__ import annotations

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage

PEOPLE = (
    Member("Councillor Nadia Okafor", "Chair"),
    Member("Councillor Tom Gale", posts=("Leader of the Council",)),
    Member("Ann Hill", "Assistant Director, Governance", attendance="In attendance"),
)


def one(text: str, people=PEOPLE) -> set[str]:
    return set(attribute([Passage("p1", text)], people, None)[0].speakers)


def test_run_together_initials_are_a_name():
    people = (Member("Councillor Ben R Rudd"), Member("Councillor Mia D Lloyd-Hayes"))
    assert one("Councillor BR Rudd declared a pecuniary interest as a candidate and left the "
               "meeting for the item.", people) == {"Councillor Ben R Rudd"}
    assert one("Councillor MD Lloyd-Hayes declared an interest as a candidate for office.",
               people) == {"Councillor Mia D Lloyd-Hayes"}


def test_an_acronym_after_a_title_is_not_initials_of_the_next_word():
    assert one("The report of the NHS Trust was noted by Members.") == set()


def test_courtesies_are_speech_only_with_their_object():
    assert one("The Leader paid tribute to the late Alderman Hosking.") == {"Councillor Tom Gale"}
    assert one("The Chair extended a warm welcome to the new Clerk.") == {"Councillor Nadia Okafor"}
    assert one("The Leader extended his condolences to the family.") == {"Councillor Tom Gale"}
    assert one("The Leader extended the consultation period by four weeks.") == set()


def test_a_note_of_who_addressed_the_committee():
    assert one("Note: Mr G Hart (on behalf of Elmford Parish Council) and Ms B Lowe (objector) "
               "attended the meeting and addressed the Committee on this matter.", ()) == {
        "Mr G Hart", "Ms B Lowe"}


def test_a_note_of_who_withdrew_names_no_speaker():
    assert one("Note: Having used her speaking rights as a Ward Councillor, Councillor R Vale "
               "withdrew from the meeting for the duration of this item.", ()) == set()


def test_a_comment_after_a_dash():
    assert one("During consideration of this item, Councillor S. Nolan commented - that he felt "
               "it was important to record the speakers' views.", ()) == {"Councillor S Nolan"}


def test_an_officer_post_with_a_comma_qualifier_reminds_the_meeting():
    assert one("The Assistant Director, Governance reminded Council that a dispensation had been "
               "granted to members standing for election.") == {"Ann Hill"}


def test_a_thanked_or_appointed_councillor_is_not_a_speaker():
    assert one("Councillor Ivo Pask was thanked for his service to the Committee.", ()) == set()
    assert one("The Committee thanked Councillor Ivo Pask for his work.", ()) == set()
    assert one("Councillor Hollis was appointed as Vice-Chair for the municipal year.", ()) == set()


def test_a_future_declaration_is_not_made_yet():
    assert one("It was noted that the Deputy Mayor would declare a pecuniary interest in item 7 "
               "and would leave the room.") == set()


def test_verbs_of_asserting_and_agreeing_are_speech():
    for verb in ("asserted that the figures were wrong", "maintained that the figures were wrong",
                 "disputed the figures", "concurred with the previous speaker",
                 "advocated a cautious approach", "gave notice of a motion on bus services",
                 "put it to the Committee that the scheme was flawed",
                 "led Members through the presentation", "took questions from Members"):
        assert one(f"The Leader {verb}.") == {"Councillor Tom Gale"}, verb


def test_voting_is_not_speech():
    assert one("The Leader voted against the recommendation.") == set()


def test_a_long_parenthesis_after_a_name_in_a_list():
    assert one("Mr H Lyle (on behalf of Upper Brankley Marsh Parish Council) and Mrs F Dean "
               "(objector) addressed the Committee.", ()) == {"Mr H Lyle", "Mrs F Dean"}


def test_postnominal_letters_of_another_assembly():
    people = (Member("Nia Rowlands"), Member("Owen Price"))
    assert one("Nia Rowlands AM asked about bus routes. Owen Price MS replied.", people) == {
        "Nia Rowlands", "Owen Price"}


def test_passive_of_any_speech_verb_names_its_agent():
    assert one("Members were reminded by the Chair that the item was exempt.") == {
        "Councillor Nadia Okafor"}
    assert one("The Leader, having been invited by the Chair to do so, moved the "
               "recommendation.") == {"Councillor Nadia Okafor", "Councillor Tom Gale"}
    assert one("A declaration of interest was later made (Minute 12 refers) by Councillor "
               "L Ward.", ()) == {"Councillor L Ward"}


def test_passives_that_report_a_view_or_an_earlier_act_name_nobody():
    assert one("The option recommended by the Leader in the report was approved.") == set()
    assert one("The report requested by the Chair at the last meeting was noted.") == set()


def test_an_apposition_closed_by_a_role_in_brackets():
    people = (Member("Ivy Darrow", "Legal Adviser"),)
    assert one("Ivy Darrow, Partner, Pryce Hale (Legal Adviser) presented the report.",
               people) == {"Ivy Darrow"}


def test_a_tier_before_the_title():
    people = (Member("County Borough Councillor Rhodri Tanner"),)
    assert one("County Borough Councillor R Tanner declared a prejudicial interest and left the "
               "Chamber.", people) == {"County Borough Councillor Rhodri Tanner"}
    assert one("A declaration was later made by County Councillor L Ward.", ()) == {
        "County Councillor L Ward"}


def test_a_list_line_with_a_dash_records_a_statement():
    people = (Member("Councillor Adrian Pound"), Member("Councillor Mia Akhtar"))
    text = ("Application 19/0112 – 14 Lark Rise\n(Minute No. 131)\n\nCouncillor Pound – had been "
            "approached by a neighbour but had expressed no view.\n\nCouncillor Akhtar – "
            "\"I sit on the steering group\".")
    assert one(text, people) == {"Councillor Adrian Pound", "Councillor Mia Akhtar"}


def test_attendance_lines_with_a_dash_are_not_statements():
    text = ("Officers\nMrs N Baker – Head of Planning\nMr A Mitchell – Development Manager\n"
            "Councillor J Lee – substitute for Councillor P Terrington")
    assert one(text, ()) == set()


def test_a_dash_inside_a_sentence_is_not_a_list_line():
    assert one("The site visit was attended by Councillor Pound – had it not rained, more "
               "would have come.", ()) == set()


OFFICERS = (
    Member("Councillor Sam Whit", "Chair", posts=("Leader of the Council",)),
    Member("Lori Ack", "Executive Director Place", attendance="In attendance"),
    Member("Jon Pett", "Town Clerk's representative", attendance="In attendance"),
    Member("Amy Crane", "Temporary Principal Licensing Officer", attendance="In attendance"),
    Member("Mr Emyr Lloyd", "Police and Crime Commissioner", attendance="In attendance"),
    Member("Cara Ellis", "Chief Executive of the Office of the Police and Crime Commissioner",
           attendance="In attendance"),
)


def test_an_attendance_post_as_printed_is_a_person_phrase():
    assert one("The Leader and the Executive Director Place added that concerns would be "
               "investigated.", OFFICERS) == {"Councillor Sam Whit", "Lori Ack"}
    assert one("The Town Clerk's representative clarified the rule.", OFFICERS) == {"Jon Pett"}
    assert one("The Council's Temporary Principal Licensing Officer summarised the notices.",
               OFFICERS) == {"Amy Crane"}


def test_an_attendance_post_as_an_object_is_not_a_speaker():
    assert one("Members thanked the Executive Director Place for the report.", OFFICERS) == set()


def test_a_short_post_finds_the_one_whose_head_it_is():
    # "Chief Executive of the Office of the … Commissioner" is a chief executive, not a commissioner
    assert one("The Commissioner indicated that deployment was an operational matter.",
               OFFICERS) == {"Mr Emyr Lloyd"}


def test_reading_out_or_delivering_a_decision_is_speech():
    assert one("The meeting reconvened and the Chair read the decision as follows:") == {
        "Councillor Nadia Okafor"}
    assert one("After reconvening, the Chair delivered the Sub-Committee's decision.") == {
        "Councillor Nadia Okafor"}
    assert one("The Chair proceeded to read out the Committee decision.") == {
        "Councillor Nadia Okafor"}
    assert one("Members had read the report before the meeting.") == set()


def test_the_plain_verb_after_going_on():
    people = (Member("Hana Lusk", "Licensing Officer", attendance="In attendance"),)
    assert one("The Licensing Officer proceeded to present the application.", people) == {
        "Hana Lusk"}
    assert one("The Licensing Officer went on to explain the conditions.", people) == {"Hana Lusk"}
    assert one("The Licensing Officer proceeded to inspect the premises.", people) == set()


def test_a_past_verb_coordinated_with_a_speech_verb():
    people = (Member("Helen Rudge", "Licensing Enforcement Team Leader"),)
    assert one("The Licensing Enforcement Team Leader circulated further references and "
               "answered questions on the report.", people) == {"Helen Rudge"}
    assert one("The Licensing Enforcement Team Leader circulated further references.",
               people) == set()


def test_a_passive_with_a_particle_and_a_semicolon_after_an_apposition():
    people = (Member("Shona Elwood", "Strategic Director and Monitoring Officer"),)
    assert one("These points were responded to by Shona Elwood, Strategic Director and "
               "Monitoring Officer, accordingly.", people) == {"Shona Elwood"}
    assert one("Shona Elwood, Strategic Director & Monitoring Officer; introduced the report.",
               people) == {"Shona Elwood"}


def test_a_seconder_in_apposition_and_an_opening_prayer():
    assert one("Councillor Sutton, supported by Councillor Sara Kerr, proposed the motion.",
               ()) == {"Councillor Sutton", "Councillor Sara Kerr"}
    assert one("The meeting opened with a prayer by the Reverend Dr Ian Mabey.", ()) == {
        "Reverend Dr Ian Mabey"}


def test_a_capacity_after_a_name_is_not_a_second_speaker():
    people = (Member("Councillor Sam Whit", "Chair", posts=("Leader of the Council",)),)
    assert one("Councillor G Baxter, as Chairman of the Audit and Governance Committee, asked "
               "that the Leader write to the Agency.", people) == {"Councillor G Baxter"}


def test_a_known_name_after_a_post_is_the_speaker():
    people = (Member("Peter Gault", "Interim Democratic Services Manager"),)
    assert one("The Interim Democratic Services Manager, Peter Gault, explained the Board's "
               "status.", people) == {"Peter Gault"}


def test_a_key_post_the_office_grammar_does_not_read():
    people = (Member("County Borough Councillor Glyn Rowe", "Chair", posts=("Presiding Member",)),)
    assert one("The Presiding Member reminded Members that questions should be brief.",
               people) == {"County Borough Councillor Glyn Rowe"}


def test_a_bodys_possessive_before_a_post():
    people = (Member("Karl Ibbs", "Solicitor", attendance="In attendance"),)
    assert one("The Council's Solicitor outlined the procedure for the hearing.", people) == {
        "Karl Ibbs"}


def test_an_update_received_outside_the_meeting_is_not_speech():
    people = (Member("Martyn Rudge", "Lead Licensing Officer"),)
    assert one("The Lead Licensing Officer advised that, on receiving an update from the Police "
               "Licensing Officer, there might be a further item.", people) == {"Martyn Rudge"}


def test_a_named_cleric_opens_the_meeting():
    assert one("The meeting opened with a Bible reading and prayer by the Venerable Dr Stephen "
               "Moss, Archdeacon of Kelby.", ()) == {"Venerable Dr Stephen Moss"}


def test_a_relative_clause_gives_an_object_its_own_speech_verb():
    assert one("The Committee agreed to hear Ms Pia Anand (agent for the applicant), who "
               "addressed the Committee in support.", ()) == {"Ms Pia Anand"}
    assert one("The Committee thanked Ms Pia Anand, who had travelled from Leeds.", ()) == set()


def test_a_declarations_lead_in_ending_in_a_colon_lists_the_declarers():
    text = ("The following Members declared a personal interest in item 11 – Housing Ballot:-\n\n"
            "Councillors: A. Bell, R.J. Guest and E.W. Owen.")
    assert one(text, ()) == {"Councillor A Bell", "Councillor R J Guest", "Councillor E W Owen"}
    people = (Member("Councillor Alys McKee"),)
    assert one("Members declared personal interests in minute 96 as follows:\n\n"
               "  A McKee  -  Trustee of a relationship charity", people) == {"Councillor Alys McKee"}


def test_an_office_and_a_group_share_the_verb():
    people = (Member("Councillor Derek Ash", "Chair", posts=("Lord Mayor",)),)
    assert one("The Lord Mayor and members of Council congratulated Councillor Whit on his "
               "nomination.", people) == {"Councillor Derek Ash"}


def test_a_passive_with_its_purpose_before_the_agent():
    assert one("Ann Thorne was nominated for the post of Convener by Rick Strand, seconded by "
               "Ella Mack.", (Member("Rick Strand"), Member("Ella Mack"))) == {
        "Rick Strand", "Ella Mack"}
    assert one("The hall was booked for the event by Rick Strand.", (Member("Rick Strand"),)) \
        == set()
    assert one("The minutes were confirmed as a correct record and signed by the Chair.") == set()


def test_two_attendance_posts_joined_by_and_are_two_people():
    people = (Member("Dara Meph", "Chief Executive"), Member("Gwen Lyle", "Section 151 Officer"))
    assert one("The Chief Executive and Section 151 Officer submitted a joint report.", people) \
        == {"Dara Meph", "Gwen Lyle"}
    one_holder = (Member("Gwen Lyle", "Chief Executive and Section 151 Officer"),)
    assert one("The Chief Executive and Section 151 Officer submitted a report.", one_holder) \
        == {"Gwen Lyle"}


def test_a_councillor_column_of_a_declarations_table_holds_untitled_names():
    text = ("Councillor | Minute Number | Nature of Interest\n"
            "H.A.L. Edwin | 8 – Housing Company | Sister is a director of a housing association\n"
            "P.M. Howe | 18 – Private Sector Renewal | Landlord in the private sector")
    assert one(text, ()) == {"H A L Edwin", "P M Howe"}


def test_a_name_column_of_a_vote_or_appointment_table_is_silent():
    text = ("Name | Committee\nJo Bright | Planning Committee\nAl Dunn | Licensing Committee")
    assert one(text, ()) == set()


def test_bare_posts_after_a_name_describe_that_person():
    assert one("Councillor Tim Gale, Deputy Leader and Cabinet Member for Resources, "
               "responded.", ()) == {"Councillor Tim Gale"}
    assert one("Councillor Tim Gale, the Leader and the Chair responded.") == {
        "Councillor Tim Gale", "Councillor Tom Gale", "Councillor Nadia Okafor"}


def test_a_bare_surname_in_a_declarations_list_names_the_one_member():
    people = (Member("Councillor Jo Morley"), Member("Councillor Al McKee"))
    text = ("Members declared personal interests in minute 96 as follows:\n\n"
            "  Morley  -  Employee, Headingley Trust")
    assert one(text, people) == {"Councillor Jo Morley"}
    two = (*people, Member("Councillor Kit Morley"))
    assert one(text, two) == set()
    assert one("Morley - Employee, Headingley Trust", people) == set()  # not a declarations list


def test_initials_after_an_office_are_not_the_verb():
    people = (Member("Councillor Stu Merrin", posts=("Mayor",)),)
    assert one("Mayor SM advised that the applications had been reviewed.", people) == {
        "Councillor Stu Merrin"}


def test_a_declaration_in_a_participle_after_leaving():
    assert one("Cllrs Bell and Ward left the meeting for this item, having each declared a "
               "prejudicial interest.", ()) == {"Councillor Bell", "Councillor Ward"}
    assert one("Cllrs Bell and Ward left the meeting for this item.", ()) == set()


def test_an_office_in_an_opening_phrase_is_not_the_next_name():
    people = (*PEOPLE, Member("Councillor Ian Bell"))
    assert one("With the consent of the Chair, Councillor Bell raised an urgent matter.",
               people) == {"Councillor Ian Bell"}
    assert one("An answer was provided by the Chair of the Board, Councillor Ian Bell.",
               people) == {"Councillor Ian Bell"}


def test_advice_given_by_an_officer():
    people = (Member("Rob Lyle", "Head of Legal and Democratic Services"),)
    assert one("Legal advice was given by the Head of Legal and Democratic Services.", people) \
        == {"Rob Lyle"}


# --- motions, questions and civic business written without a finite speech verb ----------

CIVIC = (
    Member("Councillor Rhona Peel", "Chair", posts=("Mayor",)),
    Member("Councillor Owen Treharne", posts=("Leader of the Council",)),
    Member("Councillor Lise Barnaby", posts=("Cabinet Member with Responsibility for Waste",)),
    Member("Councillor Cal Voss"),
    Member("Councillor Reverend Hal Stroud"),
    Member("Mr K Pargiter", "Committee Member"),
    Member("Mina Rudd", "Town Clerk"),
)


def test_a_motion_recorded_without_its_verb():
    assert one("Grant to the village show: Proposed Cllr Voss, seconded Cllr Barnaby; carried.",
               CIVIC) == {"Councillor Cal Voss", "Councillor Lise Barnaby"}
    assert one("Proposed Cllr Voss\nSeconded Cllr Stroud\nAll in favour.", CIVIC) == {
        "Councillor Cal Voss", "Councillor Reverend Hal Stroud"}
    # a subject that proposes someone keeps that someone an object, and so does a bare
    # participle before the nominee's post
    assert one("Councillor Voss proposed Councillor Barnaby as Deputy Mayor.", CIVIC) == {
        "Councillor Cal Voss"}
    assert one("Proposed Councillor Barnaby as Deputy Mayor: agreed.", CIVIC) == set()
    assert one("Proposed Cllr Voss, seconded Cllr Barnaby, for the grant to be paid.", CIVIC) == {
        "Councillor Cal Voss", "Councillor Lise Barnaby"}


def test_bracketed_agents_and_the_proposition_of_a_member():
    assert one("It was proposed (by Councillor Voss), seconded (by Councillor Rev. Stroud) and "
               "resolved that the accounts be approved.", CIVIC) == {
        "Councillor Cal Voss", "Councillor Reverend Hal Stroud"}
    assert one("Upon the proposition of Councillor Treharne, seconded by Councillor Voss, it was "
               "resolved to confer the freedom of the town.", CIVIC) == {
        "Councillor Owen Treharne", "Councillor Cal Voss"}


def test_a_member_proposing_in_an_absolute_clause():
    assert one("RESOLVED: Councillor Barnaby elected as Deputy Mayor, with Councillor Voss "
               "proposing.", CIVIC) == {"Councillor Cal Voss"}


def test_a_written_question_noted_with_its_answer():
    text = ("Question 4 from Councillor Voss to the Leader of the Council (Councillor Treharne), "
            "together with the written response, was noted.")
    assert one(text, CIVIC) == {"Councillor Cal Voss", "Councillor Owen Treharne"}
    assert one("Question 5 from Councillor Voss to the Leader of the Council was noted.", CIVIC) \
        == {"Councillor Cal Voss"}
    assert one("Question 6 from Councillor Voss to the Leader of the Council had been withdrawn.",
               CIVIC) == set()


def test_a_motion_named_by_its_author_is_not_moved():
    assert one("(iii) Motion by Councillors Voss and Barnaby\nThat this Council backs the bid.",
               CIVIC) == set()
    assert one("An amendment by Councillor Voss, seconded by Councillor Barnaby, was put to the "
               "vote and lost.", CIVIC) == {"Councillor Cal Voss", "Councillor Lise Barnaby"}


def test_civic_ceremony_prayers_summons_and_handing_over():
    assert one("The opening prayer was given by Cllr Stroud.", CIVIC) == {
        "Councillor Reverend Hal Stroud"}
    assert one("The Mayor welcomed Father Liam Dunne, the Mayor's Chaplain, who led the "
               "Council in prayer.", CIVIC) == {"Councillor Rhona Peel", "Father Liam Dunne"}
    assert one("The Town Clerk read the summons convening the meeting.", CIVIC) == {"Mina Rudd"}
    assert one("The Mayor then handed over to the Cabinet Member with Responsibility for Waste, "
               "who reported on the new rounds.", CIVIC) == {
        "Councillor Rhona Peel", "Councillor Lise Barnaby"}
    # a badge handed to a person is a gift, business presented to the meeting is speech
    assert one("Councillor Peel presented the Mayoral badge to Councillor Barnaby.", CIVIC) == set()
    assert one("Councillor Peel presented the report to Members.", CIVIC) == {"Councillor Rhona Peel"}


def test_an_invitation_in_an_opening_phrase_with_a_described_guest():
    assert one("At the invitation of the Mayor, Father Liam Dunne, parish priest of Elmford, "
               "addressed the Council.", CIVIC) == {"Father Liam Dunne"}


def test_a_knight_by_title_and_forename():
    text = ("The Mayor invited Sir Hugo Brackley to speak. Sir Hugo thanked the Council for "
            "the honour.")
    assert one(text, CIVIC) == {"Councillor Rhona Peel", "Sir Hugo Brackley"}


def test_a_name_coordinated_with_a_known_officer():
    people = (*CIVIC, Member("Dora Fenwick", "Chief Legal Officer"))
    assert one("Officers\n1) D Fenwick and P Lusk declared a personal interest in Minute 40 and "
               "left the room.", people) == {"Dora Fenwick", "P Lusk"}


def test_declaration_lines_with_the_level_in_brackets():
    assert one("Disclosure of Interests:\nItem 6: Cllr Voss (non-pecuniary – trustee of the hall)",
               CIVIC) == {"Councillor Cal Voss"}


def test_a_flattened_declarations_table_runs_rows_together():
    people = (Member("Provost Ewan Tait", "Chair", posts=("Provost",)), Member("Councillor Amy Dow"),
              Member("Councillor Ross Kerr"))
    text = ("Councillor A Dow | 4 | Director of the Harbour Trust | Financial | Left the meeting "
            "Councillor R Kerr | 7 | Neighbour of the site | Non-Financial | Remained")
    assert one(text, people) == {"Councillor Amy Dow", "Councillor Ross Kerr"}
    text = ("Member | Item | Details | Nature of Declaration | Action Provost E Tait | 9 | "
            "Patron of the festival | Non-Financial | Remained")
    assert one(text, people) == {"Provost Ewan Tait"}
    assert one("Councillor Tait thanked the staff.", people) == {"Provost Ewan Tait"}  # a Provost is a councillor


PARISH = (
    Member("Councillor Tessa Lowther", "Chair"),
    Member("Councillor B Quayle", "Committee Member"),
    Member("Councillor N Ferris", "Committee Member"),
    Member("Mrs D Yardley", "Assistant Clerk"),
)


def test_a_correction_to_earlier_minutes_names_nobody():
    assert one("Amendment to minutes: item 4 should read: Proposed by Cllr. B Quayle.", PARISH) \
        == set()


def test_question_and_answer_lines_name_asker_and_answerer():
    text = ("Q: Cllr Quayle asked whether the bus shelter would be repaired.\n"
            "A: Cllr Ferris had chased the contractor, who expected to finish in May.")
    assert one(text, PARISH) == {"Councillor B Quayle", "Councillor N Ferris"}


def test_an_authority_before_the_title_and_a_later_short_form():
    passages = [Passage("p1", "Report from Midshire County Councillor K Amberley"),
                Passage("p2", "Cllr Amberley reported on the gritting routes.")]
    out = attribute(passages, PARISH, None)
    assert out[1].speakers == ("County Councillor K Amberley",)


def test_declarations_run_together_after_a_lead_in():
    assert one("Declarations of interest: Item 5: Cllr Quayle (non-pecuniary); Item 8: Mrs D "
               "Yardley (pecuniary – landlord of the applicant).", PARISH) == {
        "Councillor B Quayle", "Mrs D Yardley"}
    assert one("Apologies: Cllr Quayle; Cllr Ferris.", PARISH) == set()


def test_an_elliptical_second_declaration():
    assert one("Councillor Quayle declared an interest in item 6 as a trustee; Councillor Ferris "
               "likewise.", PARISH) == {"Councillor B Quayle", "Councillor N Ferris"}
    assert one("Councillor Ferris likewise.", PARISH) == set()
    assert one("Councillor Quayle thanked the officers and Councillor Ferris too.", PARISH) == {
        "Councillor B Quayle"}


def test_a_one_word_presiding_post():
    people = (Member("Councillor Ada Mensah", "Chair", posts=("Speaker",)), Member("Councillor Joe Pike"))
    assert one("The Speaker welcomed guests to the meeting.", people) == {"Councillor Ada Mensah"}
    assert one("Moved by the Speaker (Councillor Mensah), seconded by Councillor Pike, that "
               "Councillor Pike be elected.", people) == {"Councillor Ada Mensah", "Councillor Joe Pike"}
    assert one("The speaker for the residents addressed the Committee.", people) == set()


def test_an_elected_mayor_by_surname():
    people = (Member("Mayor Ruth Okoye", posts=("Mayor",)), Member("Councillor Ian Pell"))
    assert one("Mayor Okoye thanked the judges.", people) == {"Mayor Ruth Okoye"}


def test_courtesies_in_the_passive_and_returned_thanks():
    people = (Member("Mr Hal Dent", "Chair"), Member("Mrs Una Bray"), Member("Dr Sam Ives"),
              Member("Mr Rex Coe"))
    assert one("Tributes were paid to Mrs Bray by Dr Ives and Mr Coe.", people) == {
        "Dr Sam Ives", "Mr Rex Coe"}
    assert one("Mr Dent took the chair, made his Declaration of Acceptance of Office, and "
               "returned thanks for his election.", people) == {"Mr Hal Dent"}


def test_group_leaders_in_one_list_with_the_chair():
    people = (Member("Councillor Ana Rhys", "Chair"), Member("Councillor Bo Lake"),
              Member("Councillor Cy Moss"))
    assert one("The Chair, Councillor Ana Rhys, and Group Leaders Councillors Bo Lake and Cy "
               "Moss welcomed her.", people) == {
        "Councillor Ana Rhys", "Councillor Bo Lake", "Councillor Cy Moss"}


def test_public_questioners_named_with_their_place():
    assert one("Ivo Marsh of Upper Brook asked when the footpath would reopen.", ()) == {"Ivo Marsh"}
    assert one("Questions were put to the Chair as follows:\nMrs Ola Finn of Eastry regarding "
               "street lighting.", ()) == {"Mrs Ola Finn"}
    # an absent questioner does not speak; the member who represented them does
    assert one("Mr Ted Hale of Westry regarding dog fouling. The Local Member, Councillor Pia Rowe, "
               "represented Mr Hale in his absence.", ()) == {"Councillor Pia Rowe"}
