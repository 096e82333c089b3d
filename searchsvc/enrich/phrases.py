"""Person phrases in minutes text: the units speaker attribution reasons about.

Before any verb is looked at, a passage is read for the phrases that can name a
person: titled names ("Cllr J. Reed", "Mrs K Osei"), plural lists ("Councillors
Reed and Smith"), offices and officer posts ("the Deputy Leader", "Chair of
Council", "Head of Housing, Planning and Regeneration"), pronouns, anonymous
people ("a Member", "the Member"), and names *without* a title when the meeting
already tells us they are people: the attendance and membership (co-opted
members, officers, elected mayors), a name introduced with a role in the same
item ("Lena Voss (Head of Inclusion)"), or a name right after "a question
from"/"submitted by" (public questioners). Appositions ("Dr Achebe, Director of
Public Health,", "the Mayor of Kelby, Jo Barnard,") are merged into one unit.
:mod:`.speakers` then decides from the clause which phrases spoke.
"""

from __future__ import annotations

import dataclasses
import re

from searchsvc.enrich.known import KnownNames, Phrase, known_names, starts_word
from searchsvc.enrich.names import (
    ANONYMOUS,
    CHAIR,
    COUNCILLOR,
    COUNCILLOR_TITLES,
    OFFICER,
    PERSON,
    Mention,
    normalise_title,
)
from searchsvc.enrich.names import CAPSEQ as _CAPSEQ
from searchsvc.enrich.names import CAPWORD as _CAPW
from searchsvc.enrich.names import LOW_OFFICER_HEAD as _LOW_HEAD
from searchsvc.enrich.names import NAME as _NAME
from searchsvc.enrich.names import OFFICER_HEAD as _OFFICER_HEAD
from searchsvc.enrich.names import STOP as _STOP
from searchsvc.enrich.names import TITLE as _TITLE
from searchsvc.enrich.names import TITLES_PLURAL as _TITLES_PL
from searchsvc.enrich.names import UPPER as _UP
from searchsvc.enrich.names import WORD as _WORD
from searchsvc.enrich.speech_acts import ADVERB as _ADVERB
from searchsvc.enrich.speech_acts import VERBS as _VERBS

__all__ = ["KnownNames", "Phrase", "could_name_a_person", "known_names", "person_phrases"]

_FUNCTION = (r"(?:of|the|and|to|by|from|with|for|a|an|in|on|at|that|was|were|had|has|his|"
             r"her|their)")

_OPEN_PAREN_ROLE = re.compile(r"\s*\(\s*(?:the\s+)?(?P<role>(?:Vice[\s-]+|Deputy\s+)?Chair"
                              r"(?:man|woman|person)?|Mayor|Leader)\s*\)")

# The services an officer post names ("Head of Housing, Planning and Regeneration"), stopping
# where the next post of a list begins ("…, Head of Enterprise … and Executive Head of …").
_NEXT_POST = rf"(?!(?:{_CAPW}\s+){{0,3}}?{_OFFICER_HEAD}\s+(?:of|for)\b)"
_POST_QUALIFIER = (rf"{_CAPW}(?:(?:\s*,\s*|\s+(?:(?:and|&|of|for|in|with|to|on)\s+(?:the\s+)?|the\s+)"
                   rf"|\s+){_NEXT_POST}{_CAPW})*")

