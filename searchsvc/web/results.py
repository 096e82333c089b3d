"""One search → one :class:`SearchView`: the data object every output format renders.

Datasette's habit: the view builds a plain object (results, facets with their
toggle URLs, pagination, the plain-words echo, why there are no results) and
``render.py`` / the templates only turn it into HTML, JSON, Atom or CSV. So the
formats cannot disagree about what a search found, and the JSON API is tested
through the same code path as the pages people see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Callable
from urllib.parse import urlencode

from flask import url_for

from searchsvc.facets import FACETS, SORTS
from searchsvc.facets import selects as _selects
from searchsvc.web.explain import describe
from searchsvc.web.params import SearchParams
from searchsvc.web.render import keep_case
from searchsvc.web.services import services

log = logging.getLogger(__name__)

FACETS_SHOWN = 8  # values shown before "show more"


@dataclass(frozen=True)
class FacetValueView:
    value: str
    count: int
    selected: bool
    link: Callable[[], str] = field(repr=False, compare=False)
    approximate: bool = False  # an upper bound (searchsvc.index.facets.FacetValue.approximate)

    @cached_property
    def toggle_url(self) -> str:
        """Built only when a page shows it: the JSON API never does, and building the ~200 toggle
        URLs of a result's facets was most of a cached ``/api/search`` (bench/README.md).
        Built once: a selected value's removal link appears twice on the page (chip and list)."""
        return self.link()


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    values: tuple[FacetValueView, ...]  # shown at once: the selected ones and the top few
    more: tuple[FacetValueView, ...]  # behind "show more"

    @property
    def selected(self) -> tuple[FacetValueView, ...]:
        return tuple(v for v in self.values + self.more if v.selected)


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass
class SearchView:
    params: SearchParams
    result: Any  # searchsvc.index.SearchResult
    description: str
    facets: list[FacetView] = field(default_factory=list)
    page_links: list[PageLink | None] = field(default_factory=list)  # None = an ellipsis
    prev_url: str = ""
    next_url: str = ""
    last_page: int = 1
    explanations: list[str] = field(default_factory=list)
    suggestion_url: str = ""
    procedural_toggle_url: str = ""
    sort_links: list[tuple[str, str, bool]] = field(default_factory=list)  # (sort, url, current)
    sort_labels: dict[str, str] = field(default_factory=lambda: {s.name: s.label for s in SORTS})
    hidden_procedural: int = 0  # how many procedural items the "hide" toggle leaves out

    @property
    def hits(self) -> list[Any]:
        return list(self.result.hits)

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def first_shown(self) -> int:
        return (self.params.page - 1) * self.params.per_page + 1 if self.result.hits else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.result.hits) - 1 if self.result.hits else 0


def search_url(params: SearchParams, endpoint: str = "search.search", external: bool = False) -> str:
    """The URL of ``params`` on ``endpoint`` with canonical arguments."""
    base = url_for(endpoint, _external=external)
    args = params.to_args()
    return base + ("?" + urlencode(args) if args else "")


def run_search(params: SearchParams, **overrides: Any) -> Any:
    """Ask the index; a bad query raises QueryError (→ 400) from the index itself."""
    return services().reader.search(params.to_request(**overrides))


