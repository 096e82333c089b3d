"""Speaker attribution against the sample council's ground truth (an independent oracle).

The sample site (:mod:`searchsvc.sample`) writes reported-speech minutes from frames that
record who speaks as they write, by a different author than this grammar. Its one
convention we deliberately do not follow: it resolves "The Mayor" to the chair of Full
Council; we resolve offices only through a Member whose role names the office.
"""

from __future__ import annotations

import time

from searchsvc.enrich import attribute
from searchsvc.records import Member, Passage
from searchsvc.sample import HELD, Council


def test_sample_site_precision_and_recall():
    council = Council(seed=1, size=0.1)
    tp = fp = fn = passages = 0
    misses = []
    elapsed = 0.0
    for meeting in council.meetings():
        if meeting.status != HELD:
            continue
        attendance = council.attendance(meeting.meeting_id)
        people = [Member(a.name, a.role, attendance=a.attendance) for a in attendance]
        chair = next((a.name for a in attendance if a.role == "Chair"), None)
        for item in council.items(meeting.meeting_id):
            paragraphs = [Passage(f"p{n}", p.text) for n, p in enumerate(item.minutes, start=1)]
            start = time.perf_counter()
            done = attribute(paragraphs, people, chair)
            elapsed += time.perf_counter() - start
            for passage, truth in zip(done, item.minutes):
                passages += 1
                expected, got = set(truth.speakers), set(passage.speakers)
                tp += len(expected & got)
                fp += len(got - expected)
                fn += len(expected - got)
                if expected != got and "The Mayor" not in passage.raw_speakers:
                    misses.append((passage.text[:100], sorted(expected), sorted(got)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\n[sample site] {passages} passages: precision {precision:.3f} recall {recall:.3f} "
          f"(tp={tp} fp={fp} fn={fn}); {passages / elapsed:,.0f} passages/s")
    for miss in misses[:10]:
        print("  MISS", *miss)
    assert passages > 500
    assert precision >= 0.98 and recall >= 0.98, misses[:5]
