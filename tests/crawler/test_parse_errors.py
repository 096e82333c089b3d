"""Every HTML parser refuses a page without div#modgov, naming the URL and the selector."""

from __future__ import annotations

import pytest

from crawler.moderngov import (
    parse_attendance_page,
    parse_committee_list,
    parse_committee_page,
    parse_item_page,
    parse_meeting_list,
    parse_meeting_page,
)
from searchsvc.errors import ParseError

NOT_MODERNGOV = "<html><head><title>Service unavailable</title></head><body><div id='content'>Sorry</div></body></html>"
PARSERS = [
    (parse_committee_list, "https://x.example/mgCommitteeStructure.aspx"),
    (parse_committee_page, "https://x.example/mgCommitteeDetails.aspx?ID=1"),
    (parse_meeting_list, "https://x.example/ieListMeetings.aspx?CId=1"),
    (parse_meeting_page, "https://x.example/ieListDocuments.aspx?CId=1&MId=2"),
    (parse_item_page, "https://x.example/mgAi.aspx?ID=3"),
    (parse_attendance_page, "https://x.example/mgMeetingAttendance.aspx?ID=2"),
]


@pytest.mark.parametrize(("parser", "url"), PARSERS, ids=[p[0].__name__ for p in PARSERS])
def test_page_without_modgov_raises_parse_error(parser, url):
    with pytest.raises(ParseError) as error:
        parser(NOT_MODERNGOV, url)
    message = str(error.value)
    assert url in message
    assert "(selector div#modgov)" in message
    assert error.value.url == url


def test_committee_page_without_name_heading():
    with pytest.raises(ParseError, match=r"selector h2\.mgSubTitleTxt"):
        parse_committee_page('<div id="modgov"><h1 class="mgMainTitleTxt">Committee details</h1></div>',
                             "https://x.example/mgCommitteeDetails.aspx?ID=1")
