"""Every saved ModernGov page in the corpus, parsed with its original URL, against a golden JSON.

The URLs are the pages' original addresses from the corpus MANIFEST.md; the
dispatcher picks the parser from the URL, so this also checks ``parse_page``.
"""

from __future__ import annotations

import pytest

from crawler.moderngov import parse_page

KINGSTON = "https://moderngov.kingston.gov.uk/"
MANCHESTER = "https://democracy.manchester.gov.uk/"

# (golden name, corpus file, original URL, parse_page keyword arguments)
CASES = [
    ("kingston_committee_structure", "kingston/mgCommitteeStructure.html",
     KINGSTON + "mgCommitteeStructure.aspx", {"source": "kingston"}),
    ("kingston_committee_711", "kingston/mgCommitteeDetails_ID711.html",
     KINGSTON + "mgCommitteeDetails.aspx?ID=711", {"source": "kingston"}),
    ("kingston_meetings_711", "kingston/ieListMeetings_CommitteeId711.html",
     KINGSTON + "ieListMeetings.aspx?CommitteeId=711", {"source": "kingston"}),
    ("kingston_meeting_10221", "kingston/ieListDocuments_CId711_MId10221.html",
     KINGSTON + "ieListDocuments.aspx?CId=711&MId=10221&Ver=4", {"source": "kingston"}),
    ("kingston_meeting_10161_cancelled", "kingston/ieListDocuments_CId711_MId10161_cancelled.html",
     KINGSTON + "ieListDocuments.aspx?CId=711&MId=10161&Ver=4", {"source": "kingston"}),
    ("kingston_meeting_10214_edited", "kingston/ieListDocuments_CId179_MId10214_EDITED-by-test-author.html",
     KINGSTON + "ieListDocuments.aspx?CId=179&MId=10214&Ver=4", {"source": "kingston"}),
    ("manchester_getcommittees", "manchester/GetCommittees_TRIMMED.xml",
     MANCHESTER + "mgWebService.asmx/GetCommittees", {"source": "manchester"}),
    ("manchester_getmeetings_144", "manchester/GetMeetings_lCommitteeId144_TRIMMED.xml",
     MANCHESTER + "mgWebService.asmx/GetMeetings?lCommitteeId=144", {"source": "manchester"}),
    ("manchester_getmeeting_4967", "manchester/GetMeeting_lMeetingId4967_with_minutes_TRIMMED.xml",
     MANCHESTER + "mgWebService.asmx/GetMeeting?lMeetingId=4967",
     {"source": "manchester", "committee_id": "144", "committee_name": "Audit Committee"}),
    ("manchester_getmeeting_4966_cancelled", "manchester/GetMeeting_lMeetingId4966_cancelled_TRIMMED.xml",
     MANCHESTER + "mgWebService.asmx/GetMeeting?lMeetingId=4966",
     {"source": "manchester", "committee_id": "144", "committee_name": "Audit Committee"}),
]


@pytest.mark.parametrize(("name", "relative", "url", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_page_matches_golden(name, relative, url, kwargs, read_page, golden):
    golden(name, parse_page(read_page(relative), url, **kwargs))


@pytest.mark.parametrize(("name", "relative", "url", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_str_and_bytes_parse_alike(name, relative, url, kwargs, read_page):
    raw = read_page(relative)
    assert parse_page(raw.decode("utf-8"), url, **kwargs) == parse_page(raw, url, **kwargs)
