"""Email messages: the confirmation and the digest, with headers that cannot be injected into.

Every header value passes :func:`_header`, which refuses line breaks outright (the
``email`` package would fold or reject some of them; refusing here gives one clear
error and no partial message). Digests carry RFC 8058 one-click unsubscribe:
``List-Unsubscribe`` with the HTTPS link and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, so a mail client's "Unsubscribe" button works without a
visit to the site (the link answers that POST).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape

from searchsvc.alerts.addresses import has_line_break, normalize_address
from searchsvc.alerts.digest import SITE_NAME, Digest, render_html, render_text, subject
from searchsvc.alerts.errors import AlertError
from searchsvc.alerts.settings import AlertSettings


def _header(name: str, value: str) -> str:
    if has_line_break(value):
        raise AlertError(f"refused to write the {name} header: its value contains a line break")
    return value


def _base(settings: AlertSettings, to: str, subject_text: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = _header("From", f"{SITE_NAME} <{normalize_address(settings.from_address)}>")
    msg["To"] = _header("To", normalize_address(to))
    msg["Subject"] = _header("Subject", subject_text)
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(domain=settings.from_address.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def confirmation_message(settings: AlertSettings, to: str, label: str, confirm_url: str, hours: int) -> EmailMessage:
    msg = _base(settings, to, "Confirm your council minutes alert")
    text = (f"Someone, probably you, asked {SITE_NAME} ({settings.public_url}) to email this address when new "
            f"council minutes match:\n\n    {label}\n\nTo start the alert, open this link within {hours} hours:\n\n"
            f"{confirm_url}\n\nIf it was not you, ignore this email: nothing will be sent, and the address is "
            f"forgotten after {hours} hours.\n")
    html = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:"
            f"sans-serif;max-width:40em\"><p>Someone, probably you, asked {escape(SITE_NAME)} to email this address "
            f"when new council minutes match:</p><p><strong>{escape(label)}</strong></p>"
            f"<p><a href=\"{escape(confirm_url)}\">Confirm the alert</a> (the link works for {hours} hours).</p>"
            f"<p>If it was not you, ignore this email: nothing will be sent.</p></body></html>")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def digest_message(settings: AlertSettings, digest: Digest) -> EmailMessage:
    msg = _base(settings, digest.subscriber.email, subject(digest))
    msg["List-Unsubscribe"] = _header("List-Unsubscribe", f"<{digest.unsubscribe_url}>")
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Id"] = _header("List-Id", f"Council minutes alerts <alerts.{settings.from_address.rpartition('@')[2]}>")
    msg.set_content(render_text(digest, settings))
    msg.add_alternative(render_html(digest, settings), subtype="html")
    return msg
