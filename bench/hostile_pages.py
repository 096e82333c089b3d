"""The crawler's worst case per hostile page (issue 18, item 1): time and peak memory to parse
the costliest pages a council could send within the caps, for SECURITY.md. A script, not a test.

Each page is as large as ``crawl.max_html_bytes`` (default 2 MB) and the parsers' tag cap
(``crawler.moderngov.soup.MAX_TAGS``) allow, and built to be as costly as possible: tens of
thousands of tiny elements, agenda-item rows, or a meeting list that is nothing but meeting links.
Each is parsed in a fresh process (so peak RSS is that page's alone), the way the crawl and the
parse that follows it read it.

    .venv/bin/python bench/hostile_pages.py [--bytes 2000000]

"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEAD = (b'<!doctype html><html><body><div id="modgov"><h2 class="mgSubTitleTxt">Cabinet - Monday, 9th May, '
        b'2024 7.00 pm</h2><div class="mgContent">')
TAIL = b"</div></div></body></html>"


def page(kind: str, size: int) -> bytes:
    room = size - len(HEAD) - len(TAIL)
    if kind == "elements":  # the most elements per byte: an empty <b> is 7 bytes
        unit = b"<b></b>"
    elif kind == "nested-items":  # agenda-item-shaped rows the item parser inspects one by one
        unit = b'<tr><td class="mgItemNumberCell">1.</td><td><p class="mgAiTitleTxt">x</p></td></tr>'
    elif kind == "links":  # a meeting list that is nothing but meeting links
        unit = (b'<li><a class="mgMeetingTableLnk" href="ieListDocuments.aspx?CId=1&amp;MId=%06d&amp;Ver=4">'
                b'17 Oct 2016&nbsp;7.00 pm</a></li>')
    else:
        raise ValueError(kind)
    from crawler.moderngov.soup import MAX_TAGS

    per_unit = unit.count(b"<") - unit.count(b"</")
    count = min(room // len(unit % 0 if b"%06d" in unit else unit), (MAX_TAGS - 10) // per_unit)
    if b"%06d" in unit:  # every link a different meeting
        return HEAD + b'<ul class="mgNonBulletTableList">' + b"".join(unit % i for i in range(count)) + b"</ul>" + TAIL
    return HEAD + unit * count + TAIL


def measure_one(kind: str, size: int) -> dict[str, object]:
    """In this process: parse one page of ``kind`` and report seconds and peak RSS."""
    from crawler.moderngov.meetings import parse_meeting_list, parse_meeting_page
    from searchsvc.errors import ParseError

    body = page(kind, size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = "parsed"
    try:
        if kind == "links":
            found = len(parse_meeting_list(body, "https://council.example/ieListMeetings.aspx?CId=1&Year=0").meetings)
            outcome = f"{found} links read"
        else:
            parse_meeting_page(body, "https://council.example/ieListDocuments.aspx?CId=1&MId=1", source="x")
    except ParseError as error:
        outcome = f"refused: {str(error)[:80]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "bytes": len(body), "seconds": round(seconds, 2), "peak_rss_mb": round(peak / 1024, 1),
            "rss_growth_mb": round((peak - before) / 1024, 1), "outcome": outcome}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=2_000_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.bytes)))
        return 0
    results = []
    for kind in ("elements", "nested-items", "links"):
        done = subprocess.run([sys.executable, __file__, "--one", kind, "--bytes", str(args.bytes)],
                              capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    worst = max(results, key=lambda r: r["seconds"])
    print(f"worst page: {worst['kind']}, {worst['seconds']} s, peak RSS {max(r['peak_rss_mb'] for r in results)} MB "
          f"at {args.bytes:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
