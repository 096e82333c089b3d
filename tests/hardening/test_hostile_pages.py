"""Hostile pages and documents: every page parser and the PDF extractor, over random and mutated
input, either return a result or raise ParseError naming the URL (and the reason) — never
another exception, never a hang.

Pages come from the sample council (every kind the crawler stores, HTML and web-service XML)
and, when present, the saved Kingston and Manchester pages of the shared corpus. Hypothesis
(derandomized) mutates them the ways a broken or hostile server would: truncated anywhere, tags
deleted, duplicated or nested thousands deep, ids and dates replaced by nonsense, random bytes,
a wrong encoding (UTF-16, cp1252, UTF-32, a stray BOM, text given as ``str``), odd character
references. PDFs: truncated, zero-length, random bytes, encrypted (RC4 with a password; AES,
which pypdf cannot read without the optional ``cryptography`` package), thousands of pages, a
page tree that loops or nests too deep, a decompression bomb, and a page of 300,000 drawing
operations compressed into a few kilobytes.
"""

from __future__ import annotations

import io
import re
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.moderngov import classify, parse_page
from crawler.pdf import pdf_text
from searchsvc.catalog import Catalog
from searchsvc.errors import ParseError
from searchsvc.sample import SampleSite
from searchsvc.sample.pdf import pdf_file, text_pdf
from tests.crawler.test_parse_golden import CASES
from tests.jobs.sample_helpers import crawl

SLOW = 5.0  # seconds one parse may take, hostile input included

# XML fed to an HTML parser (a web-service answer at a page's URL) is one of the mutations.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
PER_KIND = 3  # sample pages of each kind


# --- the pages ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory) -> list[tuple[str, bytes, dict]]:
    """A few stored pages of every kind from a crawl of a small sample council, plus its
    web-service answers."""
    data = tmp_path_factory.mktemp("hostile-pages")
    with SampleSite(seed=21, size=0.01) as site:  # HTML only: the crawl walks the pages
        with Catalog.in_dir(data) as catalog:
            crawl(site, catalog, data)
            by_kind: dict[str, list[tuple[str, bytes, dict]]] = {}
            for page in catalog.pages():
                if page.status == 200 and len(by_kind.setdefault(classify(page.url), [])) < PER_KIND:
                    by_kind[classify(page.url)].append((page.url, page.body, {}))
        site.webservice = True  # now answer mgWebService.asmx too
        meeting = site.meetings()[-1]
        for target, context in (("mgWebService.asmx/GetCommittees", {}),
                                (f"mgWebService.asmx/GetMeetings?lCommitteeId={meeting.committee_id}", {}),
                                (f"mgWebService.asmx/GetMeeting?lMeetingId={meeting.meeting_id}",
                                 {"committee_id": str(meeting.committee_id), "committee_name": meeting.committee_name})):
            answer = site.page(site.base_path + target)
            if answer is not None:
                by_kind.setdefault(classify(site.url(target)), []).append((site.url(target), answer.body, context))
    pages = [p for group in by_kind.values() for p in group]
    kinds = {classify(url) for url, _, _ in pages}
    assert {"committee_list", "committee", "meeting_list", "meeting", "item", "attendance"} <= kinds, kinds
    return pages


@pytest.fixture(scope="module")
def corpus_pages(corpus) -> list[tuple[str, bytes, dict]]:
    pages = []
    for _name, relative, url, kwargs in CASES:
        path = corpus / relative
        if path.is_file():
            pages.append((url, path.read_bytes(), {k: v for k, v in kwargs.items() if k != "source"}))
    if not pages:
        pytest.skip(f"no saved Kingston/Manchester pages under {corpus}")
    return pages


# --- mutations ------------------------------------------------------------------------


def _positions(body: bytes, needle: bytes) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), body)] or [0]


def _at(x: float, n: int) -> int:
    return min(int(x * n), max(n - 1, 0))


