"""Job names have one owner (searchsvc/jobnames.py): the scheduler, `schedule --once` and the
admin action take their lists from it, so a job added there is runnable everywhere or fails here."""

from __future__ import annotations

from click.testing import CliRunner

from searchsvc import jobnames
from searchsvc.cli import cli
from searchsvc.config import SETTINGS, parse_config
from searchsvc.schedule import RUNNERS, build_scheduler


class _Recorder:
    def __init__(self, **kwargs) -> None:
        self.jobs: list[str] = []

    def add_job(self, func, trigger, **kwargs) -> None:
        self.jobs.append(kwargs["id"])


def test_every_scheduled_job_has_a_runner_and_a_cron_setting():
    settings = {s.name for s in SETTINGS}
    for job in jobnames.SCHEDULED:
        assert job.name in RUNNERS, job
        assert job.schedule_setting in settings, job


def test_the_scheduler_runs_exactly_the_scheduled_jobs(tmp_path):
    config = parse_config({"storage": {"data_dir": str(tmp_path)}})
    scheduler = build_scheduler(config, scheduler_factory=_Recorder)
    assert scheduler.jobs == list(jobnames.SCHEDULED_NAMES)


def test_schedule_once_offers_the_scheduled_jobs(tmp_path):
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "schedule", "--once", "sometimes"])
    assert result.exit_code == 2
    for name in jobnames.SCHEDULED_NAMES:
        assert f"'{name}'" in result.output


def test_recorded_runs_are_labelled_in_plain_words():
    assert jobnames.label("rebuild") == "full rebuild"
    assert jobnames.label("something-older") == "something-older"
