"""Packs: what searches derive from a segment's common terms' postings, decoded once at index time.

A first search for a common word spent most of its time in Whoosh's block decoding (ids, weights
and every posting's positions, unpickled block by block, for ``body`` and again for
``body_exact``) and then in walking every item's positions for the speaker facet
(bench/README.md, "Capacity"). For the terms found in at least :data:`MIN_DOCS` of a segment's
items (or in a good share of a small segment's), the index step writes beside the segment
(``<segment id>.pack``) what a search derives from those postings (:func:`~.matching.read_ranked`):

* the item numbers and weights (BM25), and the positions (phrases, NEAR);
* each posting's heading paragraphs as bits (the exact-form bonus);
* for each speaker key, the items where the term stands in that speaker's passage (the speaker
  facet with search words, and speaker filters).

A search reads these as flat arrays, never unpickling a block. A Whoosh segment never changes once
written, so a pack never goes stale: deleted items are dropped when a search reads it, as from
Whoosh's own postings, and Whoosh deletes the pack with its segment (the file name matches its
segment files' pattern). A segment without a readable pack (an index written before packs, a
version opened before its new segment's pack was written, a damaged file) is read from Whoosh, with
the same results.

File layout: :data:`MAGIC`, a 4-byte little-endian header length, the header (JSON: the speaker
keys, the size of the rest, and per field and term ``[offset, postings, positions, speakers,
passages]``), then per term: ids (int32), weights (float32), heads (uint8), each posting's number
of positions (int32), the positions (int32), then ``speakers`` pairs (key index, number of items)
and the items themselves (int32); item numbers are relative to the segment.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchsvc.index.facets import marker_map
from searchsvc.index.matching import POSITIONED, derive, read_term
from searchsvc.index.schema import marker

log = logging.getLogger(__name__)

MAGIC = b"searchsvc pack 2\n"
#: A term gets a pack entry in a segment when it is in at least this many of the segment's items
#: (below it, reading its postings from Whoosh costs about a millisecond), or in at least
#: 1/SMALL_SHARE of them (a nightly update's small segment holds few terms in 1,000 items, but
#: the common words' hundreds of postings there cost as much as a pack's thousands).
MIN_DOCS = 200
SMALL_SHARE = 20
SUFFIX = ".pack"
_MARK = marker("")
_LEN = struct.Struct("<I")
_INT = array("i").itemsize
assert _INT == 4 and array("f").itemsize == 4


class PackError(Exception):
    """A pack file that cannot be read (the segment is then read from Whoosh)."""


@dataclass(frozen=True)
class Packed:
    """One term's entry in one segment's pack (segment-relative item numbers)."""

    ids: array
    weights: array
    heads: array
    counts: array
    positions: array
    _keys: list[str]
    _runs: array
    _items: array

    def spoken(self) -> Iterator[tuple[str, array]]:
        """(speaker key, the items where the term is in that speaker's passage, ascending)."""
        runs, items, at = self._runs, self._items, 0
        for i in range(0, len(runs), 2):
            n = runs[i + 1]
            yield self._keys[runs[i]], items[at:at + n]
            at += n


class Pack:
    """One segment's pack file, mapped read-only."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            try:
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError as e:  # an empty file
                raise PackError(f"{path}: {e}") from None
        m = self._map
        if m[:len(MAGIC)] != MAGIC:
            raise PackError(f"{path}: not a pack")
        start = len(MAGIC) + _LEN.size
        (n,) = _LEN.unpack_from(m, len(MAGIC)) if len(m) >= start else (-1,)
        if n < 0 or start + n > len(m):
            raise PackError(f"{path}: truncated")
        try:
            header = json.loads(m[start:start + n])
            self.keys: list[str] = header["keys"]
            self.terms: dict[str, dict[str, list[int]]] = header["terms"]
            size = header["size"]
        except (ValueError, KeyError, TypeError) as e:
            raise PackError(f"{path}: bad header ({e})") from None
        self._data = start + n
        if self._data + size != len(m):
            raise PackError(f"{path}: truncated")

    def term(self, field: str, text: str) -> Packed | None:
        entry = self.terms.get(field, {}).get(text)
        if entry is None:
            return None
        offset, n, npos, speakers, passages = entry
        at = self._data + offset
        parts = []
        for code, count, size in (("i", n, _INT), ("f", n, 4), ("B", n, 1), ("i", n, _INT), ("i", npos, _INT),
                                  ("i", 2 * speakers, _INT), ("i", passages, _INT)):
            a = array(code)
            a.frombytes(self._map[at:at + count * size])
            parts.append(a)
            at += count * size
        if at > len(self._map):
            raise PackError(f"the entry of {field}:{text} runs past the end of its pack")
        ids, weights, heads, counts, positions, runs, items = parts
        return Packed(ids, weights, heads, counts, positions, self.keys, runs, items)


class Packs:
    """The packs of one index version's segments (by segment id)."""

    def __init__(self, by_segment: dict[str, Pack]):
        self._by_segment = by_segment

    def __len__(self) -> int:
        return len(self._by_segment)

    def term(self, seg: Any, field: str, text: str) -> Packed | None:
        """The term's entry in segment ``seg``'s pack, or None (no pack, or not a common term there)."""
        pack = self._by_segment.get(seg.segment().segment_id())
        if pack is None:
            return None
        try:
            return pack.term(field, text)
        except PackError as e:
            log.warning("%s; reading it from the index instead", e)
            return None

    def holds(self, field: str, text: str) -> bool:
        """Is the term in some segment's pack?"""
        return any(text in p.terms.get(field, ()) for p in self._by_segment.values())


def _folder(seg: Any) -> Path | None:
    """The folder of a segment's files: its storage's, or under a compound segment's overlay (the
    plain storage beside the compound file). A test checks that packs are found on a real index."""
    storage = getattr(seg, "_storage", None)
    for s in (storage, getattr(storage, "b", None), getattr(storage, "a", None)):
        folder = getattr(s, "folder", None)
        if folder:
            return Path(folder)
    return None


def pack_path(seg: Any) -> Path | None:
    """Where segment ``seg``'s pack is (None: an index not on disk)."""
    folder = _folder(seg)
    return None if folder is None else folder / (seg.segment().segment_id() + SUFFIX)


def open_packs(reader: Any) -> Packs:
    """The packs of the reader's segments that have a readable one."""
    got: dict[str, Pack] = {}
    for seg, _ in reader.leaf_readers():
        path = pack_path(seg)
        if path is None or not path.exists():
            continue
        try:
            got[seg.segment().segment_id()] = Pack(path)
        except (OSError, PackError) as e:
            log.warning("cannot read the pack %s (%s); its segment is read from the index", path, e)
    return Packs(got)


# -- writing --------------------------------------------------------------------------------

def write_packs(ix: Any, min_docs: int = MIN_DOCS) -> list[str]:
    """Write the pack of every segment of ``ix`` that has none of this format; returns the segment
    ids written.

    Called after a full build (before the generation is published) and after an update's commit
    (the new segment; a version opened before it is written reads that segment from Whoosh)."""
    written = []
    with ix.reader() as reader:
        for seg, _ in reader.leaf_readers():
            path = pack_path(seg)
            if path is None or _current(path):
                continue
            write_pack(seg, path, min_docs)
            written.append(seg.segment().segment_id())
    return written


def _current(path: Path) -> bool:
    """Is there a whole pack of this format at ``path``? (A damaged or older one is written again.)"""
    try:
        Pack(path)
    except (OSError, PackError):
        return False
    return True


def write_pack(seg: Any, path: Path, min_docs: int = MIN_DOCS) -> None:
    """Write one segment's pack (beside it, then renamed into place: never half-written)."""
    keys = [t.decode("utf-8")[len(_MARK):] for t in seg.expand_prefix("body", _MARK)] if "body" in seg.schema else []
    numbers = {key: i for i, key in enumerate(keys)}
    markers = marker_map(seg, None, seg.doc_count_all(), "body", numbers)
    least = max(2, min(min_docs, seg.doc_count_all() // SMALL_SHARE))
    terms: dict[str, dict[str, list[int]]] = {}
    chunks: list[bytes] = []
    offset = 0
    for field in sorted(POSITIONED):
        if field not in seg.schema or not seg.schema[field].format.supports("positions"):
            continue
        entries = terms[field] = {}
        for btext, info in seg.iter_field(field):
            if info.doc_frequency() < least or btext.startswith(_MARK.encode("utf-8")):
                continue
            text = btext.decode("utf-8")
            data = read_term(seg, None, field, text, positions=True)
            positions, counts, heads, found = derive(data.ids, data.values, markers)
            runs, items = array("i"), array("i")
            for number in sorted(found):
                runs.extend((number, len(found[number])))
                items.extend(found[number])
            blob = b"".join(a.tobytes() for a in (data.ids, data.weights, heads, counts, positions, runs, items))
            entries[text] = [offset, len(data.ids), len(positions), len(runs) // 2, len(items)]
            chunks.append(blob)
            offset += len(blob)
    header = json.dumps({"keys": keys, "terms": terms, "size": offset}, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC + _LEN.pack(len(header)) + header)
        for blob in chunks:
            f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    log.info("wrote %s: %d common terms", path.name, sum(map(len, terms.values())))

