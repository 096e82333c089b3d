"""The sample council in its own process, driven over stdin/stdout (one JSON object a line).

    python bench/sitectl.py SIZE SEED [PORT]

prints ``{"base_url": …, "stats": …}`` once it serves on 127.0.0.1, then answers commands:

* ``{"cmd": "edit", "fraction": 0.01, "seed": 7, "token": "…"}`` appends a paragraph holding
  ``token`` to the minutes of that fraction of the site's items, picked at random from the most
  recent meetings with published minutes (the meetings a nightly run re-fetches: corrections and
  late minutes land on recent meetings). Answers ``{"edited": n, "lookback_days": d}``: the
  look-back window (at least the default 60 days) that covers every edited meeting;
* ``{"cmd": "requests"}`` answers how many requests the site served.

Why a separate process: the site renders pages in Python; sharing the crawler's process (and
its GIL) would make the crawl look slower than against a real council's server.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from searchsvc.sample import HELD, TODAY, Para, SampleSite

DEFAULT_LOOKBACK = 60


def edit(site: SampleSite, fraction: float, seed: int, token: str) -> dict:
    total = site.stats()["items"]
    want = max(1, math.ceil(total * fraction))
    recent = sorted((m for m in site.meetings() if m.status == HELD and m.minutes_published),
                    key=lambda m: m.start, reverse=True)
    pool, oldest = [], TODAY
    for m in recent:
        if len(pool) >= want * 2:  # a pool twice the size: the pick is still random
            break
        pool += [it.item_id for it in site.items(m.meeting_id)]
        oldest = m.start
    rng = random.Random(seed)
    chosen = rng.sample(pool, min(want, len(pool)))
    for n, item_id in enumerate(chosen):
        site.append_minutes(item_id, Para(f"The Chair noted a correction to these minutes, reference {token} "
                                          f"number {n}, agreed at the following meeting."))
    days = (TODAY.date() - oldest.date()).days + 1
    return {"edited": len(chosen), "wanted": want, "items": total,
            "lookback_days": max(DEFAULT_LOOKBACK, days)}


def main() -> None:
    size, seed = float(sys.argv[1]), int(sys.argv[2])
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 0  # the same port again: stored URLs stay valid
    site = SampleSite(seed=seed, size=size, port=port).start()
    print(json.dumps({"base_url": site.base_url, "stats": site.stats(), "today": TODAY.date().isoformat(),
                      "council": site.council_name}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        if cmd["cmd"] == "edit":
            answer = edit(site, cmd["fraction"], cmd["seed"], cmd["token"])
        elif cmd["cmd"] == "requests":
            answer = {"requests": sum(site.requests.values())}
            site.reset_requests()
        else:
            answer = {"error": f"unknown command {cmd['cmd']!r}"}
        print(json.dumps(answer), flush=True)
    site.stop()


if __name__ == "__main__":
    main()
