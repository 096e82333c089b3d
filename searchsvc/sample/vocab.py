"""Word lists of the fictional Royal Borough of Eastmere, written for this sample site.

Kept apart from the generator so the generator reads as logic and this file as data. Every
string here was written for the sample; none is copied from a real council's pages. Lists are
``;``-separated strings split once at import, which keeps the data dense and easy to extend.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(" ".join(s.split()) for s in text.split(";") if s.strip())


COUNCIL_NAME = "Royal Borough of Eastmere"
SITE_NAME = "Eastmere Democracy"
CONTACT = ("Rhona Castell", "democratic.services@eastmere.example")

# (gender, first, last): 46 councillors. Surnames are unique so "Councillor Reed" always
# resolves to one person, which keeps the speaker ground truth unambiguous.
COUNCILLORS = tuple(tuple(line.split(" ", 2)) for line in _split("""
f Jan Reed; m Graham Smith; f Helen Crute; m Duncan Bryce; f Margaret Whitfield; m Kwame Osei;
f Priya Sharma; m Tom Atherton; f Ngozi Okafor; m David Lindqvist; f Fatima Rahman;
m George Pennington; f Aisha Mensah; m Robert Chalk; f Siobhan Kearney; m Marcus Webb;
f Eleanor Voss; m Declan O'Neill; f Ruth Ashdown; m Daniel Moreau; f Hannah Pryce;
m Imran Qureshi; f Bethan Lloyd; m Callum Fraser; f Zoë Hartley; m Vikram Desai; f Lorna MacLeod;
m Simon Treadwell; f Grace Adeyemi; m Patrick Dunmore; f Yasmin Farouk; m Euan Brodie;
f Catherine Ellery; m Hugh Pemberton; f Joanna Kowalska; m Raj Bhatt; f Megan Thorne;
m Stuart Gillespie; f Anita Rowe; m Jonathan Steele; f Olivia Brennan; m Samuel Achebe;
f Harriet Lomax; m Neil Carver; f Rosa Delgado; m Ben Fairweather"""))

# (gender, title, first, last, committee kind, description): non-councillor voting members.
COOPTED = (
    ("m", "Mr", "Martin", "Balfour", "hwb", "Healthwatch Eastmere"),
    ("m", "Dr", "Anil", "Rao", "hwb", "the Integrated Care Board"),
    ("f", "Mrs", "Carol", "Devlin", "scrutiny", "the Diocesan Board of Education"),
    ("f", "Ms", "Lucy", "Harker", "scrutiny", "parent governors"),
)

PARTIES = _split("Liberal Democrat; Conservative; Labour; Green Party; Independent")
WARDS = _split("""Northbrook; Millfield; Riverside; Old Town; Southfield; Hollin Green; Kestrel Park;
Eastmere Village; Beacon Hill; Quayside; St Anne's; Marsh Lane""")
STREETS = _split("""Orchard Row; Mill Lane; Church Street; Victoria Parade; Kestrel Road; Quay Street;
Beacon Hill Road; Station Approach; Tanners Yard; Willow Crescent; Harbour Walk; Fenwick Avenue""")
PUBLIC_SPEAKERS = (("m", "Mr Tom Hale", "the applicant's agent"), ("f", "Ms Ada Finch", "a local resident"),
                   ("f", "Mrs Joan Petty", "a neighbouring resident"), ("m", "Mr Lewis Grant", "the applicant"))

# role -> gender (for "She added that…"). Officers are known by role; the role is the canonical
# speaker name.
OFFICERS = dict(line.rsplit(" ", 1) for line in _split("""
Chief Executive f; Monitoring Officer m; Chief Finance Officer f; Director of Children's Services m;
Head of Early Help f; Head of Fostering and Adoption m; Head of Education Standards f;
Director of Adult Social Care f; Director of Public Health m; Strategic Manager, Planning f;
Principal Planning Officer m; Head of Housing m; Director of Place f; Head of Highways and Transport m;
Head of Waste and Street Services f; Head of Community Safety m; Licensing Manager f; Legal Adviser m;
Head of Culture and Leisure f; Head of Economic Development m; Climate Emergency Lead f;
Head of Audit and Risk m; Neighbourhood Manager f; Democratic Services Officer m"""))

