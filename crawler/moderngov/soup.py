"""Reading a ModernGov HTML page: scope to ``div#modgov`` and fail loudly when a landmark is missing.

Every council wraps the ModernGov output in its own template, and templates repeat
ModernGov links (side menus, breadcrumbs). Parsers therefore start from
:func:`modgov_root` and select only inside it; a page without ``div#modgov`` is not
a ModernGov page (an error page, a login wall, a redesign) and must stop the parse
with a message that names the URL and the selector, rather than yield nothing.
"""

from __future__ import annotations

import logging
import re

from bs4 import BeautifulSoup
from bs4.element import Tag

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

# The largest real ModernGov page we have seen holds about 1,400 tags; parsing costs per tag, and a
# 2 MB page of empty elements (285,000 tags) took 40 s and 190 MB. Far above any real page.
MAX_TAGS = 30_000
_TAG = re.compile(rb"<[A-Za-z]")

__all__ = ["make_soup", "meta_content", "modgov_root", "require", "select_in_order"]


# BeautifulSoup's tree builder for every ModernGov page (bench/parse_builders.py compares them).
PARSER = "lxml"


def make_soup(html: str | bytes) -> BeautifulSoup:
    """Parse with :data:`PARSER`, lenient with ModernGov's invalid HTML."""
    if isinstance(html, str):  # a lone surrogate (possible in a str, never from decoded bytes) → "?"
        html = html.encode("utf-8", "replace").decode("utf-8")
    return BeautifulSoup(html, PARSER)


def modgov_root(html: str | bytes, url: str) -> tuple[BeautifulSoup, Tag]:
    """The whole document and its ``div#modgov``; ParseError when the div is absent, or when the
    page holds more than ``MAX_TAGS`` tags (counted before parsing, at C speed)."""
    tags = len(_TAG.findall(html.encode("utf-8", "replace") if isinstance(html, str) else html))
    if tags > MAX_TAGS:
        raise ParseError(f"the page holds {tags:,} tags, more than the {MAX_TAGS:,} a ModernGov page may have; "
                         f"not parsed", url)
    soup = make_soup(html)
    root = soup.select_one("div#modgov")
    if root is None:
        raise ParseError("not a ModernGov page: no div#modgov (selector div#modgov)", url)
    return soup, root


def require(scope: Tag, selector: str, url: str, what: str) -> Tag:
    """The first match of ``selector`` in ``scope``; ParseError naming ``what`` and the selector."""
    found = scope.select_one(selector)
    if found is None:
        raise ParseError(f"{what} is missing (selector {selector})", url)
    return found


def meta_content(soup: BeautifulSoup, name: str) -> str:
    """``<meta name=… content=…>`` from the head (DC.date, DC.title), matched case-insensitively."""
    wanted = name.lower()
    for meta in soup.find_all("meta"):
        if (meta.get("name") or "").lower() == wanted:
            return (meta.get("content") or "").strip()
    return ""


def select_in_order(scope: Tag, selector: str, outside: Tag | None = None) -> list[Tag]:
    """Matches of ``selector`` in document order, leaving out those inside ``outside``."""
    found = scope.select(selector)
    if outside is None:
        return found
    return [tag for tag in found if outside not in tag.parents]
