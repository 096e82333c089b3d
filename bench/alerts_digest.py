"""Digest build time for many email alerts against one nightly batch of the sample council.

    PYTHONPATH=. .venv/bin/python bench/alerts_digest.py [--alerts 10000] [--size 1.0] [--seed 1]
                                                         [--changes 40]

A script, not a test (no timed tests). It crawls the sample council on 127.0.0.1 into a
temporary data directory (the first nightly run), signs up ``--alerts`` confirmed alerts drawn
from the index's own vocabulary (a word, a phrase, a speaker, a committee, a topic, or a word
with a speaker or committee filter — seeded), changes the site as a night would (new meetings,
``--changes`` edited minutes), runs the nightly crawl + index update, then times the digest
step: every alert's search since its last batch, the grouping per address, and the text and
HTML of every email — everything but SMTP, which a collecting sender stands in for. A second
digest step over the same batch (nothing new) is timed too.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from searchsvc.alerts.queries import canonical, label
from searchsvc.alerts.run import send_digests
from searchsvc.alerts.settings import alert_settings
from searchsvc.alerts.store import AlertStore
from searchsvc.config import load_config
from searchsvc.index import IndexReader, IndexStore, SearchRequest
from searchsvc.sample import SampleSite
from searchsvc.schedule import nightly_job

REPO = Path(__file__).resolve().parents[1]
ADDRESSES_PER_ALERT = 2.5  # people follow a few searches each


class CollectingSender:
    """Stands in for SMTP: keeps the size of what would have been sent."""

    def __init__(self, settings):
        self.sent, self.bytes = 0, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def send(self, message):
        self.bytes += len(message.as_bytes())
        self.sent += 1


def vocabulary(data_dir: Path, rng: random.Random) -> dict[str, list[str]]:
    reader = IndexReader(IndexStore(data_dir))
    result = reader.search(SearchRequest(include_procedural=True, per_page=100, facets=True))
    facets = {f: [str(v.value) for v in result.facets.get(f, ())] for f in ("speaker", "committee", "topic")}
    words: Counter[str] = Counter()
    for page in range(1, 6):
        for hit in reader.search(SearchRequest(include_procedural=True, per_page=100, page=page, facets=False)).hits:
            for w in hit.title.lower().split():
                if w.isalpha() and len(w) > 4:
                    words[w] += 1
    facets["word"] = [w for w, _ in words.most_common(400)[20:]]  # not the commonest: "council", "report"…
    return facets


def random_query(vocab: dict[str, list[str]], rng: random.Random) -> str:
    kind = rng.choice(("word", "word", "phrase", "speaker", "committee", "topic", "word+speaker", "word+committee"))
    args: list[tuple[str, str]] = []
    if kind.startswith("word"):
        args.append(("q", rng.choice(vocab["word"])))
    elif kind == "phrase":
        args.append(("q", f"\"{rng.choice(vocab['word'])} {rng.choice(vocab['word'])}\" OR {rng.choice(vocab['word'])}"))
    for facet in ("speaker", "committee", "topic"):
        if facet in kind and vocab[facet]:
            args.append((facet, rng.choice(vocab[facet])))
    return canonical(args)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--alerts", type=int, default=10_000)
    ap.add_argument("--size", type=float, default=1.0, help="sample council size (1.0: ~700 meetings)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--changes", type=int, default=40, help="minutes edited in the nightly batch")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="alerts-bench-"))
    with SampleSite(seed=args.seed, size=args.size) as site:
        config_path = tmp / "searchsvc.toml"
        config_path.write_text(f"""
[storage]
data_dir = "{tmp / 'data'}"
[crawl]
requests_per_second = 0
lookback_days = 100000
[enrich]
topics_file = "{REPO / 'config' / 'topics.toml'}"
[[sources]]
name = "sample"
base_url = "{site.base_url}"
allow_private = true
""")
        config = load_config(config_path, environ={})  # alerts off: the nightly job alone
        t = time.perf_counter()
        nightly_job(config)
        print(f"first crawl + index: {time.perf_counter() - t:.0f} s, "
              f"{IndexStore(config.data_dir).doc_count():,} items", file=sys.stderr)

        vocab = vocabulary(config.data_dir, rng)
        mark = IndexStore(config.data_dir).last_batch() or 0
        people = max(1, int(args.alerts / ADDRESSES_PER_ALERT))
        with AlertStore(config.data_dir / "alerts.sqlite") as store:
            made = 0
            while made < args.alerts:
                query = random_query(vocab, rng)
                added = store.add_pending(f"person{rng.randrange(people)}@example.org", query, label(query),
                                          "daily", max_alerts=1000)
                if added and not added[1].confirmed:
                    sub, alert = added
                    store.confirm(alert.id, sub.nonce, mark)
                    made += 1
            print(f"{store.counts()['confirmed']:,} alerts from {store.counts()['addresses']:,} addresses",
                  file=sys.stderr)

        # One night's changes: two new meetings and edited minutes across the archive.
        held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published), key=lambda m: m.start)
        for m in held[-2:]:
            site.add_meeting(m.committee_id, m.start + timedelta(days=3))
        for m in rng.sample(held, min(args.changes, len(held))):
            items = [i for i in site.items(m.meeting_id) if not i.procedural]
            if items:
                words = " ".join(rng.sample(vocab["word"], 3))
                site.append_minutes(rng.choice(items).item_id, f"Councillor Quillfeather asked about {words}.")
        t = time.perf_counter()
        nightly_job(config)
        batch_items = IndexReader(IndexStore(config.data_dir)).search(
            SearchRequest(include_procedural=True, since_batch=mark, facets=False)).total
        print(f"nightly crawl + index update: {time.perf_counter() - t:.0f} s, batch "
              f"{IndexStore(config.data_dir).last_batch()}: {batch_items} items new or changed", file=sys.stderr)

    on = dataclasses.replace(config, values={**config.values, "alerts.enabled": True,
                                             "alerts.public_url": "https://search.example.org/",
                                             "alerts.from_address": "alerts@example.org",
                                             "alerts.smtp_host": "127.0.0.1", "alerts.send_per_minute": 0})
    alert_settings(on)
    senders: list[CollectingSender] = []

    def factory(settings):
        senders.append(CollectingSender(settings))
        return senders[-1]

    t = time.perf_counter()
    report = send_digests(on, sender_factory=factory, now=datetime.now().astimezone())
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = send_digests(on, sender_factory=factory)
    second = time.perf_counter() - t
    print(f"digest step, nightly batch: {args.alerts:,} alerts, {report.addresses:,} addresses, "
          f"{report.digests:,} digests ({report.items:,} items, {senders[0].bytes / 1e6:.1f} MB of email) "
          f"in {first:.2f} s = {first / args.alerts * 1000:.2f} ms per alert")
    print(f"digest step, nothing new: {again.digests} digests in {second:.2f} s")
    print(f"(data left in {tmp}; delete it when done)", file=sys.stderr)


if __name__ == "__main__":
    main()
