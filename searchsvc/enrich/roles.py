"""Roles and posts as minutes write them, as comparison keys and as facet values.

"the Chairman", "Chair of Council", "The Finance Portfolio Holder", "Deputy Leader of
the Council and Cabinet Member for Resources": the same few offices are written many
ways. :func:`role_key` turns each into one key so :class:`.names.Directory` can find the
person who held it at a meeting; :func:`content_words` and :func:`head_nouns` match a
post written another way or by its head alone ("the Commissioner").
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "GENERIC_ROLES",
    "OFFICES",
    "PRESIDING_POSTS",
    "content_words",
    "fuller",
    "head_nouns",
    "normalise_role",
    "role_key",
    "split_posts",
]

_ROLE_SMALL = frozenset("of and for the in on to with at by a an & or".split())
_CHAIR_WORDS = re.compile(r"\bchair(?:man|woman|person)?\b")
_VICE = re.compile(r"\b(?:vice|deputy|depute)[\s-]+chair(?:man|woman|person)?\b")
# Scottish presiding posts are posts (Member.posts), named "The Convener" when unheld.
_CONVENER = re.compile(r"(?:(?P<vice>vice|deputy|depute)[\s-]+)?conven[eo]r")
_CHAIR_OF_THIS = re.compile(
    r"chair(?:man|woman|person)? of the (?:committee|sub-committee|meeting|panel|board)")
_THE = re.compile(r"^the\s+", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def role_key(role: str) -> str:
    """A role as a comparison key: 'the Chairman' -> 'chair', 'Vice Chairman' -> 'vice-chair'."""
    key = " ".join(_THE.sub("", role.strip()).lower().split())
    key = key.replace("\u2019", "'")
    key = re.sub(r"\s+of\s+(?:the\s+)?council$", "", key)
    # "the Council's Solicitor" is the Solicitor: the body's possessive names no other post
    key = re.sub(r"^(?:council|authority|corporation|committee|board)'s\s+", "", key)
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
def content_words(key: str) -> tuple[str, ...]:
    """A role key's content words: "chief executive, office of the pcc" == "… of the office …"."""
    return tuple(w for w in re.findall(r"[\w'&-]+", key) if w not in _SMALL_WORDS)


@functools.lru_cache(maxsize=4096)
def head_nouns(key: str) -> frozenset[str]:
    """The head noun of a role: "director" in "director of public health", "commissioner" in
    "police, fire and crime commissioner", "executive" in "chief executive, office of …"
    (a comma may join a list of services or start a qualifier: both readings are kept)."""
    out = set()
    parts = [re.split(r"\s(?:of|for|to)\s", key)[0]]
    if "," in key:  # without a comma the whole key is no second reading: "chief executive of
        parts.append(key.split(",")[0])  # the office of the … commissioner" heads "executive"
    for part in parts:
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
GENERIC_ROLES = frozenset({
    "committee member", "member", "officer", "officers", "substitute", "co-opted member",
    "in attendance", "present", "apologies", "absent", "expected", "guest", "observer",
    "reserve", "ex-officio", "ex officio member", "independent member", "non-voting member",
})


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


PRESIDING_POSTS = {"convener": "chair", "vice-convener": "vice-chair"}


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


def fuller(key: str, posts: dict[str, str]) -> str | None:
    """The one post whose key extends ``key`` ("director" -> "director of place"), if unique."""
    found = {post for known, post in posts.items() if known.startswith((key + " ", key + ","))}
    return found.pop() if len(found) == 1 else None
