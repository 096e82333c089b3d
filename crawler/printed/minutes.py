"""Printed minutes split into numbered minutes and matched to the meeting's agenda items.

A minute starts at a heading: "23. BUDGET MONITORING", "23 Budget monitoring", "Minute 23 –
Budget", a sub-number "23.1 …", or a council's own style ("04/08:01 APOLOGIES", "01/26
APOLOGIES"). A numbered paragraph that reads as a sentence ("2. That the report be noted.") is a
resolution inside a minute, not a heading. Each minute becomes the agenda item with the same
number (or, failing that, a clearly similar title); a minute the agenda does not have becomes
an item of its own, and sub-numbered minutes stay inside their parent unless the agenda lists
them. Paragraph page numbers travel with the items (``Item.minutes_pages``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from crawler.printed.header import Header, read_header
from crawler.printed.layout import Paragraph, read_paragraphs
from searchsvc.records import DOC_MINUTES, Document, Item, Meeting

__all__ = ["Minute", "PrintedMinutes", "is_minutes_document", "read_printed_minutes", "split_minutes"]

_HEADING = re.compile(
    r"(?:minute\s+(?:no\.?\s*)?)?(?P<num>\d{1,4}(?:\.\d{1,2})?|\d{2}/\d{2}(?::\d{2})?)[.:)]?\s*[-–—]?\s+(?P<title>\S.*)",
    re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"(?:minute\s+)?(\d{1,4}(?:\.\d{1,2})?)\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Minute:
    number: str  # as printed, without a trailing full stop: "23", "23.1", "04/08:01"
    title: str
    paragraphs: tuple[Paragraph, ...]
    page: int


@dataclass(frozen=True)
class PrintedMinutes:
    """What a printed-minutes PDF gave: the header, the minutes, and how it was read."""

    header: Header
    minutes: tuple[Minute, ...]
    pages: int
    scanned_pages: tuple[int, ...] = ()
    ocr_confidence: float | None = None  # mean over OCR'd paragraphs


def is_minutes_document(doc: Document) -> bool:
    """True for a meeting's minutes PDF: ModernGov's printed-minutes link, or a link whose text is
    "Printed minutes", "Minutes", "Draft minutes" (not "Minutes of the previous meeting")."""
    if doc.kind == DOC_MINUTES:
        return True
    title = " ".join(doc.title.split()).lower()
    if re.search(r"\b(?:previous|last|earlier)\b", title):
        return False
    return bool(re.match(r"(?:printed |draft |signed |approved |confirmed )?minutes\b", title))


def _heading(p: Paragraph) -> tuple[str, str] | None:
    text = p.text.strip()
    if len(text) > 160:
        return None
    m = _HEADING.fullmatch(text)
    if not m:
        return None
    title = m.group("title").strip(" -–—:")
    letters = [c for c in title if c.isalpha()]
    if not letters:
        return None
    upper = sum(c.isupper() for c in letters) / len(letters) > 0.7
    sentence = title.endswith((".", ";")) and not upper
    if sentence or re.match(r"(?:that|to|the\s+\w+\s+(?:be|was|is))\b", title, re.IGNORECASE) and not upper:
        return None
    if not (p.bold or upper or (len(title.split()) <= 12 and title[0].isupper())):
        return None
    return m.group("num"), title


def _merged_numbers(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A minute number printed on its own line before the title ("1" / "BIBLE READING") joined."""
    out: list[Paragraph] = []
    for p in paragraphs:
        if out and _NUMBER_ONLY.fullmatch(out[-1].text.strip()) and len(p.text) < 120 and p.text[:1].isupper():
            prev = out.pop()
            p = dataclasses.replace(p, text=f"{prev.text.strip()} {p.text}", page=prev.page)
        out.append(p)
    return out


def split_minutes(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Minute]]:
    """(the header's paragraphs, the numbered minutes)."""
    head: list[Paragraph] = []
    opened: list[tuple[Minute, list[Paragraph]]] = []
    for p in _merged_numbers(paragraphs):
        found = _heading(p)
        if found and not _follows(opened[-1][0].number if opened else "", found[0]):
            found = None  # "2019 Annual report" inside minute 23 is a line, not minute 2019
        if found:
            opened.append((Minute(found[0], found[1], (), p.page), []))
        else:
            (opened[-1][1] if opened else head).append(p)
    return head, [dataclasses.replace(m, paragraphs=tuple(body)) for m, body in opened]


