"""The search echoed back in plain words: "Items mentioning “foster”, spoken by Reed, …".

Why: query syntax (phrases, ``-word``, ``speaker:``) is easy to get subtly wrong, and
a journalist should be able to read back what was actually searched for before
trusting a count. This is a best-effort reading of the Whoosh syntax the index
accepts; anything it does not recognise is quoted as typed, never guessed at.
The result is a list of plain strings: templates escape them like any other text.
"""

from __future__ import annotations

import re

from searchsvc.index.schema import STOP_WORDS
from searchsvc.web.params import SearchParams

_TOKEN = re.compile(r'\s*(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):)?(?P<body>"[^"]*"(?:~\d+)?|\(|\)|[^\s()]+)')
_FIELDS = {"speaker": "spoken by", "committee": "in committee", "topic": "on the topic",
           "title": "with the title containing", "source": "from the council", "year": "in the year"}


def describe_query(q: str) -> list[str]:
    """Clauses describing the words of ``q`` (empty list for an empty query)."""
    if not q.strip():
        return []
    if "(" in q or ")" in q:
        return [f"matching the expression “{q.strip()}”"]
    clauses: list[str] = []
    pending_not = False
    pending_or = False
    pos = 0
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        neg, field, body = m.group("neg"), m.group("field"), m.group("body")
        if body in ("AND",) and not field and not neg:
            continue
        if body == "NOT" and not field and not neg:
            pending_not = True
            continue
        if body == "OR" and not field and not neg and clauses:
            pending_or = True
            continue
        if not field and not neg and body.lower() in STOP_WORDS:
            # The index drops common words ("the", "of"): saying they are required would mislead.
            clauses.append(_IGNORED + body)
            pending_not = pending_or = False
            continue
        clause = _clause(field, body)
        if neg or pending_not:
            clause = "not " + clause
        if pending_or and clauses:
            clauses[-1] = f"{clauses[-1]} or {clause}"
        else:
            clauses.append(clause)
        pending_not = pending_or = False
    return clauses


def _clause(field: str | None, body: str) -> str:
    if body.startswith('"'):
        phrase, _, near = body[1:].partition('"')
        if near.startswith("~"):
            text = f"the words “{phrase}” within {near[1:]} words of each other"
        else:
            text = f"the exact phrase “{phrase}”"
    elif body.endswith("*") and len(body) > 1:
        text = f"words starting “{body[:-1]}”"
    else:
        text = f"“{body}” (or forms of it)"
    if field:
        label = _FIELDS.get(field.lower())
        if label is None:
            return f"“{field}:{body}”"
        if body.startswith('"') or field.lower() != "title":
            value = body.strip('"')
            if field.lower() == "speaker":
                return f"in a passage spoken by “{value}”"
            return f"{label} “{value}”"
        return f"{label} {text}"
    return text


_IGNORED = "\x00ignored:"
_FIELD_CLAUSES = tuple(f"{label} " for label in _FIELDS.values()) + ("in a passage spoken by ",)


def describe(params: SearchParams) -> str:
    """One sentence describing the whole search, filters included."""
    parts: list[str] = []
    clauses = describe_query(params.q)
    ignored = [c.removeprefix(_IGNORED) for c in clauses if c.startswith(_IGNORED)]
    clauses = [c for c in clauses if not c.startswith(_IGNORED)]
    # "speaker:", "topic:", "title:" read as where the words are, not as words to mention.
    fields = [c for c in clauses if c.startswith(_FIELD_CLAUSES) and " or " not in c]
    words = [c for c in clauses if c not in fields]
    where = " and ".join(c.replace("in a passage spoken by", "with a passage spoken by") for c in fields)
    head = f"Items {where}" if fields else "Items"
    if words:
        parts.append(head + " mentioning " + _join(words, "and"))
    else:
        parts.append(head if fields else "All items")
    if ignored:
        parts.append("ignoring the common " + ("word " if len(ignored) == 1 else "words ")
                     + _join([f"“{w}”" for w in dict.fromkeys(ignored)], "and"))
    # With words, a speaker filter asks what that speaker said; without, where they spoke.
    spoken = "in what was said by" if words else "where a passage is spoken by"
    labels = {"committee": "in the committee", "speaker": spoken,
              "topic": "on the topic", "year": "in", "source": "from"}
    for facet, label in labels.items():
        values = params.selected(facet)
        if values:
            parts.append(f"{label} " + _join([f"“{v}”" if facet != "year" else v for v in values], "or"))
    if params.date_from and params.date_to:
        parts.append(f"from {params.date_from:%-d %B %Y} to {params.date_to:%-d %B %Y}")
    elif params.date_from:
        parts.append(f"on or after {params.date_from:%-d %B %Y}")
    elif params.date_to:
        parts.append(f"on or before {params.date_to:%-d %B %Y}")
    if not params.include_procedural:
        parts.append("leaving out procedural items")
    order = {"relevance": "best matches first", "newest": "newest first", "oldest": "oldest first"}
    return ", ".join(parts) + f"; {order.get(params.sort, params.sort)}."


def _join(values: list[str], word: str) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {word} " + values[-1]
