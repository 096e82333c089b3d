"""The ModernGov web service (``mgWebService.asmx``): GetCommittees, GetMeetings, GetMeeting.

Where a council leaves it on, one GetMeeting call returns every item's agenda text,
minutes, decision, documents and the attendance, so the crawler prefers it to
scraping; these parsers return the same page results as the HTML parsers so
nothing downstream cares which one was used.

Quirks handled here: councils that disable the service answer with an HTML error
page (detected before XML parsing); counts carry a leading space and empty values
are whitespace; rich text (``agendatext``, ``minutesnonemptyhtmlbody``…) is HTML
escaped once; titles can be escaped twice (``&amp;#39;``); GetMeeting says nothing
about its committee, so the caller passes what GetMeetings told it.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime, time

from crawler.moderngov.attendance import normalise_attendance
from crawler.moderngov.dates import parse_date, parse_time
from crawler.moderngov.documents import dedupe, document_kind
from crawler.moderngov.pages import CommitteeListPage, MeetingLink, MeetingListPage, MeetingPage
from crawler.moderngov.text import clean, fragment_paragraphs, unescape
from crawler.urls import absolute
from searchsvc.errors import ParseError
from searchsvc.records import CANCELLED, HELD, Committee, Document, Item, Meeting, Member

log = logging.getLogger(__name__)

__all__ = ["parse_ws_committees", "parse_ws_meeting", "parse_ws_meetings", "site_base", "ws_committee_map"]

# Key posts are one office per line (or "; " / "<br>" between them) in the attribute.
_KEYPOST_BREAK = re.compile(r"\s*(?:[;\n\r]|&lt;br\s*/?&gt;|<br\s*/?>)\s*", re.I)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def site_base(url: str) -> str:
    """The folder holding the ``.aspx`` pages, from a web-service URL (``…/mgWebService.asmx/Op``)."""
    at = url.lower().find("mgwebservice.asmx")
    return url[:at] if at >= 0 else url.rsplit("/", 1)[0] + "/"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _root(xml: str | bytes, url: str, expected: tuple[str, ...], _unwrapped: int = 0) -> ET.Element:
    """The payload element of a response, unwrapped from SOAP/``<string>``; ParseError otherwise."""
    head = (xml[:2048].decode("utf-8", "replace") if isinstance(xml, bytes) else xml[:2048]).lstrip("\ufeff \t\r\n")
    lower = head.lower()
    if lower.startswith(("<!doctype html", "<html")) or ("<html" in lower and not lower.startswith("<?xml")):
        title = _HTML_TITLE.search(xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml)
        shown = clean(re.sub(r"<[^>]+>", " ", title.group(1))) if title else "no title"
        raise ParseError(f"web service answered with an HTML page, not XML <{expected[0]}> (title: {shown})", url)
    try:
        root = ET.fromstring(xml)
    except (ET.ParseError, UnicodeError, LookupError) as error:  # a lone surrogate in a str; encoding="nonsense"
        raise ParseError(f"web service response is not well-formed XML ({error})", url) from None
    if _local(root.tag) == "envelope":  # SOAP: <OperationResponse><OperationResult><payload/>
        result = next((e for e in root.iter() if _local(e.tag).endswith("result")), None)
        root = next(iter(result), root) if result is not None else root
    if _local(root.tag) == "string" and (root.text or "").lstrip().startswith("<"):
        if _unwrapped >= 2:  # real answers wrap once; a hostile one nesting thousands deep costs O(n²) parsing
            raise ParseError(f"web service response wraps its XML in <string> more than twice; expected <{expected[0]}>", url)
        return _root(root.text or "", url, expected, _unwrapped + 1)
    if _local(root.tag) not in expected:
        raise ParseError(f"expected XML root <{expected[0]}>, found <{_local(root.tag)}>", url)
    for element in root.iter():
        element.tag = _local(element.tag)
    return root


def _member_id(value: str | None) -> str:
    """An attendee's memberid; "0" (officers and others who are not members) counts as none."""
    value = (value or "").strip()
    return "" if value.strip("0") == "" else value


