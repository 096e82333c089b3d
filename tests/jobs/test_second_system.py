"""A second committee system is one adapter: registered here, it crawls, re-parses, indexes and
is searched through the unchanged jobs, catalog, index, web and CLI code.

"Tiny Minutes" is a made-up system publishing JSON: a committee list, each committee's meetings,
and each meeting with its attendance and agenda items. Its site runs on 127.0.0.1; the adapter
below is all the code the system needs (docs/extending.md, "A new council system").
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crawler.adapters import CommitteeRecords, MeetingRecords, PageReader
from crawler.registry import register, unregister
from crawler.walk import CrawlError, CrawlResult, SourcePages, Walk
from searchsvc.cli import cli
from searchsvc.errors import ParseError
from searchsvc.records import Committee, Item, Meeting, Member, Source

REPO = Path(__file__).resolve().parents[2]
KIND = "tinyminutes"
RECENT = (date.today() - timedelta(days=10)).isoformat()  # within crawl.lookback_days: asked for every night

SITE = {
    "/api/committees": {"committees": [{"id": "7", "name": "Waterways Committee"}]},
    "/api/committees/7/meetings": {"meetings": [{"id": "101", "date": f"{RECENT}T18:00"},
                                                {"id": "90", "date": "2019-03-04T18:00"}]},
    "/api/meetings/101": {
        "id": "101", "committee": "7", "date": f"{RECENT}T18:00",
        "attendance": [{"name": "Councillor Ada Brook", "role": "Chair"},
                       {"name": "Councillor Tom Weir", "role": "Committee Member"}],
        "items": [{"id": "5001", "number": "1.", "title": "Canal towpath repairs",
                   "minutes": ["Councillor Weir asked when the canal towpath near the lock would reopen.",
                               "The Chair explained that the repairs would finish in the spring."]},
                  {"id": "5002", "number": "2.", "title": "Moorings fees",
                   "minutes": ["The committee agreed the moorings fees for the coming year."]}]},
    "/api/meetings/90": {
        "id": "90", "committee": "7", "date": "2019-03-04T18:00", "attendance": [],
        "items": [{"id": "4001", "number": "1.", "title": "Lock gates",
                   "minutes": ["The committee noted the report on the lock gates."]}]},
}


class Site:
    """The Tiny Minutes site on 127.0.0.1, counting the requests for each path."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        pages, hits = SITE, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                hits[path] = hits.get(path, 0) + 1
                body = json.dumps(pages[path]).encode() if path in pages else b"not found"
                self.send_response(200 if path in pages else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the adapter: everything Tiny Minutes needs ------------------------------------------

@dataclass(frozen=True)
class Listed:
    meeting_id: str
    start: datetime | None


def _kind(url: str) -> str | None:
    parts = urlsplit(url).path.strip("/").split("/")
    if parts[:1] != ["api"]:
        return None
    if parts[1:] == ["committees"]:
        return "committees"
    if len(parts) == 4 and parts[1] == "committees" and parts[3] == "meetings":
        return "meeting_list"
    if len(parts) == 3 and parts[1] == "meetings":
        return "meeting"
    return None


def _json(body: bytes, url: str) -> dict:
    try:
        return json.loads(body)
    except ValueError as e:
        raise ParseError(f"not JSON: {e}", url) from None


def parse_meeting(body: bytes, url: str, *, source: str) -> MeetingRecords:
    data = _json(body, url)
    meeting = Meeting(source=source, committee_id=data["committee"], committee_name="", meeting_id=data["id"],
                      start=datetime.fromisoformat(data["date"]), url=url,
                      attendance=tuple(Member(name=p["name"], role=p["role"], attendance="Present")
                                       for p in data["attendance"]))
    items = tuple(Item(source=source, meeting_id=data["id"], item_id=i["id"], position=n, number=i["number"],
                       title=i["title"], minutes_paragraphs=tuple(i["minutes"]), url=f"{url}#{i['id']}")
                  for n, i in enumerate(data["items"], 1))
    return MeetingRecords(meeting, items)


class TinyReader:
    def __init__(self, source: Source, pages: PageReader):
        self.source, self.pages = source, pages

    def committees(self, urls: Iterable[str]) -> CommitteeRecords:
        out = CommitteeRecords()
        for url in urls:
            body = self.pages.body(url)
            if body is not None:
                for c in _json(body, url)["committees"]:
                    out.committees[c["id"]] = Committee(self.source.name, c["id"], c["name"])
        return out

    def meeting(self, url: str) -> MeetingRecords:
        body = self.pages.body(url)
        if body is None:
            raise ParseError("meeting page is not in the raw store", url)
        records = parse_meeting(body, url, source=self.source.name)
        names = self.committees(p.url for p in self.pages.pages("committees")).committees
        committee = names.get(records.meeting.committee_id)
        named = Meeting(**{**records.meeting.__dict__, "committee_name": committee.name if committee else ""})
        return MeetingRecords(named, records.items)


class TinyMinutes:
    kind = KIND
    title = "Tiny Minutes"

    def crawl(self, walk: Walk) -> CrawlResult:
        base = walk.source.base_url
        list_url = base + "api/committees"
        body, _ = walk.get(list_url, "committees", refresh=True)
        if body is None:
            raise CrawlError(f"{walk.source.name}: no committee list at {list_url}")
        listed = []
        for committee in _json(body, list_url)["committees"]:
            url = f"{base}api/committees/{committee['id']}/meetings"
            meetings, _ = walk.get(url, "meeting_list", refresh=True)
            if meetings is not None:
                listed += [Listed(m["id"], datetime.fromisoformat(m["date"])) for m in _json(meetings, url)["meetings"]]

        def visit(meeting: Listed, url: str) -> bool:
            due = walk.due(meeting.start, url)
            page, _ = walk.get(url, "meeting", refresh=due)
            return due and page is not None

        every, refreshed = walk.visit_meetings(listed, lambda m: f"{base}api/meetings/{m.meeting_id}", visit,
                                               meeting_kinds=("meeting",))
        return walk.finished(SourcePages((list_url,), tuple(refreshed)), every)

    def stored_pages(self, source: Source, pages: PageReader) -> SourcePages:
        return SourcePages(tuple(p.url for p in pages.pages("committees")),
                           tuple(p.url for p in pages.pages("meeting")))

    def reader(self, source: Source, pages: PageReader, *, today: date) -> TinyReader:
        return TinyReader(source, pages)

    def classify(self, url: str) -> str | None:
        return _kind(url)

    def saved_page_url(self, file_name: str) -> str | None:
        return None

    def parse_page(self, body: bytes, url: str, *, source: str):
        if _kind(url) == "meeting":
            return parse_meeting(body, url, source=source)
        return _json(body, url)


# --- the proof ---------------------------------------------------------------------------

@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def tiny():
    register(TinyMinutes())
    yield
    unregister(KIND)


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHSVC_CONFIG", raising=False)
    monkeypatch.delenv("SEARCHSVC_DATA_DIR", raising=False)

    def invoke(config: Path, *args: str):
        return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)

    return invoke


