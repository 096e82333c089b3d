"""The title block and attendance of printed minutes, as HTML attendance gives them."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.printed.header import read_header
from crawler.printed.minutes import read_printed_minutes
from searchsvc.records import Member
from tests.printed.shapes import SHAPES


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
def test_each_shape_names_its_people_and_roles(shape):
    s = shape()
    header = read_printed_minutes(s.pdf()).header
    roles = {m.name: m.role for m in header.attendance}
    for name, role in s.present.items():
        assert roles.get(name) == role, (name, roles)
    assert header.start is not None


def test_present_list_with_chair_vice_chair_plural_titles_officers_and_apologies():
    h = read_header(["CABINET", "Minutes of the meeting held on Wednesday 12 June 2024 at 7.00 pm",
                     "PRESENT: Councillor Hana Okafor (Chair), Councillor Rob Ellis (Vice-Chair), "
                     "Councillors Mei Tan and Joe Walsh.",
                     "Also present: Councillor Lee Park.",
                     "Officers in attendance: Jo Cole (Head of Planning), Democratic Services Officer.",
                     "Apologies for absence were received from Councillor Ian Ford."])
    assert h.committee == "Cabinet"
    assert h.start == datetime(2024, 6, 12, 19, 0)
    assert h.attendance == (
        Member("Councillor Hana Okafor", "Chair", attendance="Present"),
        Member("Councillor Rob Ellis", "Vice-Chair", attendance="Present"),
        Member("Councillor Mei Tan", "", attendance="Present"),
        Member("Councillor Joe Walsh", "", attendance="Present"),
        Member("Councillor Lee Park", "", attendance="In attendance"),
        Member("Jo Cole", "Head of Planning", attendance="In attendance"),
        Member("Democratic Services Officer", "Officer", attendance="In attendance"),
        Member("Councillor Ian Ford", "", attendance="Apologies"),
    )


def test_officers_as_post_then_name():
    h = read_header(["Minutes", "Officers Present : Chief Executive - H Moran; Borough Lawyer - P Cass"])
    assert [(m.name, m.role) for m in h.attendance] == [("H Moran", "Chief Executive"), ("P Cass", "Borough Lawyer")]
