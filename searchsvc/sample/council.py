"""The fictional council: people, committees, the meeting index and the changes made to it.

Only the meeting *index* is built up front (one small record per meeting); items, minutes and
attendance are generated on demand by :mod:`.agenda` from a sub-seed per meeting, so a site of a
million passages costs no more memory than its index. Mutations (``add_meeting``,
``edit_minutes``…) are recorded as overrides on top of the generated site and stamp the
meeting with a new modification time, which is what the server's Last-Modified and the
crawler's nightly run look at.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from . import agenda, vocab
from .model import (
    AI_BASE,
    AI_BLOCK,
    CANCELLED,
    DOC_BASE,
    FIRST_MONTH,
    FUTURE,
    HELD,
    LAST_MONTH,
    MID_BASE,
    MINUTES_LAG,
    TODAY,
    Attendee,
    CommitteeInfo,
    DocInfo,
    ItemInfo,
    MeetingInfo,
    MemberInfo,
    Para,
    Person,
    municipal_year,
    term_of,
)

logger = logging.getLogger(__name__)

_CACHE_SIZE = 256  # generated meetings kept; a meeting renders from cache in well under 1 ms


def _modified(start: datetime, status: str, published: bool) -> datetime:
    """When a meeting's pages last changed, before any mutation: never later than TODAY."""
    if status == CANCELLED:
        when = start - timedelta(days=2)
    elif status == FUTURE:
        when = start - timedelta(days=7)
    else:
        when = start + (MINUTES_LAG + timedelta(days=2) if published else timedelta(days=1))
    return min(when.replace(hour=10, minute=0), TODAY)


