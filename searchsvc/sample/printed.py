"""The sample council's printed minutes: laid out as councils print them.

With ``printed=True`` the Audit, Governance & Standards Committee publishes its minutes only as
a PDF (its meeting pages show the agenda without minutes text), as smaller committees and older
years often do. The PDF has a title block, a PRESENT list with roles, officers and apologies,
numbered minutes in capitals, a running header and a "Page N of M" footer; every other meeting
is set in two columns, and the committee's first published meeting is a scan (image-only pages,
readable only by OCR).
"""

from __future__ import annotations

from . import pdf, prose, vocab
from .model import MeetingInfo

PRINTED_KIND = "audit"  # the committee kind whose minutes are printed only


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _present(attendees) -> str:
    """"Councillor A (Chair), Councillor B (Vice-Chair), Councillors C, D and E"."""
    lead = [f"{a.name} ({a.role})" for a in attendees if a.role in ("Chair", "Vice-Chair")]
    rest = [a.name for a in attendees if a.role not in ("Chair", "Vice-Chair")]
    cllrs = [n.removeprefix("Councillor ") for n in rest if n.startswith("Councillor ")]
    others = [n for n in rest if not n.startswith("Councillor ")]
    parts = lead + ([f"Councillors {_names(cllrs)}" if len(cllrs) > 1 else f"Councillor {cllrs[0]}"] if cllrs else [])
    return ", ".join(parts + others)


def minutes_blocks(council, m: MeetingInfo) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(title block, body) as ``(style, text)`` blocks."""
    attendance = council.attendance(m.meeting_id)
    present = [a for a in attendance if a.attendance.startswith("Present") and a.role != "Officer"]
    officers = [a.name for a in attendance if a.role == "Officer"]
    apologies = [a.name for a in attendance if a.attendance == "Apologies"]
    title = [("heading", vocab.COUNCIL_NAME.upper()), ("heading", m.committee_name.upper()),
             ("body", f"Minutes of the meeting held on {prose.long_date(m.start)} at "
                      f"{m.start:%-I.%M} {'pm' if m.start.hour >= 12 else 'am'}, {m.venue}")]
    if present:
        title.append(("body", f"PRESENT: {_present(present)}."))
    if officers:
        title.append(("body", f"Officers in attendance: {_names(officers)}."))
    if apologies:
        title.append(("body", f"Apologies for absence were received from {_names(apologies)}."))
    body: list[tuple[str, str]] = []
    for it in council.items(m.meeting_id):
        if not it.minutes:
            continue
        body.append(("heading", f"{it.number} {it.title.upper()}"))
        body += [("body", p) for p in it.minutes_paragraphs]
    return title, body


def is_scanned(council, m: MeetingInfo) -> bool:
    first = next((x for x in council.meetings(m.committee_id) if x.minutes_published), None)
    return first is not None and first.meeting_id == m.meeting_id


def printed_minutes_pdf(council, m: MeetingInfo) -> bytes:
    title, body = minutes_blocks(council, m)
    title_pages = pdf.flow(title, columns=1)
    placed = title_pages[0]
    below = min(ln.y for ln in placed) - 30
    pages = pdf.flow(body, columns=2 if m.meeting_id % 2 else 1, first_top=below)
    pages[0] = placed + pages[0]
    pages = pdf.decorated(pages, f"{m.committee_name} - {prose.long_date(m.start)}",
                          f"{vocab.COUNCIL_NAME} - minutes")
    if is_scanned(council, m):
        pages = [pdf.ScannedPage(tuple(p)) for p in pages]
    return pdf.laid_out_pdf(pages, title=f"Printed minutes - {m.committee_name}")
