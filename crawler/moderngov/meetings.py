"""Meeting pages (``ieListDocuments.aspx``) and meeting lists (``ieListMeetings.aspx``).

The meeting page is where the searchable text is: each row of ``table#mgItemTable``
holding a ``td.mgItemNumberCell`` is one agenda item with its agenda text, minutes
and decision. Identity comes from the URL (``MId`` in any spelling) and the h2's
committee link; the date from the ``DC.date`` meta (the most reliable statement of
the meeting date) with the time from the h2 text.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time

from bs4 import BeautifulSoup
from bs4.element import Tag

from crawler.moderngov.dates import parse_date, parse_time, parse_when
from crawler.moderngov.documents import dedupe, document_from_link, is_document_url
from crawler.moderngov.items import read_item_content
from crawler.moderngov.pages import MeetingLink, MeetingListPage, MeetingPage
from crawler.moderngov.soup import (
    child_tags,
    contains_i,
    first,
    has_class,
    inside,
    meta_content,
    modgov_root,
    require,
    tags,
)
from crawler.moderngov.text import clean, link_text, text_of
from crawler.urls import absolute, canonical, query_param
from searchsvc.errors import ParseError
from searchsvc.records import CANCELLED, DOC_MINUTES, HELD, Item, Meeting

log = logging.getLogger(__name__)

__all__ = ["parse_meeting_list", "parse_meeting_page"]

_CANCELLED_TAIL = re.compile(r"[\s,\-–(]*\bcancell?ed\b[\s.!)]*$", re.I)
_CANCELLED = re.compile(r"\bcancell?ed\b", re.I)
_NO_DOCUMENTS = re.compile(r"no documents are available", re.I)
_VENUE_LABELS = ("venue", "proposed venue", "location", "meeting venue")
_COMMITTEE_HREF = contains_i("mgCommitteeDetails.aspx")


def _heading_parts(h2: Tag) -> tuple[str, str, bool]:
    """(committee name, date text, cancelled) from ``"<Committee> - <date>[, CANCELLED]"``."""
    text = text_of(h2)
    cancelled = bool(_CANCELLED_TAIL.search(text))
    text = _CANCELLED_TAIL.sub("", text)
    if " - " in text:
        name, when = text.rsplit(" - ", 1)
        if parse_date(when) is not None:
            return name.strip(), when.strip(), cancelled
    link = h2.find("a", title=True)
    title = clean(str(link.get("title") or "")) if link is not None else ""
    return (title.removeprefix("Link to ").strip() or text), "", cancelled


def _venue(body: Tag) -> str:
    for label in (t for t in tags(body, "span") if has_class(t, "mgLabel")):
        key = text_of(label).rstrip(": ").lower()
        if key not in _VENUE_LABELS or label.parent is None:
            continue
        value = text_of(label.parent)
        prefix = text_of(label)
        if value.startswith(prefix):
            value = value[len(prefix):].strip()
        directions = label.parent.find("a", href=re.compile(r"mgLocationDetails", re.I))
        suffix = link_text(directions) if directions is not None else ""
        if suffix and value.endswith(suffix):
            value = value[: -len(suffix)].strip()
        return value
    return ""


def _start(soup: BeautifulSoup, when_text: str, url: str) -> datetime | None:
    dc_date = parse_date(meta_content(soup, "DC.date"))
    h2_date = parse_date(when_text)
    clock = parse_time(when_text) or time(0, 0)
    if dc_date is not None:
        if h2_date is not None and h2_date != dc_date:
            log.warning("DC.date %s and heading date %s disagree; using DC.date (%s)", dc_date, h2_date, url)
        return datetime.combine(dc_date, clock)
    if h2_date is not None:
        return datetime.combine(h2_date, clock)
    return parse_when(meta_content(soup, "DC.title"))


def parse_meeting_page(html: str | bytes, url: str, *, source: str = "") -> MeetingPage:
    """Parse a meeting page into its Meeting, Items and follow-up links.

    Raises ParseError when ``div#modgov``, the ``h2.mgSubTitleTxt`` heading, the
    meeting id (URL ``MId``/``MID``/``MeetingId`` or the attendance link) or the
    committee id (h2 link ``mgCommitteeDetails.aspx?ID=`` or URL ``CId``) is missing.
    """
    soup, root = modgov_root(html, url)
    h2 = require(root, "h2.mgSubTitleTxt", url, "meeting heading")
    page_url = canonical(url)
    committee_name, when_text, cancelled = _heading_parts(h2)

    committee_link = h2.find("a", href=_COMMITTEE_HREF)
    committee_id = (query_param(committee_link["href"], "ID") if committee_link else "") or query_param(
        url, "CId", "CommitteeId"
    )
    if not committee_id:
        raise ParseError(
            "committee id is missing (selector h2.mgSubTitleTxt a[href*=mgCommitteeDetails.aspx], URL CId)", url
        )

    item_table = first(root, "table", id="mgItemTable")
    attendance_url = ""
    documents = []
    links = [a for a in tags(root, "a") if a.get("href") is not None and inside(a, "ul", "mgActionList")]
    for a in _outside(links, item_table):
        # ul.mgActionList a[href] in document order, not the items' issue links
        href_url = absolute(url, a["href"])
        if "mgmeetingattendance.aspx" in href_url.lower():
            attendance_url = attendance_url or href_url
        elif is_document_url(href_url):
            doc = document_from_link(a, url)
            if doc is not None:
                documents.append(doc)

    meeting_id = query_param(url, "MId", "MID", "MeetingId") or query_param(attendance_url, "ID")
    if not meeting_id:
        raise ParseError("meeting id is missing (URL MId/MID/MeetingId, selector a[href*=mgMeetingAttendance.aspx])", url)

    body = first(root, "div", class_="mgContent") or root
    has_documents = not any(_NO_DOCUMENTS.search(text_of(p)) for p in _outside(tags(body, "p"), item_table))
    items = _items(item_table, url, page_url, meeting_id, source) if item_table is not None else ()
    meeting = Meeting(
        source=source,
        committee_id=committee_id,
        committee_name=committee_name,
        meeting_id=meeting_id,
        start=_start(soup, when_text, url),
        venue=_venue(body),
        status=CANCELLED if cancelled else HELD,
        url=page_url,
        documents=dedupe(documents),
        published=text_of(first(root, "h1", class_="mgMainTitleTxt")),
    )
    truncated = tuple(dict.fromkeys(i.full_text_url for i in items if i.full_text_url))
    has_minutes = any(i.minutes_paragraphs for i in items) or any(d.kind == DOC_MINUTES for d in meeting.documents)
    return MeetingPage(
        meeting=meeting,
        items=items,
        attendance_url=attendance_url,
        truncated_item_urls=truncated,
        has_minutes=has_minutes,
        has_documents=has_documents,
    )


def _outside(tags: list[Tag], outside: Tag | None) -> list[Tag]:
    """``tags`` without those inside ``outside`` (the item table)."""
    return tags if outside is None else [tag for tag in tags if outside not in tag.parents]


def _is_ai_name(value: str | None) -> bool:
    return value is not None and value.startswith("AI")


def _items(table: Tag, url: str, page_url: str, meeting_id: str, source: str) -> tuple[Item, ...]:
    rows = []  # the cells of each row holding a td.mgItemNumberCell
    for tr in tags(table, "tr"):
        row_cells = child_tags(tr, "td")
        if any(has_class(td, "mgItemNumberCell") for td in row_cells):
            rows.append(row_cells)
    items = []
    for position, row_cells in enumerate(rows, start=1):
        number_cell = next(td for td in row_cells if has_class(td, "mgItemNumberCell"))
        cells = [td for td in row_cells if td is not number_cell]
        if not cells:
            raise ParseError(f"item row {position} has no content cell (selector #mgItemTable tr > td)", url)
        anchor = number_cell.find("a", attrs={"name": _is_ai_name})  # a[name^="AI"]
        ai = anchor["name"][2:] if anchor is not None and anchor["name"][2:].isdigit() else ""
        content = read_item_content(cells[0], url)
        items.append(
            Item(
                source=source,
                meeting_id=meeting_id,
                item_id=ai or f"{meeting_id}-{position}",
                position=position,
                number=text_of(number_cell),
                title=content.title,
                agenda_text=content.agenda_text,
                minutes_paragraphs=tuple(content.minutes),
                decision_paragraphs=tuple(content.decision),
                documents=content.all_documents(),
                url=f"{page_url}#AI{ai}" if ai else page_url,
                full_text_url=content.full_text_url,
            )
        )
    return tuple(items)


def parse_meeting_list(html: str | bytes, url: str) -> MeetingListPage:
    """Parse ``ieListMeetings.aspx``: meeting links, per-year URLs and earlier/later paging."""
    _, root = modgov_root(html, url)
    hidden = root.select_one('input[name="hCommitteeId" i]')
    committee_id = query_param(url, "CId", "CommitteeId") or (hidden.get("value", "") if hidden else "")

    meetings: list[MeetingLink] = []
    seen: set[str] = set()
    links = root.select("a.mgMeetingTableLnk[href]") or root.select('a[href*="ieListDocuments.aspx" i]')
    for a in links:
        link_url = absolute(url, a["href"])
        meeting_id = query_param(link_url, "MId", "MID", "MeetingId")
        if not meeting_id or meeting_id in seen:
            continue
        seen.add(meeting_id)
        suffix = _suffix(a)
        meetings.append(
            MeetingLink(
                url=link_url,
                meeting_id=meeting_id,
                committee_id=query_param(link_url, "CId", "CommitteeId") or committee_id,
                start=parse_when(link_text(a)),
                cancelled=bool(_CANCELLED.search(suffix) or _CANCELLED.search(link_text(a))),
                published_suffix=suffix,
            )
        )

    earlier = later = ""
    for a in root.select("a.mgTableNextLnk[href]"):
        act = query_param(a["href"], "Act").lower()
        label = link_text(a).lower()
        if act == "earlier" or (not act and "earlier" in label):
            earlier = earlier or absolute(url, a["href"])
        elif act == "later" or (not act and "later" in label):
            later = later or absolute(url, a["href"])

    heading = root.select_one("h2.mgSubTitleTxt")
    return MeetingListPage(
        meetings=tuple(meetings),
        committee_id=committee_id,
        committee_name=text_of(heading),
        year_urls=_year_urls(root, url, committee_id),
        earlier_url=earlier,
        later_url=later,
    )


def _suffix(a: Tag) -> str:
    """The text after the meeting link in its row: " - Agenda, Decisions, Minutes" → "Agenda, Decisions, Minutes"."""
    parts = []
    for sibling in a.next_siblings:
        if isinstance(sibling, Tag) and sibling.name == "a":
            break
        parts.append(text_of(sibling) if isinstance(sibling, Tag) else str(sibling))
    return " ".join(" ".join(parts).split()).lstrip("-–: ").strip()


def _year_urls(root: Tag, url: str, committee_id: str) -> tuple[str, ...]:
    urls = []
    if committee_id:
        for option in root.select("select#YearSelect option"):
            year = (option.get("value") or "").strip()
            if year.isdigit() and len(year) == 4:
                urls.append(absolute(url, f"ieListMeetings.aspx?CId={committee_id}&Year={year}"))
    for a in root.select('a[href*="Year=" i]'):
        if "ielistmeetings.aspx" in a["href"].lower():
            urls.append(absolute(url, a["href"]))
    return tuple(dict.fromkeys(urls))
