"""Per-version document arrays: facet counts, filter sets and name resolution.

A :class:`View` belongs to one version (generation + commit) of the index and is
shared by every thread whose searcher sees that version: document numbers are
the same for all of them. It caches, lazily and once per version:

* for each facet field, the value(s) of every document (read from postings,
  one pass per value), so counting a facet over N matching items is one
  ``Counter`` over N list lookups — C speed, no per-document matcher or
  categorizer calls as with ``groupedby`` on sortable ``FieldFacet`` columns;
  the arrays are built once per index version (figures: bench/README.md,
  "Design figures");
* the ``day`` and ``batch`` columns sorted, so a date range or ``since_batch``
  filter is two bisections and a slice instead of ``NumericRange`` on ``day``
  or ``year`` terms;
* recurring filter sets (a committee, a speaker, a date range, "not
  procedural") — "cache recurring filter sets per searcher", but per version
  so eight threads share one copy.

Facet counts follow standard multi-select faceting: a facet's counts are over
the items matching the query, the non-facet filters and the *other* facets'
selections, so picking a committee does not hide the other committees.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import logging
import threading
from array import array
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from whoosh import query as wq

from searchsvc.facets import FACETS as FACET_DEFS
from searchsvc.facets import contains_run, facet, name_words

log = logging.getLogger(__name__)

FACETS = tuple(f.name for f in FACET_DEFS)
MULTI = frozenset(f.name for f in FACET_DEFS if f.multi)
#: Facets whose typed values select names by a run of whole words (``speaker:Reed``, ``committee:planning``).
BY_WORDS = frozenset(f.name for f in FACET_DEFS if f.words)
FACET_LIMIT = 50  # values returned per facet (selected values are always included)
_SET_CACHE = 256
#: Budget of the per-version memo of posting data, in (estimated) bytes.
MEMO_BUDGET = 150_000_000


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False
    #: The count is an upper bound, not exact: the speaker facet with search words over its work
    #: budget (:mod:`.spoken`) counts items where the speaker spoke and the words match anywhere.
    approximate: bool = False


def _day(d: date | None, default: int) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else default


class View:
    """Cached per-document data of one index version (see module docstring)."""

    def __init__(self, key: tuple[str, int], reader: Any):
        self.key = key
        self.size = reader.doc_count_all()
        self._lock = threading.RLock()
        self._names: dict[str, list[str]] = {}
        self._arrays: dict[str, list] = {}
        self._columns: dict[str, list[int]] = {}
        self._sorted: dict[str, tuple[list[int], list[int]]] = {}
        self._sets: OrderedDict[Any, frozenset[int]] = OrderedDict()
        self._memo: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._memo_size = 0
        self._lengths: dict[str, list[int]] = {}
        self._markers: dict[str, tuple[dict[str, int], list[array | None]]] = {}
        self._value_docs: dict[str, dict[str, frozenset[int]]] = {}
        self._packs: Any = None
        self._codes: dict[str, tuple[list[str], Any] | None] = {}
        self._key_numbers: dict[str, int] = {}
        self.live = frozenset(reader.all_doc_ids())
        #: The deleted docnums, whose postings must be dropped (None: nothing is deleted).
        self.dead = frozenset(range(self.size)) - self.live if reader.has_deletions() else None

    # -- memo of posting data (see matching.py) ------------------------------------------------

    def memo_get(self, key: Any) -> Any:
        got = self._memo.get(key)
        if got is None:
            return None
        try:
            self._memo.move_to_end(key)
        except KeyError:  # evicted by another thread meanwhile
            pass
        return got[0]

    def memo_put(self, key: Any, value: Any, size: int) -> None:
        with self._lock:
            old = self._memo.pop(key, None)
            if old is not None:
                self._memo_size -= old[1]
            self._memo[key] = (value, size)
            self._memo_size += size
            while self._memo_size > MEMO_BUDGET and len(self._memo) > 1:
                _, (_, n) = self._memo.popitem(last=False)
                self._memo_size -= n

    def drop_memo(self) -> None:
        """Forget cached posting data (this version is no longer the newest)."""
        with self._lock:
            self._memo.clear()
            self._memo_size = 0

    def lengths(self, reader: Any, field: str) -> list[int]:
        """Docnum → length of ``field`` (for BM25 length normalisation)."""
        got = self._lengths.get(field)
        if got is None:
            with self._lock:  # threads of a cold server would each build it (seconds at 100k+ items)
                got = self._lengths.get(field)
                if got is None:
                    dfl = reader.doc_field_length
                    got = [dfl(d, field, 1) for d in range(self.size)]
                    self._lengths[field] = got
        return got

    # -- names -------------------------------------------------------------------

    def names(self, reader: Any, field: str) -> list[str]:
        """Every value of a facet field, as indexed (case preserved)."""
        got = self._names.get(field)
        if got is None:
            got = [b.decode("utf-8") if isinstance(b, bytes) else str(b) for b in reader.lexicon(field)]
            self._names[field] = got
        return got

    def values(self, reader: Any, field: str, text: str, prefix: bool = False) -> list[str]:
        """Indexed values equal to ``text`` ignoring case (or starting with it)."""
        want = " ".join(text.split()).casefold()
        if prefix:
            return [n for n in self.names(reader, field) if n.casefold().startswith(want)]
        return [n for n in self.names(reader, field) if " ".join(n.split()).casefold() == want]

    def by_words(self, reader: Any, field: str, text: str, prefix: bool = False) -> list[str]:
        """Values having ``text`` as a run of whole words ("Reed", "Jan Reed"; "planning")."""
        part = name_words(text)
        return [n for n in self.names(reader, field) if contains_run(name_words(n), part, prefix)]

    def speakers(self, reader: Any, text: str, prefix: bool = False) -> list[str]:
        return self.by_words(reader, "speaker", text, prefix)

    def resolve(self, reader: Any, field: str, text: str, prefix: bool = False) -> list[str]:
        """The indexed values a typed filter value selects (:meth:`searchsvc.facets.Facet.selects`)."""
        if facet(field).words:
            return self.by_words(reader, field, text, prefix)
        return self.values(reader, field, text, prefix)

    # -- per-document arrays -----------------------------------------------------------

    def array(self, reader: Any, field: str) -> list:
        """Docnum → value (single-valued facets) or list of values (multi-valued), kept for counting
        a field with more values than :meth:`codes` takes."""
        got = self._arrays.get(field)
        if got is not None:
            return got
        with self._lock:
            if field not in self._arrays:
                self._arrays[field] = self._by_doc(reader, field)
            return self._arrays[field]

    def _by_doc(self, reader: Any, field: str) -> list:
        """:meth:`array`, made from the values' items (in lexicon order)."""
        multi = field in MULTI
        arr: list = [[] for _ in range(self.size)] if multi else [None] * self.size
        for name, ids in self.value_docs(reader, field).items():
            if multi:
                for d in ids:
                    arr[d].append(name)
            else:
                for d in ids:
                    arr[d] = name
        return arr

    def value_docs(self, reader: Any, field: str) -> dict[str, frozenset[int]]:
        """Value → its items, once per version (in lexicon order): a filter's items are the union of
        its values' (:meth:`facet_set`), and the speaker facet's exact counts take the items of the
        few values that can reach the top by set algebra instead of grouping every matching item
        by value on each search (:func:`_exact_top`). :meth:`array` is made from it."""
        got = self._value_docs.get(field)
        if got is not None:
            return got
        from searchsvc.index.matching import read_term  # (matching imports this module)

        with self._lock:
            got = self._value_docs.get(field)
            if got is None:
                got = {name: read_term(reader, self.dead, field, name, weights=False).docs
                       for name in self.names(reader, field)}
                self._value_docs[field] = got
            return got

    def passage_markers(self, reader: Any, field: str = "body") -> tuple[dict[str, int], list[array | None]]:
        """(speaker name → key number, docnum → flat ``[start, key number, start, key number, …]``).

        Each passage starts with one marker per speaker (:mod:`.schema`); reading every marker's
        positions once per version lets the speaker facet check any speaker's passages in an item
        without reading that speaker's postings again (:mod:`.spoken`). Names sharing a marker
        (differing only in case or punctuation) share a key number, as they share the filter.
        An item's pairs are in the order the passages start. ``body`` and ``body_exact`` index the
        same text with the same tokenizer, so their markers stand at the same positions (a test
        checks it) and one map serves both.
        """
        got = self._markers.get(field)
        if got is not None:
            return got
        from searchsvc.index.documents import speaker_key  # (matching imports this module)

        with self._lock:
            if field in self._markers:
                return self._markers[field]
            numbers: dict[str, int] = {}
            by_name: dict[str, int] = {}
            for name in self.names(reader, "speaker"):
                by_name[name] = numbers.setdefault(speaker_key(name), len(numbers))
            self._key_numbers = numbers
            got = self._markers[field] = (by_name, marker_map(reader, self.dead, self.size, field, numbers))
            return got

    def key_numbers(self, reader: Any) -> dict[str, int]:
        """Speaker key → the number :meth:`passage_markers` gives it (the numbers of ``spoken`` sets)."""
        self.passage_markers(reader)
        return self._key_numbers

    def packs(self, reader: Any) -> Any:
        """The segments' packs of common terms (:mod:`.packs`), opened once per version."""
        if self._packs is None:
            from searchsvc.index.packs import open_packs  # (packs imports matching, which imports this module)

            with self._lock:
                if self._packs is None:
                    self._packs = open_packs(reader)
        return self._packs

    def _sorted_column(self, reader: Any, field: str) -> tuple[list[int], list[int]]:
        """(values ascending, docnums in that order) of a numeric column, live docs only."""
        got = self._sorted.get(field)
        if got is None:
            col = self.column(reader, field)
            pairs = sorted((col[d], d) for d in self.live)
            got = ([v for v, _ in pairs], [d for _, d in pairs])
            self._sorted[field] = got
        return got

    def column(self, reader: Any, field: str) -> list[int]:
        """Docnum → value of a numeric column (``day``), for sorting hits."""
        got = self._columns.get(field)
        if got is None:
            with self._lock:
                got = self._columns.get(field)
                if got is None:
                    got = list(reader.column_reader(field))
                    self._columns[field] = got
        return got

    # -- filter sets ------------------------------------------------------------------

    def _cached(self, key: Any, make) -> frozenset[int]:
        got = self._sets.get(key)
        if got is not None:
            try:
                self._sets.move_to_end(key)
            except KeyError:  # evicted by another thread meanwhile
                pass
            return got
        got = frozenset(make())
        with self._lock:
            self._sets[key] = got
            while len(self._sets) > _SET_CACHE:
                self._sets.popitem(last=False)
        return got

    def facet_set(self, reader: Any, field: str, selected: tuple[str, ...]) -> frozenset[int]:
        """Items having any of the selected values (matched case-insensitively)."""

        def make():
            names = {n for text in selected for n in self.resolve(reader, field, text)}
            of = self.value_docs(reader, field)
            return frozenset().union(*(of[n] for n in names if n in of))

        return self._cached(("facet", field, selected), make)

    def range_set(self, reader: Any, field: str, lo: int | None, hi: int | None) -> frozenset[int]:
        """Live items whose numeric column value is within [lo, hi]."""

        def make():
            values, docs = self._sorted_column(reader, field)
            i = bisect.bisect_left(values, lo) if lo is not None else 0
            j = bisect.bisect_right(values, hi) if hi is not None else len(values)
            return docs[i:j]

        return self._cached(("range", field, lo, hi), make)

    def base_set(
        self,
        reader: Any,
        searcher: Any,
        date_from: date | None,
        date_to: date | None,
        since_batch: int | None,
        include_procedural: bool,
    ) -> frozenset[int]:
        """Items passing the non-facet filters: dates, batch, procedural."""
        key = ("base", date_from, date_to, since_batch, include_procedural)

        def make():
            allowed = self.live
            if date_from or date_to:
                allowed = allowed & self.range_set(reader, "day", _day(date_from, 0) or None, _day(date_to, 0) or None)
            if since_batch is not None:
                allowed = allowed & self.range_set(reader, "batch", since_batch + 1, None)
            if not include_procedural:
                procedural = self._cached(
                    ("procedural",), lambda: searcher.docs_for_query(wq.Term("procedural", True))
                )
                allowed = allowed - procedural
            return allowed

        return self._cached(key, make)

    # -- counting ------------------------------------------------------------------

    def codes(self, reader: Any, field: str) -> tuple[list[str], Any] | None:
        """(values, docnum → the codes of its values as bytes) for counting a facet by
        ``bytes.count`` (:func:`count_codes`); None when there are too many values for codes."""
        if field not in self._codes:
            with self._lock:
                if field not in self._codes:
                    names = list(self.value_docs(reader, field))
                    self._codes[field] = None if len(names) > MAX_CODES else (names, _encode(
                        self._by_doc(reader, field), names, field in MULTI))
        return self._codes[field]

    def count(self, reader: Any, field: str, docs: Any) -> Counter:
        codes = self.codes(reader, field)
        if codes is not None:
            return count_codes(codes, docs, field in MULTI)
        arr = self.array(reader, field)
        if field in MULTI:
            return Counter(itertools.chain.from_iterable(map(arr.__getitem__, docs)))
        counts = Counter(map(arr.__getitem__, docs))
        counts.pop(None, None)
        return counts


