"""Every date and time form ModernGov writes, read day-first.

UK councils never write month-first, and ModernGov spells the same instant half
a dozen ways on one site: ``Thursday 15 January 2026 7:30 pm`` (meeting h2),
``Thursday, 25th September, 2008 7.30 pm`` (other installs), ``15 Jun 2026 7:30 pm``
(meeting lists), ``2026-01-15`` (DC.date), ``202409051930`` (paging parameter),
``22/10/2015`` (decisions, web service), ``01%2f01%2f2020-30%2f06%2f2020`` (date
ranges). The functions *search* text rather than match it whole, so a heading
such as ``Agenda for X on Thursday 15 January 2026, 7:30 pm`` parses as it is.

All values are naive, in UK local time, like the records that hold them.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import date, datetime, time
from urllib.parse import unquote

log = logging.getLogger(__name__)

__all__ = ["parse_date", "parse_date_range", "parse_stamp", "parse_time", "parse_when"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_WORD = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SEP = r"[\s,\-/.]+"
# 15 January 2026 / 25th September, 2008 / 15-Jan-2026 / 31st-Mar-2025
_TEXTUAL = re.compile(
    rf"(?<![\d])(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}{_MONTH_WORD}\.?{_SEP}(\d{{4}})(?!\d)", re.I
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")  # dd/mm/yyyy, UK order
_YMD_SLASH = re.compile(r"(?<![\d/])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])")
_STAMP = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2}))?\s*$")  # D=202409051930
# 7:30 pm / 6.30 pm / 12.30 p.m. / 7pm
_TIME_12 = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.I)
# 19.30 / 19:30 (24-hour, as in PDF names), only when no am/pm form is present
_TIME_24 = re.compile(r"(?<![\d:./-])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d:./])")
_NOON = re.compile(r"\b(noon|midday)\b", re.I)


def _normalise(text: str) -> str:
    # %2f-encoded slashes come from query strings; entities from title="" attributes.
    return html.unescape(unquote(text or "")).replace("\u00a0", " ")


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The first date in ``text`` and where it was, trying the least ambiguous forms first."""
    candidates = []
    m = _ISO.search(text)
    if m:
        candidates.append((m, _make_date(int(m[1]), int(m[2]), int(m[3]))))
    m = _TEXTUAL.search(text)
    if m:
        candidates.append((m, _make_date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))))
    m = _NUMERIC.search(text)
    if m:
        candidates.append((m, _make_date(int(m[3]), int(m[2]), int(m[1]))))
    m = _YMD_SLASH.search(text)
    if m:
        candidates.append((m, _make_date(int(m[1]), int(m[2]), int(m[3]))))
    found = [(m.start(), m.end(), d) for m, d in candidates if d is not None]
    if not found:
        return None
    start, end, value = min(found, key=lambda f: f[0])
    return value, (start, end)


def parse_date(text: str | None) -> date | None:
    """The first date written in ``text`` (any §4 form, day-first), or None."""
    if not text:
        return None
    stamp = parse_stamp(text)
    if stamp is not None:
        return stamp.date()
    found = _find_date(_normalise(text))
    return found[0] if found else None


def parse_time(text: str | None) -> time | None:
    """The first clock time in ``text``: ``7:30 pm``, ``6.30 pm``, ``7pm``, ``noon``, ``19.30``."""
    if not text:
        return None
    stamp = parse_stamp(text)
    if stamp is not None:
        return stamp.time() if len(text.strip()) == 12 else None
    text = _normalise(text)
    iso = _ISO.search(text)
    if iso and iso[4]:
        hour, minute = int(iso[4]), int(iso[5])
        return time(hour, minute) if hour < 24 and minute < 60 else None
    found = _find_date(text)
    if found:  # never read a time out of the date itself (2026-01-15, 15.01…)
        start, end = found[1]
        text = text[:start] + " " + text[end:]
    m = _TIME_12.search(text)
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m[3].lower() == "p" else 0)
        return time(hour, minute)
    if _NOON.search(text):
        return time(12, 0)
    m = _TIME_24.search(text)
    if m:
        return time(int(m[1]), int(m[2]))
    return None


def parse_when(text: str | None) -> datetime | None:
    """Date and time written in ``text`` as one datetime (midnight when no time is given).

    ``"Thursday 15 January 2026 7:30 pm"`` → 2026-01-15 19:30; ``"10/01/2024"`` →
    2024-01-10 00:00; ``"202409051930"`` → 2024-09-05 19:30; None when no date.
    """
    if not text:
        return None
    stamp = parse_stamp(text)
    if stamp is not None:
        return stamp
    normal = _normalise(text)
    found = _find_date(normal)
    if not found:
        return None
    clock = parse_time(normal) or time(0, 0)
    return datetime.combine(found[0], clock)


def parse_stamp(text: str | None) -> datetime | None:
    """The paging parameter ``D=yyyyMMddHHmm`` (or ``yyyyMMdd``) as a datetime, else None."""
    m = _STAMP.match(text or "")
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
    except ValueError:
        return None


def parse_date_range(text: str | None) -> tuple[date, date] | None:
    """A ``DR=`` range ``01%2f01%2f2020-30%2f06%2f2020`` (or plain slashes) as two dates."""
    text = _normalise(text or "")
    dates = [_make_date(int(m[3]), int(m[2]), int(m[1])) for m in _NUMERIC.finditer(text)]
    dates = [d for d in dates if d is not None]
    if len(dates) != 2:
        return None
    return dates[0], dates[1]
