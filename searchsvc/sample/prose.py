"""Agenda items and reported-speech minutes for one meeting, with speaker ground truth.

UK minutes name speakers indirectly ("Cllr J. Reed asked…", "The Chair (Councillor Smith)
thanked…", "On answering a question from Councillor Crute the Director said…", "She added
that…") and mention people who are *not* speaking ("Apologies were received from Councillor
X", "a report of the Head of Housing"). Each paragraph is built from frames that record who
speaks as they write, so the text and its expected speakers can never drift apart.

The caller (:mod:`.agenda`) hands in one ``random.Random`` per meeting, so the same meeting always
reads the same, whatever else was generated before.
"""

from __future__ import annotations

import random
import re

from . import vocab
from .model import Declared, MeetingInfo, Para, Person

_BODY = {"council": "the Council", "cabinet": "the Cabinet", "hwb": "the Board"}


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def long_date(d) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def safe_filename(title: str) -> str:
    return " ".join(re.sub(r"[^\w &,'()-]", "", title).split())[:90] + ".pdf"


def fill(rng: random.Random, template: str, **fixed: str) -> str:
    """``template`` with its named slots filled: ``fixed`` values first, numbers drawn from ``rng``."""
    return template.format_map(_Slots(rng, fixed))


class _Slots(dict):
    """Fills number slots in templates on demand, so facts vary from one use to the next."""

    def __init__(self, rng: random.Random, fixed: dict) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        if key == "money":
            return r.choice([f"{r.randint(1, 9)}.{r.randint(1, 9)} million", f"{r.randint(12, 950)},000"])
        return {"n": lambda: str(r.randint(12, 480)), "n_small": lambda: str(r.randint(2, 9)),
                "pct": lambda: str(r.randint(4, 38)), "pct_high": lambda: str(r.randint(86, 98)),
                "pct_small": lambda: r.choice(["1.99", "2.99", "3.5", "4.99"]),
                "money_small": lambda: f"{r.randint(1, 9)},{r.randint(0, 9)}00",
                "month": lambda: r.choice(vocab.MONTHS)}[key]()


