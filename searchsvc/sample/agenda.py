"""One meeting's agenda, attendance and document texts, generated on demand.

:func:`item_plan` is the cheap part the meeting index uses to count items (minute numbers run on
through the municipal year, so the index must know how many items each meeting has);
:func:`generate_meeting` is the expensive part, run only when a page or a test asks for the
meeting. Both are pure functions of the council, the meeting's index row and the seed.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from . import prose, vocab
from .model import (
    AI_BASE,
    AI_BLOCK,
    CANCELLED,
    DOC_BASE,
    FUTURE,
    HELD,
    Attendee,
    CommitteeInfo,
    DocInfo,
    ItemInfo,
    MeetingInfo,
    Para,
    municipal_year,
)

if TYPE_CHECKING:
    from .council import Council

PROCEDURAL = {"apologies", "declarations", "minutes", "future_dates", "exclusion", "urgent"}
_TITLES = {"apologies": "Apologies for Absence", "declarations": "Declarations of Interest",
           "minutes": "Minutes of the Previous Meeting", "public_questions": "Questions from the Public",
           "member_questions": "Questions from Councillors", "future_dates": "Dates of Future Meetings",
           "exclusion": "Exclusion of the Press and Public", "urgent": "Urgent Business"}
_BASE_OFFICERS = {"council": ("Chief Executive", "Monitoring Officer"), "planning": ("Legal Adviser",),
                  "licensing": ("Legal Adviser",), "audit": ("Monitoring Officer",)}


def item_plan(kind: str, has_prev: bool, hostile: bool, n_sub: int, bits: int) -> list[str]:
    """The kinds of a meeting's items in agenda order, from the counts the index chose.

    Pure and cheap, so the index can count items (and minute numbers) without generating text.
    """
    plan = ["apologies", "declarations"] + (["minutes"] if has_prev else [])
    if bits & 3 == 0 and kind in ("council", "cabinet", "neighbourhood", "planning"):
        plan.append("public_questions")
    if kind == "council":
        plan += ["member_questions"] + (["motion"] if bits & 4 else [])
        n_sub = min(n_sub, 5)
    plan += ["substantive"] * n_sub + (["hostile_petition", "hostile_licence"] if hostile else [])
    if (bits >> 3) & 7 == 0:
        plan.append("exclusion")
    plan += {1: ["future_dates"], 3: ["urgent"]}.get(bits >> 6, [])
    return plan


def _spec(rng: random.Random, c: CommitteeInfo, m: MeetingInfo, kind: str, number: str, used: set[str]) -> dict:
    """Title, topic and officers of one item, decided before any text so that declarations
    can refer to later items by number."""
    spec = {"kind": kind, "number": number, "topic": "", "officers": [], "flavour": "report",
            "procedural": kind in PROCEDURAL, "title": _TITLES.get(kind, "")}
    if kind in _TITLES:
        spec["topic"] = rng.choice(c.topics) if kind == "public_questions" else ""
        return spec
    topic = {"hostile_petition": "leisure", "hostile_licence": "licensing"}.get(kind) or rng.choice(c.topics)
    titles, officers, things, _ = vocab.TOPICS[topic]
    spec["topic"] = topic
    spec["officers"] = rng.sample(officers, 2 if len(officers) > 1 and rng.random() < 0.4 else 1)
    if kind == "motion":
        spec["thing"] = rng.choice(things)
        spec["title"] = f"Motion on {spec['thing']}"
    elif kind == "hostile_petition":
        spec["title"] = vocab.HOSTILE_TITLES[0]
    elif kind == "hostile_licence":
        spec.update(flavour="licence", venue="Fish & Chips, 4 Quay Street", title=vocab.HOSTILE_TITLES[1],
                    officers=["Licensing Manager", "Legal Adviser"])
    elif topic == "planning":
        address = f"{rng.randint(2, 140)} {rng.choice(vocab.STREETS)}, {rng.choice(vocab.WARDS)}"
        ref = f"{m.start.year % 100:02d}/{rng.randint(100, 4999):05d}/{rng.choice(['FUL', 'HOU', 'OUT'])}"
        spec.update(flavour="planning", address=address, ward=address.rsplit(", ", 1)[1],
                    works=prose.fill(rng, rng.choice(vocab.PLANNING_WORKS)), title=f"{ref} - {address}")
    elif topic == "licensing" and rng.random() < 0.6:
        venue = f"{rng.choice(vocab.LICENSED_VENUES)}, {rng.randint(1, 90)} {rng.choice(vocab.STREETS)}"
        spec.update(flavour="licence", venue=venue, title=f"Premises Licence Application: {venue}",
                    officers=["Licensing Manager", "Legal Adviser"])
    else:
        title = rng.choice(titles)
        if rng.random() < 0.35:
            year = municipal_year(m.start)
            title += rng.choice([f" {year}/{(year + 1) % 100:02d}", f" - Quarter {rng.randint(1, 4)}"])
        while title in used:
            title += " - Update"
        spec["title"] = title
    used.add(spec["title"])
    return spec


def _documents(rng: random.Random, ai: int, spec: dict) -> tuple[DocInfo | None, list[DocInfo]]:
    base = DOC_BASE + 4 * ai
    if spec["kind"] == "minutes":
        return (DocInfo(base, "Minutes of the previous meeting", "Minutes of Previous Meeting.pdf",
                        rng.randint(60, 180), "minutes") if rng.random() < 0.7 else None), []
    if spec["procedural"] or spec["kind"] in ("public_questions", "member_questions"):
        return None, []
    report = (DocInfo(base, spec["title"], prose.safe_filename(spec["title"]), rng.randint(80, 900))
              if rng.random() < 0.65 else None)
    things = vocab.TOPICS[spec["topic"]][2]
    annexes = []
    for k in range(rng.choice([0, 0, 1, 1, 2])):
        title = f"Annex {k + 1} - {prose.cap(rng.choice(things))}"
        annexes.append(DocInfo(base + k + 1, title, prose.safe_filename(title), rng.randint(40, 2400), "annex"))
    return report, annexes


def generate_meeting(council: Council, m: MeetingInfo, c: CommitteeInfo
                     ) -> tuple[tuple[ItemInfo, ...], tuple[Attendee, ...]]:
    """(items, attendance) of a meeting. Minutes are generated even when not yet published, so
    publishing them later shows the same text; the council hides them until then."""
    rng = random.Random(f"{council.seed}:{m.meeting_id}")
    plan = item_plan(c.kind, m.prev_start is not None, m.hostile, m.n_sub, m.plan_bits)
    held = m.status == HELD
    rows, present, apologies, chair = [], [], [], None
    for mi in council.membership(c.committee_id, m.start):
        p = council.person(mi.uid)
        chair = p if mi.role == "Chair" else chair
        absent = held and mi.role != "Chair" and rng.random() < 0.08
        (apologies if absent else present).append(p)
        rows.append(Attendee(mi.name, mi.role, "Apologies" if absent else
                             "Present, as expected" if held else "Expected", mi.uid,
                             p.party, p.represents if p.coopted_for else p.ward, council.key_posts(p.uid, m.start)))
    used: set[str] = set()
    specs = [_spec(rng, c, m, kind, f"{m.first_number + i}.", used) for i, kind in enumerate(plan)]
    officers = list(dict.fromkeys([o for s in specs for o in s["officers"]]
                                  + list(_BASE_OFFICERS.get(c.kind, ())) + ["Democratic Services Officer"]))
    if held:
        rows += [Attendee(o, "Officer", "In attendance") for o in officers]
    if m.status == CANCELLED:
        return (), tuple(rows)
    portfolios = council.portfolios(m.start) if c.kind in ("council", "cabinet") else {}
    w = prose.Writer(rng, c.kind, chair, present, portfolios)
    slots = sorted(rng.sample(range(AI_BLOCK), len(plan)))
    if len(slots) > 5 and rng.random() < 0.3:  # ModernGov AI ids are not always in agenda order
        i = rng.randrange(3, len(slots) - 1)
        slots[i], slots[i + 1] = slots[i + 1], slots[i]
    substantive = [s for s in specs if s["kind"] in ("substantive", "hostile_petition", "hostile_licence")]
    items = []
    for pos, (spec, slot) in enumerate(zip(specs, slots), 1):
        ai, kind = AI_BASE + m.slot * AI_BLOCK + slot, spec["kind"]
        w.start_item(spec["topic"], spec["officers"] or ["Chief Executive"])
        agenda, decision, decl = [], [], []
        if kind in ("substantive", "hostile_petition", "hostile_licence"):
            agenda, minutes, decision = prose.substantive(w, spec, bool(c.decision_label))
        elif kind == "member_questions":
            agenda = ["To answer questions from councillors to members of the Cabinet."]
            minutes = prose.member_questions(w)
        elif kind == "motion":
            minutes, texts = prose.council_motion(w, spec["thing"])
            decision = [Para(t) for t in texts] if c.decision_label else []
        else:
            agenda, minutes, decl = prose.procedural(w, spec, m, apologies, substantive)
        report, docs = _documents(rng, ai, spec)
        if m.status == FUTURE:
            minutes, decision, decl = [], [], []
        # Question items are procedure only when nobody asked anything.
        procedural = spec["procedural"] or (kind in ("public_questions", "member_questions")
                                            and not any(p.speakers for p in minutes))
        items.append(ItemInfo(ai, m.meeting_id, c.committee_id, pos, spec["number"], spec["title"], kind,
                              procedural, spec["topic"] if not procedural else "", tuple(agenda), tuple(minutes),
                              tuple(decision), report, tuple(docs), tuple(decl)))
    return tuple(items), tuple(rows)


def document_text(council: Council, item: ItemInfo, doc: DocInfo) -> list[str]:
    """The paragraphs of an item-level PDF (report, annex or previous minutes)."""
    rng = random.Random(f"{council.seed}:doc:{doc.doc_id}")
    m = council.meeting(item.meeting_id)
    head = [doc.title, f"{m.committee_name} - {prose.long_date(m.start)}"]
    if doc.kind == "minutes":
        return head + [f"Minutes of the previous meeting of the {m.committee_name}, submitted for approval as a "
                       "correct record.", "These minutes are a summary of the discussion and do not record every "
                       "contribution."]
    _, officers, things, facts = vocab.TOPICS[item.topic or "budget"]
    role = rng.choice(officers)
    paras = head + [f"Report of the {role}", "1. Purpose of the report",
                    prose.fill(rng, "This report " + rng.choice(vocab.SUMMARIES) + ".", thing=rng.choice(things)),
                    "2. Background"]
    paras += [prose.cap(prose.fill(rng, rng.choice(facts))) + "." for _ in range(rng.randint(3, 6))]
    paras += ["3. Recommendations", f"Members are asked to note the report on {rng.choice(things)}."]
    return paras


def meeting_document_text(council: Council, m: MeetingInfo, kind: str) -> list[str]:
    """The paragraphs of a meeting-level PDF: "frontsheet", "minutes" or "decisions"."""
    items = council.items(m.meeting_id)
    when = f"{prose.long_date(m.start)}, {m.start:%H.%M}"
    if kind == "frontsheet":
        paras = [f"Agenda - {m.committee_name}", f"{when}, {m.venue}"]
        for it in items:
            paras += [f"{it.number} {it.title}"] + list(it.agenda)
        return paras
    paras = [f"{'Minutes' if kind == 'minutes' else 'Decisions'} - {m.committee_name}", when]
    if kind == "minutes":
        present = [a.name for a in council.attendance(m.meeting_id) if a.attendance.startswith("Present")]
        paras.append("Present: " + ", ".join(present) + ".")
    for it in items:
        body = it.minutes if kind == "minutes" else it.decision
        if body:
            paras += [f"{it.number} {it.title}"] + [p.text for p in body]
    return paras