def write_config(folder: Path, site: Site) -> Path:
    path = folder / "searchsvc.toml"
    path.write_text(f"""
[storage]
data_dir = "{folder / 'data'}"
[crawl]
requests_per_second = 0
[enrich]
topics_file = "{REPO / 'config' / 'topics.toml'}"
[[sources]]
name = "tiny"
title = "Tiny Borough"
kind = "{KIND}"
base_url = "{site.base_url}"
allow_private = true
""")
    return path


def test_a_kind_without_an_adapter_is_a_configuration_error(tmp_path, run, site):
    result = run(write_config(tmp_path, site), "status")
    assert result.exit_code == 2
    assert f"kind: expected one of moderngov, got '{KIND}'" in result.output


def test_a_second_system_crawls_reparses_indexes_and_is_searched(tmp_path, run, site, tiny):
    config = write_config(tmp_path, site)
    crawled = run(config, "crawl", "--index")
    assert crawled.exit_code == 0, crawled.output
    assert "tiny: pages fetched 4" in crawled.output and "items new 3" in crawled.output

    found = json.loads(run(config, "search", "towpath", "--json").output)
    assert [hit["id"] for hit in found["results"]] == ["tiny:item:5001"]
    hit = found["results"][0]
    assert hit["committee"] == "Waterways Committee" and hit["date"] == RECENT
    assert "Councillor Tom Weir" in hit["speakers"]  # attributed by the unchanged enrichment

    said = json.loads(run(config, "search", "spring", "--speaker", "Brook", "--json").output)
    assert [h["id"] for h in said["results"]] == ["tiny:item:5001"]  # "The Chair explained" → the Chair

    # A nightly run asks again only for the lists and the recent meeting; the 2019 one keeps its copy.
    again = run(config, "crawl", "--index")
    assert again.exit_code == 0 and "items new 0, changed 0" in again.output
    assert site.hits["/api/meetings/101"] == 2 and site.hits["/api/meetings/90"] == 1

    reparsed = run(config, "reparse")
    assert reparsed.exit_code == 0 and "items new 0, changed 0, unchanged 3" in reparsed.output
    rebuilt = run(config, "index", "--full")
    assert rebuilt.exit_code == 0 and "3 documents" in rebuilt.output
    old = json.loads(run(config, "search", "lock gates", "--json").output)
    assert [h["id"] for h in old["results"]] == ["tiny:item:4001"]

    status = json.loads(run(config, "status", "--json").output)
    (source,) = status["sources"]
    assert source["name"] == "tiny" and source["items"] == 3 and source["last_success"]


def test_searchsvc_parse_reads_a_page_of_the_second_system(tmp_path, run, site, tiny):
    saved = tmp_path / "meeting.json"
    saved.write_text(json.dumps(SITE["/api/meetings/101"]))
    result = run(write_config(tmp_path, site), "parse", str(saved), "--url", site.base_url + "api/meetings/101",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "meeting"
    assert [i["title"] for i in data["items"]] == ["Canal towpath repairs", "Moorings fees"]
    assert data["items"][0]["passages"][0]["speakers"] == ["Councillor Tom Weir"]


def test_searchsvc_parse_names_the_known_systems_when_none_knows_a_page(tmp_path, run, site, tiny):
    saved = tmp_path / "page.html"
    saved.write_text("<html></html>")
    result = run(write_config(tmp_path, site), "parse", str(saved), "--url", "https://council.invalid/page.html")
    assert result.exit_code == 1
    assert "no committee system knows this kind of page (known: ModernGov, Tiny Minutes)" in result.output


def test_an_incomplete_adapter_is_refused_when_registered():
    class Half:
        kind, title = "half", "Half"

        def crawl(self, walk):
            return None

    with pytest.raises(TypeError, match="Half is not a committee-system adapter: it lacks stored_pages, reader"):
        register(Half())
