"""Who spoke in a passage of minutes: reported-speech attribution.

UK minutes report speech in the third person: "Councillor Reed asked…", "The Head
of Early Help explained…", "In response to a question from Cllr Bryce, the
Director said…". A person is a *speaker* of a passage when they are the subject
of a speech act (said, asked, moved, declared…), the agent of a passive one
("seconded by Councillor Osei") or the source of a question or comment ("a
question from Councillor Crute"). Being named is not enough: "apologies were
received from Councillor X" and "the report of the Director" name nobody who
spoke, and counting them would make ``speaker:"X"`` searches wrong.

The grammar is deliberately small: find person phrases with regular
expressions, then decide from the few words around each one whether it is a
speaking subject. It runs on a whole archive (150k passages) in seconds, so it
stays regex-only and fails soft: an unrecognised construction loses a speaker,
it never invents one. Name resolution lives in :mod:`.names`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from searchsvc.enrich.names import ANONYMOUS, CHAIR, COUNCILLOR, COUNCILLOR_TITLES, OFFICER, PERSON
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
from searchsvc.enrich.names import Directory, Mention, normalise_title, resolve
from searchsvc.records import Member, Passage

__all__ = ["Mention", "attribute", "find_speakers", "resolve"]

# --- vocabulary ----------------------------------------------------------------

_FUNCTION = (r"(?:of|the|and|to|by|from|with|for|a|an|in|on|at|that|was|were|had|has|his|"
             r"her|their)")

_VERB_LIST = (
    "said asked referred explained reported informed queried questioned replied responded "
    "confirmed advised clarified suggested proposed moved seconded declared welcomed thanked "
    "stated added expressed raised highlighted commented presented introduced undertook "
    "requested urged noted emphasised emphasized acknowledged agreed outlined summarised "
    "summarized sought indicated felt considered believed reminded assured praised "
    "congratulated spoke addressed answered announced reiterated recommended argued objected "
    "challenged mentioned observed remarked stressed underlined wished hoped updated shared "
    "encouraged invited apologised apologized accepted opposed described recognised "
    "recognized conceded cautioned warned enquired inquired contended insisted recalled "
    "concluded elaborated reassured offered promised tabled queried voiced thought echoed "
    "disagreed supported questioned commended paid"
).split()
_VERBS = (r"(?:" + "|".join(sorted(set(_VERB_LIST), key=len, reverse=True)) +
          r"|pointed\s+out|went\s+on|drew|put\s+forward|took\s+the\s+opportunity"
          r"|made\s+(?:a|an|the|some|several|two|three|further)\s+(?:\w+\s+)?"
          r"(?:statement|comment|point|proposal|presentation|speech|representation|suggestion|"
          r"observation|plea|declaration|remark|announcement)s?"
          r"|gave\s+(?:(?:a|an|the|his|her|some|their|that|this|such)\s+)?(?:\w+\s+)?"
          r"(?:thanks|presentation|update|overview|"
          r"report|summary|briefing|introduction|explanation|assurance|response|answer|reply|"
          r"statement|account|communications|announcement|advice|feedback|comment)s?"
          r"|provided\s+(?:a|an|the|some|further|that|this|such)\s+(?:\w+\s+)?"
          r"(?:update|overview|clarification|"
          r"explanation|briefing|summary|response|answer|assurance|statement|advice|feedback)s?)")
_ADVERB = (r"(?:also|further|then|again|briefly|subsequently|additionally|later|firstly|first|"
           r"finally|specifically|in\s+particular|in\s+response|in\s+reply|in\s+turn|"
           r"in\s+addition|however|therefore|thus|accordingly|similarly|too|formally|verbally|"
           r"duly|kindly|clearly|strongly|fully|warmly|personally|separately|both|all|"
           r"each|jointly|subsequently)")
_AFTER = re.compile(
    rf"(?:\s+(?:MBE|OBE|CBE|KBE|DBE|BEM|JP|DL|MP|QC|KC)\b)*"
    rf"(?:\s*\([^()]{{1,40}}\))?"  # "Councillor Reed (Labour)", "Assistant Chief Executive (Legal)"
    rf"(?:\s*,\s*(?:who|seconded\s+by|supported\s+by|proposed\s+by|on\s+behalf\s+of|"
    rf"in\s+response\s+to|in\s+reply\s+to|an?|the)\s+[^,.;]{{1,80}},)?"
    rf"(?:\s*,?\s*{_ADVERB}\b\s*,?)*\s*(?P<verb>{_VERBS})\b")
_OPEN_PAREN_ROLE = re.compile(r"\s*\(\s*(?:the\s+)?(?P<role>(?:Vice[\s-]+|Deputy\s+)?Chair"
                              r"(?:man|woman|person)?|Mayor|Leader)\s*\)")

# Every phrase starts a word with an ASCII letter; saying so up front lets the
# engine skip most positions cheaply (bench/README.md, "Design figures").
_MENTION = re.compile(
    rf"(?=[A-Za-z])\b(?:(?P<plural>{_TITLES_PL}\s+{_NAME}(?:\s*,\s*{_NAME})*"
    rf"(?:\s*,?\s+(?:and|&)\s+{_NAME})?)"
    rf"|(?P<person>(?P<title>{_TITLE}(?:\s+{_TITLE})?)\s+(?P<pname>{_NAME}))"
    rf"|(?P<chair>\b(?:[Tt]he\s+)?(?:(?:[Vv]ice|[Dd]eputy)[\s-]+)?[Cc]hair(?:man|woman|person)?"
    rf"(?!\w)(?:\s+of\s+the\s+(?:[Mm]eeting|{_CAPSEQ}))?)"
    rf"|(?P<office>\b(?:[Tt]he\s+)?(?:(?:Deputy|Lord|Civic)\s+)?Mayor(?!\w)"
    rf"|\b(?:[Tt]he\s+)?(?:Deputy\s+)?Leader(?:\s+of\s+the\s+(?:Council|Opposition))?(?!\w)"
    rf"|\b(?:[Tt]he\s+)?(?:(?:Cabinet|Executive|Lead)\s+[Mm]ember|Portfolio\s+[Hh]older)"
    rf"(?:\s+for\s+{_CAPSEQ})?)"
    rf"|(?P<officer>\b(?:[Tt]he\s+)?(?:(?:{_CAPW}|&)\s+){{0,5}}{_OFFICER_HEAD}(?!\w)"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAPSEQ}"
    # "The Strategic Manager, Planning reported": a comma qualifier only right before a verb,
    # so "the Head of Planning, Jane Smith, said" keeps Jane Smith apart.
    rf"|,\s+{_CAPW}(?:\s+(?:and\s+|&\s+)?{_CAPW})?(?=\s+(?:{_ADVERB}\s+)*{_VERBS}\b))?)"
    rf"|(?P<lowofficer>\b[Tt]he\s+(?:(?!{_FUNCTION}\b)[a-z]+\s+){{0,3}}{_LOW_HEAD}(?!\w)"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?[\w'’&,]+(?:\s+[\w'’&,]+){{0,5}}?)?"
    rf"(?=\s*,?\s*(?:{_ADVERB}\s+)*{_VERBS}\b))"
    rf"|(?P<pronoun>\b(?:He|She|he|she)\b)"
    rf"|(?P<anon>\b(?:[Aa]n?|[Aa]nother|[Oo]ne|[Tt]he)\s+(?:(?:local|ward|visiting|opposition|"
    rf"independent|co-opted|public)\s+)?(?:[Mm]ember|[Rr]esident|[Cc]ouncillor|[Oo]fficer|"
    rf"[Rr]epresentative|[Ss]peaker|[Oo]bjector|[Ss]upporter|[Pp]etitioner|[Aa]pplicant|"
    rf"[Aa]gent|[Aa]lderman|[Mm]ember\s+of\s+the\s+(?:[Pp]ublic|[Cc]ommittee|[Pp]anel))(?!\w)"
    rf"|\b(?:Members|Officers|Councillors)(?!\s+[{_UP}])))"
)
_PLURAL_SPLIT = re.compile(rf"{_NAME}")
_BARE = re.compile(rf"(?P<name>(?!{_STOP}\b){_WORD}(?:\s+(?!{_STOP}\b){_WORD}){{1,2}})"
                   rf"\s*(?:,|\()\s*(?:the\s+)?$")
# Words after which a person phrase is an object, not a subject ("thanked X", "from X").
_PREPOSITIONS = frozenset(
    "of from to by with for at on in about regarding towards toward against between among "
    "than like under over into onto upon via per without within including concerning "
    "re behind beside besides after before during whom told gave thank thanks ask invite "
    "invites congratulate congratulations apologies absence".split()
)
_SUBJECT_OK = frozenset("and but then that when whereupon where while whilst once as so "
                        "also before until because although though since if".split())
_LAST_WORD = re.compile(r"([\w'’-]+|[^\w\s])\s*$")
_AGENT = re.compile(
    r"(?:\b(?P<pp>moved|seconded|proposed|raised|asked|put|presented|introduced|explained|"
    r"outlined|reported|confirmed|suggested|highlighted|tabled|informed|advised|answered|"
    r"addressed|queried|questioned|emphasised|emphasized|welcomed|delivered|made|given|led|"
    r"read(?:\s+out)?)\s+by"
    r"|\b(?P<noun>questions?|query|queries|comments?|points?|proposal|motion|amendment|"
    r"statement|presentation|suggestions?|concerns?|remarks?|observations?|update|response|"
    r"answer|reply|clarification|explanation|introduction|challenge|representations?|speech|"
    r"contributions?|verbal\s+(?:report|update))"
    r"(?:\s+(?:raised|made|put|asked|posed|given))?\s+(?:from|by)"
    r"|\baccording\s+to"
    r"|[,'’\"”]{2,3}\s+(?:said|asked|added|replied|explained|continued|stated)"  # '…,' said X
    r")\s+(?:the\s+)?$", re.IGNORECASE)
_NEEDS_NOUN = re.compile(
    r"\b(?:proposal|motion|amendment|statement|comments?|points?|suggestion|presentation|request|"
    r"representations?|declaration|speech|observations?|remarks?|update|overview|briefing|"
    r"explanation|assurances?|answer|response|reply|summary|introduction|report|question|"
    r"discussion|debate)\b"
    r"[^.;]{0,40}$")
_PRONOUN_OK = re.compile(r"(?:^|[.;:!?]['’\"”)]?|,|\b(?:and|but|then))\s*$")
_LINK = re.compile(r"\s*(?:,\s*|,?\s+(?:and|&)\s+)$")
# Cheap test for "could this passage name a person at all?": most minutes
# paragraphs cannot, and scanning them with _MENTION is what costs time.
_TRIGGER = re.compile(
    r"Councillor|Cllr|Councilor|Alderm|Chair|chair|Mayor|Leader|[Mm]ember|Holder|holder|"
    r"\b(?:Mrs?|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Sir|Dame|Lord|Lady|Baroness|Revd?|Reverend|"
    r"Canon|Inspector|Superintendent|Sergeant|Sgt|PCSO|PC|He|She|he|she)\b|"
    r"Head|head|Director|director|Manager|manager|Officer|officer|Executive|executive|"
    r"Clerk|clerk|Solicitor|solicitor|Lawyer|lawyer|Engineer|engineer|Advis|advis|Consultant|"
    r"consultant|Commissioner|Commander|ordinator|Auditor|auditor|Treasurer|treasurer|"
    r"Controller|Planner|planner|Surveyor|Specialist|Analyst|Principal|Lead\b|"
    r"[Rr]esident|[Ss]peaker|[Oo]bjector|[Ss]upporter|[Pp]etitioner|[Aa]pplicant|[Aa]gent")


# --- finding ---------------------------------------------------------------------

def _phrases(text: str) -> list[tuple[int, int, list[Mention]]]:
    """Every person phrase in ``text`` as (start, end, mentions), appositions merged."""
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
            paren = _OPEN_PAREN_ROLE.match(text, end)
            if paren:
                role, end = paren.group("role"), paren.end()
                raw = text[start:end]
            found.append((start, end, [Mention(raw, kind, title, m.group("pname").strip(), role,
                                               start=start)]))
        elif group == "chair":
            found.append((start, end, [Mention(raw, CHAIR, role=raw, start=start)]))
        elif group == "office":
            kind = CHAIR if re.search(r"Mayor|Leader", raw) else COUNCILLOR
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
    return _merge_appositions(text, found)


def _bare_name_before(text: str, start: int) -> re.Match[str] | None:
    """An untitled name in apposition before an officer role: "Jane Smith, Head of Planning,"."""
    m = _BARE.search(text, max(0, start - 60), start)
    if not m:
        return None
    before = text[max(0, m.start() - 6):m.start()]
    if m.start() == 0 or re.search(r"(?:[.;:(]|\band)\s*$", before):
        return m
    return None


def _merge_appositions(text: str, found: list[tuple[int, int, list[Mention]]]):
    """Join "The Chair (Councillor Smith)" and "Dr Achebe, Director of Public Health," into one."""
    out: list[tuple[int, int, list[Mention]]] = []
    i = 0
    while i < len(found):
        start, end, mentions = found[i]
        if i + 1 < len(found) and len(mentions) == 1:
            s2, e2, m2 = found[i + 1]
            a, b = mentions[0], m2[0] if len(m2) == 1 else None
            gap, tail = text[end:s2], text[e2:e2 + 2]
            if b is not None and a.kind not in ("pronoun", ANONYMOUS) \
                    and b.kind not in ("pronoun", ANONYMOUS) and bool(a.name) != bool(b.name):
                person, role = (a, b) if a.name else (b, a)
                close = None
                if re.fullmatch(r"\s*\(\s*", gap) and tail.lstrip().startswith(")"):
                    close = e2 + tail.index(")") + 1
                elif re.fullmatch(r"\s*,\s*", gap) and tail.startswith(","):
                    close = e2 + 1
                elif re.fullmatch(r"\s+", gap) and role is a:
                    close = e2
                if close is not None:
                    if person.kind == COUNCILLOR or role.kind != OFFICER:
                        kind = COUNCILLOR
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


def _is_object(text: str, start: int) -> bool:
    """True when the word before ``start`` makes the phrase an object ("from X", "thanked X")."""
    m = _LAST_WORD.search(text, max(0, start - 40), start)
    if not m:
        return False
    word = m.group(1)
    if not word[0].isalnum():
        return False
    low = word.lower()
    if low in _SUBJECT_OK or word[0].isupper():
        return False
    return low in _PREPOSITIONS or low.endswith("ed") or low in {"had", "was", "were"}


def find_speakers(text: str, previous: Mention | None = None) -> list[Mention]:
    """The speaking person phrases of one passage, in order of appearance.

    ``previous`` is the last speaker of the preceding passage; a sentence-initial
    "He"/"She" with a speech verb refers to it when the passage has no earlier
    speaker of its own. Mentions are not resolved to canonical names: see
    :func:`resolve` and :func:`attribute`.
    """
    return _find(text, previous)[0]


def _find(text: str, previous: Mention | None) -> tuple[list[Mention], Mention | None]:
    """:func:`find_speakers` plus the subject a pronoun in the next passage would mean."""
    if not text or not _TRIGGER.search(text):
        return [], previous
    phrases = _phrases(text)
    if not phrases:
        return [], previous
    speakers: list[Mention] = []
    last_subject = previous
    # Link "A and B" / "A, B and C" chains so one verb covers them all; a bare comma
    # links only inside such a list ("a question from Cllr Bryce, the Director said").
    chains: list[list[int]] = []
    links: list[list[str]] = []
    for i, (start, _end, mentions) in enumerate(phrases):
        gap = text[phrases[i - 1][1]:start] if i else ""
        link = _LINK.match(gap) if chains and mentions[0].how != "pronoun" else None
        if link and phrases[chains[-1][-1]][2][0].how != "pronoun":
            chains[-1].append(i)
            links[-1].append("and" if re.search(r"\b(?:and)\b|&", gap) else ",")
        else:
            chains.append([i])
            links.append([])
    chains = [part for chain, kinds in zip(chains, links) for part in _split_chain(chain, kinds)]
    for chain in chains:
        first_start = phrases[chain[0]][0]
        last_end = phrases[chain[-1]][1]
        agent = _agent_before(text, first_start)
        verb = _AFTER.match(text, last_end)
        members = [phrases[i] for i in chain]
        if agent:
            chosen = members
            how = "agent"
        elif verb:
            if _is_object(text, first_start):
                chosen = members[-1:] if len(members) > 1 else []
            else:
                chosen = members
            how = "subject"
        else:
            continue
        verb_text = " ".join(verb.group("verb").lower().split()) if verb and not agent else ""
        for start, _end, mentions in chosen:
            for mention in mentions:
                if mention.kind == ANONYMOUS:
                    if how == "subject":
                        last_subject = None
                    continue
                if mention.how == "pronoun":
                    if how != "subject" or last_subject is None \
                            or not _PRONOUN_OK.search(text, max(0, start - 30), start):
                        continue
                    mention = dataclasses.replace(last_subject, raw=mention.raw, how="pronoun",
                                                  start=start, verb=verb_text)
                else:
                    mention = dataclasses.replace(mention, how=how, verb=verb_text)
                speakers.append(mention)
                if how == "subject":
                    last_subject = mention
    return speakers, last_subject


def _split_chain(chain: list[int], kinds: list[str]) -> list[list[int]]:
    """Cut a chain at comma links that are not followed by an "and" link later on."""
    out, current = [], [chain[0]]
    for n, index in enumerate(chain[1:]):
        if kinds[n] == "," and "and" not in kinds[n + 1:]:
            out.append(current)
            current = [index]
        else:
            current.append(index)
    out.append(current)
    return out


def _agent_before(text: str, start: int) -> bool:
    """True when the phrase at ``start`` follows "seconded by", "a question from", …

    "made by"/"given by"/"led by"/"put by" count only after a speech noun ("a
    proposal was made by the Chair"), not in "a decision made by the Director".
    """
    lead_start = max(0, start - 60)
    m = _AGENT.search(text, lead_start, start)
    if not m:
        return False
    if m.group("pp") in ("made", "given", "led", "put"):
        return bool(_NEEDS_NOUN.search(text, max(0, m.start() - 60), m.start()))
    return True


# --- attributing -------------------------------------------------------------------

def attribute(passages: Sequence[Passage], people: Sequence[Member] = (),
              chair: str | None = None) -> tuple[Passage, ...]:
    """``passages`` with ``speakers`` (canonical) and ``raw_speakers`` (as written) filled.

    ``people`` is the meeting's attendance plus the committee's membership;
    ``chair`` names who chaired when known. A pronoun at the start of a passage
    continues the previous passage's last speaker (within one section).
    """
    found: list[list[Mention]] = []
    previous: Mention | None = None
    section = None
    for passage in passages:
        if passage.section != section:
            previous, section = None, passage.section
        mentions, previous = _find(passage.text, previous)
        found.append(mentions)
    extra = [f"{m.title or 'Councillor'} {m.name}" for ms in found for m in ms
             if m.name and m.kind == COUNCILLOR]
    extra += [f"{m.title} {m.name}" for ms in found for m in ms if m.name and m.kind != COUNCILLOR]
    if not any(found):  # the common case: nobody speaks, no directory needed
        return tuple(dataclasses.replace(p, speakers=(), raw_speakers=()) for p in passages)
    roles = [m.role for ms in found for m in ms if m.role and not m.name]
    directory = Directory(people, chair, extra, roles)
    out = []
    for passage, mentions in zip(passages, found):
        names = tuple(dict.fromkeys(resolve(m, directory) for m in mentions))
        raws = tuple(dict.fromkeys(m.raw for m in mentions))
        out.append(dataclasses.replace(passage, speakers=names, raw_speakers=raws))
    return tuple(out)