class Writer:
    """Writes paragraphs for one meeting and records, as it goes, who speaks in each."""

    def __init__(self, rng: random.Random, kind: str, chair: Person, present: list[Person],
                 portfolios: dict[int, str]) -> None:
        self.rng, self.kind, self.chair = rng, kind, chair
        self.present = [p for p in present if p is not chair] or [chair]
        self.portfolios = portfolios
        self.body = _BODY.get(kind, "the Committee")
        self.spoken: list[tuple[str, str]] = []
        self.last: tuple[str, str] | None = None  # (canonical, gender) of the last speaker
        self.continuable = False

    def start_item(self, topic: str, officers: list[str]) -> None:
        titles, _, self.things, self.facts = vocab.TOPICS[topic or "budget"]
        self.officers, self.mentioned = officers, set()
        self.single_director = sum(o.startswith("Director") for o in officers) <= 1
        self.last, self.continuable = None, False

    # --- recording ------------------------------------------------------------------
    def say(self, canonical: str, raw: str, gender: str) -> None:
        self.spoken.append((canonical, raw))
        self.last = (canonical, gender)

    def para(self, text: str, continuable: bool = False) -> Para:
        spoken, self.spoken = self.spoken, []
        self.continuable = continuable and bool(spoken)
        return Para(text, tuple(dict.fromkeys(c for c, _ in spoken)), tuple(dict.fromkeys(r for _, r in spoken)))

    # --- slots ----------------------------------------------------------------------
    def fill(self, template: str, **fixed: str) -> str:
        return fill(self.rng, template, **fixed)

    def thing(self) -> str:
        return self.rng.choice(self.things)

    def fact(self) -> str:
        return self.fill(self.rng.choice(self.facts))

    def question(self) -> str:
        return self.fill(self.rng.choice(vocab.QUESTIONS), thing=self.thing())

    def answer(self) -> str:
        text = self.fill(self.rng.choice(vocab.ANSWERS), fact=self.fact(), thing=self.thing())
        return text + (f", and that {self.fact()}" if self.rng.random() < 0.35 else "")

    # --- people ---------------------------------------------------------------------
    def member(self, exclude: tuple[Person, ...] = ()) -> Person:
        pool = [p for p in self.present if p not in exclude]
        return self.rng.choice(pool or [self.chair])

    def person(self, p: Person, speaking: bool = True) -> str:
        """A member as minutes name them: "Councillor Reed", "Cllr J. Reed", "Mr M Balfour"…"""
        r, t = self.rng.random(), "Cllr" if self.rng.random() < 0.4 else "Councillor"
        if p.coopted_for:
            text = (f"{p.title} {p.first[0]} {p.last}" if r < 0.5 else
                    f"{p.title} {p.last}" if r < 0.7 else p.name)
        elif r < 0.4:
            text = f"Councillor {p.last}"
        elif r < 0.6:
            text = f"Cllr {p.first[0]}. {p.last}"
        elif r < 0.8:
            text = f"{t} {p.first} {p.last}"
        else:
            text = f"{t} {p.last}" if r < 0.9 else f"Councillor {p.first[0]} {p.last}"
        if speaking:
            self.say(p.name, text, p.gender)
        return text

    def chair_ref(self, start: bool = True) -> str:
        word, c, r = ("Mayor" if self.kind == "council" else "Chair"), self.chair, self.rng.random()
        text = (f"the {word} (Councillor {c.last})" if r < 0.5 else f"the {word}" if r < 0.85
                else f"the {word}, Councillor {c.first} {c.last},")
        text = cap(text) if start else text
        self.say(c.name, text.rstrip(","), c.gender)
        return text

    def officer(self, role: str | None = None, start: bool = True, speaking: bool = True) -> str:
        role = role or self.rng.choice(self.officers)
        short = (role.startswith("Director") and role in self.mentioned and self.single_director
                 and self.rng.random() < 0.5)
        text = "the Director" if short else f"the {role}"
        self.mentioned.add(role)
        text = cap(text) if start else text
        if speaking:
            self.say(role, text, vocab.OFFICERS[role])
        return text

    def pronoun(self, gender: str, canonical: str, lower: bool = False) -> str:
        text = ("She" if gender == "f" else "He")
        self.say(canonical, text, gender)
        return text.lower() if lower else text

    # --- frames: each returns one paragraph ---------------------------------------------
    def discussion(self) -> Para:
        r = self.rng
        if self.continuable and self.last and r.random() < 0.3:
            canonical, gender = self.last
            pro = self.pronoun(gender, canonical)
            return self.para(f"{r.choice(vocab.CONTINUATIONS).format(Pro=pro)} {self.answer()}.", True)
        k = r.randrange(14)
        p = self.member()
        if k == 0:
            text = (f"{self.person(p)} referred to {self.thing()} and asked {self.question()}. {self.officer()} "
                    f"{r.choice(['explained', 'replied', 'said', 'confirmed'])} that {self.answer()}.")
        elif k == 1:
            text = f"{self.person(p)} asked {self.question()}. In reply, {self.officer(start=False)} said that {self.answer()}."
        elif k == 2:
            text = (f"In response to a question from {self.person(p)} about {self.thing()}, "
                    f"{self.officer(start=False)} said that {self.answer()}.")
        elif k == 3:
            text = f"On answering a question from {self.person(p)} {self.officer(start=False)} said that {self.answer()}."
        elif k == 4:
            text = (f"{self.person(p)} {self.fill(r.choice(vocab.CONCERNS), thing=self.thing())}. "
                    f"{self.pronoun(p.gender, p.name)} asked {self.question()}.")
        elif k == 5:
            text = f"{self.person(p)} welcomed the report and thanked officers for their work on {self.thing()}."
        elif k == 6:
            text = f"{self.person(p)} queried {self.question()}; {self.officer(start=False)} confirmed that {self.answer()}."
        elif k == 7:
            text = (f"{self.person(p)} suggested that {self.fill(r.choice(vocab.SUGGESTIONS), thing=self.thing())}. "
                    f"{self.chair_ref()} agreed that this would be taken forward.")
        elif k == 8:
            text = f"{self.officer()} reported that {self.fact()}."
        elif k == 9:
            text = r.choice([f"It was noted that {self.fact()}.", f"Members noted that {self.fact()}.",
                             f"Members discussed {self.thing()}, and it was noted that {self.fact()}."])
            return self.para(text)
        elif k == 10 and p.uid in self.portfolios:
            text = f"Councillor {p.first} {p.last}, {self.portfolios[p.uid]}, said that {self.answer()}."
            self.say(p.name, f"Councillor {p.first} {p.last}", p.gender)
        elif k == 11 and len(self.present) > 3:
            self.present.remove(p)  # someone who left does not speak again at this meeting
            text = f"Councillor {p.first} {p.last} left the meeting during the discussion of this item."
            return self.para(text if not p.coopted_for else text.replace(f"Councillor {p.first}", p.title + " " + p.first))
        elif k == 12:
            return self.para(f"{cap(self.body)} thanked {self.person(p, speaking=False)} for raising {self.thing()}.")
        else:
            text = f"{self.person(p)} commented on {self.thing()}. {self.officer()} advised that {self.answer()}."
        return self.para(text, True)

    def opening(self, summary_role: str, summary: str, extra: str = "") -> Para:
        r = self.rng
        holders = [p for p in self.present if p.uid in self.portfolios]
        k = r.randrange(4)
        if extra:
            return self.para(f"{extra} {self.officer(summary_role)} outlined the proposal and reported that "
                             f"{self.fact()}.", True)
        if k == 0 and holders and self.kind in ("cabinet", "council"):
            p = r.choice(holders)
            self.say(p.name, f"Councillor {p.first} {p.last}", p.gender)
            return self.para(f"Councillor {p.first} {p.last}, {self.portfolios[p.uid]}, introduced the report, "
                             f"which {summary}.", True)
        if k == 1:
            return self.para(f"{cap(self.body)} considered a report of the {summary_role} which {summary}. "
                             f"The report noted that {self.fact()}, and that {self.fact()}.")
        if k == 2:
            return self.para(f"{self.officer(summary_role)} presented the report and explained that {self.fact()}.", True)
        return self.para(f"{self.officer(summary_role)} introduced the report, which {summary}. "
                         f"{r.choice(['It was noted that', 'The report explained that'])} {self.fact()}.", True)

    def chair_thanks(self, role: str) -> Para:
        return self.para(f"{self.chair_ref()} thanked {self.officer(role, start=False, speaking=False)} for the report.")

    def motion(self, motion: str, carried: bool = True) -> Para:
        p = self.member()
        q = self.member(exclude=(p,))
        text = f"{self.person(p)} moved, and {self.person(q)} seconded, {motion}."
        return self.para(text + (" On being put to the vote the motion was carried." if carried else ""))