PORTFOLIOS = _split("""Leader of the Council; Cabinet Member for Finance; Cabinet Member for Children's Services;
Cabinet Member for Housing; Cabinet Member for Environment and Transport; Cabinet Member for Adult Social Care
and Health; Cabinet Member for Communities; Cabinet Member for Economy and Culture""")

# name, category, kind, meetings a year, weekday, hour, minute, date style, decision label,
# documents label, topics, purpose.
COMMITTEES = (
    ("Full Council", "Council", "council", 6, 2, 19, 30, "plain", "Resolved:", "Additional documents:",
     "budget climate community_safety economy housing",
     "Full Council sets the budget and council tax, agrees the policy framework and debates motions."),
    ("Cabinet", "Executive", "cabinet", 10, 1, 19, 0, "plain", "Decision:", "Additional documents:",
     "budget housing transport waste economy climate leisure adult_social_care",
     "The Cabinet takes the executive decisions of the Council within the budget and policy framework."),
    ("Children and Families Scrutiny Committee", "Overview & Scrutiny", "scrutiny", 6, 3, 18, 30, "ordinal",
     "Resolved:", "Supporting documents:", "children schools",
     "The Committee scrutinises services for children, young people and families, including fostering."),
    ("Planning Committee", "Regulatory", "planning", 12, 3, 19, 0, "ordinal", "Decision:", "Supporting documents:",
     "planning", "The Committee determines major and contentious planning applications."),
    ("Health and Wellbeing Board", "Partnerships", "hwb", 4, 2, 14, 0, "plain", "", "Supporting documents:",
     "health adult_social_care children",
     "The Board brings together the Council and the local NHS to improve health and reduce inequalities."),
    ("Licensing Committee", "Regulatory", "licensing", 4, 0, 10, 0, "ordinal", "Decision:", "Supporting documents:",
     "licensing", "The Committee oversees the Council's licensing functions and hears contested applications."),
    ("Audit, Governance & Standards Committee", "Governance", "audit", 5, 1, 18, 30, "plain", "",
     "Additional documents:", "governance budget",
     "The Committee oversees internal and external audit, risk management and standards of conduct."),
    ("Northbrook and Millfield Neighbourhood Committee", "Neighbourhood Committees", "neighbourhood", 5, 3, 19, 30,
     "plain", "Decision:", "Additional documents:", "transport waste community_safety leisure grants",
     "The Committee takes local decisions on highways, grants and services for its wards."),
    ("Riverside and Old Town Neighbourhood Committee", "Neighbourhood Committees", "neighbourhood", 5, 2, 19, 30,
     "plain", "Decision:", "Additional documents:", "transport waste community_safety leisure grants",
     "The Committee takes local decisions on highways, grants and services for its wards."),
    ("Southfield Neighbourhood Committee", "Neighbourhood Committees", "neighbourhood", 5, 0, 19, 0, "ordinal",
     "Decision:", "Additional documents:", "transport waste community_safety leisure grants economy",
     "The Committee takes local decisions on highways, grants and services for its wards."),
)
# Extra committees added when size > 1, cycled: name pattern, kind, meetings a year, topics.
EXTRA_KINDS = (
    ("{area} Neighbourhood Forum", "neighbourhood", 6, "transport waste community_safety leisure grants"),
    ("{area} Planning Sub-Committee", "planning", 8, "planning"),
    ("{area} Scrutiny Panel", "scrutiny", 5, "children schools housing health"),
    ("{area} Licensing Sub-Committee", "licensing", 5, "licensing"),
)
VENUES = _split("""Council Chamber, Eastmere Town Hall; Committee Room 2, Eastmere Civic Centre;
Committee Room 1, Eastmere Town Hall; Northbrook Community Centre, Fenwick Avenue""")
MONTHS = _split("January; February; March; April; May; June; July; September; October; November; December")

