"""Which new items each address gets after a run, and the text and HTML of its one email.

Batch numbers make this repeat-free: every item carries the batch that last changed it,
and an alert remembers the batch it last reported (``last_batch``). A digest asks the index
for the alert's search with ``since_batch=last_batch``; after a successful send the alert
moves to the run's *mark* (the index's last batch). A full rebuild keeps every item's batch,
so it never makes old items look new; a failed send leaves ``last_batch`` where it was, so
the next run sends those items (and any newer ones) again.

Building is pure given a search function, so the bench can time it without SMTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Callable
from urllib.parse import quote

from searchsvc.alerts.queries import search_path, to_request
from searchsvc.alerts.settings import AlertSettings
from searchsvc.alerts.store import Alert, Subscriber
from searchsvc.alerts.tokens import MANAGE, UNSUBSCRIBE, LinkData, Signer
from searchsvc.index import Hit, SearchRequest, SearchResult

SITE_NAME = "Council minutes search"
WEEK = timedelta(days=6, hours=12)  # a weekly alert is due again after this (runs drift by minutes)

Search = Callable[[SearchRequest], SearchResult]


@dataclass(frozen=True)
class Section:
    alert: Alert
    total: int
    hits: tuple[Hit, ...]
    more_url: str
    unsubscribe_url: str


@dataclass
class Digest:
    """One email to one address: a section per alert that matched something."""

    subscriber: Subscriber
    sections: list[Section]
    reported: list[int]  # alert ids that move to the mark once this is sent (matched or not)
    manage_url: str = ""
    unsubscribe_url: str = ""

    @property
    def items(self) -> int:
        return sum(s.total for s in self.sections)


def is_due(alert: Alert, now: datetime) -> bool:
    if alert.frequency != "weekly" or not alert.last_sent_at:
        return True
    return datetime.fromisoformat(alert.last_sent_at) <= now - WEEK


def build_digest(subscriber: Subscriber, alerts: list[Alert], search: Search, settings: AlertSettings,
                 signer: Signer, mark: int, now: datetime) -> Digest:
    """The digest of one address (``sections`` empty: nothing to send, but ``reported`` may still move)."""
    sections, reported = [], []
    for alert in alerts:
        if not alert.confirmed or not is_due(alert, now):
            continue
        reported.append(alert.id)
        if alert.last_batch >= mark:
            continue
        result = search(to_request(alert.query, alert.last_batch, settings.max_items))
        hits = tuple(h for h in result.hits if h.batch > alert.last_batch)
        if not hits:
            continue
        unsubscribe = signer.make(UNSUBSCRIBE, LinkData(subscriber.id, subscriber.nonce, alert.id))
        sections.append(Section(alert, result.total, hits, settings.link(search_path(alert.query, alert.last_batch)),
                                settings.link(f"alerts/unsubscribe/{unsubscribe}")))
    link = LinkData(subscriber.id, subscriber.nonce)
    return Digest(subscriber, sections, reported,
                  manage_url=settings.link(f"alerts/manage/{signer.make(MANAGE, link)}"),
                  unsubscribe_url=settings.link(f"alerts/unsubscribe/{signer.make(UNSUBSCRIBE, link)}"))


# --- the email's words --------------------------------------------------------------------


def subject(digest: Digest) -> str:
    n = digest.items
    return f"{n} new item{'s' if n != 1 else ''} in council minutes for your alerts"


def _item_url(settings: AlertSettings, hit: Hit, anchor: str = "") -> str:
    return settings.link("items/" + quote(hit.id, safe=":")) + (f"#{anchor}" if anchor else "")


def _when(hit: Hit) -> str:
    return f"{hit.date:%-d %B %Y}" if hit.date else "date not known"


def render_text(digest: Digest, settings: AlertSettings) -> str:
    lines = [f"{subject(digest)} ({SITE_NAME}).", ""]
    for s in digest.sections:
        lines += [f"== {s.alert.label} — {s.total} new ==", ""]
        for hit in s.hits:
            lines.append(f"* {hit.title} — {hit.committee}, {_when(hit)}")
            for snip in hit.snippets[:2]:
                who = f" — {', '.join(snip.speakers)}" if snip.speakers else ""
                lines.append(f"  “{snip.text}”{who}")
            lines += [f"  {_item_url(settings, hit)}", ""]
        if s.total > len(s.hits):
            lines += [f"… and {s.total - len(s.hits)} more: {s.more_url}", ""]
        lines += [f"Stop this alert: {s.alert.label}: {s.unsubscribe_url}", ""]
    lines += ["--", f"You get this because you confirmed these alerts on {settings.public_url}.",
              f"Manage your alerts: {digest.manage_url}", f"Unsubscribe from all: {digest.unsubscribe_url}", ""]
    return "\n".join(lines)


def render_html(digest: Digest, settings: AlertSettings) -> str:
    e = escape
    out = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(subject(digest))}</title>"
           "</head><body style=\"font-family:sans-serif;max-width:40em\">", f"<h1>{e(subject(digest))}</h1>"]
    for s in digest.sections:
        out.append(f"<h2>{e(s.alert.label)} <small>({s.total} new)</small></h2><ul>")
        for hit in s.hits:
            out.append(f"<li><p><a href=\"{e(_item_url(settings, hit))}\"><strong>{e(hit.title)}</strong></a><br>"
                       f"{e(hit.committee)}, {e(_when(hit))}</p>")
            for snip in hit.snippets[:2]:
                who = f" <em>— {e(', '.join(snip.speakers))}</em>" if snip.speakers else ""
                # Snippet.html is already escaped text with <mark> around the matched words.
                out.append(f"<blockquote><a href=\"{e(_item_url(settings, hit, snip.anchor))}\">…</a> "
                           f"{snip.html}{who}</blockquote>")
            out.append("</li>")
        out.append("</ul>")
        if s.total > len(s.hits):
            out.append(f"<p><a href=\"{e(s.more_url)}\">… and {s.total - len(s.hits)} more</a></p>")
        out.append(f"<p><small><a href=\"{e(s.unsubscribe_url)}\">Stop this alert</a></small></p>")
    out.append(f"<hr><p><small>You get this because you confirmed these alerts on {e(settings.public_url)}. "
               f"<a href=\"{e(digest.manage_url)}\">Manage your alerts</a> · "
               f"<a href=\"{e(digest.unsubscribe_url)}\">Unsubscribe from all</a></small></p></body></html>")
    return "".join(out)