# --- items -------------------------------------------------------------------------------

def resolutions(w: Writer, kind: str, title: str, role: str) -> list[str]:
    r = w.rng
    if kind == "planning":
        first = r.choice(["planning permission be granted subject to the conditions set out in the report",
                          f"planning permission be refused because of {w.thing()}",
                          "consideration of the application be deferred to allow a site visit"])
    elif kind == "licence":
        first = r.choice(["the premises licence be granted subject to the conditions agreed with the Police",
                          "the premises licence be granted with a terminal hour of 11.00 pm",
                          "the application for a premises licence be refused"])
    else:
        first = w.fill(r.choice(vocab.RESOLUTIONS), title=title, thing=w.thing(), role=role)
    out = [first]
    if kind == "report" and r.random() < 0.4:
        second = w.fill(r.choice(vocab.RESOLUTIONS[3:]), title=title, thing=w.thing(), role=role)
        out += [second] if second != first else []
    return out


def substantive(w: Writer, spec: dict, decisions: bool) -> tuple[list[str], list[Para], list[Para]]:
    """(agenda text, minutes, decision) for a report, planning application or licence item."""
    r, kind, role = w.rng, spec["flavour"], spec["officers"][0]
    summary = w.fill(r.choice(vocab.SUMMARIES), thing=w.thing())
    minutes: list[Para] = []
    if kind == "planning":
        agenda = [f"Application for {spec['works']}.", f"Ward: {spec['ward']}."]
        minutes.append(w.opening(role, summary, f"{cap(w.body)} considered an application for {spec['works']} "
                                                f"at {spec['address']}."))
    elif kind == "licence":
        agenda = [f"To determine an application for a new premises licence for {spec['venue']}."]
        minutes.append(w.opening(role, summary, f"{cap(w.body)} considered an application for a premises "
                                                f"licence for {spec['venue']}."))
    else:
        agenda = [f"To consider a report of the {role} which {summary}."]
        if spec["kind"] == "hostile_petition":
            minutes.append(w.para(vocab.HOSTILE_TEXT))
        minutes.append(w.opening(role, summary))
    if kind in ("planning", "licence") and r.random() < 0.5:
        g, name, desc = r.choice(vocab.PUBLIC_SPEAKERS)
        w.say(name, name, g)
        stance = r.choice(["in support of the application", "in objection to the application"])
        minutes.append(w.para(f"{name}, {desc}, addressed {w.body} {stance}, citing {w.thing()}.", True))
    long = spec["kind"] == "hostile_petition"  # always cut on the meeting page: every site has one
    for _ in range(5 if long else r.randint(1, 3)):
        para = w.discussion()
        if long or r.random() < 0.5:  # some paragraphs hold two exchanges, which makes long minutes
            more = w.discussion()
            para = Para(f"{para.text} {more.text}", tuple(dict.fromkeys(para.speakers + more.speakers)),
                        tuple(dict.fromkeys(para.raw + more.raw)))
        minutes.append(para)
    if r.random() < 0.15:
        minutes.append(w.chair_thanks(role))
    res = resolutions(w, kind, spec["title"], role)
    if r.random() < 0.35:
        minutes.append(w.motion(f"that {res[0]}"))
    if len(res) == 1:
        closing = r.choice([f"RESOLVED: That {res[0]}.", f"Having considered the report, {w.body} RESOLVED that "
                            f"{res[0]}."]) if kind == "report" else f"RESOLVED: That {res[0]}."
    else:
        closing = f"RESOLVED: That (1) {res[0]}; and (2) {res[1]}."
    minutes.append(w.para(closing))
    decision = []
    if decisions:
        texts = ([f"RESOLVED: That {res[0]}."] if len(res) == 1 else
                 ["RESOLVED that:", f"1. {res[0]}; and", f"2. {res[1]}."])
        decision = [Para(t) for t in texts]
    return agenda, minutes, decision


