"""User query text → a small syntax tree, with errors in plain words.

Why not Whoosh's own ``QueryParser``: it never fails. An unclosed quote, an
unknown ``foo:bar`` or a dangling ``AND`` silently become *some* query, so a
person gets odd results instead of being told what to fix (bad syntax is a 400
with an explanation: docs/architecture.md, "Search semantics"). This module parses the documented syntax itself —
words, "phrases", ``"a b"~5``, ``word*``, AND/OR/NOT, ``-word``, ``(…)`` and
``committee:``/``speaker:``/``topic:``/``title:`` — and raises
:class:`~searchsvc.errors.QueryError` for anything else.

:func:`parse` needs no index; :mod:`.plan` turns the tree into what the
index evaluates.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from searchsvc.errors import QueryError
from searchsvc.facets import FACETS
from searchsvc.index.schema import clean_text, exact_analyzer, stem_analyzer

log = logging.getLogger(__name__)

#: Facets searchable as ``name:value`` in the query text (see :mod:`searchsvc.facets`).
FACET_FIELDS = tuple(f.name for f in FACETS if f.query_field)
FIELDS = (*FACET_FIELDS, "title")
_FIELD_LIST = ", ".join(f + ":" for f in FIELDS[:-1]) + f" or {FIELDS[-1]}:"
_FIELD_WORD = re.compile(r"([A-Za-z_]+):(.*)", re.S)
_STEM = stem_analyzer()
_EXACT = exact_analyzer()


# --- syntax tree -----------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    slop: int = 1
    field: str | None = None


@dataclass(frozen=True)
class Wild:
    """``word*`` (prefix) or ``wo*d``: ``text`` keeps the ``*``."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


Leaf = Word | Phrase | Wild


def stems(text: str) -> list[str]:
    """The stemmed terms of ``text`` as ``body`` and ``title`` index them."""
    return [t for t, _ in _STEM.terms(text)]


def exact_words(text: str) -> list[str]:
    """The unstemmed lowercase words of ``text`` as ``body_exact`` indexes them."""
    return [t for t, _ in _EXACT.terms(text)]


# --- lexer -------------------------------------------------------------------

_SPECIAL = set('()"')


def _tokens(text: str) -> list[tuple[str, object]]:
    """Split query text into (kind, value) tokens; kinds: ( ) " word op field."""
    out: list[tuple[str, object]] = []
    i, n = 0, len(text)
    last_word = ""
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append((c, c))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                rest = text[i + 1 :].split()
                if last_word:
                    raise QueryError(f"The quotation mark after '{last_word}' is never closed.")
                if rest:
                    raise QueryError(f"The quotation mark before '{rest[0]}' is never closed.")
                raise QueryError("The quotation mark at the end is never closed.")
            phrase = text[i + 1 : end]
            i = end + 1
            slop = 1
            if i < n and text[i] == "~":
                m = re.match(r"~(\d+)", text[i:])
                if not m:
                    raise QueryError(f'Put a number after the ~ of "{phrase}", e.g. "{phrase}"~5.')
                slop = max(1, min(int(m.group(1)), 100))
                i += len(m.group(0))
            out.append(('"', (phrase, slop)))
            last_word = phrase.split()[-1] if phrase.split() else last_word
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            word = text[i:j]
            i = j
            m = _FIELD_WORD.fullmatch(word)
            if m and (m.group(2) or (i < n and text[i] in '"(')):
                name = m.group(1)
                if name.lower() not in FIELDS:
                    raise QueryError(
                        f"There is no field called '{name}'. You can search "
                        f"{_FIELD_LIST}, e.g. speaker:Reed."
                    )
                out.append(("field", name.lower()))
                word = m.group(2)
                if not word:
                    continue
            elif m and m.group(1).lower() in FIELDS and not m.group(2):
                raise QueryError(
                    f"Put the value straight after '{m.group(1)}:' with no space, "
                    f'e.g. {m.group(1).lower()}:"Planning Committee".'
                )
            if word in ("AND", "OR", "NOT"):
                out.append(("op", word))
            else:
                out.append(("word", word))
                last_word = word.strip("-+*") or last_word
    return out


