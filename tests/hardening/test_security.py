"""Security promises (SECURITY.md), each tried against an archive built to break it
(tests/hardening/hostile_archive.py) or without sending any traffic:

- markup in titles, minutes, speaker, committee and council names, venues, topics, declarations,
  run errors and the query is text on every HTML page, in the Atom feed, the CSV and the JSON
  (that nothing *runs* in a real browser: tests/browser/test_browser_xss.py);
- links to records never carry a ``javascript:``, ``data:`` or ``vbscript:`` URL;
- CSV cells starting with ``=``, ``+``, ``-`` or ``@`` are defused, on the web and in
  ``searchsvc export --format csv``;
- the crawler refuses hosts not in the configuration and addresses that are not public
  (the categories and tricks tests/crawler/test_fetch.py does not already cover);
- the admin token: wrong, short, long, empty and non-ASCII tokens are refused without an error,
  a non-ASCII token that is right is accepted, and the comparison is hmac.compare_digest on
  every attempt;
- the search rate limit is per client address, answers 429 with Retry-After, ignores
  X-Forwarded-For, and leaves other clients and other pages alone.
"""

from __future__ import annotations

import csv
import hmac
import io
import re
import socket
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from crawler.fetch import Fetcher, FetchSettings
from crawler.netguard import AddressRefused, address_problem, resolve_checked
from searchsvc.cli import cli
from searchsvc.errors import FetchError
from searchsvc.web import create_app
from searchsvc.web.ratelimit import RateLimiter
from tests.hardening import hostile_archive as evil
from tests.web.served import time_left_in_the_minute

ATOM = "{http://www.w3.org/2005/Atom}"
ESCAPED_IMG = "&lt;img src=x onerror=window.__xss=1&gt;"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return evil.build(tmp_path_factory.mktemp("evil"))


def make_client(data_dir, **web):
    app = create_app(evil.config(data_dir, **web), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    return app, app.test_client()


@pytest.fixture(scope="module")
def client(data_dir):
    app, client = make_client(data_dir)
    yield client
    app.extensions["searchsvc"].close()


# --- markup is text, everywhere ------------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def assert_inert_html(body: str, where: str) -> None:
    """No raw payload, no element or attribute the page does not write itself, no script URL."""
    for payload in evil.PAYLOADS:
        assert payload not in body, f"{where}: raw {payload!r}"
    for tag, attrs in Tags(body).tags:
        assert tag not in ("img", "iframe", "object", "embed", "frame", "base", "form") or \
            (tag == "form" and attrs.get("action", "").startswith("/")), f"{where}: <{tag} {attrs}>"
        assert not [a for a in attrs if a.startswith("on")], f"{where}: <{tag} {attrs}>"
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), f"{where}: <script {attrs}>"
        for name in ("href", "src", "action", "formaction", "xlink:href", "data"):
            value = attrs.get(name, "")
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), f"{where}: {name}={value!r}"


@pytest.mark.parametrize("url", evil.PAGES + evil.speaker_pages())
def test_markup_in_the_archive_is_text_on_every_page(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)
    body = response.get_data(as_text=True)
    assert_inert_html(body, url)


@pytest.mark.parametrize("url", [f"/items/evil:item:{evil.ITEM_IDS[1]}", f"/search?q={evil.WORD}",
                                 f"/meetings/evil:meeting:{evil.MEETING_ID}", "/status"])
def test_the_markup_is_shown_not_dropped(client, url):
    assert ESCAPED_IMG in client.get(url).get_data(as_text=True), url


def test_the_atom_feed_carries_markup_as_text(client):
    response = client.get(f"/search.atom?q={evil.WORD}")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert {e.tag for e in feed.iter()} <= {f"{ATOM}{t}" for t in (
        "feed", "title", "subtitle", "id", "link", "author", "name", "generator", "updated", "entry", "category",
        "summary")}, "an element the feed does not write"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(evil.ITEM_IDS)
    assert any(evil.IMG in e.findtext(f"{ATOM}title") for e in entries)  # text, escaped in the XML
    assert any(evil.SCRIPT in e.findtext(f"{ATOM}summary") for e in entries)
    for element in feed.iter():
        assert element.get("type") in (None, "text/html", "application/atom+xml"), "content typed as HTML"
        href = element.get("href") or ""
        assert not re.match(r"(javascript|data|vbscript):", href, re.I), href


