"""The command line: commands listed, exit codes 0/1/2, one-line errors, the writer lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchsvc.cli import cli
from searchsvc.lock import WriterLock

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["config", "crawl", "demo", "export", "index", "parse", "reparse", "schedule", "search", "serve", "status"]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHSVC_CONFIG", raising=False)
    monkeypatch.delenv("SEARCHSVC_DATA_DIR", raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)

    return invoke


def test_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "searchsvc", "--help"], capture_output=True, text=True, check=True)
    for name in COMMANDS:
        assert f"  {name} " in out.stdout, name


def test_config_prints_effective_settings(run, tmp_path):
    result = run("config")
    assert result.exit_code == 0
    assert f'data_dir = "{tmp_path / "data"}"' in result.output
    assert "# Politeness: at most this many requests" in result.output


def test_bad_config_file_is_exit_2_with_one_line(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[crawl]\nrequests_per_second = 'fast'\n")
    result = run("--config", str(bad), "config")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"searchsvc: error: {bad}: crawl.requests_per_second: expected a number, got 'fast'"]


def test_crawl_without_sources_is_a_usage_error(run):
    result = run("crawl")
    assert result.exit_code == 2
    assert "no [[sources]] configured" in result.output


def test_unknown_source_is_a_usage_error(run, tmp_path):
    conf = tmp_path / "c.toml"
    conf.write_text('[[sources]]\nname = "k"\nbase_url = "http://127.0.0.1:9/"\n')
    result = run("--config", str(conf), "crawl", "--source", "nope")
    assert result.exit_code == 2
    assert "no source named 'nope'" in result.output


def test_unknown_option_is_exit_2():
    assert CliRunner().invoke(cli, ["status", "--frobnicate"]).exit_code == 2


def test_a_runtime_failure_is_exit_1_with_one_line(run, tmp_path):
    result = run("export")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"searchsvc: error: no catalog in {tmp_path / 'data'}: nothing to export (run `searchsvc crawl` first)"]


def test_status_of_an_empty_data_directory(run):
    result = run("status")
    assert result.exit_code == 0, result.output
    assert "index: generation -" in result.output


def test_a_second_writer_exits_with_a_clear_message(run, tmp_path):
    conf = tmp_path / "c.toml"
    conf.write_text('[[sources]]\nname = "k"\nbase_url = "http://127.0.0.1:9/"\n')
    with WriterLock(tmp_path / "data", "index"):
        result = run("--config", str(conf), "crawl")
    assert result.exit_code == 1
    assert "another writer holds" in result.output and "job index" in result.output


def test_the_lock_is_free_again_after_the_holder_exits(tmp_path):
    code = ("import sys; from searchsvc.lock import WriterLock; "
            f"WriterLock({str(tmp_path)!r}, 'x').acquire(); sys.exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    with WriterLock(tmp_path, "y"):
        pass


def test_parse_a_missing_file_is_one_line(run):
    result = run("parse", "nope.html")
    assert result.exit_code == 1
    assert result.output.strip() == "searchsvc: error: no such file: nope.html"


def test_parse_a_saved_meeting_page_prints_items_with_passages_and_speakers(run, corpus):
    import json

    page = corpus / "kingston" / "ieListDocuments_CId711_MId10221.html"
    url = "https://moderngov.kingston.gov.uk/ieListDocuments.aspx?CId=711&MId=10221&Ver=4"
    conf = str(REPO / "config" / "searchsvc.toml")
    result = run("--config", conf, "parse", str(page), "--url", url, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "meeting" and len(data["items"]) == 12
    item = data["items"][0]
    assert item["number"] == "54." and item["date"] == "2026-01-15" and item["url"].endswith("#AI51890")
    assert set(item["passages"][0]) >= {"anchor", "text", "speakers", "raw_speakers"}
    assert item["passages"][0]["anchor"] == "p1"
    spoken = [p for i in data["items"] for p in i["passages"] if p["speakers"]]
    assert spoken, "some Kingston passages name their speaker"
    text = run("--config", conf, "parse", str(page), "--url", url)
    assert text.exit_code == 0 and "Public Question Time" in text.output


def test_parse_guesses_the_page_kind_from_a_saved_file_name(run, corpus):
    result = run("parse", str(corpus / "kingston" / "mgCommitteeDetails_ID711.html"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("committee: ")
