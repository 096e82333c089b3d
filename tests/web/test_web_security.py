"""Security: headers on every response, escaping of everything from the minutes, the snippet contract."""

from __future__ import annotations

import re
from html import escape

import pytest

from searchsvc.web.render import snippet_markup

PAGES = ["/", "/search?q=foster", "/search?q=nothingatall", "/items/kingston:item:509",
         "/meetings/kingston:meeting:100",
         "/speakers/Councillor Ann Smith", "/committees/kingston:committee:7", "/trends?q=budget&year=2019",
         "/status", "/search?q=%22bad", "/no/such/page"]


@pytest.mark.parametrize("url", PAGES + ["/api/search?q=foster", "/search.atom", "/search.csv", "/opensearch.xml",
                                         "/static/site.css"])
def test_security_headers_everywhere(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_script_style_or_handlers_and_nothing_from_outside(client, url):
    html = client.get(url).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "inline script"
    assert not re.search(r"<style|\sstyle=", html), "inline style"
    assert not re.search(r"\son[a-z]+=", html), "event handler attribute"
    for ref in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert ref.startswith("/"), f"loads {ref} from outside"


def test_script_in_minutes_is_text_on_every_page_and_format(client):
    raw = "<script>alert(1)</script>"
    for url in ("/items/kingston:item:509", "/search?q=meals", "/speakers/Councillor Ann Smith",
                "/search.atom?q=meals"):
        body = client.get(url).get_data(as_text=True)
        assert raw not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&lt;script&gt;" in body, url
    snippet = client.get("/api/search?q=meals").get_json()["results"][0]["snippets"][0]["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet and "<script" not in snippet


def test_ampersand_title_is_escaped_once(client):
    assert "Fish &amp; Chips shop, 14 High Street" in client.get("/search?q=chips").get_data(as_text=True)
    assert "Fish &amp; Chips shop" in client.get("/items/kingston:item:510").get_data(as_text=True)
    assert "&amp;amp;" not in client.get("/search?q=chips").get_data(as_text=True)


def test_query_echo_is_escaped(client):
    html = client.get('/search?q=<img src=x onerror=alert(1)>').get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_index_snippets_keep_the_contract_escaped_text_plus_mark(client):
    """The contract that lets templates output snippet HTML: escape(text) with only <mark> added."""
    for q in ("meals", "foster", "chips", "budget", "script"):
        for result in client.get(f"/api/search?q={q}&procedural=show").get_json()["results"]:
            for snippet in result["snippets"]:
                html = snippet["html"]
                assert "<mark>" in html
                assert re.sub(r"</?mark>", "", html) == re.sub(r"</?mark>", "", str(snippet_markup(html)))
                assert not re.search(r"<(?!/?mark>)", html)


def test_snippet_markup_neutralises_a_broken_contract():
    assert snippet_markup("a <mark>b</mark> c") == "a <mark>b</mark> c"
    assert snippet_markup("x &lt;y&gt; &amp; z") == "x &lt;y&gt; &amp; z"  # escaped text stays as it is
    assert snippet_markup("<script>alert(1)</script><mark>x") == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>x</mark>"
    assert snippet_markup('<mark onclick="x">y</mark></mark>') == "&lt;mark onclick=&#34;x&#34;&gt;y"
    assert snippet_markup("") == ""
    plain = "Tom & Jerry <b>"
    assert snippet_markup(escape(plain)) == escape(plain)


def test_csv_neutralises_formulas(client):
    text = client.get("/search.csv?q=parking&procedural=show").get_data(as_text=True)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    # (CSV rows carry no snippets since issue 18, so the "-2 percent" minutes text is not in them.)
