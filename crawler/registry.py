"""Committee-system adapters by the source ``kind`` that names them.

A leaf module (it imports no adapter until one is asked for), so the configuration can check a
source's ``kind`` against it cheaply. Built-in adapters are listed by module path; others (a
plug-in, a test's tiny system) are added with :func:`register`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.adapters import Adapter

# kind -> module whose ``ADAPTER`` implements it
BUILTIN: dict[str, str] = {
    "moderngov": "crawler.moderngov.adapter",
}

_registered: dict[str, "Adapter"] = {}

# What crawler.adapters.Adapter asks of an adapter; checked when one is registered, so a missing
# method is an error at start-up rather than in the middle of a night's crawl.
REQUIRED = ("kind", "title", "crawl", "stored_pages", "reader", "classify", "saved_page_url", "parse_page")


class UnknownKind(LookupError):
    """No adapter is registered for a source's kind."""


def register(adapter: "Adapter") -> "Adapter":
    """Make ``adapter`` the one for sources of ``adapter.kind`` (returned, so it can decorate)."""
    missing = [name for name in REQUIRED if not hasattr(adapter, name)]
    if missing:
        raise TypeError(f"{type(adapter).__name__} is not a committee-system adapter: it lacks {', '.join(missing)}")
    _registered[adapter.kind] = adapter
    return adapter


def unregister(kind: str) -> None:
    _registered.pop(kind, None)


def kinds() -> tuple[str, ...]:
    """Every known kind, built-in first."""
    return tuple(dict.fromkeys([*BUILTIN, *_registered]))


def adapter_for(kind: str) -> "Adapter":
    if kind in _registered:
        return _registered[kind]
    if kind in BUILTIN:
        return register(importlib.import_module(BUILTIN[kind]).ADAPTER)
    raise UnknownKind(f"no committee-system adapter for kind {kind!r} (known: {', '.join(kinds())})")


def adapters() -> list["Adapter"]:
    return [adapter_for(kind) for kind in kinds()]


def adapter_for_url(url: str) -> "Adapter | None":
    """The first adapter that recognises ``url`` as one of its pages (for ``searchsvc parse``)."""
    return next((a for a in adapters() if a.classify(url) is not None), None)
