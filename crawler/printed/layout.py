"""Text of a PDF in reading order, as paragraphs that know their page.

Why pdfminer.six: its layout analysis gives every text line with its position and font, which
is what reading order needs (columns are found here from the line positions, not from the
order the producer happened to write them) and what running headers and footers are
recognised by (the same words in the same band on many pages). pypdf's layout mode renders a
page as a grid of characters: two columns come out side by side on one line, so their
sentences interleave. ``bench/printed_extraction.py`` measures both on laid-out minutes.

Steps, each a pure function: lines of each page (text layer, or OCR by :mod:`.ocr`) → drop
running headers, footers and page numbers → reading order (full-width lines, then each
column's lines top to bottom between them) → paragraphs (a vertical gap, a font change or a
numbered heading starts one; hard-wrapped lines are joined and "regen-/eration" mended).
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

__all__ = ["Paragraph", "TextLine", "read_paragraphs", "page_lines", "paragraphs_of"]

MAX_PAGES = 200
MAX_SECONDS = 60.0  # per document, text layer: a hostile file must not hold up a nightly run
BAND = 0.065  # top and bottom share of a page where running headers and footers live (~55 pt of A4)

_PAGE_NUMBER = re.compile(r"(?:page\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?", re.I)
# A line opening a numbered minute ("23. BUDGET", "Minute 23 Budget", "04/08:01 APOLOGIES").
_HEADING_START = re.compile(r"(?:[Mm]inute\s+)?\d{1,4}(?:\.\d{1,2})?\.?\s+[A-Z(]|\d{2}/\d{2}(?::\d{2})?\s")


@dataclass(frozen=True)
class TextLine:
    """A line of text on a page; coordinates in points from the page's top left."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    bold: bool = False
    confidence: float | None = None  # OCR word confidence (0-100), None for a text layer


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in reading order with the page it starts on (1-based)."""

    text: str
    page: int
    bold: bool = False
    confidence: float | None = None


@dataclass(frozen=True)
class PageLines:
    number: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    scanned: bool = False  # no text layer (an image); lines from OCR if any


def page_lines(data: bytes, url: str = "", *, ocr: bool = False, max_pages: int = MAX_PAGES,
               max_seconds: float = MAX_SECONDS) -> list[PageLines]:
    """Every page's text lines (pdfminer.six layout analysis); pages without a text layer are
    read by OCR when ``ocr`` is on, else left empty and marked scanned. ParseError when the
    file cannot be read at all (not a PDF, a password, broken). Work is bounded: at most
    ``max_pages`` pages, and reading stops (keeping what it has) after ``max_seconds``."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextContainer, LTTextLine

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError("not a PDF (no %PDF header)", url)
    out: list[PageLines] = []
    deadline = time.monotonic() + max_seconds
    try:
        for number, layout in enumerate(extract_pages(io.BytesIO(data), password="", maxpages=max_pages,
                                                      laparams=LAParams(line_margin=0.3, char_margin=2.0)), 1):
            h = layout.height
            lines, has_image = [], False
            stack = list(layout)
            while stack:
                obj = stack.pop()
                if isinstance(obj, LTTextLine):
                    text = " ".join(obj.get_text().split())
                    if text:
                        chars = [c for c in obj if isinstance(c, LTChar)]
                        bold = bool(chars) and sum("bold" in c.fontname.lower() for c in chars) * 2 > len(chars)
                        lines.append(TextLine(number, obj.x0, h - obj.y1, obj.x1, h - obj.y0, text, bold))
                elif isinstance(obj, LTTextContainer) or isinstance(obj, LTFigure):
                    stack.extend(obj)
                    has_image = has_image or isinstance(obj, LTFigure)
                elif isinstance(obj, LTImage):
                    has_image = True
            scanned = not lines and has_image
            out.append(PageLines(number, layout.width, h, tuple(lines), scanned))
            if time.monotonic() > deadline:
                log.warning("%s: text cut at page %d: reading took more than %gs", url, number, max_seconds)
                break
    except ParseError:
        raise
    except Exception as e:  # noqa: BLE001 - any parser step can fail on a hostile file: say why, as ParseError
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            raise ParseError("the PDF is encrypted with a password", url) from None
        raise ParseError(f"unreadable PDF: {name}: {e}", url) from None
    if ocr and any(p.scanned for p in out):
        from crawler.printed.ocr import ocr_pages

        read = ocr_pages(data, [p.number for p in out if p.scanned], url=url)
        out = [PageLines(p.number, p.width, p.height, read.get(p.number, p.lines), p.scanned) for p in out]
    return out


