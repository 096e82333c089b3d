"""BeautifulSoup's tree builders compared on saved and sample ModernGov pages: html.parser, lxml, our lean lxml.

    PYTHONPATH=. .venv/bin/python bench/parse_builders.py [--corpus DIR] [--meetings 150] [--repeat 3]

Every page is parsed by its own parser (``crawler.moderngov.parse_page``, chosen from the URL)
once with each builder (``soup.PARSER``: ``html.parser``, ``lxml-stock`` for bs4's own lxml builder,
``lxml`` for ``soup.FastLXMLTreeBuilder``); every result must equal the first builder's (the
dataclasses compare field by field), and the script lists any page where one differs. Then each builder parses the whole set
``--repeat`` times and the best time is reported, in pages per second, per page kind. Pages: the
saved HTML pages of ``--corpus`` (a folder of saved ModernGov pages with a MANIFEST, optional)
and the golden fixtures of tests/crawler/pages, plus pages rendered straight from the sample
council (no HTTP): the committee list and pages, meeting lists, and for ``--meetings`` meetings
their meeting page, full-text item pages and attendance page. The result decides
``crawler.moderngov.soup.PARSER`` (bench/README.md, "Design figures").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from crawler.moderngov import parse_page, soup
from crawler.moderngov.adapter import ADAPTER
from crawler.moderngov.dispatch import classify
from searchsvc.sample import Council, render

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:1/mg/"
BUILDERS = ("html.parser", "lxml-stock", "lxml")


def saved_pages(folders: list[Path]) -> list[tuple[str, bytes]]:
    pages = []
    for folder in folders:
        for path in sorted(folder.rglob("*.htm*")):
            url = ADAPTER.saved_page_url(path.name)
            if url:
                pages.append((url, path.read_bytes()))
    return pages


def sample_pages(meetings: int, seed: int = 1) -> list[tuple[str, bytes]]:
    council = Council(seed=seed, size=1.0)
    pages: list[tuple[str, bytes]] = []

    def add(path: str, **query: object) -> None:
        q = {k.lower(): str(v) for k, v in query.items()}
        page = render(council, path, q, base_url=BASE)
        if page is not None:
            pages.append((BASE + path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                          page.body))

    add("mgCommitteeStructure.aspx")
    for c in council.committees():
        add("mgCommitteeDetails.aspx", ID=c.committee_id)
        add("ieListMeetings.aspx", CId=c.committee_id, Year=0)
    chosen = council.meetings()
    step = max(1, len(chosen) // meetings)
    for m in chosen[::step][:meetings]:
        add("ieListDocuments.aspx", CId=m.committee_id, MId=m.meeting_id)
        add("mgMeetingAttendance.aspx", ID=m.meeting_id)
        for item in council.items(m.meeting_id)[:3]:
            add("mgAi.aspx", ID=item.item_id)
    return pages


def parse_all(pages: list[tuple[str, bytes]], builder: str) -> list[object]:
    soup.PARSER = builder
    out = []
    for url, body in pages:
        try:
            out.append(parse_page(body, url, source="s"))
        except Exception as e:  # noqa: BLE001 - an error is a result to compare too
            out.append(f"{type(e).__name__}: {e}")
    return out


def timed(pages: list[tuple[str, bytes]], builder: str, repeat: int) -> dict[str, float]:
    """Best seconds per page kind over ``repeat`` passes."""
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    soup.PARSER = builder
    for _ in range(repeat):
        spent: dict[str, float] = defaultdict(float)
        for url, body in pages:
            started = time.perf_counter()
            try:
                parse_page(body, url, source="s")
            except Exception:  # noqa: BLE001 - compared above
                pass
            spent[classify(url)] += time.perf_counter() - started
        for kind, seconds in spent.items():
            best[kind] = min(best[kind], seconds)
    return dict(best)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("SEARCHSVC_CORPUS", "")),
                    help="a folder of saved ModernGov pages to add (default $SEARCHSVC_CORPUS, as the tests use)")
    ap.add_argument("--meetings", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    corpus = [args.corpus] if str(args.corpus) not in ("", ".") and args.corpus.is_dir() else []
    folders = [ROOT / "tests" / "crawler" / "pages"] + corpus
    pages = saved_pages(folders) + sample_pages(args.meetings)
    kinds = defaultdict(int)
    for url, _ in pages:
        kinds[classify(url)] += 1
    print(f"pages: {len(pages)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
          f"{sum(len(b) for _, b in pages) / 1e6:.1f} MB")
    results = {b: parse_all(pages, b) for b in BUILDERS}
    differ = [url for (url, _), first, *others in zip(pages, *results.values(), strict=True)
              if any(other != first for other in others)]
    print(f"outputs identical: {len(pages) - len(differ)}/{len(pages)}")
    for url in differ[:20]:
        print("  differs:", url)
    times = {b: timed(pages, b, args.repeat) for b in BUILDERS}
    print(f"{'kind':<16}{'pages':>6}" + "".join(f"{b + ' ms/page':>22}" for b in BUILDERS) + f"{'speed-up':>10}")
    for kind in sorted(kinds):
        ms = [times[b][kind] / kinds[kind] * 1000 for b in BUILDERS]
        print(f"{kind:<16}{kinds[kind]:>6}" + "".join(f"{m:>22.2f}" for m in ms) + f"{ms[0] / ms[-1]:>9.2f}x")
    totals = [sum(times[b].values()) for b in BUILDERS]
    print("all pages: " + ", ".join(f"{b} {len(pages) / t:.0f} pages/s" for b, t in zip(BUILDERS, totals, strict=True))
          + f"; speed-up {totals[0] / totals[-1]:.2f}x (first to last); load average {os.getloadavg()[0]:.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
