"""Whether a cron expression is one the scheduler will take, checked when the configuration loads.

Why here and without APScheduler: a typo in ``schedule.nightly`` must fail ``searchsvc config``,
not the 02:00 run, yet the configuration is imported by every layer and APScheduler belongs to
``searchsvc.schedule`` alone (tests/core/test_layers.py). This is the grammar of APScheduler's
``CronTrigger.from_crontab`` (five fields: minute hour day month day-of-week; ``*``, ``*/n``,
``a``, ``a-b``, ``a-b/n``, comma lists, month and weekday names without steps, and ``last`` in
the day field); tests/hardening/test_crontab.py holds it to APScheduler's answers.
A pure function.
"""

from __future__ import annotations

import re

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FIELDS = (("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day", 1, 31, ()), ("month", 1, 12, MONTHS),
           ("day of week", 0, 6, WEEKDAYS))
_ALL = re.compile(r"\*(?:/(?P<step>\d+))?$")
_RANGE = re.compile(r"(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<step>\d+))?$")
_NAMES = re.compile(r"(?P<first>[a-z]+)(?:-(?P<last>[a-z]+))?")  # like APScheduler: a prefix match


def cron_problem(expression: str) -> str | None:
    """None when ``expression`` is a valid five-field cron expression, else what is wrong, in words."""
    fields = expression.split()
    if len(fields) != 5:
        return f"expected 5 fields (minute hour day month day-of-week), got {len(fields)}"
    for text, (name, low, high, names) in zip(fields, _FIELDS):
        for part in text.lower().split(","):
            problem = _part_problem(part, name, low, high, names)
            if problem:
                return problem
    return None


def _part_problem(part: str, name: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    """APScheduler's expressions in its order: ``*[/n]``, ``a[-b][/n]``, then names, then ``last``."""
    if m := _ALL.match(part):
        return _step_problem(name, m["step"], high - low)
    if m := _RANGE.match(part):
        first, last = int(m["first"]), m["last"]
        if last is None and m["step"] is None:
            last = first
        if last is not None and first > int(last):
            return f"{name}: the range {part!r} runs backwards"
        if first < low or last is not None and int(last) > high:
            return f"{name}: {part!r} is not between {low} and {high}"
        return _step_problem(name, m["step"], (int(last) if last is not None else high) - first)
    if names and (m := _NAMES.match(part)):
        ends = [e for e in (m["first"], m["last"]) if e is not None]
        unknown = [e for e in ends if e not in names]
        if unknown:
            return f"{name}: {unknown[0]!r} is not one of {', '.join(names)}"
        if len(ends) == 2 and names.index(ends[0]) > names.index(ends[1]):
            return f"{name}: the range {part!r} runs backwards"
        return None
    if name == "day" and part.startswith("last"):
        return None
    return f"{name}: {part!r} is not a value, range or step"


def _step_problem(name: str, step: str | None, span: int) -> str | None:
    if step is None:
        return None
    if int(step) == 0:
        return f"{name}: a step of 0"
    if int(step) > span:
        return f"{name}: a step of {step} is more than the range it steps through ({span})"
    return None
