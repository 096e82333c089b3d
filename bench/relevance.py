"""nDCG@10 of the search ranking on judged queries over the sample council.

    .venv/bin/python bench/relevance.py                 # builds the sample council (size 0.3) once
    .venv/bin/python bench/relevance.py --data DIR      # or judges an existing data directory
    .venv/bin/python bench/relevance.py --show planning # the judged items and our top 10 for a query

The queries and the one rule that grades every item are in ``bench/relevance_queries.toml``;
the grades come from the catalog's records, never from a ranking. Gains are ``2**grade - 1``,
discounted by ``log2(rank + 1)`` and divided by the ideal ordering's (standard nDCG). The
sample council is built by ``searchsvc demo --no-serve`` into ``bench/data/relevance-<size>/``
(git-ignored) and reused on later runs. Figures are in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from searchsvc.catalog import Catalog  # noqa: E402
from searchsvc.index import IndexReader, IndexStore, SearchRequest  # noqa: E402
from searchsvc.index.query import stems  # noqa: E402

_WORD = re.compile(r"\w+")
K = 10


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def query_words(q: str) -> list[str]:
    """The query's words the index looks for (stop words dropped), lowercased."""
    return [w for w in _WORD.findall(q.lower()) if stems(w)]


def judge(catalog: Catalog, queries: list[str]) -> dict[str, dict[str, int]]:
    """Grades (1 or 2; 0 left out) per query per item id, by the rule in relevance_queries.toml."""
    committees = {c.id: c.name for c in catalog.committees()}
    meetings = {m.id: committees.get(m.committee_record_id, m.committee_name) for m in catalog.meetings()}
    wanted = {q: query_words(q) for q in queries}
    grades: dict[str, dict[str, int]] = {q: {} for q in queries}
    for item, _batch in catalog.items():
        if item.procedural:
            continue
        head = words(item.title) | words(meetings.get(item.meeting_record_id, ""))
        text = words(" ".join((item.title, item.agenda_text, item.minutes_text, item.decision_text)))
        for q, ws in wanted.items():
            if all(w in head for w in ws):
                grades[q][item.id] = 2
            elif all(w in text for w in ws):
                grades[q][item.id] = 1
    return grades


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(gs: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gs[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(i, 0) for i in ranked]) / ideal if ideal else 0.0


def ensure_data(size: float) -> Path:
    data = HERE / "data" / f"relevance-{size}"
    if not (data / "whoosh" / "CURRENT").is_file():
        print(f"building the sample council (size {size}) into {data} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "searchsvc", "-q", "--data-dir", str(data), "demo", "--no-serve",
                        "--size", str(size), "--sample-port", "0"], check=True, cwd=HERE.parent)
    return data


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="a data directory with catalog.sqlite and an index")
    ap.add_argument("--size", type=float, default=0.3, help="sample council size when building (0.3)")
    ap.add_argument("--show", metavar="QUERY", help="print the judged items and the top 10 for one query")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    queries = tomllib.loads((HERE / "relevance_queries.toml").read_text())["queries"]
    data = args.data or ensure_data(args.size)
    with Catalog.in_dir(data) as catalog:
        grades = judge(catalog, queries)
    reader = IndexReader(IndexStore(data))
    scores = {}
    for q in queries:
        hits = reader.search(SearchRequest(q=q, per_page=K, facets=False)).hits
        scores[q] = ndcg([h.id for h in hits], grades[q])
        if args.show == q:
            print(f"judged: {sum(1 for g in grades[q].values() if g == 2)} items of grade 2, "
                  f"{sum(1 for g in grades[q].values() if g == 1)} of grade 1")
            for h in hits:
                print(f"  {grades[q].get(h.id, 0)}  {h.committee[:30]:30}  {h.title[:70]}")
    mean = sum(scores.values()) / len(scores)
    if args.json:
        print(json.dumps({"ndcg@10": scores, "mean": mean}, indent=2))
        return
    for q, s in scores.items():
        print(f"{q:20} {s:.3f}")
    print(f"mean nDCG@{K} {mean:.3f} over {len(queries)} queries")


if __name__ == "__main__":
    main()
