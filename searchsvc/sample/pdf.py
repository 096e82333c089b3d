"""A tiny hand-written PDF writer: text pages in the standard Helvetica fonts, nothing else.

Council documents are PDFs, so the crawler's text extraction needs real ones to chew on; this
writes the smallest valid file that pypdf can read back (one content stream per page, a proper
xref table), without adding a dependency. Text is encoded in WinAnsi (cp1252), which covers
the £ sign and accented names; anything else becomes "?".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


# --- laid-out pages: printed minutes ---------------------------------------------------------
#
# Printed minutes are not one flowing column: they have a title block, a running header and
# footer ("Page 3 of 12"), hyphenated line ends and sometimes two columns. The writer below
# lays text out like that, and writes each page's lines in row order (left column line, right
# column line, …) as some word processors do, so a reader that trusts the content stream's
# order interleaves the columns: the extraction has to find the reading order itself.

GUTTER = 22


@dataclass(frozen=True)
class Line:
    """One line of text placed on a page: ``x``/``y`` in points from the bottom left."""

    x: float
    y: float
    text: str
    size: float = 10
    bold: bool = False


@dataclass(frozen=True)
class ScannedPage:
    """A page with no text layer: the lines are drawn into an image, as a scanner would."""

    lines: tuple[Line, ...]


def hyphen_wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, breaking a long word with a hyphen where the
    line still has room for part of it (what word processors do with hyphenation on)."""
    lines, line = [], ""
    for word in text.split():
        room = width - len(line) - (1 if line else 0)
        if len(word) > room and len(word) >= 9 and room >= 5 and word.isalpha():
            cut = min(room - 1, len(word) - 4)
            lines.append(f"{line} {word[:cut]}-".strip())
            line = word[cut:]
            continue
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def flow(blocks: Sequence[tuple[str, str]], *, columns: int = 1, top: float = PAGE_H - 90,
         bottom: float = 70, first_top: float | None = None, size: float = 10) -> list[list[Line]]:
    """Pages of placed lines from ``(style, text)`` blocks (style "heading" or "body"), filling
    ``columns`` columns top to bottom, left column first; a blank line between blocks."""
    width_pt = (PAGE_W - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    chars = int(width_pt / (size * 0.5))
    leading = size * 1.35
    pages: list[list[Line]] = [[]]
    col, y = 0, first_top if first_top is not None else top
    for style, text in blocks:
        bold = style == "heading"
        for piece in (hyphen_wrap(text, chars) if not bold else _wrap(text, chars)):
            if y < bottom:
                col += 1
                if col == columns:
                    pages.append([])
                    col = 0
                y = first_top if len(pages) == 1 and first_top is not None else top
            pages[-1].append(Line(MARGIN + col * (width_pt + GUTTER), y, piece, size, bold))
            y -= leading
        y -= leading * 0.8
    return pages


def decorated(pages: list[list[Line]], header: str, footer: str) -> list[list[Line]]:
    """Each page with a running header and a "Page N of M" footer (and the footer's own text)."""
    total = len(pages)
    out = []
    for n, lines in enumerate(pages, 1):
        extra = [Line(MARGIN, PAGE_H - 40, header, 8)] if header else []
        extra += [Line(MARGIN, 36, footer, 8)] if footer else []
        extra.append(Line(PAGE_W - MARGIN - 60, 36, f"Page {n} of {total}", 8))
        out.append(extra + list(lines))
    return out


def _placed_content(lines: Sequence[Line]) -> bytes:
    ops = []
    for ln in sorted(lines, key=lambda line: (-round(line.y), line.x)):  # row order, not reading order
        if ln.text:
            ops.append(b"BT /%s %g Tf %g %g Td %s Tj ET" % (b"F2" if ln.bold else b"F1", ln.size, ln.x, ln.y,
                                                          _literal(ln.text)))
    return b"\n".join(ops) + b"\n"


def _scan_image(lines: Sequence[Line], scale: float = 3.0) -> tuple[int, int, bytes]:
    """A grey image (width, height, 8-bit samples) of ``lines`` drawn at ``scale`` pixels per point."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = int(PAGE_W * scale), int(PAGE_H * scale)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    fonts: dict[float, object] = {}
    for ln in lines:
        px = round(ln.size * scale * 1.1)
        font = fonts.get(px) or fonts.setdefault(px, ImageFont.load_default(size=px))
        draw.text((ln.x * scale, (PAGE_H - ln.y) * scale - px), ln.text, fill=0, font=font)
    return w, h, img.tobytes()


def laid_out_pdf(pages: Sequence[Sequence[Line] | ScannedPage], title: str = "") -> bytes:
    """A PDF of placed lines, one page per entry; a :class:`ScannedPage` becomes an image-only page."""
    import zlib

    n_fixed = 5
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _info_string(title) + b" /Producer (searchsvc sample site) >>",
    ]
    kids = []
    for page in pages:
        if isinstance(page, ScannedPage):
            w, h, samples = _scan_image(page.lines)
            data = zlib.compress(samples, 6)
            objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                           b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(data))
                           + data + b"\nendstream")
            image = len(objects)
            stream = b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (PAGE_W, PAGE_H)
            resources = f"<< /XObject << /Im1 {image} 0 R >> >>"
        else:
            stream = _placed_content(page)
            resources = "<< /Font << /F1 3 0 R /F2 4 0 R >> >>"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources {resources} "
                       f"/Contents {content} 0 R >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return pdf_file(objects, info=n_fixed)
