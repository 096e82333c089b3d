"""item_doc(): records → the document the index stores."""

from __future__ import annotations

from datetime import date, datetime

from searchsvc.index import IndexReader, IndexStore, SearchRequest, item_doc
from searchsvc.records import Document, Item, Meeting, Passage

MEETING = Meeting(source="kingston", committee_id="123", committee_name="Children's Committee ",
                  meeting_id="9001", start=datetime(2024, 3, 5, 19, 30), url="https://x/mgMeeting?MId=9001")


def test_item_doc_from_enriched_item():
    item = Item(
        source="kingston", meeting_id="9001", item_id="51890", position=4, number="54.", title=" Fostering ",
        agenda_text="To consider the report.", url="https://x/mgMeeting?MId=9001#AI51890",
        documents=(Document(url="https://x/s1.pdf", title="Report", text="Appendix text."),
                   Document(url="https://x/s2.pdf", title="Not downloaded")),
        passages=(Passage("p1", "Councillor Reed asked about carers.", ("Councillor Jan Reed",)),
                  Passage("p2", "The Director replied.\n\nSecond line.", ("Director", "Councillor Jan Reed")),
                  Passage("p3", "   ")),
        topics=("Children", " Children", "Fostering"), procedural=False,
    )
    doc = item_doc(item, MEETING, batch=7, source_title="Kingston")
    assert doc.id == "kingston:item:51890"
    assert doc.meeting_id == "kingston:meeting:9001"
    assert (doc.committee, doc.committee_id, doc.date, doc.year, doc.day) == (
        "Children's Committee", "123", date(2024, 3, 5), 2024, 20240305)
    assert doc.title == "Fostering" and doc.number == "54." and doc.batch == 7 and doc.position == 4
    assert [p.anchor for p in doc.passages] == ["p1", "p2"]
    assert doc.passages[1].text == "The Director replied.\nSecond line."  # one paragraph
    assert doc.speakers == ("Councillor Jan Reed", "Director")
    assert doc.topics == ("Children", "Fostering")
    assert doc.documents_text == "Report\n\nAppendix text."
    assert doc.body.startswith("To consider the report.\n\nCouncillor Reed asked")
    assert doc.body.endswith("Appendix text.")
    assert (doc.url, doc.meeting_url, doc.source_title) == (item.url, MEETING.url, "Kingston")


def test_item_without_enrichment_gets_passages_from_paragraphs(tmp_path):
    item = Item(source="kingston", meeting_id="9001", item_id="7", position=1, title="Minutes",
                minutes_paragraphs=("The minutes were agreed.", ""), decision_paragraphs=("RESOLVED: approved.",))
    doc = item_doc(item, Meeting(source="kingston", committee_id="1", committee_name="Cabinet", meeting_id="9"), 1)
    assert [(p.anchor, p.section, p.speakers) for p in doc.passages] == [("p1", "minutes", ()), ("p2", "decision", ())]
    assert doc.date is None and doc.year is None and doc.day == 0
    store = IndexStore(tmp_path, build_procs=1)
    store.build_full([doc])
    res = IndexReader(store).search(SearchRequest(q="approved"))
    assert res.total == 1 and res.hits[0].snippets[0].anchor == "p2"
    assert res.facets["year"] == ()


def test_an_item_never_enriched_is_numbered_once_for_the_index_and_its_page():
    from searchsvc.index.documents import item_passages

    item = Item(source="k", meeting_id="1", item_id="9", position=1, number="1.", title="Budget",
                minutes_paragraphs=("First point.", "  ", "Second\n\npoint."), decision_paragraphs=("Agreed.",))
    meeting = Meeting(source="k", committee_id="7", committee_name="Cabinet", meeting_id="1")
    anchors = [(p.anchor, p.section) for p in item_passages(item)]
    assert anchors == [("p1", "minutes"), ("p2", "minutes"), ("p3", "decision")]
    assert [(p.anchor, p.section) for p in item_doc(item, meeting, 1).passages] == anchors
