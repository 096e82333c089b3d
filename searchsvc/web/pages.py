"""Record pages: item, meeting, speaker, committee and status, each with its JSON twin.

One function per page builds the data; the route decides HTML or JSON by which
URL was asked for (``/items/<id>`` or ``/api/items/<id>``), so the two can
never drift apart. An unknown id raises ``NotFound`` and the app's one error
handler answers 404 in the asked-for shape.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound

from searchsvc.index.documents import name_words
from searchsvc.records import Item, Meeting, Passage, to_dict
from searchsvc.web import trends as charts
from searchsvc.web.params import SearchParams, parse_search_args, reject_unknown
from searchsvc.web.render import hit_json, iso
from searchsvc.web.results import run_search, search_url
from searchsvc.web.services import services

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

SPEAKER_PAGE = 20


def _api() -> bool:
    return (request.endpoint or "").startswith("pages.api_")


def _out(template: str, data: dict[str, Any], json_data: dict[str, Any], json_url: str) -> Any:
    if _api():
        return jsonify({"ok": True, **json_data})
    return render_template(template, json_url=json_url, **data)


def item_url(item_id: str, external: bool = True) -> str:
    return url_for("pages.item", item_id=item_id, _external=external)


# --- item ------------------------------------------------------------------------------


def passages_of(item: Item) -> tuple[Passage, ...]:
    """The passages the page shows, with the same anchors the index links snippets to.

    Mirrors :func:`searchsvc.index.documents.item_doc`: enriched passages when there
    are any, else one passage per minutes/decision paragraph numbered ``p1``….
    """
    if item.passages:
        return tuple(p for p in item.passages if p.text.strip())
    paras = [("minutes", t) for t in item.minutes_paragraphs] + [("decision", t) for t in item.decision_paragraphs]
    return tuple(Passage(anchor=f"p{i}", text=text.strip(), section=section)
                 for i, (section, text) in enumerate((p for p in paras if p[1].strip()), start=1))


def mark_speakers(text: str, phrases: tuple[str, ...]) -> Markup:
    """Escaped ``text`` with each speaker phrase wrapped in ``<strong class="speaker-mention">``."""
    wanted = sorted({p for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(p) for p in wanted))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        out.append(f'<strong class="speaker-mention">{escape(m.group(0))}</strong>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def citation(item: Item, meeting: Meeting | None, council: str, page_url: str) -> str:
    """"Cite this": council, committee, date, minute number, title and the council's URL."""
    parts = [council]
    if meeting:
        parts.append(meeting.committee_name)
        if meeting.date:
            parts.append(f"{meeting.date:%-d %B %Y}")
    if item.number:
        parts.append(f"minute {item.number.rstrip('.')}")
    text = ", ".join(p for p in parts if p) + f": “{item.title}”."
    url = item.url or (meeting.url if meeting else "") or page_url
    return f"{text} {url} (accessed {date.today():%-d %B %Y})."


@bp.route("/items/<path:item_id>")
@bp.route("/api/items/<path:item_id>", endpoint="api_items")
def item(item_id: str) -> Any:
    reject_unknown(request.args)
    svc = services()
    record = svc.catalog.item(item_id)
    if record is None:
        raise NotFound(f"no agenda item with the id {item_id!r}")
    meeting = svc.catalog.meeting(record.meeting_record_id)
    passages = passages_of(record)
    council = svc.source_title(record.source)
    page_url = item_url(record.id)
    cite = citation(record, meeting, council, page_url)
    speakers = list(dict.fromkeys(s for p in passages for s in p.speakers))
    marked = [(p, mark_speakers(p.text, (*p.raw_speakers, *p.speakers))) for p in passages]
    meeting_url = url_for("pages.meeting", meeting_id=meeting.id) if meeting else ""
    data = {"item": record, "meeting": meeting, "council": council, "citation": cite, "speakers": speakers,
            "minutes": [(p, m) for p, m in marked if p.section != "decision"],
            "decision": [(p, m) for p, m in marked if p.section == "decision"],
            "meeting_url": meeting_url,
            "committee_url": url_for("pages.committee", committee_id=meeting.committee_record_id)
            if meeting else ""}
    json_data = {
        "id": record.id, "source": record.source, "council": council,
        "committee": meeting.committee_name if meeting else None,
        "date": iso(meeting.date) if meeting else None, "item_number": record.number, "title": record.title,
        "url": page_url, "source_url": record.url or None,
        "meeting": {"id": meeting.id, "url": url_for("pages.meeting", meeting_id=meeting.id, _external=True),
                    "source_url": meeting.url or None} if meeting else None,
        "topics": list(record.topics), "speakers": speakers, "procedural": record.procedural,
        "agenda_text": record.agenda_text,
        "passages": [{"anchor": p.anchor, "section": p.section, "text": p.text, "speakers": list(p.speakers)}
                     for p in passages],
        "documents": [{"title": d.title, "url": d.url, "kind": d.kind} for d in record.documents],
        "declarations": [to_dict(d) for d in record.declarations],
        "citation": cite,
    }
    return _out("item.html", data, json_data, url_for("pages.api_items", item_id=record.id))


# --- meeting -----------------------------------------------------------------------------