# Shared clause frames; {thing}, {fact} and number slots are filled per item.
SUMMARIES = _split("""set out progress on {thing}; provided an update on {thing};
sought approval for a new approach to {thing}; summarised performance on {thing} over the past year;
reviewed the Council's approach to {thing}""")
QUESTIONS = _split("""whether enough resources had been allocated to {thing}; what steps were being taken to improve {thing};
how the Council's performance on {thing} compared with that of neighbouring boroughs;
when Members would receive a further update on {thing}; whether residents had been consulted on {thing};
what the financial implications were for {thing}; how progress on {thing} would be monitored""")
ANSWERS = _split("""{fact}; officers were working closely with partners on {thing};
a further report on {thing} would come to the Committee in {month}; the service was on track to meet its
targets for {thing}; additional funding of £{money} had been secured for {thing}; the Council was reviewing
its approach to {thing} in the light of new national guidance""")
CONCERNS = _split("""expressed concern about {thing}; raised concerns about the impact of the proposals on
{thing}; highlighted the importance of {thing}; commented on {thing}""")
SUGGESTIONS = _split("""the Committee should receive regular updates on {thing}; officers should engage ward
councillors on {thing}; a briefing on {thing} should be arranged for all Members""")
RESOLUTIONS = _split("""the report be noted; the recommendations set out in the report be agreed;
the {title} be approved; a further update on {thing} be brought to a future meeting;
delegated authority be given to the {role}, in consultation with the Chair, to finalise the arrangements for
{thing}""")
DECLARATION_REASONS = _split("""{pro} was a governor of Northbrook Primary School; {pro} was a member of the
Fostering Panel; {pro} lived close to the application site; {pro} held a personal licence;
{pro} was employed by a local NHS trust; {pro} was a trustee of a local leisure charity;
a close relative worked for the Council's housing service""")
CONTINUATIONS = _split("{Pro} added that; {Pro} also noted that; {Pro} further explained that; {Pro} went on to say that")

