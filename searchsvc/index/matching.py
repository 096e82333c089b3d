"""Evaluating a query plan: posting sets, positions and BM25F scores.

Matching is set algebra over per-term document sets read straight from the
posting blocks (C-speed ``frozenset`` operations instead of Whoosh's
document-at-a-time matcher tree); phrases and speaker attribution check
positions only for the candidates the sets leave. Scoring is Whoosh's BM25F
formula (same idf, average length and parameters) computed for the matching
items only, so the page can be taken with ``heapq``.

A text field's postings are read with what searches derive from their positions
(:func:`read_ranked`): for a common word from the segments' packs (:mod:`.packs`),
flat arrays written at index time, instead of Whoosh's pickled blocks.

Everything read from the index — a term's documents, weights, positions, a
leaf's matching set, a term's scores — is cached in the :class:`View` of the
index version (bounded by total size), so recurring words cost nothing.
"""

from __future__ import annotations

import bisect
import logging
import math
from array import array
from itertools import accumulate, chain
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher

from searchsvc.index.facets import View
from searchsvc.index.plan import (
    EXACT_BOOST,
    EXACT_COMMITTEE_BOOST,
    EXACT_TITLE_BOOST,
    AllOf,
    AnyOf,
    Exact,
    Near,
    OneOf,
    PhraseOf,
    Scored,
    Term,
    Without,
)
from searchsvc.index.schema import (
    COMMITTEE_PART,
    PARAGRAPH_GAP,
    TITLE_PART,
    heading_part,
    marker,
)

log = logging.getLogger(__name__)

#: Fields whose positions a search reads with their postings (see :meth:`Evaluator.term`).
POSITIONED = frozenset({"body", "body_exact"})
#: Scores are computed for a search's candidates alone when they are under 1/PART_SHARE of a term's items.
PART_SHARE = 4
MARKER = marker("")  # what a speaker key follows in a marker term
B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F defaults (a test compares our scores with it)

#: The whoosh3 internals the block-at-a-time reader (:func:`_read_leaf`) uses. A canary test
#: checks each on a real index, so an upgrade that renames one fails the suite loudly instead of
#: quietly falling back to stepping postings one at a time.
WHOOSH_INTERNALS = {
    W3LeafMatcher: ("_read_ids", "_ids", "_read_weights", "_weights", "_read_values", "_values",
                    "_lastblock", "_next_block", "_maxid"),
}


class TermData:
    """One term's live postings: global docnums, weights, and their positions if read.

    Positions are either Whoosh's encoded ``values`` (one per posting, decoded on demand) or, for a
    text field's postings read for ranking (:func:`read_ranked`), ``pos`` (every posting's positions
    in one flat array) with ``counts`` (how many each posting has). Those reads also carry what
    searches derive from the positions: ``heads``, each posting's heading paragraphs as bits
    (1: title, 2: committee; the exact-form bonus), and ``spoken``, speaker number → the items
    where the term stands in that speaker's passage (the speaker facet and filters, :mod:`.spoken`)."""

    __slots__ = ("ids", "weights", "values", "docs", "_index", "heads", "spoken", "pos", "counts", "_starts")

    def __init__(self, ids: array, weights: array, values: list | None = None, heads: array | None = None,
                 spoken: dict[int, frozenset[int]] | None = None, pos: array | None = None,
                 counts: array | None = None):
        self.ids, self.weights, self.values = ids, weights, values
        self.heads, self.spoken = heads, spoken
        self.pos, self.counts = pos, counts
        self.docs = frozenset(ids)
        self._index: dict[int, int] | None = None
        self._starts: array | None = None

    @property
    def has_positions(self) -> bool:
        return self.pos is not None or self.values is not None

    def positions_at(self, i: int) -> Any:
        """The ascending positions of the ``i``-th posting."""
        if self.pos is not None:
            starts = self._starts
            if starts is None:
                starts = self._starts = array("q", accumulate(self.counts, initial=0))
            return self.pos[starts[i]:starts[i + 1]]
        return _decode(self.values[i]) if self.values is not None else ()

    def positions(self, doc: int) -> Any:
        """The ascending positions of the term in item ``doc`` (empty: not there)."""
        if self._index is None:
            self._index = {d: i for i, d in enumerate(self.ids)}
        i = self._index.get(doc)
        return () if i is None else self.positions_at(i)

    def rows(self) -> Any:
        """(item, row) for every posting, in order (for :func:`passes` with :meth:`positions_at`)."""
        return zip(self.ids, range(len(self.ids)))

    def size(self) -> int:
        """Estimated bytes held (set entry, int, array slots; positions; spoken sets)."""
        n = len(self.ids) * 48
        if self.values is not None:
            n += sum(map(len, self.values)) + 40 * len(self.values)
        if self.pos is not None:
            n += 4 * len(self.pos) + 12 * len(self.ids)
        if self.spoken is not None:
            n += sum(40 * len(s) + 200 for s in self.spoken.values())
        return n


