"""The query mix: a fixed, seeded list of searches, each as our API call and Datasette's equivalent.

Words, phrases and facet values are drawn from the benchmark's own data (the Datasette copy of
the indexed items) with a seeded generator, so the same size and seed give the same mix.
Twelve kinds, in turn (``--queries`` of them in all):

====================  ==========================================  ===================================================
kind                  ours (``/api/search``)                       Datasette (``/bench/items.json``)
====================  ==========================================  ===================================================
common word           ``q=council``                               ``_search=council``
rare word             ``q=chips``                                 ``_search=chips``
two words (AND)       ``q=housing budget``                        ``_search=housing budget``
phrase                ``q="foster care"``                         ``_search="foster care"``
either word (OR)      ``q=parking OR library``                    ``_search=parking OR library``
speaker + words       ``q=funding&speaker=Councillor …``          ``_search=funding&speakers__arraycontains=…`` (*)
committee + word      ``q=…&committee=…``                         ``_search=…&committee=…``
topic + year + word   ``q=…&topic=…&year=2021``                   ``_search=…&topics__arraycontains=…&year=2021``
date range + word     ``q=…&from=…&to=…``                         ``_search=…&date__gte=…&date__lte=…``
newest first + word   ``q=…&sort=newest``                         ``_search=…&_sort_desc=date``
browse committee+year ``committee=…&year=…`` (newest first)        ``committee=…&year=…&_sort_desc=date``
browse speaker        ``speaker=…`` (newest first)                 ``speakers__arraycontains=…&_sort_desc=date``
====================  ==========================================  ===================================================

(*) Not the same question: our speaker filter with words matches the words in *that speaker's
own passages*; Datasette can only say the speaker spoke somewhere in the item and the words
occur somewhere in it (a superset). It is the closest equivalent it has.

Every request asks for the four facets: ours always returns committee, speaker, topic and year
(50 values each); Datasette gets ``_facet=committee&_facet_array=speakers&_facet_array=topics&
_facet=year&_facet_size=50``. Both hide procedural items (ours by default, Datasette with
``procedural=0``), return 20 rows, and Datasette runs FTS5 queries in raw mode
(``_searchmode=raw``) so phrases and OR mean what they mean in ours, with ``_nosuggest=1``
(no facet suggestions): its fastest honest setup (see bench/phases.py for the table layout).
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from whoosh.analysis import STOP_WORDS

KINDS = ("common word", "rare word", "two words (AND)", "phrase", "either word (OR)", "speaker + words",
         "committee + word", "topic + year + word", "date range + word", "newest first + word",
         "browse committee+year", "browse speaker")
DS_FACETS = [("_facet", "committee"), ("_facet_array", "speakers"), ("_facet_array", "topics"), ("_facet", "year"),
             ("_facet_size", "50")]
DS_FIXED = [("procedural", "0"), ("_size", "20"), ("_nosuggest", "1")]
_WORD = re.compile(r"[a-z]+")
_SKIP = set(STOP_WORDS) | {"and", "or", "not", "near"}  # FTS5 operators, in any case


@dataclass(frozen=True)
class Query:
    n: int
    kind: str
    ours: tuple[tuple[str, str], ...]
    theirs: tuple[tuple[str, str], ...]

    def our_path(self) -> str:
        return "/api/search?" + urlencode(self.ours)

    def their_path(self) -> str:
        return "/bench/items.json?" + urlencode(self.theirs + tuple(DS_FIXED) + tuple(DS_FACETS))

    def label(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.ours)


@dataclass
class Vocabulary:
    common: list[str]
    middling: list[str]
    rare: list[str]
    phrases: list[str]
    committees: list[str]
    speakers: list[str]
    topics: list[str]
    years: list[int]
    dates: tuple[str, str]


def vocabulary(db_path: Path, seed: int, sample: int = 4000) -> Vocabulary:
    """Words by how many items hold them (in a seeded sample), real two-word phrases, facet values."""
    rng = random.Random(f"{seed}:vocabulary")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        n = db.execute("SELECT MAX(id) FROM items").fetchone()[0]
        ids = sorted(rng.sample(range(1, n + 1), min(sample, n)))
        df: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        for lo in range(0, len(ids), 500):
            chunk = ids[lo:lo + 500]
            rows = db.execute(f"SELECT title || ' ' || body FROM items_fts WHERE rowid IN "
                              f"({','.join('?' * len(chunk))})", chunk)
            for (text,) in rows:
                words = _WORD.findall(text.lower())
                df.update({w for w in words if len(w) >= 4 and w not in _SKIP})
                pairs.update(f"{a} {b}" for a, b in zip(words, words[1:])
                             if len(a) >= 3 and len(b) >= 3 and a not in _SKIP and b not in _SKIP)
        ranked = [w for w, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))]
        tenth = max(1, len(ranked) // 10)
        common, middling = ranked[:30], ranked[tenth:4 * tenth]
        rare = sorted(w for w, c in df.items() if c <= 2) or ranked[-30:]
        phrases = [p for p, c in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 3][:400]

        def ranked_values(sql: str, limit: int) -> list[str]:
            return [r[0] for r in db.execute(sql + f" ORDER BY COUNT(*) DESC, 1 LIMIT {limit}") if r[0]]

        committees = ranked_values("SELECT committee FROM items WHERE procedural = 0 GROUP BY committee", 60)
        speakers = ranked_values("SELECT j.value FROM items, json_each(items.speakers) j GROUP BY j.value", 120)
        topics = ranked_values("SELECT j.value FROM items, json_each(items.topics) j GROUP BY j.value", 40)
        years = [int(r[0]) for r in db.execute("SELECT DISTINCT year FROM items WHERE year IS NOT NULL ORDER BY 1")]
        dates = db.execute("SELECT MIN(date), MAX(date) FROM items").fetchone()
    finally:
        db.close()
    return Vocabulary(common, middling, rare, phrases, committees, speakers, topics, years, dates)


def query_mix(v: Vocabulary, count: int, seed: int) -> list[Query]:
    rng = random.Random(f"{seed}:mix")
    out: list[Query] = []
    past_years = [y for y in v.years if y < max(v.years)] or v.years
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        ours: list[tuple[str, str]] = []
        theirs: list[tuple[str, str]] = []
        words = ""
        if kind == "common word":
            words = rng.choice(v.common)
        elif kind == "rare word":
            words = rng.choice(v.rare)
        elif kind == "two words (AND)":
            words = f"{rng.choice(v.common)} {rng.choice(v.middling)}"
        elif kind == "phrase":
            words = f'"{rng.choice(v.phrases)}"'
        elif kind == "either word (OR)":
            words = f"{rng.choice(v.middling)} OR {rng.choice(v.middling)}"
        elif kind == "speaker + words":
            name = rng.choice(v.speakers[:60])
            words = rng.choice(v.common + v.middling)
            ours.append(("speaker", name))
            theirs.append(("speakers__arraycontains", name))
        elif kind == "committee + word":
            words = rng.choice(v.common + v.middling)
            committee = rng.choice(v.committees)
            ours.append(("committee", committee))
            theirs.append(("committee", committee))
        elif kind == "topic + year + word":
            words = rng.choice(v.common)
            topic, year = rng.choice(v.topics), str(rng.choice(past_years))
            ours += [("topic", topic), ("year", year)]
            theirs += [("topics__arraycontains", topic), ("year", year)]
        elif kind == "date range + word":
            words = rng.choice(v.common + v.middling)
            year = rng.choice(past_years)
            start, end = f"{year}-{rng.randint(1, 12):02d}-01", f"{year + 1}-{rng.randint(1, 6):02d}-28"
            ours += [("from", start), ("to", end)]
            theirs += [("date__gte", start), ("date__lte", end)]
        elif kind == "newest first + word":
            words = rng.choice(v.common + v.middling)
            ours.append(("sort", "newest"))
            theirs.append(("_sort_desc", "date"))
        elif kind == "browse committee+year":
            committee, year = rng.choice(v.committees), str(rng.choice(past_years))
            ours += [("committee", committee), ("year", year)]
            theirs += [("committee", committee), ("year", year), ("_sort_desc", "date")]
        elif kind == "browse speaker":
            name = rng.choice(v.speakers)
            ours.append(("speaker", name))
            theirs += [("speakers__arraycontains", name), ("_sort_desc", "date")]
        if words:
            ours.insert(0, ("q", words))
            theirs[:0] = [("_search", words), ("_searchmode", "raw")]
        out.append(Query(n, kind, tuple(ours), tuple(theirs)))
    return out