#: Facet values a field may have for counting by codes (:func:`count_codes`), one byte each. Over
#: it (a council with hundreds of speakers), counting each value's code would cost more than a
#: ``Counter``.
MAX_CODES = 255


def _encode(arr: list, names: list[str], multi: bool) -> Any:
    """Docnum → the codes of its values: value ``names[i]`` is byte i + 1 (0: none)."""
    code = {name: i + 1 for i, name in enumerate(names)}
    if multi:
        return [bytes(code[n] for n in values) for values in arr]
    return bytes(0 if v is None else code[v] for v in arr)


def count_codes(codes: tuple[list[str], Any], docs: Any, multi: bool) -> Counter:
    """How many of ``docs`` have each value, from the values' codes (:meth:`View.codes`): the
    items' codes joined into one ``bytes`` and each value's code counted in it, in C, instead of
    a ``Counter`` over tens of thousands of lookups (the largest part of a common word's facets)."""
    names, per_doc = codes
    blob = b"".join(map(per_doc.__getitem__, docs)) if multi else bytes(map(per_doc.__getitem__, docs))
    counts = Counter()
    for i, name in enumerate(names, start=1):
        n = blob.count(i)
        if n:
            counts[name] = n
    return counts


def marker_map(reader: Any, dead: frozenset[int] | None, size: int, field: str,
               numbers: dict[str, int]) -> list[array | None]:
    """Docnum → flat ``[start, number, start, number, …]`` of the passage markers of the speaker
    keys in ``numbers`` (key → number), in the order the passages start (None: no marker)."""
    from searchsvc.index.matching import _decode, read_term  # (matching imports this module)
    from searchsvc.index.schema import marker

    pairs: list[list[tuple[int, int]] | None] = [None] * size
    for key, number in numbers.items():
        data = read_term(reader, dead, field, marker(key), positions=True, weights=False)
        for d, value in zip(data.ids, data.values):
            got = pairs[d]
            if got is None:
                got = pairs[d] = []
            got.extend((start, number) for start in _decode(value))
    return [None if p is None else array("q", itertools.chain.from_iterable(sorted(p))) for p in pairs]


