"""Whether one source's run worked: ok, ok with some errors, degraded or failed.

Why: a run in which every meeting page failed used to be "ok": "last success" moved on, /healthz
stayed green and the three-failures alert could never fire. A run whose meeting pages mostly
failed is *failed*; one whose item count collapsed is *degraded*. Both count as failures of the
source (the alert), and neither moves "last success". Pure functions over counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COLLAPSE_RATIO = 0.5  # fewer than half the items of before the run...
COLLAPSE_FLOOR = 10  # ...of a source that had at least this many


@dataclass(frozen=True)
class Verdict:
    status: str  # "ok", "ok-with-errors", "degraded" or "failed" (the batch's status)
    reason: str = ""  # why it is degraded or failed, for the run's error list

    @property
    def is_failure(self) -> bool:
        return self.status in ("degraded", "failed")


def judge_source_run(source: str, errors: Iterable[Mapping[str, str]], meeting_urls: Iterable[str],
                     refreshed_urls: Iterable[str], items_before: int, items_after: int) -> Verdict:
    """``errors`` are the run's {"url", "error"} records; ``meeting_urls`` every listed meeting page,
    ``refreshed_urls`` those asked for in this run."""
    errors = list(errors)
    meetings = set(meeting_urls)
    failed = {e.get("url") for e in errors if e.get("url") in meetings}
    worked = set(refreshed_urls) - failed
    if failed and len(failed) > len(worked):
        return Verdict("failed", f"{source}: {len(failed)} of {len(failed) + len(worked)} meeting pages asked for "
                                 f"in this run failed")
    if items_before >= COLLAPSE_FLOOR and items_after < items_before * COLLAPSE_RATIO:
        return Verdict("degraded", f"{source}: the source's items fell from {items_before:,} to {items_after:,} "
                                   f"in one run; the site may have changed or be failing")
    return Verdict("ok-with-errors" if errors else "ok")
