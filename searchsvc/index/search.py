"""Searching: ``IndexReader.search(SearchRequest) -> SearchResult``.

A request runs in three steps (the figures behind them: bench/README.md, "Design figures"):

1. **Match set.** The query is parsed (:mod:`.query`), planned (:mod:`.plan`)
   and evaluated as set algebra over cached posting sets (:mod:`.matching`),
   then intersected with cached filter sets: dates, batch, procedural, and
   each facet's selection (:mod:`.facets`). This gives the exact total and
   what the facets count, without scoring anything.
2. **Page.** Relevance: BM25F over the matching items, top N by ``heapq``
   (ties: newest first). Newest/oldest and browsing: ``heapq`` over the cached
   ``day`` column. Whoosh's own collectors step a Python matcher tree per
   document twice (total, then top N) and ``groupedby`` facets add a
   categorizer call per document and facet, over an order of magnitude slower.
3. **Hits.** Stored fields and snippets for the page only.

Searchers: opening one is slow, so each thread keeps one
(``threading.local``) and reopens it only when ``CURRENT`` names another
generation or ``Searcher.up_to_date()`` is false. ``Searcher.refresh()`` is
never used: in whoosh3 3.54 the refreshed searcher sees every document twice
after a merge and the replaced version after an update (a test guards this).

Results are cached (LRU, :mod:`.cache`) per index version, so a commit or a
swap invalidates them. With ``warm=True`` (the web server) a new version is
warmed in the background before threads switch to it (:mod:`.warm`).
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import re
import threading
from dataclasses import dataclass, field, make_dataclass
from datetime import date
from typing import Any

from whoosh import index as windex
from whoosh import query as wq

from searchsvc.errors import QueryError, SearchIndexError
from searchsvc.facets import FACETS as FACET_DEFS
from searchsvc.facets import SORT_NAMES as SORTS
from searchsvc.facets import facet_fields
from searchsvc.index.cache import DEFAULT_SIZE, ResultCache, older
from searchsvc.index.facets import FACETS, FacetValue, View, facet_counts
from searchsvc.index.matching import Evaluator
from searchsvc.index.plan import compile_query, compile_spoken_each, leaf_words
from searchsvc.index.query import And, Or, Phrase, parse, stems
from searchsvc.index.snippets import Highlighter, Snippet
from searchsvc.index.spoken import DEFAULT_BUDGET, SpokenCounter
from searchsvc.index.store import IndexStore
from searchsvc.index.warm import FIRST_WARM_WAIT, REPLAY, Warmer, warm_view

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_DEPTH = 10_000
MAX_EXPANDED = 4_000  # words all wildcards of one query may stand for together (per wildcard: plan.MAX_EXPANSION)
RARE_DF = 2  # a word in at most this many items gets a "did you mean"


class _Request:
    """The methods of :data:`SearchRequest` (its fields are listed in :func:`_request_fields`)."""

    def __post_init__(self) -> None:
        # Normalise so equal requests hash equally (the result-cache key).
        object.__setattr__(self, "q", " ".join((self.q or "").split()))
        for name in FACETS:
            values = getattr(self, name) or ()
            if isinstance(values, (str, int)):
                values = (values,)
            clean = tuple(dict.fromkeys(" ".join(str(v).split()) for v in values if str(v).strip()))
            object.__setattr__(self, name, tuple(sorted(clean)))

    def selections(self) -> dict[str, tuple[str, ...]]:
        """The facets this request filters on, with their typed values."""
        return {f: getattr(self, f) for f in FACETS if getattr(self, f)}

    def validate(self) -> None:
        """Raise QueryError (plain words) for requests the index will not run."""
        if self.sort not in SORTS:
            raise QueryError(f"Unknown sort '{self.sort}'; use {', '.join(SORTS[:-1])} or {SORTS[-1]}.")
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError("The page number must be 1 or more.")
        most = MAX_PER_PAGE if self.snippets else MAX_DEPTH  # an export plans once for all its rows
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= most:
            raise QueryError(f"Results per page must be between 1 and {most}.")
        if self.page * self.per_page > MAX_DEPTH:
            raise QueryError(
                f"Results can only be paged {MAX_DEPTH:,} items deep; narrow the search or add filters."
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("The 'from' date is after the 'to' date.")
        for f in FACET_DEFS:
            for value in getattr(self, f.name):
                if f.check(value):
                    raise QueryError(f"'{value}' is not a {f.name}; use {f.pattern_hint}.")


def _request_fields() -> list:
    return [("q", str, field(default="")), *facet_fields(),
            ("date_from", "date | None", field(default=None)), ("date_to", "date | None", field(default=None)),
            ("include_procedural", bool, field(default=False)), ("sort", str, field(default="relevance")),
            ("page", int, field(default=1)), ("per_page", int, field(default=20)),
            ("since_batch", "int | None", field(default=None)), ("facets", bool, field(default=True)),
            # False for exports: no snippets or suggestion, up to MAX_DEPTH hits, not cached
            ("snippets", bool, field(default=True))]


#: One search as the index runs it: ``q``, one tuple of values per facet of
#: :data:`searchsvc.facets.FACETS` (so a new facet needs no change here), the date range,
#: procedural items, sort, paging, ``since_batch``, whether to count facets and whether to
#: build snippets (an export does not).
SearchRequest = make_dataclass("SearchRequest", _request_fields(), bases=(_Request,), frozen=True,
                               namespace={"__module__": __name__})


@dataclass(frozen=True)
class Hit:
    id: str
    score: float | None
    title: str
    committee: str
    date: date | None
    number: str
    url: str
    meeting_url: str
    source: str
    topics: tuple[str, ...]
    speakers: tuple[str, ...]
    procedural: bool
    batch: int
    snippets: tuple[Snippet, ...] = ()
    committee_id: str = ""
    meeting_id: str = ""
    source_title: str = ""
    #: Every facet's value(s) for this item, by facet name (tuples; a new facet shows up here).
    facet_values: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    suggestion: str | None = None
    sort: str = "relevance"  # the sort actually applied (browsing is newest first)
    version: str = ""
    #: With words and procedural items hidden: how many more items showing them would find.
    hidden_procedural: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_DEPTH) // self.per_page))


def hit_from_stored(f: dict[str, Any], score: float | None = None, snippets: tuple = ()) -> Hit:
    d = f.get("date") or ""
    return Hit(
        id=f["id"], score=score, title=f.get("title", ""), committee=f.get("committee", ""),
        date=date.fromisoformat(d) if d else None, number=f.get("number", ""), url=f.get("url", ""),
        meeting_url=f.get("meeting_url", ""), source=f.get("source", ""),
        topics=tuple(f.get("topic") or ()), speakers=tuple(f.get("speaker") or ()),
        procedural=bool(f.get("procedural")), batch=int(f.get("batch") or 0), snippets=snippets,
        committee_id=f.get("committee_id", ""), meeting_id=f.get("meeting_id", ""),
        source_title=f.get("source_title", ""),
        facet_values={x.name: _as_tuple(f.get(x.name)) for x in FACET_DEFS if x.stored},
    )


def _as_tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(value) if isinstance(value, (list, tuple)) else (str(value),)


class _Lex:
    """The :class:`~searchsvc.index.query.Lexicon` of one view + reader."""

    def __init__(self, view: View, reader: Any):
        self.view, self.reader = view, reader
        self.expanded = 0  # words all the wildcards of one query stand for, bounded by MAX_EXPANDED

    def values(self, field: str, text: str, prefix: bool = False) -> list[str]:
        return self.view.values(self.reader, field, text, prefix)

    def speakers(self, text: str, prefix: bool = False) -> list[str]:
        return self.view.speakers(self.reader, text, prefix)

    def resolve(self, field: str, text: str, prefix: bool = False) -> list[str]:
        return self.view.resolve(self.reader, field, text, prefix)

    def expand(self, field: str, pattern: str, limit: int) -> list[str]:
        if pattern.index("*") == len(pattern) - 1:
            terms = self.reader.expand_prefix(field, pattern[:-1])
        else:
            terms = (t for _, t in wq.Wildcard(field, pattern).expanded_terms(self.reader))
        out = []
        for btext in terms:
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if not text.startswith("\u00a7"):  # never a speaker marker
                out.append(text)
            if len(out) >= limit:
                break
        self.expanded += len(out)
        if self.expanded > MAX_EXPANDED:
            # Each wildcard alone is within its limit; 26 ORed prefixes were 26,000 words a search.
            raise QueryError(f"The wildcards in this query stand for more than {MAX_EXPANDED:,} words "
                             f"together; use fewer or longer ones.")
        return out


class _State:
    def __init__(self, gen: str, ix: Any, searcher: Any = None):
        self.gen, self.ix = gen, ix
        self.searcher = searcher or ix.searcher()


@dataclass
class _Ready:
    """A warmed version, ready to publish: its view, searchers for the threads, replayed results."""

    key: tuple[str, int]
    view: View
    spares: list[tuple[Any, Any]]  # (index, searcher)
    results: list[tuple[Any, SearchResult]]


class IndexReader:
    """Searches the live generation; safe to share between threads."""

    def __init__(self, store: IndexStore, cache_size: int = DEFAULT_SIZE, warm: bool = False,
                 spoken_budget: int | None = DEFAULT_BUDGET, at_once: int = 0):
        self.store = store
        #: Searches computed at the same time (None: no limit); see :meth:`search`.
        self._turns = threading.BoundedSemaphore(at_once) if at_once > 0 else None
        #: Items whose positions a search may decode for exact speaker counts (None: no limit).
        self.spoken_budget = spoken_budget
        self.cache = ResultCache(cache_size)
        self._local = threading.local()
        self._views: dict[tuple[str, int], View] = {}
        self._views_lock = threading.Lock()
        # Warming (module docstring): the version threads switch to, and searchers opened for them.
        self.warmer = Warmer(self._prepare, self._publish) if warm else None
        self._published: tuple[str, int] | None = None
        self._spares: list[tuple[tuple[str, int], Any, Any]] = []
        self._spares_lock = threading.Lock()
        self._threads = 0  # threads holding a searcher: how many spares a warm opens

    # -- searchers -----------------------------------------------------------------------

    def _acquire(self) -> tuple[Any, View]:
        """This thread's searcher on the current index version, and that version's view."""
        if self.warmer is not None:
            got = self._acquire_warmed()
            if got is not None:
                return got
        for attempt in (1, 2):
            gen = self.store.current_generation()
            if gen is None:
                raise SearchIndexError(f"There is no search index in {self.store.dir} yet; "
                                       "build one with `searchsvc index`.")
            st: _State | None = getattr(self._local, "state", None)
            try:
                if st is None or st.gen != gen:
                    new = _State(gen, self.store.open_index(gen))
                    self._threads += st is None
                    self._close_state(st)
                    st = self._local.state = new
                    log.debug("opened a searcher on generation %s", gen)
                elif not st.searcher.up_to_date():
                    old = st.searcher
                    st.searcher = st.ix.searcher()  # never Searcher.refresh(): see module docstring
                    old.close()
                break
            except (OSError, SearchIndexError, windex.EmptyIndexError):
                # A generation pruned between reading CURRENT and opening it: read CURRENT again.
                if attempt == 2:  # a missing or unreadable segment: a broken index, answered 503
                    raise SearchIndexError(f"The search index generation {gen} cannot be read; "
                                           f"rebuild it with `searchsvc index --full`") from None
        key = (gen, st.searcher.reader().generation() or 0)
        if self.warmer is not None and (self._published is None or older(self._published, key)):
            self._published = key  # opened unwarmed (the first version, or a failed warm)
        return st.searcher, self._view(key, st.searcher)

    def _acquire_warmed(self) -> tuple[Any, View] | None:
        """With warming: stay on this thread's version until a newer one is published, then take
        a searcher opened for it; None to open the current version directly (no state, no spare)."""
        st: _State | None = getattr(self._local, "state", None)
        published = self._published
        if st is None and published is None and self.warmer.running:
            # A server's first version is being warmed (:meth:`warm_first`): wait for it rather
            # than have every thread build the same facet arrays and field lengths at once.
            self.warmer.wait(FIRST_WARM_WAIT)
            published = self._published
        if st is None:
            spare = self._take_spare(published) if published else None
            if spare is None:
                return None
            self._threads += 1
            st = self._local.state = _State(published[0], *spare)
            return st.searcher, self._view(published, st.searcher)
        mine = (st.gen, st.searcher.reader().generation() or 0)
        try:
            newer = self.store.current_generation() != st.gen or not st.searcher.up_to_date()
        except (OSError, SearchIndexError):
            return None
        if not newer:
            return st.searcher, self._view(mine, st.searcher)
        if published is None:  # a warm failed: open the new version unwarmed
            return None
        if older(mine, published):
            spare = self._take_spare(published)
            if spare is None:
                return None
            if st.gen == published[0]:
                old, st.searcher = st.searcher, spare[1]
                old.close()
            else:
                self._close_state(st)
                st = self._local.state = _State(published[0], *spare)
            return st.searcher, self._view(published, st.searcher)
        self.warmer.start()  # no-op while a warm runs; meanwhile this version keeps serving
        return st.searcher, self._view(mine, st.searcher)

    def warm_first(self) -> bool:
        """Warm the current version in the background before any search opens it (each web
        worker process at start, so its first searches do not each build the per-version
        structures); True when a warm was started."""
        if self.warmer is None or self._published is not None or self.store.current_generation() is None:
            return False
        return self.warmer.start()

    def _take_spare(self, key: tuple[str, int]) -> tuple[Any, Any] | None:
        with self._spares_lock:
            for n, (k, ix, searcher) in enumerate(self._spares):
                if k == key:
                    del self._spares[n]
                    return ix, searcher
        return None

    def _prepare(self) -> _Ready | None:
        """(Warmer thread) open the newest version, warm its view, replay recent searches."""
        gen = self.store.current_generation()
        if gen is None:
            return None
        ix = self.store.open_index(gen)
        searcher = ix.searcher()
        key = (gen, searcher.reader().generation() or 0)
        if self._published is not None and not older(self._published, key):
            searcher.close()
            return None
        view = View(key, searcher.reader())
        warm_view(view, searcher.reader(), searcher)
        results = []
        for req in self.cache.recent(REPLAY):
            try:
                results.append((req, _run(searcher, view, req, self.spoken_budget)))
            except Exception:  # logged: a replay is only a warm-up
                log.debug("replaying %r on %s failed", req, key, exc_info=True)
        spares = [(ix, searcher)] + [(ix, ix.searcher()) for _ in range(max(0, self._threads - 1))]
        log.info("warmed index version %s/%s (%d searches replayed, %d searchers)", *key, len(results),
                 len(spares))
        return _Ready(key, view, spares, results)

    def _publish(self, ready: _Ready | None) -> None:
        """(Warmer thread) let threads switch: to the warmed version, or after a failure to any."""
        if ready is None:
            self._published = None  # threads open the current version themselves
            return
        self._install(ready.view)
        for req, result in ready.results:
            self.cache.put(ready.key, req, result)
        with self._spares_lock:
            stale, self._spares = self._spares, [(ready.key, ix, s) for ix, s in ready.spares]
        for _, _, searcher in stale:
            searcher.close()
        self._published = ready.key

    @staticmethod
    def _close_state(st: _State | None) -> None:
        if st is not None:
            try:
                st.searcher.close()
                st.ix.close()
            except Exception:  # noqa: BLE001 - closing files of a pruned generation
                pass

    def _view(self, key: tuple[str, int], searcher: Any) -> View:
        view = self._views.get(key)
        if view is None:
            view = self._install(View(key, searcher.reader()))
        return view

    def _install(self, view: View) -> View:
        """Make ``view`` its version's view (unless one exists); returns the one in use."""
        with self._views_lock:
            if view.key in self._views:
                return self._views[view.key]
            # Keep one older view for threads still finishing a request on it,
            # without its memo of posting data (the memory goes to the new one).
            others = [k for k in self._views if k != view.key]
            for old in others[:-1]:
                del self._views[old]
            for old in others[-1:]:
                self._views[old].drop_memo()
            self._views[view.key] = view
        return view

    def close(self) -> None:
        """Close this thread's searcher (other threads' close when they are collected)."""
        self._close_state(getattr(self._local, "state", None))
        self._local.state = None

    # -- public API ------------------------------------------------------------------------

    def version(self) -> str:
        """``<generation>/<commit>`` of the index this thread now searches."""
        _, view = self._acquire()
        return f"{view.key[0]}/{view.key[1]}"

    def doc_count(self) -> int:
        searcher, _ = self._acquire()
        return searcher.doc_count()

    def get(self, item_id: str) -> Hit | None:
        """One item by id (no snippets), or None."""
        searcher, _ = self._acquire()
        docnum = searcher.document_number(id=item_id)
        return None if docnum is None else hit_from_stored(searcher.stored_fields(docnum))

    def search(self, req: SearchRequest) -> SearchResult:
        req.validate()
        parse(req.q)  # syntax errors before touching the index
        searcher, view = self._acquire()
        cached = self.cache.get(view.key, req)
        if cached is not None:
            return cached
        # One process runs one Python thread at a time: searches interleaved at the interpreter's
        # switch interval each took about as long as all of them together. Taken in turn, the
        # short ones finish first and a long one waits for at most the few ahead of it. (An export
        # runs beside the searches people wait for.)
        with self._turns if self._turns is not None and req.snippets else contextlib.nullcontext():
            result = _run(searcher, view, req, self.spoken_budget)
        if req.snippets:  # an export's thousands of hits would crowd out the searches people repeat
            self.cache.put(view.key, req, result)
        return result


