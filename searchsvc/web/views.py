"""One view object per record page, and the one place that decides how it is rendered.

Datasette's habit (``table_view_data`` plus a renderer chosen by the URL): a
page's builder returns a :class:`PageView` — the data a person sees and the
data a program gets, made together from the same records — and :func:`respond`
picks the output by the URL that was asked for: ``/api/…`` (or ``….json``) is
the JSON twin, anything else the HTML page. Builders never call
``render_template`` or ``jsonify`` themselves, so a page and its twin cannot
drift apart, and a new page is one builder plus one route line.

A view may also carry an Atom feed (``feed_url``): every page that has one
links it visibly and with ``<link rel="alternate">`` (base.html does both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import jsonify, render_template, request


@dataclass
class PageView:
    """What one record or listing page shows, ready for any renderer."""

    template: str  # the HTML rendering
    context: dict[str, Any]  # what the template reads (records, links, charts)
    data: dict[str, Any]  # the JSON twin's body, without ``ok`` (its keys are part of the API)
    json_url: str  # the JSON twin, linked from the HTML page
    feed_url: str = ""  # an Atom feed of the same records, when the page has one
    feed_title: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def respond(view: PageView) -> Any:
    """The view as JSON for ``/api/…`` URLs, else as its HTML page."""
    if wants_json():
        response = jsonify({"ok": True, **view.data})
    else:
        response = render_template(view.template, json_url=view.json_url, feed_url=view.feed_url,
                                   feed_title=view.feed_title, **view.context)
    if view.headers:
        from flask import make_response

        response = make_response(response)
        response.headers.update(view.headers)
    return response
