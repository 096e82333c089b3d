"""Places to start: /councillors, /committees and /topics, each with its JSON twin under /api/.

For someone who does not yet know what to search for: who sits on the council
and how often they speak, which committees meet and when next, what the items
are about. Built like the record pages — one :class:`~searchsvc.web.views.PageView`
per page from :mod:`~searchsvc.web.listings`, rendered as HTML or JSON by the URL.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

from searchsvc.web import listings
from searchsvc.web.params import SearchParams, reject_unknown
from searchsvc.web.results import search_url
from searchsvc.web.services import services
from searchsvc.web.views import PageView, respond, wants_json

bp = Blueprint("directory", __name__)


def _check_args() -> None:
    if wants_json():  # HTML pages ignore decorations added to shared links; the API names typos
        reject_unknown(request.args)


def _meeting_link(pair: tuple[str, str] | None) -> dict[str, Any] | None:
    if pair is None:
        return None
    meeting_id, start = pair
    return {"id": meeting_id, "date": start[:10], "url": url_for("pages.meeting", meeting_id=meeting_id,
                                                                  _external=True)}


@bp.route("/councillors")
@bp.route("/api/councillors", endpoint="api_councillors")
def councillors() -> Any:
    _check_args()
    people = listings.councillors(services().catalog)
    parties = sorted({c.party for c in people if c.party})
    data = {"total": len(people), "councillors": [{
        "name": c.name, "party": c.party or None, "ward": c.ward or None, "posts": c.posts, "roles": c.roles,
        "committees": [{"id": cid, "name": name, "url": url_for("pages.committee", committee_id=cid, _external=True)}
                       for cid, name in c.committees],
        "items_spoken": c.items_spoken, "passages": c.passages,
        "url": url_for("pages.speaker", name=c.name, _external=True),
        "newest_contribution": {"id": c.newest_item, "title": c.newest_title, "date": c.newest_date or None,
                                "url": url_for("pages.item", item_id=c.newest_item, _external=True)}
        if c.newest_item else None} for c in people]}
    return respond(PageView("councillors.html", {"people": people, "parties": parties}, data,
                            url_for("directory.api_councillors")))


@bp.route("/committees")
@bp.route("/api/committees", endpoint="api_committees")
def committees() -> Any:
    _check_args()
    svc = services()
    summaries = listings.committee_summaries(svc.catalog, listings.now_iso())
    data = {"total": len(summaries), "committees": [{
        "id": c.id, "name": c.name, "source": c.source, "category": c.category or None,
        "meetings_held": c.meetings_held, "last_meeting": _meeting_link(c.last_meeting),
        "next_meeting": _meeting_link(c.next_meeting),
        "url": url_for("pages.committee", committee_id=c.id, _external=True)} for c in summaries]}
    by_category: dict[str, list[listings.CommitteeSummary]] = {}
    for c in summaries:
        by_category.setdefault(c.category or "Committees", []).append(c)
    return respond(PageView("committees.html", {"by_category": by_category}, data,
                            url_for("directory.api_committees")))


@bp.route("/topics")
@bp.route("/api/topics", endpoint="api_topics")
def topics() -> Any:
    _check_args()
    summaries = listings.topic_summaries(services().catalog)
    links = {t.name: (search_url(SearchParams(topic=(t.name,))), search_url(SearchParams(topic=(t.name,)),
                                                                             "search.trends")) for t in summaries}
    data = {"total": len(summaries), "topics": [{
        "name": t.name, "items": t.items, "newest": t.newest or None,
        "search_url": url_for("search.search", topic=t.name, _external=True)} for t in summaries]}
    return respond(PageView("topics.html", {"topics": summaries, "links": links}, data,
                            url_for("directory.api_topics")))
