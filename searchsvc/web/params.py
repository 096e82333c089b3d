"""Request arguments → :class:`SearchParams`, and back to URLs.

Every search route (HTML, JSON, Atom, CSV, trends) goes through :func:`parse_search_args`,
so one parameter means the same thing everywhere and every bad value fails the
same way: a :class:`~searchsvc.errors.QueryError` whose message says in plain
words what to change, which the app's one error handler turns into a 400 page
or JSON body. Nothing a user types can reach the index unchecked.

:class:`SearchParams` is also the single place that knows how to write a search back
as URL arguments (canonical order, defaults omitted), which is what facet toggle
links, pagination, sort links and the trends chart's bars are built from.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import field, fields, make_dataclass, replace
from datetime import date
from typing import Any, Iterable, Mapping

from searchsvc.config import SETTINGS
from searchsvc.errors import QueryError
from searchsvc.facets import FACET_NAMES as FACETS
from searchsvc.facets import FACETS as FACET_DEFS
from searchsvc.facets import SORT_NAMES as SORTS
from searchsvc.facets import facet_fields

FACET_LABELS = {f.name: f.label for f in FACET_DEFS}
#: The ``search.max_query_length`` setting's default: the one place the limit is written.
DEFAULT_MAX_QUERY_LENGTH = next(s.default for s in SETTINGS if s.name == "search.max_query_length")
SINGLE = ("q", "from", "to", "sort", "page", "per_page", "procedural", "since")
KNOWN = SINGLE + FACETS
MAX_PAGE = 1000  # deep pages cost the index a full scan; nobody reads page 1,001
MAX_VALUES = 50  # values of one facet in one request
MAX_TOTAL_VALUES = 30  # values of all facets together: each toggle link repeats them all, so a page
#                        grows with their square (5 × 50 values made a 22 MB page from a 42 KB URL)
MAX_VALUE_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Params:
    """The methods of :data:`SearchParams` (its fields: ``q``, one per facet, then the rest)."""

    facet_names = FACETS  # for templates: the hidden inputs that keep the filters

    # --- questions ------------------------------------------------------------

    @property
    def filtered(self) -> bool:
        """True when anything beyond the words narrows the search."""
        return bool(any(getattr(self, f) for f in FACETS) or self.date_from or self.date_to)

    @property
    def empty(self) -> bool:
        return not self.q and not self.filtered

    def selected(self, facet: str) -> tuple[str, ...]:
        return getattr(self, facet)

    # --- derived searches ---------------------------------------------------------

    def toggle(self, facet: str, value: str) -> "SearchParams":
        """The same search with ``value`` of ``facet`` switched on or off (back to page 1)."""
        current = self.selected(facet)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, **{facet: values}, page=1)

    def without_filters(self) -> "SearchParams":
        return replace(self, **{f: () for f in FACETS}, date_from=None, date_to=None, page=1)

    def with_page(self, page: int) -> "SearchParams":
        return replace(self, page=page)

    def with_sort(self, sort: str) -> "SearchParams":
        return replace(self, sort=sort, page=1)

    def with_procedural(self, include: bool) -> "SearchParams":
        return replace(self, include_procedural=include, page=1)

    def with_month(self, year: int, month: int) -> "SearchParams":
        """Filter to one calendar month (what a bar of the month chart links to)."""
        last = calendar.monthrange(year, month)[1]
        return replace(self, year=(), date_from=date(year, month, 1), date_to=date(year, month, last), page=1)

    def with_year(self, year: str) -> "SearchParams":
        return replace(self, year=(year,), page=1)

    def replace(self, **changes: Any) -> "SearchParams":
        return replace(self, **changes)

    # --- back to URLs and index requests -----------------------------------------------

    def to_args(self) -> list[tuple[str, str]]:
        """URL arguments in canonical order, defaults left out (stable, shareable URLs)."""
        args: list[tuple[str, str]] = []
        if self.q:
            args.append(("q", self.q))
        for facet in FACETS:
            args += [(facet, v) for v in self.selected(facet)]
        if self.date_from:
            args.append(("from", self.date_from.isoformat()))
        if self.date_to:
            args.append(("to", self.date_to.isoformat()))
        if self.include_procedural:
            args.append(("procedural", "show"))
        if self.sort != "relevance":
            args.append(("sort", self.sort))
        if self.per_page != self.default_per_page:
            args.append(("per_page", str(self.per_page)))
        if self.since is not None:
            args.append(("since", str(self.since)))
        if self.page != 1:
            args.append(("page", str(self.page)))
        return args

    def as_dict(self) -> dict[str, Any]:
        """The query as the JSON API echoes it: every parameter, defaults included."""
        return {"q": self.q, **{f: list(self.selected(f)) for f in FACETS},
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "sort": self.sort, "page": self.page, "per_page": self.per_page,
                "procedural": "show" if self.include_procedural else "hide", "since": self.since}

    def to_request(self, **overrides: Any) -> Any:
        """The index's :class:`SearchRequest` for this search (``overrides`` e.g. page, facets)."""
        from searchsvc.index import SearchRequest

        values: dict[str, Any] = dict(
            q=self.q, **{f: self.selected(f) for f in FACETS}, date_from=self.date_from, date_to=self.date_to,
            include_procedural=self.include_procedural, sort=self.sort, page=self.page,
            per_page=self.per_page, since_batch=self.since, facets=True)
        values.update(overrides)
        known = {f.name for f in fields(SearchRequest)}
        return SearchRequest(**{k: v for k, v in values.items() if k in known})


