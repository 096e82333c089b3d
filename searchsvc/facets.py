"""What a search can be narrowed by (facets) and ordered by (sorts), each defined once.

Why one module of plain objects: a facet used to be spelled out in a dozen places (the index
schema and document fields, the search request, the web parameters and their labels, the
plain-words echo, the CLI options, the OpenAPI document). Each of those now loops over
:data:`FACETS` (Datasette keeps its facet kinds as plain classes in ``facets.py`` for the
same reason), so adding one is one entry here plus where its value comes from; see
``docs/extending.md``, "A new facet".

This module imports nothing of the project: the index, the web app and the CLI all read it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Callable

__all__ = [
    "FACETS",
    "FACET_NAMES",
    "SORTS",
    "SORT_NAMES",
    "Facet",
    "Sort",
    "contains_run",
    "facet",
    "facet_fields",
    "name_words",
    "selects",
]

_WORD = re.compile(r"\w+")


def name_words(name: str) -> tuple[str, ...]:
    """The lowercase whole words of a name: how ``speaker:`` and ``committee:`` compare names."""
    return tuple(_WORD.findall(name.lower()))


def contains_run(words: tuple[str, ...], part: tuple[str, ...], prefix: bool = False) -> bool:
    """Is ``part`` a run of whole words of ``words`` (the last one a prefix if asked)?"""
    n = len(part)
    if not n or n > len(words):
        return False
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == part[:-1] and (
                words[i + n - 1].startswith(part[-1]) if prefix else words[i + n - 1] == part[-1]):
            return True
    return False


@dataclass(frozen=True)
class Facet:
    """One facet: how it is indexed, asked for, shown and read back in words.

    ``value`` reads the facet's value(s) from an index document
    (:class:`~searchsvc.index.documents.ItemDoc`): a string (or None) for a
    single-valued facet, a sequence of strings when ``multi``.
    """

    name: str  # URL parameter, index field, JSON key, CLI option (--name)
    label: str  # heading of the facet panel and the filter chips
    value: Callable[[Any], Any]
    help: str  # CLI option help and OpenAPI parameter description
    multi: bool = False  # an item can have several values (speakers, topics)
    query_field: bool = False  # can be searched in the query text as ``name:value``
    words: bool = False  # a typed value selects any name it is a run of whole words of ("Reed", "planning")
    stored: bool = True  # kept in the index's stored fields (shown on results)
    pattern: str = ""  # values must match this (regular expression), else a 400 …
    pattern_hint: str = ""  # … saying this
    echo: str = ""  # the plain-words echo of a filter: "in the committee “Cabinet”"
    echo_browsing: str = ""  # the echo when there are no search words (default: ``echo``)
    echo_query: str = ""  # the echo of ``name:value`` inside the query text
    quoted: bool = True  # values are quoted in the echo (years are not)
    only_if_several: bool = False  # the panel is hidden unless two or more values exist (councils)
    by_value: bool = False  # the panel lists values newest/highest first (years), not by count

    def selects(self, typed: str, value: str) -> bool:
        """Whether the filter text ``typed`` chooses the indexed value ``value`` (ignoring case)."""
        if self.words:
            return contains_run(name_words(value), name_words(typed))
        return " ".join(typed.split()).casefold() == " ".join(value.split()).casefold()

    def echo_value(self, value: str) -> str:
        return f"“{value}”" if self.quoted else value

    def check(self, value: str) -> str | None:
        """A plain-words complaint about ``value``, or None when it is acceptable."""
        if self.pattern and not re.fullmatch(self.pattern, value):
            return f"{self.name} must be {self.pattern_hint}, not {value!r}"
        return None


@dataclass(frozen=True)
class Sort:
    name: str
    label: str  # the sort link: "best match"
    echo: str  # the end of the plain-words echo: "best matches first"
    needs_words: bool = False  # only offered when there are search words


FACETS: tuple[Facet, ...] = (
    Facet("committee", "Committee", lambda d: d.committee or None,
          "Committee name or a run of whole words of it, e.g. planning (repeat to OR several).",
          query_field=True, words=True, echo="in the committee", echo_query="in a committee named"),
    Facet("speaker", "Speaker", lambda d: d.speakers,
          "Speaker name or any run of whole words of it, e.g. Reed (repeat to OR several).",
          multi=True, query_field=True, words=True, echo="in what was said by",
          echo_browsing="where a passage is spoken by", echo_query="in a passage spoken by"),
    Facet("topic", "Topic", lambda d: d.topics, "Topic (repeat to OR several).",
          multi=True, query_field=True, echo="on the topic", echo_query="on the topic"),
    Facet("year", "Year", lambda d: str(d.year) if d.year else None,
          "Meeting year, four digits (repeat to OR several).", stored=False, pattern=r"[12][0-9]{3}",
          pattern_hint="four digits such as 2017", echo="in", quoted=False, by_value=True),
    Facet("source", "Council", lambda d: d.source or None, "Council (source name; repeat to OR several).",
          echo="from", only_if_several=True),
)
FACET_NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
_BY_NAME = {f.name: f for f in FACETS}

SORTS: tuple[Sort, ...] = (
    Sort("relevance", "best match", "best matches first", needs_words=True),
    Sort("newest", "newest", "newest first"),
    Sort("oldest", "oldest", "oldest first"),
)
SORT_NAMES: tuple[str, ...] = tuple(s.name for s in SORTS)


def facet(name: str) -> Facet:
    return _BY_NAME[name]


def selects(name: str, typed: str, value: str) -> bool:
    """Whether filter text ``typed`` for facet ``name`` chooses the facet value ``value``."""
    return _BY_NAME[name].selects(typed, value)


def facet_fields() -> list[tuple[str, Any, Any]]:
    """One ``tuple[str, ...]`` dataclass field per facet, for requests built with ``make_dataclass``."""
    return [(f.name, tuple[str, ...], dataclasses.field(default=())) for f in FACETS]
