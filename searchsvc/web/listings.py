"""The "places to start" read from the catalog: councillors, committees, topics, upcoming meetings.

Why from the catalog and not from index facets: facets stop at the top 50
values and count only indexed items, while these pages list *everyone* and
*every* committee, with meetings not yet held (the crawler stores future
meetings and their agendas; nothing has been said at them yet, so the index
has nothing to count). Read-only queries; each returns plain dataclasses that a
page's view renders as HTML and JSON alike. The SQL is the catalog's
(:mod:`searchsvc.catalog_queries`); this module turns its answers into what the pages list.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from searchsvc.catalog import Catalog
from searchsvc.facets import name_words, selects
from searchsvc.records import Item, Meeting

COUNCILLOR_PREFIXES = ("councillor ", "cllr ", "cllr. ")
HOME_UPCOMING = 4  # upcoming meetings on the home page and in its JSON twin
RESOLVED_PER_VERSION = 4096  # short speaker names remembered per index version


@dataclass
class Councillor:
    name: str
    party: str = ""
    ward: str = ""
    posts: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "Chair, Planning Committee"
    committees: list[tuple[str, str]] = field(default_factory=list)  # (committee record id, name)
    items_spoken: int = 0  # agenda items with at least one passage they spoke
    passages: int = 0
    newest_item: str = ""  # id of the newest item they spoke in
    newest_title: str = ""
    newest_date: str = ""  # ISO date


@dataclass(frozen=True)
class CommitteeSummary:
    id: str
    name: str
    source: str
    category: str
    meetings_held: int
    last_meeting: tuple[str, str] | None  # (meeting record id, ISO start)
    next_meeting: tuple[str, str] | None


@dataclass(frozen=True)
class TopicSummary:
    name: str
    items: int
    newest: str  # ISO date of the newest meeting with an item on it


@dataclass(frozen=True)
class Upcoming:
    meeting: Meeting
    agenda: tuple[Item, ...]


def now_iso(now: datetime | None = None) -> str:
    """The instant the catalog's ISO ``start`` strings are compared with (local, naive, like theirs)."""
    return (now or datetime.now()).replace(microsecond=0).isoformat()


def is_councillor(name: str) -> bool:
    return name.casefold().startswith(COUNCILLOR_PREFIXES)


def councillors(catalog: Catalog) -> list[Councillor]:
    """Everyone on a committee, and every councillor who spoke, with what they hold and how often they speak."""
    people: dict[tuple[str, ...], Councillor] = {}

    def person(name: str) -> Councillor:
        key = name_words(name)
        if key not in people:
            people[key] = Councillor(name=name)
        return people[key]

    for committee in catalog.committees():
        for member in committee.members:
            c = person(member.name)
            c.party = c.party or member.party
            c.ward = c.ward or member.ward
            c.posts += [p for p in member.posts if p not in c.posts]
            if (committee.id, committee.name) not in c.committees:
                c.committees.append((committee.id, committee.name))
            if member.role and member.role not in ("Committee Member", "Member"):
                c.roles.append(f"{member.role}, {committee.name}")
    for row in catalog.speaker_activity():
        if name_words(row.name) not in people and not is_councillor(row.name):
            continue  # officers are known by their role; they are not councillors
        c = person(row.name)
        c.items_spoken += row.items
        c.passages += row.passages
        if (row.newest or "") > c.newest_date:
            c.newest_item, c.newest_title, c.newest_date = row.item_id, row.title, (row.newest or "")[:10]
    return sorted(people.values(), key=lambda c: _surname_key(c.name))


def _surname_key(name: str) -> tuple[str, str]:
    words = name_words(name)
    return (words[-1] if words else "", name.casefold())


def speaker_names(catalog: Catalog) -> list[str]:
    """Every name a passage is attributed to, and every committee member (for resolving short names)."""
    names = catalog.speaker_names()
    for committee in catalog.committees():
        names.update(m.name for m in committee.members)
    return sorted(names)


class KnownNames:
    """The speaker names of one index version, and the short names already resolved against them."""

    def __init__(self, names: Iterable[str]):
        self.names = frozenset(names)
        self._resolved: dict[str, str | None] = {}

    def canonical(self, name: str) -> str | None:
        """The one full name ``name`` stands for ("Reed" → "Councillor Jan Reed"), or None if it is a
        full name itself, or stands for none or several (then it stays the filter it is)."""
        if name in self._resolved:
            return self._resolved[name]
        if name in self.names:
            full = None
        else:
            matches = {n for n in self.names if selects("speaker", name, n)}
            full = matches.pop() if len(matches) == 1 else None
        if len(self._resolved) < RESOLVED_PER_VERSION:  # bounded: names come from URLs anyone can type
            self._resolved[name] = full
        return full


class SpeakerNames:
    """:func:`speaker_names` once per index version, not once per speaker page.

    Why per index version: reading every passage's speakers scans the whole catalog, and a new name
    matters to a speaker page only once the index holds their passages — a new version of it. The
    version is the one the asking thread searches (``IndexReader.version()``), so a page and its
    search agree; the newest ``KEEP`` versions are kept, for threads still on the one before.
    ``load`` is injectable so a test can count the scans.
    """

    KEEP = 2

    def __init__(self, load: Callable[[Catalog], list[str]] = speaker_names):
        self.load = load
        self._by_version: dict[str, KnownNames] = {}
        self._lock = threading.Lock()

    def get(self, version: str, catalog: Catalog) -> KnownNames:
        with self._lock:
            known = self._by_version.get(version)
        if known is None:  # two threads may both load a new version once; neither waits for the other
            known = KnownNames(self.load(catalog))
            with self._lock:
                self._by_version[version] = known
                while len(self._by_version) > self.KEEP:
                    del self._by_version[next(iter(self._by_version))]
        return known


def committee_summaries(catalog: Catalog, now: str) -> list[CommitteeSummary]:
    """Every committee with how many meetings it has held, its last meeting and its next one."""
    stats: dict[str, dict[str, Any]] = {}
    for row in catalog.meeting_dates():
        s = stats.setdefault(row.committee_id, {"held": 0, "last": None, "next": None})
        if row.start <= now and row.status != "cancelled":
            s["held"] += 1
            s["last"] = (row.id, row.start)
        elif row.start > now and row.status != "cancelled" and s["next"] is None:
            s["next"] = (row.id, row.start)
    out = []
    for committee in catalog.committees():
        s = stats.get(committee.id, {"held": 0, "last": None, "next": None})
        out.append(CommitteeSummary(committee.id, committee.name, committee.source, committee.category,
                                    s["held"], s["last"], s["next"]))
    return out


def topic_summaries(catalog: Catalog) -> list[TopicSummary]:
    """Every topic items are tagged with, most used first."""
    return [TopicSummary(t.name, t.items, (t.newest or "")[:10]) for t in catalog.topic_counts()]


def upcoming_meetings(catalog: Catalog, now: str, *, limit: int = 5, committee_id: str | None = None,
                      agenda_items: int = 6) -> list[Upcoming]:
    """Meetings not yet held, soonest first, each with the first ``agenda_items`` items of its agenda."""
    out = []
    for meeting in catalog.upcoming_meetings(now, limit, committee_id):
        items = [i for i, _batch in catalog.items(meeting_id=meeting.id)]
        out.append(Upcoming(meeting, tuple(i for i in items if not i.procedural)[:agenda_items]))
    return out