def mutate(body: bytes, kind: str, x: float, y: float, blob: bytes) -> bytes | str:
    n = len(body)
    if kind == "truncate":
        return body[: int(x * n)]
    if kind == "delete_tag":
        starts = _positions(body, b"<")
        start = starts[_at(x, len(starts))]
        end = body.find(b">", start)
        return body[:start] + (body[end + 1 :] if end >= 0 else b"")
    if kind == "duplicate":
        starts = _positions(body, b"<")
        a, b = sorted((starts[_at(x, len(starts))], starts[_at(y, len(starts))]))
        chunk = body[a : b or n][:50_000]
        at = starts[_at((x + y) % 1, len(starts))]
        return body[:at] + chunk * 3 + body[at:]
    if kind == "nest":
        at = _at(x, n)
        depth = 100 + int(y * 20_000)
        tag = blob[:1].lower() if blob[:1].isalpha() else b"div"
        return body[:at] + b"<%s>" % tag * depth + body[at:]
    if kind == "bytes":
        at = _at(x, n)
        return body[:at] + blob + body[at + len(blob) :]
    if kind == "insert":
        return body[: _at(x, n)] + blob + body[_at(x, n) :]
    if kind == "numbers":
        replacement = [b"-1", b"0", b"99999999999999999999999", b"1e9", b"abc", b"", b"\xff\xfe"][_at(y, 7)]
        return re.sub(rb"\d+", lambda m: replacement if (m.start() * 7919 % 97) / 97 < x else m.group(0), body)
    if kind == "dates":
        junk = [b"31 February 2024", b"Thursday, 99th Smarch 20X4", b"00:00 - 99:99", b"2024-13-45", b""][_at(y, 5)]
        return re.sub(rb"\d{1,2}(st|nd|rd|th)? [A-Z][a-z]+ \d{4}", junk, body)
    if kind == "strip_tag":
        names = re.findall(rb"<([a-zA-Z][a-zA-Z0-9]*)", body) or [b"div"]
        name = names[_at(x, len(names))]
        return re.sub(rb"</?" + name + rb"\b[^>]*>", b"", body)
    if kind == "encoding":
        text = body.decode("utf-8", "replace")
        codec = ["utf-16", "utf-16-be", "cp1252", "utf-32", "latin-1", "shift_jis", "str", "bom+cp1252"][_at(x, 8)]
        if codec == "str":
            return text[: _at(y, len(text) + 1)] + "\ud800\x00" + text[_at(y, len(text) + 1):]  # a lone surrogate
        if codec == "bom+cp1252":
            return b"\xef\xbb\xbf" + text.encode("cp1252", "replace")
        return text.encode(codec, "replace")
    if kind == "entities":
        refs = [b"&#0;", b"&#xD800;", b"&#99999999999;", b"&#x110000;", b"&notanentity", b"&#;", b"&#x;", b"&amp"]
        at = _at(x, n)
        return body[:at] + refs[_at(y, len(refs))] * 50 + body[at:]
    if kind == "swap":
        a, b = sorted((_at(x, n), _at(y, n)))
        mid = (a + b) // 2
        return body[:a] + body[mid:b] + body[a:mid] + body[b:]
    raise AssertionError(kind)


KINDS = ["truncate", "delete_tag", "duplicate", "nest", "bytes", "insert", "numbers", "dates", "strip_tag",
         "encoding", "entities", "swap"]
MUTATION = st.tuples(st.sampled_from(KINDS), st.floats(0, 1), st.floats(0, 1), st.binary(max_size=40))


def parses_or_refuses(body: bytes | str, url: str, context: dict) -> None:
    """The property: a result, or ParseError whose message names the URL; quickly."""
    started = time.perf_counter()
    try:
        parse_page(body, url, source="hostile", **context)
    except ParseError as error:
        assert url in str(error), f"ParseError without the URL: {error}"
    finally:
        assert time.perf_counter() - started < SLOW, (url, f"{time.perf_counter() - started:.1f} s")


