"""A hostile council server, end to end: the sample council behind a fault-injecting proxy.

tests/crawler/test_fetch.py already proves each fetch defence against a misbehaving server
(size caps, redirect loops and chains, slow drip, resets, wrong content types, bad encodings).
Here the whole crawl meets them at once, on a few pages of an otherwise normal council: one
meeting page is larger than the cap, one trickles in a byte at a time, one is a PNG, one has
broken UTF-8, an item's full-text page redirects forever (never to the same URL twice), an
attendance page always answers 500, a meeting list is cut short once. The crawl must finish,
record each failure with its URL and reason in the run, and store everything else exactly as a
crawl through a well-behaved proxy does.
"""

from __future__ import annotations

import dataclasses
import http.client
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.demo import sample_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import fetch_settings, run_sources
from searchsvc.sample import SampleSite
from tests.hardening.kit import catalog_records
from tests.jobs.sample_helpers import REPO

CAP = 400_000  # crawl.max_page_bytes for these crawls; sample pages are far smaller
TIMEOUT = 0.5  # crawl.timeout_seconds: the overall deadline is 4× this; the drip lasts 20 s


@dataclass
class Faults:
    """Which request targets misbehave, and how. Keys are (page name, id parameter value)."""

    rules: dict[tuple[str, str], str] = field(default_factory=dict)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fault(self, target: str) -> tuple[str, int] | None:
        parts = urlsplit(target)
        page = parts.path.rsplit("/", 1)[-1].lower()
        query = {k.lower(): v for k, v in parse_qsl(parts.query)}
        for (name, ident), kind in self.rules.items():
            if page == name.lower() and ident in (query.get("mid"), query.get("id"), query.get("cid")):
                with self.lock:
                    self.seen[(name, ident)] = n = self.seen.get((name, ident), 0) + 1
                return kind, n
        return None


class Proxy:
    """An HTTP server on 127.0.0.1 relaying to ``upstream`` (rewriting its origin in bodies and
    Location headers to its own), except where ``faults`` say otherwise."""

    def __init__(self, upstream: str, faults: Faults):
        self.upstream = urlsplit(upstream)
        self.faults = faults
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.close_connection = True
                try:
                    proxy.handle(self)
                except OSError:  # the crawler hung up (size cap, deadline): what some faults want
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def base_url(self, path: str) -> str:
        return self.origin + path

    def _relay(self, h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=10)
        headers = {k: v for k, v in h.headers.items() if k.lower() in ("if-none-match", "if-modified-since")}
        conn.request("GET", h.path, headers=headers)
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        here, there = self.origin.encode(), f"http://{self.upstream.netloc}".encode()
        kept = {k: v.replace(there.decode(), here.decode()) for k, v in answer.getheaders()
                if k.lower() in ("content-type", "etag", "last-modified", "location")}
        return answer.status, kept, body.replace(there, here)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        fault = self.faults.fault(h.path)
        if fault is None:
            return self._send(h, *self._relay(h))
        kind, n = fault
        if kind == "oversized":
            status, headers, body = self._relay(h)
            padding = b"<!-- " + b"x" * (CAP * 3) + b" -->"
            return self._send(h, status, headers, body.replace(b"</body>", padding + b"</body>"), chunked=True)
        if kind == "slow-drip":
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", "5000")
            h.end_headers()
            for _ in range(400):
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(0.05)
            return None
        if kind == "png":
            noise = random.Random(7).randbytes(3000)
            return self._send(h, 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + noise)
        if kind == "bad-utf8":
            status, headers, body = self._relay(h)
            broken = body.replace(b"<p>", b"<p>\xff\xfe\xc3(\xa0\xe2\x82", 3)
            return self._send(h, status, {**headers, "Content-Type": "text/html; charset=utf-8"}, broken)
        if kind == "endless-redirect":
            return self._send(h, 302, {"Location": f"{h.path.split('&hop=')[0]}&hop={n}"}, b"")
        if kind == "always-500":
            return self._send(h, 500, {"Content-Type": "text/plain"}, b"Server Error in '/' Application.")
        if kind == "cut-once":
            status, headers, body = self._relay(h)
            if n == 1:  # promise the whole body, send half, hang up
                h.send_response(status)
                for k, v in headers.items():
                    h.send_header(k, v)
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body[: len(body) // 2])
                return None
            return self._send(h, status, headers, body)
        raise AssertionError(kind)

    @staticmethod
    def _send(h, status: int, headers: dict[str, str], body: bytes, chunked: bool = False) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        elif status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        if status == 304:
            return
        if chunked:
            for i in range(0, len(body), 65536):
                chunk = body[i : i + 65536]
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            h.wfile.write(b"0\r\n\r\n")
        else:
            h.wfile.write(body)

    def __enter__(self) -> Proxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def crawl_through(proxy: Proxy, site: SampleSite, faults: Faults, data_dir):
    """One recorded crawl run (as `searchsvc crawl` records it) through ``proxy`` with ``faults``."""
    proxy.faults = faults
    base = parse_config({"storage": {"data_dir": str(data_dir)},
                         "crawl": {"max_page_bytes": CAP, "timeout_seconds": TIMEOUT, "max_retries": 1},
                         "enrich": {"topics_file": str(REPO / "config" / "topics.toml")}})
    config = sample_config(base, proxy.base_url(site.base_path), "Sample")
    settings = dataclasses.replace(fetch_settings(config, config.sources), backoff_base=0.01, max_backoff=0.05)
    with Catalog.in_dir(data_dir) as catalog:
        started = time.monotonic()
        summary = run_sources(catalog, config, config.sources, load_taxonomy(config.topics_file), job="crawl",
                              today=date(2026, 1, 31), fetcher=Fetcher(settings))
        seconds = time.monotonic() - started
        run = catalog.runs(job="crawl")[0]
        assert catalog.integrity_ok()
    return summary, run, seconds


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=31, size=0.02) as s:
        yield s


