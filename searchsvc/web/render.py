"""Render one :class:`~searchsvc.web.results.SearchView` (or a record) as JSON, Atom or CSV.

HTML is rendered by the templates from the same objects. What lives here is the
output that must be exactly right for programs: the JSON shape the API promises
(pinned by a test), Atom that a feed reader accepts (stable entry ids, so a
saved search is an alert), and CSV a spreadsheet can open without running a
formula somebody typed into the minutes.

Snippet HTML from the index is *supposed* to be escaped text with only
``<mark>`` added. :func:`snippet_markup` does not rely on that: it keeps the
two mark tags and re-escapes everything between them, so even a broken
contract cannot put markup from the minutes onto the page.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timezone
from html import unescape
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from markupsafe import Markup, escape

from searchsvc.export import csv_cell  # one rule for every CSV we write (formula injection)
from searchsvc.facets import FACETS

_MARK = re.compile(r"(</?mark>)")
_WORDS = re.compile(r"\w+")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ATOM = "http://www.w3.org/2005/Atom"

CSV_COLUMNS = ("id", "source", "committee", "date", "item_number", "title", "url", "source_url", "topics",
               "speakers", "procedural", "snippets")


def snippet_markup(html: str) -> Markup:
    """Snippet HTML reduced to escaped text plus balanced ``<mark>`` tags."""
    out: list[str] = []
    open_marks = 0
    for part in _MARK.split(html or ""):
        if part == "<mark>":
            if open_marks == 0:
                out.append(part)
                open_marks = 1
        elif part == "</mark>":
            if open_marks:
                out.append(part)
                open_marks = 0
        else:
            out.append(str(escape(unescape(part))))
    if open_marks:
        out.append("</mark>")
    return Markup("".join(out))


def distinct_snippets(snippets: Iterable[Any]) -> list[Any]:
    """Snippets without repeats: minutes often restate the decision ("RESOLVED: That …") word for word,
    and a card showing the same resolution twice wastes the reader's first glance. Snippets are
    windows cut from passages, so one repeat may be a part of another: compared as runs of words,
    a snippet inside one already kept is dropped."""
    kept: list[str] = []
    out = []
    for s in snippets:
        words = _WORDS.findall(s.text.casefold())
        if words[:1] == ["resolved"]:
            words = words[1:]
        key = " " + " ".join(words) + " "
        if len(words) >= 4 and any(key in k for k in kept):
            continue
        kept.append(key)
        out.append(s)
    return out


def keep_case(suggestion: str | None, typed: str) -> str:
    """The corrected query written as the person wrote theirs: the index suggests lowercase words, but
    "Did you mean kowalska?" for "Kowalski" loses the capital of a name. Word for word, a corrected
    word takes the capitals of the word it replaces (Title, UPPER); unchanged words are the typed ones."""
    if not suggestion:
        return suggestion or ""
    said, fixed = typed.split(), suggestion.split()
    if len(said) != len(fixed):
        return suggestion
    out = []
    for old, new in zip(said, fixed):
        if old.casefold() == new.casefold():
            out.append(old)
        elif old.isupper() and len(old) > 1:
            out.append(new.upper())
        elif old[:1].isupper():
            out.append(new[:1].upper() + new[1:])
        else:
            out.append(new)
    return " ".join(out)


def iso(value: Any) -> str | None:
    """A date (or datetime, or ISO string) as ``YYYY-MM-DD``; None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def hit_json(hit: Any, item_url: Callable[[str], str]) -> dict[str, Any]:
    """One result in the API's shape (keys and order are part of the API)."""
    return {
        "id": hit.id,
        "source": hit.source,
        "committee": hit.committee,
        "date": iso(hit.date),
        "item_number": hit.number,
        "title": hit.title,
        "url": item_url(hit.id),
        "source_url": hit.url or None,
        "topics": list(hit.topics),
        "speakers": list(hit.speakers),
        "procedural": bool(hit.procedural),
        "snippets": [{"html": str(snippet_markup(s.html)), "speakers": list(s.speakers), "anchor": s.anchor}
                     for s in hit.snippets],
    }


