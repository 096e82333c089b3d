"""Minutes and decision paragraphs as numbered passages, the unit of attribution and deep links.

Anchors ("p1", "p2", …) are the fragment ids search results link to, so they
must be stable: they depend only on the item's own paragraphs, minutes first,
then the decision. A bare "RESOLVED that:" heading says nothing by itself, and
the numbered resolutions after it mean nothing without it, so they become one
passage: a search hit on "be approved" then shows the whole resolution.

Two things that look like paragraphs are not passages. ModernGov pages often print
the resolution twice, at the end of the "Minutes:" text and again under
"Decision:"; the repeat is one passage (the decision's), so a result never shows
the same resolution twice. And webcast players leave lines such as "Audio
recording – 1 minute 46 seconds" in the minutes: a duration, not something said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from searchsvc.records import Passage

__all__ = ["is_media_line", "is_resolution_header", "split_passages"]

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


# "Audio recording – 1 minute 46 seconds", "Video recording: 12 minutes", "Webcast - 1 hour 2 minutes",
# "Play audio (2:31)".
_DURATION = r"(?:\d+\s*(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b[\s,]*(?:and\s+)?)+"
_MEDIA = re.compile(
    r"(?:(?:audio|video|webcast)(?:\s+(?:recording|clip|file))?|recording|play(?:\s+(?:audio|video))?)"
    rf"\s*(?:[-–—:(]\s*)?(?:{_DURATION}|\d{{1,2}}:\d{{2}}(?::\d{{2}})?)\)?\.?",
    re.IGNORECASE,
)
# What two copies of a resolution may differ by: spacing, case, punctuation, list-number style.
_NOT_WORD = re.compile(r"[\W_]+")
_MIN_CONTAINED = 40  # shorter texts ("Noted.") are only repeats when they are equal


def is_media_line(text: str) -> bool:
    """True for a webcast player's caption ("Audio recording – 1 minute 46 seconds")."""
    return bool(_MEDIA.fullmatch(" ".join(text.split())))


def _key(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _repeats(text: str, others: list[str]) -> bool:
    """True when ``text`` says nothing that one of ``others`` does not already say."""
    key = _key(text)
    return any(key == other or (len(key) >= _MIN_CONTAINED and key in other) for other in others)


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
    unnumbered paragraph ends the merge. Webcast duration lines are dropped; a minutes
    passage that the decision repeats is dropped in favour of the decision's copy, and a
    decision passage wholly inside a longer minutes passage is dropped too.
    """
    minutes = [t for t in _merge(minutes_paragraphs) if not is_media_line(t)]
    decision = [t for t in _merge(decision_paragraphs) if not is_media_line(t)]
    decision_keys = [_key(t) for t in decision]
    minutes = [t for t in minutes if not _repeats(t, decision_keys)]
    minutes_keys = [_key(t) for t in minutes]
    decision = [t for t in decision if not _repeats(t, minutes_keys)]
    passages: list[Passage] = []
    for section, texts in (("minutes", minutes), ("decision", decision)):
        for text in texts:
            passages.append(Passage(anchor=f"p{len(passages) + 1}", text=text, section=section))
    return tuple(passages)
