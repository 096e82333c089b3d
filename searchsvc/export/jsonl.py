"""The JSON Lines export: one item per line, with its meeting, committee and source nested.

Key order is part of the documented shape (docs/export.md): keys are only ever added, at the end.
"""

from __future__ import annotations

import json
from typing import IO, Any

from searchsvc.export.archive import Entry, Meter
from searchsvc.export.base import Writer


def item_json(entry: Entry) -> dict[str, Any]:
    """One JSONL line: an item with its context. Key order is part of the documented shape."""
    item, meeting, committee, source = entry.item, entry.meeting, entry.committee, entry.source
    return {
        "id": item.id,
        "source": {"name": source.name, "title": source.title, "base_url": source.base_url},
        "committee": {"id": committee.id, "committee_id": committee.committee_id, "name": committee.name,
                      "category": committee.category, "url": committee.url},
        "meeting": {
            "id": meeting.id, "meeting_id": meeting.meeting_id,
            "date": meeting.date.isoformat() if meeting.date else None,
            "start": meeting.start.isoformat() if meeting.start else None,
            "status": meeting.status, "venue": meeting.venue, "url": meeting.url,
            "attendance": [{"name": a.name, "role": a.role, "attendance": a.attendance, "uid": a.uid}
                           for a in meeting.attendance],
            "documents": [{"url": d.url, "title": d.title, "kind": d.kind} for d in meeting.documents],
        },
        "item_id": item.item_id,
        "position": item.position,
        "number": item.number,
        "title": item.title,
        "url": item.url,
        "full_text_url": item.full_text_url,
        "procedural": item.procedural,
        "topics": list(dict.fromkeys(item.topics)),
        "speakers": entry.speakers,
        "agenda_text": item.agenda_text,
        "minutes_text": item.minutes_text,
        "decision_text": item.decision_text,
        "passages": [{"anchor": p.anchor, "section": p.section, "text": p.text, "speakers": list(p.speakers),
                      "raw_speakers": list(p.raw_speakers)} for p in item.passages],
        "declarations": [{"member": d.member, "item": d.item, "kind": d.kind, "text": d.text}
                         for d in item.declarations],
        "documents": [{"url": d.url, "title": d.title, "kind": d.kind, "text": d.text} for d in item.documents],
        "batch": entry.batch,
    }


class JsonLinesWriter(Writer):
    name = "jsonl"
    suffix = ".jsonl"
    help = "one item a line, with its meeting, committee and source nested (for programs)"
    media_type = "application/jsonl"

    def write(self, stream: IO[str]) -> Meter:
        meter = self.meter()
        for entry in self.archive.entries():
            stream.write(json.dumps(item_json(entry), ensure_ascii=False, separators=(",", ":")) + "\n")
            meter.tick()
        return meter
