"""Scanned minutes read by OCR (when tesseract-ocr is installed) and AES-encrypted minutes read."""

from __future__ import annotations

import io

import pytest

from crawler.pdf import pdf_text
from crawler.printed.minutes import read_printed_minutes
from crawler.printed.ocr import ocr_available
from searchsvc.errors import ParseError
from tests.printed.scoring import from_html, from_pdf, score
from tests.printed.shapes import district_cabinet

needs_tesseract = pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr is not installed "
                                     "(apt-get install tesseract-ocr): OCR tests skipped")


def test_a_scan_without_ocr_gives_no_minutes_and_says_which_pages():
    printed = read_printed_minutes(district_cabinet().pdf(scanned=True), ocr=False)
    assert printed.minutes == () and printed.scanned_pages == (1,)


@needs_tesseract
def test_a_scanned_page_is_read_by_ocr_with_its_confidence():
    shape = district_cabinet()
    items, printed = from_pdf(shape.pdf(scanned=True), ocr=True)
    assert printed.scanned_pages == (1,)
    assert [m.number for m in printed.minutes] == shape.numbers
    assert printed.ocr_confidence is not None and 50 < printed.ocr_confidence <= 100
    assert all(i.ocr_confidence == printed.ocr_confidence for i in items if i.minutes_paragraphs)
    assert {m.name for m in printed.header.attendance} >= {"Councillor Hana Okafor", "Councillor Mei Tan"}
    html = from_html([(h, [t for t, _ in ps]) for h, ps in shape.minutes], printed.header.attendance)
    (pdf_p, pdf_r), (html_p, html_r) = score(items, shape.labelled()), score(html, shape.labelled())
    assert abs(pdf_p - html_p) <= 0.03 and abs(pdf_r - html_r) <= 0.03


@needs_tesseract
def test_a_scanned_page_among_text_pages_keeps_its_place_and_page_number():
    shape = district_cabinet()
    extra = [(f"Paragraph {k}. Councillor Walsh asked about the timetable for the housing register review "
              f"and the consultation with tenants' groups across the district.", ("Councillor Joe Walsh",))
             for k in range(24)]
    shape.minutes[1] = (shape.minutes[1][0], shape.minutes[1][1] + extra)
    assert len(read_printed_minutes(shape.pdf()).minutes) == 3
    printed = read_printed_minutes(shape.pdf(scanned={2}), ocr=True)
    assert printed.scanned_pages == (2,) and [m.number for m in printed.minutes] == shape.numbers
    body = [p for m in printed.minutes for p in m.paragraphs]
    assert {p.page for p in body} == {1, 2}
    assert not any("Page 2 of" in p.text or "North Weald District Council" in p.text for p in body)
    late = [p for p in body if p.page == 2]
    assert late and all(p.confidence is not None for p in late)
    assert printed.minutes[0].paragraphs[0].confidence is None  # read from the text layer


def _encrypted(data: bytes, algorithm: str, user_password: str = "") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_minutes_that_open_without_a_password_are_read(algorithm):
    shape = district_cabinet()
    data = _encrypted(shape.pdf(), algorithm)
    assert b"/Encrypt" in data
    assert [m.number for m in read_printed_minutes(data).minutes] == shape.numbers
    assert "BUDGET MONITORING" in pdf_text(data)


def test_minutes_behind_a_password_are_refused_with_the_reason():
    data = _encrypted(district_cabinet().pdf(), "AES-128", user_password="letmein")
    with pytest.raises(ParseError, match="password"):
        read_printed_minutes(data, "https://example.org/m.pdf")