def procedural(w: Writer, spec: dict, m: MeetingInfo, apologies: list[Person],
                substantive: list[dict]) -> tuple[list[str], list[Para], list[Declared]]:
    r, kind, decl = w.rng, spec["kind"], []
    if kind == "apologies":
        if not apologies:
            return [], [w.para("There were no apologies for absence.")], decl
        if all(not p.coopted_for for p in apologies) and r.random() < 0.5:
            who = ("Councillors " + join_names([p.last for p in apologies]) if len(apologies) > 1
                   else f"Councillor {apologies[0].last}")
        else:
            who = join_names([p.name for p in apologies])
        return [], [w.para(r.choice(["Apologies for absence were received from", "Apologies were received from"])
                           + f" {who}.")], decl
    if kind == "declarations":
        agenda = ["Members to declare any interests, disclosable pecuniary or otherwise, in matters to be "
                  "considered at this meeting."]
        if not substantive or r.random() < 0.7:
            return agenda, [w.para(r.choice(["None were declared.", "There were no declarations of interest."]))], decl
        paras = []
        for who in r.sample(w.present, min(len(w.present), r.choice([1, 1, 2]))):
            target = r.choice(substantive)
            dkind = r.choice(["non-pecuniary", "non-pecuniary", "pecuniary", "other"])
            label = {"pecuniary": "disclosable pecuniary", "other": "personal"}.get(dkind, dkind)
            reason = w.fill(r.choice(vocab.DECLARATION_REASONS), pro=who.pronoun.lower())
            number = target["number"].rstrip(".")
            paras.append(w.para(f"{w.person(who)} declared a {label} interest in item {number} "
                                f"({target['title']}) as {reason}."))
            decl.append(Declared(who.name, number, dkind))
        return agenda, paras, decl
    if kind == "public_questions":
        agenda = ["To answer questions submitted by residents in advance of the meeting."]
        if r.random() < 0.6:
            return agenda, [w.para("No questions had been received from members of the public.")], decl
        g, name, _ = r.choice(vocab.PUBLIC_SPEAKERS)
        w.say(name, name, g)
        text = f"{name} asked {w.question()}. {w.chair_ref()} replied that {w.answer()}."
        return agenda, [w.para(text, True)], decl
    if kind == "minutes":
        prev = long_date(m.prev_start)
        tail = r.choice(["", " and signed by the Chair"])
        return ([f"To approve the minutes of the previous meeting, held on {prev}."],
                [w.para(f"RESOLVED: That the minutes of the meeting held on {prev} be agreed as a correct record{tail}.")],
                decl)
    if kind == "future_dates":
        dates = [long_date(d) for d in m.next_starts]
        text = (f"{cap(w.body)} noted the dates of its future meetings: {join_names(dates)}." if dates else
                f"{cap(w.body)} noted that future meeting dates would be confirmed at the annual meeting of the Council.")
        return [], [w.para(text)], decl
    if kind == "exclusion":
        return [], [w.para("RESOLVED: That under Section 100A(4) of the Local Government Act 1972 the press and "
                           "public be excluded from the meeting for the following item of business, on the grounds "
                           "that it involved the likely disclosure of exempt information as defined in paragraph 3 "
                           "of Part 1 of Schedule 12A to the Act.")], decl
    return (["To consider any item which the Chair decides is urgent."],
            [w.para("There was no urgent business.")], decl)


