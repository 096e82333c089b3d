"""Configuration loading: precedence, every documented setting, and one-line errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from searchsvc.config import SETTINGS, SOURCE_KEYS, load_config, parse_config
from searchsvc.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.path is None
    assert config.data_dir == tmp_path.resolve() / "indexes"  # resolved where the command started
    assert config["crawl.requests_per_second"] == 1.0
    assert config.sources == ()


def test_the_shipped_default_file_loads():
    config = load_config(REPO / "config" / "searchsvc.toml", environ={})
    assert config["schedule.timezone"] == "Europe/London"


def test_sources_are_parsed(tmp_path):
    path = write(tmp_path, """
[crawl]
requests_per_second = 2
[[sources]]
name = "kingston"
title = "Royal Borough of Kingston upon Thames"
base_url = "https://moderngov.kingston.gov.uk"
committees = [711, "179"]
since = "2015-01-01"
""")
    config = load_config(path, environ={})
    assert config["crawl.requests_per_second"] == 2.0
    (source,) = config.sources
    assert source.name == "kingston" and source.kind == "moderngov"
    assert source.base_url == "https://moderngov.kingston.gov.uk/"
    assert source.committees == ("711", "179")
    assert source.since == date(2015, 1, 1)
    assert config.source("kingston") is source
    with pytest.raises(ConfigError, match="no source named 'x'"):
        config.source("x")


def test_precedence_file_then_env_then_flag(tmp_path):
    path = write(tmp_path, '[storage]\ndata_dir = "/from/file"\n')
    assert load_config(path, environ={}).data_dir == Path("/from/file")
    assert load_config(path, environ={"SEARCHSVC_DATA_DIR": "/from/env"}).data_dir == Path("/from/env")
    config = load_config(path, environ={"SEARCHSVC_DATA_DIR": "/from/env"}, data_dir="/from/flag")
    assert config.data_dir == Path("/from/flag")


def test_config_file_from_environment(tmp_path):
    path = write(tmp_path, "[web]\nport = 8080\n")
    assert load_config(environ={"SEARCHSVC_CONFIG": str(path)})["web.port"] == 8080


@pytest.mark.parametrize("text, message", [
    ("[crawl]\nrequests_per_second = 'fast'\n", r"c\.toml: crawl\.requests_per_second: expected a number, got 'fast'"),
    ("[crawl]\nspeed = 1\n", r"unknown key crawl\.speed \(known in \[crawl\]: requests_per_second"),
    ("[crawler]\nx = 1\n", r"unknown section \[crawler\]"),
    ("[web]\nport = 70000\n", r"web\.port: expected a port number"),
    ("[web]\nthreads = 0\n", r"web\.threads: expected a number above 0"),
    ("[schedule]\nnightly = 'at two'\n", r"schedule\.nightly: expected a cron expression of five fields"),
    ("[[sources]]\ntitle = 'x'\nbase_url = 'https://a.example/'\n", r"sources\[0\]: missing required key 'name'"),
    ("[[sources]]\nname = 'a'\nbase_url = 'ftp://a.example/'\n", r"sources\[0\]\.base_url: expected an http\(s\) URL"),
    ("[[sources]]\nname = 'a'\nbase_url = 'https://a.example/'\nsince = '01/02/2015'\n", r"since: expected a date YYYY-MM-DD"),
    ("[[sources]]\nname = 'a'\nbase_url = 'https://a.example/'\nkind = 'cmis'\n", r"kind: expected one of moderngov"),
    ("[[sources]]\nname = 'a'\nbase_url = 'https://a.example/'\ncolour = 1\n", r"unknown key 'colour'"),
    ("[[sources]]\nname = 'a'\nbase_url = 'https://a.example/'\n[[sources]]\nname = 'a'\nbase_url = 'https://b.example/'\n",
     r"two sources are named 'a'"),
    ("[crawl\n", r"c\.toml: not valid TOML"),
])
def test_errors_name_file_key_and_expectation(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        load_config(write(tmp_path, text), environ={})
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    missing += [f"sources.{k}" for k in SOURCE_KEYS if f"`{k}`" not in readme]
    assert not missing, f"README does not document: {missing}"


def test_parse_config_is_pure_and_rejects_non_tables():
    with pytest.raises(ConfigError, match="sources must be an array"):
        parse_config({"sources": {"name": "x"}})
    assert parse_config({}).values["web.host"] == "127.0.0.1"