def hostile(pages_fixture: str, examples: int, name: str):
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(request, data):
        pages = request.getfixturevalue(pages_fixture)
        url, body, context = data.draw(st.sampled_from(pages), label="page")
        mutations = data.draw(st.lists(MUTATION, min_size=1, max_size=3), label="mutations")
        for kind, x, y, blob in mutations:
            body = mutate(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"), kind, x, y, blob)
        parses_or_refuses(body, url, context)

    check.__name__ = check.__qualname__ = name  # its own name, so Hypothesis derives its own examples
    return check


test_mutated_sample_pages_parse_or_fail_with_the_url = hostile(
    "sample_pages", 400, "test_mutated_sample_pages_parse_or_fail_with_the_url")
test_mutated_corpus_pages_parse_or_fail_with_the_url = hostile(
    "corpus_pages", 200, "test_mutated_corpus_pages_parse_or_fail_with_the_url")


URLS = ["https://x.example/mgCommitteeStructure.aspx", "https://x.example/mgListCommittees.aspx",
        "https://x.example/mgCommitteeDetails.aspx?ID=1", "https://x.example/ieListMeetings.aspx?CId=1&Year=0",
        "https://x.example/ieListDocuments.aspx?CId=1&MId=2", "https://x.example/mgAi.aspx?ID=3",
        "https://x.example/mgMeetingAttendance.aspx?ID=2", "https://x.example/mgWebService.asmx/GetCommittees",
        "https://x.example/mgWebService.asmx/GetMeetings?lCommitteeId=1",
        "https://x.example/mgWebService.asmx/GetMeeting?lMeetingId=2", "https://x.example/documents/s1/x.pdf",
        "https://x.example/somewhere/else.aspx"]
MARKUP = st.lists(st.sampled_from(list('<>/="\' &;#abdivpsantrhlmo0123456789') +
                                  ["<div id=modgov>", "</div>", "<table>", "<tr>", "<td>", "<a href=",
                                   "<h2 class=mgSubTitleTxt>", "<li>", "<![CDATA[", "<?xml ", "<!--",
                                   "<committees>", "<meeting>", "<string>", "&lt;", "ieListDocuments.aspx?MId=",
                                   "<span class=mgSubItemTitleTxt>Minutes:</span>", "<div class=mgWordPara>"]),
                  max_size=120).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(url=st.sampled_from(URLS), body=st.one_of(st.binary(max_size=2000), MARKUP, MARKUP.map(str.encode)))
def test_random_pages_parse_or_fail_with_the_url(url, body):
    parses_or_refuses(body, url, {})


# --- PDFs ---------------------------------------------------------------------------------

MINUTES = text_pdf(["Printed minutes of the Planning Committee.",
                    "Councillor Reed asked about the parking survey; the committee noted the report."] * 20)


def refused(data: bytes, reason: str = "", **limits) -> ParseError:
    started = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        pdf_text(data, url="https://x.example/documents/s9/report.pdf", **limits)
    assert time.perf_counter() - started < SLOW
    message = str(caught.value)
    assert "https://x.example/documents/s9/report.pdf" in message and reason in message, message
    return caught.value


def text_or_refused(data: bytes, **limits) -> str | None:
    started = time.perf_counter()
    try:
        return pdf_text(data, url="https://x.example/documents/s9/report.pdf", **limits)
    except ParseError as error:
        assert "https://x.example/documents/s9/report.pdf" in str(error)
        return None
    finally:
        assert time.perf_counter() - started < SLOW, f"{time.perf_counter() - started:.1f} s"


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def _one_page(content: bytes, pages: bytes = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>") -> bytes:
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", pages,
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                     b"/Resources << /Font << /F1 5 0 R >> >> >>",
                     _stream(content), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(MINUTES))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_readable_pdf_gives_its_text():
    assert "Councillor Reed asked about the parking survey" in pdf_text(MINUTES, url="u")


@pytest.mark.parametrize("data,reason", [(b"", "not a PDF"), (b"   ", "not a PDF"), (b"<html>oops</html>", "not a PDF"),
                                         (b"%PDF", "unreadable PDF"), (b"%PDF-1.7\n" + b"\0" * 1000, "unreadable PDF")])
def test_empty_and_non_pdf_bodies_are_refused_with_a_reason(data, reason):
    refused(data, reason)


def test_a_password_protected_pdf_is_refused():
    refused(_encrypted("secret"), "encrypted with a password")


def test_an_owner_password_only_pdf_is_read():
    assert "parking survey" in pdf_text(_encrypted(""), url="u")


def test_an_aes_encrypted_pdf_is_refused_not_a_crash():
    """AES (what Word's "restrict editing" writes) needs the optional 'cryptography' package in
    pypdf; without it pypdf raises DependencyError, which is not a PyPdfError — it used to escape
    pdf_text and make the crawl drop the whole meeting the PDF belonged to."""
    data = _encrypted("").replace(b"/V 2", b"/V 4").replace(b"/R 3", b"/R 4").replace(
        b"/Filter /Standard", b"/Filter /Standard /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV2 /Length 16 >> >> "
                              b"/StmF /StdCF /StrF /StdCF")
    try:
        import cryptography  # noqa: F401
    except ImportError:
        refused(data, "encrypted")
    else:
        text_or_refused(data)


@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_pdfs_are_refused_or_read(fraction):
    text_or_refused(MINUTES[: int(len(MINUTES) * fraction)])


def test_thousands_of_pages_stay_within_the_page_cap():
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3000):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    assert text_or_refused(out.getvalue()) == ""


