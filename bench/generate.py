"""Large catalogs straight from the sample council generator: no site, no crawl, no parse.

Crawling a 300,000-item council over HTTP and parsing it takes hours on 2 cores; the capacity
curve (bench/capacity.py) is about what the index and the server do with an archive of a given
size, so its catalogs are written from the generator's ground truth instead: the same committees,
meetings and items the sample site serves, each item's passages with the speakers a perfect
attribution gives them (the sample's per-paragraph truth) and topics assigned by the real
taxonomy. Record ids and URLs are those a crawl of the site would give.

Also written: ``vocab.sqlite``, the few columns ``bench/queries.py`` draws its query mix from
(every item's facet values; the text only of the items its seeded sample reads).
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator

from searchsvc.catalog import Catalog
from searchsvc.enrich.topics import assign_topics, load_taxonomy
from searchsvc.index import item_doc
from searchsvc.records import CANCELLED, HELD, Committee, Item, Meeting, Passage, Source
from searchsvc.sample import Council
from searchsvc.sample import model as sample_model

VOCAB_SAMPLE = 4000  # bench/queries.py vocabulary(sample=...)
BASE = "http://127.0.0.1:9/mg/"  # never fetched: the URLs a crawl would have stored


def _passages(info: sample_model.ItemInfo) -> tuple[Passage, ...]:
    out, n = [], 0
    for section, paras in (("minutes", info.minutes), ("decision", info.decision)):
        for para in paras:
            n += 1
            out.append(Passage(anchor=f"p{n}", text=para.text, speakers=tuple(para.speakers), section=section))
    return tuple(out)


def records(council: Council, source: Source, taxonomy: Any) -> Iterator[tuple[Meeting, list[Item]]]:
    """Every meeting of the sample council with its items, as a crawl + parse + enrich would store them."""
    for m in council.meetings():
        meeting = Meeting(source=source.name, committee_id=str(m.committee_id), committee_name=m.committee_name,
                          meeting_id=str(m.meeting_id), start=m.start, venue=m.venue,
                          status=CANCELLED if m.status == sample_model.CANCELLED else HELD,
                          url=f"{BASE}ieListDocuments.aspx?CId={m.committee_id}&MId={m.meeting_id}")
        if m.status == sample_model.CANCELLED:
            yield meeting, []
            continue
        items = []
        for info in council.items(m.meeting_id):
            paragraphs = [p.text for p in info.minutes] + [p.text for p in info.decision]
            items.append(Item(
                source=source.name, meeting_id=str(m.meeting_id), item_id=str(info.item_id), position=info.position,
                number=info.number, title=info.title, agenda_text="\n".join(info.agenda),
                minutes_paragraphs=info.minutes_paragraphs, decision_paragraphs=info.decision_paragraphs,
                url=f"{meeting.url}#AI{info.item_id}", passages=_passages(info),
                topics=assign_topics(info.title, paragraphs, taxonomy), procedural=info.procedural))
        yield meeting, items


def generate(a: dict[str, Any]) -> dict[str, Any]:
    """Phase ``generate`` (bench/phases.py): the catalog of a sample council of ``scale``, and vocab.sqlite."""
    from bench.phases import bench_config  # the phase runner's own config reading

    config = bench_config(a)
    source = config.sources[0]
    council = Council(seed=int(a["seed"]), size=float(a["scale"]))
    expected = council.stats()["items"]
    taxonomy = load_taxonomy(config.topics_file)
    started = time.perf_counter()
    rng = random.Random(f"{a['seed']}:vocabulary")
    sampled = set(rng.sample(range(1, expected + 1), min(VOCAB_SAMPLE, expected)))
    vocab = Path(a["vocab"])
    vocab.unlink(missing_ok=True)
    db = sqlite3.connect(vocab)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     "CREATE TABLE items (id INTEGER PRIMARY KEY, committee TEXT, date TEXT, year INTEGER,"
                     " speakers TEXT, topics TEXT, procedural INTEGER);"
                     "CREATE TABLE items_fts (title TEXT, body TEXT);")
    rows = passages = 0
    with Catalog.in_dir(config.data_dir) as catalog:
        batch = catalog.start_batch("crawl", source.name)
        catalog.upsert_source(source, batch)
        for c in council.committees():
            catalog.upsert_committee(Committee(source=source.name, committee_id=str(c.committee_id), name=c.name,
                                               category=c.category, purpose=c.purpose,
                                               url=f"{BASE}mgCommitteeDetails.aspx?ID={c.committee_id}"), batch)
        for meeting, items in records(council, source, taxonomy):
            with catalog.transaction():
                catalog.upsert_meeting(meeting, batch)
                catalog.replace_items(meeting, items, batch)
            out = []
            for item in items:
                doc = item_doc(item, meeting, batch, source.title)
                rows += 1
                passages += len(doc.passages)
                out.append((rows, doc.committee, doc.date.isoformat() if doc.date else None, doc.year,
                            json.dumps(list(doc.speakers)), json.dumps(list(doc.topics)), int(doc.procedural)))
                if rows in sampled:
                    db.execute("INSERT INTO items_fts(rowid, title, body) VALUES (?,?,?)", (rows, doc.title, doc.body))
            db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?)", out)
        catalog.finish_batch(batch)
    db.commit()
    db.close()
    return {"seconds": round(time.perf_counter() - started, 2), "items": rows, "passages": passages,
            "meetings": council.stats()["meetings"], "expected_items": expected}


def edit(a: dict[str, Any]) -> dict[str, Any]:
    """Phase ``update``: a night's corrections (a new paragraph in ``fraction`` of the items, among the most
    recent meetings, in a new batch), then ``index_update`` — the index part of a nightly run, timed."""
    from bench.phases import bench_config
    from searchsvc.jobs import index_update

    config = bench_config(a)
    fraction = float(a.get("fraction", 0.01))
    with Catalog.in_dir(config.data_dir) as catalog:
        started = time.perf_counter()
        total = catalog.indexable_count()
        want = max(1, int(total * fraction))
        batch = catalog.start_batch("crawl", config.sources[0].name)
        meetings = catalog.query("SELECT id FROM meetings ORDER BY start DESC")
        edited = 0
        for (meeting_id,) in meetings:
            if edited >= want:
                break
            meeting = catalog.meeting(meeting_id)
            items = [item for item, _ in catalog.items(meeting_id=meeting_id)] if meeting else []
            if not items:
                continue
            changed = []
            for item in items:
                if edited < want:
                    text = f"Correction {edited}: the committee noted the zzcorrection{edited} figures."
                    item = _with_paragraph(item, text)
                    edited += 1
                changed.append(item)
            with catalog.transaction():
                catalog.replace_items(meeting, changed, batch)
        catalog.finish_batch(batch)
        edit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = index_update(catalog, config.data_dir, config)
        update_seconds = time.perf_counter() - started
    return {"edited": edited, "edit_seconds": round(edit_seconds, 2), "update_seconds": round(update_seconds, 2),
            "result": {k: str(v) for k, v in result.items()}}


def _with_paragraph(item: Item, text: str) -> Item:
    import dataclasses

    passage = Passage(anchor=f"p{len(item.passages) + 1}", text=text)
    return dataclasses.replace(item, minutes_paragraphs=(*item.minutes_paragraphs, text),
                               passages=(*item.passages, passage))
