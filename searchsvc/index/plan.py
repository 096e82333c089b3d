"""Parsed query → plan: a small tree of term-level operations the index evaluates.

Why not Whoosh ``Query`` objects: Whoosh evaluates And/Or/phrase/span trees by
stepping Python matcher objects document by document, far too slow for broad
queries (bench/README.md, "Design figures"). A plan is evaluated
by :mod:`.matching` with set algebra over cached per-term posting sets and
scored with BM25F on the page candidates only, which is what makes
broad queries and facet counts cheap.

Plan nodes are frozen and hashable, so a leaf's result is cached per index
version under the node itself.

Speaker attribution: in a conjunction, ``speaker:X`` restricts the *other*
text clauses of that conjunction (recursively) to passages spoken by X — each
becomes :class:`Near` (X's passage markers, clause); see :mod:`.schema`.
``speaker:X`` alone, or inside an OR, means "X spoke in this item".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from searchsvc.errors import QueryError
from searchsvc.index.documents import speaker_key
from searchsvc.index.query import (
    FACET_FIELDS,
    And,
    Not,
    Or,
    Phrase,
    Wild,
    Word,
    exact_words,
    stems,
)
from searchsvc.index.schema import marker

MAX_EXPANSION = 1000
#: Ranking weights (judged on the sample council: bench/relevance.py). A stemmed match in the
#: title counts this many times one in ``body``; the exact word form adds its own ``body_exact``
#: BM25 score (so "planning" outranks "plans" for planning), and an exact word in the title or
#: in the committee's name adds that word's idf times these weights.
TITLE_BOOST = 2.0
EXACT_BOOST = 2.0
EXACT_TITLE_BOOST = 1.0
EXACT_COMMITTEE_BOOST = 1.5


# --- plan nodes -------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0
    scored: bool = True


@dataclass(frozen=True)
class PhraseOf:
    """Words in order in one field, each within ``slop`` positions of the previous."""

    field: str
    words: tuple[str, ...]
    slop: int = 1


@dataclass(frozen=True)
class AnyOf:
    """Any of several terms (wildcard expansion, facet values); constant score when scored."""

    field: str
    texts: tuple[str, ...]
    scored: bool = False


@dataclass(frozen=True)
class Near:
    """``inner`` inside a passage that starts with one of ``markers`` (speaker attribution)."""

    markers: tuple[str, ...]
    inner: Term | PhraseOf | AnyOf


@dataclass(frozen=True)
class Exact:
    """Ranking only: the exact (unstemmed) word ``text``, more so in the title or committee name."""

    text: str


@dataclass(frozen=True)
class Scored:
    """Matches what ``match`` matches; ranks by it plus the ``bonus`` nodes (never a filter)."""

    match: object
    bonus: tuple


@dataclass(frozen=True)
class AllOf:
    items: tuple


@dataclass(frozen=True)
class OneOf:
    items: tuple


@dataclass(frozen=True)
class Without:
    item: object


NOTHING = AnyOf("id", ())


class Lexicon(Protocol):
    """What compiling needs from the open index (implemented in :mod:`.search`)."""

    def values(self, field: str, text: str, prefix: bool = False) -> list[str]: ...

    def speakers(self, text: str, prefix: bool = False) -> list[str]: ...

    def resolve(self, field: str, text: str, prefix: bool = False) -> list[str]: ...

    def expand(self, field: str, pattern: str, limit: int) -> list[str]: ...


@dataclass
class Compiled:
    plan: object
    leaves: list = field(default_factory=list)  # (query leaf, speaker restriction sets): highlights, suggestions


def compile_query(tree, lex: Lexicon) -> Compiled:
    """Plan a parsed query for this index; raises QueryError."""
    c = Compiled(None)
    plan = _compile(tree, lex, (), c)
    if plan is None:
        raise QueryError("The search has no words to look for (very common words such as 'the' are ignored).")
    c.plan = plan
    return c


def compile_spoken(tree, lex: Lexicon, names: frozenset):
    """The plan of ``tree`` with its text clauses inside passages spoken by one of ``names``
    (what ``speaker:"X" (tree)`` means; None when nothing is left to look for)."""
    return _compile(tree, lex, (frozenset(names),), Compiled(None))


#: The speaker a plan from :func:`compile_spoken_each` is about: a marker no index holds (speaker
#: keys are digits), filled in per speaker by :mod:`.spoken` from each item's passage markers.
EACH_SPEAKER = "\u00a7*"
_EACH = frozenset({"\x00each speaker"})


def compile_spoken_each(tree, lex: Lexicon):
    """:func:`compile_spoken` for every speaker at once: the text clauses become :class:`Near`
    nodes whose only marker is :data:`EACH_SPEAKER` (None when nothing is left to look for)."""
    return _compile(tree, lex, (_EACH,), Compiled(None))


def leaf_words(compiled: Compiled) -> list[str]:
    """The plain words of a query (for "did you mean"), in query order."""
    return [n.text for n, _ in compiled.leaves if isinstance(n, Word)]


def _all(items: list):
    items = [i for i in items if i is not None]
    if not items:
        return None
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def _one(items: list):
    items = [i for i in items if i is not None]
    if not items:
        return None
    return items[0] if len(items) == 1 else OneOf(tuple(items))


def _speaker_constraint(node, lex: Lexicon) -> frozenset | None:
    """The names a conjunct restricts to, if it is speaker:… or an OR of speaker:…"""
    if isinstance(node, (Word, Phrase, Wild)) and node.field == "speaker":
        return frozenset(lex.speakers(node.text.rstrip("*"), prefix=isinstance(node, Wild)))
    if isinstance(node, Or):
        sets = [_speaker_constraint(n, lex) for n in node.items]
        if all(s is not None for s in sets):
            return frozenset().union(*sets)
    return None


def _compile(node, lex: Lexicon, restrict: tuple, c: Compiled):
    if isinstance(node, And):
        cons = [_speaker_constraint(n, lex) for n in node.items]
        inner = restrict + tuple(s for s in cons if s is not None)
        return _all([_compile(n, lex, restrict if s is not None else inner, c) for n, s in zip(node.items, cons)])
    if isinstance(node, Or):
        return _one([_compile(n, lex, restrict, c) for n in node.items])
    if isinstance(node, Not):
        plan = _compile(node.item, lex, restrict, c)
        return None if plan is None else Without(plan)
    return _leaf(node, lex, restrict, c)


def _leaf(node, lex: Lexicon, restrict: tuple, c: Compiled):
    fieldname = node.field
    if fieldname in FACET_FIELDS:
        prefix = isinstance(node, Wild)
        text = node.text[:-1] if prefix else node.text
        if "*" in text:
            raise QueryError(f"In {fieldname}: only a * at the end works ('{node.text}').")
        return AnyOf(fieldname, tuple(sorted(lex.resolve(fieldname, text, prefix))))
    if fieldname == "title":
        return _text(node, lex, "title", "title")
    c.leaves.append((node, restrict))
    if restrict:
        return _all([_spoken(node, lex, names) for names in restrict])
    return _text(node, lex, "body", "body_exact")


def _expand(node: Wild, lex: Lexicon, fieldname: str) -> tuple[str, ...]:
    """The words a ``word*``/``wo*d`` stands for, within the expansion limit."""
    pattern = node.text.lower()
    if not re.search(r"\w", pattern.split("*")[0]):
        raise QueryError(f"'{node.text}' needs a letter or digit before the *.")
    words = lex.expand(fieldname, pattern, MAX_EXPANSION + 1)
    if len(words) > MAX_EXPANSION:
        raise QueryError(
            f"Too many words start with '{node.text.split('*')[0]}' (more than {MAX_EXPANSION:,}); "
            "add more letters before the *."
        )
    return tuple(words)


def _text(node, lex: Lexicon, stem_field: str, exact_field: str):
    """A word, phrase or wildcard against ``body``/``body_exact`` (or ``title``)."""
    if isinstance(node, Word):
        terms = stems(node.text)
        if stem_field == "body":
            match = _all([OneOf((Term("body", t), Term("title", t, TITLE_BOOST))) for t in terms])
            exact = tuple(Exact(w) for w in exact_words(node.text))
            return Scored(match, exact) if match is not None and exact else match
        return _all([Term(stem_field, t) for t in terms])
    if isinstance(node, Phrase):
        words = stems(node.text) if exact_field == "title" else exact_words(node.text)
        if not words:
            return None
        return Term(exact_field, words[0]) if len(words) == 1 else PhraseOf(exact_field, tuple(words), node.slop)
    return AnyOf(exact_field, _expand(node, lex, exact_field), scored=True)


def _spoken(node, lex: Lexicon, names: frozenset):
    """A text clause that must occur in a passage spoken by one of ``names``."""
    markers = (EACH_SPEAKER,) if names == _EACH else tuple(sorted({marker(speaker_key(n)) for n in names}))
    if not markers:
        return NOTHING
    if isinstance(node, Word):
        return _all([Near(markers, Term("body", t)) for t in stems(node.text)])
    if isinstance(node, Phrase):
        words = exact_words(node.text)
        if not words:
            return None
        inner = Term("body_exact", words[0]) if len(words) == 1 else PhraseOf("body_exact", tuple(words), node.slop)
        return Near(markers, inner)
    return Near(markers, AnyOf("body_exact", _expand(node, lex, "body_exact"), scored=True))
