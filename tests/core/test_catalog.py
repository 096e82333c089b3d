"""The SQLite catalog: migrations, idempotent upserts, change batches, raw pages."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime

import pytest

from searchsvc.catalog import MIGRATIONS, Catalog
from searchsvc.errors import CatalogError
from searchsvc.records import Committee, Document, Item, Meeting, Member, Passage


def meeting(**kw) -> Meeting:
    base = dict(source="k", committee_id="7", committee_name="Children's Committee", meeting_id="100",
                start=datetime(2024, 3, 5, 19, 30), venue="Guildhall", url="http://x/ieListDocuments.aspx?MId=100",
                attendance=(Member("Councillor Jan Reed", "Chair", attendance="Present"),))
    base.update(kw)
    return Meeting(**base)


def item(n: int, text: str = "Councillor Reed asked about foster care.") -> Item:
    return Item(source="k", meeting_id="100", item_id=str(500 + n), position=n, number=f"{n}.", title=f"Item {n}",
                minutes_paragraphs=(text,), documents=(Document(f"http://x/documents/s{n}/r.pdf", "Report"),),
                passages=(Passage("p1", text, ("Councillor Jan Reed",), ("Councillor Reed",)),))


@pytest.fixture
def catalog(tmp_path):
    with Catalog.in_dir(tmp_path) as c:
        yield c


def test_new_file_is_migrated_to_the_latest_version_in_wal_mode(catalog):
    assert catalog.schema_version == len(MIGRATIONS)
    assert catalog.query("PRAGMA journal_mode")[0][0] == "wal"
    assert catalog.integrity_ok()


def test_reopening_does_not_migrate_again(tmp_path):
    Catalog.in_dir(tmp_path).close()
    with Catalog.in_dir(tmp_path) as again:
        assert again.schema_version == len(MIGRATIONS)


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    Catalog.in_dir(tmp_path).close()
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(CatalogError, match="newer than this searchsvc"):
        Catalog.in_dir(tmp_path)


def test_a_read_only_catalog_sees_the_writers_commits_and_cannot_write(catalog, tmp_path):
    reader = Catalog(catalog.path, read_only=True)
    try:
        catalog.upsert_meeting(meeting(), catalog.start_batch("crawl", "k"))
        assert [m.id for m in reader.meetings()] == [meeting().id]  # WAL: the reader sees each commit
        with pytest.raises(CatalogError, match="readonly"):
            reader.start_batch("crawl", "k")
    finally:
        reader.close()
    with pytest.raises(CatalogError, match="cannot open"):
        Catalog(tmp_path / "absent.sqlite", read_only=True)  # never created by a reader
    assert not (tmp_path / "absent.sqlite").exists()


def test_upserts_are_idempotent_and_keep_the_batch_of_the_last_change(catalog):
    b1 = catalog.start_batch("crawl", "k")
    assert catalog.upsert_meeting(meeting(), b1) == "new"
    counts = catalog.replace_items(meeting(), [item(1), item(2)], b1)
    assert counts.as_dict() == {"new": 2, "changed": 0, "unchanged": 0, "removed": 0}

    b2 = catalog.start_batch("crawl", "k")
    assert catalog.upsert_meeting(meeting(), b2) == "unchanged"
    counts = catalog.replace_items(meeting(), [item(1), item(2)], b2)
    assert counts.as_dict() == {"new": 0, "changed": 0, "unchanged": 2, "removed": 0}
    assert {i.item_id: b for i, b in catalog.items()} == {"501": b1, "502": b1}
    assert list(catalog.items(changed_after=b1)) == []


def test_a_changed_item_gets_the_new_batch_and_its_passages_are_replaced(catalog):
    b1 = catalog.start_batch("crawl", "k")
    catalog.replace_items(meeting(), [item(1), item(2)], b1)
    b2 = catalog.start_batch("crawl", "k")
    counts = catalog.replace_items(meeting(), [item(1, "The Director said it was fine."), item(2)], b2)
    assert counts.changed == 1 and counts.unchanged == 1
    changed = [i for i, _ in catalog.items(changed_after=b1)]
    assert [i.item_id for i in changed] == ["501"]
    texts = catalog.query("SELECT text FROM passages WHERE item_id = 'k:item:501'")
    assert [r[0] for r in texts] == ["The Director said it was fine."]


def test_an_item_missing_from_the_page_is_marked_removed_and_can_come_back(catalog):
    b1 = catalog.start_batch("crawl", "k")
    catalog.replace_items(meeting(), [item(1), item(2)], b1)
    b2 = catalog.start_batch("crawl", "k")
    assert catalog.replace_items(meeting(), [item(1)], b2).removed == 1
    assert catalog.removed_item_ids(after_batch=b1) == ["k:item:502"]
    assert catalog.item("k:item:502") is None
    assert catalog.counts()["items"] == 1
    b3 = catalog.start_batch("crawl", "k")
    assert catalog.replace_items(meeting(), [item(1), item(2)], b3).changed == 1
    assert catalog.item("k:item:502") == item(2)


def test_records_round_trip(catalog):
    b = catalog.start_batch("crawl", "k")
    committee = Committee("k", "7", "Children's Committee", members=(Member("Councillor Jan Reed", "Chair", "12"),))
    catalog.upsert_committee(committee, b)
    catalog.upsert_meeting(meeting(), b)
    catalog.replace_items(meeting(), [item(1)], b)
    assert catalog.committee("k:committee:7") == committee
    assert catalog.meeting("k:meeting:100") == meeting()
    assert catalog.meetings("k") == [meeting()]
    assert catalog.item("k:item:501") == item(1)
    docs = catalog.query("SELECT url, owner_id FROM documents")
    assert [tuple(r) for r in docs] == [("http://x/documents/s1/r.pdf", "k:item:501")]


def test_raw_pages_record_changes_and_304s(catalog):
    b1 = catalog.start_batch("crawl", "k")
    assert catalog.put_page("http://x/a", "k", "meeting", 200, {"etag": '"v1"'}, b"<html>1</html>", "h1", b1)
    page = catalog.page("http://x/a")
    assert page.body == b"<html>1</html>" and page.etag == '"v1"' and page.change_batch == b1
    b2 = catalog.start_batch("crawl", "k")
    assert not catalog.put_page("http://x/a", "k", "meeting", 200, {"etag": '"v1"'}, b"<html>1</html>", "h1", b2)
    assert catalog.page("http://x/a").change_batch == b1
    catalog.touch_page("http://x/a", b2 + 1)
    assert catalog.page("http://x/a").fetch_batch == b2 + 1
    assert catalog.put_page("http://x/a", "k", "meeting", 200, {}, b"<html>2</html>", "h2", b2 + 1)
    assert [p.url for p in catalog.pages(source="k", kind="meeting")] == ["http://x/a"]


def test_a_killed_batch_is_found_for_resuming(catalog):
    b1 = catalog.start_batch("crawl", "k")
    assert catalog.unfinished_batch("crawl", "k") == b1
    catalog.finish_batch(b1)
    assert catalog.unfinished_batch("crawl", "k") is None


def test_job_runs_are_recorded(catalog):
    run = catalog.start_run("nightly", batch=3)
    catalog.finish_run(run, "ok", {"items": {"new": 2}}, [{"url": "http://x/b", "error": "timeout"}])
    (recorded,) = catalog.runs()
    assert recorded.status == "ok" and recorded.counts == {"items": {"new": 2}}
    assert recorded.errors[0]["url"] == "http://x/b" and recorded.finished_at


def test_a_failed_transaction_leaves_nothing_behind(catalog):
    b = catalog.start_batch("crawl", "k")
    with pytest.raises(RuntimeError):
        with catalog.transaction():
            catalog.upsert_meeting(meeting(), b)
            raise RuntimeError("boom")
    assert catalog.meetings() == []


def test_items_stream_in_chunks_and_the_caller_may_write_between_them(catalog, monkeypatch):
    import searchsvc.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "ITEM_CHUNK", 2)
    b1 = catalog.start_batch("crawl", "k")
    catalog.upsert_meeting(meeting(), b1)
    catalog.upsert_meeting(meeting(meeting_id="101"), b1)
    catalog.replace_items(meeting(), [item(n) for n in range(1, 6)], b1)
    stream = catalog.items()
    first = next(stream)
    assert first[0].position == 1
    # A write while the stream is open (the shared connection is not held between chunks).
    other = [dataclasses.replace(item(n), meeting_id="101") for n in (1, 2)]
    catalog.replace_items(meeting(meeting_id="101"), other, catalog.start_batch("crawl", "k"))
    rest = [(i.meeting_id, i.position) for i, _ in stream]
    assert rest == [("100", 2), ("100", 3), ("100", 4), ("100", 5), ("101", 1), ("101", 2)]


def test_what_a_full_build_can_index_is_counted_by_the_same_rule(catalog):
    b1 = catalog.start_batch("crawl", "k")
    catalog.upsert_meeting(meeting(), b1)
    catalog.replace_items(meeting(), [item(1), item(2)], b1)
    # Items of a meeting the catalog does not hold cannot be indexed (nothing to date or file them).
    orphan = dataclasses.replace(item(3), meeting_id="999")
    catalog.replace_items(meeting(meeting_id="999"), [orphan], b1)
    rows = list(catalog.indexable_items())
    assert [(i.id, m.id) for i, _, m in rows] == [("k:item:501", "k:meeting:100"), ("k:item:502", "k:meeting:100")]
    assert catalog.indexable_count() == len(rows) == 2
    assert [i.id for i, _, _ in catalog.indexable_items(changed_after=b1)] == []


def test_product_code_asks_the_catalog_by_named_methods_only():
    """SQL stays in the catalog's modules (catalog.py, and catalog_queries.py for the read-only
    listings and reports): no other module of the product runs a query on it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for folder in ("searchsvc", "crawler") for p in (root / folder).rglob("*.py")
                 if p.relative_to(root).as_posix() not in ("searchsvc/catalog.py", "searchsvc/catalog_queries.py")
                 and ".query(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_held_and_upcoming_questions_split_meetings_at_the_instant_given(catalog):
    """The home page's coverage and its upcoming list ask about one instant the caller chose:
    a meeting after it is upcoming (unless cancelled), one before it or undated is held."""
    b1 = catalog.start_batch("crawl", "k")
    held, soon = meeting(), meeting(meeting_id="101", start=datetime(2024, 4, 9, 18, 0))
    cancelled = meeting(meeting_id="102", start=datetime(2024, 4, 2, 18, 0), status="cancelled")
    undated = meeting(meeting_id="103", start=None)
    for m in (held, soon, cancelled, undated):
        catalog.upsert_meeting(m, b1)
    catalog.replace_items(held, [item(1), item(2)], b1)
    now = "2024-03-20T12:00:00"

    assert [m.id for m in catalog.upcoming_meetings(now, limit=5)] == [soon.id]
    assert catalog.upcoming_meetings(now, limit=5, committee_id="k:committee:other") == []
    assert [m.id for m in catalog.recent_meetings(held_by=now)] == [held.id]
    assert [m.id for m in catalog.recent_meetings()] == [soon.id, cancelled.id, held.id]
    coverage = catalog.held_coverage(now)
    assert (coverage.first, coverage.last) == ("2024-03-05T19:30:00", "2024-03-05T19:30:00")
    assert (coverage.meetings, coverage.items) == (2, 2)  # the dated one held, and the undated one
    assert [(d.id, d.start) for d in catalog.meeting_dates()] == [
        (held.id, "2024-03-05T19:30:00"), (cancelled.id, "2024-04-02T18:00:00"), (soon.id, "2024-04-09T18:00:00")]


def test_speaker_and_topic_questions_count_live_items_only(catalog):
    b1 = catalog.start_batch("crawl", "k")
    catalog.upsert_meeting(meeting(), b1)
    tagged = dataclasses.replace(item(1), topics=("Children's services",))
    catalog.replace_items(meeting(), [tagged, item(2)], b1)
    assert catalog.speaker_names() == {"Councillor Jan Reed"}
    [reed] = catalog.speaker_activity()
    assert (reed.name, reed.items, reed.passages, reed.newest) == ("Councillor Jan Reed", 2, 2, "2024-03-05T19:30:00")
    assert [tuple(t) for t in catalog.topic_counts()] == [("Children's services", 1, "2024-03-05T19:30:00")]

    catalog.replace_items(meeting(), [item(2)], catalog.start_batch("crawl", "k"))  # item 1 removed
    assert catalog.topic_counts() == []
    assert [(a.items, a.passages) for a in catalog.speaker_activity()] == [(1, 1)]
