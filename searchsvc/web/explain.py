"""The search echoed back in plain words: "Items mentioning “foster”, spoken by Reed, …".

Why: query syntax (phrases, ``-word``, ``speaker:``) is easy to get subtly wrong, and
a journalist should be able to read back what was actually searched for before
trusting a count. So the echo describes the tree the index itself parses
(:func:`searchsvc.index.query.parse`), with its precedence: ``river OR canal boat``
reads "either “river” or both “canal” and “boat”", as it runs. Words the index
ignores (very common ones such as "the") are named as ignored, not shown as required, and
``speaker:``, ``topic:`` and ``title:`` read as where the words are, not as words to mention.
The result is a list of plain strings: templates escape them like any other text.
"""

from __future__ import annotations

from dataclasses import replace

from searchsvc.errors import QueryError
from searchsvc.facets import FACETS, SORTS, facet
from searchsvc.index.query import (
    And,
    Not,
    Or,
    Phrase,
    Wild,
    Word,
    exact_words,
    parse,
    stems,
)
from searchsvc.web.params import SearchParams


def _tree(q: str):
    """The parsed query, None for no words; QueryError when it cannot be parsed."""
    return parse(" ".join(q.split())) if q.strip() else None


def _top(tree) -> tuple:
    return tree.items if isinstance(tree, And) else (tree,)


def describe_query(q: str) -> list[str]:
    """Clauses describing the words of ``q``, all required (empty list for an empty query)."""
    try:
        tree = _tree(q)
    except QueryError:  # the search itself reports what is wrong
        return [f"matching the expression “{q.strip()}”"]
    if tree is None:
        return []
    return [c for c in (_describe(n) for n in _top(tree)) if c]


def ignored_words(tree) -> list[str]:
    """The words of the query the index ignores (stop words), in order, each once."""
    if isinstance(tree, Not):
        return ignored_words(tree.item)
    if isinstance(tree, (And, Or)):
        return list(dict.fromkeys(w for n in tree.items for w in ignored_words(n)))
    if isinstance(tree, Word) and not tree.field and not stems(tree.text):
        return [tree.text]
    return []


def _where(node) -> str | None:
    """A top-level ``field:value`` as where the words are: "with a passage spoken by “Reed”";
    None for a title word the index ignores (``title:the`` is a stop word, like ``the`` alone)."""
    if node.field == "title":
        leaf = _leaf(replace(node, field=None))
        return "with the title containing " + leaf if leaf else None
    return _leaf(node).replace("in a passage spoken by", "with a passage spoken by", 1)


def _describe(node) -> str | None:
    """One node of the parsed query in words; None when the index ignores it (stop words)."""
    if isinstance(node, Not):
        inner = _describe(node.item)
        return f"not {inner}" if inner else None
    if isinstance(node, (And, Or)):
        parts = [p for p in (_describe(n) for n in node.items) if p]
        if len(parts) <= 1:
            return parts[0] if parts else None
        if isinstance(node, And):
            return ("both " if len(parts) == 2 else "all of ") + _join(parts, "and")
        return ("either " if len(parts) == 2 else "any of ") + _join(parts, "or")
    return _leaf(node)


def _leaf(node) -> str | None:
    if node.field and node.field != "title":
        value = node.text[:-1] if isinstance(node, Wild) else node.text
        what = f"a name with a word starting “{value}”" if isinstance(node, Wild) else f"“{value}”"
        return f"{facet(node.field).echo_query} {what}"
    if isinstance(node, Phrase):
        if not exact_words(node.text):
            return None
        if node.slop > 1:
            text = f"the words “{node.text}” within {node.slop} words of each other"
        else:
            text = f"the exact phrase “{node.text}”"
    elif isinstance(node, Wild):
        text = f"words starting “{node.text[:-1]}”" if node.text.endswith("*") and node.text.count("*") == 1 \
            else f"words like “{node.text}”"
    else:
        if not stems(node.text):
            return None  # a stop word: the index ignores it
        text = f"“{node.text}” (or forms of it)"
    return f"{text} in the title" if node.field == "title" else text


def describe(params: SearchParams) -> str:
    """One sentence describing the whole search, filters included."""
    parts: list[str] = []
    try:
        tree = _tree(params.q)
    except QueryError:
        tree = None
    if tree is None:
        words = describe_query(params.q)
        parts.append("Items mentioning " + _join(words, "and") if words else "All items")
        ignored: list[str] = []
    else:
        top = _top(tree)
        fields = [n for n in top if isinstance(n, (Word, Phrase, Wild)) and n.field]
        words = [c for c in (_describe(n) for n in top if n not in fields) if c]
        wheres = [w for w in (_where(n) for n in fields) if w]
        head = "Items " + " and ".join(wheres) if wheres else "Items"
        parts.append(head + " mentioning " + _join(words, "and") if words else (head if wheres else "All items"))
        ignored = ignored_words(tree)
    if ignored:
        parts.append("ignoring the common " + ("word " if len(ignored) == 1 else "words ")
                     + _join([f"“{w}”" for w in ignored], "and"))
    for f in FACETS:
        values = params.selected(f.name)
        if values:
            # With words, a speaker filter asks what that speaker said; without, where they spoke.
            label = f.echo if words or not f.echo_browsing else f.echo_browsing
            parts.append(f"{label} " + _join([f.echo_value(v) for v in values], "or"))
    if params.date_from and params.date_to:
        parts.append(f"from {params.date_from:%-d %B %Y} to {params.date_to:%-d %B %Y}")
    elif params.date_from:
        parts.append(f"on or after {params.date_from:%-d %B %Y}")
    elif params.date_to:
        parts.append(f"on or before {params.date_to:%-d %B %Y}")
    if not params.include_procedural:
        parts.append("leaving out procedural items")
    order = {s.name: s.echo for s in SORTS}
    return ", ".join(parts) + f"; {order.get(params.sort, params.sort)}."


def _join(values: list[str], word: str) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {word} " + values[-1]