#: A validated search as the user asked for it (not yet an index request): ``q``, a tuple of
#: values per facet of :data:`searchsvc.facets.FACETS`, dates, sort, paging, procedural, ``since``
#: (only items new or changed after this batch: alerts without repeats).
SearchParams = make_dataclass("SearchParams", [
    ("q", str, field(default="")), *facet_fields(),
    ("date_from", "date | None", field(default=None)), ("date_to", "date | None", field(default=None)),
    ("sort", str, field(default="relevance")), ("page", int, field(default=1)),
    ("per_page", int, field(default=20)), ("include_procedural", bool, field(default=False)),
    ("default_per_page", int, field(default=20)), ("since", "int | None", field(default=None)),
], bases=(_Params,), frozen=True, namespace={"__module__": __name__})


def parse_search_args(args: Any, *, per_page: int = 20, max_per_page: int = 100,
                      max_query_length: int = DEFAULT_MAX_QUERY_LENGTH, extra: Iterable[str] = ()) -> SearchParams:
    """Validate request arguments (a werkzeug ``MultiDict`` or a mapping of lists).

    ``extra`` names further arguments the calling route reads itself (and so
    are not "unknown"). Empty values count as absent, as an HTML form sends them.
    """
    multi = _as_lists(args)
    allowed = set(KNOWN) | set(extra)
    unknown = sorted(k for k in multi if k not in allowed and not k.startswith("utm_"))
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}: a search takes {', '.join(KNOWN)}"
                         + (f" (and here also {', '.join(sorted(extra))})" if extra else ""))
    for name in SINGLE:
        given = [v for v in multi.get(name, []) if v.strip()]
        if len(given) > 1:
            raise QueryError(f"give {name!r} once, not {len(given)} times")

    def one(name: str) -> str:
        values = [v.strip() for v in multi.get(name, []) if v.strip()]
        return values[0] if values else ""

    q = _CONTROL.sub(" ", one("q")).strip()
    if len(q) > max_query_length:
        raise QueryError(f"the query is {len(q):,} characters long; the most this search takes is "
                         f"{max_query_length:,}: shorten it, or use the filters instead of long lists of words")
    facets = {f.name: _facet_values(f.name, multi.get(f.name, [])) for f in FACET_DEFS}
    if (total := sum(map(len, facets.values()))) > MAX_TOTAL_VALUES:
        raise QueryError(f"too many filter values ({total}); choose at most {MAX_TOTAL_VALUES} in all")
    for f in FACET_DEFS:
        for value in facets[f.name]:
            if problem := f.check(value):
                raise QueryError(problem)
    date_from = _date("from", one("from"))
    date_to = _date("to", one("to"))
    if date_from and date_to and date_from > date_to:
        raise QueryError(f"the date range is back to front: from ({date_from.isoformat()}) is after "
                         f"to ({date_to.isoformat()})")
    sort = one("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {_short(sort)!r}")
    page = _int("page", one("page"), 1, 1, MAX_PAGE)
    size = _int("per_page", one("per_page"), per_page, 1, max_per_page)
    procedural = one("procedural") or "hide"
    if procedural not in ("hide", "show"):
        raise QueryError(f"procedural must be 'hide' or 'show', not {_short(procedural)!r}")
    since = _int("since", one("since"), -1, 0, 10**12)
    return SearchParams(q=q, **facets, date_from=date_from, date_to=date_to, sort=sort, page=page,
                        per_page=size, include_procedural=procedural == "show", default_per_page=per_page,
                        since=None if since < 0 else since)


def reject_unknown(args: Any, allowed: Iterable[str] = ()) -> None:
    """For pages that take few or no arguments: a typo'd argument is a 400, not silently ignored."""
    allowed = set(allowed)
    for key in _as_lists(args):
        if key not in allowed and not key.startswith("utm_"):
            hint = f"this page takes {', '.join(sorted(allowed))}" if allowed else "this page takes no parameters"
            raise QueryError(f"unknown parameter {_short(key)!r}: {hint}")


def _as_lists(args: Any) -> dict[str, list[str]]:
    if hasattr(args, "lists"):
        return {k: list(v) for k, v in args.lists()}
    if isinstance(args, Mapping):
        return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in args.items()}
    raise TypeError(f"cannot read arguments from {type(args).__name__}")


def _facet_values(facet: str, raw: list[str]) -> tuple[str, ...]:
    values: list[str] = []
    for value in raw:
        value = _CONTROL.sub(" ", value).strip()
        if not value:
            continue
        if len(value) > MAX_VALUE_LENGTH:
            raise QueryError(f"a {facet} value is {len(value):,} characters long; the most is {MAX_VALUE_LENGTH}")
        if value not in values:
            values.append(value)
    if len(values) > MAX_VALUES:
        raise QueryError(f"too many {facet} values ({len(values)}); choose at most {MAX_VALUES}")
    return tuple(values)


def _date(name: str, value: str) -> date | None:
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} must be a date written YYYY-MM-DD, such as 2017-07-10, "
                         f"not {_short(value)!r}") from None


def _int(name: str, value: str, default: int, low: int, high: int) -> int:
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", value):
        raise QueryError(f"{name} must be a whole number from {low} to {high:,}, not {_short(value)!r}")
    number = int(value)
    if not low <= number <= high:
        raise QueryError(f"{name} must be from {low} to {high:,}, not {number:,}")
    return number


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