def _follows(previous: str, number: str) -> bool:
    """Whether a minute numbered ``number`` can follow ``previous`` (numbers run on, in small steps)."""
    a, b = previous.split(".")[0], number.split(".")[0]
    if not previous:
        return not (len(b) == 4 and b.isdigit() and 1900 <= int(b) <= 2100)  # a year, not the first minute
    if not (a.isdigit() and b.isdigit()):
        return True
    return int(a) <= int(b) <= int(a) + 40


def _num(number: str) -> str:
    return number.strip().rstrip(".").lstrip("0") or "0"


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", title.lower()) if w not in ("the", "and", "for", "item")}


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5


def _fold_subminutes(minutes: list[Minute], agenda_numbers: set[str]) -> list[Minute]:
    """"23.1 …" inside minute 23 (as a heading paragraph) unless the agenda lists 23.1 itself."""
    out: list[Minute] = []
    for m in minutes:
        parent = _num(m.number).split(".")[0] if "." in m.number else None
        if parent and _num(m.number) not in agenda_numbers and out and _num(out[-1].number) == parent:
            heading = Paragraph(f"{m.number} {m.title}", m.page, True)
            out[-1] = dataclasses.replace(out[-1], paragraphs=out[-1].paragraphs + (heading,) + m.paragraphs)
        else:
            out.append(m)
    return out


def read_printed_minutes(data: bytes, url: str = "", *, ocr: bool = False) -> PrintedMinutes:
    """A printed-minutes PDF read: header, numbered minutes, pages; ParseError when unreadable."""
    paragraphs, pages = read_paragraphs(data, url, ocr=ocr)
    head, minutes = split_minutes(paragraphs)
    confs = [p.confidence for p in paragraphs if p.confidence is not None]
    return PrintedMinutes(read_header([p.text for p in head]), tuple(minutes), len(pages),
                          tuple(p.number for p in pages if p.scanned),
                          round(sum(confs) / len(confs), 1) if confs else None)


def items_from_minutes(printed: PrintedMinutes, meeting: Meeting, agenda: tuple[Item, ...], pdf_url: str
                       ) -> tuple[Item, ...]:
    """The meeting's items with minutes text from the PDF: agenda items matched by number, then by
    title; minutes the agenda lacks appended as items of their own."""
    by_number = {_num(i.number): i for i in agenda if i.number}
    minutes = _fold_subminutes(list(printed.minutes), set(by_number))
    filled: dict[str, Item] = {}
    extra: list[Item] = []
    for m in minutes:
        target = by_number.get(_num(m.number))
        if target is None or target.item_id in filled:
            target = next((i for i in agenda if i.item_id not in filled and _similar(i.title, m.title)), None)
        paras = tuple(p.text for p in m.paragraphs)
        pages = tuple(p.page for p in m.paragraphs)
        conf = printed.ocr_confidence if any(p.confidence is not None for p in m.paragraphs) else 0.0
        extra_fields = dict(minutes_paragraphs=paras, minutes_pages=pages, minutes_pdf=pdf_url,
                            ocr_confidence=conf or 0.0)
        if target is not None:
            filled[target.item_id] = dataclasses.replace(target, **extra_fields)
        else:
            position = len(agenda) + len(extra) + 1
            extra.append(Item(source=meeting.source, meeting_id=meeting.meeting_id,
                              item_id=f"{meeting.meeting_id}-pdf-{_slug(m.number)}", position=position,
                              number=m.number, title=_title(m.title), url=meeting.url, **extra_fields))
    return tuple(filled.get(i.item_id, i) for i in agenda) + tuple(extra)


def _slug(number: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", number.lower()).strip("-") or "x"


def _title(title: str) -> str:
    """"BUDGET MONITORING" → "Budget monitoring"; mixed case kept."""
    return title[:1] + title[1:].lower() if title.isupper() else title
