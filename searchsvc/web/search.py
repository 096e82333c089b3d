"""The search blueprint: home, results, their JSON/Atom/CSV twins, trends and OpenSearch.

Every route here parses its arguments with :func:`~searchsvc.web.params.parse_search_args`
and builds the same :class:`~searchsvc.web.results.SearchView`; only the last line
differs by format. Feeds are always newest first (a feed reader wants what is
new), and the CSV export pages through the index up to ``web.csv_max_rows``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from searchsvc.errors import QueryError
from searchsvc.index.search import MAX_DEPTH, MAX_PER_PAGE
from searchsvc.web import listings
from searchsvc.web import trends as charts
from searchsvc.web.explain import describe
from searchsvc.web.params import SearchParams, parse_search_args, reject_unknown
from searchsvc.web.render import UTF8_BOM, atom_feed, csv_row, csv_text, search_json
from searchsvc.web.results import build_view, run_search, search_url
from searchsvc.web.services import services

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)

RECENT_MEETINGS = 8
TOP_SPEAKERS = 10


def params_from_request(**kw: Any) -> SearchParams:
    config = services().config
    return parse_search_args(request.args, per_page=config["search.per_page"],
                             max_per_page=min(config["search.max_per_page"], MAX_PER_PAGE),
                             max_query_length=config["search.max_query_length"], **kw)


def item_url(item_id: str) -> str:
    return url_for("pages.item", item_id=item_id, _external=True)


@bp.route("/")
def home() -> str:
    reject_unknown(request.args)
    svc = services()
    coverage = svc.coverage()
    upcoming = listings.upcoming_meetings(svc.catalog, listings.now_iso(), limit=listings.HOME_UPCOMING)
    return render_template("home.html", coverage=coverage, meetings=svc.recent_meetings(RECENT_MEETINGS),
                           upcoming=upcoming, json_url=url_for("api.coverage"))


@bp.route("/search")
def search() -> str:
    params = params_from_request()
    view = build_view(params)
    json_url = search_url(params, "search.api_search")
    csv_url = search_url(params.with_page(1), "search.csv")
    return render_template("search.html", view=view, params=params, json_url=json_url,
                           atom_url=search_url(params.with_sort("newest").with_page(1), "search.atom"),
                           csv_url=csv_url, excel_csv_url=csv_url + ("&" if "?" in csv_url else "?") + "for=excel",
                           trends_url=search_url(params.with_page(1), "search.trends"))


@bp.route("/api/search")
def api_search() -> Response:
    params = params_from_request()
    return jsonify(search_json(build_view(params, "search.api_search"), item_url))


@bp.route("/search.atom")
def atom() -> Response:
    params = params_from_request().with_sort("newest")
    result = run_search(params, facets=False)
    feed = atom_feed(result.hits, title=f"{current_app.config['SITE_NAME']}: {params.q or 'all items'}",
                     subtitle=describe(params), feed_url=search_url(params, "search.atom", external=True),
                     html_url=search_url(params, "search.search", external=True), item_url=item_url)
    return Response(feed, mimetype="application/atom+xml")


@bp.route("/search.csv", endpoint="csv")
def csv_export() -> Response:
    """The results from the requested page on, up to ``web.csv_max_rows`` rows (``for=excel``: with a BOM)."""
    params = params_from_request(extra=("for",))
    config = services().config
    cap = config["web.csv_max_rows"]
    start = (params.page - 1) * params.per_page
    if start + params.per_page > MAX_DEPTH:
        raise QueryError(f"Results can only be exported {MAX_DEPTH:,} items deep; narrow the search or add filters.")
    # One search for every row (it used to be one per 100 rows, each planning the query again and
    # building snippets a CSV row never shows): 26 ORed prefixes took 13 s.
    result = run_search(params, page=1, per_page=min(start + cap, MAX_DEPTH), facets=False, snippets=False)
    rows = [csv_row(h, item_url) for h in list(result.hits)[start:start + cap]]
    body, suffix = csv_text(rows), ""
    if request.args.get("for") == "excel":
        body, suffix = UTF8_BOM.decode("utf-8") + body, "-excel"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": csv_disposition(params.q, suffix)})


def csv_disposition(q: str, suffix: str = "") -> str:
    """``attachment`` named after the query: an ASCII name for every client plus the UTF-8 one
    (RFC 6266). Headers must be Latin-1: "cyngor ŵ" in a plain filename was a bare 500 from the server."""
    from urllib.parse import quote

    words = "".join(c if c.isalnum() else "-" for c in q)[:40].strip("-")
    ascii_name = "".join(c if c.isascii() and c.isalnum() else "-" for c in words).strip("-")
    name = f"search-{ascii_name or 'all'}{suffix}.csv"
    if words and words != ascii_name:
        return f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(f'search-{words}{suffix}.csv')}"
    return f'attachment; filename="{name}"'


@bp.route("/opensearch.xml")
def opensearch() -> Response:
    reject_unknown(request.args)
    body = render_template("opensearch.xml")
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.route("/trends")
def trends() -> str:
    params = params_from_request()
    data = trends_data(params)
    return render_template("trends.html", params=params, data=data, params_description=describe(params),
                           json_url=search_url(params, "search.api_trends"),
                           search_link=search_url(params.with_page(1)),
                           month_urls={b.label: search_url(params.with_year(b.label), "search.trends")
                                       for b in data["year_bars"]},
                           speaker_links={n: search_url(_spoken_by(params, n)) for n, _c in data["speakers"]})


@bp.route("/api/trends")
def api_trends() -> Response:
    params = params_from_request()
    data = trends_data(params)
    return jsonify({"ok": True, "query": params.as_dict(), "total": data["total"],
                    "years": [{"year": b.label, "count": b.count, "share": b.share, "partial": b.partial}
                              for b in data["year_bars"]],
                    "months": [{"month": f"{data['month_year']}-{i + 1:02d}", "count": b.count}
                               for i, b in enumerate(data["month_bars"])],
                    "speakers": [{"name": n, "count": c} for n, c in data["speakers"]]})


def trends_data(params: SearchParams) -> dict[str, Any]:
    """Items per year (and per month when one year is chosen) and the top speakers on the query.

    The year chart ignores the year filter (so every year stays visible and
    clickable); the month chart needs one search per month, twelve small counts.
    """
    base = params.replace(year=(), page=1)
    everything = run_search(base, per_page=1)
    years = {str(v.value): int(v.count) for v in everything.facets.get("year", ())}
    archive = run_search(SearchParams(source=params.source, include_procedural=params.include_procedural), per_page=1)
    totals = {str(v.value): int(v.count) for v in archive.facets.get("year", ())}  # for each year's share
    year_bars = charts.year_bars(years, lambda y: search_url(params.with_year(y)), totals=totals)
    month_year = int(params.year[0]) if len(params.year) == 1 else None
    month_bars: list[charts.Bar] = []
    if month_year:
        counts = [run_search(base.with_month(month_year, m), per_page=1, facets=False).total for m in range(1, 13)]
        month_bars = charts.month_bars(month_year, counts, lambda m: search_url(params.with_month(month_year, m)))
    current = run_search(params.replace(page=1), per_page=1)
    speakers = top_speakers(params, current)
    return {"total": current.total, "year_bars": year_bars, "month_bars": month_bars, "month_year": month_year,
            "year_chart": charts.bar_chart(year_bars, title="Matching items per year", chart_id="years"),
            "month_chart": charts.bar_chart(month_bars, title=f"Matching items per month in {month_year}",
                                            chart_id="months") if month_year else None,
            "speakers": speakers,
            "year_links": {b.label: b.href for b in year_bars}}


def _spoken_by(params: SearchParams, name: str) -> SearchParams:
    """The search narrowed to passages spoken by ``name`` (the words in *their* passages)."""
    if params.q and '"' not in name:
        return params.replace(q=f'speaker:"{name}" ({params.q})', page=1)
    return params.replace(speaker=(name,), page=1)


def top_speakers(params: SearchParams, result: Any) -> list[tuple[str, int]]:
    """Who speaks most on this: the speaker facet, which with words in the query counts the
    items where *their own passage* matches it (docs/architecture.md, "Search semantics"), as
    choosing them returns."""
    return [(str(v.value), int(v.count)) for v in result.facets.get("speaker", ()) if v.count][:TOP_SPEAKERS]
