"""Person names and roles as minutes write them, and their canonical forms.

Minutes call one councillor "Councillor Jan Reed", "Cllr J. Reed", "Councillor
Reed" and "the Chair" within a page. The speaker facet must count her once, so
every phrase is resolved against a :class:`Directory` built from the meeting's
attendance and the committee's membership (plus fuller forms written elsewhere
in the same item). Only an unambiguous match is used: two Reeds on a committee
leave "Councillor Reed" as written rather than guessing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from searchsvc.enrich.roles import (
    GENERIC_ROLES,
    OFFICES,
    PRESIDING_POSTS,
    content_words,
    fuller,
    head_nouns,
    normalise_role,
    role_key,
    split_posts,
)
from searchsvc.records import Member

__all__ = [
    "ANONYMOUS",
    "CAPSEQ",
    "CAPWORD",
    "CHAIR",
    "COUNCILLOR",
    "COUNCILLOR_TITLES",
    "LOW_OFFICER_HEAD",
    "NAME",
    "OFFICER",
    "OFFICER_HEAD",
    "PERSON",
    "STOP",
    "TITLE",
    "TITLES_PLURAL",
    "UPPER",
    "WORD",
    "Directory",
    "Mention",
    "PersonName",
    "normalise_role",
    "normalise_title",
    "parse_name",
    "resolve",
    "role_key",
    "split_posts",
]

COUNCILLOR, OFFICER, CHAIR, PERSON = "councillor", "officer", "chair", "person"
# Unnamed speakers ("a Member", "Officers"): never reported, but a pronoun after
# one of them must not be pinned on the last *named* speaker.
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Mention:
    """A speaking person phrase found in a passage, before name resolution.

    ``raw`` is the phrase as written ("Cllr J. Reed", "The Chair (Councillor
    Smith)", "She"); ``title``/``name`` the person's name parts when named;
    ``role`` the office or job ("Chair", "Director of Public Health"); ``how``
    says why it counts: "subject" of a speech verb, "agent" of a passive or
    "question from" phrase, or "pronoun" continuing an earlier speaker.
    """

    raw: str
    kind: str  # councillor | officer | chair | person
    title: str = ""
    name: str = ""
    role: str = ""
    how: str = "subject"
    start: int = 0
    verb: str = ""  # the speech verb for subjects ("asked", "declared"), lower case


# Written title (lower case, no dot) -> the canonical title.
_TITLE_MAP = {
    "councillor": "Councillor", "councillors": "Councillor", "cllr": "Councillor",
    "cllrs": "Councillor", "councilor": "Councillor", "alderman": "Alderman",
    "alderwoman": "Alderwoman", "mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss",
    "mx": "Mx", "dr": "Dr", "doctor": "Dr", "professor": "Professor", "prof": "Prof",
    "sir": "Sir", "bailie": "Bailie", "dame": "Dame", "lord": "Lord", "lady": "Lady", "baroness": "Baroness",
    "rev": "Reverend", "revd": "Reverend", "reverend": "Reverend", "canon": "Canon", "father": "Father",
    # Scottish civic heads are written as titles in sederunts and tables: "Provost A Gow"
    "provost": "Provost", "lord provost": "Lord Provost", "depute provost": "Depute Provost",
    "venerable": "Venerable", "ven": "Venerable", "pastor": "Pastor", "rabbi": "Rabbi",
    "imam": "Imam",
    "inspector": "Inspector", "chief inspector": "Chief Inspector",
    "superintendent": "Superintendent", "chief superintendent": "Chief Superintendent",
    "sergeant": "Sergeant", "sgt": "Sergeant", "pc": "PC", "pcso": "PCSO",
    "detective inspector": "Detective Inspector",
}
COUNCILLOR_TITLES = frozenset({"Councillor", "Alderman", "Alderwoman"})
_TIERS = frozenset("County Borough District City Town Parish Community".split())
# Letters after a name that are not part of it ("Councillor Jan Reed MBE").
_POSTNOMINALS = frozenset(
    "mbe obe cbe kbe dbe jp dl mp mep msp ms am mla qc kc frs phd msc bsc ma ba fca bem".split()
)

# --- how names and roles are written: regex fragments for speakers.find_speakers ----

UPPER, LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
WORD = rf"(?:Mc|Mac|O['’]|D['’])?[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)*"
# Name particles, Irish Ó/Ní/Mac/Nic included ("Councillor Niamh Ó Ceallaigh").
PARTICLE = r"(?:de|De|van|von|der|den|da|di|du|le|la|bin|al|el|Ó|Ní|Nic|Mac|Mhic|Uí|Ua)"
STOP = (r"(?:The|He|She|It|They|In|On|At|This|That|And|But|Chair|Chairman|Vice|Mayor|Leader|"
        r"Head|Director|Officer|Committee|Council|Members?|Cabinet|Portfolio|Resolved|RESOLVED|"
        # interest levels run into names in flattened declaration tables
        r"Personal|Private|Prejudicial|Pecuniary|Disclosable|Significant|Registrable)")
# Inside a name, a line break is a hard wrap ("Councillor Jane\nSmith") unless the next
# line opens with a title or a label minutes start lines with: "Proposed by Alderman
# Irvine\nSeconded by …" must not read "Irvine Seconded" as one name.
_LINE_LABEL = (r"(?:Seconded|Proposed|Moved|Resolved|RESOLVED|Agreed|AGREED|Carried|CARRIED|"
               r"Decision|DECISION|Councillors?|Cllrs?|Mrs?|Ms|Dr|Alderman|For|Against|Abstain)")
_SP = rf"(?:[^\S\n]|\n(?!{_LINE_LABEL}\b))"
# Initials: "J. Reed", "J Reed", and run together as many councils print them ("DB Wilcox",
# "MD Lloyd-Hayes"): two or three capitals count only right before a spelt-out word.
INITIALS = (rf"(?:[{UPPER}]\.{_SP}*|[{UPPER}]{_SP}+(?=[{UPPER}])"
            rf"|[{UPPER}]{{2,3}}[^\S\n]+(?=[{UPPER}][{LOWER}]))")
NAME = (rf"(?:{INITIALS}){{0,3}}(?!{STOP}\b)(?:{PARTICLE}{_SP}+){{0,2}}{WORD}"
        rf"(?:{_SP}+(?:{PARTICLE}{_SP}+){{0,2}}(?!{STOP}\b){WORD}){{0,3}}")
# Welsh and English councils print the tier before the title: "County Borough Councillor M Pryce".
_TIER = r"(?:(?:County\s+Borough|County|Borough|District|City|Town|Parish|Community)\s+)"
TITLE = (rf"(?:{_TIER}Councillor|" r"Councillor|Cllr\.?|Councilor|Alderman|Alderwoman|Mrs\.?|Mr\.?|Ms\.?|Miss|Mx\.?|"
         r"Dr\.?|Doctor|Professor|Prof\.?|Provost|Sir|Dame|Lord|Lady|Baroness|Reverend|Revd\.?|Rev\.?|Bailie|"
         r"Venerable|Ven\.|Pastor|Rabbi|Imam|"
         r"Canon|Father|Chief\s+Inspector|Detective\s+Inspector|Inspector|Chief\s+Superintendent|"
         r"Superintendent|Sergeant|Sgt\.?|PCSO|PC)")
TITLES_PLURAL = r"(?:Councillors|Cllrs\.?)"
CAPWORD = rf"(?!(?:Councillors?|Cllrs?|Mrs?|Ms|Dr|The|He|She|And|Members|Officers)\b)[{UPPER}0-9][\w'’&/-]*"
CAPSEQ = (rf"{CAPWORD}(?:(?:\s*,\s*|\s+(?:(?:and|&|of|for|in|with|to|on)\s+(?:the\s+)?|the\s+)|\s+)"
          rf"{CAPWORD})*")
OFFICER_HEAD = (r"(?:Chief\s+Executive|Head|Director|Manager|Officer|Clerk|Solicitor|Lawyer|"
                r"Engineer|Adviser|Advisor|Consultant|Commissioner|Commander|Co-?ordinator|"
                r"Auditor|Treasurer|Controller|Planner|Surveyor|Specialist|Analyst|"
                r"Headteacher|Principal|Lead)")
LOW_OFFICER_HEAD = (r"(?:chief\s+executive|head|director|manager|officer|clerk|solicitor|"
                    r"lawyer|engineer|adviser|advisor|consultant|auditor|treasurer|planner)")

_TOKEN = re.compile(r"[^\s,()]+")
_PARTICLES = frozenset("de van von der den da di du le la bin al el ó ní nic mac mhic uí ua".split())
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")


def normalise_title(word: str) -> str:
    """'Cllr.' -> 'Councillor', 'Councillors' -> 'Councillor', 'Prof' -> 'Professor'."""
    key = word.lower().rstrip(".").strip()
    return _TITLE_MAP.get(key, word.rstrip("."))


@dataclass(frozen=True)
class PersonName:
    """A name split into titles, forenames (initials without dots) and surname."""

    titles: tuple[str, ...]
    forenames: tuple[str, ...]
    surname: str

    @property
    def full(self) -> bool:
        """True when at least one forename is spelt out (not just initials)."""
        return any(len(f) > 1 for f in self.forenames)

    def format(self, default_title: str = "") -> str:
        titles = self.titles or ((default_title,) if default_title else ())
        return " ".join((*titles, *self.forenames, self.surname)).strip()


@functools.lru_cache(maxsize=8192)
def parse_name(text: str) -> PersonName:
    """Split "Cllr J. Reed", "Councillor Dr Jane Smith MBE" or "Reed" into its parts."""
    tokens = _TOKEN.findall(text.replace("\u2019", "'"))
    if len(tokens) > 2 and tokens[0] in _TIERS:  # "County Borough Councillor Rhodri Tanner"
        k = 2 if tokens[1] in _TIERS else 1
        if tokens[k] == "Councillor":  # the tier stays part of the title, as the council prints it
            tokens = [" ".join(tokens[:k + 1]), *tokens[k + 1:]]
    titles: list[str] = []
    i = 0
    while i < len(tokens):
        two = f"{tokens[i]} {tokens[i + 1]}".lower() if i + 1 < len(tokens) else ""
        if two in _TITLE_MAP and i + 2 < len(tokens):
            titles.append(_TITLE_MAP[two])
            i += 2
        elif tokens[i].endswith(" Councillor") and i + 1 < len(tokens):
            titles.append(tokens[i])
            i += 1
        elif tokens[i].lower().rstrip(".") in _TITLE_MAP and i + 1 < len(tokens):
            titles.append(normalise_title(tokens[i]))
            i += 1
        else:
            break
    rest = [t for t in tokens[i:] if t.lower().rstrip(".") not in _POSTNOMINALS]
    if not rest:
        return PersonName(tuple(titles), (), "")
    surname = rest.pop()
    while rest and rest[-1].lower() in _PARTICLES:  # "de Winton", "Ó Ceallaigh"
        surname = f"{rest.pop()} {surname}"
    forenames: list[str] = []
    for tok in rest:
        if _INITIALS.match(tok):
            forenames.extend(ch for ch in tok if ch.isalpha())
        else:
            forenames.append(tok)
    return PersonName(tuple(dict.fromkeys(titles)), tuple(forenames), surname)


def _key(word: str) -> str:
    return word.lower().replace("'", "").replace("-", "").replace(".", "")


# a Provost is a councillor: "Provost Ian Dow" in the sederunt is "Councillor Dow" in the text
_SAME_TITLE = {"Prof": "Professor", "Doctor": "Dr", "Provost": "Councillor", "Lord Provost": "Councillor",
               "Depute Provost": "Councillor"}


def _same_title(title: str) -> str:
    """"County Borough Councillor" is a Councillor; "Prof" is "Professor"."""
    return "Councillor" if title.endswith(" Councillor") else _SAME_TITLE.get(title, title)


def _compatible(written: PersonName, known: PersonName) -> bool:
    """Could ``written`` be a shorter (or equal) way of writing ``known``? (Same surname key.)"""
    if not written.surname:
        return False
    if written.titles and known.titles and not {_same_title(t) for t in written.titles} \
            & {_same_title(t) for t in known.titles}:
        return False
    if written.forenames and known.forenames:
        w, k = written.forenames[0].lower(), known.forenames[0].lower()
        if len(w) == 1 or len(k) == 1:
            return w[0] == k[0]
        return w == k
    return True


# An attendee listed by post rather than by name (the web service does this for officers).
_ROLE_NAME = re.compile(rf"(?!{TITLE}\s)(?:[\w'’&,-]+\s+){{0,5}}?{OFFICER_HEAD}\b")



@functools.lru_cache(maxsize=256)
def _index_people(people: tuple[Member, ...]):
    """Members by surname key, and role key -> holders, for :class:`Directory`."""
    members: dict[str, list[tuple[PersonName, str]]] = {}
    roles: dict[str, set[str]] = {}
    seen: set[str] = set()
    for member in people:
        name = " ".join(member.name.split())
        if not name:
            continue
        if _ROLE_NAME.match(name):  # an officer listed by post: "Director of Place"
            roles.setdefault(role_key(name), set()).add(name)
        elif name not in seen:
            seen.add(name)
            parsed = parse_name(name)
            members.setdefault(_key(parsed.surname), []).append((parsed, name))
        if member.role and role_key(member.role) not in GENERIC_ROLES:
            roles.setdefault(role_key(member.role), set()).add(name)
        for post in member.posts:
            for part in split_posts(post):
                roles.setdefault(role_key(part), set()).add(name)
    return members, roles


class Directory:
    """The people a meeting's minutes can name, for resolving phrases to canonical names.

    Built once per item from ``people`` (attendance + membership); ``extra`` adds the
    fuller forms written in the item itself so "Cllr Reed" can borrow "Councillor Jan
    Reed" from an earlier passage even when attendance is unknown.
    """

    def __init__(self, people: Sequence[Member] = (), chair: str | None = None,
                 extra: Iterable[str] = (), extra_roles: Iterable[str] = ()):
        # The people part is the same for every item of a meeting: built once, cached.
        self._members, self._roles = _index_people(tuple(people))
        self._extra: dict[str, list[tuple[PersonName, str]]] = {}
        # initials-only forms ("County Councillor R Pendleton") are the fullest form an item
        # may write: used only when no spelt-out form fits
        self._initials: dict[str, list[tuple[PersonName, str]]] = {}
        for name in extra:
            parsed = parse_name(name)
            if parsed.surname and parsed.full:
                self._extra.setdefault(_key(parsed.surname), []).append((parsed, parsed.format()))
            elif parsed.surname and parsed.forenames:
                self._initials.setdefault(_key(parsed.surname), []).append((parsed, parsed.format()))
        self._extra_roles = {role_key(r): normalise_role(r) for r in extra_roles}
        self.chair = self._resolve_chair(chair)

    def _resolve_chair(self, chair: str | None) -> str | None:
        if chair:
            return self.person(chair) or " ".join(chair.split())
        holders = self._roles.get("chair", set())
        return next(iter(holders)) if len(holders) == 1 else None

    def person(self, written: str | PersonName, default_title: str = "") -> str | None:
        """The canonical name for a written name, or None when unknown or ambiguous."""
        parsed = parse_name(written) if isinstance(written, str) else written
        if default_title and not parsed.titles:
            parsed = PersonName((default_title,), parsed.forenames, parsed.surname)
        surname = _key(parsed.surname)
        for pool in (self._members, self._extra, self._initials):
            found = {canon for known, canon in pool.get(surname, ()) if _compatible(parsed, known)}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None
        if parsed.forenames or not {"Sir", "Dame"} & set(parsed.titles):
            return None
        # A knight or dame is named by title and forename: "Sir Anthony" is "Professor Sir
        # Anthony Reddaway" when one such person is known.
        for pool in (self._members, self._extra):
            found = {canon for entries in pool.values() for known, canon in entries
                     if known.forenames[:1] == (parsed.surname,) and set(parsed.titles) & set(known.titles)}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None
        return None

    def person_or_written(self, written: str, default_title: str = "") -> str:
        """:meth:`person`, or the written name tidied ("Cllr J. Reed" -> "Councillor J Reed")."""
        parsed = parse_name(written)
        found = self.person(parsed, default_title)
        if found:
            return found
        return parsed.format(default_title)

    def role(self, role: str) -> str:
        """The holder of ``role`` when exactly one known person has it, else the role's name.

        A short form takes the one fuller post that fits, looking first at posts
        written in the same item, then at the people present: at a meeting attended
        by the Director of Place and no other director, "the Director" is the
        Director of Place. Single-holder offices (Chair, Mayor, Leader) never match
        by prefix: "the Leader" is not the Leader of the Opposition. "The Mayor" is
        not assumed to be the chair (true at Full Council, false when the Mayor
        visits a committee): pass a Member with role "Mayor" to resolve it.
        """
        key = role_key(role)
        if key == "chair" and self.chair:
            return self.chair
        if key in PRESIDING_POSTS and not self._roles.get(key):
            # a Convener nobody is recorded as holding is the one who chairs, if known
            held = self.role(PRESIDING_POSTS[key])
            return held if held != OFFICES[PRESIDING_POSTS[key]] else OFFICES[key]
        holders = self._roles.get(key, set())
        if len(holders) == 1:
            return next(iter(holders))
        if not holders and key not in OFFICES:
            written = fuller(key, self._extra_roles)
            if written:
                return self.role(written)
            known = fuller(key, {k: k for k in self._roles})
            if known and len(self._roles[known]) == 1:
                return next(iter(self._roles[known]))
            holder = self._bycontent_words(key)
            if holder:
                return holder
        if key in OFFICES:
            return OFFICES[key]
        return normalise_role(role)


    def _bycontent_words(self, key: str) -> str | None:
        """The one holder of a post written another way ("Chief Executive of the Office of the
        PCC" for "Chief Executive, Office of the PCC") or by its head alone ("the
        Commissioner" when one commissioner is present)."""
        words, heads = content_words(key), head_nouns(key)
        if not words or not heads:
            return None
        same = {h for k, hs in self._roles.items() if content_words(k) == words for h in hs}
        if len(same) == 1:
            return next(iter(same))
        if same:
            return None
        fits = {h for k, hs in self._roles.items()
                if heads & head_nouns(k) and set(words) <= set(content_words(k)) for h in hs}
        return next(iter(fits)) if len(fits) == 1 else None


def resolve(mention: Mention, directory: Directory) -> str:
    """The canonical name of a mention: a known member's name, a role, or the name as written."""
    if mention.name:
        default = "Councillor" if mention.kind == COUNCILLOR else ""
        written = f"{mention.title} {mention.name}".strip()
        return directory.person_or_written(written, default)
    return directory.role(mention.role)
