"""Mark, on an item page opened from a search, the words that were searched for.

Why a rough matcher here rather than the index's analyzer: the page shows the
catalog's text, not the index's tokens, and a reader only needs their words
found on the page ("foster" marks "fostering"); a stray mark costs little,
and the exact passages the index matched are the snippets on the results page.
Words inside ``speaker:``, ``committee:`` and ``topic:`` filters, excluded
words (``-word``, ``NOT word``) and operators are not marked. Everything
returned is escaped text plus ``<strong class="speaker-mention">`` and ``<mark>``.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from searchsvc.facets import FACET_NAMES

OPERATORS = {"and", "or", "not", "to"}
STOP = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "of", "on",
        "or", "that", "the", "this", "to", "was", "were", "will", "with"}
SUFFIXES = ("ing", "ed", "es", "s")
ENDINGS = r"(?:s|es|d|ed|ing)?"
_TOKEN = re.compile(r'(-?)(?:(\w+):)?("([^"]*)"|[^\s"()]+)')


def query_words(q: str) -> tuple[str, ...]:
    """The words of ``q`` a reader would expect marked, as lowercase stems (``libr*`` stays ``libr*``)."""
    words: list[str] = []
    negate_next = False
    for m in _TOKEN.finditer(q or ""):
        minus, fieldname, whole, phrase = m.groups()
        if fieldname and fieldname.lower() in FACET_NAMES:
            continue
        text = phrase if phrase is not None else whole
        if phrase is None and text.lower() in OPERATORS:
            negate_next = text == "NOT"
            continue
        if minus or negate_next:
            negate_next = False
            continue
        prefix = phrase is None and text.endswith("*")
        for word in re.findall(r"\w+", text.replace("*", "")):
            word = word.lower()
            if len(word) < 2 or word in STOP:
                continue
            words.append(word + "*" if prefix else _stem(word))
    return tuple(dict.fromkeys(words))


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def mark(text: str, speakers: tuple[str, ...] = (), words: tuple[str, ...] = ()) -> Markup:
    """Escaped ``text`` with speaker phrases in ``<strong class="speaker-mention">`` and ``words`` in ``<mark>``."""
    phrases = sorted({p for p in speakers if p and p.strip()}, key=len, reverse=True)
    parts = []
    if phrases:
        parts.append("(?P<speaker>" + "|".join(re.escape(p) for p in phrases) + ")")
    if words:
        # A word marks its inflections (foster: fosters, fostered, fostering), not every longer word
        # ("care" is not "carers"); ``libr*`` marks any word starting "libr".
        forms = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) + ENDINGS for w in words]
        parts.append(r"(?P<word>\b(?i:" + "|".join(forms) + r")\b)")
    if not parts:
        return Markup(escape(text))
    pattern = re.compile("|".join(parts))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        tag = ('<strong class="speaker-mention">', "</strong>") if m.lastgroup == "speaker" else ("<mark>", "</mark>")
        out.append(f"{tag[0]}{escape(m.group(0))}{tag[1]}")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))

