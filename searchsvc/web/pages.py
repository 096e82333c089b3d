"""Record pages: item, meeting, speaker and committee, each with its JSON twin.

One builder per page (``item_view``, ``meeting_view``…) returns a
:class:`~searchsvc.web.views.PageView`; the route only hands it to
:func:`~searchsvc.web.views.respond`, which renders HTML or JSON by the URL
asked for (``/items/<id>`` or ``/api/items/<id>``), so the two can never drift
apart. An unknown id raises ``NotFound`` and the app's one error handler
answers 404 in the asked-for shape. HTML pages ignore arguments they do not
use (links shared on social media arrive decorated); the JSON twins reject them.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound

from searchsvc.facets import name_words, selects
from searchsvc.index.documents import item_passages
from searchsvc.people import profile
from searchsvc.records import Item, Meeting, Passage, to_dict
from searchsvc.web import listings
from searchsvc.web import trends as charts
from searchsvc.web.highlight import mark, query_words
from searchsvc.web.params import SearchParams, parse_search_args, reject_unknown
from searchsvc.web.render import hit_json, iso
from searchsvc.web.results import run_search, search_url
from searchsvc.web.services import services
from searchsvc.web.views import PageView, respond

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

SPEAKER_PAGE = 20
SPEAKER_NAMES = "searchsvc_speaker_names"  # app.extensions key of the per-app listings.SpeakerNames


def _api() -> bool:
    return (request.endpoint or "").startswith("pages.api_")


def item_url(item_id: str, external: bool = True) -> str:
    return url_for("pages.item", item_id=item_id, _external=external)


# --- item ------------------------------------------------------------------------------


def passages_of(item: Item) -> tuple[Passage, ...]:
    """The passages the page shows, with the anchors the index links snippets to (one rule:
    :func:`searchsvc.index.documents.item_passages`)."""
    return item_passages(item)


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


def _search_context() -> SearchParams | None:
    """The search an item page was opened from (its links carry it), for "back to results" and marks."""
    if _api():
        reject_unknown(request.args)
        return None
    params = parse_search_args(request.args, max_query_length=services().config["search.max_query_length"])
    return None if params.empty else params


def item_view(item_id: str, context: SearchParams | None = None) -> PageView:
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
    words = query_words(context.q) if context else ()
    marked = [(p, mark(p.text, (*p.raw_speakers, *p.speakers), words)) for p in passages]
    meeting_url = url_for("pages.meeting", meeting_id=meeting.id) if meeting else ""
    context_data = {
        "item": record, "meeting": meeting, "council": council, "citation": cite, "speakers": speakers,
        "minutes": [(p, m) for p, m in marked if p.section != "decision"],
        "decision": [(p, m) for p, m in marked if p.section == "decision"],
        "meeting_url": meeting_url, "searched": context, "marked_words": words,
        "back_url": search_url(context) if context else "",
        "committee_url": url_for("pages.committee", committee_id=meeting.committee_record_id) if meeting else ""}
    data = {
        "id": record.id, "source": record.source, "council": council,
        "committee": meeting.committee_name if meeting else None,
        "date": iso(meeting.date) if meeting else None, "item_number": record.number, "title": record.title,
        "url": page_url, "source_url": record.url or None,
        "meeting": {"id": meeting.id, "url": url_for("pages.meeting", meeting_id=meeting.id, _external=True),
                    "source_url": meeting.url or None} if meeting else None,
        "topics": list(record.topics), "speakers": speakers, "procedural": record.procedural,
        "agenda_text": record.agenda_text,
        # Minutes read from the council's printed PDF: where, and each passage's page in it.
        "minutes_pdf": record.minutes_pdf or None, "ocr_confidence": record.ocr_confidence or None,
        "passages": [{"anchor": p.anchor, "section": p.section, "text": p.text, "speakers": list(p.speakers),
                      **({"page": p.page, "pdf_url": f"{record.minutes_pdf}#page={p.page}"}
                         if p.page and record.minutes_pdf else {})}
                     for p in passages],
        "documents": [{"title": d.title, "url": d.url, "kind": d.kind} for d in record.documents],
        "declarations": [to_dict(d) for d in record.declarations],
        "citation": cite,
    }
    return PageView("item.html", context_data, data, url_for("pages.api_items", item_id=record.id))


@bp.route("/items/<path:item_id>")
@bp.route("/api/items/<path:item_id>", endpoint="api_items")
def item(item_id: str) -> Any:
    return respond(item_view(item_id, _search_context()))


# --- meeting -----------------------------------------------------------------------------


def meeting_view(meeting_id: str) -> PageView:
    svc = services()
    record = svc.catalog.meeting(meeting_id)
    if record is None:
        raise NotFound(f"no meeting with the id {meeting_id!r}")
    items = [i for i, _batch in svc.catalog.items(meeting_id=record.id)]
    attendance: dict[str, list[Any]] = {}
    for member in record.attendance:
        attendance.setdefault(member.attendance or "Attended", []).append(member)
    council = svc.source_title(record.source)
    context = {"meeting": record, "items": items, "attendance": attendance, "council": council,
               "committee_url": url_for("pages.committee", committee_id=record.committee_record_id)}
    data = {"id": record.id, "source": record.source, "council": council,
            "committee": {"id": record.committee_record_id, "name": record.committee_name,
                          "url": url_for("pages.committee", committee_id=record.committee_record_id,
                                         _external=True)},
            "date": iso(record.date), "start": record.start.isoformat() if record.start else None,
            "venue": record.venue, "status": record.status, "source_url": record.url or None,
            "attendance": [to_dict(m) for m in record.attendance],
            "documents": [{"title": d.title, "url": d.url, "kind": d.kind} for d in record.documents],
            "items": [{"id": i.id, "item_number": i.number, "title": i.title, "url": item_url(i.id),
                       "procedural": i.procedural, "topics": list(i.topics)} for i in items]}
    return PageView("meeting.html", context, data, url_for("pages.api_meetings", meeting_id=record.id))


@bp.route("/meetings/<path:meeting_id>")
@bp.route("/api/meetings/<path:meeting_id>", endpoint="api_meetings")
def meeting(meeting_id: str) -> Any:
    if _api():
        reject_unknown(request.args)
    return respond(meeting_view(meeting_id))


# --- speaker -----------------------------------------------------------------------------


@bp.record_once
def _speaker_names_cache(state: Any) -> None:
    state.app.extensions[SPEAKER_NAMES] = listings.SpeakerNames()


def canonical_speaker(name: str) -> str | None:
    """The one full name ``name`` stands for ("Reed" → "Councillor Jan Reed"), or None if none or several."""
    if not name_words(name):
        return None
    svc = services()
    known = current_app.extensions[SPEAKER_NAMES].get(svc.reader.version(), svc.catalog)
    return known.canonical(name)


def speaker_view(name: str, q: str, page: int) -> PageView:
    """A speaker's passages over time (newest first), their committees and topics."""
    if not name.strip():  # a blank name filters nothing: it was the unfiltered search, unlimited
        raise NotFound("a speaker page needs a speaker's name")
    params = SearchParams(q=q, speaker=(name,), sort="newest", page=page, per_page=SPEAKER_PAGE,
                          include_procedural=True, default_per_page=SPEAKER_PAGE)
    result = run_search(params)
    if result.total == 0 and not q:
        raise NotFound(f"no speaker called {name!r} in the index")
    catalog = services().catalog
    entries = []
    for hit in result.hits:
        record = catalog.item(hit.id)
        spoken = [p for p in passages_of(record)
                  if any(selects("speaker", name, s) for s in p.speakers)] if record else []
        entries.append((hit, spoken))
    years = {str(v.value): int(v.count) for v in result.facets.get("year", ())}
    bars = charts.year_bars(years, lambda y: search_url(SearchParams(speaker=(name,), year=(y,),
                                                                     include_procedural=True)))
    facet = {f: [(str(v.value), int(v.count)) for v in result.facets.get(f, ())] for f in ("committee", "topic")}
    last_page = max(1, -(-result.total // SPEAKER_PAGE))
    who = profile(catalog, name)  # party, ward and posts where the council publishes them
    context = {"name": name, "who": who, "q": q, "result": result, "entries": entries, "facet": facet, "page": page,
               "last_page": last_page,
               "chart": charts.bar_chart(bars, title=f"Items where {name} spoke, per year",
                                         chart_id="speaker-years"),
               "bars": bars, "search_url": search_url(SearchParams(speaker=(name,), include_procedural=True))}
    data = {"name": name, "party": who.party if who else "", "ward": who.ward if who else "",
            "posts": list(who.posts) if who else [], "details_as_of": iso(who.as_of) if who else None,
            "total": result.total, "page": page, "per_page": SPEAKER_PAGE,
            "committees": [{"value": v, "count": c} for v, c in facet["committee"]],
            "topics": [{"value": v, "count": c} for v, c in facet["topic"]],
            "years": [{"year": b.label, "count": b.count} for b in bars],
            "feed": url_for("feeds.speaker", name=name, _external=True),
            "items": [{**hit_json(h, item_url), "passages": [
                {"anchor": p.anchor, "text": p.text, "speakers": list(p.speakers)} for p in spoken]}
                for h, spoken in entries]}
    args = {k: v for k, v in (("q", q), ("page", page if page > 1 else None)) if v}
    return PageView("speaker.html", context, data, url_for("pages.api_speakers", name=name, **args),
                    feed_url=url_for("feeds.speaker", name=name), feed_title=f"New items where {name} spoke")


@bp.route("/speakers/<path:name>")
@bp.route("/api/speakers/<path:name>", endpoint="api_speakers")
def speaker(name: str) -> Any:
    if _api():
        reject_unknown(request.args, ("page", "q"))
    asked = parse_search_args({k: v for k, v in request.args.lists() if k in ("q", "page")},
                              max_query_length=services().config["search.max_query_length"])
    full = canonical_speaker(name)
    if full:  # one person answers to this short name: send everyone to their one page
        endpoint = "pages.api_speakers" if _api() else "pages.speaker"
        args = {k: v for k, v in (("q", asked.q), ("page", asked.page if asked.page > 1 else None)) if v}
        return redirect(url_for(endpoint, name=full, **args), 301)
    return respond(speaker_view(name, asked.q, asked.page))


# --- committee ---------------------------------------------------------------------------


def committee_view(committee_id: str) -> PageView:
    svc = services()
    record = svc.catalog.committee(committee_id)
    meetings = svc.recent_meetings(committee_id=committee_id, include_future=True)
    if record is None and not meetings:
        raise NotFound(f"no committee with the id {committee_id!r}")
    name = record.name if record else meetings[0].committee_name
    by_year: dict[int, list[Meeting]] = {}
    for m in meetings:
        by_year.setdefault(m.start.year if m.start else 0, []).append(m)
    upcoming = listings.upcoming_meetings(svc.catalog, listings.now_iso(), committee_id=committee_id)
    context = {"committee": record, "name": name, "by_year": by_year, "upcoming": upcoming,
               "council": svc.source_title(record.source if record else meetings[0].source),
               "search_url": search_url(SearchParams(committee=(name,)))}
    data = {"id": committee_id, "name": name, "source": record.source if record else meetings[0].source,
            "category": record.category if record else "", "purpose": record.purpose if record else "",
            "source_url": (record.url or None) if record else None,
            "members": [to_dict(m) for m in record.members] if record else [],
            "feed": url_for("feeds.committee", committee_id=committee_id, _external=True),
            "upcoming": [upcoming_json(u) for u in upcoming],
            "meetings": [{"id": m.id, "date": iso(m.date), "status": m.status,
                          "url": url_for("pages.meeting", meeting_id=m.id, _external=True)} for m in meetings]}
    return PageView("committee.html", context, data, url_for("pages.api_committees", committee_id=committee_id),
                    feed_url=url_for("feeds.committee", committee_id=committee_id),
                    feed_title=f"New items from the {name}")


def upcoming_json(upcoming: listings.Upcoming) -> dict[str, Any]:
    m = upcoming.meeting
    return {"id": m.id, "committee": m.committee_name, "date": iso(m.date),
            "start": m.start.isoformat() if m.start else None, "venue": m.venue,
            "url": url_for("pages.meeting", meeting_id=m.id, _external=True), "source_url": m.url or None,
            "agenda": [{"id": i.id, "title": i.title, "url": item_url(i.id)} for i in upcoming.agenda]}


@bp.route("/committees/<path:committee_id>")
@bp.route("/api/committees/<path:committee_id>", endpoint="api_committees")
def committee(committee_id: str) -> Any:
    if _api():
        reject_unknown(request.args)
    return respond(committee_view(committee_id))
