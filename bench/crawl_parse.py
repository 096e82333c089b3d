"""A first crawl + parse of the sample council, as it was and as it is: the parse changes of issue 17.

    PYTHONPATH=. .venv/bin/python bench/crawl_parse.py [--size 1.0] [--variants 3,4] [--rounds 3]

Crawls the sample council (served in this process's own thread, rate limit lifted) into a fresh
catalog four times: *before* (html.parser, each meeting page parsed twice: no hand-off from the
walk), *lxml only* (bs4's own lxml builder), *parsed once* (the walk's parse handed to the parse
stage), *after* (also the lean builder ``soup.FastLXMLTreeBuilder``; the hot parsers' plain
tree walks are in every variant), and *after, parse pool* (meetings read in worker processes,
``crawl.parse_workers`` = one per core; the others read them in the crawl's process). Prints the
wall time of each whole ``crawl_source`` (fetch + store + parse + enrich + upsert), pages per
second, and checks the catalogs hold the same items (by content hash). ``--rounds`` repeats the chosen
variants, alternating their order, and prints each one's median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import crawler.walk as walk_module
from crawler.moderngov import soup
from searchsvc.catalog import Catalog
from searchsvc.sample import SampleSite
from tests.jobs.sample_helpers import crawl

# label, bs4 builder, parses kept by the walk, parse workers (1: the crawl's own process)
VARIANTS = (("before (html.parser, parsed twice)", "html.parser", 0, 1),
            ("lxml only", "lxml-stock", 0, 1),
            ("lxml, parsed once", "lxml-stock", walk_module.KEEP_PARSED, 1),
            ("after (lean lxml, parsed once)", "lxml", walk_module.KEEP_PARSED, 1),
            ("after, parse pool", "lxml", walk_module.KEEP_PARSED, 0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=1.0)
    ap.add_argument("--variants", default=",".join(str(n) for n in range(1, len(VARIANTS) + 1)),
                    help="which variants, by number (1-%d), comma-separated" % len(VARIANTS))
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    chosen = [VARIANTS[int(n) - 1] for n in args.variants.split(",")]
    hashes, times = {}, {}
    with SampleSite(seed=1, size=args.size) as site:
        for round_ in range(args.rounds):
            for label, parser, keep, workers in chosen if round_ % 2 == 0 else chosen[::-1]:
                soup.PARSER, walk_module.KEEP_PARSED = parser, keep
                with tempfile.TemporaryDirectory() as tmp, Catalog.in_dir(Path(tmp)) as catalog:
                    load = os.getloadavg()[0]
                    started = time.perf_counter()
                    report = crawl(site, catalog, Path(tmp), parse_workers=workers)
                    seconds = time.perf_counter() - started
                    pages = report.crawl["pages_fetched"]
                    hashes[label] = catalog.query("SELECT id, hash FROM items ORDER BY id")
                    times.setdefault(label, []).append(seconds)
                    print(f"{label:<36} {seconds:6.1f} s  {pages} pages  {pages / seconds:5.1f} pages/s  "
                          f"items {report.items.new}  load {load:.1f}", flush=True)
    if args.rounds > 1:
        for label, runs in times.items():
            print(f"{label:<36} median {statistics.median(runs):6.1f} s of {len(runs)}")
    first = next(iter(hashes.values()))
    print("same items in every catalog:", all([tuple(r) for r in h] == [tuple(r) for r in first]
                                             for h in hashes.values()))


if __name__ == "__main__":
    main()
