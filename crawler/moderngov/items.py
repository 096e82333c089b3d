"""Agenda items: the labelled blocks of an item (meeting page row or ``mgAi.aspx``) and the item page.

An item's content is a run of sibling blocks: a title (``p.mgAiTitleTxt``), an
unlabelled ``div.mgWordPara`` (the agenda text), then ``p.mgSubItemTitleTxt`` labels
each followed by its content ("Minutes:", "Decision:", "Additional documents:" …).
Labels vary by council and by item, so they are matched case-insensitively without
the colon, and both the meeting page and ``mgAi.aspx`` use the same reader.

Long text is cut on the meeting page with ``... view the full minutes text for item
59.`` linking to ``mgAi.aspx?ID=``; the reader drops that tail and returns the link,
and :func:`merge_full_text` puts the full text from the item page back.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field

from bs4.element import Tag

from crawler.moderngov.dates import parse_date
from crawler.moderngov.documents import dedupe, document_from_link
from crawler.moderngov.pages import ItemPage
from crawler.moderngov.soup import modgov_root, require, tags
from crawler.moderngov.text import label_key, link_text, paragraphs, text_of
from crawler.urls import absolute, canonical, query_param
from searchsvc.errors import ParseError
from searchsvc.records import DOC_REPORT, Document, Item

log = logging.getLogger(__name__)

__all__ = ["ItemContent", "merge_full_text", "parse_item_page", "read_item_content"]

MINUTES_LABELS = frozenset({"minutes", "minute"})
DECISION_LABELS = frozenset({"decision", "decisions", "resolved", "resolution", "resolutions",
                             # decision pages (ie/mgDecisionDetails.aspx) add the reasons given
                             "reasons for the decision", "reason for the decision", "reasons for decision",
                             "alternative options considered", "alternative options considered and rejected"})
DOCUMENT_LABELS = frozenset(
    {"additional documents", "supporting documents", "documents", "attachments",
     "background papers", "accompanying documents"}
)
AGENDA_LABELS = frozenset({"purpose", "agenda", "item text", "details", "description"})

_TRUNCATION_LINK = re.compile(r"^\s*view the full\b", re.I)
_ELLIPSIS_TAIL = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(\d+[A-Za-z]?\.|\d+[A-Za-z]?\s*[.)]|\d+[a-z])\s+(?=\S)")
_ITEM_IN_LINK = re.compile(r"\(\s*Item\s+([^)]+?)\s*\)\s*$", re.I)


@dataclass
class ItemContent:
    """What :func:`read_item_content` found in one item's blocks (mutable while reading)."""

    title: str = ""
    title_document: Document | None = None
    agenda: list[str] = field(default_factory=list)
    minutes: list[str] = field(default_factory=list)
    decision: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    full_text_url: str = ""

    @property
    def agenda_text(self) -> str:
        return "\n\n".join(self.agenda)

    def all_documents(self) -> tuple[Document, ...]:
        first = [self.title_document] if self.title_document else []
        return dedupe(first + self.documents)


def _untruncate(block: Tag, base_url: str) -> tuple[tuple[str, ...], str]:
    """Paragraphs of ``block`` without the "... view the full … text" tail, and that link."""
    paras = paragraphs(block)
    link = next(
        (a for a in tags(block, "a")  # find_all("a", href=True)
         if a.get("href") is not None and "mgai.aspx" in a["href"].lower() and _TRUNCATION_LINK.match(link_text(a))),
        None,
    )
    if link is None or not paras:
        return paras, ""
    tail = link_text(link)
    last = paras[-1]
    if last.endswith(tail):
        last = _ELLIPSIS_TAIL.sub("", last[: -len(tail)]).rstrip()
    else:
        log.warning("truncation link %r is not at the end of its block", tail)
    kept = paras[:-1] + ((last,) if last else ())
    return kept, absolute(base_url, link["href"])