def test_json_answers_are_json_with_nosniff_and_escaped_snippets(client):
    response = client.get(f"/api/search?q={evil.WORD}&procedural=show")
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_json()
    assert any(evil.IMG in r["title"] for r in data["results"])  # data stays as the council wrote it
    for result in data["results"]:
        for snippet in result["snippets"]:
            assert not re.search(r"<(?!/?mark>)", snippet["html"]), snippet["html"]
    for url in (f"/api/items/evil:item:{evil.ITEM_IDS[0]}", f"/api/speakers/{quote(evil.SPEAKER)}", "/api/status"):
        assert client.get(url).mimetype == "application/json", url


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_defused(rows: list[list[str]], where: str) -> None:
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, where
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"{where}: {cell[:60]!r}"
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    for formula in evil.FORMULAS:
        assert any(t.startswith("'" + formula) for t in titles), (where, formula)


def test_web_csv_defuses_formulas(client):
    response = client.get(f"/search.csv?q={evil.WORD}&procedural=show")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert_defused(_cells(response.get_data(as_text=True)), "/search.csv")


def test_cli_csv_export_defuses_formulas(data_dir, tmp_path):
    conf = tmp_path / "evil.toml"
    conf.write_text(f'[storage]\ndata_dir = "{data_dir}"\n[[sources]]\nname = "evil"\nbase_url = "{evil.BASE}"\n')
    result = CliRunner().invoke(cli, ["-q", "--config", str(conf), "export", "--format", "csv", "--out", "-"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_defused(_cells(result.stdout), "searchsvc export --format csv")


# --- the crawler's address guard (no traffic: fake resolvers) ---------------------------------------


@pytest.mark.parametrize("address,problem", [
    ("172.16.0.1", "private"), ("172.31.255.254", "private"), ("192.0.2.1", "private"),  # TEST-NET-1
    ("198.18.0.1", "private"), ("0.1.2.3", "private"), ("255.255.255.255", "reserved"),
    ("100.100.100.200", "not globally routable"),  # Alibaba's metadata service (CGNAT space)
    ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "link-local"), ("::ffff:192.168.1.1", "private"),
    ("::127.0.0.1", "reserved"),  # IPv4-compatible (deprecated)
    ("64:ff9b::7f00:1", "reserved"), ("64:ff9b::a9fe:a9fe", "reserved"),  # NAT64 of loopback / metadata
    ("2002:7f00:1::", "loopback"), ("2002:a9fe:a9fe::1", "link-local"), ("2002:a00:1::", "private"),  # 6to4
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "private"),  # Teredo
    ("fec0::1", "site-local"), ("fc00::1", "private"), ("fd12:3456::1", "private"), ("fe80::1", "link-local"),
    ("ff02::1", "multicast"), ("::", "unspecified"), ("100::1", "reserved"),  # discard-only
])
def test_every_non_public_address_category_is_refused(address, problem):
    assert address_problem(address) == problem


@pytest.mark.parametrize("address", ["81.2.69.160", "::ffff:81.2.69.160", "2a00:1450:4009:81f::200e",
                                     "2002:5102:45a0::1"])  # 6to4 of a public address
def test_public_addresses_still_pass(address):
    assert address_problem(address) is None


def answers(*addresses: str):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]

    return resolve


@pytest.mark.parametrize("addresses,bad", [
    (("2a00:1450:4009:81f::200e", "::1"), "::1"),
    (("81.2.69.160", "fe80::1"), "fe80::1"),
    (("2a00:1450:4009:81f::200e", "169.254.169.254"), "169.254.169.254"),
    (("81.2.69.160", "::ffff:127.0.0.1"), "::ffff:127.0.0.1"),
    (("81.2.69.160", "2002:7f00:1::"), "2002:7f00:1::"),
])
def test_any_private_answer_among_public_ones_refuses_the_name(addresses, bad):
    with pytest.raises(AddressRefused, match=re.escape(bad)):
        resolve_checked("council.example", 443, resolve=answers(*addresses), allow_private=False)


