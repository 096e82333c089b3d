"""The people a meeting already names, as ways of writing them in its minutes.

Attendance and membership give names ("Greta Fenn", "County Borough Councillor Rhodri
Tanner") and officers' posts ("Executive Director Place"). Minutes often write those
people without a title, or by the post as printed, where the titled-name and post
grammar of :mod:`.phrases` would not find them; :class:`KnownNames` finds those forms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from searchsvc.enrich.names import COUNCILLOR, COUNCILLOR_TITLES, OFFICER, PERSON, Mention, parse_name
from searchsvc.enrich.roles import GENERIC_ROLES, OFFICES, role_key
from searchsvc.records import Member

__all__ = ["KnownNames", "Phrase", "known_names", "starts_word"]

Phrase = tuple[int, int, list[Mention]]


def starts_word(text: str, at: int) -> bool:
    """True when ``at`` begins a word (not inside "O'Brien" or "Smith-Jones")."""
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "'’-")


class KnownNames:
    """Untitled ways of writing the people a meeting already names ("Greta Fenn", "G Fenn").

    Built from the attendance and membership (and names an item introduces with a
    role), so co-opted members, officers, public speakers and elected mayors written
    without a title are still person phrases. Only forename-bearing forms are used:
    a bare surname is too often a place or a street.
    """

    def __init__(self, names: Iterable[str], roles: Iterable[str] = ()):
        self.kinds: dict[str, str] = {}
        # Posts the attendance gives officers ("Executive Director Place", "Town Clerk's
        # representative"): written after "the" they are person phrases as printed, even
        # where the post grammar would stop early or not start at all.
        self.roles = tuple(sorted(dict.fromkeys(roles), key=len, reverse=True))
        self._role_words = tuple({r.split()[-1] for r in self.roles})
        self.role_pattern = re.compile(
            # after "the", or after "and" ("The Chief Executive and Section 151 Officer")
            r"(?:\b[Tt]he\s+(?:(?:Council|Authority|Corporation|Board|Committee)['’]s\s+)?"
            r"|(?<=\band\s))(?P<role>"
            + "|".join(r"\s+".join(re.escape(w) for w in r.split()) for r in self.roles)
            + r")(?![\w'’-])") if self.roles else None
        for name in names:
            parsed = parse_name(name)
            if not parsed.surname or not parsed.forenames or len(parsed.surname) < 2 \
                    or any(f.islower() for f in parsed.forenames):
                continue  # no forename, or a post listed as a name ("Director of Place")
            kind = COUNCILLOR if COUNCILLOR_TITLES & {t.rsplit(" ", 1)[-1] for t in parsed.titles} \
                else PERSON
            first = parsed.forenames[0]
            forms = {" ".join((*parsed.forenames, parsed.surname)), f"{first[0]} {parsed.surname}"}
            if len(first) > 1:
                forms.add(f"{first} {parsed.surname}")
            for form in forms:
                self.kinds.setdefault(form, kind)
        self.surnames = tuple({form.rsplit(" ", 1)[-1] for form in self.kinds})
        alternatives = sorted(self.kinds, key=len, reverse=True)
        body = "|".join(r"\.?\s*".join(re.escape(w) for w in form.split()) for form in alternatives)
        self._body = body

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Compiled on first use: most meetings' items never write a name untitled."""
        return re.compile(rf"(?:{self._body})(?![\w'’-])") if self._body else None

    def find_roles(self, text: str) -> list[Phrase]:
        """Attendance posts written in ``text`` after "the" (cheap when none can occur)."""
        if self.role_pattern is None or not any(map(text.__contains__, self._role_words)):
            return []
        return [(m.start(), m.end(), [Mention(m.group(0), OFFICER, role=m.group("role"),
                                              start=m.start())])
                for m in self.role_pattern.finditer(text)]

    def find(self, text: str) -> list[Phrase]:
        if not self.mentioned(text) or self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(text):
            if not starts_word(text, m.start()):
                continue
            raw = m.group(0)
            key = " ".join(raw.replace(".", " ").split())
            kind = self.kinds.get(key, PERSON)
            out.append((m.start(), m.end(), [Mention(raw, kind, "", raw, start=m.start())]))
        return out


    def by_surname(self, surname: str) -> str | None:
        """The fullest known form of the one person with this surname, if exactly one
        (two initials or two spelt-out forenames mean two people: nobody)."""
        forms = [f for f in self.kinds if f.rsplit(" ", 1)[-1] == surname]
        if len({f[0] for f in forms}) != 1 or len(
                {f.split()[0] for f in forms if len(f.split()[0]) > 1}) > 1:
            return None
        return max(forms, key=len)

    def mentioned(self, text: str) -> bool:
        """Cheap: does any known surname occur at all? (Substring tests beat the regex.)"""
        return any(map(text.__contains__, self.surnames))  # map: no generator frame per name


@functools.lru_cache(maxsize=256)
def _known(people: tuple[str, ...], roles: tuple[str, ...] = ()) -> KnownNames:
    return KnownNames(people, roles)


def _officer_posts(people: Sequence[Member]) -> tuple[str, ...]:
    """Posts held by one attendee, other than offices and generic roles the grammar knows."""
    posts = [" ".join(m.role.split()) for m in people if m.role and m.name]
    counts = {p: posts.count(p) for p in posts}
    roles = [p for p in dict.fromkeys(posts) if counts[p] == 1 and " " in p
             and role_key(p) not in GENERIC_ROLES and role_key(p) not in OFFICES
             and role_key(p) not in ("chair", "vice-chair", "deputy chair")
             and not _CHAIRLIKE.search(p)]
    # key posts the office grammar does not read ("Presiding Member", "Returning Officer", and
    # one-word presiding posts such as Hackney's "Speaker": capitalised, so "the speaker" who
    # addressed the committee stays anonymous)
    roles += [" ".join(p.split()) for m in people for p in m.posts
              if (" " in p.strip() or p.strip()[:1].isupper()) and not _OFFICE_WORDS.search(p)]
    return tuple(dict.fromkeys(roles))


_CHAIRLIKE = re.compile(r"(?i)\b(?:chair|mayor|leader|member|councillor|convener|provost)")
_OFFICE_WORDS = re.compile(r"(?i)\b(?:chair|mayor|leader|cabinet\s+member|portfolio\s+holder|"
                           r"lead\s+member|executive\s+member|convener|provost)")


_LAST: list = [((), None)]  # (the last people tuple asked for, its KnownNames), swapped whole


def known_names(people: Sequence[Member], extra: Iterable[str] = ()) -> KnownNames:
    """The :class:`KnownNames` of a meeting's people plus ``extra`` names (cached).

    Every item of a meeting passes the same people tuple: it is recognised by identity
    before anything is hashed.
    """
    extra = tuple(extra)
    last_people, last_found = _LAST[0]
    if not extra and last_found is not None and last_people is people:
        return last_found
    found = _known(tuple(dict.fromkeys([*(m.name for m in people if m.name), *extra])),
                   _officer_posts(people))
    if not extra and isinstance(people, tuple):
        _LAST[0] = (people, found)
    return found
