"""Email addresses: one strict check before anything is stored or sent, and a masked form for logs.

Why strict rather than RFC 5322-complete: an address here only ever goes into an SMTP
``RCPT TO`` and a ``To:`` header. Quoted local parts, comments and IP-literal domains are
legal but almost never real, and every one of them is a way to smuggle text into a
header. Refusing them costs nobody an alert and closes header injection at the door.
"""

from __future__ import annotations

import re

from searchsvc.alerts.errors import AlertError

MAX_LENGTH = 254  # RFC 5321 path limit less the angle brackets
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_LINE_BREAKS = re.compile(r"[\r\n\x00\x0b\x0c\x85\u2028\u2029]")


def has_line_break(text: str) -> bool:
    """True when ``text`` could end a header line and start another (header injection)."""
    return bool(_LINE_BREAKS.search(text))


def normalize_address(text: str) -> str:
    """The address, trimmed and with its domain lower-cased, or :class:`AlertError` saying what is wrong."""
    if has_line_break(text or ""):
        raise AlertError("An email address cannot contain line breaks.")
    address = (text or "").strip()
    if not address:
        raise AlertError("Enter an email address.")
    if len(address) > MAX_LENGTH:
        raise AlertError(f"That email address is longer than {MAX_LENGTH} characters.")
    if address.count("@") != 1:
        raise AlertError("An email address has exactly one @, as in name@example.org.")
    local, domain = address.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        raise AlertError("The part before the @ may use letters, digits, dots and !#$%&'*+/=?^_`{|}~- "
                         "(no spaces, quotes, commas or angle brackets).")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise AlertError("The part after the @ must be a domain name such as example.org.")
    return f"{local}@{domain.lower()}"


def mask(address: str) -> str:
    """``j***@example.org``: enough for an operator to recognise a line, not to harvest addresses."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


_ANY_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"'@]+@[A-Za-z0-9.-]+")


def scrub(text: str) -> str:
    """``text`` with every address in it masked (a server's error message may quote one)."""
    return _ANY_ADDRESS.sub(lambda m: mask(m.group(0)), text)