@bp.route("/meetings/<path:meeting_id>")
@bp.route("/api/meetings/<path:meeting_id>", endpoint="api_meetings")
def meeting(meeting_id: str) -> Any:
    reject_unknown(request.args)
    svc = services()
    record = svc.catalog.meeting(meeting_id)
    if record is None:
        raise NotFound(f"no meeting with the id {meeting_id!r}")
    items = [i for i, _batch in svc.catalog.items(meeting_id=record.id)]
    attendance: dict[str, list[Any]] = {}
    for member in record.attendance:
        attendance.setdefault(member.attendance or "Attended", []).append(member)
    council = svc.source_title(record.source)
    data = {"meeting": record, "items": items, "attendance": attendance, "council": council,
            "committee_url": url_for("pages.committee", committee_id=record.committee_record_id)}
    json_data = {"id": record.id, "source": record.source, "council": council,
                 "committee": {"id": record.committee_record_id, "name": record.committee_name,
                               "url": url_for("pages.committee", committee_id=record.committee_record_id,
                                              _external=True)},
                 "date": iso(record.date), "start": record.start.isoformat() if record.start else None,
                 "venue": record.venue, "status": record.status, "source_url": record.url or None,
                 "attendance": [to_dict(m) for m in record.attendance],
                 "documents": [{"title": d.title, "url": d.url, "kind": d.kind} for d in record.documents],
                 "items": [{"id": i.id, "item_number": i.number, "title": i.title, "url": item_url(i.id),
                            "procedural": i.procedural, "topics": list(i.topics)} for i in items]}
    return _out("meeting.html", data, json_data, url_for("pages.api_meetings", meeting_id=record.id))


# --- speaker -----------------------------------------------------------------------------


@bp.route("/speakers/<path:name>")
@bp.route("/api/speakers/<path:name>", endpoint="api_speakers")
def speaker(name: str) -> Any:
    """A speaker's passages over time (newest first), their committees and topics."""
    reject_unknown(request.args, ("page", "q"))
    if not name.strip():  # a blank name filters nothing: it was the unfiltered search, unlimited
        raise NotFound("a speaker page needs a speaker's name")
    asked = parse_search_args(request.args, max_query_length=services().config["search.max_query_length"])
    q, page = asked.q, asked.page
    params = SearchParams(q=q, speaker=(name,), sort="newest", page=page, per_page=SPEAKER_PAGE,
                          include_procedural=True, default_per_page=SPEAKER_PAGE)
    result = run_search(params)
    if result.total == 0 and not q:
        raise NotFound(f"no speaker called {name!r} in the index")
    key = name_words(name)
    catalog = services().catalog
    entries = []
    for hit in result.hits:
        record = catalog.item(hit.id)
        spoken = [p for p in passages_of(record)
                  if any(set(key) <= set(name_words(s)) for s in p.speakers)] if record else []
        entries.append((hit, spoken))
    years = {str(v.value): int(v.count) for v in result.facets.get("year", ())}
    bars = charts.year_bars(years, lambda y: search_url(SearchParams(speaker=(name,), year=(y,),
                                                                     include_procedural=True)))
    facet = {f: [(str(v.value), int(v.count)) for v in result.facets.get(f, ())] for f in ("committee", "topic")}
    last_page = max(1, -(-result.total // SPEAKER_PAGE))
    data = {"name": name, "q": q, "result": result, "entries": entries, "facet": facet, "page": page,
            "last_page": last_page,
            "chart": charts.bar_chart(bars, title=f"Items where {name} spoke, per year", chart_id="speaker-years"),
            "bars": bars, "search_url": search_url(SearchParams(speaker=(name,), include_procedural=True))}
    json_data = {"name": name, "total": result.total, "page": page, "per_page": SPEAKER_PAGE,
                 "committees": [{"value": v, "count": c} for v, c in facet["committee"]],
                 "topics": [{"value": v, "count": c} for v, c in facet["topic"]],
                 "years": [{"year": b.label, "count": b.count} for b in bars],
                 "items": [{**hit_json(h, item_url), "passages": [
                     {"anchor": p.anchor, "text": p.text, "speakers": list(p.speakers)} for p in spoken]}
                     for h, spoken in entries]}
    return _out("speaker.html", data, json_data, url_for("pages.api_speakers", name=name, **request.args))


# --- committee ---------------------------------------------------------------------------


@bp.route("/committees/<path:committee_id>")
@bp.route("/api/committees/<path:committee_id>", endpoint="api_committees")
def committee(committee_id: str) -> Any:
    reject_unknown(request.args)
    svc = services()
    record = svc.catalog.committee(committee_id)
    meetings = svc.recent_meetings(committee_id=committee_id)
    if record is None and not meetings:
        raise NotFound(f"no committee with the id {committee_id!r}")
    name = record.name if record else meetings[0].committee_name
    by_year: dict[int, list[Meeting]] = {}
    for m in meetings:
        by_year.setdefault(m.start.year if m.start else 0, []).append(m)
    data = {"committee": record, "name": name, "by_year": by_year, "council": svc.source_title(
        record.source if record else meetings[0].source), "search_url": search_url(SearchParams(committee=(name,)))}
    json_data = {"id": committee_id, "name": name, "source": record.source if record else meetings[0].source,
                 "category": record.category if record else "", "purpose": record.purpose if record else "",
                 "source_url": (record.url or None) if record else None,
                 "members": [to_dict(m) for m in record.members] if record else [],
                 "meetings": [{"id": m.id, "date": iso(m.date), "status": m.status,
                               "url": url_for("pages.meeting", meeting_id=m.id, _external=True)} for m in meetings]}
    return _out("committee.html", data, json_data, url_for("pages.api_committees", committee_id=committee_id))