def facet_counts(
    view: View,
    reader: Any,
    matched: frozenset[int],
    selections: dict[str, tuple[str, ...]],
    selected_sets: dict[str, frozenset[int]],
    hits: frozenset[int],
    own_matched: dict[str, frozenset[int]] | None = None,
    exact: dict[str, Callable[..., Callable[..., int | None]]] | None = None,
) -> dict[str, tuple[FacetValue, ...]]:
    """Counts per facet: over ``matched`` narrowed by the *other* facets' selections.

    ``hits`` is ``matched`` narrowed by every selection (what unselected facets
    count over); ``selected_sets[f]`` is the item set of facet f's selection;
    ``own_matched[f]`` replaces ``matched`` for facet f's own counts (a speaker
    selection also narrows the query's words to that speaker's passages).
    ``exact[f](docs, ranked)`` gives, for the items ``docs`` facet f counts over and its values
    ``ranked`` (name, items) by plain count, largest first, a function
    ``(value, items, force)`` that counts, of the ``items`` having ``value``, those the filter
    ``f=value`` would return: with search words, a speaker's count is of the items where
    *their own passages* match (what a click on the value gives), not of every matching
    item they spoke in. Only the values that can reach the top :data:`FACET_LIMIT` are
    re-counted (an exact count is never above the plain one). It may return None (over its
    work budget) unless ``force`` (a selected value): the value keeps its plain count, marked
    :attr:`FacetValue.approximate`.
    """
    out: dict[str, tuple[FacetValue, ...]] = {}
    for field in FACETS:
        if field in selected_sets:
            docs = (own_matched or {}).get(field, matched)
            for other, s in selected_sets.items():
                if other != field:
                    docs = docs & s
        else:
            docs = hits
        counts = view.count(reader, field, docs)
        chosen = {n for text in selections.get(field, ()) for n in view.resolve(reader, field, text)}
        approximate: set[str] = set()
        if exact and field in exact:
            counts, approximate = _exact_top(view.value_docs(reader, field), docs, counts, exact[field], chosen)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
        values = [FacetValue(name, n, name in chosen, name in approximate) for name, n in ranked[:FACET_LIMIT]]
        shown = {v.value for v in values}
        values += [FacetValue(name, counts.get(name, 0), True) for name in sorted(chosen - shown)]
        resolved_texts = {t for t in selections.get(field, ()) if view.resolve(reader, field, t)}
        values += [FacetValue(t, 0, True) for t in selections.get(field, ()) if t not in resolved_texts]
        out[field] = tuple(values)
    return out


