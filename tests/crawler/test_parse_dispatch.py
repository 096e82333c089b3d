"""classify(url) and parse_page: the parser is chosen from the URL alone."""

from __future__ import annotations

import pytest

from crawler.moderngov import PAGE_KINDS, classify, parse_page
from crawler.moderngov.pages import CommitteeListPage
from searchsvc.errors import ParseError

B = "https://democracy.example.gov.uk/"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (B + "mgCommitteeStructure.aspx", "committee_list"),
        (B + "mgListCommittees.aspx?bcr=1", "committee_list"),
        (B + "MGCOMMITTEEDETAILS.ASPX?ID=5", "committee"),
        (B + "ieListMeetings.aspx?CId=5&Year=0", "meeting_list"),
        ("https://ww5.swindon.gov.uk/moderngov/ieListDocuments.aspx?CId=1&MId=2", "meeting"),
        (B + "mgAi.aspx?ID=51593", "item"),
        (B + "mgMeetingAttendance.aspx?ID=10221", "attendance"),
        (B + "documents/g10230/Printed%20minutes.pdf?T=1", "document"),
        (B + "documents/s111920/Minutes.pdf", "document"),
        (B + "mgConvert2PDF.aspx?ID=60860", "document"),
        (B + "mgChooseDocPack.aspx?ID=10230", "document"),
        (B + "mgWebService.asmx/GetCommittees", "webservice_getcommittees"),
        (B + "mgWebService.asmx/GetMeeting?lMeetingId=4967", "webservice_getmeeting"),
        (B + "mgWebService.asmx/GetMeetings?lCommitteeId=1", "webservice_getmeetings"),
        (B + "mgWebService.asmx", "other"),
        (B + "mgUserInfo.aspx?UID=12", "other"),
        (B, "other"),
    ],
)
def test_classify(url, kind):
    assert classify(url) == kind
    assert kind in PAGE_KINDS


def test_parse_page_dispatches_and_refuses_unknown_kinds():
    html = '<div id="modgov"><ul><li><a href="mgCommitteeDetails.aspx?ID=9">Cabinet</a></li></ul></div>'
    assert isinstance(parse_page(html, B + "mgListCommittees.aspx", source="x"), CommitteeListPage)
    with pytest.raises(ParseError, match="no parser"):
        parse_page(b"%PDF-1.4", B + "documents/s1/x.pdf")
