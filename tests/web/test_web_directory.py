"""Places to start (/councillors, /committees, /topics), following (Atom feeds), upcoming meetings."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.web import sampledata

ATOM = "{http://www.w3.org/2005/Atom}"


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize("path", ["/councillors", "/committees", "/topics"])
def test_places_to_start_are_linked_from_home_and_navigation_and_have_json_twins(client, path):
    home = soup(client, "/")
    assert home.select_one(f'nav[aria-label="Places to start"] a[href="{path}"]')
    assert home.select_one(f'nav[aria-label="Site"] a[href="{path}"]')
    page = soup(client, path)
    twin = page.select_one('link[rel="alternate"][type="application/json"]')["href"]
    assert twin == f"/api{path}"
    data = client.get(twin).get_json()
    assert data["ok"] is True and data["total"] > 0


def test_councillors_page_lists_party_ward_roles_committees_and_speech(client):
    page = soup(client, "/councillors")
    rows = {tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in page.select("tbody tr")}
    assert list(rows) == ["Councillor Tom Crute", "Councillor Priya Patel", "Councillor Jan Reed",
                          "Councillor Ann Smith"]  # by surname; the officer who spoke is not a councillor
    party, ward, roles, committees, spoken, newest = rows["Councillor Jan Reed"]
    assert (party, ward) == ("Liberal Democrat", "Tudor")
    assert "Portfolio Holder for Children's Services" in roles
    assert "Chair, Children's and Adults' Care and Education Committee" in roles
    assert "Finance and Resources Committee" in committees
    assert spoken == "4" and newest.startswith("Youth services and early help") and "28 November 2019" in newest
    reed = page.find("a", string="Councillor Jan Reed")
    assert reed["href"] == "/speakers/Councillor%20Jan%20Reed"
    data = client.get("/api/councillors").get_json()
    (jan,) = [c for c in data["councillors"] if c["name"] == "Councillor Jan Reed"]
    assert jan["items_spoken"] == 4 and jan["party"] == "Liberal Democrat"
    assert jan["newest_contribution"]["date"] == "2019-11-28"


def test_committees_page_has_meeting_counts_and_the_last_and_next_meeting(client):
    page = soup(client, "/committees")
    items = {li.a.get_text(strip=True): li.get_text(" ", strip=True) for li in page.select(".directory-list li")}
    planning = items["Planning Committee"]
    assert "2 meetings held" in planning and "last 7 February 2019" in planning
    start = sampledata.future_start()
    assert f"next {start.day} {start:%B %Y}" in planning
    assert "next" not in items["Finance and Resources Committee"]
    data = client.get("/api/committees").get_json()
    (p,) = [c for c in data["committees"] if c["name"] == "Planning Committee"]
    assert p["meetings_held"] == 2 and p["last_meeting"]["date"] == "2019-02-07"
    assert p["next_meeting"]["id"] == "kingston:meeting:107"


def test_topics_page_links_each_topic_to_its_search_and_trend(client):
    page = soup(client, "/topics")
    first = page.select_one(".topic-list li")
    assert first.a.get_text() == "budget" and "9 items" in first.get_text()
    links = [a["href"] for a in first.find_all("a")]
    assert links == ["/search?topic=budget", "/trends?topic=budget"]
    assert client.get(links[0]).status_code == 200


def test_a_short_speaker_name_redirects_to_the_one_person_it_means(client):
    response = client.get("/speakers/Reed")
    assert response.status_code == 301 and response.headers["Location"] == "/speakers/Councillor%20Jan%20Reed"
    api = client.get("/api/speakers/Reed?q=foster")
    assert api.status_code == 301 and api.headers["Location"] == "/api/speakers/Councillor%20Jan%20Reed?q=foster"
    # "Councillor" is in every councillor's name: ambiguous, so the page stays (the filter's own meaning).
    assert client.get("/speakers/Councillor").status_code == 200


@pytest.mark.parametrize("page_url,feed_url", [
    ("/speakers/Councillor Jan Reed", "/feeds/speakers/Councillor%20Jan%20Reed"),
    ("/committees/kingston:committee:12", "/feeds/committees/kingston:committee:12"),
])
def test_speaker_and_committee_pages_link_their_atom_feed(client, page_url, feed_url):
    page = soup(client, page_url)
    assert page.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"] == feed_url
    assert page.select_one(f'main .follow a[href="{feed_url}"]')  # visibly, not only in the head
    response = client.get(feed_url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries and len({e.find(f'{ATOM}id').text for e in entries}) == len(entries)


def test_speaker_feed_is_their_items_newest_first(client):
    feed = ET.fromstring(client.get("/feeds/speakers/Councillor Jan Reed").data)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 4 and titles[0].startswith("Youth services and early help")
    assert client.get("/feeds/committees/kingston:committee:99").status_code == 404


def test_upcoming_meetings_with_their_agendas_on_home_and_committee_pages(client):
    start = sampledata.future_start()
    when = f"{start.day} {start:%B %Y}"
    for url in ("/", "/committees/kingston:committee:12"):
        page = soup(client, url)
        section = page.find(id="upcoming-heading").parent
        assert when in section.get_text(" ", strip=True)
        agenda = [a.get_text() for a in section.select(".agenda-preview a")]
        assert agenda == ["Draft local plan consultation", "Kingston Station forecourt"]  # not the apologies
    recent = soup(client, "/").find(id="recent-heading").parent.get_text()
    assert when not in recent  # a meeting not yet held is not a recent one
    home = client.get("/api/coverage").get_json()["upcoming_meetings"]
    assert [m["id"] for m in home] == ["kingston:meeting:107"] and len(home[0]["agenda"]) == 2
    data = client.get("/api/committees/kingston:committee:12").get_json()
    assert [i["title"] for i in data["upcoming"][0]["agenda"]] == ["Draft local plan consultation",
                                                                    "Kingston Station forecourt"]
    assert soup(client, "/committees/kingston:committee:7").find(id="upcoming-heading").find_next("p").get_text() \
        == "No meetings are scheduled in the archive."
