"""Committee pages: the committee list (``mgCommitteeStructure.aspx``/``mgListCommittees.aspx``)
and committee details (``mgCommitteeDetails.aspx?ID=``).

The list is where a crawl starts; the details page gives the purpose text and the
membership, which is the best source of councillors' full names and UIDs for
resolving "Councillor Reed" in minutes to one speaker.
"""

from __future__ import annotations

import logging

from bs4.element import Tag

from crawler.moderngov.pages import CommitteeListPage, CommitteePage
from crawler.moderngov.people import columns, posts_of, split_brackets
from crawler.moderngov.soup import modgov_root, require
from crawler.moderngov.text import clean, link_text, paragraphs, text_of
from crawler.urls import absolute, canonical, query_param
from searchsvc.errors import ParseError
from searchsvc.records import Committee, Member

log = logging.getLogger(__name__)

__all__ = ["parse_committee_list", "parse_committee_page"]

_COMMITTEE_LINK = 'a[href*="mgCommitteeDetails.aspx?ID=" i]'
DEFAULT_ROLE = "Committee Member"


def parse_committee_list(html: str | bytes, url: str, *, source: str = "") -> CommitteeListPage:
    """Every committee linked inside ``#modgov``, with the ``h2.mgSectionTitle`` it is listed under.

    ParseError when the page has no committee links at all (a list page that lists
    nothing is a changed or broken page, not an empty council).
    """
    _, root = modgov_root(html, url)
    committees = []
    seen: set[str] = set()
    for a in root.select(_COMMITTEE_LINK):
        link = absolute(url, a["href"])
        committee_id = query_param(link, "ID")
        if not committee_id or committee_id in seen:
            continue
        seen.add(committee_id)
        committees.append(
            Committee(
                source=source,
                committee_id=committee_id,
                name=_own_text(a),
                category=_category(a, root),
                url=link,
            )
        )
    if not committees:
        raise ParseError(f"no committee links (selector div#modgov {_COMMITTEE_LINK})", url)
    return CommitteeListPage(committees=tuple(committees))


def _own_text(a: Tag) -> str:
    """Link text, or its ``title`` when the link has no text of its own.

    Invalid markup can leave a link unclosed (Kingston's "Search for Expired
    Committees" ``<a>`` ends with ``</b>``), so a link may *contain* later links;
    only its text before the first nested block counts.
    """
    parts = []
    for node in a.children:
        if isinstance(node, Tag) and (node.name in ("a", "ul", "div", "h2", "p", "li", "script")):
            break
        parts.append(link_text(node) if isinstance(node, Tag) else str(node))
    return clean("".join(parts)) or clean(str(a.get("title") or "")).removeprefix("Link to details for ")


def _category(a: Tag, root: Tag) -> str:
    heading = a.find_previous("h2", class_="mgSectionTitle")
    if heading is None or root not in heading.parents:
        return ""
    return text_of(heading)


def parse_committee_page(html: str | bytes, url: str, *, source: str = "") -> CommitteePage:
    """Name (``h2.mgSubTitleTxt``), purpose, members with roles, and the meetings-list URL."""
    soup, root = modgov_root(html, url)
    name = text_of(require(root, "h2.mgSubTitleTxt", url, "committee name heading"))
    body = root.select_one("div.mgContent") or root

    meetings_link = root.select_one('ul.mgActionList a[href*="ieListMeetings.aspx" i]')
    meetings_url = absolute(url, meetings_link["href"]) if meetings_link is not None else ""
    committee_id = query_param(url, "ID", "CId", "CommitteeId") or query_param(meetings_url, "CommitteeId", "CId")
    if not committee_id:
        raise ParseError("committee id is missing (URL ID, selector ul.mgActionList a[href*=ieListMeetings.aspx])", url)

    rss = soup.select_one('link[rel~="alternate"][href*="mgRss.aspx" i]') or root.select_one('a[href*="mgRss.aspx" i]')
    return CommitteePage(
        committee=Committee(
            source=source,
            committee_id=committee_id,
            name=name,
            url=canonical(url),
            purpose="\n\n".join(_purpose(body)),
            members=_members(body),
        ),
        meetings_url=meetings_url,
        rss_url=absolute(url, rss["href"]) if rss is not None else "",
    )


def _purpose(body: Tag) -> tuple[str, ...]:
    for heading in body.select("h2.mgSectionTitle"):
        if text_of(heading).lower().startswith("purpose"):
            block = heading.find_next_sibling(class_="mgWordPara")
            return paragraphs(block)
    return ()


def _members(body: Tag) -> tuple[Member, ...]:
    """Members from the ``ul.mgBulletList`` membership list ("Councillor X (Chair)", sometimes a
    party in brackets or after a dash) or, where a council shows membership as a table, from its
    Name/Role/Party/Ward columns."""
    members = []
    seen: set[str] = set()
    for a in body.select('ul.mgBulletList li a[href*="mgUserInfo.aspx" i]'):
        uid = query_param(a["href"], "UID")
        name = link_text(a)
        if not name or (uid or name) in seen:
            continue
        seen.add(uid or name)
        li = a.find_parent("li")
        rest = text_of(li)[len(text_of(a)):] if li is not None else ""
        role, party = split_brackets(rest)
        members.append(Member(name=name, role=role or DEFAULT_ROLE, uid=uid, party=party))
    for table in body.select("table.mgTabTable"):
        cols = columns(table)
        for tr in table.find_all("tr"):
            cells = tr.find_all("td", recursive=False)
            a = cells[cols.name].select_one('a[href*="mgUserInfo.aspx" i]') if len(cells) > cols.name else None
            if a is None:
                continue
            uid, name = query_param(a["href"], "UID"), link_text(a)
            if not name or (uid or name) in seen:
                continue
            seen.add(uid or name)
            members.append(Member(name=name, role=cols.cell(cells, "role") or DEFAULT_ROLE, uid=uid,
                                  party=cols.cell(cells, "party"), ward=cols.cell(cells, "ward"),
                                  posts=posts_of(cols.cell(cells, "posts"))))
    return tuple(members)
