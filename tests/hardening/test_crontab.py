"""The configuration's cron check (searchsvc/crontab.py, no APScheduler) says yes and no exactly
where the scheduler's own parser does, so a file that loads always schedules."""

from __future__ import annotations

import pytest
from apscheduler.triggers.cron import CronTrigger

from searchsvc.crontab import cron_problem

EXPRESSIONS = [
    "0 2 * * *", "30 3 * * 0", "*/15 * * * *", "0 0-23/2 * * *", "5/10 * * * *", "0 2 1,15 * *",
    "0 2 * jan-mar mon-fri", "0 2 last * *", "0 2 * * sun", "59 23 31 12 6", "0 2 * * MON",
    "99 2 * * *", "0 24 * * *", "0 2 0 * *", "0 2 * 13 *", "0 2 * * 7", "0 2 * * funday",
    "*/0 * * * *", "0 2 * *", "0 2 * * * *", "", "5-1 * * * *", "0 2 * * mon-fri/2", "a b c d e",
    "0 2 ? * *", "0-59/60 * * * *", "1-2-3 * * * *", "0 2 * feb/2 *", "0 2 last-1 * *",
    "0 2 * dec-jan *", "0 2 * * sun-mon", "0 2 1,,2 * *", "0 2 * * mon,wed,fri", "50/10 * * * *",
    "50/9 * * * *", "0 2 * * */7", "0 2 * * */6", "0 2 lastly * *", "0 2 1-31/30 * *",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_check_agrees_with_the_scheduler(expression):
    try:
        CronTrigger.from_crontab(expression)
        scheduler_takes_it = True
    except (ValueError, TypeError, KeyError):
        scheduler_takes_it = False
    assert (cron_problem(expression) is None) == scheduler_takes_it, (expression, cron_problem(expression))
