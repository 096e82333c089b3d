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
    "rev": "Reverend", "revd": "Reverend", "reverend": "Reverend", "canon": "Canon",
    "inspector": "Inspector", "chief inspector": "Chief Inspector",
    "superintendent": "Superintendent", "chief superintendent": "Chief Superintendent",
    "sergeant": "Sergeant", "sgt": "Sergeant", "pc": "PC", "pcso": "PCSO",
    "detective inspector": "Detective Inspector",
}
COUNCILLOR_TITLES = frozenset({"Councillor", "Alderman", "Alderwoman"})
# Letters after a name that are not part of it ("Councillor Jan Reed MBE").
_POSTNOMINALS = frozenset(
    "mbe obe cbe kbe dbe jp dl mp mep qc kc frs phd msc bsc ma ba fca bem".split()
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
INITIALS = rf"(?:[{UPPER}]\.{_SP}*|[{UPPER}]{_SP}+(?=[{UPPER}]))"
NAME = (rf"(?:{INITIALS}){{0,3}}(?!{STOP}\b)(?:{PARTICLE}{_SP}+){{0,2}}{WORD}"
        rf"(?:{_SP}+(?:{PARTICLE}{_SP}+){{0,2}}(?!{STOP}\b){WORD}){{0,3}}")
TITLE = (r"(?:Councillor|Cllr\.?|Councilor|Alderman|Alderwoman|Mrs\.?|Mr\.?|Ms\.?|Miss|Mx\.?|"
         r"Dr\.?|Doctor|Professor|Prof\.?|Sir|Dame|Lord|Lady|Baroness|Reverend|Revd\.?|Rev\.?|Bailie|"
         r"Canon|Chief\s+Inspector|Detective\s+Inspector|Inspector|Chief\s+Superintendent|"
         r"Superintendent|Sergeant|Sgt\.?|PCSO|PC)")
TITLES_PLURAL = r"(?:Councillors|Cllrs\.?)"
CAPWORD = rf"(?!(?:Councillors?|Cllrs?|Mrs?|Ms|Dr|The|He|She|And)\b)[{UPPER}0-9][\w'’&/-]*"
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
_ROLE_SMALL = frozenset("of and for the in on to with at by a an & or".split())
_CHAIR_WORDS = re.compile(r"\bchair(?:man|woman|person)?\b")
_VICE = re.compile(r"\b(?:vice|deputy|depute)[\s-]+chair(?:man|woman|person)?\b")
# Scottish presiding posts are posts (Member.posts), named "The Convener" when unheld.
_CONVENER = re.compile(r"(?:(?P<vice>vice|deputy|depute)[\s-]+)?conven[eo]r")
_CHAIR_OF_THIS = re.compile(
    r"chair(?:man|woman|person)? of the (?:committee|sub-committee|meeting|panel|board)")
_THE = re.compile(r"^the\s+", re.IGNORECASE)


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
    titles: list[str] = []
    i = 0
    while i < len(tokens):
        two = f"{tokens[i]} {tokens[i + 1]}".lower() if i + 1 < len(tokens) else ""
        if two in _TITLE_MAP and i + 2 < len(tokens):
            titles.append(_TITLE_MAP[two])
            i += 2
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


_SAME_TITLE = {"Prof": "Professor", "Doctor": "Dr"}


def _compatible(written: PersonName, known: PersonName) -> bool:
    """Could ``written`` be a shorter (or equal) way of writing ``known``? (Same surname key.)"""
    if not written.surname:
        return False
    if written.titles and known.titles and not {_SAME_TITLE.get(t, t) for t in written.titles} \
            & {_SAME_TITLE.get(t, t) for t in known.titles}:
        return False
    if written.forenames and known.forenames:
        w, k = written.forenames[0].lower(), known.forenames[0].lower()
        if len(w) == 1 or len(k) == 1:
            return w[0] == k[0]
        return w == k
    return True


@functools.lru_cache(maxsize=4096)
def role_key(role: str) -> str:
    """A role as a comparison key: 'the Chairman' -> 'chair', 'Vice Chairman' -> 'vice-chair'."""
    key = " ".join(_THE.sub("", role.strip()).lower().split())
    key = key.replace("\u2019", "'")
    key = re.sub(r"\s+of\s+(?:the\s+)?council$", "", key)
    if _VICE.fullmatch(key):
        return "vice-chair"
    if _CHAIR_WORDS.fullmatch(key) or _CHAIR_OF_THIS.fullmatch(key):
        return "chair"
    convener = _CONVENER.fullmatch(key)
    if convener:
        return "vice-convener" if convener.group("vice") else "convener"
    key = re.sub(r"^(?:town|city|civic|borough)\s+mayor$", "mayor", key)
    # "The Finance Portfolio Holder" is "the Portfolio Holder for Finance".
    front = re.fullmatch(r"(.+?)\s+(portfolio holder|cabinet member|lead member|executive member)", key)
    if front and not front.group(1).startswith(("deputy", "the")):
        key = f"{front.group(2)} for {front.group(1)}"
    return key


_SMALL_WORDS = frozenset("of the for and & to in on".split())


@functools.lru_cache(maxsize=4096)
def _content(key: str) -> tuple[str, ...]:
    """A role key's content words: "chief executive, office of the pcc" == "… of the office …"."""
    return tuple(w for w in re.findall(r"[\w'&-]+", key) if w not in _SMALL_WORDS)


@functools.lru_cache(maxsize=4096)
def _heads(key: str) -> frozenset[str]:
    """The head noun of a role: "director" in "director of public health", "commissioner" in
    "police, fire and crime commissioner", "executive" in "chief executive, office of …"
    (a comma may join a list of services or start a qualifier: both readings are kept)."""
    out = set()
    for part in (re.split(r"\s(?:of|for|to)\s", key)[0], key.split(",")[0]):
        words = re.findall(r"[\w'&-]+", part)
        if words:
            out.add(words[-1])
    return frozenset(out)


@functools.lru_cache(maxsize=4096)
def normalise_role(role: str) -> str:
    """Role text as a facet value: article dropped, lower-case words capitalised.

    "the head of planning" -> "Head of Planning"; capitals and acronyms as written are
    kept ("Head of Early Help, Assessment and Safeguarding").
    """
    words = _THE.sub("", " ".join(role.split())).split(" ")
    out = []
    for n, word in enumerate(words):
        if word.islower() and (n == 0 or word not in _ROLE_SMALL):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out).strip(" ,")


