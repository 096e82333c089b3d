"""Hostile search requests: ≥ 10,000 generated requests against the Flask app, never a 500,
never slow.

Hypothesis (derandomized, so every run sends the same requests) builds batches of 20 requests
from a grammar of the documented query syntax gone wrong — unbalanced quotes and brackets,
dangling operators, unknown and empty fields, wildcards in odd places, ``~`` and ``^`` with
odd numbers, markup, control characters, surrogate-free unicode, very long words — plus random
text, and mixes them with every search parameter (known and unknown, repeated, empty,
out-of-range, malformed dates and numbers) on every route that takes them: HTML, JSON, Atom,
CSV, trends and speaker pages. Each answer must be 200 or 400 (404 for unknown speakers; HTML
pages may redirect to their canonical URL), in
the route's own shape, within 2 s. (tests/web/test_web_errors.py checks the exact messages of
known bad parameters; this file checks that nothing at all gets through to a 500.)
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchsvc.web import create_app
from tests.web import sampledata

BATCH = 20  # requests per generated example
EXAMPLES = 510  # 510 × 20 = 10,200 requests
SLOW = 2.0  # seconds: no request may take longer

WORDS = ["foster", "care", "budget", "savings", "council", "meals", "chips", "parking", "Reed", "Crute",
         "teenagers", "apologies", "transport", "the", "a", "of", "zzzz", "fostering", "budgets", "Tolworth"]
FIELDS = ["speaker", "committee", "topic", "title", "source", "year", "body", "id", "", "Speaker", "x_y"]
ODD = ["\x00", "\x07", "\u200b", "\ufeff", "\u202e", "é", "€", "𝔘", "中文", "\\", "/", "%", "%00", "&", "#",
       "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'", '"', "`", "${x}", "{{7*7}}",
       "../..", "NULL", "*", "?", "~", "^", "!", "+", "-", ":", "(", ")", "[", "]", "{", "}", "|", "&&", "||",
       "AND", "OR", "NOT", "and", "or", "not", "TO", "\n", "\t", "\r\n"]


@st.composite
def query(draw) -> str:
    """Query text: pieces of the documented syntax, mis-assembled on purpose."""
    word = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12),
                     st.sampled_from(WORDS).map(lambda w: w * 40))
    piece = st.one_of(
        word,
        st.sampled_from(ODD),
        word.map(lambda w: f'"{w}'),  # unclosed phrase
        st.tuples(word, word).map(lambda p: f'"{p[0]} {p[1]}"'),
        st.tuples(word, word, st.integers(-5, 10**6)).map(lambda p: f'"{p[0]} {p[1]}"~{p[2]}'),
        st.tuples(word, st.sampled_from(["*", "**", "?", "*?*"])).map("".join),
        st.tuples(st.sampled_from(["*", "?"]), word).map("".join),
        st.tuples(st.sampled_from(FIELDS), word).map(lambda p: f"{p[0]}:{p[1]}"),
        st.tuples(st.sampled_from(FIELDS), word).map(lambda p: f'{p[0]}:"{p[1]}'),
        st.tuples(st.sampled_from(FIELDS), st.just("")).map(lambda p: f"{p[0]}:"),
        word.map(lambda w: f"-{w}"),
        word.map(lambda w: f"{w}^{len(w)}"),
        st.sampled_from(["(", ")", "((", "))", "()", "( )", '""', '"', "--", "- -"]),
        st.sampled_from(["AND", "OR", "NOT", "AND NOT", "OR OR", "NOT NOT NOT"]),
    )
    if draw(st.booleans()):  # half the time: well-formed syntax, so the searches themselves run
        good = st.sampled_from(WORDS)
        piece = st.one_of(
            good, good, good.map(lambda w: f"{w}*"), good.map(lambda w: f"-{w}"),
            st.tuples(good, good).map(lambda p: f'"{p[0]} {p[1]}"'),
            st.tuples(good, good, st.integers(1, 200)).map(lambda p: f'"{p[0]} {p[1]}"~{p[2]}'),
            st.tuples(st.sampled_from(["speaker", "committee", "topic", "title"]), good).map(":".join),
            st.tuples(st.sampled_from(["OR", "AND", "NOT"]), good).map(" ".join),
            st.tuples(good, good).map(lambda p: f"({p[0]} OR {p[1]})"),
        )
        return " ".join(draw(st.lists(piece, min_size=1, max_size=6)))
    pieces = draw(st.lists(piece, max_size=12))
    joiner = draw(st.sampled_from([" ", "", "  ", "\t"]))
    text = joiner.join(pieces)
    return draw(st.sampled_from([text, text, text, "(" * 50 + text + ")" * 50, text[:3], text * 20]))


PARAMS = ["q", "committee", "speaker", "topic", "year", "source", "from", "to", "sort", "page", "per_page",
          "procedural", "since", "utm_source", "colour", "Q", "q[]", "", "page ", "since%00"]
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "0", "-1", "1", "2", "99", "100", "101", "1000", "1001", "10000", "1e3", "0x10",
                     "1.5", "٣", "99999999999999999999", "2019", "0000", "9999", "2019-02-29", "2020-02-29",
                     "2017-13-01", "2017-1-1", "2017-07-10T00:00", "newest", "oldest", "relevance", "NEWEST",
                     "show", "hide", "Councillor Jan Reed", "Reed", "budget", "Planning Committee", "kingston",
                     "x" * 201, "x" * 5000, "\x00", "<b>", "'; DROP TABLE items; --"]),
)
PLAUSIBLE = [("committee", "Planning Committee"), ("committee", "No Such Committee"), ("speaker", "Reed"),
             ("speaker", "Councillor Ann Smith"), ("speaker", "Nobody"), ("topic", "budget"), ("topic", "children"),
             ("year", "2019"), ("year", "1999"), ("source", "kingston"), ("from", "2018-01-01"),
             ("to", "2019-12-31"), ("sort", "newest"), ("sort", "oldest"), ("page", "2"), ("page", "1000"),
             ("per_page", "1"), ("per_page", "100"), ("procedural", "show"), ("since", "0"), ("since", "999")]
PATHS = ["/api/search", "/search", "/search.atom", "/search.csv", "/trends", "/api/trends",
         "/speakers/Councillor Jan Reed", "/api/speakers/Councillor Jan Reed", "/speakers/Nobody At All"]


@st.composite
def params(draw) -> list[tuple[str, str]]:
    if draw(st.booleans()):  # half the time: plausible parameters, so the filters themselves run
        return draw(st.lists(st.sampled_from(PLAUSIBLE), max_size=4))
    args = draw(st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=4))
    if draw(st.integers(0, 19)) == 0:  # many values of one facet
        facet = draw(st.sampled_from(["committee", "speaker", "topic", "year"]))
        args += [(facet, str(i)) for i in range(draw(st.integers(40, 60)))]
    return args


def requests_for(q: str, extra: list[list[tuple[str, str]]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """One generated query and three generated parameter sets → 20 requests over every route
    (generating each request separately costs Hypothesis more time than sending it)."""
    with_q = [("q", q)]
    batch = [(path, with_q) for path in PATHS]
    batch += [(path, with_q + args) for args in extra for path in ("/api/search", "/search", "/api/trends")]
    batch += [("/search.csv", with_q + extra[0]), ("/search.atom", extra[1])]
    return batch


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data_dir = sampledata.build(tmp_path_factory.mktemp("hostile"))
    app = create_app(sampledata.config(data_dir), {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    yield app.test_client()
    app.extensions["searchsvc"].close()


def check(client, path: str, args: list[tuple[str, str]]) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path, query_string=args)
    seconds = time.perf_counter() - started
    allowed = (200, 400, 404) if path.startswith(("/speakers/", "/api/speakers/")) else (200, 400)
    if not path.startswith("/api/"):
        allowed += (302,)  # an HTML page redirects to its URL without the arguments it does not read
    if path.startswith(("/speakers/", "/api/speakers/")):
        allowed += (301,)  # a short name that means one person goes to that person's page
    body = response.get_data(as_text=True)
    assert response.status_code in allowed, (path, args, response.status_code, body[:500])
    assert seconds < SLOW, (path, args, f"{seconds:.2f} s")
    if path.startswith("/api/"):
        data = response.get_json()
        assert data["ok"] is (response.status_code == 200), (path, args, body[:300])
        if response.status_code != 200:
            assert data["status"] == response.status_code and data["error"], (path, args, body[:300])
    elif response.status_code == 200:
        expected = {".atom": "application/atom+xml", ".csv": "text/csv"}.get(Path(path).suffix, "text/html")
        assert response.mimetype == expected, (path, response.mimetype)
    return seconds, response.status_code


def test_ten_thousand_hostile_requests_never_500_and_never_slow(client):
    timings: list[float] = []
    statuses: Counter[int] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(q=query(), extra=st.lists(params(), min_size=3, max_size=3))
    def batch_of_requests(q, extra):
        batch = requests_for(q, extra)
        assert len(batch) == BATCH
        for path, args in batch:
            seconds, status = check(client, path, args)
            timings.append(seconds)
            statuses[status] += 1

    batch_of_requests()
    timings.sort()
    print(f"\n{len(timings)} hostile requests: median {timings[len(timings) // 2] * 1000:.1f} ms, "
          f"p99 {timings[int(len(timings) * 0.99)] * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms; "
          f"statuses {dict(sorted(statuses.items()))}")
    assert len(timings) >= 10_000
    assert statuses[200] >= len(timings) // 5, "the generator must also make searches that run"


@pytest.mark.parametrize("q", ["(" * 400, '"' * 499, "a " * 249, "-" * 500, "*" * 500, "a*" * 250,
                               "NOT " * 125, "speaker:" * 60, "é" * 500, "\U0001d518" * 500,
                               " OR ".join(["x*"] * 100), '"' + "a " * 240 + '"~999999'])
def test_worst_case_queries_at_the_length_limit_are_fast(client, q):
    """Deep nesting, long phrases, many wildcards at the 500-character limit: answered, quickly."""
    for path in ("/api/search", "/search", "/api/trends", "/search.csv"):
        check(client, path, [("q", q), ("procedural", "show")])
