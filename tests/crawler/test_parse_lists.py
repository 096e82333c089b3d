"""Committee list, committee details and meeting list pages (Kingston) plus small variants."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.moderngov import parse_committee_list, parse_committee_page, parse_meeting_list
from searchsvc.errors import ParseError

KINGSTON = "https://moderngov.kingston.gov.uk/"


def test_committee_list_groups_by_section_title(read_page):
    page = parse_committee_list(read_page("kingston/mgCommitteeStructure.html"),
                                KINGSTON + "mgCommitteeStructure.aspx", source="kingston")
    assert len(page.committees) == 30
    by_id = {c.committee_id: c for c in page.committees}
    assert by_id["711"].name == "Kingston and North Kingston Neighbourhood Committee"
    assert by_id["711"].category == "Neighbourhood Committees"
    assert by_id["711"].url == KINGSTON + "mgCommitteeDetails.aspx?ID=711"
    assert by_id["626"].name == "Joint Appointments Committee (Kingston & Richmond)"  # &#40; &#38; decoded
    assert by_id["137"].category == "Council"
    assert {c.source for c in page.committees} == {"kingston"}


def test_committee_list_ignores_template_links_and_needs_some():
    html = """<ul><li><a href="mgCommitteeDetails.aspx?ID=1">Template copy</a></li></ul>
      <div id="modgov"><h2 class="mgSectionTitle">Regulatory</h2>
      <ul class="mgBulletList"><li><a href="MGCOMMITTEEDETAILS.ASPX?ID=2">Licensing</a></li></ul></div>"""
    page = parse_committee_list(html, "https://x.example/mgListCommittees.aspx?bcr=1")
    assert [(c.committee_id, c.name, c.category) for c in page.committees] == [("2", "Licensing", "Regulatory")]
    with pytest.raises(ParseError, match="mgCommitteeDetails"):
        parse_committee_list('<div id="modgov"><p>nothing</p></div>', "https://x.example/mgListCommittees.aspx")


def test_committee_details(read_page):
    page = parse_committee_page(read_page("kingston/mgCommitteeDetails_ID711.html"),
                                KINGSTON + "mgCommitteeDetails.aspx?ID=711", source="kingston")
    committee = page.committee
    assert committee.committee_id == "711"
    assert committee.name == "Kingston and North Kingston Neighbourhood Committee"
    assert committee.purpose.startswith("Please note the Planning Sub-Committee")
    assert len(committee.members) == 15
    assert committee.members[0].name == "Councillor Olly Wehring" and committee.members[0].role == "Chair"
    assert committee.members[0].uid == "2795"
    assert committee.members[1].role == "Vice-Chair"
    assert {m.role for m in committee.members[2:]} == {"Committee Member"}
    assert page.meetings_url == KINGSTON + "ieListMeetings.aspx?CommitteeId=711"
    assert page.rss_url == KINGSTON + "mgRss.aspx?CID=711"


def test_meeting_list(read_page):
    page = parse_meeting_list(read_page("kingston/ieListMeetings_CommitteeId711.html"),
                              KINGSTON + "ieListMeetings.aspx?CommitteeId=711")
    assert page.committee_id == "711"
    assert page.committee_name == "Kingston and North Kingston Neighbourhood Committee"
    assert len(page.meetings) == 15
    first = page.meetings[0]
    assert (first.meeting_id, first.committee_id, first.start) == ("10337", "711", datetime(2026, 6, 15, 19, 30))
    assert first.url == KINGSTON + "ieListDocuments.aspx?CId=711&MId=10337&Ver=4"
    by_id = {m.meeting_id: m for m in page.meetings}
    assert by_id["10161"].cancelled and by_id["10161"].published_suffix == "CANCELLED"
    assert by_id["10221"].published_suffix == "Agenda, Decisions, Minutes" and not by_id["10221"].cancelled
    assert by_id["10158"].start == datetime(2025, 6, 18, 19, 0)
    assert page.year_urls[0] == KINGSTON + "ieListMeetings.aspx?CId=711&Year=2022"
    assert len(page.year_urls) == 6
    assert page.earlier_url == KINGSTON + "ieListMeetings.aspx?Act=earlier&CId=711&D=202409051930&MD=ielistmeetings"
    assert page.later_url == KINGSTON + "ieListMeetings.aspx?Act=later&CId=711&D=202606151930&MD=ielistmeetings"


def test_meeting_list_dot_times_and_mid_spellings():
    html = """<div id="modgov"><h2 class="mgSubTitleTxt">Cabinet</h2><ul class="mgNonBulletTableList">
      <li><a class="mgMeetingTableLnk" href="ieListDocuments.aspx?CId=5&amp;MID=77">16 Mar 2026 6.30 pm</a> - Agenda</li>
      <li><a class="mgMeetingTableLnk" href="ieListDocuments.aspx?MeetingId=78">2 Feb 2026 10.00 am</a></li>
      </ul><a href="ieListMeetings.aspx?CId=5&amp;Year=2024">2024</a></div>"""
    page = parse_meeting_list(html, "https://x.example/ieListMeetings.aspx?CId=5&Year=0")
    assert [(m.meeting_id, m.committee_id, m.start) for m in page.meetings] == [
        ("77", "5", datetime(2026, 3, 16, 18, 30)), ("78", "5", datetime(2026, 2, 2, 10, 0)),
    ]
    assert page.meetings[0].published_suffix == "Agenda" and page.meetings[1].published_suffix == ""
    assert page.year_urls == ("https://x.example/ieListMeetings.aspx?CId=5&Year=2024",)
    assert page.earlier_url == page.later_url == ""
