"""Bulk export: the three shapes pinned, FTS and foreign keys in the SQLite file, CSV cells
defused, removed items left out, atomic writes, and the CLI's exit codes and default path.

The catalog is a real SQLite file built with the Catalog API from hand-made records; the
shapes pinned here are the ones docs/export.md documents — change both together.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from searchsvc.catalog import Catalog
from searchsvc.cli import cli
from searchsvc.config import parse_config
from searchsvc.export import CSV_COLUMNS, ExportError, csv_cell, default_path, export_stream, export_to
from searchsvc.export.archive import Meter
from searchsvc.records import DOC_MINUTES, DOC_REPORT, Committee, Declaration, Document, Item, Meeting, Member, Passage

REED, CRUTE, HEAD = "Councillor Jan Reed", "Councillor Sam Crute", "Head of Early Help"
REPORT_URL = "https://mg.example.gov.uk/documents/s900/Fostering%20report.pdf"

TABLES = {
    "export_info": ["key", "value"],
    "sources": ["name", "title", "kind", "base_url"],
    "committees": ["id", "source", "committee_id", "name", "category", "url", "purpose"],
    "committee_members": ["committee_id", "position", "name", "role", "uid"],
    "meetings": ["id", "source", "committee_id", "meeting_id", "title", "date", "start", "year", "status", "venue",
                 "url", "published", "batch"],
    "attendance": ["meeting_id", "position", "name", "role", "attendance", "uid"],
    "items": ["id", "source", "meeting_id", "committee_id", "meeting_date", "year", "item_id", "position", "number",
              "title", "agenda_text", "minutes_text", "decision_text", "procedural", "topics", "speakers", "url",
              "full_text_url", "batch"],
    "passages": ["id", "item_id", "position", "anchor", "section", "text", "speakers", "raw_speakers"],
    "passage_speakers": ["passage_id", "item_id", "speaker"],
    "item_topics": ["item_id", "topic"],
    "declarations": ["id", "item_id", "member", "concerns", "kind", "text"],
    "documents": ["id", "url", "meeting_id", "item_id", "title", "kind", "text"],
}
FOREIGN_KEYS = {
    ("committees", "source", "sources"), ("committee_members", "committee_id", "committees"),
    ("meetings", "source", "sources"), ("meetings", "committee_id", "committees"),
    ("attendance", "meeting_id", "meetings"), ("items", "source", "sources"), ("items", "meeting_id", "meetings"),
    ("items", "committee_id", "committees"), ("passages", "item_id", "items"),
    ("passage_speakers", "passage_id", "passages"), ("passage_speakers", "item_id", "items"),
    ("item_topics", "item_id", "items"), ("declarations", "item_id", "items"),
    ("documents", "meeting_id", "meetings"), ("documents", "item_id", "items"),
}
JSONL_KEYS = ["id", "source", "committee", "meeting", "item_id", "position", "number", "title", "url",
              "full_text_url", "procedural", "topics", "speakers", "agenda_text", "minutes_text", "decision_text",
              "passages", "declarations", "documents", "batch"]
MEETING_KEYS = ["id", "meeting_id", "date", "start", "status", "venue", "url", "attendance", "documents"]


def children_meeting(**kw) -> Meeting:
    return Meeting(source="k", committee_id="7", committee_name="Children's Committee", meeting_id="100",
                   start=datetime(2024, 3, 5, 19, 30), venue="Guildhall", url="https://mg.example.gov.uk/MId=100",
                   attendance=(Member(REED, "Chair", uid="12", attendance="Present"),
                               Member(CRUTE, "Committee Member", attendance="Apologies")),
                   documents=(Document("https://mg.example.gov.uk/documents/g100/Printed%20minutes.pdf",
                                       "Printed minutes", DOC_MINUTES, text="Printed minutes about the library"),),
                   **kw)


def fostering(report_text: str = "The fostering report recommends higher allowances.", **kw) -> Item:
    base = dict(
        source="k", meeting_id="100", item_id="501", position=1, number="54.", title="Fostering allowances",
        agenda_text="To consider the fostering report.",
        minutes_paragraphs=("Councillor Reed said fostering allowances had not risen since 2019.",
                            "Councillor Crute asked about adoption; the Head of Early Help replied."),
        decision_paragraphs=("RESOLVED: that the allowances rise by 5%.",),
        documents=(Document(REPORT_URL, "Fostering report", DOC_REPORT, text=report_text),),
        url="https://mg.example.gov.uk/MId=100#AI501",
        passages=(Passage("p1", "Councillor Reed said fostering allowances had not risen since 2019.", (REED,),
                          ("Councillor Reed",)),
                  Passage("p2", "Councillor Crute asked about adoption; the Head of Early Help replied.",
                          (CRUTE, HEAD, CRUTE), ("Councillor Crute", "the Head of Early Help")),
                  Passage("p3", "RESOLVED: that the allowances rise by 5%.", (), (), "decision")),
        topics=("Children's services", "Budget"),
        declarations=(Declaration(CRUTE, "54.", "non-pecuniary", "She is a foster carer."),),
    )
    base.update(kw)
    return Item(**base)


def hostile() -> Item:
    return Item(source="k", meeting_id="100", item_id="502", position=2, number="55.",
                title='=HYPERLINK("http://evil.example/","click")', agenda_text="@SUM(A1:A9)",
                minutes_paragraphs=("-5 percent on the libraries budget",), decision_paragraphs=("+1 vote",),
                topics=("\tTabbed",), passages=(Passage("p1", "-5 percent on the libraries budget"),))


def removed() -> Item:
    return Item(source="k", meeting_id="100", item_id="503", position=3, number="56.", title="Zebra crossings",
                minutes_paragraphs=("The zebra crossing was discussed.",),
                passages=(Passage("p1", "The zebra crossing was discussed.", (REED,)),))


def planning_meeting() -> Meeting:  # its committee was never parsed: a placeholder row keeps the keys valid
    return Meeting(source="k", committee_id="9", committee_name="Planning Committee", meeting_id="90",
                   start=datetime(2023, 11, 2, 18, 0), url="https://mg.example.gov.uk/MId=90")


def planning_item() -> Item:
    return Item(source="k", meeting_id="90", item_id="401", position=1, number="12.", title="Tall buildings",
                minutes_paragraphs=("Councillor Reed moved the motion.",), procedural=False,
                passages=(Passage("p1", "Councillor Reed moved the motion.", (REED,)),), topics=("Planning",))


@pytest.fixture
def config(tmp_path):
    return parse_config({"storage": {"data_dir": str(tmp_path / "data")},
                         "sources": [{"name": "k", "title": "Kingston", "base_url": "https://mg.example.gov.uk/"}]})


def build_catalog(data_dir) -> Catalog:
    """Two batches: the second drops item 503 from the page, keeps the report without its
    re-extracted text (the catalog keeps the text it had) and retitles item 501."""
    c = Catalog.in_dir(data_dir)
    b1 = c.start_batch("crawl", "k")
    c.upsert_committee(Committee("k", "7", "Children's Committee", "Strategic Committees",
                                 "https://mg.example.gov.uk/CId=7", "Children's services",
                                 members=(Member(REED, "Chair", uid="12"), Member(CRUTE, "Committee Member"))), b1)
    c.upsert_meeting(children_meeting(), b1)
    c.replace_items(children_meeting(), [fostering(), hostile(), removed()], b1)
    c.upsert_meeting(planning_meeting(), b1)
    c.replace_items(planning_meeting(), [planning_item()], b1)
    b2 = c.start_batch("crawl", "k")
    c.replace_items(children_meeting(), [fostering("", title="Fostering allowances 2024"), hostile()], b2)
    return c


@pytest.fixture
def catalog(tmp_path):
    with build_catalog(tmp_path / "data") as c:
        yield c


def sqlite_export(catalog, config, tmp_path):
    summary = export_to(catalog, config, "sqlite", tmp_path / "out" / "export.sqlite")
    db = sqlite3.connect(summary.path)
    db.row_factory = sqlite3.Row
    return summary, db


# --- SQLite --------------------------------------------------------------------------------


def test_sqlite_tables_columns_and_foreign_keys_are_the_documented_ones(catalog, config, tmp_path):
    summary, db = sqlite_export(catalog, config, tmp_path)
    assert summary.rows == 3 and summary.bytes == summary.path.stat().st_size and summary.format == "sqlite"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'")}
    assert tables == set(TABLES)
    for table, columns in TABLES.items():
        assert [r[1] for r in db.execute(f"PRAGMA table_info({table})")] == columns, table
    keys = {(t, r["from"], r["table"]) for t in TABLES for r in db.execute(f"PRAGMA foreign_key_list({t})")}
    assert keys == FOREIGN_KEYS
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal beside a downloaded file
    assert list(summary.path.parent.iterdir()) == [summary.path]


def test_sqlite_full_text_search_on_passages_works_as_datasette_queries_it(catalog, config, tmp_path):
    _, db = sqlite_export(catalog, config, tmp_path)
    # Datasette's detect_fts() recognises content=[table] (the form sqlite-utils writes).
    for table in ("passages", "documents"):
        assert db.execute("SELECT name FROM sqlite_master WHERE rootpage = 0 AND "
                          f"sql LIKE '%VIRTUAL TABLE%USING FTS%content=[{table}]%'").fetchone()[0] == f"{table}_fts"
    # Datasette's ?_search= query: rowid in (select rowid from fts where fts match ...); stemmed.
    hits = db.execute("SELECT item_id, anchor, speakers FROM passages WHERE rowid IN "
                      "(SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?) ORDER BY id", ["foster"]).fetchall()
    assert [tuple(h) for h in hits] == [("k:item:501", "p1", json.dumps([REED]))]
    assert db.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'zebra'").fetchone()[0] == 0
    docs = db.execute("SELECT url FROM documents WHERE rowid IN "
                      "(SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'allowances')").fetchall()
    assert [d[0] for d in docs] == [REPORT_URL]


def test_sqlite_rows_hold_the_archive(catalog, config, tmp_path):
    _, db = sqlite_export(catalog, config, tmp_path)
    items = db.execute("SELECT * FROM items ORDER BY meeting_date, position").fetchall()
    assert [i["id"] for i in items] == ["k:item:401", "k:item:501", "k:item:502"]  # 503 was removed
    fost = items[1]
    assert dict(fost) | {"agenda_text": "", "minutes_text": ""} == {
        "id": "k:item:501", "source": "k", "meeting_id": "k:meeting:100", "committee_id": "k:committee:7",
        "meeting_date": "2024-03-05", "year": 2024, "item_id": "501", "position": 1, "number": "54.",
        "title": "Fostering allowances 2024", "agenda_text": "", "minutes_text": "",
        "decision_text": "RESOLVED: that the allowances rise by 5%.", "procedural": 0,
        "topics": json.dumps(["Children's services", "Budget"]), "speakers": json.dumps([REED, CRUTE, HEAD]),
        "url": "https://mg.example.gov.uk/MId=100#AI501", "full_text_url": "", "batch": 2}
    assert fost["minutes_text"].count("\n\n") == 1
    facet = db.execute("SELECT speaker, count(DISTINCT item_id) FROM passage_speakers GROUP BY speaker "
                       "ORDER BY speaker").fetchall()
    assert [tuple(f) for f in facet] == [(REED, 2), (CRUTE, 1), (HEAD, 1)]
    assert [r[0] for r in db.execute("SELECT topic FROM item_topics WHERE item_id = 'k:item:501' ORDER BY topic")] \
        == ["Budget", "Children's services"]
    assert tuple(db.execute("SELECT item_id, member, concerns, kind, text FROM declarations").fetchone()) == (
        "k:item:501", CRUTE, "54.", "non-pecuniary", "She is a foster carer.")
    # The record lost the report's text; the catalog's documents table still had it.
    docs = {d["url"]: tuple(d)[2:] for d in db.execute("SELECT * FROM documents")}
    assert docs[REPORT_URL] == ("k:meeting:100", "k:item:501", "Fostering report", DOC_REPORT,
                                "The fostering report recommends higher allowances.")
    assert docs["https://mg.example.gov.uk/documents/g100/Printed%20minutes.pdf"][:2] == ("k:meeting:100", None)
    meetings = db.execute("SELECT id, committee_id, title, date, start, year FROM meetings ORDER BY date").fetchall()
    assert [tuple(m) for m in meetings] == [
        ("k:meeting:90", "k:committee:9", "Planning Committee, 2023-11-02", "2023-11-02", "2023-11-02T18:00:00", 2023),
        ("k:meeting:100", "k:committee:7", "Children's Committee, 2024-03-05", "2024-03-05", "2024-03-05T19:30:00",
         2024)]
    assert [tuple(r) for r in db.execute("SELECT name, attendance FROM attendance ORDER BY position")] == [
        (REED, "Present"), (CRUTE, "Apologies")]
    assert db.execute("SELECT count(*) FROM committee_members WHERE committee_id = 'k:committee:7'").fetchone()[0] == 2
    assert [tuple(r) for r in db.execute("SELECT id, name FROM committees ORDER BY id")] == [
        ("k:committee:7", "Children's Committee"), ("k:committee:9", "Planning Committee")]
    assert tuple(db.execute("SELECT * FROM sources").fetchone()) == (
        "k", "Kingston", "moderngov", "https://mg.example.gov.uk/")


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_is_one_item_per_line_with_context_in_a_stable_key_order(catalog, config, tmp_path):
    summary = export_to(catalog, config, "jsonl", tmp_path / "export.jsonl")
    lines = summary.path.read_text(encoding="utf-8").splitlines()
    assert summary.rows == len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["k:item:401", "k:item:501", "k:item:502"]
    for r in records:
        assert list(r) == JSONL_KEYS
        assert list(r["meeting"]) == MEETING_KEYS
        assert list(r["source"]) == ["name", "title", "base_url"]
        assert list(r["committee"]) == ["id", "committee_id", "name", "category", "url"]
    fost = records[1]
    assert fost["passages"][1] == {"anchor": "p2", "section": "minutes",
                                   "text": "Councillor Crute asked about adoption; the Head of Early Help replied.",
                                   "speakers": [CRUTE, HEAD, CRUTE],
                                   "raw_speakers": ["Councillor Crute", "the Head of Early Help"]}
    assert fost["speakers"] == [REED, CRUTE, HEAD] and fost["topics"] == ["Children's services", "Budget"]
    assert fost["documents"] == [{"url": REPORT_URL, "title": "Fostering report", "kind": DOC_REPORT,
                                  "text": "The fostering report recommends higher allowances."}]
    assert fost["declarations"] == [{"member": CRUTE, "item": "54.", "kind": "non-pecuniary",
                                     "text": "She is a foster carer."}]
    assert fost["meeting"]["date"] == "2024-03-05" and fost["meeting"]["start"] == "2024-03-05T19:30:00"
    assert fost["meeting"]["attendance"][0] == {"name": REED, "role": "Chair", "attendance": "Present", "uid": "12"}
    assert fost["meeting"]["documents"][0]["kind"] == DOC_MINUTES and "text" not in fost["meeting"]["documents"][0]
    assert fost["procedural"] is False and fost["batch"] == 2
    assert records[2]["title"].startswith("=HYPERLINK")  # JSON keeps text exactly as parsed
    assert "zebra" not in summary.path.read_text(encoding="utf-8").lower()


def test_jsonl_to_a_stream_counts_rows_and_bytes(catalog, config):
    out = io.StringIO()
    summary = export_stream(catalog, config, "jsonl", out)
    assert summary.path is None and summary.rows == 3 and summary.bytes == len(out.getvalue().encode("utf-8"))
    with pytest.raises(ExportError, match="is a file"):
        export_stream(catalog, config, "sqlite", out)


# --- CSV ---------------------------------------------------------------------------------


def test_csv_columns_are_documented_and_multi_values_joined(catalog, config, tmp_path):
    summary = export_to(catalog, config, "csv", tmp_path / "export.csv")
    text = summary.path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS) == [
        "id", "source", "committee", "meeting_id", "meeting_date", "meeting_start", "meeting_status", "venue",
        "number", "title", "procedural", "topics", "speakers", "declarations", "agenda_text", "minutes_text",
        "decision_text", "document_urls", "url", "full_text_url", "meeting_url", "batch"]
    assert [r["id"] for r in rows] == ["k:item:401", "k:item:501", "k:item:502"] and summary.rows == 3
    fost = rows[1]
    assert fost["speakers"] == f"{REED}; {CRUTE}; {HEAD}"
    assert fost["topics"] == "Children's services; Budget"
    assert fost["declarations"] == f"{CRUTE} (non-pecuniary): She is a foster carer."
    assert fost["procedural"] == "false" and fost["meeting_date"] == "2024-03-05" and fost["batch"] == "2"
    assert fost["minutes_text"].startswith("Councillor Reed said") and "\n\n" in fost["minutes_text"]
    assert "zebra" not in text.lower()


def test_csv_neutralises_spreadsheet_formulas(catalog, config, tmp_path):
    summary = export_to(catalog, config, "csv", tmp_path / "export.csv")
    row = list(csv.DictReader(io.StringIO(summary.path.read_text(encoding="utf-8"), newline="")))[2]
    assert row["title"] == "'=HYPERLINK(\"http://evil.example/\",\"click\")"
    assert row["agenda_text"] == "'@SUM(A1:A9)"
    assert row["minutes_text"] == "'-5 percent on the libraries budget"
    assert row["decision_text"] == "'+1 vote"
    assert row["topics"] == "'\tTabbed"


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-3", "'-3"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=b", "a=b"), ("", ""), (None, ""), (True, "true"), (["=a", "b"], "'=a; b"), (7, "7")])
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


# --- atomic writes, snapshot ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl", "csv"])
def test_a_failing_export_leaves_the_previous_file_and_no_partial_one(catalog, config, tmp_path, fmt):
    target = tmp_path / "out" / f"export.{fmt}"
    target.parent.mkdir()
    target.write_text("the previous export")
    with catalog.transaction() as db:  # a record that cannot be read, after good ones
        db.execute("UPDATE items SET data = '{not json' WHERE id = 'k:item:502'")
    with pytest.raises(ExportError, match="k:item:502"):
        export_to(catalog, config, fmt, target)
    assert target.read_text() == "the previous export"
    assert list(target.parent.iterdir()) == [target]


def test_export_reads_a_snapshot_beside_an_open_write_transaction(catalog, config, tmp_path):
    with catalog.transaction() as db:  # a writer in the middle of a run: not committed, not exported
        db.execute("UPDATE items SET removed_batch = 3 WHERE id = 'k:item:401'")
        summary = export_to(catalog, config, "jsonl", tmp_path / "export.jsonl")
    assert summary.rows == 3


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl", "csv"])
def test_an_empty_catalog_exports_an_empty_archive(tmp_path, config, fmt):
    with Catalog.in_dir(tmp_path / "empty") as empty:
        summary = export_to(empty, config, fmt, tmp_path / f"empty.{fmt}")
    assert summary.rows == 0 and summary.path.is_file()
    if fmt == "csv":
        assert summary.path.read_text().splitlines() == [",".join(CSV_COLUMNS)]


def test_an_unwritable_target_is_a_clear_error(catalog, config, tmp_path):
    (tmp_path / "taken").mkdir()  # a directory where the file should go
    with pytest.raises(ExportError, match="the export to .* failed"):
        export_to(catalog, config, "csv", tmp_path / "taken")
    assert list((tmp_path).glob("*.tmp")) == []


def test_default_path_and_bad_format(tmp_path):
    assert default_path(tmp_path, "jsonl", date(2025, 1, 2)) == tmp_path / "exports" / "searchsvc-2025-01-02.jsonl"
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        default_path(tmp_path, "xml")


def test_meter_reports_progress():
    lines: list[str] = []
    meter = Meter("csv", 2, lines.append, every=0)
    meter.tick()
    assert meter.count == 1 and lines and lines[0].startswith("export csv: 1/2 items (")


# --- CLI ---------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, monkeypatch, catalog):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHSVC_CONFIG", raising=False)
    monkeypatch.delenv("SEARCHSVC_DATA_DIR", raising=False)
    conf = tmp_path / "c.toml"
    conf.write_text('[[sources]]\nname = "k"\ntitle = "Kingston"\nbase_url = "https://mg.example.gov.uk/"\n')

    def invoke(*args: str, data: str = "data"):
        return CliRunner().invoke(cli, ["--config", str(conf), "--data-dir", str(tmp_path / data), *args],
                                  catch_exceptions=False)

    return invoke


def test_cli_writes_the_default_path_and_reports_rows_and_size(run, tmp_path):
    result = run("-q", "export", "--format", "SQLite")
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "exports" / f"searchsvc-{date.today().isoformat()}.sqlite"
    assert path.is_file()
    assert result.output.strip() == f"{path}: 3 items, {path.stat().st_size} bytes " \
                                    f"({path.stat().st_size / 1e6:.1f} MB)"


def test_cli_jsonl_to_stdout(run):
    result = run("-q", "export", "--format", "jsonl", "--out", "-")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["id"] == "k:item:401"
    assert "stdout: 3 items" in result.stderr


@pytest.mark.parametrize("args, code, message", [
    (["--format", "xml"], 2, "'xml' is not one of"),
    (["--format", "sqlite", "--out", "-"], 2, "needs --format jsonl or csv"),
])
def test_cli_usage_errors_are_exit_2(run, args, code, message):
    result = run("export", *args)
    assert result.exit_code == code and message in result.output


def test_cli_without_a_catalog_is_exit_1_and_creates_nothing(run, tmp_path):
    result = run("export", data="empty")
    assert result.exit_code == 1 and "no catalog in" in result.output
    assert not (tmp_path / "empty").exists()


def test_formats_come_from_the_writer_registry(tmp_path):
    """The CLI's choices, standard output and file suffixes all read ``WRITERS``."""
    from click.testing import CliRunner

    from searchsvc.cli import cli
    from searchsvc.export import WRITERS, format_for_path, stream_formats

    assert list(WRITERS) == ["sqlite", "jsonl", "csv"] and stream_formats() == ("jsonl", "csv")
    assert [format_for_path(p) for p in ("a.sqlite", "a.db", "a.JSONL", "a.csv", "nightly")] == \
        ["sqlite", "sqlite", "jsonl", "csv", "sqlite"]
    with pytest.raises(ExportError, match=r"no export format writes \.txt files"):
        format_for_path("a.txt")
    help_text = CliRunner().invoke(cli, ["export", "--help"]).output
    for name, writer in WRITERS.items():
        assert name in help_text and writer.help.split()[0] in help_text


def test_a_registered_writer_is_a_new_format_everywhere(catalog, config, tmp_path, monkeypatch):
    """docs/extending.md, "A new output format": one Writer class and one register call."""
    from searchsvc.export import WRITERS, Writer, register

    monkeypatch.setattr("searchsvc.export.WRITERS", dict(WRITERS))

    class IdsWriter(Writer):
        name, suffix, help = "ids", ".txt", "one item id a line"

        def write(self, stream):
            meter = self.meter()
            for entry in self.archive.entries():
                stream.write(entry.id + "\n")
                meter.tick()
            return meter

    register(IdsWriter)
    summary = export_to(catalog, config, "ids", None, today=date(2024, 5, 1))
    assert summary.path.name == "searchsvc-2024-05-01.txt" and summary.rows == 3
    assert summary.path.read_text().split() == ["k:item:401", "k:item:501", "k:item:502"]
    out = io.StringIO()
    assert export_stream(catalog, config, "ids", out).rows == 3 and out.getvalue() == summary.path.read_text()