def _band_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def drop_running(pages: list[PageLines]) -> list[PageLines]:
    """Pages without running headers and footers: lines in the top or bottom band that repeat
    (digits aside) on at least two pages, page numbers ("3", "- 3 -", "Page 3 of 12"), what
    shares a line with a page number, and small print in the bands (smaller than the body)."""
    def in_band(p: PageLines, ln: TextLine) -> bool:
        return ln.top < p.height * BAND or ln.bottom > p.height * (1 - BAND)

    seen = Counter(_band_key(ln.text) for p in pages for ln in {(_band_key(x.text)): x for x in p.lines
                                                                  if in_band(p, x)}.values())
    repeated = {k for k, n in seen.items() if n >= 2}
    out = []
    for p in pages:
        heights = sorted(ln.bottom - ln.top for ln in p.lines)
        body = heights[len(heights) // 2] if heights else 0
        numbers = [ln.top for ln in p.lines if in_band(p, ln) and _PAGE_NUMBER.fullmatch(ln.text.strip())]
        keep = tuple(ln for ln in p.lines
                     if not (in_band(p, ln) and (_band_key(ln.text) in repeated
                                                 or any(abs(ln.top - top) < 3 for top in numbers)
                                                 or (ln.bottom - ln.top) < body * 0.85)))
        out.append(PageLines(p.number, p.width, p.height, keep, p.scanned))
    return out


def reading_order(page: PageLines) -> list[list[TextLine]]:
    """Runs of lines in reading order; a run is one column between full-width lines (a paragraph
    may continue from one run to the next)."""
    lines = sorted(page.lines, key=lambda ln: (ln.top, ln.x0))
    mid = page.width / 2
    left = [ln for ln in lines if ln.x1 <= mid + 4]
    right = [ln for ln in lines if ln.x0 >= mid - 4]
    if len(left) < 3 or len(right) < 3:
        return [lines] if lines else []
    runs: list[list[TextLine]] = []
    segment: list[TextLine] = []

    def flush() -> None:
        for column in ([ln for ln in segment if ln.x0 < mid - 4], [ln for ln in segment if ln.x0 >= mid - 4]):
            if column:
                runs.append(column)
        segment.clear()

    full = False
    for ln in lines:
        if ln.x0 < mid - 4 and ln.x1 > mid + 4:  # spans the gutter: full width
            flush()
            if full:
                runs[-1].append(ln)
            else:
                runs.append([ln])
            full = True
        else:
            segment.append(ln)
            full = False
    flush()
    return runs


def _joined(text: str, more: str) -> str:
    if re.search(r"[A-Za-z]-$", text) and more[:1].islower():
        return text[:-1] + more  # "regen-" + "eration"
    return f"{text} {more}"


def paragraphs_of(pages: list[PageLines]) -> list[Paragraph]:
    """Paragraphs from ordered lines: a gap taller than half a line, a change between bold and
    plain, or a line starting with a minute number starts a new one."""
    out: list[Paragraph] = []
    text, page, bold = "", 0, False
    confs: list[float] = []
    prev: TextLine | None = None

    def flush() -> None:
        nonlocal text, confs
        if text:
            conf = round(sum(confs) / len(confs), 1) if confs else None
            out.append(Paragraph(text, page, bold, conf))
        text, confs = "", []

    for p in drop_running(pages):
        for run in reading_order(p):
            for k, ln in enumerate(run):
                height = max(ln.bottom - ln.top, 4.0)
                above = run[k - 1] if k else prev
                adjacent = (above is not None and above.page == ln.page and abs(above.x0 - ln.x0) < 3
                            and -1 <= ln.top - above.bottom <= height * 0.55)
                new = (not text or ln.bold != bold or bool(_HEADING_START.match(ln.text))
                       or (k and not adjacent)
                       or (k == 0 and not adjacent and (text.endswith((".", ":")) or not ln.text[:1].islower())))
                if new:
                    flush()
                    page, bold = ln.page, ln.bold
                    text = ln.text
                else:
                    text = _joined(text, ln.text)
                if ln.confidence is not None:
                    confs.append(ln.confidence)
                prev = ln
    flush()
    return out


def read_paragraphs(data: bytes, url: str = "", *, ocr: bool = False) -> tuple[list[Paragraph], list[PageLines]]:
    """A PDF's paragraphs in reading order, and its pages (to tell scanned ones)."""
    pages = page_lines(data, url, ocr=ocr)
    return paragraphs_of(pages), pages