# Every phrase starts a word with a capital or with one of the few lower-case words the
# alternatives below can open with ("the", "vice", "deputy", "chair", "convener", "he",
# "she", "a", "an", "another", "one", "members"); saying so up front lets the engine skip
# most positions cheaply (3x faster on long paragraphs, then 2x again). The look-ahead only
# has to be implied by every alternative: a word it lets through is still read in full.
_MENTION = re.compile(
    r"\b(?=[A-Z]|the\s|vice|dep|cha|con|s?he\b|a(?:n?\s|nother)|one\s|mem)"
    rf"(?:(?P<plural>{_TITLES_PL}(?:\s*:)?\s+{_NAME}(?:\s*,\s*{_NAME})*"
    rf"(?:\s*,?\s+(?:and|&)\s+{_NAME})?)"
    rf"|(?P<person>(?P<title>{_TITLE}(?:\s+{_TITLE})?)\s+(?P<pname>{_NAME}))"
    rf"|(?P<chair>\b(?:[Tt]he\s+)?(?:(?:[Vv]ice|[Dd]eputy|[Dd]epute)[\s-]+)?"
    rf"(?:[Cc]hair(?:man|woman|person)?|[Cc]onven[eo]r)"
    rf"(?!\w)(?:\s+of\s+(?:the\s+)?(?:[Mm]eeting|{_CAPSEQ}))?)"
    rf"|(?P<office>\b(?:[Tt]he\s+)?(?:(?:Deputy|Depute|Lord|Civic|Town|City)\s+){{0,2}}"
    rf"(?:Mayor|Provost)(?!\w)"
    rf"(?:\s+of\s+(?:the\s+)?{_CAPW}(?:\s+{_CAPW}){{0,2}})?"
    rf"|\b(?:[Tt]he\s+)?(?:Deputy\s+)?Leader(?:\s+of\s+the\s+(?:Council|Opposition))?(?!\w)"
    rf"|\b(?:[Tt]he\s+)?(?:(?:Cabinet|Executive|Lead)\s+[Mm]ember|Portfolio\s+[Hh]older)"
    # "The Cabinet Member with Responsibility for Highways" (Worcestershire's form of the post)
    rf"(?:\s+(?:with\s+[Rr]esponsibilit(?:y|ies)\s+)?for\s+{_CAPSEQ})?)"
    rf"|(?P<officer>\b(?:[Tt]he\s+)?(?:(?:{_CAPW}|&)\s+(?:and\s+(?=[{_UP}]))?){{0,5}}"
    rf"{_OFFICER_HEAD}(?!\w)"  # "The Committee and Scrutiny Officer"
    rf"(?:\s+(?:of|for|to)\s+(?:the\s+)?{_POST_QUALIFIER}"
    # "The Strategic Manager, Planning reported", "The Chief Officer – Finance, Performance and
    # Change (Section 151 Officer) presented": a comma or dash qualifier only right before a verb,
    # so "the Head of Planning, Jane Smith, said" keeps Jane Smith apart.
    rf"|(?:,|\s[-–—])\s+{_POST_QUALIFIER}"
    rf"(?=\s*(?:\([^()]{{1,40}}\)\s*)?,?\s+(?:{_ADVERB}\s+)*{_VERBS}\b))?)"
    rf"|(?P<lowofficer>\b[Tt]he\s+(?:(?!{_FUNCTION}\b)[a-z]+\s+){{0,3}}{_LOW_HEAD}(?!\w)"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?[\w'’&,]+(?:\s+[\w'’&,]+){{0,5}}?)?"
    rf"(?=\s*,?\s*(?:{_ADVERB}\s+)*{_VERBS}\b))"
    rf"|(?P<pronoun>\b(?:He|She|he|she)\b)"
    rf"|(?P<anon>\b(?:[Aa]n?|[Aa]nother|[Oo]ne|[Tt]he)\s+(?:(?:local|ward|visiting|opposition|"
    rf"independent|co-opted|public)\s+)?(?:[Mm]ember|[Rr]esident|[Cc]ouncillor|[Oo]fficer|"
    rf"[Rr]epresentative|[Ss]peaker|[Oo]bjector|[Ss]upporter|[Pp]etitioner|[Aa]pplicant|"
    rf"[Aa]gent|[Aa]lderman|[Mm]ember\s+of\s+the\s+(?:[Pp]ublic|[Cc]ommittee|[Pp]anel))(?!\w)"
    rf"|\b(?:Members|Officers|Councillors)(?!\s+[{_UP}])"
    # "The Lord Mayor and members of Council congratulated": a group shares the verb, names nobody
    rf"|\b(?:members|Members)\s+of\s+(?:the\s+)?(?:Council|Committee|Cabinet|Panel|Board|"
    rf"Sub-Committee|public)(?!\w)))"
)
_PORTFOLIO_FRONT = re.compile(rf"\b(?:[Tt]he\s+)?(?:{_CAPW}\s+(?:(?:and|&)\s+)?){{1,5}}$")
_COMMA = re.compile(r"\s*,\s*")
_AND_GAP = re.compile(r"\s+(?:and|&)\s+")
_OPEN = re.compile(r"\s*\(\s*")
_PLURAL_SPLIT = re.compile(rf"{_NAME}")
_BARE = re.compile(rf"(?P<name>(?!{_STOP}\b){_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{1,2}})"
                   rf"\s*(?:,|\()\s*(?:the\s+)?$")