def search_json(view: Any, item_url: Callable[[str], str]) -> dict[str, Any]:
    """The ``/api/search`` body: ``{"ok", "query", "total", "page", "per_page", "results", "facets", "suggestion"}``."""
    facets: dict[str, list[dict[str, Any]]] = {}
    for facet in view.facets:
        facets[facet.name] = [{"value": v.value, "count": v.count, "selected": v.selected, "approximate": v.approximate}
                              for v in facet.values + facet.more]
    for definition in FACETS:
        if not definition.only_if_several:
            facets.setdefault(definition.name, [])
    return {
        "ok": True,
        "query": view.params.as_dict(),
        "total": view.result.total,
        "page": view.params.page,
        "per_page": view.params.per_page,
        "results": [hit_json(h, item_url) for h in view.result.hits],
        "facets": facets,
        "suggestion": keep_case(view.result.suggestion, view.params.q) or None,
    }


def web_url(value: Any) -> str:
    """``value`` if it is an http(s) address, else "" — for links to the council's own pages and
    documents, which come from crawled markup: a ``javascript:`` or ``data:`` URL there must
    never become a link here (the CSP would block it too; this does not rely on that)."""
    url = str(value or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return ""
    return url if scheme in ("http", "https") else ""


def error_json(message: str, status: int) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


# --- Atom -----------------------------------------------------------------------------


def atom_feed(hits: Iterable[Any], *, title: str, feed_url: str, html_url: str,
              item_url: Callable[[str], str], subtitle: str = "") -> bytes:
    """An Atom 1.0 feed, one entry per item; entry ids are the item pages' URLs (stable)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    _sub(feed, "id", feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=html_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _sub(author, "name", "searchsvc")
    _sub(feed, "generator", "searchsvc")
    updated = _sub(feed, "updated", "")
    newest = ""
    for hit in hits:
        stamp = _stamp(hit.date)
        newest = max(newest, stamp)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = item_url(hit.id)
        heading = f"{hit.title} — {hit.committee}" + (f", {hit.date:%-d %B %Y}" if _is_date(hit.date) else "")
        _sub(entry, "title", heading)
        _sub(entry, "id", url)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        if web_url(hit.url):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="via", type="text/html", href=web_url(hit.url))
        _sub(entry, "updated", stamp)
        if hit.committee:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=_clean(hit.committee))
        for topic in hit.topics:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=_clean(topic))
        summary = " … ".join(s.text for s in hit.snippets) or hit.title
        _sub(entry, "summary", summary)
    updated.text = newest or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    """Characters XML 1.0 forbids (control characters from PDFs) would make the feed unreadable."""
    return _XML_BAD.sub("", str(text or ""))


def _is_date(value: Any) -> bool:
    return isinstance(value, (date, datetime))


def _stamp(value: Any) -> str:
    day = iso(value)
    return f"{day}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


# --- CSV ----------------------------------------------------------------------------


def csv_row(hit: Any, item_url: Callable[[str], str]) -> list[str]:
    data = hit_json(hit, item_url)
    data["snippets"] = [" … ".join(s.text for s in hit.snippets)]
    return [csv_cell(data[c]) for c in CSV_COLUMNS]


def csv_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


# --- CSV for Excel -------------------------------------------------------------------------

UTF8_BOM = "\ufeff".encode("utf-8")


def excel_csv_download(path: Any, chunk: int = 1 << 16) -> Any:
    """A CSV file as a download Excel opens correctly: the same bytes after a UTF-8 byte-order mark.

    Without the mark Excel reads UTF-8 as the local code page ("Councillor JosÃ©");
    other programs ignore it, which is why it is offered beside the plain file, not instead.
    """
    from pathlib import Path

    from flask import Response

    path = Path(path)

    def body() -> Any:
        yield UTF8_BOM
        with path.open("rb") as f:
            while block := f.read(chunk):
                yield block

    name = path.stem + "-excel.csv"
    return Response(body(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Length": str(path.stat().st_size + len(UTF8_BOM))})