def member_questions(w: Writer) -> list[Para]:
    holders = [p for p in w.present if p.uid in w.portfolios]
    paras = []
    for _ in range(w.rng.randint(2, 3)):
        if not holders:
            break
        y = w.rng.choice(holders)
        p = w.member(exclude=(y,))
        w.start_item(w.rng.choice(("housing", "transport", "waste", "budget", "community_safety")), ["Chief Executive"])
        ask = f"{w.person(p)} asked the {w.portfolios[y.uid]}, Councillor {y.first} {y.last}, {w.question()}."
        w.say(y.name, f"Councillor {y.last}", y.gender)
        paras.append(w.para(f"{ask} Councillor {y.last} replied that {w.answer()}.", True))
    return paras or [w.para("No questions from councillors had been received.")]


def council_motion(w: Writer, thing: str) -> tuple[list[Para], list[str]]:
    r = w.rng
    first = w.motion(f"the motion on {thing} set out in the agenda", carried=False)
    p = w.member()
    support = w.para(f"{w.person(p)} spoke in support of the motion, noting that {w.fact()}.", True)
    action = r.choice(["prioritise", "review its approach to", "report back to Council on"])
    res = f"this Council calls on the Cabinet to {action} {thing}"
    return [first, support, w.para("On being put to the vote, the motion was carried."),
            w.para(f"RESOLVED: That {res}.")], [f"RESOLVED: That {res}."]
