"""Printed (PDF) minutes read into items, passages and attendance.

Many councils publish a meeting's minutes only as a PDF. This package turns such a file into
what an HTML meeting page gives: the people at the meeting (:mod:`.header`) and numbered
minutes matched to the agenda's items (:mod:`.minutes`), from text in reading order with
running headers and footers removed and each paragraph's page kept (:mod:`.layout`), read by
OCR where a page has no text layer (:mod:`.ocr`). Everything is a pure function of the file's
bytes and the agenda; fetching is the adapter's business.
"""

from crawler.printed.layout import Paragraph, read_paragraphs
from crawler.printed.minutes import PrintedMinutes, is_minutes_document, read_printed_minutes

__all__ = ["Paragraph", "PrintedMinutes", "is_minutes_document", "read_paragraphs", "read_printed_minutes"]
