"""API-only routes: the OpenAPI description, the index of endpoints, the home page's JSON twin.

The search, item, meeting, speaker and committee endpoints live beside their HTML
pages (one function renders both); what is here has no HTML page of its own.
``openapi.json`` is a file kept next to this module and tested against the
app's routes, so the description cannot silently fall behind the code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from searchsvc.facets import FACETS, SORT_NAMES, Facet
from searchsvc.web import listings
from searchsvc.web.pages import upcoming_json
from searchsvc.web.params import reject_unknown
from searchsvc.web.render import iso
from searchsvc.web.services import services

bp = Blueprint("api", __name__)
OPENAPI_FILE = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """``openapi.json`` with what is defined elsewhere filled in: one parameter per facet
    (after ``q``) in every operation marked ``x-facets``, and the sort names
    (both from :mod:`searchsvc.facets`), so the document cannot fall behind them."""
    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    for methods in document["paths"].values():
        for operation in methods.values():
            parameters = operation.get("parameters", [])
            for p in parameters:
                if p["name"] == "sort":
                    p["schema"]["enum"] = list(SORT_NAMES)
            if operation.pop("x-facets", False):
                at = next((i + 1 for i, p in enumerate(parameters) if p["name"] == "q"), 0)
                parameters[at:at] = [facet_parameter(f) for f in FACETS]
    return document


def facet_parameter(facet: Facet) -> dict[str, Any]:
    """The OpenAPI description of one facet's query parameter (repeatable)."""
    items: dict[str, Any] = {"type": "string"}
    if facet.pattern:
        items["pattern"] = f"^{facet.pattern}$"
    return {"name": facet.name, "in": "query", "required": False, "description": facet.help,
            "schema": {"type": "array", "items": items}, "style": "form", "explode": True}


@bp.route("/api/openapi.json")
def openapi() -> Any:
    reject_unknown(request.args)
    document = dict(openapi_document())
    document["servers"] = [{"url": request.host_url.rstrip("/")}]
    return jsonify(document)


@bp.route("/api/")
@bp.route("/api")
def index() -> Any:
    reject_unknown(request.args)
    return jsonify({"ok": True, "openapi": url_for("api.openapi", _external=True),
                    "endpoints": sorted(path for path in openapi_document()["paths"])})


@bp.route("/api/coverage")
def coverage() -> Any:
    """What the index holds (the home page's JSON twin)."""
    reject_unknown(request.args)
    svc = services()
    cov = svc.coverage()
    recent = svc.recent_meetings(8)
    return jsonify({"ok": True, "items": cov.items, "meetings": cov.meetings, "committees": cov.committees,
                    "passages": cov.passages, "first": iso(cov.first), "last": iso(cov.last),
                    "sources": [{"name": n, "title": t} for n, t in cov.sources], "generation": cov.generation,
                    "recent_meetings": [{"id": m.id, "committee": m.committee_name, "date": iso(m.date),
                                         "status": m.status,
                                         "url": url_for("pages.meeting", meeting_id=m.id, _external=True)}
                                        for m in recent],
                    "upcoming_meetings": [upcoming_json(u) for u in listings.upcoming_meetings(
                        svc.catalog, listings.now_iso(), limit=listings.HOME_UPCOMING)]})
