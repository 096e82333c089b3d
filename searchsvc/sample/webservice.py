"""``mgWebService.asmx`` GET responses in the element shapes of the saved Manchester XML.

Off by default (many councils disable the service); ``SampleSite(webservice=True)`` turns it
on. Only GetCommittees, GetMeetings and GetMeeting are answered. The quirks are kept: counts with
a leading space, ``True``/``False`` booleans, whitespace-only empty elements, rich text as
XML-escaped Word HTML, and titles HTML-escaped before being XML-escaped (escaped twice).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .markup import clock
from .model import CANCELLED, FUTURE, HELD, ItemInfo, MeetingInfo

if TYPE_CHECKING:
    from .council import Council

_DECL = '<?xml version="1.0" encoding="utf-8"?>\n'


def _b(value: bool) -> str:
    return "True" if value else "False"


def _el(name: str, value: str | None, indent: int) -> str:
    pad = " " * indent
    if value is None or value == "":
        return f"{pad}<{name}>\n{pad}</{name}>\n"
    return f"{pad}<{name}>{escape(value)}</{name}>\n"


def _word_html(paragraphs) -> str:
    body = "\n".join(f'<p class="MsoNormal">{html.escape(p, quote=False)}</p>' for p in paragraphs)
    return f'<div class="WordSection1">\n{body}\n</div>\n'


def _date(d: datetime) -> str:
    return f"{d:%d/%m/%Y}"


def respond(council: Council, operation: str, query: dict[str, str], base_url: str) -> bytes | None:
    """The XML for ``operation`` (e.g. "GetMeeting"), or None when it is not supported."""
    op = operation.lower()
    if op == "getcommittees":
        return _committees(council).encode("utf-8")
    if op == "getmeetings":
        cid = int(query.get("lcommitteeid", "0") or 0)
        lo = datetime.strptime(query["sfromdate"], "%d/%m/%Y") if query.get("sfromdate") else datetime.min
        hi = datetime.strptime(query["stodate"], "%d/%m/%Y") if query.get("stodate") else datetime.max
        return _meetings(council, cid, lo, hi.replace(hour=23, minute=59)).encode("utf-8")
    if op == "getmeeting":
        return _meeting(council, council.meeting(int(query.get("lmeetingid", ""))), base_url).encode("utf-8")
    return None


def _committees(council: Council) -> str:
    cs = council.committees()
    out = [_DECL, "<committees>\n", f"  <committeescount> {len(cs)}</committeescount>\n"]
    for c in cs:
        out += ["  <committee>\n", _el("committeeid", str(c.committee_id), 4),
                _el("committeetitle", html.escape(c.name), 4), _el("committeedeleted", "False", 4),
                _el("committeeexpired", "False", 4)]
        if c.kind != "neighbourhood":  # like the real service, only some committees carry a category
            out.append(_el("committeecategory", c.category, 4))
        out.append("  </committee>\n")
    return "".join(out + ["</committees>\n"])


def _status(m: MeetingInfo) -> str:
    return "Cancelled" if m.status == CANCELLED else "Confirmed"


def _meetings(council: Council, cid: int, lo: datetime, hi: datetime) -> str:
    groups = [(c, [m for m in council.meetings(c.committee_id) if lo <= m.start <= hi])
              for c in council.committees() if cid in (0, c.committee_id)]
    total = sum(len(ms) for _, ms in groups)
    out = [_DECL, "<getmeetings>\n", f"  <meetingscount> {total}</meetingscount>\n",
           f"  <committeescount> {len(groups)}</committeescount>\n"]
    for c, ms in groups:
        out += ["  <committee>\n", _el("committeeid", str(c.committee_id), 4),
                _el("committeetitle", html.escape(c.name), 4),
                f"    <committeemeetingcount> {len(ms)}</committeemeetingcount>\n", "    <committeemeetings>\n"]
        for m in ms:
            out += ["      <meeting>\n", _el("meetingid", str(m.meeting_id), 8), _el("meetingdate", _date(m.start), 8),
                    _el("meetingstatus", _status(m), 8), _el("meetingtime", clock(m.start, "."), 8),
                    _el("iswebcast", "False", 8), "      </meeting>\n"]
        out += ["    </committeemeetings>\n", "  </committee>\n"]
    return "".join(out + ["</getmeetings>\n"])


def _item(council: Council, m: MeetingInfo, it: ItemInfo, base_url: str) -> list[str]:
    c = council.committee(m.committee_id)
    d = _date(m.start)
    out = ["    <agendaitem>\n", _el("agendaitemid", str(it.item_id), 6),
           _el("agendaitemtitle", html.escape(it.title), 6),
           _el("agendatext", _word_html(it.agenda) if it.agenda else "", 6), _el("actualmeetingdate", d, 6),
           _el("agendaitemnumber", str(it.position), 6), _el("agendaitemsubnumber", "", 6),
           _el("fulldisplaynumberformat", it.number, 6), _el("authorusername", "", 6)]
    if it.minutes and not council.printed_only(it.committee_id):
        out.append(_el("minutesnonemptyhtmlbody", _word_html(it.minutes_paragraphs), 6))
    if it.decision:
        out.append(_el("decisionnonemptyhtmlbody", _word_html(it.decision_paragraphs), 6))
    out += [_el("declarationcount", str(len(it.declarations)), 6), _el("iscallin", "False", 6),
            _el("isdecision", _b(bool(it.decision)), 6), _el("isdecisionpublished", _b(bool(it.decision)), 6),
            _el("isminutepublished", _b(bool(it.minutes)), 6), _el("isrestricted", "False", 6),
            _el("isdisplayallowed", "True", 6), _el("meetingdate", d, 6), _el("meetingtime", clock(m.start, "."), 6),
            _el("minutesitemnumber", it.number.rstrip("."), 6), _el("preferreddate", d, 6),
            _el("refertocommittee", html.escape(c.name), 6), "      <linkeddocuments>\n"]
    for k, doc in enumerate(it.all_documents, 1):
        out += ["        <linkeddoc>\n", _el("attachmentid", str(doc.doc_id), 10), _el("title", doc.title, 10),
                _el("isurl", "False", 10), _el("url", f"{base_url}mgConvert2PDF.aspx?ID={doc.doc_id}", 10),
                _el("isrestricted", "False", 10), _el("itemnum", str(k), 10), _el("meetingdate", d, 10),
                _el("committeetitle", html.escape(c.name), 10), _el("ownertitle", html.escape(it.title), 10),
                "        </linkeddoc>\n"]
    return out + ["      </linkeddocuments>\n", "    </agendaitem>\n"]


def _meeting(council: Council, m: MeetingInfo, base_url: str) -> str:
    c = council.committee(m.committee_id)
    items = council.items(m.meeting_id)
    out = [_DECL, "<meeting>\n", _el("meetingid", str(m.meeting_id), 2), _el("meetingdate", _date(m.start), 2),
           _el("meetingstatus", _status(m), 2), _el("isdisplayallowed", "True", 2),
           _el("meetingtime", clock(m.start, "."), 2), _el("meetingactualstarttime", "", 2),
           _el("meetingplannedfinishtime", "", 2), _el("meetingactualfinishtime", "", 2),
           _el("meetinglocation", m.venue, 2), _el("iswebcast", "False", 2), _el("agendaid", str(m.agenda_id), 2),
           _el("agendapublished", _b(m.status != CANCELLED), 2),
           _el("decisionpublished", _b(m.status == HELD and bool(c.decision_label)), 2),
           _el("minutepublished", _b(m.minutes_published), 2), _el("meetingroom", "", 2), "  <agendaitems>\n"]
    for it in items:
        out += _item(council, m, it, base_url)
    out.append("  </agendaitems>\n  <attendees>\n")
    for a in council.attendance(m.meeting_id):
        # Co-opted members represent a body rather than a ward; key posts are one per line.
        coopted = a.role == "Co-opted Member"
        attrs = (f'membertype="U" memberid="{a.uid}" name={quoteattr(a.name)} roledescription={quoteattr(a.role)} '
                 f"attendance={quoteattr(a.attendance if m.status != FUTURE else 'Expected')} "
                 f"politicalparty={quoteattr(a.party)} ward={quoteattr('' if coopted else a.ward)} "
                 f"keyposts={quoteattr(chr(10).join(a.posts))} representing={quoteattr(a.ward if coopted else '')}")
        url = f"      <url>{base_url}mgUserInfo.aspx?UID={a.uid}</url>\n" if a.uid else ""
        out.append(f"    <attendee {attrs}>\n{url}    </attendee>\n")
    return "".join(out + ["  </attendees>\n</meeting>\n"])