def _run(searcher: Any, view: View, req: SearchRequest, spoken_budget: int | None = DEFAULT_BUDGET) -> SearchResult:
    reader = searcher.reader()
    tree = parse(req.q)
    lex = _Lex(view, reader)
    compiled = compile_query(tree, lex) if tree is not None else None
    base = view.base_set(reader, searcher, req.date_from, req.date_to, req.since_batch, req.include_procedural)
    ev = Evaluator(view, reader)
    matched = base if compiled is None else base & ev.docs(compiled.plan)
    own_counts = {}
    if compiled is not None and req.speaker:
        # "What did Reed say about foster care": with a speaker filter, the words must be in
        # that speaker's own passages, as `speaker:"Reed" foster` does. The speaker facet still
        # counts over the unrestricted matches, so choosing a second speaker stays possible.
        spoken = And((Or(tuple(Phrase(name, field="speaker") for name in req.speaker)), tree))
        own_counts["speaker"] = matched
        compiled = compile_query(spoken, lex)
        matched = base & ev.docs(compiled.plan)
    selections = req.selections()
    selected_sets = {f: view.facet_set(reader, f, v) for f, v in selections.items()}
    hits_set = matched
    for s in sorted(selected_sets.values(), key=len):
        hits_set = hits_set & s
    total = len(hits_set)
    hidden = 0
    if compiled is not None and not req.include_procedural:
        # What "show procedural items" would add: the same sets over the base that keeps them
        # (a second search for it cost every page with words a sort of all its matches).
        everything = view.base_set(reader, searcher, req.date_from, req.date_to, req.since_batch, True)
        for s in (ev.docs(compiled.plan), *selected_sets.values()):
            everything = everything & s
        hidden = len(everything) - total
    start, end = (req.page - 1) * req.per_page, req.page * req.per_page
    sort = req.sort if compiled is not None or req.sort != "relevance" else "newest"
    page: list[tuple[int, float | None]] = []
    if total and start < total:
        day = view.column(reader, "day")
        if sort == "relevance":
            scores = ev.scores(compiled.plan, hits_set)
            page = [(d, scores.get(d, 0.0)) for d in top_scored(scores, hits_set, end, day)[start:end]]
        else:
            if sort == "newest":
                top = heapq.nsmallest(end, hits_set, key=lambda d: (-day[d], d))
            else:
                top = heapq.nsmallest(end, hits_set, key=lambda d: (day[d], d))
            page = [(d, None) for d in top[start:end]]
    hl = Highlighter(compiled) if req.snippets else None
    hits = []
    for docnum, score in page:
        stored = searcher.stored_fields(docnum)
        hits.append(hit_from_stored(stored, score, hl.snippets(stored.get("passages", "")) if hl else ()))
    exact = {}
    if tree is not None and req.facets:
        # With words, a speaker's count is of the items where their own passages match:
        # what choosing them returns (see facet_counts), within a work budget (spoken.py).
        exact["speaker"] = SpokenCounter(ev, view, reader, compile_spoken_each(tree, lex), spoken_budget).over
    facets = facet_counts(view, reader, matched, selections, selected_sets, hits_set, own_counts,
                          exact) if req.facets else {}
    suggestion = _suggest(searcher, req.q, compiled) if compiled is not None and req.snippets else None
    return SearchResult(
        total=total, page=req.page, per_page=req.per_page, hits=tuple(hits), facets=facets,
        suggestion=suggestion, sort=sort, version=f"{view.key[0]}/{view.key[1]}", hidden_procedural=hidden,
    )


