"""Probe passages written before the engine ran on them (labels first), one cabinet-style
meeting: a check that common shapes of other councils' minutes read right together.

They complement test_speakers_general_shapes.py (one construction per test) with a
small set scored as a whole, so a change that trades one shape for another shows.
"""

from __future__ import annotations

import pytest

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage

PEOPLE = (
    Member("Councillor Nadia Okafor", "Chair"),
    Member("Councillor Tom Gale", posts=("Leader of the Council",)),
    Member("Councillor Priya Shah", posts=("Cabinet Member for Adult Social Care",)),
    Member("Ann Hill", "Director of Adult Social Services", attendance="In attendance"),
    Member("Rob Lyle", "Head of Legal and Democratic Services", attendance="In attendance"),
    Member("Councillor Ian Bell"),
    Member("Councillor Sue Ward"),
    Member("Mrs Jean Pike", "Co-opted Member"),
)

PROBES = [
    ("The Cabinet Member for Adult Social Care introduced the report and highlighted the "
     "pressures on the home care market.",
     ["Councillor Priya Shah"]),
    ("The Director of Adult Social Services added that recruitment remained the greatest risk.",
     ["Ann Hill"]),
    ("In response to a query from Councillor Bell regarding agency staff, the Director "
     "advised that spending had fallen by 12%.",
     ["Ann Hill", "Councillor Ian Bell"]),
    ("Councillor Ward expressed disappointment that the consultation had not included carers.",
     ["Councillor Sue Ward"]),
    ("Mrs Pike, the co-opted member, asked whether the voluntary sector had been involved.",
     ["Mrs Jean Pike"]),
    ("The Head of Legal and Democratic Services reminded Members of the rules on "
     "predetermination.",
     ["Rob Lyle"]),
    ("Members noted the report.",
     []),
    ("The Leader moved and Councillor Bell seconded that the recommendations be approved.",
     ["Councillor Ian Bell", "Councillor Tom Gale"]),
    ("Upon a vote being taken, the motion was declared carried.",
     []),
    ("Councillor Sue Ward declared a personal interest in item 7 as her daughter is employed "
     "by a care provider.",
     ["Councillor Sue Ward"]),
    ("Councillors Bell and Ward both spoke in favour of the proposal.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("The Chair thanked officers for their work and closed the meeting.",
     ["Councillor Nadia Okafor"]),
    ("The Chair was thanked for her work during the year.",
     []),
    ("Members were informed by the Director that the new service would launch in April.",
     ["Ann Hill"]),
    ("Responding to questions, the Cabinet Member stated that the budget was fully funded.",
     ["Councillor Priya Shah"]),
    ("Councillor Bell felt that the plan lacked ambition and urged the Cabinet to think again.",
     ["Councillor Ian Bell"]),
    ("The Leader gave an update on the devolution deal.",
     ["Councillor Tom Gale"]),
    ("A presentation on the devolution deal was received.",
     []),
    ("Rob Lyle, Head of Legal and Democratic Services, explained the call-in procedure.",
     ["Rob Lyle"]),
    ("Following a question from Councillor Ward, it was confirmed that the scheme would be "
     "reviewed annually.",
     ["Councillor Sue Ward"]),
    ("It was agreed that a report be brought to the next meeting.",
     []),
    ("Councillor Bell proposed an amendment to add a further recommendation, which was not "
     "seconded.",
     ["Councillor Ian Bell"]),
    ("The Chair welcomed Mrs Jean Pike to her first meeting as a co-opted member. Mrs Pike "
     "thanked the Chair for the welcome.",
     ["Councillor Nadia Okafor", "Mrs Jean Pike"]),
    ("Cllr Bell – personal interest in item 9 (member of the Allotment Society).",
     ["Councillor Ian Bell"]),
    ("7.1 Councillor Bell asked about the closure of the library. Councillor Ward replied "
     "that no decision had been made.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("The Portfolio Holder for Adult Social Care, Councillor Shah, reported on the winter "
     "plan.",
     ["Councillor Priya Shah"]),
    ("Ann Hill (Director of Adult Social Services) summarised the key findings of the "
     "inspection.",
     ["Ann Hill"]),
    ("Cllr Gale queried the cost of the consultants and requested a breakdown.",
     ["Councillor Tom Gale"]),
    ("Cllrs Bell and Ward left the meeting for this item, having each declared a prejudicial "
     "interest.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("Mr Ken Ross, a local resident, addressed the Committee in objection to the application.",
     ["Mr Ken Ross"]),
    ("The Chair invited Councillor Ward to speak as ward member. She raised concerns about "
     "traffic.",
     ["Councillor Nadia Okafor", "Councillor Sue Ward"]),
    ("The Leader of the Council made a statement on the flooding in the north of the borough.",
     ["Councillor Tom Gale"]),
    ("The Monitoring Officer, Rob Lyle, advised Members on the matter.",
     ["Rob Lyle"]),
    ("Moved: Cllr Ward. Seconded: Cllr Bell.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("In presenting the budget, the Leader, noted the pressures on social care.",
     ["Councillor Tom Gale"]),
    ("An answer was provided by the Cabinet Member for Adult Social Care, Councillor Priya "
     "Shah.",
     ["Councillor Priya Shah"]),
    ("Councillor Bell indicated that he would support the recommendation.",
     ["Councillor Ian Bell"]),
    ("Councillor Ward made reference to the recent audit. Councillor Bell sought assurance "
     "that the actions would be completed.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("Question 3 was put by Councillor Bell and answered by the Leader.",
     ["Councillor Ian Bell", "Councillor Tom Gale"]),
    ("A question was received from Jo Price of Northfield regarding street lighting.",
     ["Jo Price"]),
    ("The Chairman announced that the next meeting would be held on 4 March.",
     ["Councillor Nadia Okafor"]),
    ("The next meeting will be held on 4 March.",
     []),
    ("The Leader paid tribute to the late Alderman Fox.",
     ["Councillor Tom Gale"]),
    ("Councillor Bell commented that, in his view, the proposal was premature.",
     ["Councillor Ian Bell"]),
    ("Councillor Ward referred Members to paragraph 4.2 of the report.",
     ["Councillor Sue Ward"]),
    ("Members heard from the Director of Adult Social Services, who outlined the pressures.",
     ["Ann Hill"]),
    ("The Leader and the Cabinet Member for Adult Social Care responded to Members' questions.",
     ["Councillor Priya Shah", "Councillor Tom Gale"]),
    ("With the consent of the Chair, Councillor Bell raised an urgent matter concerning the "
     "bus station.",
     ["Councillor Ian Bell"]),
    ("Legal advice was given by the Head of Legal and Democratic Services.",
     ["Rob Lyle"]),
    ("Councillor Ward stated: \"This is a good day for the borough.\"",
     ["Councillor Sue Ward"]),
    ("A supplementary question was asked by Councillor Bell.",
     ["Councillor Ian Bell"]),
    ("Councillor Bell had submitted a question in writing which would receive a written reply.",
     []),
    ("The Chair reported that she had attended the regional forum.",
     ["Councillor Nadia Okafor"]),
    ("Councillor Gale, in moving the motion, highlighted the cost of living.",
     ["Councillor Tom Gale"]),
    ("Mrs J Pike commented on the draft strategy.",
     ["Mrs Jean Pike"]),
    ("The Cabinet Member for Adult Social Care (Councillor Shah) undertook to provide a "
     "written response.",
     ["Councillor Priya Shah"]),
    ("Councillor Bell and Councillor Ward raised concerns about the timetable.",
     ["Councillor Ian Bell", "Councillor Sue Ward"]),
    ("Councillor Bell – declared a personal interest as a member of the Trust.",
     ["Councillor Ian Bell"]),
    ("The Leader reported back from the LGA conference.",
     ["Councillor Tom Gale"]),
    ("The Director of Adult Social Services tabled an updated appendix.",
     ["Ann Hill"]),
    ("Councillor Ward, Chair of the Scrutiny Panel, presented the panel's findings.",
     ["Councillor Sue Ward"]),
    ("Councillor Bell asked about the recruitment of social workers. He also queried the use "
     "of agency staff.",
     ["Councillor Ian Bell"]),
    ("Councillor Bell asked the Director about agency staff. She replied that numbers had "
     "fallen.",
     ["Ann Hill", "Councillor Ian Bell"]),
    ("Councillor Bell asked the Director about agency staff. He was told that a report would "
     "follow.",
     ["Councillor Ian Bell"]),
    ("Having declared an interest, Councillor Ward left the room.",
     ["Councillor Sue Ward"]),
    ("The Leader of the Council: thanked officers for their work on the budget.",
     ["Councillor Tom Gale"]),
    ("The Cabinet Member for Adult Social Care responded as follows:",
     ["Councillor Priya Shah"]),
    ("The Director of Adult Social Services and the Head of Legal and Democratic Services "
     "answered questions from Members.",
     ["Ann Hill", "Rob Lyle"]),
    ("Councillor Ian Bell (Liberal Democrat) moved the amendment.",
     ["Councillor Ian Bell"]),
    ("The amendment in the name of Councillor Ian Bell was put to the vote and lost.",
     []),
    ("The amendment was moved by Councillor Ward.",
     ["Councillor Sue Ward"]),
    ("The Chair put the amendment to the vote.",
     ["Councillor Nadia Okafor"]),
    ("Mrs Pike sought clarity on the governance arrangements.",
     ["Mrs Jean Pike"]),
    ("Councillor Ward wished to place on record her thanks to the staff.",
     ["Councillor Sue Ward"]),
    ("Members wished to place on record their thanks to the staff.",
     []),
    ("Councillor Gale responded to the debate.",
     ["Councillor Tom Gale"]),
    ("The Committee received the report of the Director of Adult Social Services.",
     []),
    ("The report of the Director of Adult Social Services was presented by the Director.",
     ["Ann Hill"]),
    ("Councillor Bell requested a recorded vote.",
     ["Councillor Ian Bell"]),
]


@pytest.mark.parametrize(("text", "expected"), PROBES)
def test_probe(text, expected):
    assert sorted(attribute([Passage("p1", text)], PEOPLE, None)[0].speakers) == expected