def _word_leaf(word: str, field: str | None) -> Leaf:
    for ch, why in (("[", "Square brackets"), ("]", "Square brackets"), ("{", "Braces"), ("}", "Braces")):
        if ch in word:
            raise QueryError(f"{why} are not supported in searches ('{word}'); dates are set with the date filters.")
    if "~" in word:
        raise QueryError(f"'~' only works after a quoted phrase, e.g. \"foster care\"~5 ('{word}').")
    if "^" in word:
        raise QueryError(f"Boosting words with '^' is not supported ('{word}').")
    if "*" in word:
        if word.startswith("*"):
            raise QueryError(
                f"A word cannot start with a wildcard ('{word}'); put at least one letter before the *."
            )
        return Wild(word, field)
    return Word(word, field)


# --- parser --------------------------------------------------------------------

MAX_NESTING = 32  # brackets inside brackets; deeper would exhaust Python's recursion limit


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]):
        self.toks = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, object] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _before(self) -> str:
        for kind, value in reversed(self.toks[: self.i]):
            if kind == "word":
                return f" after '{value}'"
            if kind == '"':
                return f" after '{value[0]}'"  # type: ignore[index]
        return ""

    def parse(self):
        node = self.or_expr()
        if self.peek() is not None:  # only a stray ")" can stop or_expr early
            raise QueryError(f"There is a closing bracket ')'{self._before()} without an opening one.")
        return node

    def or_expr(self):
        items = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.i += 1
            if self.peek() in (None, (")", ")")) or self.peek()[0] == "op" and self.peek()[1] != "NOT":
                raise QueryError("'OR' needs a word after it.")
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == ")" or tok == ("op", "OR"):
                break
            if tok == ("op", "AND"):
                self.i += 1
                nxt = self.peek()
                if not items:
                    raise QueryError("'AND' needs a word before it.")
                if nxt is None or nxt[0] == ")" or nxt in (("op", "AND"), ("op", "OR")):
                    raise QueryError("'AND' needs a word after it.")
                continue
            items.append(self.unary())
        if not items:
            tok = self.peek()
            if tok == ("op", "OR"):
                raise QueryError("'OR' needs a word before it.")
            if tok is not None and tok[0] == ")":
                raise QueryError("The brackets are empty." if self.i and self.toks[self.i - 1][0] == "(" else
                                 f"There is a closing bracket ')'{self._before()} without an opening one.")
            raise QueryError("The search is empty.")
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self):
        tok = self.peek()
        if tok == ("op", "NOT"):
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt[0] in (")", "op") and nxt != ("op", "NOT"):
                raise QueryError("'NOT' needs a word after it.")
            return Not(self.unary())
        return self.primary(None)

    def primary(self, field: str | None):
        tok = self.peek()
        if tok is None:
            raise QueryError(f"Something is missing at the end{self._before()}.")
        kind, value = tok
        self.i += 1
        if kind == "field":
            if field:
                raise QueryError(f"'{field}:' cannot be followed by another field ('{value}:').")
            return self.primary(value)  # type: ignore[arg-type]
        if kind == "(":
            before = self._before()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QueryError(f"The brackets are nested more than {MAX_NESTING} deep; remove some.")
            node = self.or_expr()
            if self.peek() != (")", ")"):
                raise QueryError(f"The bracket opened{before} is never closed.")
            self.i += 1
            self.depth -= 1
            return _with_field(node, field) if field else node
        if kind == '"':
            text, slop = value  # type: ignore[misc]
            if not text.strip():
                raise QueryError("The quotation marks are empty.")
            return Phrase(text, slop, field)
        if kind == "word":
            word = str(value)
            if word.startswith("-") and len(word) > 1 and not field:
                return Not(_word_leaf(word[1:], None))
            if word.startswith("+") and len(word) > 1:
                word = word[1:]
            return _word_leaf(word, field)
        if kind == ")":
            raise QueryError(f"There is a closing bracket ')'{self._before()} without an opening one.")
        raise QueryError(f"'{value}' needs a word before it.")


def _with_field(node, field: str):
    if isinstance(node, (Word, Phrase, Wild)):
        return node if node.field else type(node)(**{**node.__dict__, "field": field})
    if isinstance(node, Not):
        return Not(_with_field(node.item, field))
    return type(node)(tuple(_with_field(n, field) for n in node.items))


@lru_cache(maxsize=2048)
def parse(text: str):
    """Parse query text into a tree; ``None`` for a blank query. Raises QueryError.

    No length limit here: the one limit is the ``search.max_query_length`` setting, checked
    where requests come in (:func:`searchsvc.web.params.parse_search_args`, used by the web
    app and the CLI). Parsing is linear in the text and brackets nest at most
    :data:`MAX_NESTING` deep, so a long query costs time, never a crash.
    """
    if not text.strip():
        return None
    return _Parser(_tokens(clean_text(text))).parse()