# Cheap test for "could this passage name a person at all?": most minutes paragraphs
# cannot, and scanning them with _MENTION is what costs time. Lower-case substring tests
# run in C and are three times faster than one alternation regex; a false hit only costs
# a _MENTION scan, so the needles may be loose ("head" also hits "ahead").
_NEEDLES = tuple(
    "councillor cllr councilor alderm chair mayor leader member holder conven provost head "
    "director manager officer executive clerk solicitor lawyer engineer advis consultant "
    "commissioner commander ordinator auditor treasurer controller planner surveyor "
    "specialist analyst principal lead resident speaker objector supporter petitioner "
    "applicant agent bailie".split())
_TITLE_WORDS = re.compile(  # (only capitals and "he"/"she" can open one: skip other words early)
    r"\b(?=[A-Z]|s?he\b)(?:Mrs?|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Sir|Dame|Lord|Lady|Baroness|Revd?|"
    r"Reverend|Venerable|Ven|Pastor|Rabbi|Imam|Canon|Father|Inspector|Superintendent|Sergeant|Sgt|PCSO|PC|"
    r"He|She|he|she)\b")


# --- names without a title ------------------------------------------------------------

# Words that make a capitalised run an organisation or a place, not a person.
_NOT_PERSON = frozenset(
    "association society group council committee board trust partnership forum ltd limited "
    "residents church school club police service services team network alliance union "
    "federation campaign friends action community parish town borough county district city "
    "street road lane avenue estate centre center hall house park college university academy "
    "hospital nhs practice company plc llp authority department directorate panel unit "
    "agency office commission foundation charity project programme scheme".split())
_UNTITLED = (rf"(?:(?:[{_UP}]\.?\s*){{1,3}}\s*(?!{_STOP}\b){_WORD}"
             rf"|(?!{_STOP}\b){_WORD}(?:\s+(?:[{_UP}]\.?\s+)?(?!{_STOP}\b){_WORD}){{1,2}})")
# "a question from J Price", "submitted by Nora Quist": an untitled name right after
# an agent cue; speakers.py still checks the cue (``_agent_before``) before counting it.
# (No leading \b or look-behind: a pattern that starts with literals lets the engine skip
# ahead cheaply; word boundaries are checked on the few matches instead.)
_AFTER_CUE = re.compile(rf"(?:from|by)\s+(?P<name>{_UNTITLED})(?![\w'’-]|\s+[{_UP}])")
# "the Mayor of Kelby, Jo Barnard, replied": an untitled name in apposition after a role.
_APPOS_NAME = re.compile(rf"\s*,\s*(?P<name>{_UNTITLED})(?=\s*[,(]|\s*$|\s*\.(?:\s|$))")


_ONE_WORD = re.compile(rf"[^\S\n]+(?P<name>(?!{_STOP}\b){_WORD})(?![\w'’-]|\s+[{_UP}])")
_TITLED_BY_OFFICE = re.compile(rf"[^\S\n]+(?P<name>{_UNTITLED})(?![\w'’-])")


