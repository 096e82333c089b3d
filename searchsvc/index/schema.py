"""The Whoosh schema for item documents, and the analyzers the query side must mirror.

One Whoosh document per agenda item (the unit of results and of facet counts).
Field choices, and why (the figures behind them: bench/README.md, "Design figures"):

* ``body`` — stemmed words of title + committee name + agenda + passages + document texts
  (the title and the committee name always the first two paragraphs, so a match there is
  told by its position: :func:`heading_part`);
  ``body_exact`` — the same text lowercased and unstemmed, for "exact
  phrases" and ``word*`` prefixes on real words. Both keep positions, with a
  gap of :data:`PARAGRAPH_GAP` positions at every blank line, so a phrase
  never spans two paragraphs.
* Speaker attribution — each passage with speakers starts with one *marker*
  token per speaker (``§<speaker key>``) in ``body`` and ``body_exact``.
  ``speaker:"Reed" foster`` matches when a ``foster`` position follows a
  Reed marker by at most the gap, i.e. lies in a passage Reed spoke (the next
  paragraph always starts more than the gap away); :mod:`.matching` checks
  this on the candidates left by set intersection. Alternatives measured:
  speaker-prefixed terms (``reed|foster`` in extra ``spoken`` fields) built
  slower and several times bigger — one term per speaker × word; nested
  passage documents under their item built five times slower (Whoosh's
  parallel writer cannot split a document group) and ``NestedParent`` over
  the multi-segment index missed matches. The markers cost a few terms and the
  positions of ``body``. A speaker passage longer than the gap (10,000
  words) loses attribution for its tail; its words stay searchable.
* ``title`` — stemmed with positions: ``title:`` searches and a ranking boost.
* Facets and filters — ``committee``, ``source``, ``year`` are sortable ``ID``
  columns holding the printed value (facets show "Planning Committee", not
  "planning committee"); filters match case-insensitively by resolving the
  typed value against the field's lexicon. ``speaker`` and ``topic`` are
  multi-valued :class:`MultiValue` fields (not ``KEYWORD(commas=True)``:
  officer roles such as "Head of Early Help, Assessment and Safeguarding"
  contain commas) with a list column.
* ``day`` (``yyyymmdd`` int, sortable) — date sorting and the date-range filter;
  ``batch`` (sortable int) — ``since_batch`` and ``last_batch``.

Custom analyzer classes are pickled into the index's TOC by Whoosh, so renaming
or moving a class here needs a full rebuild (``searchsvc index --full``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh import columns, fields, formats
from whoosh.analysis import STOP_WORDS, LowercaseFilter, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer
from whoosh.analysis.tokenizers import Tokenizer
from whoosh.lang import stemmer_for_language

from searchsvc.facets import FACETS, Facet

__all__ = [
    "PARAGRAPH_GAP",
    "MultiValue",
    "build_schema",
    "clean_text",
    "exact_analyzer",
    "marker",
    "marker_text",
    "stem_analyzer",
]

#: Positions skipped at each blank line: more than any phrase slop and more
#: than any speaker passage (see the module docstring).
PARAGRAPH_GAP = 10_000
WORD_PATTERN = re.compile(r"\w+(?:\.?\w+)*")
# A word, a paragraph break, or a speaker marker "\x02<key>\x03".
_TOKENS = re.compile(r"(\w+(?:\.?\w+)*)|(\n[ \t\r\f\v]*\n\s*)|\x02(\d+)\x03")
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


#: ``body`` and ``body_exact`` start with two fixed paragraphs, the title then the committee's
#: name (see build.to_fields): a position below one gap is in the title, below two in the name.
TITLE_PART, COMMITTEE_PART = 0, 1


def heading_part(pos: int) -> int | None:
    """Which heading paragraph a ``body``/``body_exact`` position is in (None: the text below)."""
    part = pos // PARAGRAPH_GAP
    return part if part <= COMMITTEE_PART else None


def marker(key: str) -> str:
    """The indexed term marking a passage spoken by the speaker with ``key``."""
    return "\u00a7" + key


def clean_text(text: str) -> str:
    """Text with control characters blanked, so no text can forge a speaker marker."""
    return _CONTROL.sub(" ", text)


def marker_text(keys: list[str] | tuple[str, ...], text: str) -> str:
    """A passage as indexed: its speakers' markers, then its (cleaned) text."""
    one_paragraph = _BLANK.sub("\n", clean_text(text).strip())
    return "".join(f"\x02{k}\x03" for k in keys) + " " + one_paragraph