# Roles many people share: never resolved to one person's name.
_GENERIC_ROLES = frozenset({
    "committee member", "member", "officer", "officers", "substitute", "co-opted member",
    "in attendance", "present", "apologies", "absent", "expected", "guest", "observer",
    "reserve", "ex-officio", "ex officio member", "independent member", "non-voting member",
})

# An attendee listed by post rather than by name (the web service does this for officers).
_ROLE_NAME = re.compile(rf"(?!{TITLE}\s)(?:[\w'’&,-]+\s+){{0,5}}?{OFFICER_HEAD}\b")

# The canonical names of single-holder offices when nobody is known to hold them.
OFFICES = {
    "chair": "The Chair",
    "vice-chair": "The Vice-Chair",
    "mayor": "The Mayor",
    "deputy mayor": "The Deputy Mayor",
    "lord mayor": "The Lord Mayor",
    "leader": "The Leader",
    "deputy leader": "The Deputy Leader",
    "convener": "The Convener",
    "vice-convener": "The Vice-Convener",
    "provost": "The Provost",
    "lord provost": "The Lord Provost",
    "depute provost": "The Depute Provost",
}


_PRESIDING_POSTS = {"convener": "chair", "vice-convener": "vice-chair"}


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
        if member.role and role_key(member.role) not in _GENERIC_ROLES:
            roles.setdefault(role_key(member.role), set()).add(name)
        for post in member.posts:
            for part in split_posts(post):
                roles.setdefault(role_key(part), set()).add(name)
    return members, roles


# Where one keypost string joins several offices ("Deputy Leader of the Council and Cabinet
# Member for Resources"): split before an office head only, so "Cabinet Member for Housing
# and Planning" stays one post.
_POST_JOIN = re.compile(r"\s*(?:,|\band\b|&|;)\s*(?=(?:the\s+)?(?:Deputy\s+|Vice[\s-]|Lord\s+)?"
                        r"(?:Leader|Cabinet\s+Member|Portfolio\s+Holder|Lead\s+Member|"
                        r"Executive\s+Member|Chair|Mayor|Convener|Provost)\b)")


def split_posts(post: str) -> list[str]:
    """One keypost string as the offices it names, the whole string first."""
    post = " ".join(post.split())
    parts = [p for p in _POST_JOIN.split(post) if p]
    return [post, *parts] if len(parts) > 1 else [post]


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
        for name in extra:
            parsed = parse_name(name)
            if parsed.surname and parsed.full:
                self._extra.setdefault(_key(parsed.surname), []).append((parsed, parsed.format()))
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
        for pool in (self._members, self._extra):
            found = {canon for known, canon in pool.get(surname, ()) if _compatible(parsed, known)}
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
        if key in _PRESIDING_POSTS and not self._roles.get(key):
            # a Convener nobody is recorded as holding is the one who chairs, if known
            held = self.role(_PRESIDING_POSTS[key])
            return held if held != OFFICES[_PRESIDING_POSTS[key]] else OFFICES[key]
        holders = self._roles.get(key, set())
        if len(holders) == 1:
            return next(iter(holders))
        if not holders and key not in OFFICES:
            written = _fuller(key, self._extra_roles)
            if written:
                return self.role(written)
            known = _fuller(key, {k: k for k in self._roles})
            if known and len(self._roles[known]) == 1:
                return next(iter(self._roles[known]))
            holder = self._by_content(key)
            if holder:
                return holder
        if key in OFFICES:
            return OFFICES[key]
        return normalise_role(role)


    def _by_content(self, key: str) -> str | None:
        """The one holder of a post written another way ("Chief Executive of the Office of the
        PCC" for "Chief Executive, Office of the PCC") or by its head alone ("the
        Commissioner" when one commissioner is present)."""
        words, heads = _content(key), _heads(key)
        if not words or not heads:
            return None
        same = {h for k, hs in self._roles.items() if _content(k) == words for h in hs}
        if len(same) == 1:
            return next(iter(same))
        if same:
            return None
        fits = {h for k, hs in self._roles.items()
                if heads & _heads(k) and set(words) <= set(_content(k)) for h in hs}
        return next(iter(fits)) if len(fits) == 1 else None


def _fuller(key: str, posts: dict[str, str]) -> str | None:
    """The one post whose key extends ``key`` ("director" -> "director of place"), if unique."""
    found = {post for known, post in posts.items() if known.startswith((key + " ", key + ","))}
    return found.pop() if len(found) == 1 else None


def resolve(mention: Mention, directory: Directory) -> str:
    """The canonical name of a mention: a known member's name, a role, or the name as written."""
    if mention.name:
        default = "Councillor" if mention.kind == COUNCILLOR else ""
        written = f"{mention.title} {mention.name}".strip()
        return directory.person_or_written(written, default)
    return directory.role(mention.role)
