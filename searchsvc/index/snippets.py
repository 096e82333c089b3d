"""Snippets: the passages of a hit that best match the query, with ``<mark>`` highlights.

Why not Whoosh's highlighter: it works on one stored text field, while a result
here shows *passages* (each with its anchor and speakers), and a
speaker-restricted word may only be highlighted in that speaker's passages.
The matching rules mirror the index exactly — words by stem, phrases by exact
lowercase words in order (within the slop), wildcards on whole words — using
the same tokenizer pattern and analyzers as :mod:`searchsvc.index.schema`.

The HTML is the escaped passage text with only ``<mark>`` tags added, so a
template can output it unescaped safely.
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from searchsvc.index.plan import Compiled
from searchsvc.index.query import Phrase, Wild, Word, exact_words, stems
from searchsvc.index.schema import WORD_PATTERN

MAX_SNIPPETS = 3
MAX_CHARS = 300
_LEAD = 90  # characters of context shown before the first highlight


@dataclass(frozen=True)
class Snippet:
    html: str  # escaped text with <mark>…</mark> around matches
    text: str  # the same fragment as plain text
    anchor: str  # passage anchor ("p3"), "" for the agenda text
    speakers: tuple[str, ...] = ()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    got = stems(word)
    return got[0] if got else ""


@dataclass(frozen=True)
class _Rule:
    kind: str  # "word" | "phrase" | "wild"
    data: object
    names: frozenset | None  # speaker names the rule is restricted to, None: anyone
    needles: tuple[str, ...] = ()  # lowercase substrings a matching passage must contain


class Highlighter:
    """Finds and marks the query's matches in passages."""

    def __init__(self, compiled: Compiled | None):
        self.rules: list[_Rule] = []
        if compiled is None:
            return
        for leaf, restrict in compiled.leaves:
            names = frozenset().union(*restrict) if restrict else None
            if isinstance(leaf, Word):
                st = frozenset(stems(leaf.text))
                if st:
                    # A stem minus its last letter is a prefix of every word having it
                    # ("happi" ← "happy"), so passages without it can be skipped cheaply.
                    self.rules.append(_Rule("word", st, names, tuple(s[:-1] or s for s in st)))
            elif isinstance(leaf, Phrase):
                words = tuple(exact_words(leaf.text))
                if words:
                    self.rules.append(_Rule("phrase", (words, leaf.slop), names, (words[0],)))
            elif isinstance(leaf, Wild):
                rx = re.compile(fnmatch.translate(leaf.text.lower()))
                self.rules.append(_Rule("wild", rx, names, (leaf.text.lower().split("*")[0],)))

    def _marks(self, text: str, speakers: tuple[str, ...]) -> tuple[list[tuple[int, int]], int]:
        """(char spans of matched words, number of distinct rules matched)."""
        lower = text.lower()
        rules = [r for r in self.rules if (r.names is None or not r.names.isdisjoint(speakers))
                 and any(n in lower for n in r.needles)]
        if not rules:
            return [], 0
        toks = [(m.start(), m.end(), m.group(0).lower()) for m in WORD_PATTERN.finditer(text)]
        marked: set[int] = set()
        matched_rules = 0
        for rule in rules:
            hit: set[int] = set()
            if rule.kind == "word":
                hit = {i for i, t in enumerate(toks) if _stem(t[2]) in rule.data}  # type: ignore[operator]
            elif rule.kind == "wild":
                hit = {i for i, t in enumerate(toks) if rule.data.match(t[2])}  # type: ignore[union-attr]
            else:
                words, slop = rule.data  # type: ignore[misc]
                hit = _phrase_hits([t[2] for t in toks], words, slop)
            if hit:
                matched_rules += 1
                marked |= hit
        return [(toks[i][0], toks[i][1]) for i in sorted(marked)], matched_rules

    def snippets(self, passages_json: str, limit: int = MAX_SNIPPETS) -> tuple[Snippet, ...]:
        try:
            passages = json.loads(passages_json or "[]")
        except ValueError:
            return ()
        scored = []
        for order, (anchor, text, speakers) in enumerate(passages):
            if not self.rules:
                break
            spans, nrules = self._marks(text, tuple(speakers))
            if spans:
                scored.append((-nrules, -len(spans), order, anchor, text, tuple(speakers), spans))
        scored.sort(key=lambda x: x[:3])
        if not scored and passages:
            anchor, text, speakers = passages[0]
            return (_fragment(text, [], anchor, tuple(speakers)),)
        return tuple(_fragment(text, spans, anchor, sp) for *_, anchor, text, sp, spans in scored[:limit])


def _phrase_hits(tokens: list[str], words: tuple[str, ...], slop: int) -> set[int]:
    """Token indexes of each occurrence of the phrase (gaps ≤ slop between words)."""
    out: set[int] = set()
    for i, t in enumerate(tokens):
        if t != words[0]:
            continue
        chain = [i]
        for w in words[1:]:
            last = chain[-1]
            nxt = next((j for j in range(last + 1, min(len(tokens), last + slop + 1)) if tokens[j] == w), None)
            if nxt is None:
                break
            chain.append(nxt)
        if len(chain) == len(words):
            out.update(chain)
    return out


def _fragment(text: str, spans: list[tuple[int, int]], anchor: str, speakers: tuple[str, ...]) -> Snippet:
    """A window of at most MAX_CHARS around the first match, with marks merged across spaces."""
    start, end = 0, len(text)
    if len(text) > MAX_CHARS:
        first = spans[0][0] if spans else 0
        start = max(0, first - _LEAD)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + MAX_CHARS)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    merged: list[list[int]] = []
    for s, e in spans:
        if s < start or e > end:
            continue
        if merged and not text[merged[-1][1] : s].strip():
            merged[-1][1] = e
        else:
            merged.append([s, e])
    parts, pos = [], start
    for s, e in merged:
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append(f"<mark>{html.escape(text[s:e], quote=False)}</mark>")
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    pre, post = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    return Snippet(pre + "".join(parts) + post, pre + text[start:end] + post, anchor, speakers)
