"""The sample site over real HTTP: links resolve, markup has ModernGov's landmarks, caching
headers work, mutations show, and nothing hostile is served unescaped."""

from __future__ import annotations

import http.client
import io
import urllib.robotparser
from collections import Counter
from datetime import datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import pypdf
import pytest
from bs4 import BeautifulSoup

from searchsvc.sample import CANCELLED, FUTURE, HELD, SampleSite


class Client:
    """A keep-alive HTTP client for one host (fast enough to walk a whole small site)."""

    def __init__(self, site: SampleSite) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)

    def get(self, url: str, headers: dict[str, str] | None = None, method: str = "GET",
            body: str | None = None) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.conn.request(method, target, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()

    def soup(self, url: str) -> BeautifulSoup:
        status, _, body = self.get(url)
        assert status == 200, url
        return BeautifulSoup(body, "html.parser")


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def site():
    with SampleSite(seed=1, size=0.03) as s:
        yield s


@pytest.fixture(scope="module")
def client(site: SampleSite) -> Client:
    return Client(site)


@pytest.fixture(scope="module")
def crawl(site: SampleSite, client: Client) -> dict[str, tuple[int, str, bytes]]:
    """Breadth-first walk of every <a href> under the base path, honouring robots.txt."""
    robots = urllib.robotparser.RobotFileParser(site.url("/robots.txt"))
    robots.parse(client.get(site.url("/robots.txt"))[2].decode().splitlines())
    seen: dict[str, tuple[int, str, bytes]] = {}
    queue = [site.url("mgListCommittees.aspx?bcr=1"), site.url("mgCommitteeStructure.aspx")]
    skipped = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        status, headers, body = client.get(url)
        seen[url] = (status, headers.get("content-type", ""), body)
        if status != 200 or not headers["content-type"].startswith("text/html"):
            continue
        for a in BeautifulSoup(body, "html.parser").find_all("a", href=True):
            link = urldefrag(urljoin(url, a["href"].replace(" ", "%20")))[0]
            if not link.startswith(site.base_url):
                continue
            if not robots.can_fetch("*", link):
                skipped.add(link)
                continue
            if link not in seen:
                queue.append(link)
    assert skipped, "the template links a robots-disallowed page"
    return seen


def test_every_link_resolves(crawl: dict, site: SampleSite) -> None:
    bad = {u: s for u, (s, _, _) in crawl.items() if s != 200}
    assert not bad
    kinds = Counter(urlsplit(u).path.rsplit("/", 1)[-1].split(".")[0] if "/documents/" not in u else "pdf"
                    for u in crawl)
    for kind in ("mgCommitteeDetails", "ieListMeetings", "ieListDocuments", "mgAi", "mgMeetingAttendance",
                 "mgUserInfo", "pdf"):
        assert kinds[kind] > 0, kind
    assert not any("mgCalendarMonthView" in t for t in site.requests)
    meetings = {u for u in crawl if "ieListDocuments" in u}
    assert len(meetings) == len(site.meetings())  # every meeting is reachable by links alone


def test_responses_are_utf8_html_or_pdf(crawl: dict) -> None:
    for url, (_, ctype, body) in crawl.items():
        if "/documents/" in url:
            assert ctype == "application/pdf" and body.startswith(b"%PDF")
        else:
            assert ctype == "text/html; charset=utf-8", url
            body.decode("utf-8")


def test_no_hostile_string_is_served_raw(crawl: dict, site: SampleSite) -> None:
    pages = [b for u, (_, ctype, b) in crawl.items() if ctype.startswith("text/html")]
    assert not any(b"<script>alert" in b for b in pages)
    assert any(b"&lt;script&gt;alert(1)&lt;/script&gt;" in b for b in pages)
    assert any(b"Fish &amp; Chips" in b for b in pages)


def test_meeting_page_landmarks(site: SampleSite, client: Client) -> None:
    m = next(m for m in site.meetings() if m.hostile)
    soup = client.soup(site.url(m.url_path))
    modgov = soup.select_one("div#modgov")
    assert modgov.select_one("div.mgHeader > h1.mgMainTitleTxt").get_text() == "Agenda, decisions and minutes"
    h2 = modgov.select_one("div.mgSubTitle > h2.mgSubTitleTxt > a")
    assert h2["href"] == f"mgCommitteeDetails.aspx?ID={m.committee_id}" and h2.get_text().startswith(m.committee_name)
    assert soup.find("meta", attrs={"name": "DC.date"})["content"] == m.start.date().isoformat()
    actions = [a["href"] for a in modgov.select("ul.mgActionList a")]
    assert actions[0] == f"mgMeetingAttendance.aspx?ID={m.meeting_id}"
    assert any(h.startswith(f"documents/g{m.agenda_id}/Printed minutes ") and h.endswith("?T=1") for h in actions)
    rows = modgov.select("table#mgItemTable.mgItemTable tr")[1:]
    items = site.items(m.meeting_id)
    assert len(rows) == len(items)
    for row, item in zip(rows, items):
        cell = row.select_one("td.mgItemNumberCell > p.mgAiTitleTxt")
        assert cell.a["name"] == f"AI{item.item_id}" and cell.get_text(strip=True) == item.number
        title = row.select("p.mgAiTitleTxt")[1]
        for noise in title.select("span.mgFileSize"):
            noise.decompose()
        assert _norm(title.get_text()) == item.title
        labels = [p.get_text() for p in row.select("p.mgSubItemTitleTxt")]
        if item.minutes:
            paras = [_norm(p.get_text()) for p in row.select("p.mgSubItemTitleTxt")[labels.index("Minutes:")]
                     .find_next_sibling("div", class_="mgWordPara").select("p")]
            paras = [p for p in paras if p]
            if item.truncated:
                assert paras[-1].endswith(f"view the full minutes text for item {item.number}")
            else:
                assert paras == list(item.minutes_paragraphs)
    # the side menu and breadcrumb sit outside #modgov
    assert soup.select_one("#side-nav a[href^='mgListCommittees.aspx']") and not modgov.select("#side-nav")


def test_truncated_minutes_link_to_the_full_text(site: SampleSite, client: Client) -> None:
    truncated = [it for m in site.meetings() for it in site.items(m.meeting_id) if it.truncated]
    assert truncated
    for item in truncated:
        m = site.meeting(item.meeting_id)
        page = client.soup(site.url(m.url_path))
        link = page.find("a", href=f"mgAi.aspx?ID={item.item_id}")
        assert link and _norm(link.get_text()) == f"view the full minutes text for item {item.number}"
        shown = _norm(link.parent.get_text()).split(" ... ")[0]
        assert shown and shown in _norm(" ".join(item.minutes_paragraphs))
        ai = client.soup(site.url(link["href"])).select_one("div#modgov")
        assert _norm(ai.select_one("h2.mgSubTitleTxt").get_text()) == f"{item.number} {item.title}"
        back = ai.select_one("div.mgContent > p > a")
        assert back["href"] == m.url_path and f"(Item {item.number})" in back.get_text()
        label = ai.find("p", class_="mgSubItemTitleTxt", string="Minutes:")
        full = [_norm(p.get_text()) for p in label.find_next_sibling("div", class_="mgWordPara").select("p")]
        assert [p for p in full if p] == list(item.minutes_paragraphs)


def test_cancelled_and_future_meetings(site: SampleSite, client: Client) -> None:
    cancelled = next(m for m in site.meetings() if m.status == CANCELLED)
    soup = client.soup(site.url(cancelled.url_path))
    assert soup.select_one("h1.mgMainTitleTxt").get_text() == "Meeting"
    assert soup.select_one("h2.mgSubTitleTxt").get_text().endswith(", CANCELLED")
    assert "No documents are available for this meeting" in soup.get_text() and not soup.select("#mgItemTable")
    listing = client.soup(site.url(f"ieListMeetings.aspx?CId={cancelled.committee_id}&Year={cancelled.start.year}"))
    row = listing.find("a", href=cancelled.url_path).parent
    assert row.get_text().endswith(" - CANCELLED") and row.name == "li"
    future = next(m for m in site.meetings() if m.status == FUTURE)
    soup = client.soup(site.url(future.url_path))
    assert soup.select_one("h1.mgMainTitleTxt").get_text() == "Agenda"
    assert soup.select("#mgItemTable") and not soup.find("p", class_="mgSubItemTitleTxt", string="Minutes:")
    attendance = client.soup(site.url(f"mgMeetingAttendance.aspx?ID={future.meeting_id}"))
    assert {td.get_text() for td in attendance.select("tbody tr td:nth-of-type(3)")} == {"Expected"}


def test_meeting_list_years_paging_and_rows(site: SampleSite, client: Client) -> None:
    c = max(site.committees(), key=lambda c: len(site.meetings(c.committee_id)))
    soup = client.soup(site.url(f"ieListMeetings.aspx?CommitteeId={c.committee_id}"))
    years = [o["value"] for o in soup.select("form#FormYearSelect select#YearSelect option") if o["value"] != "0"]
    assert years == [str(y) for y in site.years(c.committee_id)]
    links = soup.select("p.mgYearLinks a")
    assert [a["href"] for a in links] == [f"ieListMeetings.aspx?CId={c.committee_id}&Year={y}" for y in years]
    seen = []
    for y in years:
        page = client.soup(site.url(f"ieListMeetings.aspx?CId={c.committee_id}&Year={y}"))
        rows = page.select("ul.mgNonBulletTableList > li")
        assert [r["class"][0] for r in rows] == ["mgTableEvenRow", "mgTableOddRow"][: len(rows)] * (len(rows) // 2) + (
            ["mgTableEvenRow"] if len(rows) % 2 else [])
        page_seen = []
        for r in rows:
            a = r.select_one("a.mgMeetingTableLnk")
            when = datetime.strptime(_norm(a.get_text()).replace(".", ":"), "%d %b %Y %I:%M %p")
            page_seen.append((when, a["href"]))
        assert [w for w, _ in page_seen] == sorted((w for w, _ in page_seen), reverse=True)  # newest first
        seen += page_seen
    expected = sorted((m.start, m.url_path) for m in site.meetings(c.committee_id))
    assert sorted(seen) == expected
    status, _, body = client.get(site.url("ieListMeetings.aspx"), method="POST",
                                 body=f"hCommitteeId={c.committee_id}&YearSelect={years[0]}",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and f"Year={years[0]}".encode() in body
    earlier = soup.select_one("div.mgMeetingsEarlierLater a.mgTableNextLnk")
    if earlier is not None:
        assert "Act=earlier" in earlier["href"] and client.get(site.url(earlier["href"]))[0] == 200


def test_committee_pages(site: SampleSite, client: Client) -> None:
    soup = client.soup(site.url("mgCommitteeStructure.aspx"))
    sections = soup.select("div#modgov div.mgContent h2.mgSectionTitle")
    assert len(sections) >= 5
    links = soup.select("div#modgov ul.mgBulletList > li > a[href^='mgCommitteeDetails.aspx?ID=']")
    assert len(links) == len(site.committees())
    c = site.committees()[0]
    details = client.soup(site.url(c.url_path))
    members = details.select("div#modgov ul.mgBulletList > li")
    assert [m.a["href"] for m in members] == [f"mgUserInfo.aspx?UID={m.uid}" for m in site.membership(c.committee_id)]
    assert "(Chair)" in _norm(members[0].get_text())
    assert details.select_one(f"ul.mgActionList a[href='ieListMeetings.aspx?CommitteeId={c.committee_id}']")


def test_attendance_page_matches_ground_truth(site: SampleSite, client: Client) -> None:
    m = next(m for m in site.meetings() if m.status == HELD)
    soup = client.soup(site.url(f"mgMeetingAttendance.aspx?ID={m.meeting_id}"))
    assert soup.select_one("table.mgTabTable caption.mgSectionTitle").get_text() == "Attendees"
    rows = [[td.get_text() for td in tr.select("td.mgMainTxt")] for tr in soup.select("table.mgTabTable tbody tr")]
    assert rows == [[a.name, a.role, a.attendance, a.party, a.ward, "; ".join(a.posts)]
                    for a in site.attendance(m.meeting_id)]
    assert any(r[3] and r[4] for r in rows), "members show party and ward"
    assert any(r[1] == "Officer" and r[2] == "In attendance" for r in rows)


def test_pdfs_extract(site: SampleSite, client: Client) -> None:
    m = next(m for m in reversed(site.meetings()) if m.minutes_published)
    stamp_links = client.soup(site.url(m.url_path)).select("ul.mgActionList a[href^='documents/g']")
    minutes = next(a["href"] for a in stamp_links if "Printed minutes" in a["href"])
    status, headers, body = client.get(site.url(minutes.replace(" ", "%20")))
    assert status == 200 and headers["content-type"] == "application/pdf"
    text = _norm(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages))
    item = next(it for it in site.items(m.meeting_id) if it.minutes)
    assert _norm(item.minutes_paragraphs[0]) in text
    doc_item = next(it for mm in site.meetings() for it in site.items(mm.meeting_id) if it.report)
    status, _, body = client.get(site.url(doc_item.report.url_path.replace(" ", "%20")))
    assert status == 200 and doc_item.report.title in _norm(pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text())
    assert client.get(site.url(doc_item.report.url_path.replace(" ", "%20") + "x"))[0] == 404


def test_conditional_requests(site: SampleSite, client: Client) -> None:
    url = site.url(site.meetings()[-3].url_path)
    status, headers, body = client.get(url)
    assert status == 200 and headers["etag"] and headers["last-modified"]
    assert client.get(url, {"If-None-Match": headers["etag"]})[:1] == (304,)
    assert client.get(url, {"If-Modified-Since": headers["last-modified"]})[0] == 304
    assert client.get(url, {"If-None-Match": '"other"'})[0] == 200
    assert client.get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert client.get(url, method="HEAD")[0] == 200


def test_unknown_urls_are_404(site: SampleSite, client: Client) -> None:
    for path in ("nothing.aspx", "mgAi.aspx?ID=1", "mgAi.aspx?ID=abc", "ieListDocuments.aspx?MId=3",
                 "mgCommitteeDetails.aspx", "documents/g1/x.pdf", "mgWebService.asmx/GetCommittees", "/elsewhere"):
        assert client.get(site.url(path))[0] == 404, path
    assert site.request_log[-1][2] == 404


def test_parameter_spellings(site: SampleSite, client: Client) -> None:
    m = site.meetings()[0]
    bodies = {client.get(site.url(p))[2] for p in (
        f"ieListDocuments.aspx?CId={m.committee_id}&MId={m.meeting_id}&Ver=4",
        f"ieListDocuments.aspx?CId={m.committee_id}&MID={m.meeting_id}", f"ieListDocuments.aspx?MeetingId={m.meeting_id}",
        f"ieListDocuments.aspx?MId={m.meeting_id}")}
    assert len(bodies) == 1


def test_same_seed_same_bytes(site: SampleSite) -> None:
    other = SampleSite(seed=1, size=0.03)
    for target in ("mgCommitteeStructure.aspx", site.meetings()[5].url_path, "mgMemberIndex.aspx?bcr=1"):
        assert other.page(site.base_path + target).body == site.page(site.base_path + target).body
    assert SampleSite(seed=2, size=0.03).page(site.base_path + "mgMemberIndex.aspx").body != site.page(
        site.base_path + "mgMemberIndex.aspx").body


def test_mutations_show_with_new_etags() -> None:
    with SampleSite(seed=4, size=0.03) as site:
        client = Client(site)
        m = next(m for m in reversed(site.meetings()) if m.minutes_published)
        item = next(it for it in site.items(m.meeting_id) if it.kind == "substantive")
        url = site.url(m.url_path)
        _, before, _ = client.get(url)
        site.edit_minutes(item.item_id, ["Councillor Reed said that the scheme had been withdrawn."])
        status, after, body = client.get(url, {"If-None-Match": before["etag"]})
        assert status == 200 and after["etag"] != before["etag"] and b"had been withdrawn" in body
        assert after["last-modified"] != before["last-modified"]
        site.remove_item(item.item_id)
        assert f'name="AI{item.item_id}"'.encode() not in client.get(url)[2]
        assert client.get(site.url(item.url_path))[0] == 404
        site.cancel_meeting(m.meeting_id)
        assert b", CANCELLED</a></h2>" in client.get(url)[2]
        new = site.add_meeting(m.committee_id, datetime(2026, 3, 3, 19, 30))
        listing = client.get(site.url(f"ieListMeetings.aspx?CId={m.committee_id}&Year=2026"))[2]
        assert f"MId={new}&amp;Ver=4".encode() in listing
        assert client.get(site.url(site.meeting(new).url_path))[0] == 200


def test_webservice() -> None:
    import xml.etree.ElementTree as ET

    with SampleSite(seed=1, size=0.03, webservice=True) as site:
        ws = Client(site)
        status, headers, body = ws.get(site.url("mgWebService.asmx/GetCommittees"))
        assert status == 200 and headers["content-type"].startswith("text/xml")
        root = ET.fromstring(body)
        assert root.tag == "committees" and int(root.findtext("committeescount")) == len(site.committees())
        cid = site.committees()[0].committee_id
        root = ET.fromstring(ws.get(site.url(
            f"mgWebService.asmx/GetMeetings?lCommitteeId={cid}&sFromDate=01/01/2015&sToDate=31/12/2026"))[2])
        ids = [int(x.text) for x in root.iter("meetingid")]
        assert ids == [m.meeting_id for m in site.meetings(cid)]
        m = next(m for m in reversed(site.meetings()) if m.minutes_published)
        root = ET.fromstring(ws.get(site.url(f"mgWebService.asmx/GetMeeting?lMeetingId={m.meeting_id}"))[2])
        items = root.findall("agendaitems/agendaitem")
        assert [int(i.findtext("agendaitemid")) for i in items] == [it.item_id for it in site.items(m.meeting_id)]
        body = items[-1].findtext("minutesnonemptyhtmlbody")
        assert BeautifulSoup(body, "html.parser").select("div.WordSection1 p.MsoNormal")
        assert len(root.findall("attendees/attendee")) == len(site.attendance(m.meeting_id))
        doc = next((d for d in root.iter("linkeddoc")), None)
        if doc is not None:
            assert ws.get(doc.findtext("url"))[0] == 200


def test_serve_site_context_manager() -> None:
    from searchsvc.sample import serve_site

    site = SampleSite(seed=1, size=0.03)
    with serve_site(site, port=0) as server:
        assert server is site and Client(site).get(site.url("mgCommitteeStructure.aspx"))[0] == 200
        base = server.base_url
    assert base.startswith("http://127.0.0.1:") and base.endswith("/democracy/")
    with pytest.raises(RuntimeError):
        _ = site.base_url
