"""Printed minutes applied to a meeting's records: which PDF, and the items it fills.

The HTML wins: a meeting whose items carry minutes text is left alone; only a meeting with none
has its minutes PDF read (the first stored document that is a minutes PDF). The people in the
PDF's header become the meeting's attendance when the pages gave none.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Callable

from crawler.adapters import MeetingRecords
from crawler.printed.minutes import is_minutes_document, items_from_minutes, read_printed_minutes
from searchsvc.errors import ParseError
from searchsvc.records import DOC_MINUTES, Document, Item, Meeting, Source

log = logging.getLogger(__name__)

__all__ = ["printed_minutes_documents", "with_printed_minutes"]


def printed_minutes_documents(source: Source, meeting: Meeting, items: tuple[Item, ...]) -> list[Document]:
    """The minutes PDFs worth fetching for a meeting: none when its items carry minutes text or the
    source turned printed minutes off."""
    if not source.printed_minutes or any(i.minutes_paragraphs for i in items):
        return []
    # Meeting-level papers only: an item's "Minutes" attachment is the previous meeting's.
    found = [d for d in meeting.documents if is_minutes_document(d)]
    return sorted(found, key=lambda d: d.kind != DOC_MINUTES)  # ModernGov's printed-minutes link first


def with_printed_minutes(source: Source, records: MeetingRecords, body: Callable[[str], bytes | None]
                         ) -> MeetingRecords:
    """``records`` with minutes read from the stored minutes PDF, when the pages had none.

    An unreadable PDF is logged and the records are returned as they were."""
    for doc in printed_minutes_documents(source, records.meeting, records.items):
        data = body(doc.url)
        if data is None:
            continue
        try:
            printed = read_printed_minutes(data, doc.url, ocr=source.ocr)
        except ParseError as e:
            log.warning("printed minutes not read: %s", e)
            continue
        if not printed.minutes:
            log.info("%s: no numbered minutes found", doc.url)
            continue
        meeting = records.meeting
        if not meeting.attendance and printed.header.attendance:
            meeting = dataclasses.replace(meeting, attendance=printed.header.attendance)
        return MeetingRecords(meeting, items_from_minutes(printed, meeting, records.items, doc.url))
    return records