def _read_leaf(m: Any, offset: int, ids: array, weights: array | None, values: list | None,
               wanted: list[int] | None = None) -> None:
    """Append one segment's postings; with ``wanted`` (ascending docnums), only the blocks that
    may hold one of them are decoded (a block's header says its last docnum)."""
    if isinstance(m, FilterMatcher):
        m = m.child  # deleted documents are dropped later against View.live
    if isinstance(m, W3LeafMatcher):
        # Block by block: decoding a whole block is much faster than stepping
        # the matcher one posting at a time.
        lo = offset  # the first docnum the current block may hold
        while m.is_active():
            hi = offset + m._maxid
            i = 0 if wanted is None else bisect.bisect_left(wanted, lo)
            if wanted is None or (i < len(wanted) and wanted[i] <= hi):
                m._read_ids()
                ids.extend([offset + d for d in m._ids] if offset else m._ids)
                if weights is not None:
                    m._read_weights()
                    weights.extend(m._weights)
                if values is not None:
                    m._read_values()
                    values.extend(m._values)
            lo = hi + 1
            if m._lastblock:
                break
            m._next_block()
        return
    while m.is_active():  # inlined short posting lists and any other matcher
        ids.append(offset + m.id())
        if weights is not None:
            weights.append(m.weight())
        if values is not None:
            values.append(m.value())
        m.next()


def read_term(reader: Any, dead: frozenset[int] | None, field: str, text: str, positions: bool = False,
              weights: bool = True, only: frozenset[int] | None = None) -> TermData:
    """A term's postings over all segments, less the deleted items ``dead`` (None: none);
    ``only``: just these docnums' postings, decoding only the blocks that hold them."""
    ids = array("i")
    ws: array | None = array("f") if weights else None
    values: list | None = [] if positions else None
    btext = text.encode("utf-8")
    wanted = sorted(only) if only is not None else None
    for seg, offset in reader.leaf_readers():
        if (field, btext) in seg:
            _read_leaf(seg.postings(field, btext), offset, ids, ws, values, wanted)
    if wanted is not None:
        rows = _rows_of(ids, wanted if dead is None else [d for d in wanted if d not in dead])
        return TermData(array("i", (ids[i] for i in rows)), None if ws is None else array("f", (ws[i] for i in rows)),
                        None if values is None else [values[i] for i in rows])
    if dead is not None and not dead.isdisjoint(ids):
        drop = _rows_of(ids, sorted(dead))
        ids = _without(ids, drop)
        ws = None if ws is None else _without(ws, drop)
        values = None if values is None else _without(values, drop)
    return TermData(ids, ws, values)


def _rows_of(ids: array, docs: list[int]) -> list[int]:
    """Where the ascending ``docs`` stand in the ascending ``ids`` (those present), by bisection."""
    rows, n = [], len(ids)
    for d in docs:
        i = bisect.bisect_left(ids, d)
        if i < n and ids[i] == d:
            rows.append(i)
    return rows