class GapTokenizer(Tokenizer):
    """Words like Whoosh's RegexTokenizer, a position gap at each blank line, speaker markers.

    The reference implementation of :class:`TextAnalyzer` (whose fast path
    must produce the same terms and positions); not used for indexing itself.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.text, t.boost, t.stopped = value, 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        at_marker = False
        for match in _TOKENS.finditer(value):
            kind = match.lastindex
            if kind == 2:
                pos += PARAGRAPH_GAP + (1 if at_marker else 0)
                at_marker = False
                continue
            if kind == 3:
                # All markers of a passage share its first position.
                t.text = marker(match.group(3))
            else:
                if at_marker:
                    pos += 1
                    at_marker = False
                t.text = match.group(1)
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            if kind == 3:
                at_marker = True
            else:
                pos += 1
            yield t


_STEM = stemmer_for_language("en")
_MARK = "\u00a7"
_memo: tuple[str | None, list[tuple[str, int]]] = (None, [])


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEM(word)


def _words(value: str) -> list[tuple[str, int]]:
    """(word as written, position) pairs: the GapTokenizer's output, without Token objects.

    ``body`` and ``body_exact`` receive the same string object, so the last
    result is remembered and the second field does not tokenize again.
    """
    global _memo
    memo = _memo
    if memo[0] is value:
        return memo[1]
    out: list[tuple[str, int]] = []
    append = out.append
    pos = 0
    at_marker = False
    for word, _brk, key in _TOKENS.findall(value):
        if word:
            if at_marker:
                pos += 1
                at_marker = False
            append((word, pos))
            pos += 1
        elif key:
            append((_MARK + key, pos))
            at_marker = True
        else:
            pos += PARAGRAPH_GAP + (1 if at_marker else 0)
            at_marker = False
    _memo = (value, out)
    return out


class TextAnalyzer(Analyzer):
    """Gap tokenizer + lowercase, and for ``stem=True`` stop words + Snowball English stems.

    Equivalent to ``GapTokenizer() | LowercaseFilter() [| StopFilter(renumber)
    | StemFilter(lang="en")]`` (a test checks this), with a fast path
    :meth:`terms` that :class:`FastPositions` and the query side use: indexing
    spends most of its time analysing text, and Whoosh's filter chain sets
    attributes on a Token object per word per filter.

    Snowball English rather than Whoosh's default Porter stemmer, which leaves
    "planning" as "plann" and so misses "plans". ``body`` keeps the positions
    of dropped stop words (renumbering would close the paragraph gaps);
    ``title`` renumbers so ``title:"cost of living"`` matches "cost living".
    """

    def __init__(self, stem: bool = False, renumber: bool = False):
        self.stem = stem
        self.renumber = renumber

    def has_morph(self) -> bool:
        return self.stem

    def chain(self) -> Analyzer:
        """The reference Whoosh pipeline this analyzer is equivalent to."""
        if not self.stem:
            return GapTokenizer() | LowercaseFilter()
        return GapTokenizer() | LowercaseFilter() | StopFilter(renumber=self.renumber) | StemFilter(lang="en")

    def terms(self, value: str) -> list[tuple[str, int]]:
        """(term, position) pairs as indexed."""
        words = _words(value)
        if not self.stem:
            return [(w.lower(), p) for w, p in words]
        out = []
        renumber, last = self.renumber, None
        for w, p in words:
            if w[0] != _MARK:
                w = w.lower()
                if len(w) < 2 or w in STOP_WORDS:
                    continue
                w = _stem(w)
            if renumber:
                p = p if last is None else last + 1
                last = p
            out.append((w, p))
        return out

    def __call__(self, value: str, positions: bool = False, chars: bool = False, removestops: bool = True,
                 start_pos: int = 0, no_morph: bool = False, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        if chars or not removestops or no_morph or start_pos or not isinstance(value, str):
            chain = self.chain()
            if no_morph and self.stem:
                chain = GapTokenizer() | LowercaseFilter() | StopFilter(renumber=self.renumber)
            yield from chain(value, positions=positions, chars=chars, removestops=removestops,
                             start_pos=start_pos, mode=mode, **kwargs)
            return
        t = Token(positions, False, removestops=removestops, mode=mode, **kwargs)
        for text, pos in self.terms(value):
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = pos
            yield t


class FastPositions(formats.Positions):
    """``Positions`` whose postings come from :meth:`TextAnalyzer.terms` (same encoding)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any):
        terms = getattr(analyzer, "terms", None)
        if terms is None or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = defaultdict(list)
        for text, pos in terms(value):
            poses[text].append(pos)
        fb = self.field_boost
        encode = self.encode
        for w, poslist in poses.items():
            yield (w, len(poslist), len(poslist) * fb, encode(poslist))


