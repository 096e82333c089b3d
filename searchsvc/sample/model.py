"""The sample council's own data types: the ground truth the crawler's output is compared with.

These are the generator's dataclasses, deliberately separate from :mod:`searchsvc.records`: the
sample site must not depend on the contract it is used to test. Every value here is what the
site *serves* (or, for speakers, what a perfect attribution would find), so a test can compare a
crawl with it field by field.

The whole site hangs off a fixed "today" (:data:`TODAY`), never the real clock, so the same seed
gives the same bytes on any day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

TODAY = datetime(2026, 1, 31, 9, 0)
FIRST_MONTH = (2015, 1)
LAST_MONTH = (2026, 4)  # inclusive; meetings after TODAY are future meetings
MINUTES_LAG = timedelta(days=10)  # minutes appear this long after a meeting (decisions sooner)
TRUNCATE_AT = 1500  # the meeting page cuts minutes longer than this, like ModernGov

HELD, CANCELLED, FUTURE = "held", "cancelled", "future"  # same words as searchsvc.records

# Four-year terms of office (election days); term k is [TERMS[k], TERMS[k + 1]).
TERMS = (date(2014, 5, 22), date(2018, 5, 3), date(2022, 5, 5), date(2026, 5, 7))

# Id schemes. They are arithmetic so that any id in a URL leads back to its meeting without a
# lookup table for the whole site: MId = MID_BASE + 4*slot (+0/1), agenda id = MId or MId + 2,
# AI id = AI_BASE + slot*AI_BLOCK + k, document id = DOC_BASE + 4*AI + k.
MID_BASE = 10000
AI_BASE = 40000
AI_BLOCK = 20
DOC_BASE = 200000


def municipal_year(d: date | datetime) -> int:
    """The municipal year (May to April) a date falls in, named by its first calendar year."""
    return d.year if d.month >= 5 else d.year - 1


def term_of(d: date | datetime) -> int:
    """Index of the term of office containing ``d`` (clamped to the known terms)."""
    d = d.date() if isinstance(d, datetime) else d
    for k in range(len(TERMS) - 2, -1, -1):
        if d >= TERMS[k]:
            return k
    return 0


@dataclass(frozen=True, slots=True)
class Person:
    """A councillor or co-opted member. ``name`` is the canonical speaker name."""

    uid: int
    title: str  # "Councillor", "Mr", "Dr" …
    first: str
    last: str
    gender: str  # "f" / "m", for the pronoun that continues a speaker's turn
    party: str = ""
    ward: str = ""
    terms: tuple[int, ...] = ()
    coopted_for: str = ""  # committee kind a co-opted member sits on ("" for councillors)
    represents: str = ""

    @property
    def name(self) -> str:
        return f"{self.title} {self.first} {self.last}"

    @property
    def pronoun(self) -> str:
        return "She" if self.gender == "f" else "He"


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """One line of a committee's membership: ``role`` is Chair, Vice-Chair, Committee Member
    or Co-opted Member."""

    uid: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    committee_id: int
    name: str
    category: str
    kind: str  # council, cabinet, scrutiny, planning, hwb, licensing, audit, neighbourhood
    purpose: str
    per_year: float
    weekday: int
    hour: int
    minute: int
    date_style: str  # "plain" (Thursday 15 January 2026 7:30 pm) or "ordinal" (Thursday, 15th January, 2026 7.30 pm)
    decision_label: str  # "Decision:", "Resolved:" or "" (no decision blocks)
    docs_label: str  # "Additional documents:" or "Supporting documents:"
    topics: tuple[str, ...]
    venue: str
    wards: tuple[str, ...] = ()

    @property
    def url_path(self) -> str:
        return f"mgCommitteeDetails.aspx?ID={self.committee_id}"


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    """One row of the meeting index: everything needed to generate the meeting lazily."""

    meeting_id: int
    committee_id: int
    committee_name: str
    start: datetime
    status: str  # HELD, CANCELLED or FUTURE
    agenda_id: int  # the g<AgendaId> of meeting documents; not always the MId
    venue: str
    minutes_published: bool
    slot: int  # position in the index; fixes the block of AI ids
    n_sub: int  # substantive items planned
    plan_bits: int  # optional procedural items (see prose.item_plan)
    n_items: int
    first_number: int  # minute number of the first item (runs on through the municipal year)
    prev_start: datetime | None
    next_starts: tuple[datetime, ...]
    modified: datetime
    hostile: bool = False

    @property
    def url_path(self) -> str:
        return f"ieListDocuments.aspx?CId={self.committee_id}&MId={self.meeting_id}&Ver=4"

    @property
    def date(self) -> date:
        return self.start.date()


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph with the speakers a perfect attribution would give it.

    ``speakers`` are canonical names ("Councillor Jan Reed", officers by role "Head of Early
    Help"); ``raw`` the phrases as written ("Cllr J. Reed", "She", "The Chair").
    """

    text: str
    speakers: tuple[str, ...] = ()
    raw: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocInfo:
    doc_id: int
    title: str
    filename: str
    size_kb: int
    kind: str = "report"  # "report" (linked from the title), "annex", "minutes"

    @property
    def url_path(self) -> str:
        return f"documents/s{self.doc_id}/{self.filename}"