def _without_ranges(seq: Any, ranges: list[tuple[int, int]]) -> Any:
    """``seq`` less the ascending, disjoint ``[start, end)`` ranges, joined from slices."""
    out, at = seq[:0], 0
    for start, end in ranges:
        out += seq[at:start]
        at = end
    return out + seq[at:]


def _without(seq: Any, rows: list[int]) -> Any:
    """``seq`` less the ascending ``rows``, joined from slices (C speed: a common word's postings
    touch a few deleted items, and filtering every posting in Python cost more than reading them)."""
    return _without_ranges(seq, [(i, i + 1) for i in rows])


_decode_positions = Positions().decode_positions  # Whoosh's own decoder of the format it wrote
#: What Whoosh's ``Positions`` format writes (``Positions.encode``): a 4-byte count, then the
#: list of position deltas pickled with protocol 2, whose first bytes are always these.
_INT_SIZE = 4
_PICKLED_LIST = b"\x80\x02]q\x00"


def _decode(value: bytes | None) -> list[int] | tuple[()]:
    """Positions of one posting, ascending: the format's deltas summed in C (``accumulate``),
    several times faster than ``Positions.decode_positions``'s loop, which stays the fallback
    (a test compares the two on a real index)."""
    if not value:
        return ()
    if value.endswith(b"."):
        return list(accumulate(loads(value[_INT_SIZE:])))
    return _decode_positions(value)


def first_position(value: bytes) -> int | None:
    """A posting's first position read from the head of its encoding, without decoding the rest
    (None: not the expected encoding; decode it). The exact-form bonus only asks whether a word
    stands in the two heading paragraphs, which most postings answer with their first position."""
    if value[_INT_SIZE:_INT_SIZE + 5] != _PICKLED_LIST:
        return None
    i = _INT_SIZE + 5
    if value[i] == 0x28:  # MARK: the list has several items
        i += 1
    op = value[i]
    if op == 0x4B:  # BININT1
        return value[i + 1]
    if op == 0x4D:  # BININT2
        return value[i + 1] | value[i + 2] << 8
    if op == 0x4A:  # BININT
        return int.from_bytes(value[i + 1:i + 5], "little", signed=True)
    return None


def _phrase_ends(datas: list[TermData], slop: int, doc: int) -> set[int]:
    """Positions where an occurrence of the phrase ends in ``doc`` (empty: none)."""
    if slop == 1:
        # Word i at position p starts the phrase at p - i; all words must agree.
        n = len(datas) - 1
        starts = set(map((n).__add__, datas[0].positions(doc)))  # as end positions
        for i, data in enumerate(datas[1:], start=1):
            if not starts:
                break
            starts.intersection_update(map((n - i).__add__, data.positions(doc)))
        return starts
    frontier = set(datas[0].positions(doc))
    for data in datas[1:]:
        if not frontier:
            break
        frontier = {q for q in data.positions(doc) if any(1 <= q - p <= slop for p in frontier)}
    return frontier


def _near(marks: list[TermData], inner, doc: int) -> bool:
    """Does the inner clause occur within a passage opened by one of the markers?"""
    starts = [p for t in marks if doc in t.docs for p in t.positions(doc)]
    return bool(starts) and in_passage(starts, inner(doc))


def in_passage(starts, positions: list[int]) -> bool:
    """Is one of ``positions`` (ascending) inside a passage opened at one of ``starts``?

    A passage runs from its marker up to :data:`PARAGRAPH_GAP` positions on (the next paragraph
    starts further away), so it holds a position when the first position after its marker is
    within the gap: one bisection per marker, however often the words occur."""
    n = len(positions)
    for s in starts:
        i = bisect.bisect_right(positions, s)
        if i < n and positions[i] - s <= PARAGRAPH_GAP:
            return True
    return False


