"""`searchsvc parse PATH_OR_URL`: what the parsers and enrichment make of one page.

The tool for fixing a new council: point it at a saved page (with ``--url`` giving the
page's original address, or a file name containing the page name) or at a live URL, and
it prints the records found — for a meeting page, each item with its passages and their
speakers, as the index would see them. Which committee system's parser reads the page is
decided by the adapters (:mod:`crawler.registry`): the first that recognises the URL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from crawler.adapters import MeetingRecords, PageItems
from crawler.fetch import Fetcher
from crawler.registry import adapter_for_url, adapters
from searchsvc.config import Config
from searchsvc.enrich import enrich_item
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.errors import FetchError, ParseError
from searchsvc.jobs import fetch_settings, people_at
from searchsvc.records import Item, Source, to_dict


def inspect_page(path_or_url: str, *, page_url: str | None, config: Config) -> dict[str, Any]:
    body, url = _load(path_or_url, page_url, config)
    if body.lstrip()[:5].startswith(b"%PDF"):
        return _printed(body, url, config)
    adapter = adapter_for_url(url)
    if adapter is None:
        raise ParseError("no committee system knows this kind of page (known: "
                         f"{', '.join(a.title for a in adapters())})", url)
    kind = adapter.classify(url)
    page = adapter.parse_page(body, url, source="inspect")
    out: dict[str, Any] = {"kind": kind, "url": url}
    if isinstance(page, MeetingRecords):
        meeting = page.meeting
        people, chair = people_at(meeting, None)
        taxonomy = load_taxonomy(config.topics_file)
        out["meeting"] = {k: v for k, v in to_dict(meeting).items() if k != "attendance"}
        out["attendance"] = [to_dict(m) for m in meeting.attendance]
        out["items"] = [_item(enrich_item(item, people, taxonomy, chair=chair), meeting.committee_name,
                              meeting.date) for item in page.items]
    elif isinstance(page, PageItems):  # an item, issue or decision page: no meeting's people
        taxonomy = load_taxonomy(config.topics_file)
        out.update({k: v for k, v in to_dict(page.page).items()
                    if k not in ("meetings", "minutes_paragraphs", "decision_paragraphs", "agenda_text")})
        out["items"] = [_item(enrich_item(item, [], taxonomy), committee, day)
                        for item, committee, day in page.items]
    else:
        out.update(to_dict(page))
    return out


def _printed(body: bytes, url: str, config: Config) -> dict[str, Any]:
    """A printed-minutes PDF: header, attendance, items with passages, their pages and links."""
    from crawler.printed import read_printed_minutes
    from crawler.printed.minutes import items_from_minutes
    from searchsvc.records import Meeting

    printed = read_printed_minutes(body, url, ocr=True)
    head = printed.header
    meeting = Meeting(source="inspect", committee_id="", committee_name=head.committee, meeting_id="pdf",
                      start=head.start, url=url, attendance=head.attendance)
    people, chair = people_at(meeting, None)
    taxonomy = load_taxonomy(config.topics_file)
    items = [enrich_item(i, people, taxonomy, chair=chair) for i in items_from_minutes(printed, meeting, (), url)]
    out: dict[str, Any] = {"kind": "printed_minutes", "url": url, "pages": printed.pages,
                           "scanned_pages": list(printed.scanned_pages), "ocr_confidence": printed.ocr_confidence,
                           "meeting": {"committee_name": head.committee,
                                       "start": head.start.isoformat() if head.start else None},
                           "attendance": [to_dict(m) for m in head.attendance]}
    out["items"] = []
    for item in items:
        row = _item(item, head.committee, meeting.date)
        for p, passage in zip(row["passages"], item.passages):
            p["page"] = passage.page
            p["pdf_link"] = f"{url}#page={passage.page}" if passage.page else ""
        out["items"].append(row)
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
        source = Source(name="inspect", title="", kind="", base_url=url)
        settings = fetch_settings(config, [source])
        response = Fetcher(settings).get(path_or_url)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status} for {path_or_url}", url=path_or_url, status=response.status)
        return response.body, response.url
    path = Path(path_or_url)
    if not path.is_file():
        raise ParseError(f"no such file: {path}")
    if page_url is None and path.read_bytes()[:1024].lstrip().startswith(b"%PDF"):
        page_url = path.resolve().as_uri()
    if page_url is None:
        page_url = next((u for u in (a.saved_page_url(path.name) for a in adapters()) if u), None)
        if page_url is None:
            raise ParseError(f"cannot tell what kind of page {path.name} is: give its original address with --url")
    return path.read_bytes(), page_url
