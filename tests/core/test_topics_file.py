"""The topic taxonomy ships inside the package: a configuration kept anywhere works without a
topics.toml beside it, one beside it is used, and a file the configuration names is read from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchsvc.config import PACKAGED_TOPICS, load_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config/ folder here
    folder = tmp_path / "etc" / "searchsvc"
    folder.mkdir(parents=True)
    return folder


def test_a_config_kept_anywhere_uses_the_shipped_taxonomy(elsewhere):
    path = elsewhere / "searchsvc.toml"
    path.write_text('[storage]\ndata_dir = "data"\n')
    config = load_config(path, environ={})
    assert config.topics_file == PACKAGED_TOPICS
    assert load_taxonomy(config.topics_file).topics


def test_no_config_file_at_all_uses_the_shipped_taxonomy(elsewhere):
    assert load_config(None, environ={}).topics_file == PACKAGED_TOPICS


def test_a_topics_file_beside_the_config_is_used(elsewhere):
    (elsewhere / "searchsvc.toml").write_text("")
    (elsewhere / "topics.toml").write_text('[[topic]]\nname = "Canals"\nphrases = ["canal"]\n')
    config = load_config(elsewhere / "searchsvc.toml", environ={})
    assert config.topics_file == elsewhere / "topics.toml"
    assert [t.name for t in load_taxonomy(config.topics_file).topics] == ["Canals"]


def test_a_named_topics_file_is_read_from_there_and_never_replaced(elsewhere):
    (elsewhere / "searchsvc.toml").write_text('[enrich]\ntopics_file = "mine.toml"\n')
    config = load_config(elsewhere / "searchsvc.toml", environ={})
    assert config.topics_file == elsewhere / "mine.toml"
    with pytest.raises(ConfigError, match="mine.toml: cannot read topic taxonomy"):
        load_taxonomy(config.topics_file)


def test_the_repository_config_folder_keeps_its_editable_copy_of_the_shipped_taxonomy():
    assert (REPO / "config" / "topics.toml").read_text() == PACKAGED_TOPICS.read_text()
    config = load_config(REPO / "config" / "searchsvc.toml", environ={})
    assert config.topics_file == REPO / "config" / "topics.toml"