def _text(element: ET.Element, name: str) -> str:
    """Text of child ``name`` stripped ("" when absent or whitespace-only)."""
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def _true(element: ET.Element, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _start(element: ET.Element) -> datetime | None:
    day = parse_date(_text(element, "meetingdate"))
    if day is None:
        return None
    return datetime.combine(day, parse_time(_text(element, "meetingtime")) or time(0, 0))


def meeting_url(base: str, meeting_id: str, committee_id: str = "") -> str:
    """The HTML meeting page for a web-service meeting (what people open from a result)."""
    page = f"ieListDocuments.aspx?CId={committee_id}&MId={meeting_id}&Ver=4" if committee_id else (
        f"ieListDocuments.aspx?MId={meeting_id}&Ver=4"
    )
    return absolute(base, page)


def parse_ws_committees(xml: str | bytes, url: str, *, source: str = "") -> CommitteeListPage:
    """GetCommittees → committees (deleted ones left out; expired ones listed in ``expired_ids``)."""
    root = _root(xml, url, ("committees",))
    base = site_base(url)
    committees, expired = [], []
    for element in root.iter("committee"):
        committee_id = _text(element, "committeeid")
        if not committee_id:
            continue
        if _true(element, "committeedeleted"):
            log.debug("skipping deleted committee %s", committee_id)
            continue
        if _true(element, "committeeexpired"):
            expired.append(committee_id)
        committees.append(
            Committee(
                source=source,
                committee_id=committee_id,
                name=unescape(_text(element, "committeetitle")),
                category=unescape(_text(element, "committeecategory")),
                url=absolute(base, f"mgCommitteeDetails.aspx?ID={committee_id}"),
            )
        )
    return CommitteeListPage(committees=tuple(committees), expired_ids=tuple(expired))


def parse_ws_meetings(xml: str | bytes, url: str) -> MeetingListPage:
    """GetMeetings (meetings grouped by committee) or GetAllMeetingsByDate (flat) → meeting links."""
    root = _root(xml, url, ("getmeetings", "getmeetingsbydate"))
    base = site_base(url)
    links: list[MeetingLink] = []

    def add(meeting: ET.Element, committee_id: str, committee_name: str) -> None:
        meeting_id = _text(meeting, "meetingid")
        if not meeting_id:
            return
        committee_id = _text(meeting, "committeeid") or committee_id
        status = clean(_text(meeting, "meetingstatus"))
        links.append(
            MeetingLink(
                url=meeting_url(base, meeting_id, committee_id),
                meeting_id=meeting_id,
                committee_id=committee_id,
                start=_start(meeting),
                cancelled="cancel" in status.lower(),
                published_suffix=status,
                committee_name=unescape(_text(meeting, "committeetitle")) or committee_name,
            )
        )

    committees = root.findall("committee")
    for committee in committees:
        for meeting in committee.iter("meeting"):
            add(meeting, _text(committee, "committeeid"), unescape(_text(committee, "committeetitle")))
    for meeting in root.findall("meeting") + root.findall("meetings/meeting"):
        add(meeting, "", "")
    only = {link.committee_id for link in links}
    return MeetingListPage(
        meetings=tuple(links),
        committee_id=next(iter(only)) if len(only) == 1 else "",
        committee_name=unescape(_text(committees[0], "committeetitle")) if len(committees) == 1 else "",
    )


def _published(root: ET.Element) -> str:
    """The HTML page's h1 wording for what is published: "Agenda, decisions and minutes"…"""
    parts = [name for flag, name in (("agendapublished", "agenda"), ("decisionpublished", "decisions"),
                                     ("minutepublished", "minutes")) if _true(root, flag)]
    if not parts:
        return "Meeting"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


def parse_ws_meeting(
    xml: str | bytes, url: str, *, source: str = "", committee_id: str = "", committee_name: str = ""
) -> MeetingPage:
    """GetMeeting → the Meeting (committee from the arguments), its Items and attendance."""
    root = _root(xml, url, ("meeting",))
    meeting_id = _text(root, "meetingid")
    if not meeting_id:
        raise ParseError("meeting id is missing (element meeting/meetingid)", url)
    page_url = meeting_url(site_base(url), meeting_id, committee_id)
    items = []
    for element in root.findall("agendaitems/agendaitem"):
        if _text(element, "isdisplayallowed").lower() == "false":
            log.debug("skipping agenda item %s not allowed for display", _text(element, "agendaitemid"))
            continue
        items.append(_item(element, len(items) + 1, meeting_id, page_url, source))
    attendance = tuple(
        _attendee(a) for a in root.findall("attendees/attendee") if (a.get("name") or "").strip()
    )
    status = _text(root, "meetingstatus").lower()
    meeting = Meeting(
        source=source,
        committee_id=committee_id,
        committee_name=committee_name,
        meeting_id=meeting_id,
        start=_start(root),
        venue=unescape(_text(root, "meetinglocation")),
        status=CANCELLED if "cancel" in status else HELD,
        url=page_url,
        attendance=attendance,
        published=_published(root),
    )
    return MeetingPage(
        meeting=meeting,
        items=tuple(items),
        has_minutes=_true(root, "minutepublished") or any(i.minutes_paragraphs for i in items),
        has_documents=_true(root, "agendapublished") or bool(items),
    )


def _attendee(a: ET.Element) -> Member:
    """One ``<attendee>``: its role, party, ward and key posts as the council published them.

    ``representing`` (co-opted members: "Church of England Diocese") stands in for the ward
    when there is none; ``keyposts`` may hold several offices, one per line or "; "-separated.
    """
    posts = _KEYPOST_BREAK.split(a.get("keyposts") or "")
    return Member(
        name=unescape(a.get("name")),
        role=unescape(a.get("roledescription")),
        uid=_member_id(a.get("memberid")),
        attendance=normalise_attendance(unescape(a.get("attendance"))),
        party=unescape(a.get("politicalparty")),
        ward=unescape(a.get("ward")) or unescape(a.get("representing")),
        posts=tuple(p for p in (unescape(p) for p in posts) if p),
    )


def _item(element: ET.Element, position: int, meeting_id: str, page_url: str, source: str) -> Item:
    item_id = _text(element, "agendaitemid") or f"{meeting_id}-{position}"
    documents = []
    for doc in element.findall("linkeddocuments/linkeddoc"):
        doc_url = _text(doc, "url")
        if not doc_url or _true(doc, "isrestricted"):
            continue
        documents.append(Document(url=absolute(page_url, doc_url), title=unescape(_text(doc, "title")),
                                  kind=document_kind(doc_url)))
    return Item(
        source=source,
        meeting_id=meeting_id,
        item_id=item_id,
        position=position,
        number=clean(_text(element, "fulldisplaynumberformat")),
        title=unescape(_text(element, "agendaitemtitle")),
        agenda_text="\n\n".join(fragment_paragraphs(_text(element, "agendatext"))),
        minutes_paragraphs=fragment_paragraphs(_text(element, "minutesnonemptyhtmlbody")),
        decision_paragraphs=fragment_paragraphs(_text(element, "decisionnonemptyhtmlbody")),
        documents=dedupe(documents),
        url=f"{page_url}#AI{item_id}" if _text(element, "agendaitemid") else page_url,
    )


def ws_committee_map(pages: Iterable[tuple[str, str | bytes]]) -> dict[str, tuple[str, str]]:
    """Meeting id → (committee id, committee name), from stored GetMeetings responses.

    GetMeeting says nothing about its committee; the GetMeetings windows that listed the
    meeting do. ``pages`` are (url, body) pairs, oldest first: a later response overrides an
    earlier one (a meeting moved to another committee). A response that does not parse (an
    HTML error page stored by a run that then fell back to HTML) is skipped.
    """
    found: dict[str, tuple[str, str]] = {}
    for url, body in pages:
        try:
            listing = parse_ws_meetings(body, url)
        except ParseError as e:
            log.debug("not a GetMeetings answer: %s", e)
            continue
        for link in listing.meetings:
            if link.committee_id:
                found[link.meeting_id] = (link.committee_id, link.committee_name)
    return found
