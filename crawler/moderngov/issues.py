"""Issue pages (``ieIssueDetails.aspx?IId=``): one matter followed through every meeting that took it.

A search engine often sends people here rather than to the meeting page: the page
names the issue, then for each meeting a heading linking to that meeting
("Meeting: 26/09/2025 - Finance Committee (Item 10)") followed by the item's blocks
in the same vocabulary as a meeting page row (``p.mgAiTitleTxt``, ``div.mgWordPara``,
``p.mgSubItemTitleTxt`` "Minutes:"/"Decision:"). So the page is cut at each meeting
link and every piece is read with :func:`crawler.moderngov.items.read_item_content`.
"""

from __future__ import annotations

import logging
import re

from bs4 import BeautifulSoup
from bs4.element import Tag

from crawler.moderngov.dates import parse_date
from crawler.moderngov.items import ItemContent, read_item_content
from crawler.moderngov.pages import IssueMeeting, IssuePage
from crawler.moderngov.soup import modgov_root
from crawler.moderngov.text import clean, link_text, text_of
from crawler.urls import absolute, canonical, query_param
from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

__all__ = ["meeting_heading", "parse_issue_decisions", "parse_issue_page", "split_at"]

_TITLE_PREFIX = re.compile(r"^\s*issue\s*(?:-\s*(?:items\s+at\s+meetings|meetings|history|decisions|details)\s*)?"
                           r"(?:[-–:]\s*|$)", re.IGNORECASE)
# A decision's heading on "Issue - decisions": "28/05/2026 - Minutes of the Special Meeting".
_DATED_TITLE = re.compile(r"^\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*(?P<title>\S.*)$")
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "p", "li", "dt")
# "Meeting: 26/09/2025 - Finance Committee (Item 10)", also without "Meeting:" or the item.
_MEETING = re.compile(r"^\s*(?:meeting\s*:\s*)?(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*-\s*(?P<committee>.*?)"
                      r"\s*(?:\(\s*item\s+(?P<item>[^)]*?)\s*\.?\s*\))?\s*$", re.IGNORECASE)
_MEETING_LINK = 'a[href*="ieListDocuments.aspx" i]'


def meeting_heading(text: str) -> tuple[str, str, str] | None:
    """("26/09/2025", "Finance Committee", "10") from a meeting heading; None when it is not one."""
    m = _MEETING.match(clean(text))
    if not m:
        return None
    return m.group("date"), clean(m.group("committee")), clean(m.group("item") or "").rstrip(".")


def split_at(container: Tag, markers: list[Tag]) -> list[tuple[Tag, list[Tag]]]:
    """(marker, blocks) for each marker: its block and the sibling blocks after it, up to the next
    marker's block.

    A marker is lifted to its ancestor that is a direct child of ``container`` so that the
    blocks in between are siblings; markers sharing such an ancestor count once (the first).
    The block itself is included: a council that wraps each meeting's heading and text in one
    ``div`` has all of it there (a bare heading adds nothing, as only labelled blocks are read).
    """
    tops: list[tuple[Tag, Tag]] = []
    for marker in markers:
        top = marker
        while top.parent is not None and top.parent is not container:
            top = top.parent
        if top.parent is container and all(top is not t for _, t in tops):
            tops.append((marker, top))
    out = []
    for i, (marker, top) in enumerate(tops):
        stop = tops[i + 1][1] if i + 1 < len(tops) else None
        blocks = [top]
        for sibling in top.next_siblings:
            if sibling is stop:
                break
            if isinstance(sibling, Tag):
                blocks.append(sibling)
        out.append((marker, blocks))
    return out


def _section_container(blocks: list[Tag]) -> Tag:
    """A detached element holding copies of ``blocks``, for :func:`read_item_content`."""
    holder = BeautifulSoup("<div></div>", "html.parser").div
    for block in blocks:
        holder.append(BeautifulSoup(str(block), "html.parser"))
    return holder


def parse_issue_page(html: str | bytes, url: str) -> IssuePage:
    """Title (h2, without its "Issue - items at meetings -" prefix) and one :class:`IssueMeeting`
    per meeting heading that links to ``ieListDocuments.aspx``.

    ParseError when the URL has no ``IId`` or the page has no ``h2.mgSubTitleTxt``/``h1`` title.
    """
    body, issue_id, title = _issue_header(html, url)
    markers = [a for a in body.select(_MEETING_LINK)
               if not a.find_parent(class_="mgActionList") and meeting_heading(_heading_text(a))]
    meetings = []
    sections = split_at(body, markers)
    intro = _intro(sections, url).agenda_text  # the issue's description, when printed once above
    for a, blocks in sections:
        when, committee, number = meeting_heading(_heading_text(a)) or ("", "", "")
        meeting_url = absolute(url, a["href"])
        content = read_item_content(_section_container(blocks), url)
        meetings.append(IssueMeeting(
            meeting_url=meeting_url,
            meeting_id=query_param(meeting_url, "MId", "MID", "MeetingId"),
            committee_id=query_param(meeting_url, "CId", "CommitteeId"),
            committee_name=committee,
            meeting_date=parse_date(when),
            number=number,
            title=_without_number(content.title, number) or title,
            agenda_text=content.agenda_text or intro,
            minutes_paragraphs=tuple(content.minutes),
            decision_paragraphs=tuple(content.decision),
            documents=content.all_documents(),
        ))
    if not meetings:
        log.info("%s: issue page lists no meetings", url)
    return IssuePage(issue_id=issue_id, url=canonical(url), title=title, meetings=tuple(meetings))


