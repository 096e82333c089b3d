"""Text from council PDFs (printed minutes, reports), so their words are searchable.

pypdf is pure Python and well kept. A PDF that cannot be read (truncated, encrypted with a
password, not a PDF at all) raises ParseError with the reason: the crawl logs it and goes
on without the text. Output is capped because a 400-page reports pack would otherwise
dominate an item's ranking and the index size.
"""

from __future__ import annotations

import io
import logging
import re

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 300_000
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


def pdf_text(data: bytes, *, url: str = "", max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError("not a PDF (no %PDF header)", url)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError("the PDF is encrypted with a password", url)
        parts, size = [], 0
        for number, page in enumerate(reader.pages):
            if number >= max_pages or size >= max_chars:
                log.info("%s: text cut at page %d", url, number)
                break
            text = _SPACES.sub(" ", page.extract_text() or "").strip()
            parts.append(text)
            size += len(text)
    except ParseError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError,
            NotImplementedError) as e:
        raise ParseError(f"unreadable PDF: {type(e).__name__}: {e}", url) from None
    return "\n\n".join(p for p in parts if p)[:max_chars]
