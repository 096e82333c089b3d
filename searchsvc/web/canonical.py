"""Shared links keep working: HTML pages drop arguments they do not take, by redirecting.

Platforms decorate links people share (``fbclid``, ``gclid``, ``mc_cid``,
``utm_source``…). A person following one must land on the page, not on "That
search could not be run". So for every HTML page we know which arguments it
reads; a GET that carries others is redirected (302) to the same URL without
them — the canonical URL, which is also what gets bookmarked and shared on.
The JSON API is left alone: a program that sends a typo'd argument is told so
(a 400 naming it), because silently ignoring ``comittee=…`` would return
unfiltered data that looks right.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import redirect, request

from searchsvc.web.params import KNOWN

SEARCH_ARGS = frozenset(KNOWN)
# endpoint → the arguments its HTML page reads; endpoints not named here are not touched.
PAGE_ARGS: dict[str, frozenset[str]] = {
    "search.home": frozenset(),
    "search.search": SEARCH_ARGS,
    "search.trends": SEARCH_ARGS,
    "search.atom": SEARCH_ARGS,
    "search.csv": SEARCH_ARGS | {"for"},  # for=excel: the same CSV with a byte-order mark
    "search.opensearch": frozenset(),
    "pages.item": SEARCH_ARGS,  # the search it was opened from: "back to results" and marked words
    "pages.meeting": frozenset(),
    "pages.committee": frozenset(),
    "pages.speaker": frozenset({"q", "page"}),
    "directory.councillors": frozenset(),
    "directory.committees": frozenset(),
    "directory.topics": frozenset(),
    "feeds.speaker": frozenset(),
    "feeds.committee": frozenset(),
    "ops.status": frozenset(),
    "ops.exports": frozenset(),
}


def drop_unknown_arguments() -> Any:
    """A ``before_request`` hook: redirect an HTML GET carrying arguments its page does not read."""
    if request.method != "GET" or request.path.startswith("/api/"):
        return None
    allowed = PAGE_ARGS.get(request.endpoint or "")
    if allowed is None or not request.args:
        return None
    kept = [(k, v) for k, values in request.args.lists() if k in allowed for v in values]
    if len(kept) == sum(len(v) for _k, v in request.args.lists()):
        return None
    path = request.script_root + quote(request.path, safe="/:@~!$&'()*+,;=")
    return redirect(path + ("?" + urlencode(kept) if kept else ""), 302)
