"""A followed search, kept as canonical URL arguments (``q=foster&speaker=…``), and what it becomes.

Why URL arguments: they are what the web app already validates and writes back
(:meth:`searchsvc.web.params.SearchParams.to_args`), what a person can read in ``alerts
list``, and what a digest links to. Paging, sorting and ``since`` are not part of it: a digest
always asks for what is new since the batch an alert last reported, newest first.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode

from searchsvc.index import SearchRequest

FACET_LABELS = (("speaker", "Speaker"), ("committee", "Committee"), ("topic", "Topic"), ("year", "Year"),
                ("source", "Council"))
KEPT = ("q", "committee", "speaker", "topic", "year", "source", "from", "to", "procedural")


def canonical(args: list[tuple[str, str]]) -> str:
    """The query string of a followed search: only the arguments that choose items, in the given order."""
    return urlencode([(k, v) for k, v in args if k in KEPT and v])


def to_request(query: str, since_batch: int | None, per_page: int) -> SearchRequest:
    pairs = parse_qsl(query, keep_blank_values=False)
    one = {k: v for k, v in pairs if k in ("q", "from", "to", "procedural")}
    multi = {f: tuple(v for k, v in pairs if k == f) for f, _ in FACET_LABELS}
    return SearchRequest(q=one.get("q", ""), **multi,
                         date_from=date.fromisoformat(one["from"]) if one.get("from") else None,
                         date_to=date.fromisoformat(one["to"]) if one.get("to") else None,
                         include_procedural=one.get("procedural") == "show", sort="newest", page=1,
                         per_page=per_page, since_batch=since_batch, facets=False)


def label(query: str) -> str:
    """What a person calls the alert: ``“foster care” · Speaker: Councillor Jan Reed``."""
    pairs = parse_qsl(query)
    parts = [f"“{v}”" for k, v in pairs if k == "q"]
    for field, name in FACET_LABELS:
        values = [v for k, v in pairs if k == field]
        if values:
            parts.append(f"{name}: {' or '.join(values)}")
    dates = {k: v for k, v in pairs if k in ("from", "to")}
    if dates:
        parts.append(f"Dates: {dates.get('from', 'any')} to {dates.get('to', 'any')}")
    text = " · ".join(parts) or "Everything"
    return " ".join(text.split())[:300]  # one line, whatever was typed


def search_path(query: str, since_batch: int | None = None) -> str:
    """The site path of the search (what's new since ``since_batch``, newest first)."""
    extra = [("sort", "newest")] + ([("since", str(since_batch))] if since_batch is not None else [])
    return "search?" + "&".join(x for x in (query, urlencode(extra)) if x)
