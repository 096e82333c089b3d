"""Items from pages that show agenda business outside its meeting page.

``mgAi.aspx`` (one item), ``ieIssueDetails.aspx`` (one issue at each meeting that took it) and
the decision pages hold minutes and decisions just as a meeting page row does. People paste
these links (a search engine lands them there), so ``searchsvc parse`` turns them into the same
:class:`~searchsvc.records.Item` records a meeting page gives, ready for enrichment, with the
meeting each one belongs to named by its ids.
"""

from __future__ import annotations

from typing import Any

from crawler.moderngov.pages import DecisionPage, IssuePage, ItemPage
from searchsvc.records import Item

__all__ = ["MeetingRef", "items_of"]

# (item, committee name, meeting date) triples; the meeting date is a date or None.
MeetingRef = tuple[Item, str, Any]


def items_of(page: Any, *, source: str = "") -> tuple[MeetingRef, ...]:
    """The items a single-item, issue or decision page holds, each with its committee and date.

    Empty for any other page result. Issue and decision pages carry no agenda-item id, so
    their items are numbered ``issue<IId>-<n>``, ``issue-decision<IId>-<n>`` and ``decision<ID>``: these are views of items a
    crawl of the meeting pages already holds under their own ids, never stored twice.
    """
    if isinstance(page, ItemPage):
        item = Item(source=source, meeting_id=page.meeting_id, item_id=page.item_id, position=1,
                    number=page.number, title=page.title, agenda_text=page.agenda_text,
                    minutes_paragraphs=page.minutes_paragraphs, decision_paragraphs=page.decision_paragraphs,
                    documents=page.documents, url=page.url)
        return ((item, page.committee_name, page.meeting_date),)
    if isinstance(page, IssuePage):
        prefix = "issue" if page.shows == "items" else "issue-decision"
        return tuple(
            (Item(source=source, meeting_id=m.meeting_id, item_id=f"{prefix}{page.issue_id}-{n}", position=n,
                  number=m.number, title=m.title or page.title, agenda_text=m.agenda_text,
                  minutes_paragraphs=m.minutes_paragraphs, decision_paragraphs=m.decision_paragraphs,
                  documents=m.documents, url=page.url), m.committee_name, m.meeting_date)
            for n, m in enumerate(page.meetings, start=1)
        )
    if isinstance(page, DecisionPage):
        item = Item(source=source, meeting_id=page.meeting_id, item_id=f"decision{page.decision_id}", position=1,
                    title=page.title, agenda_text=page.agenda_text, minutes_paragraphs=page.minutes_paragraphs,
                    decision_paragraphs=page.decision_paragraphs, documents=page.documents, url=page.url)
        return ((item, page.committee_name or page.decision_maker, page.decision_date),)
    return ()
