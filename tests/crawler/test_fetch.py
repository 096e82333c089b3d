"""crawler.fetch against a real misbehaving server on 127.0.0.1 (tests/crawler/faultserver.py).

Each test asserts what the *server* saw (request counts, headers), because politeness is about
what reaches the council's machine, not about what our code believes it did. Timing is checked
with an injected clock/sleep (no real waiting) except for one real-time spacing test and the
deadline tests, which are bounded to about a second each. Address-guard tests use a fake
resolver and never connect anywhere but 127.0.0.1.
"""

from __future__ import annotations

import gzip
import logging
import random
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from crawler.fetch import ACCEPT, Fetcher, FetchSettings, Response
from crawler.netguard import AddressRefused, address_problem, resolve_checked
from searchsvc.errors import ConfigError, FetchError

from .faultserver import ETAG, LAST_MODIFIED, OFFSITE, PAGE, FaultServer

# -- fixtures: a live fault server, fake time, and a fetcher whose resolver only knows 127.0.0.1 --
# (kept here rather than in tests/crawler/conftest.py, which holds the parser tests' fixtures)

USER_AGENT = "searchsvc-test/0.1 (+https://example.org/searchsvc/contact)"


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps; records the sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class LocalOnlyResolver:
    """getaddrinfo for 127.0.0.1 only; any other name fails the test loudly (and is recorded),
    so no test can send traffic off this machine."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        self.asked.append(host)
        if host != "127.0.0.1":
            raise AssertionError(f"test tried to resolve {host!r}: no traffic may leave 127.0.0.0/8")
        return socket.getaddrinfo(host, port, *args, **kwargs)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def resolver() -> LocalOnlyResolver:
    return LocalOnlyResolver()


@pytest.fixture
def make_fetcher(fake_time, resolver):
    """``make_fetcher(**settings_overrides)``: fake time, robots off, no rate limit, tiny backoff."""

    def make(*, real_time: bool = False, resolve=None, **overrides) -> Fetcher:
        values = dict(
            user_agent=USER_AGENT,
            requests_per_second=0,
            timeout=2.0,
            max_retries=3,
            backoff_base=0.01,
            max_backoff=1.0,
            max_bytes=100_000,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allow_private=frozenset({"127.0.0.1"}),
            respect_robots=False,
        )
        values.update(overrides)
        timing = {} if real_time else {"clock": fake_time.clock, "sleep": fake_time.sleep}
        return Fetcher(FetchSettings(**values), resolve=resolve or resolver, rng=random.Random(1234), **timing)

    return make


# -- the ordinary path ------------------------------------------------------------------------


def test_get_sends_identifying_headers_and_returns_a_response(server, make_fetcher):
    fetcher = make_fetcher()
    response = fetcher.get(server.url("/page"))

    assert server.paths() == ["/page"]  # robots off here: exactly one request
    seen = server.hits[0].headers
    assert seen["User-Agent"] == fetcher.settings.user_agent
    assert seen["Accept"] == ACCEPT
    assert seen["Accept-Encoding"] == "gzip"
    assert response.status == 200 and response.body == PAGE
    assert response.url == response.requested_url == server.url("/page")
    assert response.etag == ETAG and response.last_modified == LAST_MODIFIED
    assert response.content_type == "text/html" and "Minutes" in response.text
    assert response.fetched_at.tzinfo is not None and response.elapsed >= 0
    assert fetcher.stats.requests == 1 and fetcher.stats.bytes == len(PAGE)


def test_session_segment_is_stripped_before_requesting(server, make_fetcher):
    response = make_fetcher().get(server.url("/(S(xhe05jzjdwiv1tvargp0uh45))/page"))
    assert server.paths() == ["/page"]
    assert response.requested_url == server.url("/page")


@pytest.mark.parametrize("validator", [{"etag": ETAG}, {"last_modified": LAST_MODIFIED}])
def test_conditional_get_returns_304_with_empty_body(server, make_fetcher, validator):
    fetcher = make_fetcher()
    response = fetcher.get(server.url("/page"), **validator)

    assert response.status == 304 and response.not_modified and response.body == b""
    seen = server.hits[0].headers
    assert seen.get("If-None-Match") == validator.get("etag")
    assert seen.get("If-Modified-Since") == validator.get("last_modified")
    assert fetcher.stats.not_modified == 1


def test_stale_validator_gets_the_full_page(server, make_fetcher):
    response = make_fetcher().get(server.url("/page"), etag='"old"')
    assert response.status == 200 and response.body == PAGE


@pytest.mark.parametrize("path,status", [("/gone", 410), ("/nowhere", 404)])
def test_missing_pages_are_answers_not_errors(server, make_fetcher, path, status):
    fetcher = make_fetcher()
    response = fetcher.get(server.url(path))
    assert response.status == status and response.body
    assert server.count(path) == 1 and fetcher.stats.retries == 0 and fetcher.stats.errors == 0


# -- refusals before anything is sent ------------------------------------------------------------


def test_unconfigured_host_is_refused_without_resolving_or_sending(server, make_fetcher, resolver):
    fetcher = make_fetcher(allowed_hosts=frozenset({"democracy.example.gov.uk"}))
    with pytest.raises(FetchError, match="not a configured source host") as caught:
        fetcher.get(server.url("/page"))
    assert caught.value.url == server.url("/page") and server.url("/page") in str(caught.value)
    assert server.hits == [] and resolver.asked == []
    assert fetcher.stats.requests == 0 and fetcher.stats.errors == 1


def test_non_http_scheme_and_malformed_urls_are_refused(make_fetcher):
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.get("file:///etc/passwd")
    with pytest.raises(FetchError, match="not a valid URL"):
        fetcher.get("http://127.0.0.1:99999/page")
    assert fetcher.stats.requests == 0 and fetcher.stats.errors == 2


def test_loopback_is_refused_unless_the_host_is_allowed_private(server, make_fetcher):
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 \(loopback address\)"):
        make_fetcher(allow_private=frozenset()).get(server.url("/page"))
    assert server.hits == []


def test_settings_are_validated_and_hosts_lower_cased():
    with pytest.raises(ConfigError, match="user_agent"):
        FetchSettings(user_agent=" ")
    with pytest.raises(ConfigError, match="max_bytes"):
        FetchSettings(user_agent="x (+https://e.org)", max_bytes=0)
    settings = FetchSettings(user_agent="x (+https://e.org)", allowed_hosts={"Democracy.Example.GOV.uk"})
    assert settings.allowed_hosts == frozenset({"democracy.example.gov.uk"})


# -- address guard (fake resolver, no traffic) --------------------------------------------------


def fake_resolver(*addresses: str):
    def resolve(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    "address,problem",
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fe80::1%eth0", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ],
)
def test_address_problem_names_each_non_public_category(address, problem):
    assert address_problem(address) == problem


def test_public_addresses_pass_the_guard():
    assert address_problem("81.2.69.160") is None and address_problem("2a00:1450:4009:81f::200e") is None
    targets = resolve_checked("council.example", 443, resolve=fake_resolver("81.2.69.160"), allow_private=False)
    assert targets == [(socket.AF_INET, ("81.2.69.160", 443))]


def test_a_name_mixing_public_and_private_answers_is_refused():
    with pytest.raises(AddressRefused, match="10.0.0.7"):
        resolve_checked("council.example", 80, resolve=fake_resolver("81.2.69.160", "10.0.0.7"), allow_private=False)


@pytest.mark.parametrize("address", ["10.0.0.7", "169.254.169.254", "::1"])
def test_fetcher_refuses_private_resolution_before_connecting(make_fetcher, address):
    fetcher = make_fetcher(allowed_hosts=frozenset({"council.example"}), resolve=fake_resolver(address))
    with pytest.raises(FetchError, match=f"council.example resolves to {address}"):
        fetcher.get("http://council.example/mgListCommittees.aspx")
    assert fetcher.stats.requests == 0 and fetcher.stats.retries == 0  # refused, not retried


def test_connection_goes_to_the_checked_address_with_the_real_host_header(server, make_fetcher):
    """DNS-rebinding defence: the fetcher connects to the address it checked (here 127.0.0.1
    from the fake resolver) rather than looking the name up again."""
    resolve = fake_resolver("127.0.0.1")
    fetcher = make_fetcher(
        allowed_hosts=frozenset({"council.example"}), allow_private=frozenset({"council.example"}), resolve=resolve
    )
    response = fetcher.get(f"http://council.example:{server.port}/page")
    assert response.status == 200
    assert server.hits[0].headers["Host"] == f"council.example:{server.port}"


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS fault server whose self-signed certificate names council.example only."""
    if not shutil.which("openssl"):
        pytest.skip("openssl not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=council.example",
         "-addext", "subjectAltName=DNS:council.example"],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with FaultServer(tls=context) as running:
        running.client_context = ssl.create_default_context(cafile=str(cert))
        yield running


