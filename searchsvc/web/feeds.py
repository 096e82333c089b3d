"""Atom feeds to follow a speaker or a committee, beside the saved-search feed (``/search.atom``).

The same :func:`~searchsvc.web.render.atom_feed` as a search's feed, on the
same newest-first search a speaker's or committee's page runs: entry ids are
the item pages' URLs, so a feed reader shows each new item once. Each page
links its feed visibly and with ``<link rel="alternate">`` (base.html).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, url_for
from werkzeug.exceptions import NotFound

from searchsvc.web.params import SearchParams
from searchsvc.web.render import atom_feed
from searchsvc.web.results import run_search
from searchsvc.web.services import services

bp = Blueprint("feeds", __name__)
FEED_ENTRIES = 50


def _item_url(item_id: str) -> str:
    return url_for("pages.item", item_id=item_id, _external=True)


def _feed(params: SearchParams, title: str, feed_url: str, html_url: str) -> Response:
    result = run_search(params, page=1, per_page=FEED_ENTRIES, facets=False)
    body = atom_feed(result.hits, title=f"{current_app.config['SITE_NAME']}: {title}", feed_url=feed_url,
                     html_url=html_url, item_url=_item_url)
    return Response(body, mimetype="application/atom+xml")


@bp.route("/feeds/speakers/<path:name>")
def speaker(name: str) -> Any:
    if not name.strip():  # a blank name filters nothing: it would be the feed of everything
        raise NotFound("a speaker feed needs a speaker's name")
    params = SearchParams(speaker=(name,), sort="newest", include_procedural=True)
    return _feed(params, f"items where {name} spoke", url_for("feeds.speaker", name=name, _external=True),
                 url_for("pages.speaker", name=name, _external=True))


@bp.route("/feeds/committees/<path:committee_id>")
def committee(committee_id: str) -> Any:
    record = services().catalog.committee(committee_id)
    if record is None:
        raise NotFound(f"no committee with the id {committee_id!r}")
    params = SearchParams(committee=(record.name,), sort="newest")
    return _feed(params, record.name, url_for("feeds.committee", committee_id=committee_id, _external=True),
                 url_for("pages.committee", committee_id=committee_id, _external=True))