def _person_like(name: str) -> bool:
    words = name.replace(".", " ").split()
    return len(words) >= 2 and not any(w.lower() in _NOT_PERSON for w in words)


def could_name_a_person(text: str, known: KnownNames | None = None) -> bool:
    """Cheap test: can ``text`` hold a person phrase at all? (Most paragraphs cannot.)"""
    if any(map(text.lower().__contains__, _NEEDLES)) or _TITLE_WORDS.search(text):
        return True
    if known is not None and known.role_pattern is not None and any(
            map(text.__contains__, known._role_words)) and known.role_pattern.search(text):
        return True
    if known is not None and known.mentioned(text) and known.pattern is not None and any(
            starts_word(text, m.start()) for m in known.pattern.finditer(text)):
        return True
    if " of " in text and _OF_CAPITAL.search(text) and _of_place(text):
        return True  # "Ivo Marsh of Upper Brook asked": a public questioner and their place
    return ("from " in text or "by " in text) and any(
        starts_word(text, m.start()) for m in _AFTER_CUE.finditer(text))



def person_phrases(text: str, known: KnownNames | None = None) -> list[Phrase]:
    """Every person phrase in ``text`` as (start, end, mentions), appositions merged."""
    found = _phrases(text)
    extra: list[Phrase] = []
    if known is not None:
        names = known.find(text)
        if names and found:  # "The Services Manager, Peter Gault, explained": the post grammar's
            found = [_cut_at_name(text, f, names) for f in found]  # qualifier stops at a known name
        extra += names
        if names and (" and " in text or "&" in text):
            extra += _coordinated_with_known(text, names)
        roles = known.find_roles(text)
        if roles:  # attendance posts as printed outrank the post the grammar read over them
            found = [f for f in found if not _covered(f, roles)]
            found = _add(found, roles)
    for m in _AFTER_CUE.finditer(text) if ("from " in text or "by " in text) else ():
        if starts_word(text, m.start()) and _person_like(m.group("name")):
            name = m.group("name")
            extra.append((m.start("name"), m.end("name"),
                          [Mention(name, PERSON, "", name, start=m.start("name"))]))
    if " of " in text and _OF_CAPITAL.search(text):
        extra += _of_place(text)
    for _start, end, mentions in found:
        # offices only: after an officer post a capitalised run is usually a service
        # ("Service Lead, Adult Care,"), and officers are named in the attendance anyway
        if len(mentions) == 1 and not mentions[0].name and mentions[0].role \
                and mentions[0].kind != OFFICER:
            m = _APPOS_NAME.match(text, end)
            if not m and mentions[0].raw in ("Mayor", "Provost", "Lord Mayor", "Lord Provost"):
                m = _TITLED_BY_OFFICE.match(text, end)  # "Mayor Jo Bloggs said" (elected mayor)
            if m and _person_like(m.group("name")):
                name = m.group("name")
                extra.append((m.start("name"), m.end("name"),
                              [Mention(name, PERSON, "", name, start=m.start("name"))]))
            elif known is not None and mentions[0].raw in ("Mayor", "Provost"):
                # "Mayor Kettering thanked": an elected mayor by surname, when the attendance
                # prints exactly one person of that surname
                one = _ONE_WORD.match(text, end)
                if one and known.by_surname(one.group("name")):
                    name = one.group("name")
                    extra.append((one.start("name"), one.end("name"),
                                  [Mention(name, PERSON, "", name, start=one.start("name"))]))
    if extra:
        found = _add(found, extra)
    return _merge_appositions(text, found)


# "D Harcombe and L Bevan declared": a name coordinated with a name the meeting knows, written
# in the same form (initials and a surname, or forename and surname), is a person too.
_AND_NAME_AFTER = re.compile(rf"\s+(?:and|&)\s+(?P<name>{_UNTITLED})(?![\w'’-]|\s+[{_UP}])")
_AND_NAME_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_UNTITLED})\s+(?:and|&)\s+$")


