"""The speaker facet's counts with search words: in how many items a speaker's own passages match.

With words, a speaker's facet count is what choosing that speaker returns: the items where the
query holds with its text clauses inside that speaker's passages (``compile_spoken``). Doing
that speaker by speaker as a filter does — read the speaker's marker postings, decode the
words' positions in each of their items, once per speaker — was most of a cold search's time
(bench/README.md, "Capacity"): an item with five speakers had the words' positions decoded
five times, and every candidate speaker's marker postings were read from disk.

Here the plan is compiled once for "each speaker" (:func:`~.plan.compile_spoken_each`), the
markers of every passage come from one per-version map (:meth:`.View.passage_markers`), and
the words' positions in an item are decoded at most once per request, whichever speakers are
checked in it. The counts stay exact: per speaker the same set algebra and the same
"inside the passage" test (:func:`~.matching.in_passage`) as the filter. Which speakers' passages
hold a word does not depend on the rest of the query: for a single word it comes with the word's
postings (``TermData.spoken``: from the segments' packs, :mod:`.packs`, or derived as they are
read), and for other clauses (phrases, prefixes) a pass over every item of the clause is kept in
the version's memo (``_whole``); later searches, whatever their filters or other words, count from
either by set algebra.

A *budget* bounds the work of one request for those other clauses: the number of items whose
positions are decoded.
Over it, the pass covers the items of the largest speakers (by item-level count) while they
fit; the others keep the item-level count (items where the speaker spoke and the words match
anywhere), an upper bound marked approximate. Selected speakers are always counted exactly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from searchsvc.index.facets import View
from searchsvc.index.matching import Evaluator, in_passage, passes
from searchsvc.index.plan import EACH_SPEAKER, AllOf, Near, OneOf, Scored, Term, Without

log = logging.getLogger(__name__)

#: Items whose positions one request may decode for the speaker facet's exact counts: up to
#: ~120k items nearly every search stays within it; on larger archives it caps a common word's
#: cost (bench/README.md, "Capacity").
DEFAULT_BUDGET = 50_000

#: A clause's whole pass (every item holding it, shared through the version's memo) is made when
#: the search's own candidates are at least 1/WHOLE_SHARE of those items.
WHOLE_SHARE = 3
#: A word's postings are walked in order (not looked up item by item) when the items to check are
#: at least 1/DIRECT_SHARE of the word's items.
DIRECT_SHARE = 4


def _each(node: Any) -> bool:
    """Does this plan node depend on which speaker is counted?"""
    if isinstance(node, (AllOf, OneOf)):
        return any(_each(n) for n in node.items)
    if isinstance(node, Without):
        return _each(node.item)
    if isinstance(node, Scored):
        return _each(node.match)
    return isinstance(node, Near) and node.markers == (EACH_SPEAKER,)


def _starts(flat: Any, number: int) -> list[int] | None:
    """Where speaker ``number``'s passages start in an item (:meth:`.View.passage_markers`), or None."""
    pairs = iter(flat)
    return [s for s, k in zip(pairs, pairs) if k == number] or None


