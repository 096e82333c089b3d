"""What the index stores about one agenda item: :class:`ItemDoc`, built from records.

The indexer never sees a :class:`~searchsvc.records.Item` directly: :func:`item_doc`
flattens an item and its meeting into one frozen value holding exactly what
the schema indexes and stores, so the build code is a plain loop and tests can
make documents without crawling anything.

Why the text is kept in parts (agenda, passages, document texts) rather than
one string: speaker attribution is per passage (``speaker:"Reed" foster`` must
match only when a passage *spoken by Reed* mentions foster), snippets link to a
passage anchor, and phrase matching stops at paragraph boundaries. ``body`` is
the whole searchable text, paragraphs separated by a blank line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from searchsvc.facets import name_words
from searchsvc.records import Item, Meeting, Passage

__all__ = ["ItemDoc", "item_doc", "item_passages", "speaker_key", "name_words"]

_BLANK_LINES = re.compile(r"\n\s*\n")


def speaker_key(name: str) -> str:
    """A short stable key for a canonical speaker name: its passages' marker term.

    A hash (not the name) keeps marker terms short and free of letters, so no
    analyzer filter (lowercase, stop words, stemming) can alter them; 48 bits
    make a collision between two of a council's few thousand speakers
    vanishingly unlikely. Names differing only in case or punctuation share a
    key, matching the case-insensitive speaker filter.
    """
    digest = hashlib.blake2b(" ".join(name_words(name)).encode("utf-8"), digest_size=6).digest()
    return str(int.from_bytes(digest, "big"))


def _paragraph(text: str) -> str:
    """One paragraph: blank lines inside would split it for the gap tokenizer."""
    return _BLANK_LINES.sub("\n", text.strip())


@dataclass(frozen=True)
class ItemDoc:
    """Everything the index needs about one agenda item (one search result)."""

    id: str  # the item's record id, unique key of the index
    source: str
    committee: str  # committee name as printed: the facet value and filter target
    committee_id: str
    meeting_id: str  # the meeting's record id
    date: date | None  # meeting date; None when the meeting has no start
    number: str  # minute number as printed
    title: str
    agenda: str = ""  # agenda text (shown as a snippet when no passage matches)
    passages: tuple[Passage, ...] = ()  # minutes + decision paragraphs, with speakers
    documents_text: str = ""  # extracted texts of the item's documents
    speakers: tuple[str, ...] = ()  # union of the passages' speakers, first-seen order
    topics: tuple[str, ...] = ()
    procedural: bool = False
    batch: int = 0
    url: str = ""
    meeting_url: str = ""
    source_title: str = ""
    position: int = 0

    @property
    def body(self) -> str:
        """All searchable text but the title: agenda, passages, documents."""
        parts = [self.agenda, *(p.text for p in self.passages), self.documents_text]
        return "\n\n".join(p for p in parts if p)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def day(self) -> int:
        """The date as an int ``yyyymmdd`` (0 when unknown): the sortable range-filter key."""
        d = self.date
        return d.year * 10000 + d.month * 100 + d.day if d else 0


def item_passages(item: Item) -> tuple[Passage, ...]:
    """An item's passages as the index stores them and its page shows them (the one numbering).

    Enrichment's passages when there are any; an item never enriched gets one passage per
    non-empty minutes then decision paragraph, anchors ``p1``… (no speakers), so snippets
    link to the same ``#p3`` the item page has.
    """
    if item.passages:
        return tuple(p for p in item.passages if p.text.strip())
    paras = [("minutes", t) for t in item.minutes_paragraphs] + [("decision", t) for t in item.decision_paragraphs]
    return tuple(Passage(anchor=f"p{i}", text=text.strip(), section=section)
                 for i, (section, text) in enumerate((p for p in paras if p[1].strip()), start=1))


def item_doc(item: Item, meeting: Meeting, batch: int, source_title: str = "") -> ItemDoc:
    """Flatten an item and its meeting into the document the index stores.

    Passages come from enrichment; an item that was not enriched still gets
    passages (anchors ``p1``…, no speakers) made from its minutes and decision
    paragraphs, so snippets work for every item.
    """
    passages = tuple(Passage(anchor=p.anchor, text=_paragraph(p.text), speakers=p.speakers, section=p.section)
                     for p in item_passages(item))
    speakers: dict[str, None] = {}
    for p in passages:
        for s in p.speakers:
            if s.strip():
                speakers.setdefault(s.strip(), None)
    documents_text = "\n\n".join(f"{d.title}\n\n{d.text.strip()}" for d in item.documents if d.text.strip())
    return ItemDoc(
        id=item.id,
        source=item.source,
        committee=meeting.committee_name.strip(),
        committee_id=meeting.committee_id,
        meeting_id=meeting.id,
        date=meeting.date,
        number=item.number,
        title=item.title.strip(),
        agenda=item.agenda_text.strip(),
        passages=passages,
        documents_text=documents_text,
        speakers=tuple(speakers),
        topics=tuple(dict.fromkeys(t.strip() for t in item.topics if t.strip())),
        procedural=item.procedural,
        batch=batch,
        url=item.url,
        meeting_url=meeting.url,
        source_title=source_title,
        position=item.position,
    )