# Per topic: titles | officers | things | facts (clauses read after "that").
TOPICS = {key: tuple(_split(part) for part in body.split("|")) for key, body in {
    "children": """Fostering Service Annual Report; Children in Care and Care Leavers Update; Early Help Strategy
Refresh; Placement Sufficiency Strategy; Corporate Parenting Annual Report; Youth Justice Plan |
Director of Children's Services; Head of Early Help; Head of Fostering and Adoption |
foster carer recruitment; placement stability for at-risk children; support for care leavers; social worker
caseloads; the early help offer for families; the cost of foster care placements; the use of residential placements outside the borough; support for
unaccompanied asylum-seeking children; the timeliness of child protection visits |
the number of approved fostering households had risen to {n}; {pct} per cent of children in care had lived in
the same placement for at least two years; the service had recruited {n} new foster carers since April;
the proportion of agency social workers had fallen by {pct} per cent; referrals to early help had increased by
{pct} per cent compared with the previous year; every care leaver aged 18 to 21 had been offered a personal
adviser; demand for foster care had risen by {pct} per cent in two years""",
    "schools": """School Place Planning Update; Education Standards Annual Report; Special Educational Needs and
Disabilities Strategy; Home to School Transport Review; Attendance and Exclusions Report |
Head of Education Standards; Director of Children's Services |
the availability of secondary school places; attainment gaps for disadvantaged pupils; waiting times for
education, health and care plans; persistent absence in primary schools; home to school transport costs; the
condition of school buildings |
{n} education, health and care plans had been issued within the twenty-week limit; primary pupil numbers were
forecast to fall by {pct} per cent over five years; persistent absence had fallen to {pct} per cent; the high
needs block was forecast to overspend by £{money}; {n} schools had been judged good or outstanding""",
    "adult_social_care": """Adult Social Care Market Position Statement; Carers Strategy Update; Hospital Discharge
and Reablement Performance; Adult Safeguarding Board Annual Report |
Director of Adult Social Care |
waiting lists for care assessments; the recruitment and retention of care workers; support for unpaid carers;
delayed discharges from hospital; the cost of residential care placements; the use of direct payments |
the number of people waiting for an assessment had fallen to {n}; {pct} per cent of people receiving reablement
were still at home after ninety-one days; home care fees would rise by {pct_small} per cent from April; {n} unpaid
carers had received a carer's assessment during the year; the service had reduced its reliance on agency
staff""",
    "housing": """Housing Revenue Account Business Plan; Homelessness and Rough Sleeping Strategy; Temporary
Accommodation Update; Private Rented Sector Licensing Scheme; Council Housebuilding Programme |
Head of Housing; Director of Place |
the use of temporary accommodation; damp and mould in council homes; the supply of affordable homes; rough
sleeping over the winter; standards in the private rented sector; the council housebuilding programme |
{n} households were living in temporary accommodation; {n} new council homes had been completed since April;
complaints about damp and mould had risen by {pct} per cent; the cost of nightly-paid accommodation had reached
£{money}; the number of people sleeping rough had fallen to {n_small}""",
    "planning": """Planning application |
Strategic Manager, Planning; Principal Planning Officer |
the height and massing of the proposed building; the impact on the amenity of neighbouring residents; parking
provision and highway safety; the loss of employment floorspace; the affordable housing contribution; the design
of the rear extension; the protection of mature trees on the site; overlooking of neighbouring gardens |
the proposal would provide {n_small} new homes; the highway authority had raised no objection subject to
conditions; {n} letters of objection had been received; the scheme had been reduced by one storey since the
original submission; the site lay within a conservation area; a construction management plan would be secured
by condition""",
    "transport": """Local Implementation Plan Spending Submission; School Streets Programme; Controlled Parking Zone
Consultation Results; Road Safety Scheme Proposals; Electric Vehicle Charging Strategy |
Head of Highways and Transport; Director of Place |
speeding on residential roads; the school streets programme; parking pressure near the station; the condition of
pavements; electric vehicle charging points; pedestrian crossings on the high street; protected cycle lanes |
{n} responses had been received to the consultation, {pct} per cent of them in favour; average speeds had fallen
by {n_small} mph since the trial began; {n} new charging points would be installed during the year; the
resurfacing programme had been allocated £{money}; a 20 mph limit was proposed for the whole area""",
    "waste": """Waste and Recycling Performance Report; Fly-tipping Enforcement Update; Garden Waste Service Review;
Street Cleansing Contract |
Head of Waste and Street Services |
fly-tipping hotspots; recycling rates in blocks of flats; missed bin collections; the garden waste subscription
charge; street cleansing standards; food waste collections |
the household recycling rate had reached {pct} per cent; {n} fixed penalty notices had been issued for
fly-tipping; missed collections had fallen to {n_small} in every hundred thousand; the garden waste service had
{n} subscribers; food waste collections would be extended to flats""",
    "budget": """Revenue Budget and Council Tax; Medium Term Financial Strategy; Capital Programme Monitoring;
Treasury Management Strategy; Financial Monitoring Report |
Chief Finance Officer; Chief Executive |
the forecast overspend; the level of general reserves; the capital programme; council tax collection rates;
the savings programme; borrowing costs |
the Council forecast an overspend of £{money}; general reserves stood at £{money}; council tax would rise by
{pct_small} per cent; {pct} per cent of the savings programme had been delivered; the council tax collection rate
was {pct_high} per cent""",
    "community_safety": """Community Safety Partnership Plan; Anti-social Behaviour Update; Violence Against Women
and Girls Strategy; CCTV Review |
Head of Community Safety |
anti-social behaviour in parks; knife crime among young people; the night-time economy; the Council's CCTV
network; the safety of women and girls at night; youth diversion projects |
reports of anti-social behaviour had fallen by {pct} per cent; {n} young people had taken part in diversion
projects; {n_small} new CCTV cameras had been installed; the partnership had secured £{money} from the Home
Office""",
    "leisure": """Libraries Strategy; Leisure Centre Contract Review; Parks and Open Spaces Strategy; Culture and
Heritage Plan |
Head of Culture and Leisure |
library opening hours; the leisure centre refurbishment; play areas in parks; the summer reading challenge; the
heritage centre; community use of sports pitches |
library visits had risen by {pct} per cent; {n} children had completed the summer reading challenge; the leisure
centre had {n} members; the refurbishment was expected to cost £{money}""",
    "economy": """Economic Growth Strategy; High Street Recovery Plan; Adult Skills Programme; Town Centre
Regeneration Update |
Head of Economic Development; Director of Place |
empty shops on the high street; apprenticeships for local young people; the town centre market; support for small
businesses; the adult skills programme |
the vacancy rate on the high street stood at {pct} per cent; {n} apprenticeships had started this year; the
market had attracted {n_small} new traders; the business support scheme had distributed £{money}""",
    "climate": """Climate Emergency Action Plan Progress; Carbon Management Plan; Street Tree Planting Programme;
Retrofit of Council Buildings |
Climate Emergency Lead; Director of Place |
the Council's carbon emissions; tree planting in residential streets; retrofitting council buildings; flood risk
along the river; air quality near schools |
the Council's own emissions had fallen by {pct} per cent since 2019; {n} street trees had been planted during the
season; solar panels had been fitted to {n_small} council buildings; nitrogen dioxide levels had fallen at
{n_small} monitoring sites""",
    "health": """Joint Health and Wellbeing Strategy; Director of Public Health Annual Report; Pharmaceutical Needs
Assessment; Healthy Weight Programme; Better Care Fund Plan |
Director of Public Health; Director of Adult Social Care |
childhood obesity; vaccination uptake; smoking cessation services; mental health support for young people;
health inequalities between wards; access to GP appointments |
uptake of the MMR vaccine had reached {pct_high} per cent; {n} people had used the stop smoking service; {pct} per
cent of reception-age children were overweight; the Better Care Fund totalled £{money}""",
    "licensing": """Review of the Statement of Licensing Policy; Street Trading Policy Review; Taxi and Private Hire
Licensing Policy |
Licensing Manager; Legal Adviser |
noise from late-night premises; the proposed terminal hour; the cumulative impact of licensed premises; the
conditions proposed by the Police; the sale of alcohol for consumption off the premises; street trading pitches |
{n_small} representations had been received from local residents; the Police had agreed conditions with the
applicant; the premises lay outside the cumulative impact zone; the applicant had requested a terminal hour of
11.30 pm""",
    "governance": """Internal Audit Progress Report; Annual Governance Statement; Risk Management Update; External
Audit Plan; Annual Report of the Monitoring Officer |
Head of Audit and Risk; Monitoring Officer; Chief Finance Officer |
outstanding audit recommendations; the corporate risk register; information governance; the register of members'
interests; the external auditor's findings |
{n} audit recommendations remained outstanding; {n_small} audits had received limited assurance; the Annual
Governance Statement identified {n_small} significant issues; the external auditor expected to issue an
unqualified opinion""",
    "grants": """Neighbourhood Community Grants; Ward Improvement Fund; Community Infrastructure Levy Allocations |
Neighbourhood Manager |
community grant applications; the ward improvement budget; local community events; funding for youth clubs;
improvements to local parks |
{n_small} applications had been received in this round; £{money_small} remained in the budget for the year; the
grant would fund a programme of summer activities; the applicants had secured match funding""",
}.items()}

PLANNING_WORKS = _split("""the erection of a three-storey building comprising {n_small} flats; a single-storey rear
extension; the change of use of the ground floor from a shop to a café; the demolition of a garage and the
erection of a two-bedroom house; the conversion of a house into {n_small} self-contained flats""")
LICENSED_VENUES = _split("""The Kestrel Arms; Riverside Social Club; Millfield Wine Bar; Old Town Convenience
Store; Quayside Kitchen; The Beacon Tap""")

# Deliberately hostile strings, placed in one meeting so the web layer's escaping is exercised.
HOSTILE_TITLES = ("Petition: Save the Pier <script>alert(1)</script>",
                  "Premises Licence Application: Fish & Chips, 4 Quay Street")
HOSTILE_TEXT = ('The petition, headed "Save the Pier <script>alert(1)</script>", had been signed by 212 '
                "residents & businesses who asked the Council to keep the pier's café open.")
