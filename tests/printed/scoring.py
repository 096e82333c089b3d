"""Reading printed minutes the way the crawler does, and scoring speakers against labels."""

from __future__ import annotations

import re

from crawler.printed.minutes import items_from_minutes, read_printed_minutes
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import Taxonomy
from searchsvc.jobs import people_at
from searchsvc.records import Item, Meeting, Member

TAXONOMY = Taxonomy(())


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def from_pdf(data: bytes, agenda: tuple[Item, ...] = (), *, ocr: bool = False, people: tuple[Member, ...] = ()
             ) -> tuple[list[Item], object]:
    """Items read from a PDF and enriched with the people its header names (or ``people``)."""
    printed = read_printed_minutes(data, "https://example.org/minutes.pdf", ocr=ocr)
    meeting = Meeting("t", "c", printed.header.committee, "m1", printed.header.start,
                      attendance=people or printed.header.attendance)
    everyone, chair = people_at(meeting, None)
    items = items_from_minutes(printed, meeting, agenda, "https://example.org/minutes.pdf")
    return [enrich_item(i, everyone, TAXONOMY, chair=chair) for i in items], printed


def from_html(paragraph_sets: list[tuple[str, list[str]]], people: tuple[Member, ...]) -> list[Item]:
    """The same minutes given as an HTML page would give them: paragraphs per item."""
    meeting = Meeting("t", "c", "", "m1", attendance=people)
    everyone, chair = people_at(meeting, None)
    return [enrich_item(Item("t", "m1", f"h{k}", k + 1, number=n, minutes_paragraphs=tuple(paras)), everyone,
                         TAXONOMY, chair=chair) for k, (n, paras) in enumerate(paragraph_sets)]


def score(items: list[Item], labelled: list[tuple[str, tuple[str, ...]]]) -> tuple[float, float]:
    """Speaker precision and recall over labelled paragraphs: each paragraph's predicted speakers
    are those of the passage that holds its opening words."""
    passages = [p for i in items for p in i.passages]
    tp = fp = fn = 0
    for text, truth in labelled:
        head = _key(text)[:40]
        found = next((p for p in passages if head in _key(p.text)), None)
        predicted = set(found.speakers) if found else set()
        tp += len(predicted & set(truth))
        fp += len(predicted - set(truth))
        fn += len(set(truth) - predicted)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
