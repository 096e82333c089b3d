"""The lean lxml tree builder (``soup.FastLXMLTreeBuilder``) builds exactly the tree bs4's own lxml
builder builds, so a page gives the same records whichever one parsed it.

Compared: the markup (``decode()``), and for every node its type, name, namespace, attributes
(with their value types: class lists stay lists) and the type of the node parsed after it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.moderngov import parse_page, soup
from crawler.moderngov.adapter import ADAPTER

PAGES = Path(__file__).resolve().parent / "pages"

ODD = [
    b'<html xmlns:v="urn:x"><body><v:shape class=" a  b\xc2\xa0c " xml:lang=en rel="x y">t</v:shape>'
    b'<svg><a xlink:href=q>1</a></svg><table><tr><td headers="h1 h2" class="">x</td></tr></table>',
    b"",
    b"\xff\xfe<p>x",
    "<p class='a\u2003b'>caf\u00e9 <!-- c --> <br/><pre>  </pre>\ud800</p>",
    b"<div id=modgov><p class=mgLabel>  </p>\n\n<script>x<y</script><rt>r</rt></div>",
]


def shape(tree) -> tuple:
    nodes = []
    for node in tree.descendants:
        attrs = getattr(node, "attrs", None)
        nodes.append((type(node).__name__, node.name, getattr(node, "namespace", None),
                      None if attrs is None else [(k, type(v).__name__, v) for k, v in attrs.items()],
                      type(node.next_element).__name__))
    return tree.decode(), nodes


def with_builder(parser: str, fn):
    saved = soup.PARSER
    soup.PARSER = parser
    try:
        return fn()
    finally:
        soup.PARSER = saved


@pytest.mark.parametrize("markup", [p.read_bytes() for p in sorted(PAGES.glob("*.htm*"))] + ODD)
def test_lean_builder_builds_the_stock_lxml_tree(markup):
    stock = with_builder("lxml-stock", lambda: shape(soup.make_soup(markup)))
    lean = with_builder("lxml", lambda: shape(soup.make_soup(markup)))
    assert lean == stock


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.htm*")), ids=lambda p: p.name)
def test_fixture_pages_give_the_same_records_with_either_builder(path):
    url = ADAPTER.saved_page_url(path.name)
    body = path.read_bytes()
    stock = with_builder("lxml-stock", lambda: parse_page(body, url, source="s"))
    lean = with_builder("lxml", lambda: parse_page(body, url, source="s"))
    assert lean == stock
