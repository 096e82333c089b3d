"""Minutes and decision paragraphs as numbered passages, the unit of attribution and deep links.

Anchors ("p1", "p2", …) are the fragment ids search results link to, so they
must be stable: they depend only on the item's own paragraphs, minutes first,
then the decision. A bare "RESOLVED that:" heading says nothing by itself, and
the numbered resolutions after it mean nothing without it, so they become one
passage: a search hit on "be approved" then shows the whole resolution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from searchsvc.records import Passage

__all__ = ["is_resolution_header", "split_passages"]

# "RESOLVED:", "RESOLVED that:", "It was RESOLVED that:", "Resolved –", "AGREED:" …
_HEADER = re.compile(
    r"(?:it\s+was\s+)?(?:unanimously\s+|further\s+)?(?:resolved|agreed|recommended|decided)"
    r"(?:\s+(?:unanimously|that|to|as\s+follows))*(?:\s+the\s+(?:committee|panel|board|council)"
    r"(?:\s+(?:would|will|should))?)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# "1.", "(2)", "3)", "a)", "(iv)", "i." and Word bullets at the start of a paragraph.
_NUMBERED = re.compile(r"(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,5})[.)]|[•·▪\-–])\s", re.IGNORECASE)

# Vote tallies printed between numbered resolutions ("Voting: unanimous") stay with them.
_VOTE = re.compile(r"(?:\(?(?:voting|vote|votes|carried|lost|for|against|abstentions?)\b)"
                   r"[^\n]{0,60}$", re.IGNORECASE)


def is_resolution_header(text: str) -> bool:
    """True for a paragraph that only introduces resolutions ("It was RESOLVED that:")."""
    text = text.strip()
    if not text or len(text) > 80 or not _HEADER.fullmatch(text):
        return False
    return "resolv" in text.lower() or text[-1] in ":-–—"


def _merge(paragraphs: Iterable[str]) -> list[str]:
    out: list[str] = []
    open_header = False
    for para in paragraphs:
        text = (para or "").strip()
        if not text:
            continue
        if open_header and (_NUMBERED.match(text) or _VOTE.match(text)):
            out[-1] = f"{out[-1]}\n{text}"
            continue
        out.append(text)
        open_header = is_resolution_header(text)
    return out


def split_passages(minutes_paragraphs: Iterable[str],
                   decision_paragraphs: Iterable[str] = ()) -> tuple[Passage, ...]:
    """One :class:`Passage` per non-empty paragraph, anchors p1… across both sections.

    A resolution header absorbs the numbered paragraphs that follow it; the first
    unnumbered paragraph ends the merge.
    """
    passages: list[Passage] = []
    for section, paragraphs in (("minutes", minutes_paragraphs), ("decision", decision_paragraphs)):
        for text in _merge(paragraphs):
            passages.append(Passage(anchor=f"p{len(passages) + 1}", text=text, section=section))
    return tuple(passages)
