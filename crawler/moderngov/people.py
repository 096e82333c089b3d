"""Who a person is, as ModernGov pages print it: role, party, ward and key posts beside a name.

Attendance tables and committee membership lists name the people a meeting's
minutes talk about. Some councils add more than the role: a "Party" or "Ward"
column, a party in brackets after the role ("Councillor Jo Hart (Chair)
(Green Party)"), a "Cabinet Member for Housing" post in a "Key posts" column.
Enrichment resolves office names in the minutes ("The Cabinet Member for Housing
said") to the person holding the post and the speaker pages show party and ward,
so they are read here, once, for both page kinds. Everything is header- or
wording-driven: a council that prints none of it simply gives empty fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4.element import Tag

from crawler.moderngov.soup import inside, tags
from crawler.moderngov.text import clean, text_of

__all__ = ["Columns", "columns", "is_party", "posts_of", "split_brackets"]

_NAME_HEADERS = ("attendee", "name", "member", "councillor")
_ROLE_HEADERS = ("role", "position")
_ATTENDANCE_HEADERS = ("attendance", "status", "attended")
_PARTY_HEADERS = ("party", "political party", "group", "political group")
_WARD_HEADERS = ("ward", "division", "electoral division", "constituency", "representing")
_POSTS_HEADERS = ("key post", "keypost", "posts", "responsibilit", "portfolio")

# Words that make a bracketed phrase a party, not a role: the parties and groups UK councils
# print. A bracket that is neither a role nor one of these is left alone (never guessed).
_PARTY = re.compile(
    r"\b(?:party|group|labour|conservative|tory|liberal|lib\s*dem|democrats?|green|independents?|"
    r"reform|plaid|snp|scottish\s+national|ukip|alliance|residents?|non[-\s]?aligned|unaligned|"
    r"co-?operative|sdlp|sinn|dup|uup)\b",
    re.IGNORECASE,
)
# ... unless it is plainly an office ("Chair of the Labour Group" is a post, not a party).
_ROLE_WORDS = re.compile(r"\b(?:chair|vice|deputy|leader|member|mayor|officer|substitute|clerk|"
                         r"cabinet|portfolio|spokes|whip|observer|co-?opted|adviser|advisor)\b", re.I)
# Short forms printed in brackets after names ("Councillor Jo Hart (Lab)"), matched whole only.
_PARTY_SHORT = frozenset(("lab", "con", "ld", "lib dem", "lib dems", "libdem", "grn", "gp", "ind", "snp", "pc",
                          "ref", "ukip", "sdlp", "dup", "uup", "sf", "apni", "res", "ra", "lab/co-op"))
_BRACKET = re.compile(r"\(([^()]+)\)")
_POST_BREAK = re.compile(r"\s*(?:;|\n|\u2028)\s*")


@dataclass(frozen=True)
class Columns:
    """Positions of a people table's columns (-1: the table has no such column)."""

    name: int = 0
    role: int = 1
    attendance: int = 2
    party: int = -1
    ward: int = -1
    posts: int = -1

    def cell(self, cells: list[Tag], which: str) -> str:
        at = getattr(self, which)
        return text_of(cells[at]) if 0 <= at < len(cells) else ""


def columns(table: Tag) -> Columns:
    """Where name, role, attendance, party, ward and posts are, from the header row when there is one.

    Without a header the ModernGov default order (name | role | attendance) is assumed and
    party, ward and posts are absent.
    """
    cells = tags(table, "th")
    headers = [text_of(th).lower() for th in cells if inside(th, "thead")] or [  # thead th, else tr th
        text_of(th).lower() for th in cells if inside(th, "tr")
    ]

    def find(words: tuple[str, ...], default: int) -> int:
        for i, header in enumerate(headers):
            if any(header.startswith(w) for w in words):
                return i
        return default

    return Columns(
        name=find(_NAME_HEADERS, 0), role=find(_ROLE_HEADERS, 1), attendance=find(_ATTENDANCE_HEADERS, 2),
        party=find(_PARTY_HEADERS, -1), ward=find(_WARD_HEADERS, -1), posts=find(_POSTS_HEADERS, -1),
    )


def is_party(text: str) -> bool:
    """True for "Labour", "Liberal Democrats", "Green Party", "Independent Group", "Lab", "Con";
    False for roles."""
    text = clean(text)
    if text.lower().rstrip(".") in _PARTY_SHORT:
        return True
    return bool(text) and len(text) <= 60 and bool(_PARTY.search(text)) and not _ROLE_WORDS.search(text)


def split_brackets(rest: str) -> tuple[str, str]:
    """(role, party) from the text after a member's name: "(Chair) (Labour)" → ("Chair", "Labour").

    The first bracket that is not a party is the role; the first party bracket is the party.
    A party printed after a dash without brackets ("– Conservative") counts too.
    """
    role = party = ""
    for m in _BRACKET.finditer(rest):
        value = clean(m.group(1))
        if is_party(value):
            party = party or value
        else:
            role = role or value
    if not party:
        tail = clean(_BRACKET.sub(" ", rest)).lstrip("-–—,: ").strip()
        if tail and is_party(tail):
            party = tail
    return role, party


def posts_of(text: str) -> tuple[str, ...]:
    """Key posts written one per line or separated by semicolons, each cleaned."""
    return tuple(p for p in (clean(p) for p in _POST_BREAK.split(text or "")) if p)