#: The first position below the two heading paragraphs (title, committee name).
HEADS_BELOW = PARAGRAPH_GAP * (COMMITTEE_PART + 1)


def passes(pairs: Any, markers: list, positions_of: Any, items: frozenset[int] | None = None,
           heads: array | None = None) -> tuple[dict[int, list[int]], int]:
    """Speaker number → the items (ascending) where a term stands in that speaker's passage, from
    ``pairs`` (item, encoded positions; ``positions_of`` decodes them) over ``items`` (None: all),
    and how many items' positions were decoded. ``markers``: :meth:`.View.passage_markers`'s map.
    With ``heads`` (only with ``items`` None), each item's heading paragraphs (:class:`TermData`)
    are appended to it.

    An item's passages are checked in the order they start, each by one bisection of the
    positions (:func:`in_passage`, inlined: this loop runs once per posting of a common word)."""
    found: dict[int, list[int]] = {}
    work = 0
    for d, value in pairs:
        if items is not None and d not in items:
            continue
        flat = markers[d]
        if flat is None and heads is None:
            continue
        positions = positions_of(value)
        work += 1
        if heads is not None:
            mask = 0
            for p in positions:
                if p >= HEADS_BELOW:
                    break  # positions ascend: the rest is below the headings
                mask |= 1 << (p // PARAGRAPH_GAP)
            heads.append(mask)
            if flat is None:
                continue
        n = len(positions)
        run = iter(flat)
        for start, number in zip(run, run):  # (passage start, speaker number), starts ascending
            k = bisect.bisect_right(positions, start)
            if k == n:
                break  # no position after this passage's start, nor after any later one
            if positions[k] - start <= PARAGRAPH_GAP:
                got = found.get(number)
                if got is None:
                    found[number] = [d]
                elif got[-1] != d:
                    got.append(d)
    return found, work


def read_ranked(view: View, reader: Any, field: str, text: str) -> TermData:
    """A text field's postings as searches use them: ids, weights, flat positions, ``heads`` and
    ``spoken`` (:class:`TermData`).

    A segment's pack (:mod:`.packs`) holds all of that already decoded; other segments' postings
    are read from Whoosh and the rest derived here (:func:`passes`), so the result is the same
    either way."""
    _, markers = view.passage_markers(reader)
    numbers = view.key_numbers(reader)
    packs = view.packs(reader)
    ids, ws, heads, pos, counts = array("i"), array("f"), array("B"), array("i"), array("i")
    spoken: dict[int, list[int]] = {}
    btext = text.encode("utf-8")
    for seg, offset in reader.leaf_readers():
        if (field, btext) not in seg:
            continue
        packed = packs.term(seg, field, text)
        if packed is None:
            start, values = len(ids), []
            _read_leaf(seg.postings(field, btext), offset, ids, ws, values)
            seg_pos, seg_counts, seg_heads, found = derive(ids[start:], values, markers)
            pos += seg_pos
            counts += seg_counts
            heads += seg_heads
            for number, docs in found.items():
                spoken.setdefault(number, []).extend(docs)
            continue
        shift = offset.__add__
        ids.extend(map(shift, packed.ids) if offset else packed.ids)
        ws.extend(packed.weights)
        heads.extend(packed.heads)
        pos.extend(packed.positions)
        counts.extend(packed.counts)
        for key, docs in packed.spoken():
            number = numbers.get(key)
            if number is not None:
                spoken.setdefault(number, []).extend(map(shift, docs) if offset else docs)
    dead = view.dead
    sets = {number: frozenset(docs) for number, docs in spoken.items()}
    if dead is not None and not dead.isdisjoint(ids):
        drop = _rows_of(ids, sorted(dead))
        gone = frozenset(ids[r] for r in drop)  # a few items: checked against, not iterated
        starts = array("q", accumulate(counts, initial=0))
        pos = _without_ranges(pos, [(starts[r], starts[r + 1]) for r in drop])
        ids, ws, heads, counts = (_without(a, drop) for a in (ids, ws, heads, counts))
        sets = {number: docs if gone.isdisjoint(docs) else docs - gone for number, docs in sets.items()}
    return TermData(ids, ws, None, heads, {number: docs for number, docs in sets.items() if docs}, pos, counts)


def derive(ids: Any, values: list, markers: list) -> tuple[array, array, array, dict[int, list[int]]]:
    """What a search derives from postings read from Whoosh (ascending ``ids``, their encoded
    positions ``values``): every posting's positions in one flat array, how many each has, its
    heading bits, and speaker number → the items where the term is in that speaker's passage
    (:class:`TermData`). :func:`read_ranked` does it for segments without a pack, and
    :mod:`.packs` to write one."""
    decoded = list(map(_decode, values))
    heads = array("B")
    found, _ = passes(zip(ids, decoded), markers, _as_is, heads=heads)
    return array("i", chain.from_iterable(decoded)), array("i", map(len, decoded)), heads, found


def _as_is(positions: Any) -> Any:
    return positions


class Evaluator:
    """Evaluates plans for one request on one index version."""

    def __init__(self, view: View, reader: Any):
        self.view, self.reader = view, reader

    # -- terms ---------------------------------------------------------------------------

    def term(self, field: str, text: str, positions: bool = False) -> TermData:
        """A term's postings, kept in the version's memo; with ``positions``, its positions too.

        A text field's postings are read with everything searches derive from them
        (:func:`read_ranked`); other fields' positions are read when first asked for."""
        key = ("term", field, text)
        got = self.view.memo_get(key)
        if got is not None and (got.has_positions or not positions):
            return got
        if field in POSITIONED:
            got = read_ranked(self.view, self.reader, field, text)
        else:
            got = read_term(self.reader, self.view.dead, field, text, positions)
        self.view.memo_put(key, got, got.size())
        return got

    def term_scores(self, field: str, text: str, cands: frozenset[int] | None = None) -> dict[int, float]:
        """BM25 of a term in each item holding it; for ``cands`` alone when they are a small part of
        those items (:meth:`_rows`), else for all of them, kept in the version's memo."""
        key = ("scores", field, text)
        got = self.view.memo_get(key)
        if got is None:
            data = self.term(field, text)
            rows = self._rows(data, cands)
            got = self._bm25_of(data, field, text, rows)
            if rows is None:
                self.view.memo_put(key, got, 100 * len(got))  # dict entry + float
        return got

    def _bm25_of(self, data: TermData, field: str, text: str, rows: Any = None) -> dict[int, float]:
        """Whoosh's BM25F of the term in the items of ``data`` (at ``rows``; None: all)."""
        r = self.reader
        n = r.doc_count_all()
        idf = self.idf(field, text)
        avgfl = (r.field_length(field) / n if n else 0) or 1
        lengths = self.view.lengths(r, field)
        a, b = K1 * (1 - B), K1 * B / avgfl
        if rows is None:
            return {d: idf * (w * (K1 + 1)) / (w + a + b * lengths[d]) for d, w in zip(data.ids, data.weights)}
        ids, weights = data.ids, data.weights
        return {ids[i]: idf * (weights[i] * (K1 + 1)) / (weights[i] + a + b * lengths[ids[i]]) for i in rows}

    @staticmethod
    def _rows(data: TermData, cands: frozenset[int] | None) -> list[int] | None:
        """Where ``cands``' items stand in a term's postings, when they are under 1/:data:`PART_SHARE`
        of its items (a filtered search, the rarer side of an AND): scoring them alone costs a
        bisection each instead of a pass over every posting. None: score every posting."""
        if cands is None or len(cands) * PART_SHARE >= len(data.ids):
            return None
        ids = data.ids
        return sorted(bisect.bisect_left(ids, d) for d in cands & data.docs)

    def idf(self, field: str, text: str) -> float:
        """Whoosh's BM25F idf of a term."""
        r = self.reader
        return math.log(r.doc_count_all() / (r.doc_frequency(field, text) + 1)) + 1

    def exact_scores(self, text: str, cands: frozenset[int] | None = None) -> dict[int, float]:
        """The ranking bonus of the exact word ``text``: its ``body_exact`` BM25 score, plus its
        idf times a weight when it is in the title or in the committee's name (by position).

        For ``cands`` alone when they are a small part of the word's items: from its postings in
        memory, or else read from the blocks holding them only (a filtered search or the rarer side
        of an AND need not decode every block of a common word). Otherwise for every item, kept
        in the version's memo."""
        key = ("exact", text)
        got = self.view.memo_get(key)
        if got is not None:
            return got
        if cands is not None and self.view.memo_get(("term", "body_exact", text)) is None and \
                len(cands) * PART_SHARE < self.reader.doc_frequency("body_exact", text) and \
                not self.view.packs(self.reader).holds("body_exact", text):
            data = read_term(self.reader, self.view.dead, "body_exact", text, positions=True, only=cands)
            return self._exact_of(text, data, None, self._bm25_of(data, "body_exact", text))
        data = self.term("body_exact", text)
        rows = self._rows(data, cands)
        got = self._exact_of(text, data, rows, self.term_scores("body_exact", text, None if rows is None else cands))
        if rows is None:
            self.view.memo_put(key, got, 100 * len(got))
        return got

    def _exact_of(self, text: str, data: TermData, rows: Any, base: dict[int, float]) -> dict[int, float]:
        """:meth:`exact_scores` over the items of ``data`` (at ``rows``; None: all), given their BM25."""
        idf = self.idf("body_exact", text)
        extra = {TITLE_PART: idf * EXACT_TITLE_BOOST, COMMITTEE_PART: idf * EXACT_COMMITTEE_BOOST}
        ids, heads = data.ids, data.heads
        if heads is not None:  # the heading paragraphs as bits (TermData)
            by_bits = [sum(extra[p] for p in (TITLE_PART, COMMITTEE_PART) if bits >> p & 1) for bits in range(4)]
            get = base.get
            if rows is None:
                return {d: get(d, 0.0) * EXACT_BOOST + by_bits[h] for d, h in zip(ids, heads)}
            return {ids[i]: get(ids[i], 0.0) * EXACT_BOOST + by_bits[heads[i]] for i in rows}
        got = {}
        pairs = zip(ids, data.values) if rows is None else ((ids[i], data.values[i]) for i in rows)
        for d, value in pairs:
            s = base.get(d, 0.0) * EXACT_BOOST
            first = first_position(value)
            if first is not None and first >= HEADS_BELOW:
                got[d] = s  # most items: the word is not in a heading, nothing more to decode
                continue
            parts = set()
            for p in _decode(value):
                part = heading_part(p)
                if part is None:
                    break  # positions ascend: the rest is below the headings
                parts.add(part)
            got[d] = s + sum(extra[p] for p in parts)
        return got

    # -- matching -------------------------------------------------------------------------

    def docs(self, node: Any) -> frozenset[int]:
        """The live items a plan node matches."""
        if isinstance(node, AllOf):
            pos = sorted((self.docs(n) for n in node.items if not isinstance(n, Without)), key=len)
            out = pos[0].intersection(*pos[1:]) if pos else self.view.live
            for n in node.items:
                if isinstance(n, Without) and out:
                    out = out - self.docs(n.item)
            return out
        if isinstance(node, OneOf):
            return frozenset().union(*(self.docs(n) for n in node.items))
        if isinstance(node, Without):
            return self.view.live - self.docs(node.item)
        if isinstance(node, Scored):
            return self.docs(node.match)
        key = ("docs", node)
        got = self.view.memo_get(key)
        if got is None:
            got = self._leaf_docs(node)
            self.view.memo_put(key, got, 40 * len(got) + 100)
        return got

    def _leaf_docs(self, node: Any) -> frozenset[int]:
        if isinstance(node, Term):
            return self.term(node.field, node.text).docs
        if isinstance(node, AnyOf):
            return frozenset().union(*(self.term(node.field, t).docs for t in node.texts))
        if isinstance(node, PhraseOf):
            datas = [self.term(node.field, w, True) for w in node.words]
            sets = sorted((t.docs for t in datas), key=len)
            cands = sets[0].intersection(*sets[1:])
            return frozenset(d for d in cands if _phrase_ends(datas, node.slop, d))
        if isinstance(node, Near):
            field = node.inner.field
            if isinstance(node.inner, Term):  # a word in given speakers' passages: from its read
                spoken = self.term(field, node.inner.text).spoken
                if spoken is not None:
                    numbers = self.view.key_numbers(self.reader)
                    return frozenset().union(*(spoken.get(numbers.get(m[len(MARKER):], -1), ()) for m in node.markers))
            marks = [self.term(field, m, True) for m in node.markers]
            cands = frozenset().union(*(t.docs for t in marks)) & self.docs(node.inner)
            inner = self._inner(node.inner)
            return frozenset(d for d in cands if _near(marks, inner, d))
        raise TypeError(f"not a plan leaf: {node!r}")

    def _inner(self, inner: Any):
        """A function doc → positions of the inner clause of a Near."""
        if isinstance(inner, Term):
            data = self.term(inner.field, inner.text, True)
            return data.positions
        if isinstance(inner, PhraseOf):
            datas = [self.term(inner.field, w, True) for w in inner.words]
            return lambda d: sorted(_phrase_ends(datas, inner.slop, d))
        datas = [self.term(inner.field, t, True) for t in inner.texts]
        return lambda d: sorted(p for t in datas if d in t.docs for p in t.positions(d))

    # -- scoring ------------------------------------------------------------------------

    def scores(self, node: Any, cands: frozenset[int]) -> dict[int, float]:
        acc: dict[int, float] = {}
        self._score(node, cands, acc)
        return acc

    def _add(self, acc: dict[int, float], smap: dict[int, float], cands: frozenset[int], boost: float) -> None:
        if len(smap) < len(cands):
            for d, s in smap.items():
                if d in cands:
                    acc[d] = acc.get(d, 0.0) + s * boost
        else:
            get = smap.get
            for d in cands:
                s = get(d)
                if s:
                    acc[d] = acc.get(d, 0.0) + s * boost

    def _score(self, node: Any, cands: frozenset[int], acc: dict[int, float]) -> None:
        if not cands or isinstance(node, Without):
            return
        if isinstance(node, Term):
            if node.scored:
                self._add(acc, self.term_scores(node.field, node.text, cands), cands, node.boost)
        elif isinstance(node, Scored):
            self._score(node.match, cands, acc)
            for bonus in node.bonus:
                if isinstance(bonus, Exact):
                    self._add(acc, self.exact_scores(bonus.text, cands), cands, 1.0)
        elif isinstance(node, AllOf):
            for n in node.items:
                self._score(n, cands, acc)
        elif isinstance(node, OneOf):
            for n in node.items:
                self._score(n, cands if isinstance(n, Term) else cands & self.docs(n), acc)
        elif isinstance(node, PhraseOf):
            matched = cands & self.docs(node)
            for w in node.words:
                self._add(acc, self.term_scores(node.field, w, matched), matched, 1.0)
        elif isinstance(node, Near):
            self._score(node.inner, cands & self.docs(node), acc)
        elif isinstance(node, AnyOf) and node.scored:
            for d in cands & self.docs(node):
                acc[d] = acc.get(d, 0.0) + 1.0
