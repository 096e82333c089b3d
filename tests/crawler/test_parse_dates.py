"""Every date/time form ModernGov writes (crawler/moderngov/dates.py lists them), read day-first (UK order, never US)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from crawler.moderngov.dates import parse_date, parse_date_range, parse_stamp, parse_time, parse_when


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 15 January 2026 7:30 pm", datetime(2026, 1, 15, 19, 30)),  # Kingston h2
        ("Thursday, 25th September, 2008 7.30 pm", datetime(2008, 9, 25, 19, 30)),  # other installs
        ("Monday, 9th February, 2026", datetime(2026, 2, 9)),
        ("Agenda for Place Committee on Thursday 15 January 2026, 7:30 pm", datetime(2026, 1, 15, 19, 30)),
        ("2026-01-15", datetime(2026, 1, 15)),  # DC.date
        ("15 Jun 2026\u00a07&#58;30 pm", datetime(2026, 6, 15, 19, 30)),  # meeting list link, raw
        ("15 Jun 2026 7:30 pm", datetime(2026, 6, 15, 19, 30)),
        ("16 Mar 2026 6.30 pm", datetime(2026, 3, 16, 18, 30)),
        ("202409051930", datetime(2024, 9, 5, 19, 30)),  # paging D=
        ("Thursday 15-Jan-2026 19.30", datetime(2026, 1, 15, 19, 30)),  # PDF file name
        ("31st-Mar-2025", datetime(2025, 3, 31)),
        ("22&#47;10&#47;2015", datetime(2015, 10, 22)),  # decision pages
        ("22/10/2015", datetime(2015, 10, 22)),
        ("Meeting: 05/11/2015 - Council Business Committee (Item 13)", datetime(2015, 11, 5)),
        ("01%2f02%2f2020", datetime(2020, 2, 1)),  # query parameter
        ("12/01/2024 12.30 pm", datetime(2024, 1, 12, 12, 30)),
        ("3 Sept 2020 10am", datetime(2020, 9, 3, 10, 0)),
        ("2026-01-15T19:30:00", datetime(2026, 1, 15, 19, 30)),
    ],
)
def test_parse_when(text, expected):
    assert parse_when(text) == expected


def test_day_first_never_month_first():
    assert parse_date("03/04/2025") == date(2025, 4, 3)
    assert parse_date("12/01/2024") == date(2024, 1, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.30 pm", time(12, 30)),  # web service meetingtime
        ("6.00 pm", time(18, 0)),
        ("10.00 am", time(10, 0)),
        ("12:00 am", time(0, 0)),
        ("7pm", time(19, 0)),
        ("noon", time(12, 0)),
        ("19.30", time(19, 30)),
        ("", None),
        ("no time here", None),
        ("2026-01-15", None),  # the date is not a time
        ("13:75 pm", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", None, "no date", "31/02/2020", "Sept 3rd 2020", "15 Foo 2026"])
def test_unparseable_gives_none(text):
    assert parse_when(text) is None


def test_stamp_and_range():
    assert parse_stamp("20240905") == datetime(2024, 9, 5)
    assert parse_stamp("2024090519301") is None
    assert parse_date_range("01%2f01%2f2020-30%2f06%2f2020") == (date(2020, 1, 1), date(2020, 6, 30))
    assert parse_date_range("01/01/2020-30/06/2020") == (date(2020, 1, 1), date(2020, 6, 30))
    assert parse_date_range("01/01/2020") is None
