"""Issue 18, item 13: a configuration value that passes validation must never crash later with a
traceback; everything, schedule included, is checked when the file is loaded."""

from __future__ import annotations

import pytest

from searchsvc.config import load_config
from searchsvc.errors import ConfigError
from tests.hardening.kit import cli, run


@pytest.mark.parametrize("text, says", [
    ("[crawl]\ntimeout_seconds = nan\n", "crawl.timeout_seconds: expected a finite number"),
    ("[crawl]\ntimeout_seconds = inf\n", "crawl.timeout_seconds: expected a finite number"),
    ("[crawl]\nrequests_per_second = inf\n", "crawl.requests_per_second: expected a finite number"),
    ("[schedule]\nnightly = \"99 2 * * *\"\n", "schedule.nightly: not a valid cron expression"),
    ("[schedule]\nrebuild = \"0 2 * * funday\"\n", "schedule.rebuild: not a valid cron expression"),
    ("[schedule]\ntimezone = \"Mars/Olympus\"\n", "schedule.timezone: unknown time zone"),
])
def test_bad_values_fail_at_load_with_the_key(tmp_path, text, says):
    conf = tmp_path / "c.toml"
    conf.write_text(text)
    with pytest.raises(ConfigError, match=says.split(":")[0]) as caught:
        load_config(conf, environ={})
    assert says in str(caught.value)
    done = run(cli(conf, "config"))
    assert done.returncode != 0 and "Traceback" not in done.stderr and says in done.stderr


def test_a_non_utf8_file_is_a_clear_error(tmp_path):
    conf = tmp_path / "c.toml"
    conf.write_bytes(b"[crawl]\nuser_agent = \"caf\xe9 bot\"\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(conf, environ={})
    done = run(cli(conf, "config"))
    assert done.returncode != 0 and "Traceback" not in done.stderr and "not UTF-8" in done.stderr


def test_a_port_out_of_range_on_the_command_line_is_refused(tmp_path):
    conf = tmp_path / "c.toml"
    conf.write_text("")
    done = run(cli(conf, "serve", "--port", "99999"), timeout=30)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "99999" in done.stderr
