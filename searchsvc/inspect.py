"""`searchsvc parse PATH_OR_URL`: what the parsers and enrichment make of one page.

The tool for fixing a new council: point it at a saved page (with ``--url`` giving the
page's original address, or a file name containing the page name) or at a live URL, and
it prints the records found — for a meeting page, each item with its passages and their
speakers, as the index would see them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from crawler.fetch import Fetcher
from crawler.moderngov import classify, parse_page
from crawler.moderngov.pages import MeetingPage
from crawler.moderngov.standalone import items_of
from searchsvc.config import Config
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.errors import FetchError, ParseError
from searchsvc.jobs import _people, fetch_settings
from searchsvc.records import Item, Source, to_dict

_PAGE_NAMES = ("ieListDocuments", "ieListMeetings", "mgCommitteeDetails", "mgCommitteeStructure",
               "mgListCommittees", "mgAi", "mgMeetingAttendance", "ieIssueDetails", "ieDecisionDetails",
               "mgDecisionDetails")


def inspect_page(path_or_url: str, *, page_url: str | None, config: Config) -> dict[str, Any]:
    body, url = _load(path_or_url, page_url, config)
    kind = classify(url)
    page = parse_page(body, url, source="inspect")
    out: dict[str, Any] = {"kind": kind, "url": url}
    if isinstance(page, MeetingPage):
        taxonomy = load_taxonomy(config.topics_file)
        meeting = page.meeting
        people, chair = _people(meeting, None)
        out["meeting"] = {k: v for k, v in to_dict(meeting).items() if k != "attendance"}
        out["attendance"] = [to_dict(m) for m in meeting.attendance]
        out["items"] = [_item(enrich_item(item, people, taxonomy, chair=chair), meeting.committee_name,
                              meeting.date) for item in page.items]
    elif items_of(page):  # mgAi, ieIssueDetails, decision pages: items without their meeting's people
        taxonomy = load_taxonomy(config.topics_file)
        out.update({k: v for k, v in to_dict(page).items()
                    if k not in ("meetings", "minutes_paragraphs", "decision_paragraphs", "agenda_text")})
        out["items"] = [_item(enrich_item(item, [], taxonomy), committee, day)
                        for item, committee, day in items_of(page, source="inspect")]
    else:
        out.update(to_dict(page))
    return out


def _item(item: Item, committee: str, day: date | None) -> dict[str, Any]:
    speakers = sorted({s for p in item.passages for s in p.speakers})
    return {
        "id": item.id, "committee": committee, "date": day.isoformat() if day else None,
        "number": item.number, "title": item.title, "url": item.url, "full_text_url": item.full_text_url,
        "topics": list(item.topics), "procedural": item.procedural, "speakers": speakers,
        "passages": [{"anchor": p.anchor, "text": p.text, "speakers": list(p.speakers),
                      "raw_speakers": list(p.raw_speakers), "section": p.section} for p in item.passages],
        "declarations": [to_dict(d) for d in item.declarations],
        "documents": [to_dict(d) for d in item.documents],
    }


def _load(path_or_url: str, page_url: str | None, config: Config) -> tuple[bytes, str]:
    if path_or_url.startswith(("http://", "https://")):
        url = page_url or path_or_url
        source = Source(name="inspect", title="", kind="moderngov", base_url=url)
        settings = fetch_settings(config, [source])
        response = Fetcher(settings).get(path_or_url)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status} for {path_or_url}", url=path_or_url, status=response.status)
        return response.body, response.url
    path = Path(path_or_url)
    if not path.is_file():
        raise ParseError(f"no such file: {path}")
    if page_url is None:
        name = next((n for n in _PAGE_NAMES if n.lower() in path.name.lower()), None)
        if name is None:
            raise ParseError(f"cannot tell what kind of page {path.name} is: give its original address with --url")
        page_url = f"https://example.invalid/{name}.aspx?" + _ids_from_name(path.name)
    return path.read_bytes(), page_url


def _ids_from_name(name: str) -> str:
    """``ieListDocuments_CId711_MId10221.html`` → ``CId=711&MId=10221`` (saved-file naming habit)."""
    pairs = re.findall(r"(CId|MId|IId|ID|CommitteeId|UID)(\d+)", name)
    return "&".join(f"{k}={v}" for k, v in pairs)

