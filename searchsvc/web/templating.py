"""Template filters and globals: dates in British style, safe snippets, plural words.

Why here and not in the templates: each is a small pure function that is easy to
test, and the one that produces markup (:func:`~searchsvc.web.render.snippet_markup`)
is the only way snippet HTML reaches a page — templates never use ``|safe``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, url_for

from searchsvc.web.render import distinct_snippets, keep_case, snippet_markup, web_url
from searchsvc.web.services import EXTENSION


def long_date(value: Any) -> str:
    """``10 July 2017`` (empty for None)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, str) and len(value) >= 10:
        try:
            return long_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return ""


def short_time(value: Any) -> str:
    if isinstance(value, datetime) and (value.hour or value.minute):
        return f"{value:%H:%M}"
    return ""


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def _search_link(params: Any) -> str:
    from searchsvc.web.results import search_url

    return search_url(params)


def _item_link(item_id: str, params: Any = None, anchor: str = "") -> str:
    """An item page opened from a search carries that search: the page marks its words and links back."""
    url = url_for("pages.item", item_id=item_id)
    args = params.to_args() if params is not None else []
    return url + ("?" + urlencode(args) if args else "") + (f"#{anchor}" if anchor else "")


def _source_title(name: str) -> str:
    """The council's name for a source id (pages show "Royal Borough of Kingston", not "kingston")."""
    from searchsvc.web.services import services

    return services().source_title(name)


def setup_templating(app: Flask) -> None:
    app.jinja_env.filters.update(long_date=long_date, short_time=short_time, snippet=snippet_markup, web_url=web_url,
                                 distinct=distinct_snippets, keep_case=keep_case)
    # A global, not a context value: imported macros (the search box) see globals only.
    limit = app.extensions[EXTENSION].config["search.max_query_length"]
    app.jinja_env.globals.update(plural=plural, max_query_length=limit, source_title=_source_title,
                                 search_link=_search_link, item_link=_item_link)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site() -> dict[str, Any]:
        return {"site_name": app.config["SITE_NAME"],
                "static_url": lambda name: url_for("static", filename=name)}
