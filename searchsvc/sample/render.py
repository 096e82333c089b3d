"""Pure rendering: (council, URL) -> the bytes a ModernGov site would serve, or None for 404.

Markup follows real Kingston ModernGov pages (class names,
nesting, label wording, entity habits); ``mgAi.aspx`` and ``mgMeetingAttendance.aspx``, of which
no real copy exists, follow the shapes agreed with the parser author. All links are relative
to the base path, as on a real install.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from . import agenda, pdf, printed, vocab, webservice
from .council import Council
from .markup import (
    attr,
    doc_list,
    esc,
    file_stamp,
    header,
    href,
    list_when,
    mg_text,
    mg_title,
    page,
    size_label,
    when,
    word_para,
)
from .model import CANCELLED, FUTURE, TERMS, TODAY, ItemInfo, MeetingInfo, truncate

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
PAGE_SIZE = 12  # meetings per "earlier/later" page
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    modified: datetime


def _html(text: str, modified: datetime) -> Page:
    return Page(text.encode("utf-8"), HTML, modified)


def _int(query: dict[str, str], *names: str) -> int | None:
    for name in names:
        value = query.get(name.lower(), "").strip()
        if value:
            return int(value) if value.lstrip("-").isdigit() else None
    return None


def render(council: Council, path: str, query: dict[str, str], *, webservice_on: bool = False,
           base_url: str = "") -> Page | None:
    """The page at ``path`` (relative to the base path, percent-decoded) with ``query`` (keys
    lower-cased: ModernGov treats parameter names case-insensitively)."""
    try:
        return _route(council, path, query, webservice_on, base_url)
    except (KeyError, TypeError, ValueError):  # unknown or malformed ids are 404s, as on ModernGov
        return None


def _route(council: Council, path: str, query: dict[str, str], ws: bool, base_url: str) -> Page | None:
    name = path.lower()
    if name in ("mgcommitteestructure.aspx", "mglistcommittees.aspx"):
        return committee_list(council, "Committee structure" if name.startswith("mgcommitteestructure") else "Committees")
    if name == "mgcommitteedetails.aspx":
        return committee_details(council, council.committee(_int(query, "ID")))
    if name == "ielistmeetings.aspx":
        return list_meetings(council, council.committee(_int(query, "CommitteeId", "CId")), _int(query, "Year"),
                             query.get("act", "").lower(), query.get("d", ""))
    if name == "ielistdocuments.aspx":
        return meeting_page(council, council.meeting(_int(query, "MId", "MeetingId")))
    if name == "mgai.aspx":
        return item_page(council, council.item(_int(query, "ID")))
    if name == "mgmeetingattendance.aspx":
        return attendance_page(council, council.meeting(_int(query, "ID")))
    if name == "mguserinfo.aspx":
        return user_page(council, _int(query, "UID"))
    if name == "mgmemberindex.aspx":
        return member_index(council)
    if name == "mgcalendarmonthview.aspx":
        return calendar(council)
    if name.startswith("mgimages/") and name.endswith(".gif"):
        return Page(GIF, "image/gif", TODAY)
    if name.startswith("documents/"):
        return document(council, path)
    if name == "mgconvert2pdf.aspx":  # the web service's document links, by attachment (document) id
        item, doc = council.document(_int(query, "ID"))
        return document(council, f"documents/s{doc.doc_id}/{doc.filename}")
    if name.startswith("mgwebservice.asmx/") and ws:
        body = webservice.respond(council, path.split("/", 1)[1], query, base_url)
        return None if body is None else Page(body, "text/xml; charset=utf-8", council.site_modified())
    return None


# --- committees ------------------------------------------------------------------------------

def committee_list(council: Council, h1: str) -> Page:
    groups: dict[str, list[str]] = {}
    for c in council.committees():
        groups.setdefault(c.category, []).append(
            f'<li><a href="{href(c.url_path)}" title="{mg_title("Link to details for " + c.name)}">{mg_text(c.name)}</a></li>')
    body = "".join(f'\n<h2 class="mgSectionTitle">{mg_text(cat)}</h2>\n<ul class="mgBulletList">\n' + "\n".join(lis)
                   + "\n</ul>" for cat, lis in groups.items())
    modgov = header(h1) + f'<div class="mgContent">{body}\n</div>\n</div>'
    return _html(page(h1, modgov, description="A list of the committees of the council, by category."),
                 council.site_modified())


def committee_details(council: Council, c) -> Page:
    cid = c.committee_id
    links = [f'<a href="ieListMeetings.aspx?CommitteeId={cid}" title="{mg_title("Link to meetings for " + c.name)}">'
             "Browse meetings and agendas for this committee</a>"]
    members = []
    for mi in council.membership(cid):
        role = f"&nbsp; &#40;{esc(mi.role)}&#41;&nbsp; " if mi.role != "Committee Member" else "&nbsp; &nbsp; "
        party = council.person(mi.uid).party
        role += f"&#40;{esc(party)}&#41;" if party else ""
        members.append(f'<li><a href="mgUserInfo.aspx?UID={mi.uid}" '
                       f'title="{mg_title("Link to user information for " + mi.name)}">{esc(mi.name)}</a>{role}</li>')
    content = (f'<div class="mgContent">\n<h2 class="mgSectionTitle">Purpose of committee</h2>\n'
               f'{word_para([c.purpose])}\n<h2 class="mgSectionTitle">Membership<a name="#MEM"></a></h2>\n'
               f'<ul class="mgBulletList">\n' + "\n".join(members) + "\n</ul>\n"
               f'<h2 class="mgSectionTitle">Contact information</h2>\n<p><span class="mgLabel">Support officer: </span>'
               f'{esc(vocab.CONTACT[0])}. Email: &nbsp;<a href="mailto:{vocab.CONTACT[1]}">{vocab.CONTACT[1]}</a></p>\n'
               "</div>\n</div>")
    title = f"Committee details - {c.name}"
    return _html(page(title, header("Committee details", esc(c.name), links) + content,
                      description=f"Purpose and membership of {c.name}"), council.committee_modified(cid))


def _suffix(council: Council, m: MeetingInfo) -> str:
    if m.status == CANCELLED:
        return " - CANCELLED"
    decisions = bool(council.committee(m.committee_id).decision_label) and m.status != FUTURE
    return " - Agenda" + (", Decisions" if decisions else "") + (", Minutes" if m.minutes_published else "")


def list_meetings(council: Council, c, year: int | None, act: str, d: str) -> Page:
    cid, style = c.committee_id, c.date_style
    all_ms = sorted(council.meetings(cid), key=lambda m: (m.start, m.meeting_id), reverse=True)  # newest first
    years = council.years(cid)
    if act in ("earlier", "later") and len(d) == 12 and d.isdigit():
        bound = datetime.strptime(d, "%Y%m%d%H%M")
        shown = ([m for m in all_ms if m.start < bound][:PAGE_SIZE] if act == "earlier"
                 else [m for m in all_ms if m.start > bound][-PAGE_SIZE:])
    else:
        year = year or (years[-1] if years else TODAY.year)
        shown = [m for m in all_ms if m.start.year == year]
    rows = []
    for i, m in enumerate(shown):
        label = f"Link to meeting details for {c.name} meeting of {m.start.day} {m.start:%b %Y}"
        rows.append(f'<li class="{"mgTableEvenRow" if i % 2 == 0 else "mgTableOddRow"}"><a class="mgMeetingTableLnk" '
                    f'href="{href(m.url_path)}" title="{mg_title(label)}">{list_when(m.start, style)}</a>'
                    f"{_suffix(council, m)}</li>")
    paging = []
    if shown and any(m.start < shown[-1].start for m in all_ms):
        paging.append(f'<a class="mgTableNextLnk" href="ieListMeetings.aspx?Act=earlier&amp;CId={cid}&amp;'
                      f'D={shown[-1].start:%Y%m%d%H%M}&amp;MD=ielistmeetings">Earlier meetings</a>')
    if shown and any(m.start > shown[0].start for m in all_ms):
        paging.append(f'<a class="mgTableNextLnk" href="ieListMeetings.aspx?Act=later&amp;CId={cid}&amp;'
                      f'D={shown[0].start:%Y%m%d%H%M}&amp;MD=ielistmeetings">Later meetings</a>')
    pager = ("<div class='mgMeetingsEarlierLater'><p>\n" + "<span class='mgLinkSep'>. </span>\n".join(paging)
             + "<span class='mgLinkSep'>. </span>\n</p></div>") if paging else ""
    selected = {y: ' selected="selected"' for y in years if y == year}
    options = "".join(f'\n<option value="{y}"{selected.get(y, "")}>{y}</option>' for y in years)
    links = [f'<a href="{href(c.url_path)}" title="{mg_title("Link to more information about " + c.name)}">'
             f"More information about {mg_text(c.name)}</a>",
             f'<label for="YearSelect">Show meetings for the year: </label>\n<select size="1" id="YearSelect" '
             f'name="YearSelect">\n<option value="0"> </option>{options}\n</select>\n'
             '<input class="mgGoButton" type="submit" name="Submit" value="Go" id="Submit1"/>']
    year_links = " ".join(f'<a href="ieListMeetings.aspx?CId={cid}&amp;Year={y}">{y}</a>' for y in years)
    content = (f'<div class="mgContent">\n<p class="mgYearLinks">Meetings by year: {year_links}</p>\n<div class="mgList">\n'
               f'<div class="mgHiddenField"><input type="hidden" name="hCommitteeId" value="{cid}" /></div>\n{pager}\n'
               '<div class="mgTableBorder">\n<div class="mgTableTitleTxt">Meetings</div>\n'
               f'<ul class="mgNonBulletTableList">{"".join(rows)}</ul>\n</div>\n{pager}\n</div>\n</div>')
    modgov = header("Browse meetings", esc(c.name), links).replace(
        '<div class="mgLinks">', '<form method="post" action="ieListMeetings.aspx" id="FormYearSelect">\n<div class="mgLinks">', 1)
    modgov += content + "\n</form>\n</div>"
    return _html(page(f"Browse meetings - {c.name}", modgov, [(c.url_path, "Committee details")]),
                 council.committee_modified(cid))


# --- meetings and items ----------------------------------------------------------------------

def _meeting_pdfs(council: Council, m: MeetingInfo) -> list[tuple[str, str, str, int]]:
    """(kind, link text, file name, T) of the meeting-level PDFs that exist."""
    if m.status == CANCELLED:
        return []
    stamp, name = file_stamp(m), m.committee_name
    out = [("frontsheet", "Agenda frontsheet", f"Agenda frontsheet {stamp} {name}.pdf", 0)]
    if m.status != FUTURE and council.committee(m.committee_id).decision_label:
        out.append(("decisions", "Printed decisions", f"Decisions {stamp} {name}.pdf", 2))
    if m.minutes_published:
        out.append(("minutes", "Printed minutes", f"Printed minutes {stamp} {name}.pdf", 1))
    return out


def _h1(council: Council, m: MeetingInfo) -> str:
    if m.status == CANCELLED:
        return "Meeting"
    decisions = bool(council.committee(m.committee_id).decision_label) and m.status != FUTURE
    return {(True, True): "Agenda, decisions and minutes", (False, True): "Agenda and minutes",
            (True, False): "Agenda and decisions", (False, False): "Agenda"}[(decisions, m.minutes_published)]


def _item_blocks(council: Council, item: ItemInfo, full: bool) -> str:
    """An item's labelled blocks. The meeting page orders them agenda text, documents, decision,
    (truncated) minutes; mgAi.aspx shows the full minutes and lists every document last."""
    c = council.committee(item.committee_id)
    blocks = {"agenda": word_para(item.agenda) if item.agenda else "", "docs": "", "decision": "", "minutes": ""}
    docs = item.all_documents if full else item.documents
    if docs:
        label = "Supporting documents:" if full else c.docs_label
        blocks["docs"] = f'<p class="mgSubItemTitleTxt">{label}</p>' + doc_list(docs, "" if full else item.number)
    if item.decision:
        blocks["decision"] = (f'<p class="mgSubItemTitleTxt">{c.decision_label or "Decision:"}</p>\n'
                              + word_para(item.decision_paragraphs))
    if item.minutes and not council.printed_only(item.committee_id):
        shown, cut = (item.minutes_paragraphs, False) if full else truncate(item.minutes_paragraphs)
        tail = (f'&nbsp;...&nbsp; <a href="mgAi.aspx?ID={item.item_id}" title="Link to view the full item text for '
                f'item {esc(item.number)}, {attr(item.title)}">\nview the full minutes text for item {esc(item.number)}</a>'
                if cut else "")
        blocks["minutes"] = '<p class="mgSubItemTitleTxt">Minutes:</p>\n' + word_para(shown, tail)
    order = ("agenda", "decision", "minutes", "docs") if full else ("agenda", "docs", "decision", "minutes")
    return "\n".join(blocks[k] for k in order if blocks[k])


def _item_row(council: Council, item: ItemInfo) -> str:
    if item.report:
        r, label = item.report, f"Link to document '{item.title}' pdf file"
        title = (f'<p class="mgAiTitleTxt"><a class="mgAiTitleLnk" href="{href(r.url_path)}" '
                 f'title="{mg_title(label)}">'
                 f'{esc(item.title)} <span class="mgFileSize"><img height="12" src="mgimages/logo-pdf-1.gif" width="12" '
                 f'alt="pdf icon" /> {size_label(r.size_kb)}</span> </a></p>')
    else:
        title = f'<p class="mgAiTitleTxt">{esc(item.title)}</p>'
    return (f'<tr>\n<td class="mgItemNumberCell"><p class="mgAiTitleTxt"><a name="AI{item.item_id}" '
            f'aria-disabled="true"></a>{esc(item.number)}</p></td>\n<td>\n{title}\n'
            f'{_item_blocks(council, item, False)}\n</td>\n</tr>')


def meeting_page(council: Council, m: MeetingInfo) -> Page:
    c = council.committee(m.committee_id)
    h2_text = f"{c.name} - {when(m.start, c.date_style)}" + (", CANCELLED" if m.status == CANCELLED else "")
    h2 = f'<a href="{href(c.url_path)}" title="{mg_title("Link to " + c.name)}">{esc(h2_text)}</a>'
    label = f"Link to attendance details for the meeting of {c.name} {when(m.start, c.date_style)}"
    links = [f'<a href="mgMeetingAttendance.aspx?ID={m.meeting_id}" title="{mg_title(label)}">Attendance details</a>']
    for _, text, fname, t in _meeting_pdfs(council, m):
        kb = 90 + (m.meeting_id * (t + 3)) % 160
        links.append(f'<a href="{href(f"documents/g{m.agenda_id}/{fname}?T={t}")}" '
                     f'title="{mg_title("Link to " + text.lower() + " pdf file")}">{text}\n'
                     f'<span class="mgFileSize"><img src="mgimages/logo-pdf-1.gif" alt="" /> {size_label(kb)}</span> </a>')
    venue_label = "Venue: " if m.status not in (CANCELLED, FUTURE) else "Proposed venue: "
    content = ['<div class="mgContent">']
    if m.status == CANCELLED:
        content.append("<p>No documents are available for this meeting</p>")
    content += [f'<p><span class="mgLabel">{venue_label}</span>{esc(m.venue)}.</p>',
                f'<p><span class="mgLabel">Contact: </span>{esc(vocab.CONTACT[0])}&nbsp; Email:&nbsp;'
                f'<a href="mailto:{vocab.CONTACT[1]}">{vocab.CONTACT[1]}</a></p>']
    items = council.items(m.meeting_id)
    if items:
        content.append('<table class="mgItemTable" summary="Table of agenda items" id="mgItemTable">\n'
                       '<caption class="mgSectionTitle">Items</caption>\n<tr>\n<th class="mgHide" abbr="No" scope="col">'
                       'No.</th>\n<th class="mgHide" abbr="Item" scope="col">Item</th>\n</tr>\n'
                       + "\n".join(_item_row(council, it) for it in items) + "\n</table>")
    intro = ("<p>The reports for this meeting are listed below under each agenda item; meeting documents are "
             "linked above.</p>\n")
    modgov = (header(_h1(council, m), h2, links).replace('<div class="mgLinks">', intro + '<div class="mgLinks">', 1)
              + "\n".join(content) + "\n</div>\n</div>")
    title = f"Agenda for {c.name} on {when(m.start, c.date_style, comma=True)}"
    crumbs = [(c.url_path, "Committee details"), (f"ieListMeetings.aspx?CommitteeId={c.committee_id}", "Meetings")]
    return _html(page(title, modgov, crumbs, m.start, f"All published information for {title}"), m.modified)


def item_page(council: Council, item: ItemInfo) -> Page:
    m = council.meeting(item.meeting_id)
    link = (f'<p><span class="mgLabel">Meeting: </span><a href="{href(m.url_path)}">{m.start:%d/%m/%Y} - '
            f"{mg_text(m.committee_name)} (Item {esc(item.number)})</a></p>")
    modgov = (header("Agenda item", f"{esc(item.number)} {esc(item.title)}").replace(
        '<div class="mgLinks">\n<ul class="mgActionList">\n</ul>\n</div>\n', "")
              + f'<div class="mgContent">\n{link}\n{_item_blocks(council, item, True)}\n</div>\n</div>')
    return _html(page(f"Issue - items at meetings - {item.title}", modgov, [(m.url_path, "Meeting")], m.start),
                 m.modified)


def attendance_page(council: Council, m: MeetingInfo) -> Page:
    c = council.committee(m.committee_id)
    rows = []
    for a in council.attendance(m.meeting_id):
        name = f'<a href="mgUserInfo.aspx?UID={a.uid}">{esc(a.name)}</a>' if a.uid else esc(a.name)
        posts = "; ".join(a.posts)
        rows.append(f'<tr><td class="mgMainTxt">{name}</td><td class="mgMainTxt">{esc(a.role)}</td>'
                    f'<td class="mgMainTxt">{esc(a.attendance)}</td><td class="mgMainTxt">{esc(a.party)}</td>'
                    f'<td class="mgMainTxt">{esc(a.ward)}</td><td class="mgMainTxt">{esc(posts)}</td></tr>')
    modgov = (header("Attendance details", esc(f"{c.name} - {when(m.start, c.date_style)}")).replace(
        '<div class="mgLinks">\n<ul class="mgActionList">\n</ul>\n</div>\n', "")
              + '<div class="mgContent"><table class="mgTabTable"><caption class="mgSectionTitle">Attendees</caption>\n'
              '<thead><tr><th>Attendee</th><th>Role</th><th>Attendance</th><th>Party</th><th>Ward</th>'
              '<th>Key posts</th></tr></thead>\n<tbody>'
              + "\n".join(rows) + "</tbody></table></div>\n</div>")
    return _html(page(f"Attendance details - {c.name}", modgov, [(m.url_path, "Meeting")], m.start), m.modified)


# --- people, calendar, documents ------------------------------------------------------------

def user_page(council: Council, uid: int | None) -> Page:
    p = council.person(uid)
    now_term = len(TERMS) - 2
    labels = [("Representing: ", p.represents)] if p.coopted_for else [("Party: ", p.party), ("Ward: ", p.ward)]
    if not p.coopted_for and now_term not in p.terms:
        labels.append(("Term of office ended: ", f"{TERMS[max(p.terms) + 1]:%d/%m/%Y}"))
    info = "\n".join(f'<p><span class="mgLabel">{k}</span>{esc(v)}</p>' for k, v in labels)
    posts = [f'<li><a href="{href(c.url_path)}">{mg_text(c.name)}</a> &#40;{esc(mi.role)}&#41;</li>'
             for c in council.committees() for mi in council.membership(c.committee_id) if mi.uid == p.uid]
    h1 = "Co-opted member details" if p.coopted_for else "Councillor details"
    modgov = (header(h1, esc(p.name)) + f'<div class="mgContent">\n{info}\n<h2 class="mgSectionTitle">'
              f'Committee appointments</h2>\n<ul class="mgBulletList">\n' + "\n".join(posts) + "\n</ul>\n</div>\n</div>")
    return _html(page(f"{h1} - {p.name}", modgov), TODAY)


def member_index(council: Council) -> Page:
    term = len(TERMS) - 2
    people = sorted((p for p in council.people() if term in p.terms or p.coopted_for), key=lambda p: p.last)
    lis = "\n".join(f'<li><a href="mgUserInfo.aspx?UID={p.uid}" title="{mg_title("Link to user information for " + p.name)}">'
                    f"{esc(p.name)}</a></li>" for p in people)
    modgov = header("Councillors") + f'<div class="mgContent">\n<ul class="mgBulletList">\n{lis}\n</ul>\n</div>\n</div>'
    return _html(page("Councillors", modgov), TODAY)


def calendar(council: Council) -> Page:
    """A stub calendar; robots.txt disallows it, so a polite crawler never asks for it."""
    ms = [m for m in council.meetings() if (m.start.year, m.start.month) == (TODAY.year, TODAY.month)]
    lis = "\n".join(f'<li><a href="{href(m.url_path)}">{esc(m.committee_name)}, {list_when(m.start, "plain")}</a></li>'
                    for m in ms)
    modgov = header("Calendar", f"{TODAY:%B %Y}") + f'<div class="mgContent"><ul class="mgBulletList">\n{lis}\n</ul></div>\n</div>'
    return _html(page("Calendar", modgov), council.site_modified())


def document(council: Council, path: str) -> Page | None:
    """``documents/g<AgendaId>/<name>.pdf`` (meeting PDFs) and ``documents/s<DocId>/<name>.pdf``."""
    parts = path.split("/")
    if len(parts) != 3 or len(parts[1]) < 2 or not parts[1][1:].isdigit():
        return None
    kind, number, fname = parts[1][0].lower(), int(parts[1][1:]), parts[2]
    if kind == "g":
        m = council.meeting_by_agenda_id(number)
        for which, text, expected, _ in (_meeting_pdfs(council, m) if m else []):
            if fname == expected and which == "minutes" and council.printed_only(m.committee_id):
                return Page(printed.printed_minutes_pdf(council, m), "application/pdf", m.modified)
            if fname == expected:
                paras = agenda.meeting_document_text(council, m, which)
                return Page(pdf.text_pdf(paras, title=f"{text} - {m.committee_name}"), "application/pdf", m.modified)
        return None
    if kind == "s":
        item, doc = council.document(number)
        if fname == doc.filename:
            return Page(pdf.text_pdf(agenda.document_text(council, item, doc), title=doc.title), "application/pdf",
                        council.meeting(item.meeting_id).modified)
    return None
