"""Reading order, running headers and footers, hard wraps and hyphenation in laid-out PDFs."""

from __future__ import annotations

import io

from crawler.printed.layout import read_paragraphs
from searchsvc.sample import pdf

LONG = ("Councillor Okafor asked about the regeneration programme and the extraordinary expenditure on "
        "temporary accommodation, which had continued throughout the quarter despite the recovery plan.")


def two_column_pdf(n: int = 40) -> bytes:
    blocks = [("heading", "23. BUDGET MONITORING")] + [("body", f"Paragraph {k}. {LONG}") for k in range(n)]
    pages = pdf.decorated(pdf.flow(blocks, columns=2), "Cabinet - 12 June 2024", "North Weald District Council")
    return pdf.laid_out_pdf(pages)


def test_two_columns_come_out_column_by_column_across_pages():
    paragraphs, pages = read_paragraphs(two_column_pdf())
    assert len(pages) >= 2
    body = [p for p in paragraphs if p.text.startswith("Paragraph")]
    assert [p.text.split(".")[0] for p in body] == [f"Paragraph {k}" for k in range(40)]
    assert all(p.text == f"Paragraph {k}. {LONG}" for k, p in enumerate(body))  # wraps and hyphens mended
    assert body[0].page == 1 and body[-1].page == len(pages)
    assert [p.page for p in body] == sorted(p.page for p in body)


def test_the_content_stream_order_would_interleave_the_columns():
    """Why reading order is worked out from positions: the file writes the columns row by row,
    so text taken in stream order (pypdf's extract_text) meets the right column's first paragraph
    before the left column's second one."""
    from pypdf import PdfReader

    blocks = [("heading", "23. BUDGET MONITORING")] + [("body", f"Paragraph {k}. {LONG}") for k in range(40)]
    first_page = pdf.flow(blocks, columns=2)[0]
    right_x = max(ln.x for ln in first_page)
    right_first = next(ln.text for ln in sorted(first_page, key=lambda ln: -ln.y) if ln.x == right_x
                       and ln.text.startswith("Paragraph"))
    stream_text = PdfReader(io.BytesIO(two_column_pdf())).pages[0].extract_text()
    assert stream_text.index(right_first) < stream_text.index("Paragraph 1.")
    paragraphs, _ = read_paragraphs(two_column_pdf())
    order = [p.text for p in paragraphs]
    assert next(k for k, t in enumerate(order) if t.startswith("Paragraph 1.")) < next(
        k for k, t in enumerate(order) if right_first in t)


def test_running_headers_footers_and_page_numbers_are_dropped():
    paragraphs, pages = read_paragraphs(two_column_pdf())
    text = "\n".join(p.text for p in paragraphs)
    assert len(pages) >= 2
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert "North Weald District Council" not in text
    assert "Cabinet - 12 June 2024" not in text


def test_hyphenated_line_ends_are_joined():
    blocks = [("body", "The committee considered " + " ".join(["extraordinary regeneration infrastructure"] * 6))]
    data = pdf.laid_out_pdf(pdf.flow(blocks, columns=2))
    broken = [ln.text for page in pdf.flow(blocks, columns=2) for ln in page if ln.text.endswith("-")]
    assert broken, "the writer should have hyphenated a long word"
    (para,), _ = read_paragraphs(data)
    assert para.text == blocks[0][1]


def test_reading_is_bounded_by_pages_and_time():
    from crawler.printed.layout import page_lines

    data = two_column_pdf(60)
    assert len(page_lines(data, max_pages=1)) == 1
    assert len(page_lines(data, max_seconds=0)) == 1  # stops after the page it was reading


def test_not_a_pdf_is_a_parse_error():
    import pytest

    from crawler.printed.layout import page_lines
    from searchsvc.errors import ParseError

    with pytest.raises(ParseError, match="not a PDF"):
        page_lines(b"<html>minutes</html>", "https://example.org/m.pdf")
    with pytest.raises(ParseError, match="unreadable PDF"):
        page_lines(b"%PDF-1.4\n" + b"\x00" * 50, "https://example.org/m.pdf")