class NoResolver:
    """Fails the test if the fetcher ever looks a name up."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, host, *args, **kwargs):
        self.asked.append(host)
        raise AssertionError(f"looked up {host!r}")


def fetcher(resolve, allowed=("council.example",), private=()) -> Fetcher:
    settings = FetchSettings(user_agent="searchsvc-test (+https://example.org)", requests_per_second=0,
                             max_retries=0, respect_robots=False, allowed_hosts=frozenset(allowed),
                             allow_private=frozenset(private))
    return Fetcher(settings, resolve=resolve)


@pytest.mark.parametrize("url", [
    "http://council.example@127.0.0.1/mgListCommittees.aspx",  # userinfo: the host is 127.0.0.1
    "http://127.0.0.1#@council.example/", "http://127.0.0.1?@council.example/",
    "http://council.example.evil.example/", "http://council.example./", "http://[::1]/", "http://2130706433/",
    "http://0x7f.1/", "http://169.254.169.254/latest/meta-data/", "http://localhost/", "ftp://council.example/",
    "http://counc\u0131l.example/",
])
def test_hosts_not_in_the_configuration_are_refused_before_any_lookup(url):
    resolve = NoResolver()
    with pytest.raises(FetchError, match=r"refused"):
        fetcher(resolve).get(url)
    assert resolve.asked == []


def test_a_backslash_before_the_at_sign_goes_to_the_configured_host_consistently():
    """WHATWG parsers read ``http://127.0.0.1\\@council.example/`` as host 127.0.0.1, Python's as
    council.example. What matters is that the guard checks, and the fetcher connects to, the
    same host: the configured one, looked up and checked like any other."""
    asked = []

    def resolve(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror("no such host in this test")

    with pytest.raises(FetchError, match="host not found"):
        fetcher(resolve).get("http://127.0.0.1\\@council.example/")
    assert asked == ["council.example"]


def test_allow_private_is_per_host():
    """A test source allowed to be local does not let another configured source be local."""
    f = fetcher(answers("10.0.0.7"), allowed=("local.test", "council.example"), private=("local.test",))
    with pytest.raises(FetchError, match=r"council.example resolves to 10.0.0.7 \(private address\)"):
        f.get("http://council.example/mgListCommittees.aspx")
    assert f.stats.requests == 0


# --- the admin token -------------------------------------------------------------------------------

TOKEN = "s3cret-admin-token-0123456789"


@pytest.fixture
def admin(data_dir, monkeypatch):
    """An admin-enabled app and a log of every hmac.compare_digest call the request makes."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)

    def client_for(token: str):
        app, client = make_client(data_dir, admin_token=token)
        return client

    return client_for, calls


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Bearer wrong", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x",
    f"Bearer {TOKEN * 40}", f"Basic {TOKEN}", f"bearer {TOKEN}", f"Bearer  {TOKEN[1:]}", "Bearer tökén-ü",
    "Bearer \u00ff" * 20, f"Bearer {TOKEN.upper()}",
])
def test_wrong_tokens_are_refused_with_401_and_compared_in_constant_time(admin, header):
    client_for, calls = admin
    client = client_for(TOKEN)
    headers = {} if header is None else {"Authorization": header}
    response = client.post("/admin/run/no-such-job", headers=headers)
    assert response.status_code == 401, response.get_data(as_text=True)[:300]
    assert len(calls) == 1 and calls[0][1] == TOKEN.encode()  # compared, whatever the length


