"""ModernGov's markup habits, as small pure helpers, and the sample council's outer template.

The quirks are reproduced on purpose because parsers must cope with them on real sites:
entity-encoded link text (``&#40;``, ``&#38;``), ``title`` attributes with ``&#32;`` and ``&#58;``,
Word-exported paragraphs wrapped mid-sentence with ``&nbsp;`` spacer paragraphs, file-size and
screen-reader spans inside document links, and a council template whose menus repeat links
outside ``div#modgov``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime

from . import vocab
from .model import TODAY, DocInfo, MeetingInfo

PDF_ICON = '<img height="12" src="mgimages/logo-pdf-1.gif" width="12" alt="pdf icon" />'
_MENU = (("mgCalendarMonthView.aspx?GL=1&bcr=1", "Calendar of meetings"), ("mgListCommittees.aspx?bcr=1", "Committees"),
         ("mgCommitteeStructure.aspx", "Committee structure"), ("mgMemberIndex.aspx?bcr=1", "Councillors"))


def esc(text: str) -> str:
    """Body text as Word-to-HTML export writes it: markup escaped, £ as a named entity."""
    return html.escape(text, quote=False).replace("£", "&pound;")


def attr(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def mg_title(text: str) -> str:
    """A ModernGov ``title`` attribute value: spaces as ``&#32;``, colons as ``&#58;``."""
    return attr(text).replace(" ", "&#32;").replace(":", "&#58;")


def mg_text(text: str) -> str:
    """Link text as ModernGov encodes names: ``&#40;``, ``&#41;`` and ``&#38;``."""
    return (text.replace("&", "&#38;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("(", "&#40;").replace(")", "&#41;"))


def href(path: str) -> str:
    return attr(path)


def wrap(text: str, width: int = 66) -> str:
    """Break a paragraph's source lines like Word's HTML export (browsers ignore it)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) >= width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def _para(text: str) -> str:
    m = re.match(r"(\d+)\. (.*)", text, re.S)
    if m:  # Word list paragraph: the number sits in spans, the indent in a style
        return ('<p class="MsoListParagraphCxSpFirst" style="text-indent:-18.0pt">\n<span style=""><span style="">'
                f'{m[1]}.<span style="font:7.0pt &quot;Times New Roman&quot;">&nbsp;&nbsp;&nbsp;</span></span></span>\n'
                f'{wrap(esc(m[2]))}</p>')
    return f'<p class="MsoNormal">{wrap(esc(text).replace("RESOLVED", "<b>RESOLVED</b>", 1))}</p>'


def word_para(paragraphs: Sequence[str], tail: str = "") -> str:
    """A ``div.mgWordPara > div.WordSection1`` block; ``tail`` is appended inside the last
    paragraph (the "view the full minutes text" link)."""
    out = []
    for i, text in enumerate(paragraphs):
        if i:
            out.append('<p class="MsoNormal">&nbsp;</p>')
        out.append(_para(text))
    if tail:
        out[-1] = out[-1][:-4] + tail + "</p>"
    return '<div class="mgWordPara"><div class="WordSection1">\n' + "\n".join(out) + "\n</div>\n</div>"


def size_label(kb: int) -> str:
    return f"PDF {kb // 1024} MB" if kb >= 1024 else f"PDF {kb} KB"


def doc_link(doc: DocInfo, number: str = "") -> str:
    hide = f' <span class="mgHide">, item {esc(number)}</span>' if number else ""
    return (f'<a href="{href(doc.url_path)}" title="Link to document &#39;{attr(doc.title)}&#39; pdf file">'
            f'{mg_text(doc.title)}{hide}\n<span class="mgFileSize">{PDF_ICON} {size_label(doc.size_kb)}</span> </a>')


def doc_list(docs: Sequence[DocInfo], number: str = "") -> str:
    lis = "".join(f"\n<li>\n{doc_link(d, number)}  </li>" for d in docs)
    return f'\n<ul class="mgBulletList">{lis}\n</ul>'


def clock(dt: datetime, sep: str = ":") -> str:
    return f"{dt.hour % 12 or 12}{sep}{dt.minute:02d} {'am' if dt.hour < 12 else 'pm'}"


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def when(dt: datetime, style: str, comma: bool = False) -> str:
    """A meeting's date and time as its committee's pages print it (two house styles)."""
    if style == "ordinal":
        return f"{dt:%A}, {ordinal(dt.day)} {dt:%B}, {dt.year}{',' if comma else ''} {clock(dt, '.')}"
    return f"{dt:%A} {dt.day} {dt:%B %Y}{',' if comma else ''} {clock(dt)}"


def list_when(dt: datetime, style: str) -> str:
    """Meeting-list link text: ``15 Jun 2026&nbsp;7&#58;30 pm`` (or ``7.30 pm``)."""
    return f"{dt.day} {dt:%b %Y}&nbsp;" + clock(dt, "&#58;" if style == "plain" else ".")


def file_stamp(m: MeetingInfo) -> str:
    """The date part of meeting PDF names: ``Thursday 15-Jan-2026 19.30``."""
    return f"{m.start:%A %d-%b-%Y %H.%M}"


def page(title: str, modgov: str, crumbs: Sequence[tuple[str, str]] = (), dc_date: datetime | None = None,
         description: str = "") -> str:
    """The council's outer template around a ``div#modgov`` body. The side menu and breadcrumb
    sit outside ``#modgov`` (and the menu links a robots-disallowed page) on purpose."""
    trail = "".join(f'<li><a href="{href(u)}">{esc(t)}</a></li>' for u, t in crumbs)
    menu = "\n".join(f'<li><a href="{href(u)}" title="Link to {attr(t.lower())}">{esc(t)}</a></li>' for u, t in _MENU)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="DC.title" content="{attr(title)}"/>
<meta name="DC.description" content="{attr(description or title)}"/>
<meta name="DC.date" scheme="W3CDTF" content="{(dc_date or TODAY):%Y-%m-%d}"/>
<title>{esc(title)} - {vocab.SITE_NAME}</title>
<style>body{{font-family:sans-serif;margin:0}}.wrap{{display:flex;gap:2em;padding:1em}}#side-nav{{min-width:14em}}
.mgHide{{position:absolute;left:-9999px}}</style>
</head>
<body>
<header class="council-header"><p class="council-name">{vocab.COUNCIL_NAME}</p>
<p class="council-note">A fictional council generated for testing. No real people or meetings.</p></header>
<nav aria-label="Breadcrumb" id="breadcrumb"><ul><li><a href="mgListCommittees.aspx?bcr=1">Committees</a></li>{trail}<li>{esc(title)}</li></ul></nav>
<div class="wrap">
<main id="mgMainContent">
{modgov}
</main>
<nav id="side-nav"><ul class="menu-list">
{menu}
</ul></nav>
</div>
<footer class="council-footer"><small>&copy; {TODAY.year} {vocab.COUNCIL_NAME} (sample data)</small></footer>
</body>
</html>
"""


def header(h1: str, h2: str = "", links: Sequence[str] = ()) -> str:
    """``div.mgHeader`` + optional ``div.mgSubTitle`` + ``div.mgLinks > ul.mgActionList``."""
    out = f'<div id="modgov"><div class="mgHeader"><h1 class="mgMainTitleTxt">{esc(h1)}</h1></div>\n'
    if h2:
        out += f'<div class="mgSubTitle">\n<h2 class="mgSubTitleTxt">{h2}</h2>\n</div>\n'
    lis = "".join(f"\n<li>{link}</li>" for link in links)
    return out + f'<div class="mgLinks">\n<ul class="mgActionList">{lis}\n</ul>\n</div>\n'
