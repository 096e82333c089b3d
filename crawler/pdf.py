"""Text from council PDFs (printed minutes, reports), so their words are searchable.

pypdf is pure Python and well kept. A PDF that cannot be read (truncated, encrypted with a
password or with AES when the optional ``cryptography`` package is absent, not a PDF at all)
raises ParseError with the reason, and nothing else: the crawl logs it and goes on without the
text. Output is capped because a 400-page reports pack would otherwise dominate an item's
ranking and the index size, and so is the work: a hostile file (millions of drawing operations
compressed into a few kilobytes) must not hold up a nightly run.
"""

from __future__ import annotations

import io
import logging
import re
import time

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 300_000
MAX_PAGE_CONTENT = 1_000_000  # bytes of one page's decoded content stream (minutes pages: ~5-100 KB)
MAX_SECONDS = 20.0  # per document
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


def pdf_text(data: bytes, *, url: str = "", max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS,
             max_page_content: int = MAX_PAGE_CONTENT, max_seconds: float = MAX_SECONDS) -> str:
    """The text of a PDF, or ParseError with the reason (never another exception).

    Work is bounded: at most ``max_pages`` pages and ``max_chars`` characters; a page whose
    content stream decodes to more than ``max_page_content`` bytes (hundreds of thousands of
    drawing operations: a hostile or broken file, never minutes) is skipped; and extraction
    stops, keeping what it has, once ``max_seconds`` have passed.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError("not a PDF (no %PDF header)", url)
    deadline = time.monotonic() + max_seconds
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError("the PDF is encrypted with a password", url)
        parts, size = [], 0
        for number, page in enumerate(reader.pages):
            if number >= max_pages or size >= max_chars:
                log.info("%s: text cut at page %d", url, number)
                break
            if number and time.monotonic() > deadline:  # the first page is always read: some text beats none
                log.warning("%s: text cut at page %d: extraction took more than %gs", url, number, max_seconds)
                break
            contents = page.get_contents()
            if contents is not None and len(contents.get_data()) > max_page_content:
                log.warning("%s: page %d skipped: its content stream is over %d bytes", url, number + 1,
                            max_page_content)
                continue
            text = _SPACES.sub(" ", page.extract_text() or "").strip()
            parts.append(text)
            size += len(text)
    except ParseError:
        raise
    except DependencyError as e:  # AES encryption without the optional 'cryptography' package
        raise ParseError(f"the PDF is encrypted in a way this installation cannot read ({e})", url) from None
    except RecursionError:
        raise ParseError("unreadable PDF: its structure is nested too deeply", url) from None
    except Exception as e:  # noqa: BLE001 - a hostile file can make any parser step fail; skip it with the reason
        raise ParseError(f"unreadable PDF: {type(e).__name__}: {e}", url) from None
    return "\n\n".join(p for p in parts if p)[:max_chars]
