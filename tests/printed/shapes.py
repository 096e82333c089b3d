"""Printed minutes made in the tests, in the shapes councils print them (our own names and words).

Each shape is a function returning a :class:`Shape`: the PDF's blocks as laid out by
:mod:`searchsvc.sample.pdf`, the minute numbers a reader should find, the people in the header,
and each minutes paragraph's speakers as labelled by these rules: a passage's speakers are the
people it reports saying, asking, moving or seconding something, named as the header names
them; officers by their post; "the Chair"/"the Mayor" is whoever the header gives that role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from searchsvc.sample import pdf


@dataclass
class Shape:
    name: str
    title: list[tuple[str, str]]
    minutes: list[tuple[str, list[tuple[str, tuple[str, ...]]]]]  # (heading, [(paragraph, speakers)])
    numbers: list[str]  # the minute numbers as a reader should give them
    columns: int = 1
    header: str = ""
    footer: str = ""
    number_apart: bool = False  # the number printed as its own line above the heading
    present: dict[str, str] = field(default_factory=dict)  # name -> role expected from the header

    def blocks(self) -> list[tuple[str, str]]:
        out = []
        for heading, paras in self.minutes:
            if self.number_apart:
                number, _, rest = heading.partition(" ")
                out += [("body", number), ("heading", rest)]
            else:
                out.append(("heading", heading))
            out += [("body", text) for text, _ in paras]
        return out

    def pdf(self, scanned: bool | set[int] = False) -> bytes:
        """The PDF; ``scanned`` makes every page (True) or the given pages (1-based) image-only."""
        head = pdf.flow(self.title, columns=1)[0]
        below = min(ln.y for ln in head) - 30
        pages = pdf.flow(self.blocks(), columns=self.columns, first_top=below)
        pages[0] = head + pages[0]
        pages = pdf.decorated(pages, self.header, self.footer)
        if scanned:
            pages = [pdf.ScannedPage(tuple(p)) if scanned is True or n in scanned else p
                     for n, p in enumerate(pages, 1)]
        return pdf.laid_out_pdf(pages)

    def labelled(self) -> list[tuple[str, tuple[str, ...]]]:
        return [p for _, paras in self.minutes for p in paras]


def town_council() -> Shape:
    """A Welsh town council: "At a Meeting of …", PRESENT with the Mayor after a comma, IN
    ATTENDANCE with posts after commas, three-digit minute numbers, PROPOSED/SECONDED lines."""
    mayor, clerk = "Councillor R. Hale", "Town Clerk"
    return Shape(
        "town", [("body", "At a Meeting of the Town Council held at the Guild Hall, Aberwen on Thursday, "
                          "9th May, 2019 at 6.30 p.m."),
                 ("body", "PRESENT: Councillor R. Hale, Mayor Councillors T. Bryn, Mrs. S. Moss, D. Lloyd and "
                          "Mrs. E. Vaughan."),
                 ("body", "IN ATTENDANCE: Mr. K. Doyle, Town Clerk; Mrs. L. Price, Finance Officer")],
        [("214. APOLOGIES FOR ABSENCE", [("Apologies for absence were received from Councillor G. Rees.", ())]),
         ("215. MINUTES", [("PROPOSED by Councillor T. Bryn SECONDED by Councillor Mrs. S. Moss", (
             "Councillor T. Bryn", "Councillor Mrs. S. Moss")),
                           ("RESOLVED - That the Minutes of the Meeting held on the 11th April, 2019 be adopted.",
                            ())]),
         ("216. MATTERS ARISING FROM THE MINUTES", [
             ("Councillor D. Lloyd asked whether the County Council had replied about the damaged railings on "
              "the quay. The Town Clerk stated that a reply was expected within the month.",
              ("Councillor D. Lloyd", "Mr. K. Doyle")),
             ("The Mayor reported that the twinning visit had been postponed until the autumn.", (mayor,))]),
         ("217. FLOWER BASKETS AND BEDDING PLANTS", [
             ("Councillor Mrs. E. Vaughan reported that the contractor had offered a three year agreement at a "
              "reduced price, and recommended acceptance.", ("Councillor Mrs. E. Vaughan",)),
             ("RESOLVED - That the three year agreement be accepted.", ())])],
        ["214", "215", "216", "217"], columns=1, footer="Aberwen Town Council",
        present={"Councillor R. Hale": "Mayor", "Mr. K. Doyle": clerk})


def borough_council() -> Shape:
    """A Northern Irish borough council: the long capitalised title, "In the Chair" with the Mayor,
    Aldermen and Councillors lists after dashes, officers as "post – name", the minute number
    printed on its own line above a capitalised heading, sub-numbers 9.1."""
    return Shape(
        "borough", [("body", "MINUTES OF THE PROCEEDINGS OF THE MEETING OF THE COUNCIL HELD IN THE CIVIC CENTRE "
                             "ON MONDAY 3 FEBRUARY 2020 AT 6.30 PM"),
                    ("body", "In the Chair : The Mayor (Councillor T Nolan)"),
                    ("body", "Members Present : Aldermen - P Grant, S Kerr and W Orr"),
                    ("body", "Councillors - A Boyd, J Devlin, M Quinn and R Steele"),
                    ("body", "Officers Present : Chief Executive - H Moran; Director of Operations - C Lynn")],
        [("1 PRAYER AND WELCOME", [("The Mayor welcomed everyone to the meeting and the meeting opened with a "
                                    "prayer.", ("Councillor T Nolan",))]),
         ("2 APOLOGIES", [("None.", ())]),
         ("3 DECLARATIONS OF INTEREST", [("Item 9.2 - Councillor Devlin", ())]),
         ("9 REPORTS OF THE OPERATIONS COMMITTEE", [
             ("Alderman Kerr asked that the report on grass cutting be taken separately. The Director of "
              "Operations explained the revised schedule for the summer.",
              ("Alderman S Kerr", "C Lynn")),
             ("Moved by Councillor Boyd Seconded by Councillor Quinn and RESOLVED - that the report be approved.",
              ("Councillor A Boyd", "Councillor M Quinn"))]),
         ("9.1 LEISURE CENTRE OPENING HOURS", [
             ("Councillor Steele welcomed the longer weekend opening hours at the leisure centre.",
              ("Councillor R Steele",))]),
         ("9.2 CAR PARKING CHARGES", [
             ("Councillor Devlin, having declared an interest, left the meeting for this item.", ()),
             ("Alderman Grant proposed that the charges be frozen for a further year; this was agreed.",
              ("Alderman P Grant",))])],
        ["1", "2", "3", "9", "9.1", "9.2"], columns=2, number_apart=True,
        header="Council Meeting - 3 February 2020", footer="Minutes of Council",
        present={"Councillor T Nolan": "Mayor", "C Lynn": "Director of Operations"})


def district_cabinet() -> Shape:
    """An English district's cabinet: a bold title block, PRESENT with (Chair) and (Vice-Chair),
    "Councillors A, B and C", officers by post, apologies in a sentence; "23. BUDGET MONITORING"
    headings in two columns with a running header and "Page n of m" footer; "Minute 25" style."""
    return Shape(
        "district", [("heading", "NORTH WEALD DISTRICT COUNCIL"), ("heading", "CABINET"),
                     ("body", "Minutes of the meeting held on Wednesday 12 June 2024 at 7.00 pm"),
                     ("body", "PRESENT: Councillor Hana Okafor (Chair), Councillor Rob Ellis (Vice-Chair), "
                              "Councillors Mei Tan, Joe Walsh and Ruth Adeyemi."),
                     ("body", "Officers in attendance: Chief Finance Officer, Head of Housing, Democratic "
                              "Services Officer."),
                     ("body", "Apologies for absence were received from Councillor Ian Ford.")],
        [("23. BUDGET MONITORING", [
            ("The Chief Finance Officer introduced the report, which forecast an overspend of 1.2 million pounds "
             "on temporary accommodation and homelessness prevention.", ("Chief Finance Officer",)),
            ("Councillor Tan asked what action was being taken to bring spending back within budget. The "
             "Chief Finance Officer replied that a recovery plan would be reported in September.",
             ("Councillor Mei Tan", "Chief Finance Officer")),
            ("RESOLVED that the forecast position be noted.", ())]),
         ("24. HOUSING ALLOCATIONS POLICY", [
            ("The Head of Housing presented the revised allocations policy following consultation with "
             "residents and partner landlords.", ("Head of Housing",)),
            ("Councillor Walsh welcomed the priority given to care leavers. Councillor Adeyemi questioned "
             "whether the local connection rule would disadvantage armed forces families.",
             ("Councillor Joe Walsh", "Councillor Ruth Adeyemi")),
            ("The Chair thanked officers for their work on the policy.", ("Councillor Hana Okafor",))]),
         ("Minute 25 Climate action plan update", [
            ("Councillor Ellis introduced the annual update and said that emissions from council buildings had "
             "fallen by eleven per cent.", ("Councillor Rob Ellis",)),
            ("RESOLVED that the update be noted.", ())])],
        ["23", "24", "25"], columns=2, header="Cabinet - 12 June 2024", footer="North Weald District Council",
        present={"Councillor Hana Okafor": "Chair", "Councillor Rob Ellis": "Vice-Chair"})


def parish_council() -> Shape:
    """A parish council: "Cllrs" lists, minute numbers "01/25" with the agenda item after the title,
    mixed-case headings, speakers named "Cllr X" without initials."""
    return Shape(
        "parish", [("body", "Minutes of the Annual Meeting of Brockley Green Parish Council held in the Village "
                            "Hall on Tuesday 6th May 2025 at 7.30 pm"),
                   ("body", "PRESENT: Cllrs P Ashton, K Brook, D Carver and M Dale."),
                   ("body", "IN ATTENDANCE: Mrs J Fenn (Parish Clerk)")],
        [("01/25 ELECTION OF CHAIR (Agenda item 1)", [
            ("Cllr Brook nominated Cllr Ashton as Chair for the coming year; Cllr Dale seconded the nomination "
             "and all were in favour.", ("Cllr K Brook", "Cllr M Dale")),
            ("Cllr Ashton thanked members for their support.", ("Cllr P Ashton",))]),
         ("02/25 APOLOGIES (Agenda item 2)", [("There were no apologies.", ())]),
         ("03/25 PLAYING FIELD (Agenda item 3)", [
            ("The Parish Clerk reported that two quotations had been received for replacing the swings.",
             ("Mrs J Fenn",)),
            ("Cllr Carver proposed accepting the lower quotation, seconded by Cllr Dale; carried.",
             ("Cllr D Carver", "Cllr M Dale"))])],
        ["01/25", "02/25", "03/25"], columns=1, footer="Brockley Green Parish Council",
        present={"Mrs J Fenn": "Parish Clerk"})


SHAPES = (town_council, borough_council, district_cabinet, parish_council)
