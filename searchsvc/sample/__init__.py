"""The built-in sample council site: a deterministic, fictional ModernGov install.

``SampleSite(seed=1, size=1.0)`` generates a council (committees, ~700 meetings over 2015-2026,
items with reported-speech minutes) lazily from its seed, serves it over HTTP on 127.0.0.1, and
exposes the ground truth (``committees()``, ``meetings()``, ``items()``, ``attendance()``,
per-paragraph speakers) plus mutations for nightly-run tests. Used by ``make demo``, the crawler
tests and the benchmarks. Run ``python -m searchsvc.sample --port 8000`` to browse it.
"""

from .council import Council
from .model import (
                    CANCELLED,
                    FUTURE,
                    HELD,
                    TODAY,
                    Attendee,
                    CommitteeInfo,
                    Declared,
                    DocInfo,
                    ItemInfo,
                    MeetingInfo,
                    MemberInfo,
                    Para,
                    Person,
                    truncate,
)
from .pdf import text_pdf
from .render import Page, render
from .server import SampleSite, serve_site

__all__ = ["SampleSite", "serve_site", "Council", "Page", "render", "text_pdf", "truncate", "TODAY", "HELD", "CANCELLED",
           "FUTURE", "Attendee", "CommitteeInfo", "Declared", "DocInfo", "ItemInfo", "MeetingInfo", "MemberInfo",
           "Para", "Person"]