@pytest.mark.parametrize("pages", [
    b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>",  # a page count that lies
    b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",  # a page tree containing itself
    b"<< /Type /Pages /Kids [3 0 R 3 0 R 3 0 R] /Count -5 >>",
], ids=["huge-count", "cycle", "negative-count"])
def test_lying_page_trees_are_refused_or_read(pages):
    text_or_refused(_one_page(b"BT /F1 10 Tf 56 786 Td (Minutes) Tj ET", pages))


def test_a_page_tree_thousands_deep_is_refused():
    kids = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1) for n in range(2, 3000)]
    refused(pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", *kids,
                      b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 3001 0 R >>", _stream(b"BT (x) Tj ET")]))


def test_a_decompression_bomb_is_refused_quickly():
    refused(_one_page(b"BT /F1 10 Tf (x) Tj ET" + b" " * 200_000_000), "unreadable PDF")


def test_a_page_of_endless_drawing_operations_is_skipped():
    """300,000 text operations (~2 MB decoded, 10 KB compressed) took pypdf ~4 s for one page."""
    data = _one_page(b"BT /F1 10 Tf " + b"(a) Tj " * 300_000 + b"ET")
    assert len(data) < 50_000
    assert text_or_refused(data) == ""


def test_extraction_stops_at_its_time_budget():
    """200 pages of 20,000 operations each (~0.25 s a page): cut off once the budget is spent."""
    n = 200
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (n + 3, n + 4))
    kids = b" ".join(b"%d 0 R" % (k + 3) for k in range(n))
    data = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
                     *[page] * n, _stream(b"BT /F1 10 Tf 56 786 Td (A page of the reports pack) Tj " +
                                          b"(b) Tj " * 20_000 + b"ET"),
                     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])
    started = time.perf_counter()
    text = pdf_text(data, url="u", max_seconds=0.5)
    assert time.perf_counter() - started < 2.5
    assert 0 < text.count("reports pack") < n


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(data=st.one_of(st.binary(max_size=3000), st.binary(max_size=3000).map(lambda b: b"%PDF-1.4\n" + b)),
       cut=st.floats(0, 1), noise=st.binary(min_size=1, max_size=64))
def test_random_and_corrupted_pdfs_never_crash(data, cut, noise):
    text_or_refused(data)
    at = int(cut * len(MINUTES))
    text_or_refused(MINUTES[:at] + noise + MINUTES[at + len(noise):])


