"""Random item documents and a plain-Python oracle of the search semantics.

The oracle restates the search semantics (docs/architecture.md) without Whoosh: words match by stem anywhere
in the title, committee name or text, phrases match exact lowercase words in order within one
paragraph (title, committee name, agenda paragraph, passage), prefixes match whole words,
``speaker:X word`` needs one passage spoken by X containing the word, and
speaker names match a run of whole words, case-insensitively. Stems come
from the index's analyzer (the oracle checks the query logic, not Snowball).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from searchsvc.index import ItemDoc
from searchsvc.index.query import stems
from searchsvc.records import Passage

# Words whose stems are distinct, plus inflections that share a stem.
VOCAB = (
    "apple bridge canal dragon ember falcon garden harbour island jungle kettle lantern meadow "
    "nectar orchard pebble quarry river saddle timber velvet walnut yonder zephyr foster care "
    "housing budget school library planning plans planned"
).split()
SPEAKERS = (
    "Councillor Jan Reed",
    "Councillor Reed Smith",
    "Councillor Mary Reedham",
    "Councillor Bob Smith",
    "Head of Early Help, Assessment and Safeguarding",
    "Mr M Balfour",
    "The Director of Finance",
)
COMMITTEES = ("Cabinet", "Planning Committee", "Children and Families Committee", "Licensing Sub-Committee")
TOPICS = ("Housing", "Schools", "Roads", "Climate")
SOURCES = ("kingston", "sutton")
_WORD = re.compile(r"\w+(?:\.?\w+)*")


def words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(lo, hi)))


def random_docs(n: int = 300, seed: int = 1234) -> list[ItemDoc]:
    rng = random.Random(seed)
    start = date(2014, 1, 1)
    docs = []
    for i in range(n):
        passages = tuple(
            Passage(anchor=f"p{j}", text=words(rng, 3, 12),
                    speakers=tuple(rng.sample(SPEAKERS, rng.choice((0, 1, 1, 2)))))
            for j in range(1, rng.randint(1, 6) + 1)
        )
        agenda = "\n\n".join(words(rng, 2, 8) for _ in range(rng.randint(0, 2)))
        docs.append(ItemDoc(
            id=f"{SOURCES[i % 2]}:item:{i}", source=SOURCES[i % 2], committee=rng.choice(COMMITTEES),
            committee_id="c1", meeting_id=f"{SOURCES[i % 2]}:meeting:{i // 4}",
            date=start + timedelta(days=rng.randrange(3650)), number=f"{i}.", title=words(rng, 1, 4),
            agenda=agenda, passages=passages,
            speakers=tuple(dict.fromkeys(s for p in passages for s in p.speakers)),
            topics=tuple(rng.sample(TOPICS, rng.randint(0, 2))), procedural=rng.random() < 0.1,
            batch=rng.randint(1, 6), url=f"https://example.org/{i}", position=i % 10,
        ))
    return docs


def name_matches(name: str, text: str) -> bool:
    """A speaker filter: the filter's words are a run of the name's whole words."""
    nw, tw = re.findall(r"\w+", name.lower()), re.findall(r"\w+", text.lower())
    return bool(tw) and any(nw[i : i + len(tw)] == tw for i in range(len(nw) - len(tw) + 1))


@dataclass
class Rec:
    doc: ItemDoc
    stems: set[str] = field(default_factory=set)
    title_stems: set[str] = field(default_factory=set)
    paragraphs: list[list[str]] = field(default_factory=list)  # exact words per paragraph
    passages: list[tuple[tuple[str, ...], set[str], list[str]]] = field(default_factory=list)


def record(doc: ItemDoc) -> Rec:
    r = Rec(doc)
    # The committee's name is searchable text too ("planning" finds the Planning Committee's items).
    texts = [doc.title, doc.committee] + [p for p in doc.agenda.split("\n\n") if p] + [p.text for p in doc.passages]
    for t in texts:
        r.stems |= set(stems(t))
        r.paragraphs.append([w.lower() for w in _WORD.findall(t)])
    r.title_stems = set(stems(doc.title))
    for p in doc.passages:
        r.passages.append((p.speakers, set(stems(p.text)), [w.lower() for w in _WORD.findall(p.text)]))
    return r


def phrase_in(tokens: list[str], phrase: list[str], slop: int = 1) -> bool:
    def from_(i: int, k: int) -> bool:
        if k == len(phrase):
            return True
        return any(tokens[j] == phrase[k] and from_(j, k + 1) for j in range(i + 1, min(len(tokens), i + slop + 1)))

    return any(t == phrase[0] and from_(i, 1) for i, t in enumerate(tokens))


# Predicates over a Rec (the oracle's "query language").

def word(w: str):
    st = set(stems(w))
    return lambda r: st <= r.stems


def title_word(w: str):
    st = set(stems(w))
    return lambda r: st <= r.title_stems


def phrase(text: str, slop: int = 1):
    ws = text.lower().split()
    return lambda r: any(phrase_in(p, ws, slop) for p in r.paragraphs)


def prefix(p: str):
    return lambda r: any(w.startswith(p) for para in r.paragraphs for w in para)


def spoken(name: str, inner: str, kind: str = "word"):
    """A word/phrase/prefix inside one passage spoken by someone matching ``name``."""
    st = set(stems(inner))
    ws = inner.lower().split()

    def ok(passage) -> bool:
        speakers, pst, toks = passage
        if not any(name_matches(s, name) for s in speakers):
            return False
        if kind == "word":
            return st <= pst
        if kind == "phrase":
            return phrase_in(toks, ws)
        return any(t.startswith(inner) for t in toks)

    return lambda r: any(ok(p) for p in r.passages)


def spoken_by(name: str, inner: str):
    """A word inside one passage spoken by exactly the speaker ``name`` (a facet value)."""
    st = set(stems(inner))
    return lambda r: any(name in speakers and st <= pst for speakers, pst, _ in r.passages)


def spoke(name: str):
    return lambda r: any(name_matches(s, name) for s in r.doc.speakers)


def AND(*ps):
    return lambda r: all(p(r) for p in ps)


def OR(*ps):
    return lambda r: any(p(r) for p in ps)


def NOT(p):
    return lambda r: not p(r)


def make_doc(n: int, title: str = "", text: str = "", speaker: str = "", **kw) -> ItemDoc:
    """A small hand-made item: one passage (spoken by ``speaker`` if given)."""
    passages = (Passage("p1", text, (speaker,) if speaker else ()),) if text else ()
    fields = dict(
        id=f"t:item:{n}", source="t", committee="Cabinet", committee_id="1", meeting_id=f"t:meeting:{n}",
        date=date(2020, 1, 1) + timedelta(days=n), number=f"{n}.", title=title or f"Item {n}",
        passages=passages, speakers=(speaker,) if speaker and text else (), batch=1,
        url=f"https://example.org/{n}",
    )
    fields.update(kw)
    return ItemDoc(**fields)