def _coordinated_with_known(text: str, names: list[Phrase]) -> list[Phrase]:
    out: list[Phrase] = []
    for start, end, mentions in names:
        if mentions[0].title:
            continue
        after = _AND_NAME_AFTER.match(text, end) if text.startswith((" and ", " & "), end) else None
        before = _AND_NAME_BEFORE.search(text, max(0, start - 40), start) \
            if text.endswith((" and ", " & "), 0, start) else None
        for m in (after, before):
            if m and _person_like(m.group("name")) and _same_shape(m.group("name"), mentions[0].name):
                name = m.group("name")
                out.append((m.start("name"), m.end("name"),
                            [Mention(name, mentions[0].kind, "", name, start=m.start("name"))]))
    return out


def _same_shape(a: str, b: str) -> bool:
    """Both initials-and-surname ("D Harcombe", "L Bevan") or both spelt out."""
    return (len(a.split()[0].rstrip(".")) == 1) == (len(b.split()[0].rstrip(".")) == 1)


# "Tamsin Greer of East Cowes asked …": a public questioner named with their place, opening a
# sentence or a line, with a speech verb or (in a list of questions) "regarding …" after it.
_OF_CAPITAL = re.compile(rf"[{_UP}][\w'’-]*\s+of\s+[{_UP}]")
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?:])\s+|\n[^\S\n]*)(?=[A-Z])")
_OF_PLACE = re.compile(rf"(?P<name>{_UNTITLED})\s+of\s+{_CAPW}(?:\s+{_CAPW}){{0,2}}"
                       rf"(?=\s*,?\s*(?:(?:{_ADVERB}\s+)*{_VERBS}\b|regarding\b|concerning\b))")


def _of_place(text: str) -> list[Phrase]:
    out: list[Phrase] = []
    for s in _SENTENCE_START.finditer(text):
        m = _OF_PLACE.match(text, s.end())
        if m and _person_like(m.group("name")):
            name = m.group("name")
            out.append((m.start("name"), m.end("name"), [Mention(name, PERSON, "", name, start=m.start("name"))]))
    return out


def _covered(phrase: Phrase, roles: list[Phrase]) -> bool:
    """True when attendance posts span ``phrase``: "The Chief Executive and Section 151
    Officer" is two posts when the attendance holds both, one when it holds the whole."""
    over = [(s, e) for s, e, _ in roles if s < phrase[1] and phrase[0] < e]
    return bool(over) and min(s for s, _ in over) <= phrase[0] and max(e for _, e in over) >= phrase[1]


def _cut_at_name(text: str, phrase: Phrase, names: list[Phrase]) -> Phrase:
    """An officer post cut before the comma that opens a known name inside it."""
    start, end, mentions = phrase
    if mentions[0].kind != OFFICER or mentions[0].name:
        return phrase
    for s, _e, _m in names:
        if start < s < end:
            cut = text.rfind(",", start, s)
            if cut > start:
                raw = text[start:cut]
                return (start, cut, [dataclasses.replace(mentions[0], raw=raw, role=raw)])
    return phrase


def _add(found: list[Phrase], extra: list[Phrase]) -> list[Phrase]:
    """``found`` plus the ``extra`` phrases that overlap none of it, in text order."""
    spans = [(s, e) for s, e, _ in found]
    for phrase in sorted(extra, key=lambda p: (p[0], -p[1])):
        if not any(s < phrase[1] and phrase[0] < e for s, e in spans):
            found.append(phrase)
            spans.append((phrase[0], phrase[1]))
    return sorted(found, key=lambda p: p[0])


