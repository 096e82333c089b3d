"""URL canonicalisation for ModernGov sites: one spelling per page, so the raw store never
holds the same page twice and record ids stay stable.

ModernGov hrefs are relative, may contain literal spaces or CR/LF (document file names), spell
query parameters in several cases (``MId``/``MID``/``MeetingId``) and, on some installs, carry an
ASP.NET cookieless-session segment (``/(S(xhe05jzjdwiv1tvargp0uh45))/``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

_SESSION_SEGMENT = re.compile(r"/\([A-Za-z]\([A-Za-z0-9]+\)\)(?=/)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def absolute(base: str, href: str) -> str:
    """Resolve ``href`` against ``base`` and canonicalise it.

    Control characters are removed and spaces percent-encoded before joining, as
    ModernGov document links contain both.
    """
    href = _CONTROL.sub("", href).strip()
    return canonical(urljoin(base, quote(href, safe=":/?&=#%;@+,$!~*'()")))


def canonical(url: str) -> str:
    """The one spelling of ``url``: lower-case scheme and host, no session segment, no
    fragment, default ports dropped, path spaces encoded; the query kept in its order."""
    url = _CONTROL.sub("", url).strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if ":" in host:  # an IPv6 literal keeps its brackets, or "http://[::1]/" became "http://::1/"
        host = f"[{host}]"
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    path = _SESSION_SEGMENT.sub("", parts.path) or "/"
    path = quote(path, safe="/%:@!$&'()*+,;=~-._")
    query = quote(parts.query, safe="=&%:/?@!$'()*+,;~-._")
    return urlunsplit((scheme, netloc, path, query, ""))


def query_param(url: str, *names: str) -> str:
    """The first of ``names`` present in the query, matched case-insensitively ("" if none).

    ``query_param(url, "MId", "MeetingId")`` accepts ``MId=``, ``MID=``, ``mid=`` and ``MeetingId=``.
    """
    wanted = [n.lower() for n in names]
    params = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    for name in wanted:
        if name in params:
            return params[name]
    return ""


def with_query(base: str, page: str, **params: object) -> str:
    """``page`` under ``base`` with ``params`` as its query: ``with_query(b, "mgAi.aspx", ID=5)``."""
    query = urlencode({k: str(v) for k, v in params.items()})
    return canonical(urljoin(base, page) + (f"?{query}" if query else ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