@dataclass(frozen=True, slots=True)
class Declared:
    member: str  # canonical name
    item_number: str  # as written in the declaration: "57"
    kind: str  # "pecuniary", "non-pecuniary", "other"


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    role: str  # Chair, Vice-Chair, Committee Member, Co-opted Member, Officer
    attendance: str  # "Present, as expected", "Apologies", "In attendance", "Expected"
    uid: int = 0  # 0 for officers
    party: str = ""  # members: as the council publishes it
    ward: str = ""  # councillors' ward; co-opted members: the body they represent
    posts: tuple[str, ...] = ()  # key posts held at the meeting (Council.key_posts)


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """An agenda item as served, with per-paragraph speaker ground truth."""

    item_id: int  # the AI id
    meeting_id: int
    committee_id: int
    position: int  # 1-based order on the agenda
    number: str  # minute number as printed, "54."
    title: str
    kind: str  # apologies, declarations, minutes, public_questions, substantive, member_questions, motion, …
    procedural: bool
    topic: str  # topic key ("children", "planning" …) or ""
    agenda: tuple[str, ...] = ()
    minutes: tuple[Para, ...] = ()
    decision: tuple[Para, ...] = ()
    report: DocInfo | None = None  # linked from the title (a.mgAiTitleLnk)
    documents: tuple[DocInfo, ...] = ()  # "Additional/Supporting documents"
    declarations: tuple[Declared, ...] = ()

    @property
    def url_path(self) -> str:
        return f"mgAi.aspx?ID={self.item_id}"

    @property
    def minutes_paragraphs(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.minutes)

    @property
    def decision_paragraphs(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.decision)

    @property
    def minutes_speakers(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.speakers for p in self.minutes)

    @property
    def minutes_text(self) -> str:
        return "\n\n".join(self.minutes_paragraphs)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Every canonical speaker of the item, in order of first appearance."""
        return tuple(dict.fromkeys(s for p in self.minutes for s in p.speakers))

    @property
    def all_documents(self) -> tuple[DocInfo, ...]:
        return ((self.report,) if self.report else ()) + self.documents

    @property
    def truncated(self) -> bool:
        """True when the meeting page shows a cut version and links to mgAi.aspx."""
        return truncate(self.minutes_paragraphs)[1]


def truncate(paragraphs: Sequence[str], limit: int = TRUNCATE_AT) -> tuple[list[str], bool]:
    """The paragraphs a meeting page shows, cut at a word boundary near ``limit`` characters.

    ModernGov cuts long minutes mid-paragraph and appends a "view the full minutes text" link;
    the cut text is always a prefix of the full text, so a parser can check it.
    """
    if sum(len(p) for p in paragraphs) <= limit:
        return list(paragraphs), False
    out: list[str] = []
    used = 0
    for p in paragraphs:
        if used + len(p) <= limit:
            out.append(p)
            used += len(p)
            continue
        cut = p[: max(limit - used, 1)].rsplit(" ", 1)[0].rstrip(" ,;:")
        if cut:
            out.append(cut)
        break
    return out, True