def stem_analyzer(renumber: bool = False) -> TextAnalyzer:
    """Stemmed words, stop words dropped: ``body`` (and ``title`` with ``renumber``)."""
    return TextAnalyzer(stem=True, renumber=renumber)


def exact_analyzer() -> TextAnalyzer:
    """Lowercased words, nothing dropped: ``body_exact``."""
    return TextAnalyzer()


def _text(analyzer: TextAnalyzer, stored: bool = False) -> fields.TEXT:
    field = fields.TEXT(analyzer=analyzer, stored=stored)
    field.format = FastPositions(field_boost=1.0)
    return field


class _ValuesTokenizer(Tokenizer):
    def __call__(self, value: Any, positions: bool = False, chars: bool = False, **kwargs: Any):
        values = value.split("\n") if isinstance(value, str) else value
        t = Token(positions, chars, **{k: v for k, v in kwargs.items() if k in ("mode", "removestops")})
        for i, v in enumerate(dict.fromkeys(x.strip() for x in values if x and x.strip())):
            t.text = v
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = i
            yield t


class MultiValue(fields.FieldType):
    """A multi-valued, case-preserving facet field (speakers, topics).

    Takes a list/tuple of strings (or one string with a value per line), indexes
    each value as one term and keeps a list column so the values can be read
    per document without touching postings.
    """

    spellable = False

    def __init__(self, stored: bool = False):
        self.analyzer = _ValuesTokenizer()
        self.format = formats.Existence()
        self.scorable = False
        self.stored = stored
        self.unique = False
        self.vector = None
        self.column_type = columns.VarBytesListColumn()

    def index(self, value: Any, **kwargs: Any):
        if isinstance(value, str):
            value = value.split("\n")
        seen = {t.text for t in self.analyzer(value)}
        for text in seen:
            yield text.encode("utf-8"), 1, 1.0, b""

    def to_column_value(self, value: Any) -> list[bytes]:
        if isinstance(value, str):
            value = value.split("\n")
        return [t.text.encode("utf-8") for t in self.analyzer(value)]

    def from_column_value(self, value: Any) -> Any:
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def process_text(self, qstring: str, mode: str = "", **kwargs: Any):
        return iter([qstring])


def facet_field(facet: Facet) -> fields.FieldType:
    """The Whoosh field of a facet: a list column for multi-valued ones, else a sortable ID."""
    if facet.multi:
        return MultiValue(stored=facet.stored)
    return fields.ID(stored=facet.stored, sortable=True)


def build_schema() -> fields.Schema:
    """The schema of every generation (see the module docstring for why)."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        source_title=fields.STORED(),
        committee_id=fields.STORED(),
        meeting_id=fields.ID(stored=True),
        date=fields.STORED(),  # ISO yyyy-mm-dd or ""
        day=fields.NUMERIC(int, bits=32, sortable=True),
        number=fields.STORED(),
        position=fields.STORED(),
        title=_text(stem_analyzer(renumber=True), stored=True),
        body=_text(stem_analyzer()),
        body_exact=_text(exact_analyzer()),
        procedural=fields.BOOLEAN(stored=True),
        batch=fields.NUMERIC(int, bits=64, sortable=True, stored=True),
        url=fields.STORED(),
        meeting_url=fields.STORED(),
        passages=fields.STORED(),  # JSON [[anchor, text, [speakers]], …]
    )
    for facet in FACETS:  # searchsvc/facets.py: one definition per facet
        schema.add(facet.name, facet_field(facet))
    return schema