def _phrases(text: str) -> list[Phrase]:
    """The phrases the titled/role grammar finds (before untitled names are added)."""
    found: list[tuple[int, int, list[Mention]]] = []
    for m in _MENTION.finditer(text):
        start, end = m.span()
        group = m.lastgroup
        raw = m.group(0)
        if group == "plural":
            names = _PLURAL_SPLIT.findall(text, m.start() + len(raw.split(None, 1)[0]), end)
            found.append((start, end, [
                Mention(raw, COUNCILLOR, "Councillor", n.strip(), start=start) for n in names]))
            continue
        if group == "person":
            titles = [normalise_title(t) for t in m.group("title").split()]
            title = " ".join(t for t in titles if t)
            kind = COUNCILLOR if COUNCILLOR_TITLES & set(titles) else PERSON
            role = ""
            pname = m.group("pname").strip()
            if "\n" in pname:
                cut = text.index("\n", m.start("pname"))
                line_start = text.rfind("\n", 0, start) + 1
                if cut - line_start < 50 and cut > m.start("pname"):
                    # a short line is a list entry, not running text wrapped mid-name
                    end = cut
                    raw, pname = text[start:end], text[m.start("pname"):cut].strip()
            paren = _OPEN_PAREN_ROLE.match(text, end)
            if paren:
                role, end = paren.group("role"), paren.end()
                raw = text[start:end]
            found.append((start, end, [Mention(raw, kind, title, pname, role, start=start)]))
        elif group == "chair":
            found.append((start, end, [Mention(raw, CHAIR, role=raw, start=start)]))
        elif group == "office":
            kind = CHAIR if ("Mayor" in raw or "Leader" in raw or "Provost" in raw) else COUNCILLOR
            if raw[0] in "CEPL" and start:  # "The Housing and Community Services Portfolio Holder"
                front = _PORTFOLIO_FRONT.search(text, max(0, start - 80), start)
                if front and not (found and found[-1][1] > front.start()):
                    start, raw = front.start(), text[front.start():end]
            found.append((start, end, [Mention(raw, kind, role=raw, start=start)]))
        elif group in ("officer", "lowofficer"):
            bare = _bare_name_before(text, start)
            if bare and not (found and found[-1][1] > bare.start("name")):
                found.append((bare.start("name"), bare.end("name"),
                              [Mention(bare.group("name"), OFFICER, name=bare.group("name"),
                                       start=bare.start("name"))]))
            found.append((start, end, [Mention(raw, OFFICER, role=raw.rstrip(", "), start=start)]))
        elif group == "anon":
            found.append((start, end, [Mention(raw, ANONYMOUS, start=start)]))
        else:
            found.append((start, end, [Mention(raw, "pronoun", start=start, how="pronoun")]))
    return found


def _bare_name_before(text: str, start: int) -> re.Match[str] | None:
    """An untitled name in apposition before an officer role: "Jane Smith, Head of Planning,"."""
    m = _BARE.search(text, max(0, start - 60), start)
    if not m:
        return None
    before = text[max(0, m.start() - 6):m.start()]
    if m.start() == 0 or re.search(r"(?:[.;:(]|\band)\s*$", before):
        return m
    return None


def _join_posts(text: str, found: list[Phrase]) -> list[Phrase]:
    """"The Deputy Leader and Cabinet Member for Housing, Councillor Bryce": one person.

    A second post without its own article, joined by "and" and followed by a name in
    apposition, is the same holder's; "the Leader and the Deputy Leader" and "the
    Chair and Vice-Chair thanked …" stay two people.
    """
    out: list[Phrase] = []
    for n, phrase in enumerate(found):
        after = found[n + 1] if n + 1 < len(found) else None
        named_next = after is not None and len(after[2]) == 1 and after[2][0].name \
            and text[phrase[1]:after[0]].strip() in (",", "(")
        if out and named_next and len(out[-1][2]) == 1 and len(phrase[2]) == 1:
            a, b = out[-1][2][0], phrase[2][0]
            if not a.name and not b.name and a.role and b.role and a.kind != OFFICER \
                    and b.kind != OFFICER and _AND_GAP.fullmatch(text[out[-1][1]:phrase[0]]) \
                    and not b.raw.lower().startswith("the "):
                start = out[-1][0]
                raw = text[start:phrase[1]]
                out[-1] = (start, phrase[1], [Mention(raw, b.kind, role=raw, start=start)])
                continue
        out.append(phrase)
    return out


