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
from bs4.builder import LXMLTreeBuilder
from bs4.element import Tag

from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

# The largest real ModernGov page we have seen holds about 1,400 tags; parsing costs per tag, and a
# 2 MB page of empty elements (285,000 tags) took 40 s and 190 MB. Far above any real page.
MAX_TAGS = 30_000
_TAG = re.compile(rb"<[A-Za-z]")

__all__ = ["child_tags", "contains_i", "first", "has_class", "inside", "make_soup", "meta_content", "modgov_root", "require", "tags"]


class FastLXMLTreeBuilder(LXMLTreeBuilder):
    """BeautifulSoup's lxml builder without the per-tag work an HTML page never needs.

    Building the tree was half the time of a meeting page's parse. lxml's HTML parser reports no
    namespaces, so the namespace bookkeeping of ``start`` is skipped when none is in play (any
    namespaced name falls back to the original), and ``class`` is split with ``str.split`` (the
    same whitespace as bs4's ``\\S+``) without a fresh set per tag. The tree is the same object for
    object: bench/parse_builders.py compares every parse result with the stock builder's.
    """

    NAME = "lxml-fast"
    features = [NAME]

    def start(self, tag, attrib, nsmap={}):  # noqa: B006 - lxml's own signature
        if nsmap or len(self.nsmaps) > 1 or tag[:1] == "{":
            return super().start(tag, attrib, nsmap)
        attrs = self.attribute_dict_class()
        dict.update(attrs, attrib)  # str values only: HTMLAttributeDict.__setitem__ would store them as they are
        for k in attrs:
            if k[:1] == "{":
                return super().start(tag, attrib, nsmap)
        self.soup.handle_starttag(tag, None, None, attrs, namespaces=self.active_namespace_prefixes[-1])
        return None

    def end(self, tag):
        if len(self.nsmaps) > 1 or tag[:1] == "{":
            return super().end(tag)
        self.soup.endData()
        self.soup._popToTag(tag, None)  # what handle_endtag does after its own endData (a no-op here)
        return None

    def _replace_cdata_list_attribute_values(self, tag_name, attrs):
        if not attrs:
            return attrs
        names = _LIST_ATTRIBUTES.get(tag_name)
        if names is None:
            lists = self.cdata_list_attributes
            names = _LIST_ATTRIBUTES[tag_name] = frozenset(lists.get("*", ())) | frozenset(lists.get(tag_name.lower(), ()))
        if names.isdisjoint(attrs):
            return attrs
        for attr in names.intersection(attrs):
            value = attrs[attr]
            if isinstance(value, str):
                attrs[attr] = self.attribute_value_list_class(value.split())
        return attrs


_LIST_ATTRIBUTES: dict[str, frozenset[str]] = {}  # tag name → its multi-valued attributes (class, rel …)


# BeautifulSoup's tree builder for every ModernGov page (bench/parse_builders.py compares them):
# "lxml" through FastLXMLTreeBuilder; "lxml-stock" and "html.parser" name bs4's own builders.
PARSER = "lxml"


def make_soup(html: str | bytes) -> BeautifulSoup:
    """Parse with :data:`PARSER`, lenient with ModernGov's invalid HTML."""
    if isinstance(html, str):  # a lone surrogate (possible in a str, never from decoded bytes) → "?"
        html = html.encode("utf-8", "replace").decode("utf-8")
    if PARSER == "lxml":
        return BeautifulSoup(html, builder=FastLXMLTreeBuilder())
    return BeautifulSoup(html, "lxml" if PARSER == "lxml-stock" else PARSER)


def modgov_root(html: str | bytes, url: str) -> tuple[BeautifulSoup, Tag]:
    """The whole document and its ``div#modgov``; ParseError when the div is absent, or when the
    page holds more than ``MAX_TAGS`` tags (counted before parsing, at C speed)."""
    count = len(_TAG.findall(html.encode("utf-8", "replace") if isinstance(html, str) else html))
    if count > MAX_TAGS:
        raise ParseError(f"the page holds {count:,} tags, more than the {MAX_TAGS:,} a ModernGov page may have; "
                         f"not parsed", url)
    soup = make_soup(html)
    root = first(soup, "div", id="modgov")
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
    for meta in tags(soup, "meta"):
        if (meta.get("name") or "").lower() == wanted:
            return (meta.get("content") or "").strip()
    return ""


# The hot parsers (meeting pages, attendance, item blocks) match with find/find_all and these
# helpers instead of CSS selectors: soupsieve was a fifth of a meeting page's parse. Each helper
# matches exactly what the selector named in its docstring does.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def tags(scope: Tag, name: str) -> list[Tag]:
    """``scope.find_all(name)``: every tag called ``name`` under ``scope``, in document order, at a
    third of the cost of bs4's matching machinery."""
    return [t for t in scope.descendants if t.name == name]


def first(scope: Tag, name: str, *, id: str | None = None, class_: str | None = None) -> Tag | None:
    """``scope.select_one("name#id")`` / ``("name.class_")``: the first such tag under ``scope``, or None."""
    for t in scope.descendants:
        if t.name == name and (id is None or t.get("id") == id) and (class_ is None or has_class(t, class_)):
            return t
    return None


def child_tags(scope: Tag, names: str | tuple[str, ...]) -> list[Tag]:
    """``scope.find_all(names, recursive=False)``: the children called ``names`` (one or several)."""
    if isinstance(names, str):
        return [t for t in scope.children if t.name == names]
    return [t for t in scope.children if t.name in names]


def has_class(tag: Tag, name: str) -> bool:
    """``.name``: one of the tag's classes is ``name``."""
    classes = tag.get("class")
    if classes is None:
        return False
    return name in (classes.split() if isinstance(classes, str) else classes)


def inside(tag: Tag, name: str, class_: str | None = None) -> bool:
    """``name.class_ tag``: some ancestor (anywhere above, as CSS's descendant combinator) matches."""
    for parent in tag.parents:
        if parent.name == name and (class_ is None or has_class(parent, class_)):
            return True
    return False


def contains_i(needle: str):
    """For ``find(href=…)``: ``[href*="needle" i]``, the value holding ``needle`` ignoring ASCII case."""
    needle = needle.translate(_ASCII_LOWER)

    def match(value: str | None) -> bool:
        return value is not None and needle in value.translate(_ASCII_LOWER)

    return match