def read_item_content(container: Tag, base_url: str, *, unlabelled: str = "agenda") -> ItemContent:
    """Read the labelled blocks under ``container`` (an item's table cell or ``div.mgContent``).

    Recorded-vote tables, issue-history action lists and the stray "View Recorded
    Vote" ``li`` are skipped; unknown labels are logged and their text ignored. Text
    before any label is the agenda text on item pages; decision pages, whose text often
    has no "Decision:" label, pass ``unlabelled="decision"``.
    """
    content = ItemContent()
    label: str | None = None

    def take_text(block: Tag) -> None:
        paras, full = _untruncate(block, base_url)
        if full:
            content.full_text_url = content.full_text_url or full
        if label is None and unlabelled == "decision":
            content.decision.extend(paras)
        elif label is None or label in AGENDA_LABELS:
            content.agenda.extend(paras)
        elif label in MINUTES_LABELS:
            content.minutes.extend(paras)
        elif label in DECISION_LABELS:
            content.decision.extend(paras)
        else:
            log.debug("ignoring text under unknown item label %r", label)

    stack = [iter(container.children)]  # document order without recursion (deeply nested pages)
    while stack:
        for child in stack[-1]:
            if not isinstance(child, Tag):
                continue
            classes = set(child.get("class") or ())
            if "mgSubItemTitleTxt" in classes or "mgSubSubTitleTxt" in classes:  # decision pages: h3
                label = label_key(text_of(child))
            elif "mgAiTitleTxt" in classes:
                if not content.title:
                    a = child.find("a", class_="mgAiTitleLnk", href=True)  # a.mgAiTitleLnk[href]
                    content.title = link_text(a) if a is not None else text_of(child)
                    if a is not None:
                        content.title_document = document_from_link(a, base_url, DOC_REPORT)
            elif "mgWordPara" in classes:
                take_text(child)
            elif child.name in ("ul", "ol") and "mgBulletList" in classes:
                if label is not None and label not in DOCUMENT_LABELS:
                    log.debug("document list under label %r", label)
                for a in child.find_all("a", href=True):
                    doc = document_from_link(a, base_url)
                    if doc is not None:
                        content.documents.append(doc)
            elif child.name in ("table", "li", "script", "style") or "mgActionList" in classes:
                continue  # recorded votes, "View Recorded Vote", issue history links
            else:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()
    return content


def parse_item_page(html: str | bytes, url: str) -> ItemPage:
    """Parse ``mgAi.aspx?ID=<AIId>``: title (h2 without its number), meeting link, blocks."""
    _, root = modgov_root(html, url)
    h2 = require(root, "h2.mgSubTitleTxt", url, "item title heading")
    body = root.select_one("div.mgContent") or root
    item_id = query_param(url, "ID", "AIId", "AIID")
    if not item_id:
        raise ParseError("item page URL has no ID parameter (mgAi.aspx?ID=)", url)

    meeting_link = body.select_one('a[href*="ieListDocuments.aspx" i]')
    meeting_url = meeting_id = committee_id = committee_name = number = ""
    meeting_date = None
    if meeting_link is not None:
        meeting_url = absolute(url, meeting_link["href"])
        meeting_id = query_param(meeting_url, "MId", "MID", "MeetingId")
        committee_id = query_param(meeting_url, "CId", "CommitteeId")
        text = link_text(meeting_link)  # "15/01/2026 - Committee Name (Item 54.)"
        meeting_date = parse_date(text)
        m = _ITEM_IN_LINK.search(text)
        if m:
            number = m.group(1)
            text = text[: m.start()].rstrip()
        committee_name = text.split(" - ", 1)[1].strip() if " - " in text else ""

    heading = text_of(h2)
    numbered = re.match(rf"{re.escape(number.rstrip('.'))}\.?\s+(?=\S)", heading) if number else None
    if numbered:  # "41.    Title" or "41    Title" when the meeting link says "(Item 41.)"
        title = heading[numbered.end():].strip()
    else:
        m = _LEADING_NUMBER.match(heading)
        number = number or (m.group(1).strip() if m else "")
        title = heading[m.end():].strip() if m else heading

    content = read_item_content(body, url)
    return ItemPage(
        item_id=item_id,
        url=canonical(url),
        meeting_id=meeting_id,
        committee_id=committee_id,
        committee_name=committee_name,
        meeting_url=meeting_url,
        meeting_date=meeting_date,
        number=number,
        title=title or content.title,
        agenda_text=content.agenda_text,
        minutes_paragraphs=tuple(content.minutes),
        decision_paragraphs=tuple(content.decision),
        documents=content.all_documents(),
    )


def merge_full_text(item: Item, page: ItemPage) -> Item:
    """``item`` with its truncated text replaced by the full text of its ``mgAi.aspx`` page.

    Each of agenda, minutes and decision is taken from the page when the page has it
    (the page is never shorter than the cut text); documents are the union. The
    ``full_text_url`` stays so the catalog knows where the text came from. Raises
    ValueError when the page is for another item.
    """
    if page.item_id and item.item_id != page.item_id and not item.item_id.startswith(f"{item.meeting_id}-"):
        raise ValueError(f"item page {page.item_id} does not belong to item {item.item_id}")
    return dataclasses.replace(
        item,
        title=item.title or page.title,
        number=item.number or page.number,
        agenda_text=page.agenda_text or item.agenda_text,
        minutes_paragraphs=page.minutes_paragraphs or item.minutes_paragraphs,
        decision_paragraphs=page.decision_paragraphs or item.decision_paragraphs,
        documents=dedupe(item.documents + page.documents),
    )
