"""Printed minutes: which PDF library reads them in reading order, how fast, and OCR speed.

    PYTHONPATH=. python bench/printed_extraction.py [--pages 40] [--ocr-pages 2]

Builds laid-out minutes with the sample's PDF writer (title block, running header and footer,
"Page n of m", hyphenated line ends; one column and two columns, the columns written row by
row as some word processors do) and measures, per library:

* pages/s of text extraction (best of three runs);
* correctness: the share of paragraphs that come out whole and in order (a paragraph counts
  when its full text, with wraps and hyphens mended, appears in the output and after the
  previous one), and whether running headers/footers leak into the text.

Compared: pypdf ``extract_text()`` (stream order), pypdf ``extract_text(extraction_mode=
"layout")``, pdfminer.six ``extract_text`` (its own box ordering), pdfplumber ``extract_text``,
and our reader (pdfminer.six layout lines → :mod:`crawler.printed.layout`). Then OCR pages/s
(tesseract through pytesseract) on image-only pages, when tesseract-ocr is installed.
"""

from __future__ import annotations

import argparse
import io
import re
import time

from searchsvc.sample import pdf

SENTENCE = ("Councillor Okafor asked about the regeneration programme and the extraordinary expenditure on "
            "temporary accommodation, which had continued throughout the quarter despite the recovery plan.")


def document(pages: int, columns: int) -> tuple[bytes, list[str]]:
    per_page = 9 if columns == 1 else 10
    paras = [f"Paragraph {k}. {SENTENCE}" for k in range(pages * per_page)]
    blocks = [("body", p) for p in paras]
    laid = pdf.flow(blocks, columns=columns)
    return pdf.laid_out_pdf(pdf.decorated(laid, "Cabinet - 12 June 2024", "North Weald District Council")), paras


def _norm(text: str) -> str:
    text = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", text)
    return " ".join(text.split())


def correctness(text: str, paras: list[str]) -> tuple[float, bool]:
    flat = _norm(text)
    pos, ok = 0, 0
    for p in paras:
        at = flat.find(p, pos)
        if at >= 0:
            ok, pos = ok + 1, at + len(p)
    leaked = "Page 2 of" in flat or "North Weald District Council" in flat
    return ok / len(paras), leaked


def pypdf_plain(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def pypdf_layout(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text(extraction_mode="layout") for p in PdfReader(io.BytesIO(data)).pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(io.BytesIO(data))


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def ours(data: bytes) -> str:
    from crawler.printed.layout import read_paragraphs
    return "\n\n".join(p.text for p in read_paragraphs(data)[0])


READERS = {"pypdf (stream order)": pypdf_plain, "pypdf layout mode": pypdf_layout,
           "pdfminer.six extract_text": pdfminer_text, "pdfplumber extract_text": pdfplumber_text,
           "ours (pdfminer.six lines + crawler.printed.layout)": ours}


def timed(fn, data: bytes) -> tuple[str, float]:
    best, out = float("inf"), ""
    for _ in range(3):
        t = time.perf_counter()
        out = fn(data)
        best = min(best, time.perf_counter() - t)
    return out, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--ocr-pages", type=int, default=2)
    args = ap.parse_args()
    for columns in (1, 2):
        data, paras = document(args.pages, columns)
        from pypdf import PdfReader
        n = len(PdfReader(io.BytesIO(data)).pages)
        print(f"\n{columns} column(s), {n} pages, {len(paras)} paragraphs")
        print(f"{'reader':52} {'pages/s':>8} {'paragraphs whole, in order':>27} {'header/footer leaked':>21}")
        for name, fn in READERS.items():
            try:
                text, seconds = timed(fn, data)
            except ImportError as e:
                print(f"{name:52} not installed ({e.name})")
                continue
            share, leaked = correctness(text, paras)
            print(f"{name:52} {n / seconds:8.1f} {share:27.1%} {str(leaked):>21}")
    from crawler.printed.ocr import ocr_available
    if not ocr_available():
        print("\nOCR: tesseract-ocr is not installed; skipped")
        return
    from crawler.printed.layout import page_lines
    laid = pdf.flow([("body", f"Paragraph {k}. {SENTENCE}") for k in range(9 * args.ocr_pages)], columns=1)
    scanned = pdf.laid_out_pdf([pdf.ScannedPage(tuple(p)) for p in laid])
    t = time.perf_counter()
    pages = page_lines(scanned, ocr=True)
    seconds = time.perf_counter() - t
    words = sum(len(ln.text.split()) for p in pages for ln in p.lines)
    conf = [ln.confidence for p in pages for ln in p.lines if ln.confidence is not None]
    print(f"\nOCR (tesseract via pytesseract): {len(pages)} pages in {seconds:.1f} s = "
          f"{len(pages) / seconds:.2f} pages/s, "
          f"{words} words, mean confidence {sum(conf) / max(len(conf), 1):.1f}")


if __name__ == "__main__":
    main()
