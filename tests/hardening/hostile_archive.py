"""A council archive whose every field is an attack: markup in titles, minutes, speaker and
committee names, the council's own name, venues, topics, declarations and run errors;
``javascript:`` and ``data:`` URLs where links go; spreadsheet formulas at the start of cells.

Written as real records into a real catalog and Whoosh index (like tests/web/sampledata.py),
so every page, feed and export renders it exactly as it would render a crawled page. Shared
by tests/hardening/test_security.py (markup checks of every response) and
tests/browser/test_browser_xss.py (does anything run in Chromium?).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from searchsvc.catalog import Catalog
from searchsvc.config import Config, parse_config
from searchsvc.index import IndexStore, item_doc
from searchsvc.records import Committee, Declaration, Document, Item, Meeting, Member, Passage, Source

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
BREAKOUT = "\"'><svg onload=window.__xss=1>"
PAYLOADS = (IMG, SCRIPT, BREAKOUT)
JS_URL = "javascript:window.__xss=1"
BAD_URLS = (JS_URL, "JavaScript:window.__xss=1//", "data:text/html,<script>window.__xss=1</script>",
            "vbscript:msgbox(1)")
FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")

BASE = "https://moderngov.evil.example/"
SOURCE = Source(name="evil", title=f"Borough of {IMG}", kind="moderngov", base_url=BASE)
SPEAKER = f"Councillor Eve {IMG}"
OTHER = f"Councillor Mal {SCRIPT}"
COMMITTEE = f"Scrutiny {SCRIPT} Committee"
WORD = "budget"  # every item matches it, so every item is on the results page

ITEM_IDS = ("901", "902", "903", "904")
MEETING_ID = "90"
COMMITTEE_ID = "9"


def _items() -> list[Item]:
    items = []
    for n, (item_id, formula, bad_url) in enumerate(zip(ITEM_IDS, FORMULAS, BAD_URLS), 1):
        texts = (f"Councillor Eve {IMG} asked about the {WORD} {SCRIPT}.",
                 f"{formula} was quoted in the {WORD} report {BREAKOUT}.")
        items.append(Item(
            source="evil", meeting_id=MEETING_ID, item_id=item_id, position=n, number=f"{n}.",
            title=f"{formula} {WORD} {IMG} {SCRIPT}" if n > 1 else f"{formula}",
            agenda_text=f"{SCRIPT} agenda {WORD}", minutes_paragraphs=texts,
            decision_paragraphs=(f"RESOLVED {BREAKOUT}",),
            documents=(Document(bad_url, f"Report {IMG}", "report"),
                       Document(f"{BASE}documents/s{item_id}/{IMG}.pdf", f"Annex {SCRIPT}", "report")),
            url=bad_url, full_text_url=bad_url,
            passages=(Passage("p1", texts[0], (SPEAKER,), ("Councillor Eve",)),
                      Passage("p2", texts[1], (OTHER,), ("Councillor Mal",)),
                      Passage("p3", f"RESOLVED {BREAKOUT}", (), (), "decision")),
            topics=(f"topic {IMG}", WORD),
            declarations=(Declaration(SPEAKER, f"item {SCRIPT}", "pecuniary", f"owns {IMG}"),)))
    return items


def meeting() -> Meeting:
    return Meeting(source="evil", committee_id=COMMITTEE_ID, committee_name=COMMITTEE, meeting_id=MEETING_ID,
                   start=datetime(2024, 5, 9, 19, 0), venue=f"Hall {BREAKOUT}", url=JS_URL,
                   attendance=(Member(SPEAKER, role=f"Chair {SCRIPT}", attendance="Present"),
                               Member(OTHER, attendance=f"Apologies {IMG}")),
                   documents=(Document(BAD_URLS[2], f"Minutes {IMG}", "printed minutes"),))


def build(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    items = _items()
    with Catalog.in_dir(data_dir) as catalog:
        batch = catalog.start_batch("test", "evil")
        catalog.upsert_source(SOURCE, batch)
        catalog.upsert_committee(Committee("evil", COMMITTEE_ID, COMMITTEE, category=f"Cat {IMG}", url=JS_URL,
                                           purpose=f"To {SCRIPT} scrutinise",
                                           members=(Member(SPEAKER, "Chair"), Member(OTHER, BREAKOUT))), batch)
        catalog.upsert_meeting(meeting(), batch)
        catalog.replace_items(meeting(), items, batch)
        run = catalog.start_run("crawl", batch)
        catalog.finish_run(run, "failed", {"sources": {}},
                           [{"source": "evil", "url": f"{BASE}ieListDocuments.aspx?MId=1&x={SCRIPT}",
                             "error": f"HTTP 500 {IMG}"}])
        catalog.finish_batch(batch)
    docs = [item_doc(item, meeting(), batch, SOURCE.title) for item in items]
    IndexStore(data_dir).build_full(docs, expected_count=len(docs))
    return data_dir


def config(data_dir: Path, **web: object) -> Config:
    return parse_config({"storage": {"data_dir": str(data_dir)}, "web": dict(web),
                         "sources": [{"name": SOURCE.name, "title": SOURCE.title, "base_url": SOURCE.base_url}]})


# Every HTML page that shows archive data (and the query typed).
PAGES = [
    "/", f"/search?q={WORD}", f"/search?q={WORD}&procedural=show&sort=newest",
    "/search?q=%3Cimg+src%3Dx+onerror%3Dwindow.__xss%3D1%3E", "/search?q=%22%3Cscript%3E",
    f"/items/evil:item:{ITEM_IDS[0]}", f"/items/evil:item:{ITEM_IDS[1]}", f"/meetings/evil:meeting:{MEETING_ID}",
    f"/committees/evil:committee:{COMMITTEE_ID}", f"/trends?q={WORD}", f"/trends?q={WORD}&year=2024", "/status",
    "/export",
]


def speaker_pages() -> list[str]:
    from urllib.parse import quote

    return [f"/speakers/{quote(SPEAKER)}", f"/speakers/{quote(OTHER)}", f"/search?speaker={quote(SPEAKER)}"]