def _intro(sections: list[tuple[Tag, list[Tag]]], url: str) -> ItemContent:
    """What the page prints above its first section."""
    if not sections:
        return ItemContent()
    before = [t for t in sections[0][1][0].previous_siblings if isinstance(t, Tag)][::-1]
    return read_item_content(_section_container(before), url)


def _issue_header(html: str | bytes, url: str) -> tuple[Tag, str, str]:
    """(content element, issue id, title) of an issue page; ParseError without IId or heading."""
    _, root = modgov_root(html, url)
    issue_id = query_param(url, "IId", "IID")
    if not issue_id:
        raise ParseError("issue page URL has no IId parameter (ieIssueDetails.aspx?IId=, mgDecisionDetails.aspx?IId=)",
                         url)
    heading = root.select_one("h2.mgSubTitleTxt") or root.select_one("h1.mgMainTitleTxt")
    if heading is None:
        raise ParseError("issue title is missing (selector h2.mgSubTitleTxt, h1.mgMainTitleTxt)", url)
    return root.select_one("div.mgContent") or root, issue_id, _TITLE_PREFIX.sub("", text_of(heading)).strip()


def parse_issue_decisions(html: str | bytes, url: str) -> IssuePage:
    """``mgDecisionDetails.aspx?IId=`` ("Issue - decisions"): each decision taken on the issue.

    A decision starts at a heading "dd/mm/yyyy - Title" (often a link to its
    ``ieDecisionDetails.aspx``); the text after it, labelled "Decision:" or not, is its decision
    text, and a link to ``ieListDocuments.aspx`` in it names the meeting that took it.
    """
    body, issue_id, title = _issue_header(html, url)
    markers = [tag for tag in body.find_all(_HEADING_TAGS)
               if not tag.find_parent(class_=("mgWordPara", "mgActionList")) and not tag.select_one("span.mgLabel")
               and not tag.find(_HEADING_TAGS + ("div", "table")) and _DATED_TITLE.match(text_of(tag))]
    decisions = []
    for marker, blocks in split_at(body, markers):
        heading = _DATED_TITLE.match(text_of(marker))
        holder = _section_container(blocks)
        own = next((t for t in holder.find_all(_HEADING_TAGS) if _DATED_TITLE.match(text_of(t))), None)
        if own is not None:  # the heading is often styled as a section label: not a label here
            own.decompose()
        content = read_item_content(holder, url, unlabelled="decision")
        link = holder.select_one(_MEETING_LINK)
        meeting_url = absolute(url, link["href"]) if link is not None else ""
        committee = link_text(link).split(" - ", 1)[1].strip() if link is not None and " - " in link_text(link) else ""
        decisions.append(IssueMeeting(
            meeting_url=meeting_url,
            meeting_id=query_param(meeting_url, "MId", "MID", "MeetingId") if meeting_url else "",
            committee_id=query_param(meeting_url, "CId", "CommitteeId") if meeting_url else "",
            committee_name=committee,
            meeting_date=parse_date(heading.group("date")),
            title=clean(heading.group("title")),
            agenda_text=content.agenda_text,
            minutes_paragraphs=tuple(content.minutes),
            decision_paragraphs=tuple(content.decision),
            documents=content.all_documents(),
        ))
    return IssuePage(issue_id=issue_id, url=canonical(url), title=title, meetings=tuple(decisions), shows="decisions")


def _without_number(title: str, number: str) -> str:
    """"88 Local Plan" → "Local Plan" when the item is number 88 (titles without a link keep it)."""
    m = re.match(rf"{re.escape(number)}\.?\s+(?=\S)", title) if number else None
    return title[m.end():] if m else title


def _heading_text(a: Tag) -> str:
    """The meeting heading around a link: the link's own text, or its block's when the link holds
    only the date and committee ("Meeting: <a>26/09/2025 - Finance</a> (Item 10)")."""
    block = a.find_parent(["h2", "h3", "h4", "p", "div", "li"])
    own = link_text(a)
    whole = text_of(block) if block is not None else own
    return whole if meeting_heading(whole) and len(whole) < len(own) + 60 else own