def top_scored(scores: dict[int, float], hits: frozenset[int], n: int, day: list[int]) -> list[int]:
    """The ``n`` best of ``hits`` by score, ties newest first, then by docnum.

    The n-th best score is found among the bare floats first (C comparisons), so only the items
    at or above it get the (score, day, docnum) key: tens of thousands of matches cost a few
    milliseconds less than keying every one. Items without a score count as 0."""
    if len(scores) >= n > 0:
        cutoff = heapq.nlargest(n, scores.values())[-1]
        if cutoff > 0:
            best = [d for d, s in scores.items() if s >= cutoff]
            return sorted(best, key=lambda d: (scores[d], day[d], -d), reverse=True)[:n]
    return heapq.nlargest(n, hits, key=lambda d: (scores.get(d, 0.0), day[d], -d))


def _suggest(searcher: Any, q: str, compiled: Any) -> str | None:
    """A corrected query when a word is absent or rare and a much commoner spelling exists."""
    reader = searcher.reader()
    out = q
    for word in leaf_words(compiled):
        st = stems(word)
        if not st or not re.fullmatch(r"[A-Za-z]+", word):
            continue
        df = min(reader.doc_frequency("body", s) for s in st)
        if df > RARE_DF:
            continue
        best, best_df = None, max(3, df * 10)
        for cand in reader.corrector("body_exact").suggest(word.lower(), limit=5, maxdist=2, prefix=1):
            cand_st = stems(cand)
            cdf = min(reader.doc_frequency("body", s) for s in cand_st) if cand_st else 0
            if cdf >= best_df and cand_st != st:
                best, best_df = cand, cdf
        if best:
            out = re.sub(rf"(?<![\w:]){re.escape(word)}(?!\w)", best, out, count=1, flags=re.I)
    return out if out != q else None
