"""Minutes understanding: passages, speakers, topics, procedural flags and declarations.

Everything here is a pure function of an :class:`~searchsvc.records.Item` and
its context (the meeting's people, the topic taxonomy), so ``searchsvc reparse``
can re-enrich the whole archive without fetching anything and tests need no
fixtures beyond text. The only I/O is :func:`load_taxonomy`, at the edge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from searchsvc.enrich.names import Directory
from searchsvc.enrich.passages import split_passages
from searchsvc.enrich.procedural import declarations, is_procedural
from searchsvc.enrich.speakers import Mention, attribute, find_speakers
from searchsvc.enrich.topics import Taxonomy, assign_topics, load_taxonomy, parse_taxonomy
from searchsvc.records import Item, Member, Passage

__all__ = [
    "Mention",
    "Taxonomy",
    "assign_topics",
    "attribute",
    "declarations",
    "enrich_item",
    "find_speakers",
    "is_procedural",
    "load_taxonomy",
    "parse_taxonomy",
    "split_passages",
]


def enrich_item(item: Item, people: Sequence[Member], taxonomy: Taxonomy,
                chair: str | None = None) -> Item:
    """``item`` with passages (speakers attributed), topics, procedural flag and declarations.

    Procedural items get no topics: they would swell every topic's facet count.

    ``people`` is the meeting's attendance plus the committee's membership (names
    resolve to their fullest known form); ``chair`` names who chaired, when known.
    """
    passages = attribute(split_passages(item.minutes_paragraphs, item.decision_paragraphs),
                         people, chair)
    if item.minutes_pages:
        passages = with_pages(passages, item.minutes_paragraphs, item.minutes_pages)
    text = (item.agenda_text, *item.minutes_paragraphs, *item.decision_paragraphs)
    directory = Directory(people, chair, [s for p in passages for s in p.speakers])
    found = tuple(
        dataclasses.replace(d, member=_resolve_member(d.member, directory))
        for d in declarations(item.title, item.minutes_paragraphs)
    )
    procedural = is_procedural(item.title, item.minutes_paragraphs)
    return dataclasses.replace(
        item,
        passages=passages,
        # "Petitions: none were submitted" is not about democracy in any useful sense.
        topics=() if procedural else assign_topics(item.title, text, taxonomy),
        procedural=procedural,
        declarations=found,
    )


def with_pages(passages: tuple[Passage, ...], paragraphs: Sequence[str], pages: Sequence[int]
               ) -> tuple[Passage, ...]:
    """Passages with the printed-minutes page they start on: the page of the first paragraph
    that begins the passage (passages join paragraphs, never split them)."""
    starts = [(" ".join(t.split()), page) for t, page in zip(paragraphs, pages)]
    out = []
    for p in passages:
        text = " ".join(p.text.split())
        page = next((pg for t, pg in starts if t and text.startswith(t)), 0) if p.section == "minutes" else 0
        out.append(dataclasses.replace(p, page=page) if page else p)
    return tuple(out)


def _resolve_member(written: str, directory: Directory) -> str:
    if written.lower().startswith("the "):
        return directory.role(written)
    return directory.person_or_written(written)
