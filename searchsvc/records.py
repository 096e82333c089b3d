"""The data contract between the crawler, enrichment, the catalog and the index.

Every stage hands the next one these frozen dataclasses, never dicts or soup
objects, so a parser can be tested by comparing values and a record can be
hashed to tell whether it changed. Ids are derived from the source name and
the CMS's own ids (``kingston:item:51890``), never from row order, so a nightly
run updates what it saw before instead of adding a duplicate.

Dates are naive ``datetime`` values in UK local time (Europe/London), which is
how every ModernGov page and web-service response states them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Meeting.status values.
HELD = "held"
CANCELLED = "cancelled"
FUTURE = "future"
MEETING_STATUSES = (HELD, CANCELLED, FUTURE)

# Document.kind values (ModernGov's ?T= suffix and the document's place on the page).
DOC_FRONTSHEET = "agenda frontsheet"  # documents/g…?T=0
DOC_MINUTES = "printed minutes"  # documents/g…?T=1
DOC_DECISIONS = "printed decisions"  # documents/g…?T=2
DOC_PACK = "reports pack"  # mgChooseDocPack.aspx / ?T=10
DOC_REPORT = "report"  # documents/s… attached to an item
DOC_OTHER = "other"


# Metadata of fields added after records were first stored: left out of the canonical JSON while
# they hold their default, so adding one does not change the hash of every stored record (which
# would mark the whole archive changed and re-index it).
OMIT_DEFAULT = {"omit_default": True}


def record_id(source: str, kind: str, cms_id: str | int) -> str:
    """The stable id of a record: ``<source>:<kind>:<cms id>``."""
    return f"{source}:{kind}:{cms_id}"


@dataclass(frozen=True)
class Source:
    """A council to crawl, as configured in ``[[sources]]``."""

    name: str  # short id used in record ids and the source facet, e.g. "kingston"
    title: str  # "Royal Borough of Kingston upon Thames"
    kind: str  # "moderngov"
    base_url: str  # the folder holding the .aspx pages, ending with "/"
    committees: tuple[str, ...] = ()  # optional filter by committee id; empty = all
    since: date | None = None  # earliest meeting date to crawl
    documents: bool = False  # download and extract PDF text
    allow_private: bool = False  # allow hosts resolving to private/loopback addresses
    # read the minutes PDF of meetings whose pages carry no minutes text; OCR scanned pages
    printed_minutes: bool = field(default=True, metadata=OMIT_DEFAULT)
    ocr: bool = field(default=False, metadata=OMIT_DEFAULT)


@dataclass(frozen=True)
class Member:
    """A member of a committee or a person at a meeting.

    ``name`` is the name as the council prints it, title included
    ("Councillor Jan Reed"); ``role`` is "Chair", "Vice-Chair", "Committee
    Member", "Officer" or a job title; ``attendance`` is set only for meeting
    attendance ("Present", "Apologies", "In attendance", "Absent", "Expected").
    ``posts`` are the offices the person held then (ModernGov "keyposts"), so a
    passage naming only an office ("The Cabinet Member for Resources said") can
    be resolved to the person.
    """

    name: str
    role: str = ""
    uid: str = ""  # ModernGov mgUserInfo.aspx?UID=
    attendance: str = ""
    party: str = ""  # political party where the council publishes it
    ward: str = ""  # ward or division represented, where published
    posts: tuple[str, ...] = ()  # key posts held at the time, as written ("Cabinet Member for Resources")


@dataclass(frozen=True)
class Document:
    """A PDF or other file linked from a meeting or an item."""

    url: str  # absolute, canonical
    title: str
    kind: str = DOC_OTHER
    text: str = ""  # extracted text, empty until downloaded (sources with documents = true)


@dataclass(frozen=True)
class Committee:
    source: str
    committee_id: str  # ModernGov CId
    name: str
    category: str = ""  # the heading it is listed under ("Strategic Committees")
    url: str = ""
    purpose: str = ""
    members: tuple[Member, ...] = ()

    @property
    def id(self) -> str:
        return record_id(self.source, "committee", self.committee_id)


@dataclass(frozen=True)
class Passage:
    """One paragraph of minutes (or of a decision), the unit of speaker attribution.

    ``anchor`` is the stable fragment id ("p3") used for deep links;
    ``speakers`` holds canonical names ("Councillor Jan Reed", "Head of Early
    Help"), ``raw_speakers`` the phrases as written ("Cllr Reed", "She").
    """

    anchor: str
    text: str
    speakers: tuple[str, ...] = ()
    raw_speakers: tuple[str, ...] = ()
    section: str = "minutes"  # "minutes" or "decision"
    page: int = field(default=0, metadata=OMIT_DEFAULT)  # page of the printed PDF it starts on; 0: not from a PDF


@dataclass(frozen=True)
class Declaration:
    """A declaration of interest recorded in the minutes."""

    member: str
    item: str  # the item (number or title) the interest concerns, as written
    kind: str = ""  # "pecuniary", "non-pecuniary", "other", "" when not stated
    text: str = ""


@dataclass(frozen=True)
class Item:
    """An agenda item with its minutes and decision: the unit of search results."""

    source: str
    meeting_id: str  # ModernGov MId
    item_id: str  # ModernGov AI id; "<MId>-<position>" when the page has no AI anchor
    position: int  # order on the agenda, 1-based
    number: str = ""  # minute number as printed: "54.", "3a"
    title: str = ""
    agenda_text: str = ""
    minutes_paragraphs: tuple[str, ...] = ()  # one string per block-level paragraph
    decision_paragraphs: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    url: str = ""  # permalink: the meeting page with #AI<id>, or mgAi.aspx?ID=
    full_text_url: str = ""  # mgAi.aspx link when the meeting page truncated the text
    # Printed minutes: the PDF the minutes text was read from (crawler/printed), each minutes
    # paragraph's page in it, and the OCR's mean word confidence (0 when it had a text layer).
    minutes_pdf: str = field(default="", metadata=OMIT_DEFAULT)
    minutes_pages: tuple[int, ...] = field(default=(), metadata=OMIT_DEFAULT)
    ocr_confidence: float = field(default=0.0, metadata=OMIT_DEFAULT)
    # Filled by enrichment:
    passages: tuple[Passage, ...] = ()
    topics: tuple[str, ...] = ()
    procedural: bool = False
    declarations: tuple[Declaration, ...] = ()

    @property
    def id(self) -> str:
        return record_id(self.source, "item", self.item_id)

    @property
    def meeting_record_id(self) -> str:
        return record_id(self.source, "meeting", self.meeting_id)

    @property
    def minutes_text(self) -> str:
        return "\n\n".join(self.minutes_paragraphs)

    @property
    def decision_text(self) -> str:
        return "\n\n".join(self.decision_paragraphs)


@dataclass(frozen=True)
class Meeting:
    source: str
    committee_id: str
    committee_name: str
    meeting_id: str  # ModernGov MId
    start: datetime | None = None
    venue: str = ""
    status: str = HELD
    url: str = ""
    attendance: tuple[Member, ...] = ()
    documents: tuple[Document, ...] = ()
    published: str = ""  # the page's h1: "Agenda, decisions and minutes", "Meeting", …

    @property
    def id(self) -> str:
        return record_id(self.source, "meeting", self.meeting_id)

    @property
    def committee_record_id(self) -> str:
        return record_id(self.source, "committee", self.committee_id)

    @property
    def date(self) -> date | None:
        return self.start.date() if self.start else None


# --- serialisation -----------------------------------------------------------

_ATOMIC = frozenset({str, int, float, bool, type(None)})
#: Per dataclass type: (field name, omitted when equal to its default, default). The catalog writes
#: every parsed record as JSON, and looking the fields up again for each of a meeting's hundreds
#: of values was a quarter of a re-parse's main process.
_SPECS: dict[type, tuple[tuple[str, bool, Any], ...]] = {}


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _ATOMIC:
        return value
    spec = _SPECS.get(kind)
    if spec is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        spec = _SPECS[kind] = tuple((f.name, bool(f.metadata.get("omit_default")), f.default)
                                    for f in dataclasses.fields(value))
    if spec is not None:
        out = {}
        for name, omit, default in spec:
            v = getattr(value, name)
            if not (omit and v == default):
                out[name] = v if type(v) in _ATOMIC else _plain(v)
        return out
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _ATOMIC else _plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (dates as ISO 8601 strings)."""
    return _plain(record)


def to_json(record: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, so equal records give equal text."""
    return json.dumps(to_dict(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(record: Any) -> str:
    """sha256 of the canonical JSON: what the catalog compares to detect a change."""
    return hash_of_json(to_json(record))


def hash_of_json(text: str) -> str:
    """:func:`content_hash` of the record whose :func:`to_json` is ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_TYPES: dict[type, dict[str, Any]] = {}


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output."""
    hints = _field_types(cls)
    kwargs = {}
    for name, value in data.items():
        if name not in hints:
            continue
        kwargs[name] = _revive(hints[name], value)
    return cls(**kwargs)


def _field_types(cls: type) -> dict[str, Any]:
    if cls not in _TYPES:
        _TYPES[cls] = typing.get_type_hints(cls)
    return _TYPES[cls]


def _revive(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        inner = args[0]
        return tuple(_revive(inner, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                return _revive(arg, value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value)
    return value
