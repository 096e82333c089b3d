"""Decision pages: ``ieDecisionDetails.aspx?ID=`` and ``mgDecisionDetails.aspx?IId=``.

Both print one decision: a title (``h2.mgSubTitleTxt``), labelled facts as
``p > span.mgLabel`` + text ("Decision Maker:", "Decision status:", "Date of
decision:", "Decided at meeting:" with a link to the meeting), then sections under
``h3.mgSubSubTitleTxt`` or ``p.mgSubItemTitleTxt`` ("Purpose:", "Decision:",
"Minutes:", "Reasons for the decision:") each followed by a ``div.mgWordPara``, and
an "Accompanying Documents:" list. The sections are read with the item reader so a
decision's text becomes passages exactly like an item's.
"""

from __future__ import annotations

import logging

from bs4.element import Tag

from crawler.moderngov.dates import parse_date
from crawler.moderngov.items import read_item_content
from crawler.moderngov.pages import DecisionPage
from crawler.moderngov.soup import modgov_root, require
from crawler.moderngov.text import clean, link_text, text_of
from crawler.urls import absolute, canonical, query_param
from searchsvc.errors import ParseError

log = logging.getLogger(__name__)

__all__ = ["parse_decision_page"]


def _fields(body: Tag, url: str) -> tuple[list[tuple[str, str]], Tag | None]:
    """The labelled facts in order, and the "Decided at meeting" link when there is one."""
    fields: list[tuple[str, str]] = []
    meeting_link = None
    for label in body.select("span.mgLabel"):
        block = label.parent
        if block is None or block.name != "p":
            continue
        key = clean(text_of(label)).rstrip(": ").strip()
        value = text_of(block)[len(text_of(label)):].strip()
        if key and value:
            fields.append((key, value))
        link = block.select_one('a[href*="ieListDocuments.aspx" i]')
        if link is not None and meeting_link is None:
            meeting_link = link
    return fields, meeting_link


def parse_decision_page(html: str | bytes, url: str) -> DecisionPage:
    """Parse a decision details page (committee or officer decision).

    ParseError when the title heading or the page's ``ID``/``IId`` is missing.
    """
    _, root = modgov_root(html, url)
    decision_id = query_param(url, "ID", "IId", "IID", "DId")
    if not decision_id:
        raise ParseError("decision page URL has no ID or IId parameter", url)
    title = text_of(require(root, "h2.mgSubTitleTxt", url, "decision title heading"))
    body = root.select_one("div.mgContent") or root
    fields, meeting_link = _fields(body, url)
    facts = {k.lower(): v for k, v in fields}
    meeting_url = meeting_id = committee_id = committee_name = ""
    if meeting_link is not None:
        meeting_url = absolute(url, meeting_link["href"])
        meeting_id = query_param(meeting_url, "MId", "MID", "MeetingId")
        committee_id = query_param(meeting_url, "CId", "CommitteeId")
        text = link_text(meeting_link)  # "19/10/2025 - Policy Committee"
        committee_name = text.split(" - ", 1)[1].strip() if " - " in text else ""
    when = facts.get("date of decision") or facts.get("decision date") or (
        link_text(meeting_link) if meeting_link is not None else "")
    content = read_item_content(body, url, unlabelled="decision")
    return DecisionPage(
        decision_id=decision_id,
        url=canonical(url),
        title=title,
        decision_maker=facts.get("decision maker", ""),
        decision_date=parse_date(when.split(" - ", 1)[0]) if when else None,
        meeting_url=meeting_url,
        meeting_id=meeting_id,
        committee_id=committee_id,
        committee_name=committee_name,
        agenda_text=content.agenda_text,
        minutes_paragraphs=tuple(content.minutes),
        decision_paragraphs=tuple(content.decision),
        documents=content.all_documents(),
        fields=tuple(fields),
    )