def _exact_top(value_docs: dict[str, frozenset[int]], docs: frozenset[int], counts: Counter,
               make_count: Callable[..., Callable[..., int | None]],
               chosen: set[str]) -> tuple[Counter, set[str]]:
    """The exact counts of the values that can be in the top :data:`FACET_LIMIT` (and of ``chosen``),
    and the values left at their plain count because the count declined them (over its budget).
    A value's items are taken (``docs`` ∩ its items) only when it is counted or planned for."""
    order = [name for name, _ in sorted(counts.items(), key=lambda kv: -kv[1])]
    taken: dict[str, frozenset[int]] = {}

    def items_of(name: str) -> frozenset[int]:
        got = taken.get(name)
        if got is None:
            got = taken[name] = docs & value_docs.get(name, frozenset())
        return got

    count = make_count(docs, ((name, items_of(name)) for name in order))
    exact: Counter = Counter()
    approximate: set[str] = set()
    best: list[int] = []  # min-heap of the highest counts so far
    for name in order:
        upper = counts[name]
        if len(best) >= FACET_LIMIT and upper < best[0] and name not in chosen:
            continue
        n = count(name, items_of(name), name in chosen)
        if n is None:  # the plain count: an upper bound, shown as approximate
            n = upper
            approximate.add(name)
        if n:
            exact[name] = n
            if len(best) < FACET_LIMIT:
                heapq.heappush(best, n)
            elif n > best[0]:
                heapq.heapreplace(best, n)
    return exact, approximate
