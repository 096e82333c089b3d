"""Document records from ModernGov links: which PDF is the frontsheet, minutes, decisions or a report.

The kind is in the URL, not the link text (councils rename the text): meeting-level
files live under ``documents/g<AgendaId>/…?T=<n>`` with ``T=0`` frontsheet, ``1``
printed minutes, ``2`` printed decisions, ``10`` reports pack; item-level reports
under ``documents/s<DocId>/…``; packs behind ``mgChooseDocPack.aspx``; the web service
names files ``mgConvert2PDF.aspx?ID=<attachment>``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bs4.element import Tag

from crawler.moderngov.text import link_text
from crawler.urls import absolute, query_param
from searchsvc.records import (
    DOC_DECISIONS,
    DOC_FRONTSHEET,
    DOC_MINUTES,
    DOC_OTHER,
    DOC_PACK,
    DOC_REPORT,
    Document,
)

log = logging.getLogger(__name__)

__all__ = ["dedupe", "document_from_link", "document_kind", "is_document_url"]

_BY_T = {"0": DOC_FRONTSHEET, "1": DOC_MINUTES, "2": DOC_DECISIONS, "10": DOC_PACK}
_MEETING_FILE = re.compile(r"/documents/g\d+/", re.I)
_ITEM_FILE = re.compile(r"/documents/s\d+/", re.I)


def document_kind(url: str) -> str:
    """The ``records.DOC_*`` kind of a document URL (absolute or relative)."""
    path = urlsplit(url).path
    lower = path.lower()
    if _MEETING_FILE.search(path):
        return _BY_T.get(query_param(url, "T"), DOC_OTHER)
    if lower.endswith("/mgchoosedocpack.aspx") or lower == "mgchoosedocpack.aspx":
        return DOC_PACK
    if _ITEM_FILE.search(path) or lower.endswith("mgconvert2pdf.aspx"):
        return DOC_REPORT
    return DOC_OTHER


def is_document_url(url: str) -> bool:
    """True for links to files (PDFs, packs) rather than to other ModernGov pages."""
    lower = urlsplit(url).path.lower()
    return (
        "/documents/" in lower
        or lower.endswith(("mgchoosedocpack.aspx", "mgconvert2pdf.aspx"))
        or lower.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt"))
    )


def document_from_link(a: Tag, base_url: str, kind: str | None = None) -> Document | None:
    """A Document for ``<a href>`` (title without file size), or None when the link has no href."""
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:")):
        return None
    url = absolute(base_url, href)
    if urlsplit(url).scheme not in ("http", "https"):  # "JavaScript:", "java\tscript:", "data:" …
        return None
    return Document(url=url, title=link_text(a), kind=kind or document_kind(url))


def dedupe(documents: Iterable[Document]) -> tuple[Document, ...]:
    """Documents in first-seen order, one per URL."""
    seen: set[str] = set()
    out = []
    for doc in documents:
        if doc.url not in seen:
            seen.add(doc.url)
            out.append(doc)
    return tuple(out)
