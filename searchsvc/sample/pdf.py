"""A tiny hand-written PDF writer: text pages in the standard Helvetica fonts, nothing else.

Council documents are PDFs, so the crawler's text extraction needs real ones to chew on; this
writes the smallest valid file that pypdf can read back (one content stream per page, a proper
xref table), without adding a dependency. Text is encoded in WinAnsi (cp1252), which covers
the £ sign and accented names; anything else becomes "?".
"""

from __future__ import annotations

from collections.abc import Iterable

PAGE_W, PAGE_H, MARGIN = 595, 842, 56  # A4 in points
LEADING, LINES_PER_PAGE, WRAP_AT = 14, 50, 88


def _wrap(text: str, width: int = WRAP_AT) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        while len(word) > width:  # a very long token is hard-broken rather than overflowing
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def _literal(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding, with \\, ( and ) escaped and 8-bit bytes as octal."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"\\()":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def _info_string(text: str) -> bytes:
    """A text string for the Info dictionary: UTF-16BE with BOM, in hex, so any title fits."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _content(lines: list[tuple[bool, str]]) -> bytes:
    ops = [b"BT", b"%d TL" % LEADING, b"%d %d Td" % (MARGIN, PAGE_H - MARGIN)]
    font = None
    for i, (bold, line) in enumerate(lines):
        if i:
            ops.append(b"T*")
        if bold != font:
            ops.append(b"/F2 12 Tf" if bold else b"/F1 10 Tf")
            font = bold
        if line:
            ops.append(_literal(line) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def text_pdf(paragraphs: Iterable[str], title: str = "") -> bytes:
    """A PDF whose pages hold ``paragraphs`` (the first one as a bold heading), wrapped to the
    page width, with a blank line between paragraphs. Deterministic: no dates, no ids."""
    lines: list[tuple[bool, str]] = []
    for k, para in enumerate(paragraphs):
        lines += [(k == 0, line) for line in _wrap(para)] + [(False, "")]
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    n_fixed = 5  # catalog, pages, two fonts, info
    kids = " ".join(f"{n_fixed + 1 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _info_string(title) + b" /Producer (searchsvc sample site) >>",
    ]
    for i, page in enumerate(pages):
        stream = _content(page)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << "
                       f"/F1 3 0 R /F2 4 0 R >> >> /Contents {n_fixed + 2 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    return pdf_file(objects, info=5)


def pdf_file(objects: list[bytes], info: int | None = None) -> bytes:
    """A PDF file from numbered object bodies (object i + 1; object 1 is the catalog), with a
    correct cross-reference table; ``info`` names the document-information object, if any."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = b"<< /Size %d /Root 1 0 R%s >>" % (len(objects) + 1, b" /Info %d 0 R" % info if info else b"")
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