@pytest.fixture
def proxy(site):
    with Proxy(site.base_url, Faults()) as running:
        yield running


def test_a_crawl_through_a_hostile_server_finishes_and_records_every_fault_with_its_url(site, proxy, tmp_path):
    clean_summary, _, _ = crawl_through(proxy, site, Faults(), tmp_path / "clean")
    assert clean_summary.status == "ok" and not clean_summary.reports[0].errors
    clean = catalog_records(tmp_path / "clean")

    held = [m for m in site.meetings() if m.status == "held" and m.minutes_published]
    big, slow, png, broken, attendance = (held[i].meeting_id for i in (0, 1, 2, 3, 4))
    truncated = next(i for m in held[5:] for i in site.items(m.meeting_id) if i.truncated)
    listing = held[6].committee_id
    faults = Faults({("ieListDocuments.aspx", str(big)): "oversized", ("ieListDocuments.aspx", str(slow)): "slow-drip",
                     ("ieListDocuments.aspx", str(png)): "png", ("ieListDocuments.aspx", str(broken)): "bad-utf8",
                     ("mgMeetingAttendance.aspx", str(attendance)): "always-500",
                     ("mgAi.aspx", str(truncated.item_id)): "endless-redirect",
                     ("ieListMeetings.aspx", str(listing)): "cut-once"})
    summary, run, seconds = crawl_through(proxy, site, faults, tmp_path / "hostile")
    origin = proxy.origin

    assert seconds < 60 and summary.status == "ok", (summary.status, summary.failures)
    assert all(faults.seen.get(k) for k in faults.rules), f"faults never triggered: {faults.rules.keys() - faults.seen.keys()}"
    errors = {}
    for error in run.errors:
        assert error["url"].startswith(origin) and error["error"], error
        errors.setdefault(error["url"], []).append(error["error"])

    def reasons(fragment: str) -> str:
        found = [" / ".join(v) for url, v in errors.items() if fragment in url]
        assert found, f"no error recorded for {fragment}: {sorted(errors)}"
        return " / ".join(found)

    assert "limit" in reasons(f"MId={big}")
    assert "timed out" in reasons(f"MId={slow}")
    assert "div#modgov" in reasons(f"MId={png}")
    assert "HTTP 500" in reasons(f"mgMeetingAttendance.aspx?ID={attendance}")
    assert "redirect" in reasons(f"mgAi.aspx?ID={truncated.item_id}")
    assert not [url for url in errors if f"MId={broken}" in url]  # broken bytes are text with U+FFFD
    assert faults.seen[("ieListMeetings.aspx", str(listing))] >= 2  # the cut list was asked again…
    assert not [url for url in errors if "ieListMeetings" in url]  # …and read

    # Everything the faults did not touch is exactly as a clean crawl stored it.
    got = catalog_records(tmp_path / "hostile")
    lost = {f"sample:meeting:{m}" for m in (big, slow, png)}
    assert set(clean["meetings"]) - set(got["meetings"]) == lost
    # Items of the meeting with broken bytes, and of the one without attendance (names resolve
    # against who attended), may differ; they are kept all the same.
    spoiled = {f"sample:item:{i.item_id}" for m in (big, slow, png, broken, attendance) for i in site.items(m)}
    spoiled.add(f"sample:item:{truncated.item_id}")  # kept with the meeting page's truncated minutes
    for item_id, digest in clean["items"].items():
        if item_id not in spoiled:
            assert got["items"].get(item_id) == digest, item_id
    for meeting in (broken, attendance):
        assert {f"sample:item:{i.item_id}" for i in site.items(meeting)} <= set(got["items"])
    assert f"sample:item:{truncated.item_id}" in got["items"]
