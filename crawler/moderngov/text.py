"""Text out of ModernGov markup: one normalised string per visual paragraph.

ModernGov rich text is pasted from Word (``div.WordSection1 > p.MsoNormal``), so the
source is full of hard-wrapped lines, ``&nbsp;`` spacer paragraphs, list numbers
typed into spans and screen-reader-only suffixes. Enrichment attributes speakers
per paragraph and the web app deep-links to ``#p3``, so the unit must be the
paragraph the reader sees: :func:`paragraphs` is the one place that decides what
that is, for the HTML pages and for the web service's escaped HTML alike.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

log = logging.getLogger(__name__)

__all__ = [
    "BLOCK_TAGS",
    "clean",
    "fragment_paragraphs",
    "is_noise",
    "label_key",
    "link_text",
    "paragraphs",
    "text_of",
    "unescape",
]

# Elements that start a new visual paragraph. Containers (div, ul, table…) only
# end the paragraph before them; leaves (p, li, h1-h6…) are paragraphs themselves.
BLOCK_TAGS = frozenset(
    "address article aside blockquote caption dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot "
    "ul".split()
)
# Never text: scripts, styles, and the ModernGov noise appended to links.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "select"})
_NOISE_CLASSES = frozenset({"mgFileSize", "mgHide"})
_CELL_TAGS = ("td", "th")

_BREAK = "\u2028"  # stands for <br> while a paragraph is collected
_SPACES = re.compile(r"[\s\u00a0\u200b\u2007\u202f\ufeff]+")
# Only complete references ("&#39;", "&amp;"): html.unescape alone would also read
# the legacy semicolon-less forms and turn "Smith&notes" into "Smith¬es".
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_DOUBLE_BREAK = re.compile(rf"{_BREAK}[^\S{_BREAK}]*{_BREAK}")


def clean(text: str | None) -> str:
    """Turn nbsp and friends into spaces, collapse whitespace runs, strip.

    It does not unescape: BeautifulSoup has already decoded the entities of HTML
    text, and unescaping decoded text again would corrupt it (``&not`` and
    ``&para`` are entities even without a semicolon: "Smith&notes"). Text known to
    be escaped twice goes through :func:`unescape` instead.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", text).strip()


def unescape(text: str | None) -> str:
    """:func:`clean` of text that still holds entities after one decoding.

    The web service escapes titles twice (``&amp;#39;`` is ``&#39;`` after XML
    decoding, ``'`` after this).
    """
    return clean(_ENTITY.sub(lambda m: html.unescape(m.group(0)), text or ""))


def is_noise(tag: Tag) -> bool:
    """True for elements whose text must never reach a record (mgFileSize, mgHide, scripts)."""
    if tag.name in _SKIP_TAGS:
        return True
    classes = tag.get("class") or ()
    return any(c in _NOISE_CLASSES for c in classes)


def _strings(tag: Tag) -> Iterable[str]:
    """The text nodes under ``tag`` in document order, noise and comments skipped, <br> as a break.

    Iterative (a stack of child iterators), like every walk here: a page nested thousands of
    elements deep must not exhaust Python's recursion limit.
    """
    stack = [iter(tag.children)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, Tag):
                if is_noise(child):
                    continue
                if child.name == "br":
                    yield _BREAK
                    continue
                stack.append(iter(child.children))
                break
            if type(child) is NavigableString:  # not Comment, Doctype, CData…
                yield str(child)
        else:
            stack.pop()


def text_of(tag: Tag | None) -> str:
    """All the text of ``tag`` flattened into one normalised line (noise stripped)."""
    if tag is None:
        return ""
    return clean("".join(_strings(tag)).replace(_BREAK, " "))


def link_text(a: Tag | None) -> str:
    """The visible name of a link: text without ``span.mgFileSize``/``span.mgHide``."""
    return text_of(a)


def label_key(text: str) -> str:
    """A block label as a lookup key: "Additional documents: " → "additional documents"."""
    return clean(text).rstrip(":").strip().lower()


def paragraphs(tag: Tag | None) -> tuple[str, ...]:
    """The text of each block-level element under ``tag``, in document order.

    ``p``/``li``/``h1``–``h6`` (and any other block) give one entry each; a table row
    gives ``"cell | cell"`` (empty cells dropped); text directly inside a container
    becomes its own paragraph; a double ``<br>`` splits a paragraph, a single one is
    a space. Every entry is normalised and empty ones (the ``&nbsp;`` spacers) are
    dropped. Word list numbers typed into spans are ordinary text and are kept
    ("1. That …").
    """
    if tag is None:
        return ()
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            for part in _DOUBLE_BREAK.split("".join(buffer)):
                text = clean(part.replace(_BREAK, " "))
                if text:
                    out.append(text)
            buffer.clear()

    def walk(node: Tag) -> None:
        stack = [(iter(node.children), False)]  # (children left, is a block: flush when done)
        while stack:
            children, block = stack[-1]
            for child in children:
                if isinstance(child, Tag):
                    if is_noise(child):
                        continue
                    name = child.name
                    if name == "br":
                        buffer.append(_BREAK)
                    elif name == "tr":
                        flush()
                        row = _row_text(child)
                        if row:
                            out.append(row)
                    elif name in BLOCK_TAGS:
                        flush()
                        stack.append((iter(child.children), True))
                        break
                    else:
                        stack.append((iter(child.children), False))
                        break
                elif type(child) is NavigableString:
                    buffer.append(str(child))
            else:
                stack.pop()
                if block:
                    flush()

    if tag.name == "tr":
        row = _row_text(tag)
        return (row,) if row else ()
    walk(tag)
    flush()
    return tuple(out)


def _row_text(tr: Tag) -> str:
    cells = [text_of(cell) for cell in tr.children if cell.name in _CELL_TAGS]  # find_all(_CELL_TAGS, recursive=False)
    return " | ".join(c for c in cells if c)


def fragment_paragraphs(markup: str) -> tuple[str, ...]:
    """:func:`paragraphs` of an HTML fragment given as a string (web-service rich text)."""
    if not markup or not markup.strip():
        return ()
    soup = BeautifulSoup(markup, "html.parser")
    return paragraphs(soup)
