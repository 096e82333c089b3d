"""The real-council evaluation set (tests/enrich/real_eval) stays well-formed.

Checks form only, through real_eval/check_labels.py: each example is modelled on a
council of its own half and one of that council's corpus-map pages, its context
exists, and its expected speakers are written in the canonical form RULES.md
defines. It never runs the speaker attribution: the labels must not follow the parser.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "real_eval"


def _checker():
    spec = importlib.util.spec_from_file_location("real_eval_check_labels", HERE / "check_labels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["dev.toml", "test.toml", "dev2.toml", "dev3.toml", "dev4.toml"])
def test_labels_follow_the_written_rules(name):
    assert _checker().check(HERE / name) == []


def test_halves_are_large_and_disjoint():
    import tomllib

    halves = {n: tomllib.loads((HERE / n).read_text(encoding="utf-8")) for n in ("dev.toml", "test.toml")}
    councils = {n: {e["council"] for e in d["example"]} for n, d in halves.items()}
    assert not councils["dev.toml"] & councils["test.toml"]
    for n, d in halves.items():
        assert len(d["example"]) >= 150, n
        assert len(councils[n]) >= 14, n


def test_checker_rejects_a_label_that_is_not_canonical(tmp_path):
    text = (HERE / "dev.toml").read_text(encoding="utf-8")
    bad = text.replace('speakers = ["Councillor Hamish Drever", "Councillor Kirsty Laing"]',
                       'speakers = ["Councillor Drever", "Councillor Kirsty Laing"]', 1)
    assert bad != text
    (tmp_path / "dev.toml").write_text(bad, encoding="utf-8")
    errors = _checker().check(tmp_path / "dev.toml")
    assert any("Councillor Hamish Drever" in e for e in errors)


def test_second_development_set_keeps_out_of_the_test_councils(tmp_path):
    import tomllib

    checker = _checker()
    dev2 = tomllib.loads((HERE / "dev2.toml").read_text(encoding="utf-8"))
    councils = {e["council"] for e in dev2["example"]}
    assert not councils & checker.TEST
    assert len(dev2["example"]) >= 200 and len(councils) >= 25
    assert all(e["page"] != 0 or e["source"].startswith("http") for e in dev2["example"])
    text = (HERE / "dev2.toml").read_text(encoding="utf-8")
    bad = text.replace('council = "Wiltshire Council"', 'council = "Slough Borough Council"', 1)
    (tmp_path / "dev2.toml").write_text(bad, encoding="utf-8")
    assert any("test council" in e for e in checker.check(tmp_path / "dev2.toml"))