def test_the_right_token_passes_the_check(admin):
    client_for, calls = admin
    response = client_for(TOKEN).post("/admin/run/no-such-job", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404 and "no job" in response.get_data(as_text=True)  # past the token check
    assert calls == [(TOKEN.encode(), TOKEN.encode())]


def test_a_non_ascii_token_works_as_a_client_sends_it(admin):
    """HTTP carries bytes; WSGI hands them over as latin-1 text. A token with "é" sent by curl as
    UTF-8 must match the same token in the configuration."""
    client_for, _ = admin
    token = "clé-secrète-✓-42"
    client = client_for(token)
    on_the_wire = token.encode("utf-8").decode("latin-1")
    assert client.post("/admin/run/no-such-job", headers={"Authorization": f"Bearer {on_the_wire}"}).status_code == 404
    assert client.post("/admin/run/no-such-job", headers={"Authorization": "Bearer clé"}).status_code == 401


# --- the search rate limit -------------------------------------------------------------------------

LIMIT = 3


@pytest.fixture
def limited(data_dir):
    app, client = make_client(data_dir, rate_limit_per_minute=LIMIT)

    def get(address: str, url: str = f"/api/search?q={evil.WORD}", **headers):
        return client.get(url, environ_base={"REMOTE_ADDR": address}, headers=headers)

    time_left_in_the_minute()
    yield get
    app.extensions["searchsvc"].close()


def test_each_client_gets_its_own_budget_and_a_429_with_retry_after(limited):
    assert [limited("10.0.0.1").status_code for _ in range(LIMIT)] == [200] * LIMIT
    over = limited("10.0.0.1")
    assert over.status_code == 429 and 1 <= int(over.headers["Retry-After"]) <= 60
    assert over.get_json()["status"] == 429 and "a minute" in over.get_json()["error"]
    html = limited("10.0.0.1", f"/search?q={evil.WORD}")
    assert html.status_code == 429 and html.mimetype == "text/html" and int(html.headers["Retry-After"]) >= 1
    for url in ("/search.csv?q=x", "/search.atom?q=x", "/trends?q=x", "/api/trends?q=x"):
        assert limited("10.0.0.1", url).status_code == 429, url  # one budget for every search route
    assert [limited("10.0.0.2").status_code for _ in range(LIMIT)] == [200] * LIMIT  # others unaffected
    assert limited("10.0.0.1", f"/items/evil:item:{evil.ITEM_IDS[0]}").status_code == 200  # pages are not limited
    assert limited("10.0.0.1", "/status").status_code == 200


def test_x_forwarded_for_is_not_trusted(limited):
    """A client cannot buy a fresh budget by inventing a proxy header, nor spend another's."""
    for n in range(LIMIT):
        assert limited("10.0.0.3", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code == 200
    assert limited("10.0.0.3", **{"X-Forwarded-For": "203.0.113.99"}).status_code == 429
    for _ in range(LIMIT):  # 10.0.0.4 names 10.0.0.5 as its origin: charged to 10.0.0.4
        assert limited("10.0.0.4", **{"X-Forwarded-For": "10.0.0.5", "X-Real-IP": "10.0.0.5"}).status_code == 200
    assert limited("10.0.0.5").status_code == 200


@pytest.mark.parametrize("variant", ["/api/search/", "//api/search", "/api//search", "/API/search", "/api/search.json",
                                     "/api/./search", "/api/search%2F", "/search/", "/search.CSV"])
def test_path_variants_are_no_way_round_the_limit(limited, variant):
    for _ in range(LIMIT):
        assert limited("10.0.0.6").status_code == 200
    response = limited("10.0.0.6", f"{variant}?q={evil.WORD}")
    assert response.status_code in (301, 308, 404, 429), (variant, response.status_code)
    if response.status_code in (301, 308):  # a redirect to the canonical path, which is limited
        target = response.headers["Location"]
        assert limited("10.0.0.6", target).status_code in (404, 429), (variant, target)


def test_the_budget_comes_back_after_the_minute():
    from flask import Flask

    now = [120.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    app = Flask(__name__)

    def check(address: str) -> bool:
        with app.test_request_context("/api/search", environ_base={"REMOTE_ADDR": address}):
            try:
                limiter.check()
                return True
            except Exception as error:  # noqa: BLE001 - TooManyRequests
                assert getattr(error, "code", None) == 429
                return False

    assert [check("a"), check("a"), check("a"), check("b")] == [True, True, False, True]
    now[0] = 179.9  # the same minute: still refused
    assert check("a") is False
    now[0] = 180.1  # the next minute
    assert check("a") is True
