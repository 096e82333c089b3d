"""`searchsvc search` and `export --out -` as a person uses them: piped into head, read in a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "SEARCHSVC_CONFIG": "", "SEARCHSVC_DATA_DIR": ""}


def _reader_gone(data_dir: Path, *args: str) -> tuple[int, str]:
    """Run the CLI writing into a pipe whose reader has already gone, as `| head` leaves it once head
    has its lines (deterministic: the read end is closed before the command starts); (exit code, stderr)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "searchsvc", "--data-dir", str(data_dir), *args],
                              stdout=write_end, stderr=subprocess.PIPE, env=_env(), cwd=data_dir, text=True)
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def test_search_piped_into_head_stops_quietly(data_dir):
    code, err = _reader_gone(data_dir, "search", "budget")
    assert code == 0 and "BrokenPipe" not in err and "Traceback" not in err and "error" not in err, err


def test_export_to_stdout_piped_into_head_stops_quietly(data_dir):
    code, err = _reader_gone(data_dir, "export", "--format", "jsonl", "--out", "-")
    assert code == 0 and "BrokenPipe" not in err and "Traceback" not in err, err


def test_search_really_piped_into_head_prints_the_first_line(data_dir):
    cli = subprocess.Popen([sys.executable, "-m", "searchsvc", "--data-dir", str(data_dir), "search", "budget"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=data_dir)
    head = subprocess.run(["head", "-n", "1"], stdin=cli.stdout, capture_output=True, text=True)
    cli.stdout.close()
    assert head.stdout.startswith("8 items") and cli.wait() == 0


def test_text_results_say_which_page_and_link_each_item(data_dir):
    out = subprocess.run([sys.executable, "-m", "searchsvc", "--data-dir", str(data_dir), "search", "budget",
                          "--per-page", "3"], capture_output=True, text=True, env=_env(), cwd=data_dir, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "8 items, page 1 of 3"
    assert "    http://127.0.0.1:5000/items/kingston:item:" in out.stdout
