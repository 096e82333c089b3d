"""Throughput of speaker attribution: ``python tests/enrich/bench_speakers.py [N]``.

The nightly job and ``searchsvc reparse`` call :func:`attribute` on every passage
of the archive (the benchmark corpus has ~150k), so it must stay regex-fast:
the target is >= 5,000 passages/s on one core. Passages are the hand-written
evaluation texts plus minutes-like filler without speakers (the common case),
attributed in items of 8 passages with a 15-person attendance list.
"""

from __future__ import annotations

import random
import sys
import time
import tomllib
from pathlib import Path

from searchsvc.enrich import attribute, split_passages
from searchsvc.records import Member

HERE = Path(__file__).resolve().parent

FILLER = [
    "The Committee considered a report outlining the proposed redistribution of unspent "
    "ward funding, with any funds unspent by the end of January being redistributed to the "
    "Neighbourhood Community Grants Programme in line with the guidelines.",
    "The Committee was informed that over the last five years, six collisions had occurred on "
    "the road, specifically between the junction and the station. These incidents included two "
    "serious and four slight injuries.",
    "It was noted that for several years, residents had expressed significant concerns about the "
    "volume and type of traffic using this road, and a petition with 60 signatures had been "
    "submitted asking for traffic calming measures.",
    "The minutes of the meeting held on 18 November 2025 were approved as a correct record.",
    "Apologies were received from Councillors Noel Hadjimichael, Patrick Hall and John Sweeney.",
    "RESOLVED that:\n1. the application for £1,800 of Neighbourhood Community Grant funding be "
    "approved; and\n2. a report be brought back to this Committee after six months.",
]


def corpus(n: int, seed: int = 7) -> list[list[str]]:
    data = tomllib.loads((HERE / "speaker_eval.toml").read_text(encoding="utf-8"))
    texts = [ex["text"] for ex in data["example"]] + FILLER * 20
    rng = random.Random(seed)
    items, total = [], 0
    while total < n:
        size = min(8, n - total)
        items.append([rng.choice(texts) for _ in range(size)])
        total += size
    return items


PEOPLE = tuple(
    [Member("Councillor Jan Reed", "Chair"), Member("Councillor Bob Smith", "Vice-Chair")]
    + [Member(f"Councillor {f} {s}") for f, s in zip(
        "Ann Priya Tom Kwame Rowena Jamal Emily Ian Noel Patrick Sabah Roger Nicola".split(),
        "Crute Bryce Whitfield Osei Bass Chohan Davey George Hadjimichael Hall Hamed Hayes "
        "Nardelli".split())]
)


def run(n: int = 150_000) -> float:
    """Attribute ``n`` passages; return passages per second."""
    items = [split_passages(texts) for texts in corpus(n)]
    start = time.process_time()  # CPU time: a busy machine does not skew the figure
    for passages in items:
        attribute(passages, PEOPLE)
    elapsed = time.process_time() - start
    return n / elapsed


def run_kingston(repeat: int = 300) -> tuple[int, float] | None:
    """Passages/s on the real Kingston minutes paragraphs (long, mostly speaker-less)."""
    from crawler.moderngov import parse_meeting_page
    from tests.conftest import corpus_dir

    corpus = corpus_dir()
    if not corpus.is_dir():
        return None
    data = tomllib.loads((HERE / "speaker_eval.toml").read_text(encoding="utf-8"))
    items = []
    for page in data["page"]:
        parsed = parse_meeting_page((corpus / page["file"]).read_bytes(), page["url"])
        items += [split_passages(i.minutes_paragraphs) for i in parsed.items]
    items = [i for i in items if i] * repeat
    count = sum(len(i) for i in items)
    start = time.process_time()
    for passages in items:
        attribute(passages, PEOPLE)
    return count, count / (time.process_time() - start)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    rate = run(count)
    print(f"attribute, mixed evaluation texts: {count} passages at {rate:,.0f} passages/s "
          f"({count / rate:.1f} s of CPU on one core)")
    kingston = run_kingston()
    if kingston:
        print(f"attribute, real Kingston paragraphs: {kingston[0]} passages at "
              f"{kingston[1]:,.0f} passages/s")
