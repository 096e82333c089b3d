"""OCR of pages without a text layer (scanned minutes), through Debian's tesseract-ocr.

pytesseract drives the ``tesseract`` program; the page image comes out of the PDF with pypdf.
Lines keep tesseract's mean word confidence, so the item page can say how sure the reading is.
Where tesseract is not installed the pages stay empty and a warning says why.
"""

from __future__ import annotations

import io
import logging
import shutil

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

__all__ = ["ocr_available", "ocr_image_lines", "ocr_pages"]


def ocr_available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def ocr_image_lines(image, page: int, page_width: float, page_height: float):
    """TextLines (points, top-left origin) of one page image, with mean word confidence."""
    import pytesseract

    from crawler.printed.layout import TextLine

    data = pytesseract.image_to_data(image.convert("L"), output_type=pytesseract.Output.DICT, config="--psm 3")
    sx, sy = page_width / image.width, page_height / image.height
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= 0:
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for idx in grouped.values():
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        conf = sum(float(data["conf"][i]) for i in idx) / len(idx)
        text = " ".join(data["text"][i].strip() for i in idx)
        lines.append(TextLine(page, x0 * sx, top * sy, x1 * sx, bottom * sy, text, False, round(conf, 1)))
    return tuple(sorted(lines, key=lambda ln: (ln.top, ln.x0)))


def ocr_pages(data: bytes, numbers: list[int], *, url: str = "") -> dict[int, tuple]:
    """OCR lines of the given pages (1-based) of a PDF; {} with a warning without tesseract."""
    if not ocr_available():
        log.warning("%s: %d scanned page(s) not read: tesseract-ocr is not installed", url, len(numbers))
        return {}
    from PIL import Image
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        out = {}
        for n in numbers:
            page = reader.pages[n - 1]
            images = list(page.images)
            if not images:
                continue
            image = images[0].image if images[0].image is not None else Image.open(io.BytesIO(images[0].data))
            box = page.mediabox
            out[n] = ocr_image_lines(image, n, float(box.width), float(box.height))
        return out
    except Exception as e:  # noqa: BLE001 - a broken image is one unreadable document, said with its reason
        raise ParseError(f"OCR failed: {type(e).__name__}: {e}", url) from None