@pytest.mark.parametrize("host,ok", [("council.example", True), ("other.example", False)])
def test_https_verifies_the_certificate_against_the_host_name_not_the_pinned_address(tls_server, host, ok):
    settings = FetchSettings(
        user_agent=USER_AGENT, requests_per_second=0, max_retries=2, respect_robots=False,
        allowed_hosts=frozenset({host}), allow_private=frozenset({host}),
    )
    fetcher = Fetcher(settings, resolve=fake_resolver("127.0.0.1"), ssl_context=tls_server.client_context)
    url = tls_server.url("/page", host=host)
    if ok:
        assert fetcher.get(url).body == PAGE
        assert tls_server.hits[0].headers["Host"] == f"{host}:{tls_server.port}"
    else:
        with pytest.raises(FetchError, match="TLS certificate not valid"):
            fetcher.get(url)
        assert tls_server.hits == [] and fetcher.stats.retries == 0  # not retried, nothing sent


# -- robots.txt ------------------------------------------------------------------------------------


ROBOTS = "User-agent: *\nDisallow: /private/\n"


def test_robots_disallowed_url_is_never_requested(server, make_fetcher):
    server.robots = (200, ROBOTS)
    fetcher = make_fetcher(respect_robots=True)
    with pytest.raises(FetchError, match="disallowed by robots.txt") as caught:
        fetcher.get(server.url("/private/secret"))
    assert server.url("/private/secret") in str(caught.value)
    assert fetcher.get(server.url("/page")).status == 200
    assert not fetcher.allowed_by_robots(server.url("/private/other"))
    assert fetcher.allowed_by_robots(server.url("/page"))
    assert server.paths() == ["/robots.txt", "/page"]  # robots fetched once, private never
    assert server.hits[0].headers["User-Agent"] == fetcher.settings.user_agent
    assert fetcher.stats.requests == 2


