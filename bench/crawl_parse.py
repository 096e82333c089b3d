"""A first crawl + parse of the sample council, as it was and as it is: the parse changes of issue 17.

    PYTHONPATH=. .venv/bin/python bench/crawl_parse.py [--size 1.0]

Crawls the sample council (served in this process's own thread, rate limit lifted) into a fresh
catalog four times: *before* (html.parser, each meeting page parsed twice: no hand-off from the
walk), *lxml only* (bs4's own lxml builder), *parsed once* (the walk's parse handed to the parse
stage), and *after* (also the lean builder ``soup.FastLXMLTreeBuilder``; the hot parsers' plain
tree walks are in every variant). Prints the
wall time of each whole ``crawl_source`` (fetch + store + parse + enrich + upsert), pages per
second, and checks the three catalogs hold the same items (by content hash).
"""

from __future__ import annotations

import argparse
import os
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

VARIANTS = (("before (html.parser, parsed twice)", "html.parser", 0),
            ("lxml only", "lxml-stock", 0),
            ("lxml, parsed once", "lxml-stock", walk_module.KEEP_PARSED),
            ("after (lean lxml, parsed once)", "lxml", walk_module.KEEP_PARSED))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=1.0)
    args = ap.parse_args()
    hashes = {}
    with SampleSite(seed=1, size=args.size) as site:
        for label, parser, keep in VARIANTS:
            soup.PARSER, walk_module.KEEP_PARSED = parser, keep
            with tempfile.TemporaryDirectory() as tmp, Catalog.in_dir(Path(tmp)) as catalog:
                load = os.getloadavg()[0]
                started = time.perf_counter()
                report = crawl(site, catalog, Path(tmp))
                seconds = time.perf_counter() - started
                pages = report.crawl["pages_fetched"]
                hashes[label] = catalog.query("SELECT id, hash FROM items ORDER BY id")
                print(f"{label:<36} {seconds:6.1f} s  {pages} pages  {pages / seconds:5.1f} pages/s  "
                      f"items {report.items.new}  load {load:.1f}")
    first = next(iter(hashes.values()))
    print("same items in every catalog:", all([tuple(r) for r in h] == [tuple(r) for r in first]
                                             for h in hashes.values()))


if __name__ == "__main__":
    main()
