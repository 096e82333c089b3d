"""The hand-written PDF writer produces files pypdf reads back, text intact."""

from __future__ import annotations

import io

import pypdf

from searchsvc.sample.pdf import text_pdf


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_text_round_trips_with_special_characters() -> None:
    paras = ["Printed minutes - Café (Zoë O'Neill)", "A back\\slash, £1,200 and – dashes ‘quoted’.",
             "RESOLVED: That the report be noted."]
    data = text_pdf(paras, title="Minutes – Audit, Governance & Standards Committee")
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    text = _text(data)
    for p in paras:
        assert p in text
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.title == "Minutes – Audit, Governance & Standards Committee"


def test_long_text_spans_pages_and_is_deterministic() -> None:
    paras = [f"Paragraph {i}: " + "the committee considered the report " * 12 for i in range(40)]
    data = text_pdf(paras)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 3
    text = _text(data)
    assert all(" ".join(p.split()) in text for p in paras)
    assert text_pdf(paras) == data


def test_empty_document_is_still_valid() -> None:
    assert len(pypdf.PdfReader(io.BytesIO(text_pdf([])), strict=True).pages) == 1