class Council:
    """A deterministic fictional council. ``size`` scales the number of meetings linearly:
    below 1 committees meet less often, above 1 extra committees are added."""

    today = TODAY

    def __init__(self, seed: int = 1, size: float = 1.0, printed: bool = False) -> None:
        if size <= 0:
            raise ValueError("size must be positive")
        self.seed, self.size = seed, size
        self.printed = printed  # one committee's minutes only as PDFs (searchsvc.sample.printed)
        self._lock = threading.RLock()
        self._cache: OrderedDict[int, tuple] = OrderedDict()  # mid -> (items, attendance, meeting)
        self._edits: dict[int, tuple[Para, ...]] = {}
        self._removed: set[int] = set()
        self._mutations = 0
        self._added = False
        self._build_people()
        self._build_committees()
        self._term_cache: dict[tuple[int, int], tuple[Person, ...]] = {}
        self._membership_cache: dict[tuple[int, int, int], tuple[MemberInfo, ...]] = {}
        self._posts_cache: dict[tuple[int, int], dict[int, tuple[str, ...]]] = {}
        self._build_index()

    # --- people and committees ------------------------------------------------------

    def _build_people(self) -> None:
        rng = random.Random(f"{self.seed}:people")
        names = list(vocab.COUNCILLORS)
        rng.shuffle(names)
        uids = rng.sample(range(100, 3000), len(names) + len(vocab.COOPTED))
        spans = [(0, 1, 2)] * 26 + [(0,)] * 5 + [(0, 1)] * 5 + [(1, 2)] * 5 + [(2,)] * 5
        self._councillors = tuple(
            Person(uids[i], "Councillor", first, last, g, rng.choice(vocab.PARTIES),
                   vocab.WARDS[i % len(vocab.WARDS)], spans[i])
            for i, (g, first, last) in enumerate(names))
        self._coopted = tuple(
            Person(uids[len(names) + i], title, first, last, g, coopted_for=kind, represents=rep)
            for i, (g, title, first, last, kind, rep) in enumerate(vocab.COOPTED))
        self._people = {p.uid: p for p in self._councillors + self._coopted}

    def _build_committees(self) -> None:
        rng = random.Random(f"{self.seed}:committees")
        ids = rng.sample(range(100, 900), len(vocab.COMMITTEES))
        out = []
        for k, (name, cat, kind, per_year, wd, hh, mm, style, dlabel, docs, topics, purpose) in enumerate(
                vocab.COMMITTEES):
            wards = tuple(vocab.WARDS[4 * (k - 7): 4 * (k - 6)]) if kind == "neighbourhood" else ()
            venue = vocab.VENUES[3] if kind == "neighbourhood" else vocab.VENUES[k % 3]
            out.append(CommitteeInfo(ids[k], name, cat, kind, purpose, per_year, wd, hh, mm, style, dlabel, docs,
                                     tuple(topics.split()), venue, wards))
        extra = round((self.size - 1) * len(out)) if self.size > 1 else 0
        areas = [f"{a} {b}".strip() for b in ("", "North", "South", "East", "West", "Central")
                 for a in vocab.WARDS]
        for k in range(extra):
            pattern, kind, per_year, topics = vocab.EXTRA_KINDS[k % len(vocab.EXTRA_KINDS)]
            area = areas[(k // len(vocab.EXTRA_KINDS)) % len(areas)]
            lap = k // (len(vocab.EXTRA_KINDS) * len(areas))
            name = pattern.format(area=area) + (f" ({lap + 1})" if lap else "")
            out.append(CommitteeInfo(1000 + k, name, "Area Committees", kind, "Local decisions for the area.",
                                     per_year, k % 4, 19, 0, ("plain", "ordinal")[k % 2], "Decision:",
                                     "Additional documents:", tuple(topics.split()), vocab.VENUES[3]))
        self._committees = {c.committee_id: c for c in out}

    def _term_members(self, cid: int, term: int) -> tuple[Person, ...]:
        """The committee's members for one term of office (councillors first, co-opted last)."""
        key = (cid, term)
        if key not in self._term_cache:
            c = self._committees[cid]
            seated = [p for p in self._councillors if term in p.terms]
            rng = random.Random(f"{self.seed}:members:{cid}:{term}")
            sizes = {"cabinet": 8, "scrutiny": 9, "planning": 11, "hwb": 4, "licensing": 10, "audit": 7}
            if c.kind == "council":
                chosen = seated
            elif c.wards:
                chosen = [p for p in seated if p.ward in c.wards]
            else:
                chosen = rng.sample(seated, sizes.get(c.kind, 8))
            coopted = [p for p in self._coopted if p.coopted_for == c.kind and c.committee_id < 1000]
            self._term_cache[key] = tuple(chosen) + tuple(coopted)
        return self._term_cache[key]

    def _roles(self, cid: int, when: date) -> tuple[Person, Person, tuple[Person, ...]]:
        """(chair, vice-chair, members) at a date; chairs change every municipal year."""
        term = term_of(when)
        members = self._term_members(cid, term)
        councillors = [p for p in members if not p.coopted_for]
        kind = self._committees[cid].kind
        year = term if kind == "cabinet" else municipal_year(when)  # the Leader chairs all term
        chair, vice = random.Random(f"{self.seed}:chair:{cid}:{term}:{year}").sample(councillors, 2)
        return chair, vice, members

    def membership(self, committee_id: int, when: date | datetime | None = None) -> tuple[MemberInfo, ...]:
        """Membership with roles at ``when`` (default: today), Chair and Vice-Chair first."""
        when = when or TODAY
        when = when.date() if isinstance(when, datetime) else when
        key = (int(committee_id), term_of(when), municipal_year(when))
        if key not in self._membership_cache:
            self._membership_cache[key] = self._membership(int(committee_id), when)
        return self._membership_cache[key]

    def _membership(self, committee_id: int, when: date) -> tuple[MemberInfo, ...]:
        chair, vice, members = self._roles(committee_id, when)
        rest = sorted((p for p in members if p not in (chair, vice)), key=lambda p: (bool(p.coopted_for), p.last))
        role = {chair.uid: "Chair", vice.uid: "Vice-Chair"}
        return tuple(MemberInfo(p.uid, p.name, role.get(p.uid, "Co-opted Member" if p.coopted_for
                                                        else "Committee Member"))
                     for p in (chair, vice, *rest))

    def portfolios(self, when: date | datetime) -> dict[int, str]:
        """uid -> Cabinet portfolio for the term containing ``when`` (the Cabinet Chair leads)."""
        cabinet = next(c for c in self._committees.values() if c.kind == "cabinet")
        d = when.date() if isinstance(when, datetime) else when
        chair, _, members = self._roles(cabinet.committee_id, d)
        order = [chair] + [p for p in members if p is not chair]
        return {p.uid: vocab.PORTFOLIOS[i] for i, p in enumerate(order[: len(vocab.PORTFOLIOS)])}

    def key_posts(self, uid: int, when: date | datetime) -> tuple[str, ...]:
        """The offices a person held at ``when``, as ModernGov's ``keyposts`` lists them: the Cabinet
        portfolio ("Leader of the Council", "Cabinet Member for Housing") and the chairs of the
        standing committees ("Mayor" for the chair of Full Council)."""
        d = when.date() if isinstance(when, datetime) else when
        key = (term_of(d), municipal_year(d))
        if key not in self._posts_cache:
            posts: dict[int, list[str]] = {}
            for holder, portfolio in self.portfolios(d).items():
                posts.setdefault(holder, []).append(portfolio)
            for c in self._committees.values():
                if c.committee_id >= 1000 or c.kind == "cabinet":  # area committees; the Leader chairs Cabinet
                    continue
                chair = self._roles(c.committee_id, d)[0]
                posts.setdefault(chair.uid, []).append("Mayor" if c.kind == "council" else f"Chair of {c.name}")
            self._posts_cache[key] = {k: tuple(v) for k, v in posts.items()}
        return self._posts_cache[key].get(uid, ())

    # --- the meeting index ----------------------------------------------------------------

    def _build_index(self) -> None:
        rate_mult = min(self.size, 1.0)
        months = [(y, m, date(y, m, 1).weekday()) for y in range(FIRST_MONTH[0], LAST_MONTH[0] + 1)
                  for m in range(1, 13) if FIRST_MONTH <= (y, m) <= LAST_MONTH and m != 8]  # no August meetings
        entries: list[tuple[datetime, int]] = []
        for c in self._committees.values():
            rng = random.Random(f"{self.seed}:sched:{c.committee_id}")
            acc, step = rng.random(), c.per_year * rate_mult / 11
            for y, m, first_weekday in months:
                acc += step
                while acc >= 1:
                    acc -= 1
                    day = 1 + (c.weekday - first_weekday) % 7 + 7 * rng.randrange(4)
                    entries.append((datetime(y, m, day, c.hour, c.minute), c.committee_id))
        entries.sort()
        rng = random.Random(f"{self.seed}:index")
        statuses = [FUTURE if s > TODAY else (CANCELLED if rng.random() < 0.03 else HELD) for s, _ in entries]
        past = [i for i, s in enumerate(statuses) if s != FUTURE]
        if past and CANCELLED not in statuses:
            statuses[past[len(past) // 2]] = CANCELLED  # every site shows at least one cancelled meeting
        if FUTURE not in statuses:
            first_cid = next(iter(self._committees))
            entries.append((datetime(2026, 2, 24, 19, 30), first_cid))
            statuses.append(FUTURE)
        published = [s == HELD and e[0] <= TODAY - MINUTES_LAG for e, s in zip(entries, statuses)]
        hostile = max((i for i, p in enumerate(published) if p), default=-1)
        self._by_committee: dict[int, list[tuple[datetime, int]]] = {cid: [] for cid in self._committees}
        drawn = []
        for slot, (start, cid) in enumerate(entries):
            mid = MID_BASE + 4 * slot + rng.randrange(2)
            agenda_id = mid if rng.random() < 0.8 else mid + 2
            venue = self._committees[cid].venue if rng.random() < 0.9 else vocab.VENUES[rng.randrange(3)]
            drawn.append((mid, agenda_id, venue, rng.randint(3, 8), rng.getrandbits(8)))
            self._by_committee[cid].append((start, slot))
        # Per committee: previous/next dates and minute numbers running on through the year.
        derived: dict[int, tuple[int, int, datetime | None, tuple[datetime, ...]]] = {}
        for cid, rows in self._by_committee.items():
            live = [slot for _, slot in rows if statuses[slot] != CANCELLED]
            numbers: dict[int, int] = {}
            for k, slot in enumerate(live):
                prev = entries[live[k - 1]][0] if k else None
                nxt = tuple(entries[s][0] for s in live[k + 1:k + 4])
                n_items = len(agenda.item_plan(self._committees[cid].kind, prev is not None, slot == hostile,
                                               drawn[slot][3], drawn[slot][4]))
                year = municipal_year(entries[slot][0])
                first = numbers.get(year, 0) + 1
                numbers[year] = first + n_items - 1
                derived[slot] = (n_items, first, prev, nxt)
        self._meetings: list[MeetingInfo] = []
        for slot, ((start, cid), status) in enumerate(zip(entries, statuses)):
            mid, agenda_id, venue, n_sub, bits = drawn[slot]
            n_items, first, prev, nxt = derived.get(slot, (0, 0, None, ()))
            self._meetings.append(MeetingInfo(mid, cid, self._committees[cid].name, start, status, agenda_id, venue,
                                              published[slot], slot, n_sub, bits, n_items, first, prev, nxt,
                                              _modified(start, status, published[slot]), slot == hostile))
        self._by_mid = {m.meeting_id: m.slot for m in self._meetings}
        self._by_agenda = {m.agenda_id: m.slot for m in self._meetings}
        logger.debug("sample council seed=%s size=%s: %d meetings", self.seed, self.size, len(self._meetings))

    # --- ground truth ---------------------------------------------------------------------

    def committees(self) -> tuple[CommitteeInfo, ...]:
        return tuple(self._committees.values())

    def printed_only(self, committee_id: int) -> bool:
        """True when the committee publishes its minutes only as printed PDFs."""
        from .printed import PRINTED_KIND

        return self.printed and self._committees[committee_id].kind == PRINTED_KIND

    def committee(self, committee_id: int) -> CommitteeInfo:
        return self._committees[int(committee_id)]

    def people(self) -> tuple[Person, ...]:
        """Councillors (of every term) and co-opted members."""
        return self._councillors + self._coopted

    def person(self, uid: int) -> Person:
        return self._people[int(uid)]

    def officers(self) -> tuple[str, ...]:
        """Officer roles; an officer's canonical speaker name is the role."""
        return tuple(vocab.OFFICERS)

    def meetings(self, committee_id: int | None = None) -> tuple[MeetingInfo, ...]:
        """Meetings ordered by start (then id), optionally of one committee."""
        with self._lock:
            if committee_id is None:  # the index is in start order until a meeting is added
                if self._added:
                    return tuple(sorted(self._meetings, key=lambda m: (m.start, m.meeting_id)))
                return tuple(self._meetings)
            return tuple(self._meetings[slot] for _, slot in self._by_committee[int(committee_id)])

    def meeting(self, meeting_id: int) -> MeetingInfo:
        return self._meetings[self._by_mid[int(meeting_id)]]

    def meeting_by_agenda_id(self, agenda_id: int) -> MeetingInfo | None:
        slot = self._by_agenda.get(int(agenda_id))
        return None if slot is None else self._meetings[slot]

    def years(self, committee_id: int) -> list[int]:
        return sorted({start.year for start, _ in self._by_committee[int(committee_id)]})

    def _generated(self, m: MeetingInfo) -> tuple[tuple[ItemInfo, ...], tuple[Attendee, ...]]:
        with self._lock:
            hit = self._cache.get(m.meeting_id)
            if hit is not None and hit[2] == m:
                self._cache.move_to_end(m.meeting_id)
                return hit[0], hit[1]
        items, attendance = agenda.generate_meeting(self, m, self._committees[m.committee_id])
        with self._lock:
            self._cache[m.meeting_id] = (items, attendance, m)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return items, attendance

    def items(self, meeting_id: int) -> tuple[ItemInfo, ...]:
        """The items as served: none for cancelled meetings, no minutes until published,
        edits applied and removed items left out."""
        m = self.meeting(meeting_id)
        if m.status == CANCELLED:
            return ()
        out = []
        for item in self._generated(m)[0]:
            if item.item_id in self._removed:
                continue
            if not m.minutes_published:
                item = dataclasses.replace(item, minutes=(), declarations=())
            elif item.item_id in self._edits:
                item = dataclasses.replace(item, minutes=self._edits[item.item_id])
            out.append(item)
        return tuple(out)

    def item(self, item_id: int) -> ItemInfo:
        """One item by AI id; KeyError when there is no such (served) item."""
        slot = (int(item_id) - AI_BASE) // AI_BLOCK
        if 0 <= slot < len(self._meetings):
            for it in self.items(self._meetings[slot].meeting_id):
                if it.item_id == int(item_id):
                    return it
        raise KeyError(item_id)

    def document(self, doc_id: int) -> tuple[ItemInfo, DocInfo]:
        """(item, document) for an item-level ``documents/s<id>/`` document."""
        item = self.item((int(doc_id) - DOC_BASE) // 4)
        for doc in item.all_documents:
            if doc.doc_id == int(doc_id):
                return item, doc
        raise KeyError(doc_id)

    def attendance(self, meeting_id: int) -> tuple[Attendee, ...]:
        return self._generated(self.meeting(meeting_id))[1]

    def iter_items(self, committee_id: int | None = None) -> Iterator[ItemInfo]:
        """Every served item, meeting by meeting (generated lazily: fine for huge sites)."""
        for m in self.meetings(committee_id):
            yield from self.items(m.meeting_id)

    def stats(self) -> dict[str, int]:
        """Counts from the index alone (no generation): meetings by status and planned items."""
        ms = self._meetings
        return {"committees": len(self._committees), "meetings": len(ms),
                "held": sum(m.status == HELD for m in ms), "cancelled": sum(m.status == CANCELLED for m in ms),
                "future": sum(m.status == FUTURE for m in ms),
                "items": sum(m.n_items for m in ms if m.status != CANCELLED),
                "substantive_items": sum(m.n_sub + 2 * m.hostile for m in ms if m.status != CANCELLED)}

    # --- modification times ---------------------------------------------------------------

    def committee_modified(self, committee_id: int) -> datetime:
        rows = self._by_committee[int(committee_id)]
        return max((self._meetings[s].modified for _, s in rows), default=TODAY)

    def site_modified(self) -> datetime:
        return TODAY + timedelta(minutes=self._mutations)

    # --- mutations (for nightly-run tests) -------------------------------------------------

    def _touch(self, slot: int, **changes) -> None:
        """Apply ``changes`` to a meeting and stamp it with a new, later modification time."""
        self._mutations += 1
        m = self._meetings[slot]
        self._meetings[slot] = dataclasses.replace(m, modified=self.site_modified(), **changes)

    def add_meeting(self, committee_id: int, start: datetime) -> int:
        """Schedule a new meeting; returns its MId. Past dates get published minutes."""
        with self._lock:
            c = self.committee(committee_id)
            slot = len(self._meetings)
            mid = MID_BASE + 4 * slot
            rng = random.Random(f"{self.seed}:add:{mid}")
            rows = self._by_committee[c.committee_id]
            live = [self._meetings[s] for _, s in rows if self._meetings[s].status != CANCELLED]
            prev = max((m.start for m in live if m.start < start), default=None)
            nxt = tuple(sorted(m.start for m in live if m.start > start)[:3])
            status = FUTURE if start > TODAY else HELD
            n_sub, bits = rng.randint(3, 8), rng.getrandbits(8)
            n_items = len(agenda.item_plan(c.kind, prev is not None, False, n_sub, bits))
            year = municipal_year(start)
            used = [m.first_number + m.n_items - 1 for m in live if municipal_year(m.start) == year]
            published = status == HELD and start <= TODAY - MINUTES_LAG
            self._meetings.append(MeetingInfo(mid, c.committee_id, c.name, start, status, mid, c.venue, published,
                                              slot, n_sub, bits, n_items, max(used, default=0) + 1, prev, nxt,
                                              TODAY))
            bisect.insort(rows, (start, slot))
            self._added = True
            self._by_mid[mid] = self._by_agenda[mid] = slot
            self._touch(slot)
            return mid

    def edit_minutes(self, item_id: int, new_paragraphs: Sequence[str | Para]) -> None:
        """Replace an item's minutes. Plain strings are taken to have no speakers."""
        with self._lock:
            item = self.item(item_id)
            self._edits[item.item_id] = tuple(p if isinstance(p, Para) else Para(p) for p in new_paragraphs)
            self._touch(self._by_mid[item.meeting_id])

    def append_minutes(self, item_id: int, paragraph: str | Para) -> None:
        """Add one paragraph at the end of an item's minutes."""
        self.edit_minutes(item_id, self.item(item_id).minutes + (paragraph,))

    def remove_item(self, item_id: int) -> None:
        """Withdraw an item: it disappears from its meeting page and mgAi.aspx answers 404."""
        with self._lock:
            item = self.item(item_id)
            self._removed.add(item.item_id)
            self._touch(self._by_mid[item.meeting_id])

    def cancel_meeting(self, meeting_id: int) -> None:
        with self._lock:
            self._touch(self._by_mid[int(meeting_id)], status=CANCELLED, minutes_published=False)

    def publish_minutes(self, meeting_id: int) -> None:
        """Publish the minutes of a held meeting whose minutes were not out yet."""
        with self._lock:
            self._touch(self._by_mid[int(meeting_id)], minutes_published=True)
