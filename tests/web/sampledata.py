"""A small, hand-written council archive for the web tests, browser tests and screenshots.

Real records written to a real catalog and a real Whoosh index (no fakes), small
enough to build in well under a second, and chosen to exercise what the web
layer must get right: several committees, years and speakers; passages with
reported speech; procedural items; minutes containing ``<script>``; a title
with an ampersand; text starting with ``=`` (CSV formula injection); enough
"budget" items to need several pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from searchsvc.catalog import Catalog
from searchsvc.config import Config, parse_config
from searchsvc.index import IndexStore, item_doc
from searchsvc.records import Committee, Declaration, Document, Item, Meeting, Member, Passage, Source

SOURCE = Source(name="kingston", title="Royal Borough of Kingston upon Thames", kind="moderngov",
                base_url="https://moderngov.kingston.gov.uk/")
BASE = SOURCE.base_url

REED = "Councillor Jan Reed"
CRUTE = "Councillor Tom Crute"
SMITH = "Councillor Ann Smith"
HEAD = "Head of Early Help"
PATEL = "Councillor Priya Patel"

COMMITTEES = {
    "7": ("Children's and Adults' Care and Education Committee", (REED, CRUTE, SMITH)),
    "12": ("Planning Committee", (PATEL, SMITH)),
    "20": ("Finance and Resources Committee", (CRUTE, PATEL, REED)),
}

# meeting id, committee id, start
MEETINGS = [
    ("100", "7", datetime(2017, 7, 10, 19, 30)),
    ("101", "12", datetime(2017, 11, 2, 19, 0)),
    ("102", "20", datetime(2018, 3, 15, 19, 30)),
    ("103", "7", datetime(2018, 9, 20, 19, 30)),
    ("104", "12", datetime(2019, 2, 7, 19, 0)),
    ("105", "20", datetime(2019, 6, 13, 19, 30)),
    ("106", "7", datetime(2019, 11, 28, 19, 30)),
]

SCRIPT = "<script>alert(1)</script>"

# What the councils publish about members (party, ward, posts), where they do.
MEMBERS = {
    REED: ("Liberal Democrat", "Tudor", ("Portfolio Holder for Children's Services",)),
    CRUTE: ("Conservative", "Berrylands", ()),
    SMITH: ("Liberal Democrat", "Canbury", ()),
    PATEL: ("Labour", "Norbiton", ()),
}
# A meeting not yet held (the crawler stores future meetings and their agendas): in the catalog,
# never in the index, so search counts stay as they are. Always two weeks ahead of today.
FUTURE_MEETING = ("107", "12")
FUTURE_AGENDA = ("Apologies for absence", "Draft local plan consultation", "Kingston Station forecourt")


def future_start() -> datetime:
    return datetime.combine(datetime.now().date() + timedelta(days=14), datetime.min.time()).replace(hour=19)


def _p(anchor: str, text: str, *speakers: str, raw: tuple[str, ...] = (), section: str = "minutes") -> Passage:
    return Passage(anchor=anchor, text=text, speakers=speakers, raw_speakers=raw, section=section)


def _items() -> list[tuple[str, Item]]:
    """(meeting id, item) pairs; item ids are unique across the archive."""
    out: list[tuple[str, Item]] = []
    n = 500

    def add(meeting: str, title: str, passages: tuple[Passage, ...] = (), *, topics: tuple[str, ...] = (),
            procedural: bool = False, agenda: str = "", documents: tuple[Document, ...] = (),
            declarations: tuple[Declaration, ...] = ()) -> None:
        nonlocal n
        n += 1
        position = sum(1 for m, _ in out if m == meeting) + 1
        minutes = tuple(p.text for p in passages if p.section == "minutes")
        decision = tuple(p.text for p in passages if p.section == "decision")
        out.append((meeting, Item(
            source="kingston", meeting_id=meeting, item_id=str(n), position=position, number=f"{n - 440}.",
            title=title, agenda_text=agenda, minutes_paragraphs=minutes, decision_paragraphs=decision,
            documents=documents, url=f"{BASE}ieListDocuments.aspx?MId={meeting}#AI{n}", passages=passages,
            topics=topics, procedural=procedural, declarations=declarations)))

    for meeting in (m for m, _, _ in MEETINGS):
        add(meeting, "Apologies for absence",
            (_p("p1", "Apologies for absence were received from Councillor Ann Smith."),), procedural=True)
    add("100", "Foster care sufficiency", (
        _p("p1", "Councillor Reed asked about the number of foster carers recruited this year and whether "
                 "foster care placements met demand.", REED, raw=("Councillor Reed",)),
        _p("p2", "The Head of Early Help explained that foster carer recruitment had improved but placements "
                 "for teenagers remained difficult.", HEAD, raw=("The Head of Early Help",)),
        _p("p3", "Councillor Crute queried the cost of agency placements.", CRUTE, raw=("Councillor Crute",)),
        _p("p1d", "RESOLVED: That the foster care sufficiency strategy be noted.", section="decision"),
    ), topics=("children", "social care"), agenda="To consider the foster care sufficiency report.",
        documents=(Document(f"{BASE}documents/s900/Foster.pdf", "Foster care report", "report"),),
        declarations=(Declaration(CRUTE, "Foster care sufficiency", "non-pecuniary", "He is a foster carer."),))
    add("100", "School meals and the school day", (
        _p("p1", f"Councillor Smith said that free school meals mattered. {SCRIPT} The committee laughed.",
           SMITH, raw=("Councillor Smith",)),
    ), topics=("children", "education"))
    add("101", "Fish & Chips shop, 14 High Street", (
        _p("p1", "Councillor Patel moved that the application for a fish & chip shop be refused on the grounds "
                 "of odour and parking.", PATEL, raw=("Councillor Patel",)),
        _p("p2", "RESOLVED: That planning permission be refused.", section="decision"),
    ), topics=("planning",))
    add("101", "Housing development at Tolworth", (
        _p("p1", "Councillor Smith asked how many affordable homes the Tolworth housing scheme would provide.",
           SMITH, raw=("Councillor Smith",)),
    ), topics=("planning", "housing"))
    add("102", "Budget monitoring: quarter three", (
        _p("p1", "Councillor Crute reported an overspend on children's placements within the budget.", CRUTE,
           raw=("Councillor Crute",)),
        _p("p2", "Councillor Reed asked whether foster placements explained the overspend.", REED,
           raw=("Councillor Reed",)),
    ), topics=("budget", "children"))
    add("102", "=HYPERLINK(\"http://evil.example\",\"click\") fees and charges", (
        _p("p1", "-2 percent change to parking fees was proposed by Councillor Patel.", PATEL,
           raw=("Councillor Patel",)),
    ), topics=("budget",))
    add("103", "Special educational needs transport", (
        _p("p1", "Councillor Reed referred to complaints about school transport for children with special "
                 "educational needs.", REED, raw=("Councillor Reed",)),
    ), topics=("children", "education", "transport"))
    add("104", "Conservation area review", (
        _p("p1", "Councillor Patel explained the conservation area boundaries.", PATEL, raw=("Councillor Patel",)),
    ), topics=("planning",))
    for i, meeting in enumerate(("105", "105", "105", "106", "106", "102", "102")):
        add(meeting, f"Budget savings proposal {i + 1}", (
            _p("p1", f"Councillor Crute presented budget savings proposal {i + 1} for the council budget.", CRUTE,
               raw=("Councillor Crute",)),
        ), topics=("budget", ("libraries", "parks", "waste", "leisure")[i % 4]))
    add("106", "Youth services and early help", (
        _p("p1", "The Head of Early Help reported on youth centres and early help outcomes.", HEAD,
           raw=("The Head of Early Help",)),
        _p("p2", "Councillor Reed thanked officers for the foster care work.", REED, raw=("Councillor Reed",)),
    ), topics=("children",))
    return out


def write_catalog(data_dir: Path) -> tuple[int, list[tuple[Item, Meeting]]]:
    """Write committees, meetings and items to ``data_dir/catalog.sqlite``; returns (batch, pairs)."""
    pairs: list[tuple[Item, Meeting]] = []
    items = _items()
    with Catalog.in_dir(data_dir) as catalog:
        batch = catalog.start_batch("test", "kingston")
        catalog.upsert_source(SOURCE, batch)
        for cid, (name, members) in COMMITTEES.items():
            catalog.upsert_committee(Committee(
                "kingston", cid, name, category="Committees", url=f"{BASE}mgCommitteeDetails.aspx?ID={cid}",
                purpose=f"The {name} of the council.",
                members=tuple(Member(m, "Chair" if i == 0 else "Committee Member", party=MEMBERS[m][0],
                                     ward=MEMBERS[m][1], posts=MEMBERS[m][2]) for i, m in enumerate(members))),
                batch)
        for mid, cid, start in MEETINGS:
            name, members = COMMITTEES[cid]
            meeting = Meeting(
                source="kingston", committee_id=cid, committee_name=name, meeting_id=mid, start=start,
                venue="Guildhall, Kingston upon Thames", url=f"{BASE}ieListDocuments.aspx?MId={mid}",
                attendance=tuple(Member(m, attendance="Present") for m in members)
                + (Member(HEAD, role="Officer", attendance="In attendance"),),
                documents=(Document(f"{BASE}documents/g{mid}/Printed minutes.pdf", "Printed minutes",
                                    "printed minutes"),))
            catalog.upsert_meeting(meeting, batch)
            mine = [item for m, item in items if m == mid]
            catalog.replace_items(meeting, mine, batch)
            pairs += [(item, meeting) for item in mine]
        fmid, fcid = FUTURE_MEETING
        future = Meeting(source="kingston", committee_id=fcid, committee_name=COMMITTEES[fcid][0], meeting_id=fmid,
                         start=future_start(), venue="Guildhall, Kingston upon Thames", status="future",
                         url=f"{BASE}ieListDocuments.aspx?MId={fmid}")
        catalog.upsert_meeting(future, batch)
        catalog.replace_items(future, [
            Item(source="kingston", meeting_id=fmid, item_id=str(900 + i), position=i + 1, title=title,
                 agenda_text=f"To consider: {title.lower()}.", procedural=i == 0,
                 url=f"{BASE}ieListDocuments.aspx?MId={fmid}#AI{900 + i}")
            for i, title in enumerate(FUTURE_AGENDA)], batch)
        run = catalog.start_run("crawl", batch)
        catalog.finish_run(run, "ok", {"items": len(pairs)}, [])
        catalog.finish_batch(batch)
    return batch, pairs


def build(data_dir: Path) -> Path:
    """Catalog + index in ``data_dir`` (created); returns ``data_dir``."""
    build_documents(data_dir)
    return data_dir


def build_documents(data_dir: Path) -> list:
    """Catalog + index in ``data_dir`` (created); returns the indexed documents, for tests that
    publish a new generation from them."""
    data_dir.mkdir(parents=True, exist_ok=True)
    batch, pairs = write_catalog(data_dir)
    docs = [item_doc(item, meeting, batch, SOURCE.title) for item, meeting in pairs]
    IndexStore(data_dir).build_full(docs, expected_count=len(docs))
    return docs


def config(data_dir: Path) -> Config:
    raw = {"storage": {"data_dir": str(data_dir)},
           "sources": [{"name": SOURCE.name, "title": SOURCE.title, "base_url": SOURCE.base_url}]}
    return parse_config(raw)


ITEM_COUNT = len(_items())
