"""The CSV export: one item per row, for spreadsheets.

Why CSV cells are defused: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is a
formula to a spreadsheet (minutes quote ``=SUM(…)`` rarely, but a hostile page could), so such
a cell gets a leading ``'``. :func:`csv_cell` is the one rule for every CSV the project writes
(the web app's search CSV uses it too). Columns are only ever added, at the end.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from searchsvc.export.archive import Entry, Meter
from searchsvc.export.base import Writer

CSV_COLUMNS = ("id", "source", "committee", "meeting_id", "meeting_date", "meeting_start", "meeting_status",
               "venue", "number", "title", "procedural", "topics", "speakers", "declarations", "agenda_text",
               "minutes_text", "decision_text", "document_urls", "url", "full_text_url", "meeting_url", "batch")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: lists joined with "; ", formula starts defused with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        text = JOIN.join(str(v) for v in value)
    else:
        text = str(value)
    # Spreadsheets skip leading blanks before reading "=…" as a formula (" =HYPERLINK(…)" too).
    return "'" + text if text.lstrip(" \u00a0\n\x0b\x0c").startswith(_FORMULA) else text


def csv_row(entry: Entry) -> list[str]:
    item, meeting = entry.item, entry.meeting
    values = {
        "id": item.id, "source": item.source, "committee": entry.committee.name, "meeting_id": meeting.id,
        "meeting_date": meeting.date.isoformat() if meeting.date else "",
        "meeting_start": meeting.start.isoformat() if meeting.start else "", "meeting_status": meeting.status,
        "venue": meeting.venue, "number": item.number, "title": item.title, "procedural": item.procedural,
        "topics": list(dict.fromkeys(item.topics)), "speakers": entry.speakers,
        "declarations": [_declaration(d) for d in item.declarations], "agenda_text": item.agenda_text,
        "minutes_text": item.minutes_text, "decision_text": item.decision_text,
        "document_urls": [d.url for d in item.documents], "url": item.url, "full_text_url": item.full_text_url,
        "meeting_url": meeting.url, "batch": entry.batch,
    }
    return [csv_cell(values[c]) for c in CSV_COLUMNS]


def _declaration(d) -> str:
    kind = f" ({d.kind})" if d.kind else ""
    return f"{d.member}{kind}: {d.text or d.item}".strip()


class CsvWriter(Writer):
    name = "csv"
    suffix = ".csv"
    help = "one item a row (for spreadsheets)"
    media_type = "text/csv"

    def write(self, stream: IO[str]) -> Meter:
        meter = self.meter()
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for entry in self.archive.entries():
            writer.writerow(csv_row(entry))
            meter.tick()
        return meter
