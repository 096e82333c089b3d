"""`searchsvc parse minutes.pdf --url URL --json`: items, passages with pages and links, speakers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from searchsvc.cli import cli
from tests.printed.shapes import district_cabinet

URL = "https://democracy.example.gov.uk/documents/g12/Printed%20minutes.pdf?T=1"


def test_parse_a_printed_minutes_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHSVC_CONFIG", raising=False)
    monkeypatch.delenv("SEARCHSVC_DATA_DIR", raising=False)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(district_cabinet().pdf())
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "parse", str(path), "--url", URL,
                                      "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["kind"] == "printed_minutes" and out["meeting"]["committee_name"] == "Cabinet"
    assert [i["number"] for i in out["items"]] == ["23", "24", "25"]
    first = out["items"][0]["passages"][0]
    assert first["page"] == 1 and first["pdf_link"] == URL + "#page=1"
    assert first["speakers"] == ["Chief Finance Officer"]
    assert {"name": "Councillor Hana Okafor", "role": "Chair"}.items() <= out["attendance"][0].items()

    text = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "parse", str(path), "--url", URL],
                              catch_exceptions=False).output
    assert "23 Budget monitoring" in text and "p1 p.1 min [Chief Finance Officer]" in text