class SpokenCounter:
    """Counts speaker by speaker for one request (see module docstring).

    :meth:`over` gives the counting function for the items a facet counts over. One pass finds,
    item by item, every speaker in whose passages each text clause occurs; each speaker's count
    is then set algebra. Within the budget the pass covers all the items; over it, those of the
    largest speakers while they fit. A selected speaker the pass does not cover is checked on its
    own items.
    """

    def __init__(self, ev: Evaluator, view: View, reader: Any, plan: Any, budget: int | None = DEFAULT_BUDGET):
        self.ev, self.view, self.reader, self.plan = ev, view, reader, plan
        self.budget = budget
        self.work = 0  # items whose positions were decoded
        self._nears = self._each_nears(plan) if plan is not None else []
        self._positions: dict[Near, dict[int, Any]] = {n: {} for n in self._nears}
        self._sets: dict[Near, dict[int, frozenset[int]]] = {}
        self._exact: set[str] | None = None  # the speakers the pass covers (None: all)
        self.by_name: dict[str, int] = {}
        self.markers: list = []
        if self._nears:  # built once per index version (warm.py builds it before a version serves)
            self.by_name, self.markers = view.passage_markers(reader)

    def over(self, docs: frozenset[int], ranked: Iterable[tuple[str, frozenset[int]]]):
        """The counting function for a facet over ``docs``, whose values are ``ranked`` (name, items)
        by their plain counts, largest first (:func:`~.facets.facet_counts`; made as it is read).

        Within the budget, one pass over all of ``docs`` makes every count exact. Over it, the pass
        covers the items of the largest speakers while they fit; the others are declined (None)."""
        if not self._nears:
            return self.count
        cands = {n: docs & self.ev.docs(n.inner) for n in self._nears}
        for n in list(cands):  # whole clauses first: a shared per-version result, or worth making one
            whole = self._whole(n, cands[n])
            if whole is not None:
                self._sets[n] = whole
                del cands[n]
        if not cands:
            self._exact = None
            return self.count
        if self.budget is None or sum(map(len, cands.values())) <= self.budget:
            self._exact = None  # everyone
        else:
            words = frozenset().union(*cands.values())
            self._exact = set()
            checked: set[int] = set()
            for name, items in ranked:
                new = (items & words).difference(checked)
                if len(checked) + len(new) > self.budget // len(cands):
                    break
                checked |= new
                self._exact.add(name)
            cands = {n: items.intersection(checked) for n, items in cands.items()}
        for n, items in cands.items():
            self._sets[n] = self._each_pass(n, items)
        return self.count

    def _whole(self, node: Near, cands: frozenset[int]) -> dict[int, frozenset[int]] | None:
        """The pass over *every* item holding the clause, kept in the version's memo: a word's
        speakers do not depend on the rest of the query, so the next search with that word (any
        filters, any other words) counts by set algebra alone. Made only when this search covers
        a good part of the clause's items anyway (else the pass over its own items is cheaper),
        and within the budget; None when neither kept nor worth making."""
        if isinstance(node.inner, Term):  # a word's read carries it (matching.read_ranked)
            spoken = self.ev.term(node.inner.field, node.inner.text).spoken
            if spoken is not None:
                return spoken
        key = ("each", node)
        got = self.view.memo_get(key)
        if got is not None:
            return got
        every = self.ev.docs(node.inner)
        if len(cands) * WHOLE_SHARE < len(every) or (self.budget is not None and len(every) > self.budget):
            return None
        got = self._each_pass(node, every)
        self.view.memo_put(key, got, sum(40 * len(s) + 200 for s in got.values()) + 100)
        return got

    def _each_nears(self, node: Any) -> list[Near]:
        if isinstance(node, (AllOf, OneOf)):
            return [m for n in node.items for m in self._each_nears(n)]
        if isinstance(node, Without):
            return self._each_nears(node.item)
        if isinstance(node, Scored):
            return self._each_nears(node.match)
        return [node] if isinstance(node, Near) and node.markers == (EACH_SPEAKER,) else []

    def count(self, name: str, items: frozenset[int], force: bool = False) -> int | None:
        """How many of ``items`` (where ``name`` spoke) match with the words in ``name``'s passages;
        None when that would take the request over its budget (unless ``force``)."""
        if self.plan is None:  # nothing left to look for in passages
            return len(items)
        covered = self._exact is None or name in self._exact
        if not covered and not force:
            return None
        # A selected speaker outside the pass is checked on its own (its items' positions only).
        return len(self._docs_in(self.plan, items, self.by_name.get(name, -1), covered))

    def _docs_in(self, node: Any, within: frozenset[int], number: int, covered: bool) -> frozenset[int]:
        """The items of ``within`` the node matches, its text clauses inside speaker ``number``'s passages."""
        if not within:
            return within
        if isinstance(node, AllOf):
            out = within
            # Speaker-independent clauses first: cached sets that narrow what positions are read for.
            for n in sorted((n for n in node.items if not isinstance(n, Without)), key=_each):
                out = self._docs_in(n, out, number, covered)
                if not out:
                    return out
            for n in node.items:
                if isinstance(n, Without):
                    out = out - self._docs_in(n.item, out, number, covered)
            return out
        if isinstance(node, OneOf):
            return frozenset().union(*(self._docs_in(n, within, number, covered) for n in node.items))
        if isinstance(node, Without):
            return within - self._docs_in(node.item, within, number, covered)
        if isinstance(node, Scored):
            return self._docs_in(node.match, within, number, covered)
        if isinstance(node, Near) and node.markers == (EACH_SPEAKER,):
            if covered:
                return within & self._sets[node].get(number, frozenset())
            return self._near(node, within, number)
        return within & self.ev.docs(node)

    def _each_pass(self, node: Near, items: frozenset[int]) -> dict[int, frozenset[int]]:
        """Speaker number → the ``items`` where the node's clause is inside that speaker's passage
        (:func:`~.matching.passes`). A word covering most of ``items`` is read straight from its
        postings, in order, rather than looked up item by item."""
        inner = node.inner
        if isinstance(inner, Term) and len(items) * DIRECT_SHARE >= len(self.ev.docs(inner)):
            data = self.ev.term(inner.field, inner.text, True)
            found, work = passes(data.rows(), self.markers, data.positions_at, items=items)
        else:
            found, work = passes(((d, d) for d in items), self.markers, self.ev._inner(inner))
        self.work += work
        return {number: frozenset(ds) for number, ds in found.items()}

    def _near(self, node: Near, within: frozenset[int], number: int) -> frozenset[int]:
        """One speaker's items of ``within`` where the node's clause is inside their passage."""
        markers = self.markers
        seen = self._positions[node]
        inner = None
        out = []
        for d in within & self.ev.docs(node.inner):
            flat = markers[d]
            if flat is None:
                continue
            starts = _starts(flat, number)
            if starts is None:
                continue
            positions = seen.get(d)
            if positions is None:
                if inner is None:
                    inner = self.ev._inner(node.inner)
                positions = seen[d] = inner(d)
                self.work += 1
            if in_passage(starts, positions):
                out.append(d)
        return frozenset(out)