def build_view(params: SearchParams, endpoint: str = "search.search") -> SearchView:
    result = run_search(params)
    url: Callable[[SearchParams], str] = lambda p: search_url(p, endpoint)  # noqa: E731
    # Without words there is no relevance: the index lists newest first, and the page says so.
    applied = getattr(result, "sort", params.sort) or params.sort
    view = SearchView(params=params, result=result, description=describe(params.replace(sort=applied)))
    view.facets = facet_views(params, result.facets, url)
    view.last_page = max(1, -(-result.total // params.per_page))
    if params.page > 1:
        view.prev_url = url(params.with_page(min(params.page - 1, view.last_page)))
    if params.page < view.last_page:
        view.next_url = url(params.with_page(params.page + 1))
    view.page_links = _page_links(params, view.last_page, url)
    if result.suggestion:
        view.suggestion_url = url(params.replace(q=keep_case(result.suggestion, params.q), page=1))
    view.procedural_toggle_url = url(params.with_procedural(not params.include_procedural))
    view.sort_links = [(s.name, url(params.with_sort(s.name)), s.name == applied) for s in SORTS
                       if params.q or not s.needs_words]
    if not params.include_procedural and params.q:
        view.hidden_procedural = result.hidden_procedural
    if result.total == 0:
        view.explanations = explain_zero(params, view.hidden_procedural)
    return view


def facet_views(params: SearchParams, facets: dict[str, Any], url: Callable[[SearchParams], str]) -> list[FacetView]:
    views = []
    for definition in FACETS:
        name = definition.name
        raw = list(facets.get(name, ()) or ())
        if definition.only_if_several and len(raw) < 2 and not params.selected(name):
            continue  # one council: the facet would say nothing
        if definition.by_value:
            raw.sort(key=lambda v: str(v.value), reverse=True)
        chosen = params.selected(name)
        values, covered = [], set()
        for v in raw:
            value = str(v.value)
            # The index marks a value selected when a typed filter resolved to it ("Reed" selects
            # "Councillor Jan Reed"); switching it off removes the typed values that chose it.
            typed = tuple(t for t in chosen if selects(name, t, value))
            covered.update(typed)
            off = bool(typed or v.selected)
            values.append(FacetValueView(value, int(v.count), off, partial(_toggle_url, url, params, name, value,
                                                                           typed if off else None),
                                         bool(getattr(v, "approximate", False))))
        # A selected value the index no longer counts (0 matches) must still be switchable off.
        values += [FacetValueView(t, 0, True, partial(_toggle_url, url, params, name, t, None))
                   for t in chosen if t not in covered]
        shown = [v for i, v in enumerate(values) if i < FACETS_SHOWN or v.selected]
        more = [v for i, v in enumerate(values) if not (i < FACETS_SHOWN or v.selected)]
        views.append(FacetView(name, definition.label, tuple(shown), tuple(more)))
    return views


def selects(facet: str, typed: str, value: str) -> bool:
    """Whether the filter text ``typed`` chooses the facet value ``value`` (the index's own rule,
    :meth:`searchsvc.facets.Facet.selects`: speakers and committees by a run of whole words)."""
    return _selects(facet, typed, value)


def replace_selection(params: SearchParams, facet: str, values: list[str]) -> SearchParams:
    return params.replace(**{facet: tuple(values)}, page=1)


def _toggle_url(url: Callable[[SearchParams], str], params: SearchParams, name: str, value: str,
                typed: tuple[str, ...] | None) -> str:
    """The search with ``value`` switched on, or off (``typed``: the typed values that selected it)."""
    if typed is not None:
        return url(replace_selection(params, name, [t for t in params.selected(name) if t not in typed]))
    return url(params.toggle(name, value))


def explain_zero(params: SearchParams, hidden_procedural: int = 0) -> list[str]:
    """Say whether the filters, the procedural toggle or the index's coverage explain no results."""
    reasons: list[str] = []
    if hidden_procedural:
        reasons.append(f"{hidden_procedural:,} procedural item{'s' if hidden_procedural != 1 else ''} "
                       f"(apologies, declarations, approving minutes) match but are hidden.")
    if params.filtered:
        unfiltered = _count(params.without_filters())
        if unfiltered:
            reasons.append(f"{unfiltered:,} item{'s' if unfiltered != 1 else ''} match the words without "
                           "your filters: remove some filters to see them.")
        elif params.q:
            reasons.append("Even without your filters nothing matches these words.")
    try:
        cov = services().coverage()
    except Exception:
        log.debug("no coverage for the zero-result explanation", exc_info=True)
        return reasons
    if cov.items == 0:
        reasons.append("The index is empty: no council's minutes have been crawled yet.")
        return reasons
    span = f"{cov.first:%-d %B %Y} to {cov.last:%-d %B %Y}" if cov.first and cov.last else "unknown dates"
    if cov.first and params.date_to and params.date_to < cov.first or \
            cov.last and params.date_from and params.date_from > cov.last:
        reasons.append(f"Your dates fall outside the index, which covers meetings from {span}.")
    if reasons:
        return reasons  # the filters or the toggle explain it: no need for the general advice
    councils = ", ".join(title for _, title in cov.sources) or "no council"
    reasons.append(f"The index holds {cov.items:,} agenda items from {cov.meetings:,} meetings of {councils}, "
                   f"{span}. Words are matched in their stemmed form; try fewer or more general words, "
                   "or check the spelling.")
    return reasons


def _count(params: SearchParams) -> int:
    # Only the total: newest first spares scoring every match (the total is the same in any order).
    return run_search(params.replace(page=1), per_page=1, facets=False, sort="newest").total


def _page_links(params: SearchParams, last: int, url: Callable[[SearchParams], str]) -> list[PageLink | None]:
    if last <= 1:
        return []
    wanted = {1, last, params.page - 2, params.page - 1, params.page, params.page + 1, params.page + 2}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    links: list[PageLink | None] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append(None)
        links.append(PageLink(n, url(params.with_page(n)), n == params.page))
        previous = n
    return links
