"""mgWebService.asmx XML: the Manchester responses, and the ways a response can go wrong."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.moderngov import parse_ws_committees, parse_ws_meeting, parse_ws_meetings
from searchsvc.errors import ParseError
from searchsvc.records import CANCELLED, DOC_REPORT, HELD

WS = "https://democracy.manchester.gov.uk/mgWebService.asmx/"


def test_get_committees(read_page):
    page = parse_ws_committees(read_page("manchester/GetCommittees_TRIMMED.xml"), WS + "GetCommittees", source="m")
    assert [(c.committee_id, c.name) for c in page.committees] == [
        ("312", "Appointment Sub Committee for Director of Adult Social Services"),
        ("163", "Art Galleries Committee"), ("144", "Audit Committee"),
    ]
    assert page.committees[2].category == "Governance and Decision Making Committees"
    assert page.committees[2].url == "https://democracy.manchester.gov.uk/mgCommitteeDetails.aspx?ID=144"
    assert page.expired_ids == ("312",)


def test_get_meetings(read_page):
    page = parse_ws_meetings(read_page("manchester/GetMeetings_lCommitteeId144_TRIMMED.xml"),
                             WS + "GetMeetings?lCommitteeId=144")
    assert [(m.meeting_id, m.start, m.cancelled) for m in page.meetings] == [
        ("4966", datetime(2026, 1, 13, 10, 0), True), ("4967", datetime(2026, 2, 10, 10, 0), False),
    ]
    assert page.meetings[1].url == "https://democracy.manchester.gov.uk/ieListDocuments.aspx?CId=144&MId=4967&Ver=4"
    assert page.meetings[1].committee_name == "Audit Committee"
    assert (page.committee_id, page.committee_name) == ("144", "Audit Committee")


def test_get_meeting_with_minutes(read_page):
    page = parse_ws_meeting(read_page("manchester/GetMeeting_lMeetingId4967_with_minutes_TRIMMED.xml"),
                            WS + "GetMeeting?lMeetingId=4967", source="m", committee_id="144",
                            committee_name="Audit Committee")
    meeting = page.meeting
    assert (meeting.meeting_id, meeting.committee_id, meeting.committee_name) == ("4967", "144", "Audit Committee")
    assert meeting.start == datetime(2026, 2, 10, 10, 0)
    assert meeting.venue == "Council Antechamber, Level 2, Town Hall Extension"
    assert meeting.status == HELD and meeting.published == "Agenda and minutes"
    assert [(i.item_id, i.number, i.title, i.position) for i in page.items] == [
        ("18831", "1.", "Minutes", 1), ("18833", "9.", "Work Programme", 2),
    ]
    assert page.items[1].minutes_paragraphs[0].startswith("The Committee considered a report of the")
    assert page.items[0].agenda_text.startswith("To approve as a correct record")
    assert page.items[0].documents[0].url == "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60860"
    assert page.items[0].documents[0].kind == DOC_REPORT
    assert meeting.attendance[0].name == "Councillor Basil Curley"
    assert (meeting.attendance[0].uid, meeting.attendance[0].attendance) == ("192", "Expected")
    assert page.has_minutes


def test_get_meeting_cancelled(read_page):
    page = parse_ws_meeting(read_page("manchester/GetMeeting_lMeetingId4966_cancelled_TRIMMED.xml"),
                            WS + "GetMeeting?lMeetingId=4966")
    assert page.meeting.status == CANCELLED
    assert page.items == () and not page.has_minutes
    assert page.meeting.url == "https://democracy.manchester.gov.uk/ieListDocuments.aspx?MId=4966&Ver=4"


MEETING_XML = """<?xml version="1.0" encoding="utf-8"?>
<meeting><meetingid>7</meetingid><meetingdate>21/11/2025</meetingdate><meetingstatus>Confirmed; Special Meeting</meetingstatus>
<meetingtime>12.30 pm</meetingtime><decisionpublished>True</decisionpublished>
<agendaitems><agendaitem><agendaitemid>70</agendaitemid><agendaitemtitle>Member&amp;#39;s Question &amp;amp; Answer</agendaitemtitle>
<decisionnonemptyhtmlbody>&lt;p&gt;RESOLVED&lt;/p&gt;&lt;p&gt;&amp;nbsp;&lt;/p&gt;&lt;p&gt;1. Agreed.&lt;/p&gt;</decisionnonemptyhtmlbody>
<fulldisplaynumberformat> 5. </fulldisplaynumberformat></agendaitem></agendaitems>
<attendees><attendee name="Councillor A &amp;#39;Ames" roledescription="Chair" attendance="Present, as expected" memberid="4"/></attendees></meeting>"""


def test_double_escaped_titles_and_escaped_html_bodies():
    page = parse_ws_meeting(MEETING_XML, WS + "GetMeeting?lMeetingId=7")
    item = page.items[0]
    assert item.title == "Member's Question & Answer"
    assert item.number == "5."
    assert item.decision_paragraphs == ("RESOLVED", "1. Agreed.")
    assert page.meeting.start == datetime(2025, 11, 21, 12, 30)
    assert page.meeting.attendance[0].name == "Councillor A 'Ames"
    assert page.meeting.attendance[0].attendance == "Present"
    assert page.meeting.published == "Decisions"


def test_soap_envelope_is_unwrapped():
    soap = f"""<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
      <GetMeetingResponse xmlns="http://moderngov.co.uk/namespaces"><GetMeetingResult>
      {MEETING_XML.split("?>", 1)[1]}</GetMeetingResult></GetMeetingResponse></soap:Body></soap:Envelope>"""
    assert parse_ws_meeting(soap, WS + "GetMeeting").items[0].item_id == "70"


def test_html_error_page_instead_of_xml():
    html = "<!DOCTYPE html><html><head><title>Runtime Error</title></head><body>Server Error in '/' Application.</body></html>"
    with pytest.raises(ParseError) as error:
        parse_ws_committees(html.encode(), WS + "GetCommittees")
    assert "HTML page" in str(error.value) and "Runtime Error" in str(error.value)
    assert WS + "GetCommittees" in str(error.value)


def test_malformed_and_unexpected_xml():
    with pytest.raises(ParseError, match="not well-formed"):
        parse_ws_meetings("<getmeetings><meeting>", WS + "GetMeetings")
    with pytest.raises(ParseError, match="expected XML root <meeting>"):
        parse_ws_meeting("<committees/>", WS + "GetMeeting")