@pytest.mark.parametrize("declaration", ['encoding="utf--1"', 'encoding="x-no-such-codec"', 'encoding="utf-16"',
                                         'version="9.9"', 'standalone="maybe"'])
def test_a_web_service_answer_with_a_nonsense_xml_declaration_is_refused(declaration):
    """An unknown encoding made ElementTree raise LookupError, which escaped the parser."""
    body = f'<?xml version="1.0" {declaration}?><committees></committees>'.encode()
    parses_or_refuses(body, URLS[7], {})


def test_xml_entity_expansion_is_refused_quickly():
    """The "billion laughs": ten levels of ten entities each would expand to gigabytes."""
    entities = '<!ENTITY e0 "laugh">' + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE committees [{entities}]><committees><committee>' \
           f'<committeetitle>&e9;</committeetitle></committee></committees>'
    parses_or_refuses(bomb.encode(), URLS[7], {})


def _wrapped(payload: str, levels: int) -> str:
    """``payload`` inside ``levels`` nested ``<string>`` elements, each escaping the one inside."""
    def escaped(text: str, times: int) -> str:
        for _ in range(times):
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text
    opening = "".join(escaped("<string>", n) for n in range(levels))
    closing = "".join(escaped("</string>", n) for n in reversed(range(levels)))
    return opening + escaped(payload, levels) + closing


def test_a_web_service_answer_wrapped_once_is_read():
    committees = parse_page(_wrapped("<committees><committee><committeeid>7</committeeid>"
                                     "<committeetitle>Cabinet</committeetitle></committee></committees>", 1),
                            URLS[7], source="x").committees
    assert [c.name for c in committees] == ["Cabinet"]


def test_a_web_service_answer_wrapped_hundreds_of_times_is_refused():
    """Each level is parsed again; 300 levels would cost O(n²) and end in a RecursionError."""
    started = time.perf_counter()
    with pytest.raises(ParseError, match="more than twice"):
        parse_page(_wrapped("<committees/>", 300), URLS[7], source="x")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("kind", ["meeting", "item", "committee", "attendance"])
def test_a_page_nested_thousands_of_elements_deep_is_read(sample_pages, kind):
    """The text walkers were recursive: 1,000 nested elements ended in RecursionError, which is not
    a ParseError, so the crawl of the whole council stopped on one page."""
    url, body, context = next(p for p in sample_pages if classify(p[0]) == kind)
    at = body.index(b'<div id="modgov"') if b'<div id="modgov"' in body else body.index(b"<body")
    at = body.index(b">", at) + 1
    deep = body[:at] + b"<div><span>" * 5000 + b"deep text" + b"</span></div>" * 5000 + body[at:]
    started = time.perf_counter()
    result = parse_page(deep, url, source="hostile", **context)
    assert result is not None and time.perf_counter() - started < SLOW


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                  "java\tscript:alert(1)", "jav&#x09;ascript:alert(1)", "data:text/html,<b>x</b>",
                                  "vbscript:msgbox(1)"])
def test_script_urls_in_document_links_are_dropped(href):
    from bs4 import BeautifulSoup

    from crawler.moderngov.documents import document_from_link

    link = BeautifulSoup(f'<a href="{href}">Report pack</a>', "html.parser").a
    assert document_from_link(link, "https://x.example/") is None
    ok = BeautifulSoup('<a href="documents/s1/Report.pdf">Report</a>', "html.parser").a
    assert document_from_link(ok, "https://x.example/").url == "https://x.example/documents/s1/Report.pdf"


def test_xml_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (f'<?xml version="1.0"?><!DOCTYPE committees [<!ENTITY x SYSTEM "file://{secret}">]>'
            f"<committees><committee><committeeid>1</committeeid><committeetitle>&x;</committeetitle>"
            f"</committee></committees>").encode()
    try:
        result = parse_page(body, URLS[7], source="x")
    except ParseError as error:
        assert "TOP-SECRET" not in str(error)
    else:
        assert "TOP-SECRET" not in repr(result)
