"""Every search example shown to people — the search tips on the pages and the README's
"Searching" table — run against the built-in sample council, and each must find something."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from searchsvc.config import parse_config
from searchsvc.demo import run_demo
from searchsvc.web import create_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    data = tmp_path_factory.mktemp("sample-council")
    config = parse_config({"storage": {"data_dir": str(data)},
                           "enrich": {"topics_file": str(REPO / "config" / "topics.toml")}})
    run_demo(config, sample_port=0, size=0.1, port=None, serve=False, echo=lambda line: None)
    app = create_app(config, {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data)})
    yield app.test_client()
    app.extensions["searchsvc"].close()


def tip_examples(client) -> list[str]:
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    return [code.get_text() for code in soup.select(".syntax-help code, #q-hint code")]


def readme_examples() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Searching\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return [code for row in rows for code in re.findall(r"`([^`]+)`", row)]


def test_every_search_example_finds_something_in_the_sample_council(sample_client):
    examples = list(dict.fromkeys(tip_examples(sample_client) + readme_examples()))
    assert "committee:planning" in examples and len(examples) >= 10
    empty = []
    for q in examples:
        data = sample_client.get("/api/search", query_string={"q": q, "procedural": "show"}).get_json()
        assert data["ok"], (q, data)
        if not data["total"]:
            empty.append(q)
    assert empty == [], f"examples that find nothing: {empty}"