def test_robots_group_for_our_user_agent_applies(server, make_fetcher):
    server.robots = (200, "User-agent: searchsvc-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    fetcher = make_fetcher(respect_robots=True)
    assert not fetcher.allowed_by_robots(server.url("/page"))


def test_redirect_into_a_disallowed_path_is_refused(server, make_fetcher):
    server.robots = (200, ROBOTS)
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        make_fetcher(respect_robots=True).get(server.url("/redirect-private"))
    assert server.count("/private/secret") == 0


def test_robots_is_fetched_once_when_threads_race(server, make_fetcher):
    server.robots = (200, ROBOTS)
    fetcher = make_fetcher(respect_robots=True)
    threads = [threading.Thread(target=fetcher.get, args=(server.url("/page"),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.count("/robots.txt") == 1 and server.count("/page") == 6


@pytest.mark.parametrize(
    "status,allowed,robots_requests",
    [(404, True, 1), (410, True, 1), (401, False, 1), (403, False, 1), (500, False, 3), (503, False, 3)],
)
def test_robots_status_policy(server, make_fetcher, status, allowed, robots_requests):
    """404/410: no rules. 401/403: robots refused. 5xx: unreachable (after retries) → disallow this run."""
    server.robots = (status, "whatever")
    fetcher = make_fetcher(respect_robots=True, max_retries=2)
    assert fetcher.allowed_by_robots(server.url("/page")) is allowed
    assert fetcher.allowed_by_robots(server.url("/other")) is allowed  # cached
    assert server.count("/robots.txt") == robots_requests
    if not allowed:
        with pytest.raises(FetchError, match="robots.txt"):
            fetcher.get(server.url("/page"))
        assert server.count("/page") == 0


def test_crawl_delay_longer_than_our_interval_is_honoured(server, make_fetcher, fake_time):
    server.robots = (200, "User-agent: *\nCrawl-delay: 3\n")
    fetcher = make_fetcher(respect_robots=True, requests_per_second=2)
    fetcher.get(server.url("/page"))
    fetcher.get(server.url("/other"))
    # robots.txt is read before the page is requested, so both later gaps use the 3 s delay.
    assert fake_time.sleeps == pytest.approx([3.0, 3.0])
    assert server.paths() == ["/robots.txt", "/page", "/other"]


# -- rate limiting ---------------------------------------------------------------------------------


def test_rate_limit_spaces_requests_per_host_with_injected_clock(server, make_fetcher, fake_time):
    fetcher = make_fetcher(requests_per_second=4)
    for _ in range(3):
        fetcher.get(server.url("/page"))
    assert fake_time.sleeps == pytest.approx([0.25, 0.25])
    assert server.count("/page") == 3


def test_unlimited_rate_never_sleeps(server, make_fetcher, fake_time):
    fetcher = make_fetcher(requests_per_second=0)
    for _ in range(3):
        fetcher.get(server.url("/page"))
    assert fake_time.sleeps == []


def test_rate_limit_holds_in_real_time_across_threads(server, make_fetcher):
    """Four threads at once, 10 requests/s: the server sees them ≥ ~100 ms apart."""
    fetcher = make_fetcher(requests_per_second=10, real_time=True)
    started = time.monotonic()
    threads = [threading.Thread(target=fetcher.get, args=(server.url("/page"),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    arrivals = sorted(hit.at for hit in server.hits)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    # spacing is enforced when requests are sent; arrival adds a little scheduling jitter
    assert len(arrivals) == 4 and min(gaps) >= 0.075 and arrivals[-1] - arrivals[0] >= 0.28, gaps
    assert time.monotonic() - started < 2


# -- retries and backoff -----------------------------------------------------------------------------


def test_429_honours_retry_after_then_succeeds(server, make_fetcher, fake_time, caplog):
    fetcher = make_fetcher(max_backoff=10)
    with caplog.at_level(logging.WARNING, logger="crawler.fetch"):
        response = fetcher.get(server.url("/flaky-429"))
    assert response.status == 200
    assert server.count("/flaky-429") == 2
    assert fake_time.sleeps == [3.0]  # Retry-After: 3
    assert fetcher.stats.retries == 1
    assert any("retrying" in r.message and "/flaky-429" in r.message for r in caplog.records)


def test_retry_after_is_capped_at_max_backoff(server, make_fetcher, fake_time):
    make_fetcher(max_backoff=1.0).get(server.url("/flaky-429"))
    assert fake_time.sleeps == [1.0]


def test_retry_after_http_date_is_read_against_injected_now(server, make_fetcher, fake_time):
    now = datetime(2026, 1, 15, 9, 0, 0, tzinfo=timezone.utc)
    server.retry_after_date = (now + timedelta(seconds=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    fetcher = Fetcher(
        make_fetcher(max_backoff=30).settings, clock=fake_time.clock, sleep=fake_time.sleep, now=lambda: now,
        resolve=socket.getaddrinfo,
    )
    response = fetcher.get(server.url("/retry-date"))
    assert response.status == 200 and response.fetched_at == now
    assert fake_time.sleeps == [5.0]


def test_503_twice_then_success_with_exponential_jittered_backoff(server, make_fetcher, fake_time):
    fetcher = make_fetcher(backoff_base=0.01)
    response = fetcher.get(server.url("/flaky-503"))
    assert response.status == 200 and server.count("/flaky-503") == 3
    assert fetcher.stats.retries == 2 and fetcher.stats.requests == 3
    first, second = fake_time.sleeps
    assert 0.005 <= first <= 0.01 and 0.01 <= second <= 0.02  # base·2^n, half of it jittered


def test_backoff_is_capped_at_max_backoff(make_fetcher):
    fetcher = make_fetcher(backoff_base=1.0, max_backoff=4.0)
    assert all(2.0 <= fetcher._backoff(attempt) <= 4.0 for attempt in range(3, 40))


def test_500_forever_gives_up_with_url_status_and_reason(server, make_fetcher, caplog):
    fetcher = make_fetcher(max_retries=3)
    with caplog.at_level(logging.ERROR, logger="crawler.fetch"), pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/always-500"))
    error = caught.value
    assert error.url == server.url("/always-500") and error.status == 500
    assert server.url("/always-500") in str(error) and "after 4 attempts" in str(error) and "HTTP 500" in str(error)
    assert server.count("/always-500") == 4
    assert fetcher.stats.retries == 3 and fetcher.stats.errors == 1
    assert any(r.levelno == logging.ERROR and "/always-500" in r.message for r in caplog.records)


@pytest.mark.parametrize("path,status", [("/forbidden", 403), ("/bad-request", 400)])
def test_other_client_errors_are_not_retried(server, make_fetcher, path, status):
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        fetcher.get(server.url(path))
    assert caught.value.status == status and server.count(path) == 1 and fetcher.stats.retries == 0


@pytest.mark.parametrize("path", ["/reset-once"])
def test_connection_reset_mid_response_is_retried(server, make_fetcher, path):
    fetcher = make_fetcher()
    response = fetcher.get(server.url(path))
    assert response.body == PAGE and server.count(path) == 2 and fetcher.stats.retries == 1


@pytest.mark.parametrize("path", ["/reset", "/truncated"])
def test_connection_always_broken_gives_up(server, make_fetcher, path):
    fetcher = make_fetcher(max_retries=2)
    with pytest.raises(FetchError, match="after 3 attempts") as caught:
        fetcher.get(server.url(path))
    assert caught.value.status is None and server.url(path) in str(caught.value)
    assert server.count(path) == 3


def test_connection_refused_is_retried_then_reported(make_fetcher):
    """A port nobody listens on (bound, then closed) on 127.0.0.1."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    fetcher = make_fetcher(max_retries=1)
    with pytest.raises(FetchError, match="ConnectionRefusedError"):
        fetcher.get(f"http://127.0.0.1:{port}/page")
    assert fetcher.stats.retries == 1


# -- redirects ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path,final", [("/redirect", "/page"), ("/redirect-absolute", "/other")])
def test_redirect_within_the_host_is_followed(server, make_fetcher, path, final):
    fetcher = make_fetcher()
    response = fetcher.get(server.url(path))
    assert response.status == 200 and response.url == server.url(final)
    assert response.requested_url == server.url(path)
    assert server.paths() == [path, final] and fetcher.stats.redirects == 1


def test_offsite_redirect_is_refused_before_connecting(server, make_fetcher, resolver):
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match="example.invalid is not a configured source host") as caught:
        fetcher.get(server.url("/redirect-offsite"))
    assert OFFSITE in str(caught.value) and server.url("/redirect-offsite") in str(caught.value)
    assert resolver.asked == ["127.0.0.1"]  # example.invalid was never even looked up
    assert server.paths() == ["/redirect-offsite"]


def test_redirect_loop_is_refused(server, make_fetcher):
    with pytest.raises(FetchError, match="redirect loop"):
        make_fetcher().get(server.url("/loop-a"))
    assert server.paths() == ["/loop-a", "/loop-b"]


def test_too_many_redirects_are_refused(server, make_fetcher):
    with pytest.raises(FetchError, match="too many redirects"):
        make_fetcher(max_redirects=5).get(server.url("/chain/7"))
    assert server.paths() == [f"/chain/{k}" for k in range(7, 1, -1)]  # the first + 5 followed


def test_exactly_max_redirects_is_fine(server, make_fetcher):
    response = make_fetcher(max_redirects=5).get(server.url("/chain/5"))
    assert response.url == server.url("/chain/0") and len(server.hits) == 6


def test_redirect_without_location_is_an_error(server, make_fetcher):
    with pytest.raises(FetchError, match="without a Location"):
        make_fetcher().get(server.url("/redirect-no-location"))


# -- bodies: size cap, gzip, deadlines, content ------------------------------------------------------


@pytest.mark.parametrize("path", ["/big-length", "/big-chunked", "/big-until-close"])
def test_oversized_bodies_are_refused_without_retry(server, make_fetcher, path):
    fetcher = make_fetcher(max_bytes=50_000)
    with pytest.raises(FetchError, match="limit") as caught:
        fetcher.get(server.url(path))
    assert server.url(path) in str(caught.value)
    assert server.count(path) == 1 and fetcher.stats.retries == 0
    assert fetcher.stats.bytes <= 50_000 + 64 * 1024  # stopped at the cap, not after the megabyte


def test_content_length_over_the_cap_is_refused_before_reading(server, make_fetcher):
    fetcher = make_fetcher(max_bytes=50_000)
    with pytest.raises(FetchError, match="Content-Length 1000000 exceeds"):
        fetcher.get(server.url("/big-length"))
    assert fetcher.stats.bytes == 0


def test_gzip_body_is_decompressed(server, make_fetcher):
    fetcher = make_fetcher()
    response = fetcher.get(server.url("/gzip"))
    assert response.body == PAGE * 20
    assert "content-encoding" not in response.headers and "content-length" not in response.headers
    assert fetcher.stats.bytes == len(gzip.compress(PAGE * 20))  # counted on the wire


def test_gzip_bomb_is_stopped_at_the_cap_after_decompression(server, make_fetcher):
    with pytest.raises(FetchError, match="exceeds the 100000-byte limit"):
        make_fetcher(max_bytes=100_000).get(server.url("/gzip-bomb"))
    assert server.count("/gzip-bomb") == 1


@pytest.mark.parametrize("path", ["/slow-body", "/slow-headers"])
def test_slow_drip_is_cut_off_by_the_overall_deadline(server, make_fetcher, path):
    """timeout 0.1 s never trips (a byte arrives every 50 ms); the 0.4 s deadline does."""
    fetcher = make_fetcher(timeout=0.1, max_retries=1)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        fetcher.get(server.url(path))
    assert time.monotonic() - started < 1.5
    assert server.url(path) in str(caught.value) and server.count(path) == 2


def test_wrong_content_type_is_returned_as_is(server, make_fetcher):
    response = make_fetcher().get(server.url("/wrong-type"))
    assert response.content_type == "text/html" and response.body.startswith(b"%PDF-1.4")
    assert isinstance(response.text, str)  # decoding never raises


def test_invalid_utf8_decodes_with_replacement(server, make_fetcher):
    response = make_fetcher().get(server.url("/bad-utf8"))
    assert response.charset == "utf-8"
    assert response.text.startswith("<p>Café ") and "\ufffd" in response.text


def test_meta_charset_is_used_when_the_header_has_none(server, make_fetcher):
    response = make_fetcher().get(server.url("/meta-charset"))
    assert response.charset == "cp1252" and "£120 – agreed" in response.text


def _response(body: bytes, content_type: str) -> Response:
    return Response("u", "u", 200, {"content-type": content_type}, body, datetime.now(timezone.utc), 0.0)


@pytest.mark.parametrize(
    "body,content_type,charset",
    [
        (b"\xa3", "text/html; charset=ISO-8859-1", "cp1252"),  # browsers read latin-1 as windows-1252
        (b"x", 'text/html; charset="utf-8"', "utf-8"),
        (b"x", "text/html; charset=no-such-codec", "utf-8"),
        (b'<?xml version="1.0" encoding="iso-8859-15"?><a/>', "application/xml", "iso8859-15"),
        (b"\xef\xbb\xbfhello", "text/html; charset=cp1252", "utf-8-sig"),  # BOM wins
        (b"plain", "", "utf-8"),
    ],
)
def test_charset_precedence(body, content_type, charset):
    assert _response(body, content_type).charset == charset