_OBJECT_OF = re.compile(r"\b(?:of|with|to|from|for|on|at|without)\s+$")
_VERB_NEXT = re.compile(rf"\s*,?\s*(?:{_ADVERB}\s+)*{_VERBS}\b")
# "…, Father Brendan Mallon, parish priest of Coalisland, addressed": a description after the name
_DESCRIBED_VERB = re.compile(rf"\s*,\s*[a-z][^,.;\n]{{0,60}},\s*(?:{_ADVERB}\s+)*{_VERBS}\b")


def _new_clause(text: str, role_start: int, name_end: int, verb: re.Pattern[str] = _VERB_NEXT) -> bool:
    """"With the consent of the Chair, Councillor Bell raised …": an office inside an opening
    phrase and a name that starts the clause are two people, not an apposition."""
    return bool(_OBJECT_OF.search(text, max(0, role_start - 12), role_start)
                and verb.match(text, name_end))


def _merge_appositions(text: str, found: list[tuple[int, int, list[Mention]]]):
    """Join "The Chair (Councillor Smith)" and "Dr Achebe, Director of Public Health," into one."""
    if len(found) > 2 and (" and " in text or "&" in text):
        found = _join_posts(text, found)
    out: list[tuple[int, int, list[Mention]]] = []
    i = 0
    while i < len(found):
        start, end, mentions = found[i]
        if i + 1 < len(found) and len(mentions) == 1:
            s2, e2, m2 = found[i + 1]
            a, b = mentions[0], m2[0] if len(m2) == 1 else None
            gap, tail = text[end:s2], text[e2:e2 + 2]
            if b is not None and a.name and b.kind == ANONYMOUS and tail.startswith(",") \
                    and _COMMA.fullmatch(gap):
                # "Ms Ada Finch, a local resident, addressed": the description is hers
                out.append((start, e2 + 1, mentions))
                i += 2
                continue
            if b is not None and a.kind not in ("pronoun", ANONYMOUS) \
                    and b.kind not in ("pronoun", ANONYMOUS) and bool(a.name) != bool(b.name):
                person, role = (a, b) if a.name else (b, a)
                close = None
                if _OPEN.fullmatch(gap) and tail.lstrip().startswith(")"):
                    close = e2 + tail.index(")") + 1
                elif _COMMA.fullmatch(gap) and tail.startswith(",") and not (
                        role is a and _new_clause(text, start, e2, _DESCRIBED_VERB)):
                    # ("At the invitation of the Chair, Father Mallon, parish priest, addressed"
                    # is two people: the office belongs to the opening phrase)
                    close = e2  # the closing comma stays: ", Adult Care, attended" follows
                elif _COMMA.fullmatch(gap) and (tail[:1] in ("", ";", ".", ":") or (
                        role is a and tail[:1] == " " and not _new_clause(text, start, e2))):
                    # "Councillor Ross, Cabinet Member for Housing; Ann Hill, …" and
                    # "provided by the Chair of the Board, Councillor Tom Gale."
                    close = e2
                elif gap.isspace() and role is a:
                    close = e2
                if close is not None:
                    if person.kind == COUNCILLOR or (role.kind != OFFICER and (
                            person.title or "Mayor" not in role.role)):
                        kind = COUNCILLOR
                    elif person.kind == PERSON and not person.title and role.kind != OFFICER:
                        kind = PERSON  # an elected mayor is not a councillor
                    else:
                        kind = OFFICER
                    merged = dataclasses.replace(person, raw=text[start:close].strip(" ,"),
                                                 kind=kind, role=role.role, start=start)
                    out.append((start, close, [merged]))
                    i += 2
                    continue
        out.append(found[i])
        i += 1
    return out


