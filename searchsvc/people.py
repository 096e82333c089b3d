"""Who a speaker is: party, ward and key posts, from the attendance and membership the catalog holds.

The index knows speakers only by name. What councils publish about the person —
party, ward or division, the offices they hold ("Cabinet Member for Housing") —
arrives with meeting attendance (web-service ``attendee`` elements, attendance
tables) and committee membership, and is stored in the catalog with those records.
A speaker page asks here. The newest meeting that names the person wins, since
parties, wards and posts change; membership lists fill in what attendance lacks.
A name matching two different people gives nothing rather than the wrong person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from searchsvc.catalog import Catalog
from searchsvc.facets import name_words, selects
from searchsvc.records import Member

log = logging.getLogger(__name__)

__all__ = ["Profile", "profile"]

# Words that name no one: a probe on "councillor" would match every meeting.
_TITLES = frozenset("councillor cllr alderman mr mrs ms miss mx dr prof professor rev revd sir dame lord lady "
                    "the mayor deputy chair vice".split())
_SCAN = 60  # newest meetings naming the person that are read: enough to find published details


@dataclass(frozen=True)
class Profile:
    """What the council published about one person, as of ``as_of`` (the meeting it comes from)."""

    name: str
    party: str = ""
    ward: str = ""
    posts: tuple[str, ...] = ()
    as_of: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.party or self.ward or self.posts)


def _matches(name: str, member: Member) -> bool:
    return selects("speaker", name, member.name)


def profile(catalog: Catalog, name: str) -> Profile | None:
    """The published details of the person called ``name`` (any run of their name's whole words,
    as the speaker filter matches), or None when nothing is published or the name is ambiguous."""
    key = name_words(name)
    if not key:
        return None
    probe = next((w for w in reversed(key) if w not in _TITLES), key[-1])  # the surname, not "councillor"
    found: dict[tuple[str, ...], Profile] = {}
    for meeting in catalog.meetings_mentioning(probe, _SCAN):
        for member in meeting.attendance:
            if _matches(name, member) and (member.party or member.ward or member.posts):
                found.setdefault(name_words(member.name), Profile(
                    member.name, member.party, member.ward, member.posts, meeting.date))
    for committee in catalog.committees_mentioning(probe):
        for member in committee.members:
            if _matches(name, member) and (member.party or member.ward):
                person = name_words(member.name)
                if person not in found:
                    found[person] = Profile(member.name, member.party, member.ward, member.posts)
    if len(found) > 1:
        exact = found.get(key)
        if exact is None:
            log.debug("speaker %r matches %d people; no profile shown", name, len(found))
        return exact
    return next(iter(found.values()), None)
