"""Who spoke in a passage of minutes: reported-speech attribution.

UK minutes report speech in the third person: "Councillor Reed asked…", "The Head
of Early Help explained…", "In response to a question from Cllr Bryce, the
Director said…". A person is a *speaker* of a passage when they are the subject
of a speech act (said, asked, moved, declared…), the agent of a passive one
("seconded by Councillor Osei") or the source of a question or comment ("a
question from Councillor Crute"). Being named is not enough: "apologies were
received from Councillor X" and "the report of the Director" name nobody who
spoke, and counting them would make ``speaker:"X"`` searches wrong.

Structure first, then the verb: :mod:`.phrases` finds the person phrases
(titled, by role, untitled names the meeting already gives us, appositions as one
unit); here coordinated phrases ("A, B and C", semicolon lists of name and role)
become one subject, and the clause's verb is checked against the speech-act
lexicon of :mod:`.speech_acts`. Table and list rows are read by :mod:`.rows`.
Pronouns and "the Member" are resolved only when one reading is clearly right:
no speaker is better than a wrong one. It runs on a whole archive (150k passages)
in seconds, so it stays regex-only and fails soft. Name resolution lives in
:mod:`.names`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from searchsvc.enrich.names import ANONYMOUS, COUNCILLOR, Directory, Mention, resolve
from searchsvc.enrich.names import CAPSEQ as _CAPSEQ
from searchsvc.enrich.names import UPPER as _UPPER
from searchsvc.enrich.phrases import (
    KnownNames,
    Phrase,
    could_name_a_person,
    known_names,
    person_phrases,
)
from searchsvc.enrich.rows import declaration_lines, row_speakers
from searchsvc.enrich.speech_acts import ADVERB as _ADVERB
from searchsvc.enrich.speech_acts import AGENT as _AGENT
from searchsvc.enrich.speech_acts import BASE_VERBS as _BASE_VERBS
from searchsvc.enrich.speech_acts import DECLARE_NOUN
from searchsvc.enrich.speech_acts import NEEDS_NOUN as _NEEDS_NOUN
from searchsvc.enrich.speech_acts import NOUN_BOUND as _NOUN_BOUND
from searchsvc.enrich.speech_acts import VERBS as _VERBS
from searchsvc.records import Member, Passage

__all__ = ["Mention", "attribute", "find_speakers", "resolve"]

_AND = re.compile(r"\band\b")
_DIGIT = re.compile(r"\d")  # a flattened declarations row carries a minute number
_CUE_WORDS = frozenset("by from heard said asked added replied explained continued stated "
                       "proposed seconded moved".split())
# A motion recorded without a verb: "Proposed Cllr Stedwell, seconded Cllr Godsall; all in
# favour". The bare participle opens the clause (a line, a sentence, a cell), so "Councillor
# A proposed Councillor B as Chair" keeps B an object.
_VERBLESS_MOTION = re.compile(
    r"(?:^|[\n.;:|(])\s*(?:(?:\d{1,3}[a-z]?[.)]|[•·▪*-])\s*)?(?:proposed|moved)\s+"
    r"(?:[^.;:\n]{1,80}?,?\s+(?:and\s+)?seconded\s+)?(?:the\s+)?$", re.IGNORECASE)
_NOT_YET = re.compile(r"\b(?:(?:would|will|shall|should|could|might|may)\s+(?:[\w-]+\s+){0,3}"
                      # "on receiving an update from X": X told the subject, not the meeting
                      r"|(?:on|upon)\s+receiving\s+(?:[\w-]+\s+){0,2}"
                      r"|to\s+(?:get|seek|obtain|receive|request|await)\s+(?:[\w-]+\s+){0,2}"
                      # a correction quotes the earlier minute: "Agenda item 9 should read: Proposed by X"
                      r"|(?:should|to)\s+(?:have\s+)?read\s*[:\-–—]?\s*[\"“‘']?)$",
                      re.IGNORECASE)
_RESOLVED = re.compile(r"\b(?:resolved|agreed|decided)\s*(?::|-|to\b|that\b)", re.IGNORECASE)
# A line break between a subject and its verb is a hard wrap only before a lower-case
# word ("Councillor Smith\nasked"); a lettered heading may sit between them ("The Lord
# Mayor -\n(a) Former Alderman Hosking\nreported that …"), and a subject on such a
# heading line is not the heading's subject (see _on_heading_line).
_S = r"(?:[^\S\n]|\n(?=[a-z]))"
_HEADING_LINE = re.compile(r"(?:^|\n)[^\S\n]*(?:\([a-z0-9]{1,3}\)|[a-z0-9]{1,3}[.)]|[•·▪*])[^\n]*$")
_AFTER = re.compile(
    # honours, other assemblies' letters, and the initials a parish clerk writes after an
    # office ("Mayor SM advised"): letters after a phrase are not the next word of the clause
    rf"(?:{_S}+(?:MBE|OBE|CBE|KBE|DBE|BEM|JP|DL|MP|MEP|MSP|MS|AM|MLA|QC|KC|[A-Z]{{2,3}})\b)*"
    # "Councillor Reed (Labour)", "Assistant Chief Executive (Legal)", "the Leader (with
    # responsibility for Transport and Infrastructure, Highways PFI and Transport Strategy)"
    rf"(?:{_S}*\([^()]{{1,120}}\))?"
    rf"(?:{_S}+(?:of|from)\s+(?:the\s+)?{_CAPSEQ})?"  # "Sergeant Marsh of Kelby Police reported"
    # Appositions: "Councillor Okafor, as Vice-Chair, moved"; "Mr Doyle, solicitor for the
    # licence holder, stated"; "Councillor Pryce, Portfolio Holder for Leisure, informed".
    rf"(?:{_S}*,{_S}*(?:who|seconded\s+by|supported\s+by|proposed\s+by|on\s+behalf\s+of|"
    rf"in\s+response\s+to|in\s+reply\s+to|as|acting\s+as|speaking\s+as|together\s+with|"
    rf"along\s+with|with|an?|the)\s+[^,.;\n]{{1,80}},"
    rf"|{_S}*,{_S}*(?!and\b|but\b|which\b|that\b|who\b)[a-z][^,.;\n]{{0,60}},"
    rf"|{_S}*,{_S}*{_CAPSEQ}{_S}*(?:,|\([^()]{{1,80}}\){_S}*,?)"
    # "Councillor Kunes in responding to Councillor Collop confirmed" (no commas, or one)
    rf"|{_S}*,?{_S}*(?:in\s+)?(?:responding|replying|answering)\s+to\s+[^,.;\n]{{1,60}}?,?(?={_S}+\w))?"
    rf"(?P<dash>{_S}*[-–—:]{_S}*(?:\n\s*(?:\([a-z0-9]{{1,3}}\)[^\n]{{0,120}}\n\s*)?[•·▪*]?{_S}*)?)?"
    rf"(?:{_S}*,?{_S}*{_ADVERB}\b{_S}*,?)*{_S}*[,;]?{_S}*"  # "the Leader, noted" (a stray comma)
    # "attended and answered", "was elected Chair and thanked": the speech verb is the second
    # "circulated the references and answered questions": any past verb coordinated with one
    # "left the meeting for this item, having each declared a prejudicial interest"
    rf"(?:(?:[a-z]+ed|left|gave|made|took|went|came|sat|held|took\s+the\s+chair|was\s+present|were\s+present|"
    # "took the chair, made his Declaration of Acceptance of Office, and returned thanks"
    rf"was\s+(?:re-?)?(?:elected|appointed))(?:,?\s+(?!and\b)[\w'’-]+){{0,10}}?"
    rf"(?:,?\s+and|\s*,\s*having(?:\s+(?:each|both|all|also))?)\s+)?"
    # "proceeded to present", "went on to explain": the plain form after going on
    rf"(?:(?:proceeded|went\s+on|began|rose|continued)\s+to\s+(?P<base>{_BASE_VERBS})\b)?"
    rf"(?(base)|(?P<verb>{_VERBS})\b)")
_HAVING = re.compile(rf"(?:^|[.;:!?]\s+|\n\s*)[Hh]aving\s+(?:(?:also|each|both|previously|"
                     rf"earlier|formally)\s+)?(?P<verb>{_VERBS})\b[^.;:\n]{{0,120}},\s*$")
# "welcomed the Reverend Canon Ellery, the Mayor's Chaplain, who led the Council in prayer"
_WHO = re.compile(rf"{_S}*(?:\([^()]{{1,80}}\){_S}*)?(?:,{_S}*(?:the|a|an|his|her){_S}+[^,.;()\n]{{1,60}})?"
                  rf",{_S}*who{_S}+(?:{_ADVERB}{_S}+)*"
                  rf"(?P<verb>{_VERBS})\b")
# In a declarations list the interest stands in for the verb ("Mrs K Osei - a DPI in item 8",
# "Councillors A and B - personal interests in minute 12"); tried only where one can be.
_DECLARED = re.compile(rf"(?P<dash>{_S}*[-–—:]{_S}*)?"
                       rf"(?P<had>(?:(?:had|has|have|declared)\s+)?{DECLARE_NOUN.pattern})")
# A list line "Name – <statement>" records what that person said or declared ("Councillor
# Ross – had been approached by the applicant", 'Councillor M Pryce – "It is in my ward"'):
# the dash stands for the verb when the line opens with the person and the statement opens
# with a quotation or a finite verb (an attendance line "Mr A Mitchell – Development Manager"
# has a post after its dash, "Councillor X – substitute for Y" a preposition).
_ENTRY_DASH = re.compile(rf"{_S}*(?:\([^()]{{1,80}}\){_S}*)?[-–—]{_S}*"
                         r"(?=[\"“‘']|(?:had|has|have|is|was|were|are|declared|disclosed|stated|"
                         r"said|asked|advised|confirmed|noted|reported)\b)")
_LINE_OPEN = re.compile(r"(?:^|\n)[^\S\n]*(?:(?:\(?[\da-z]{1,4}[.)]+|[•·▪*])[^\S\n]*)?$")
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
_PRONOUN_OK = re.compile(r"(?:^|[.;:!?]['’\"”)]?|,|\b(?:and|but|then)|^\s*[\d.()a-z]{1,6})\s*$")
# Links inside a coordinated subject: ", ", " and ", "; and ", and a trailing role
# qualifier before the separator ("Ann Hill, Service Director, Adult Care; and Raj …").
# "The Chairman, Councillor Tudor, and Group Leaders Councillors Harries and Pugh": a
# capitalised description may open a plural-titled member of the list.
_LINK = re.compile(rf"\s*(?:\([^()]{{1,80}}\)\s*)?(?:,?\s*{_CAPSEQ}\s*)?"
                   rf"(?:[,;]\s*(?:and\s+|&\s+)?|,?\s+(?:and|&)\s+)"
                   rf"(?P<desc>(?:[{_UPPER}][a-z]+\s+){{1,2}})?$")
# Turn-taking: "The Chair invited Councillor Ross to present …" hands the floor to Ross
# (whatever she does next); "Councillor Sadler asked the Commissioner …" makes the
# Commissioner the one a following "He responded" means.
_HANDOVER = re.compile(r"\b(?:(?P<invite>invited|called\s+(?:up)?on|called)|(?P<ask>asked|"
                       r"questioned|put\s+(?:a\s+)?questions?\s+to))\s+(?:the\s+)?$")
_ANSWERS = frozenset("responded replied answered confirmed explained advised clarified "
                     "agreed undertook assured reassured accepted acknowledged".split())
# A written question laid before the meeting with its answer: "Question 1 from Councillor X to
# the Leader (Councillor Y), together with his response, was noted" -- the one it was put to
# answered it, as in a question-and-answer table.
_QUESTION_TO = re.compile(r"\bquestions?(?:\s+(?:no\.?\s*)?\d{1,3}[a-z]?)?\s+(?:from|by)\s+[^.;:\n]{1,80}?"
                          r"\s+to\s+(?:the\s+)?$", re.IGNORECASE)
_WITH_ANSWER = re.compile(r"[^.;\n]{0,20}?,?\s*(?:together\s+with|and|with)\s+(?:(?:his|her|their|its|the)\s+)?"
                          r"(?:written\s+)?(?:response|answer|reply)", re.IGNORECASE)
# "Question 2 from Councillor X … had been withdrawn": a withdrawn question was never put.
_WITHDRAWN = re.compile(r"[^.;\n]{0,80}?\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+withdrawn\b",
                        re.IGNORECASE)
# "Councillor A presented the Chain of Office to Councillor B": something handed to a person is
# a gift or a badge of office, not business presented to the meeting ("presented the report").
_GIVEN_TO = re.compile(r"\s+(?P<thing>(?:[\w'’-]+\s+){1,6}?)to\s+(?:the\s+)?$")
_BUSINESS = re.compile(r"\b(?:report|petition|motion|amendment|update|item|paper|proposals?|case|"
                       r"application|findings|recommendations?|budget|accounts?|plan|strategy|"
                       r"statement|evidence|information|details|figures|results|options?|minutes)\b",
                       re.IGNORECASE)
# "an emergency motion by Councillor X had been delivered", "(ii) Motion by Councillors A and B"
# (a heading): a motion named by its author is referred to, not moved, unless the sentence
# moves or seconds it ("An amendment by Councillor X, seconded by Councillor Y, was put").
_MOTION_BY = re.compile(r"\b(?:motion|amendment)s?\s+(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_MOVED_AFTER = re.compile(r"[^.;\n]{0,120}?(?:\b(?:was|were|being|and)\s+|,\s*)(?:duly\s+)?(?:moved|seconded|proposed)\b",
                          re.IGNORECASE)
# "Q: Cllr Ashmore asked …⏎A: Cllr Pendleton had followed this up …": in a question-and-answer
# pair the person opening each line is the one who asked or answered at the meeting, whatever
# tense the clerk wrote the answer in (like a question-and-answer table row).
_QA_LINE = re.compile(r"(?:^|\n)[^\S\n]*(?:Q|A|Question|Answer|Response)[^\S\n]*[:\-–—][^\S\n]*$")
_QA_PAIR = re.compile(r"(?:^|\n)[^\S\n]*(?:Q|Question)[^\S\n]*[:\-–—].*\n[^\S\n]*(?:A|Answer|Response)[^\S\n]*[:\-–—]",
                      re.DOTALL)
_TITLE_DOT = re.compile(r"\b(Cllrs?|Mrs|Mr|Ms|Dr|Revd|Rev|Prof|Sgt|[A-Z])\.")
_CLAUSE_OPEN = re.compile(r"(?:^|[.;]\s*|\n\s*)$")  # the elliptical clause stands on its own
_LIKEWISE = re.compile(r"\s*,?\s*(?:likewise|similarly|also|too|as\s+well)\b\s*(?=[.;]|$)")
# "Questions were put to the Chairman as follows:⏎Mr Reg Tillotson of Seaview regarding …": in
# a list of questions an entry opening with a person and its subject records who asked.
_QUESTIONS_LEAD = re.compile(r"\bquestions?\b[^.\n]{0,80}?(?:as\s+follows\s*:?|:)[^\S\n]*\n", re.IGNORECASE)
_ABOUT = re.compile(rf"(?:\s+(?:of|from)\s+{_CAPSEQ})?\s*,?\s+(?:regarding|concerning|about|asking)\b")
_NOMINEE = re.compile(r"\s+(?:as|for)\s+(?:the\s+)?(?:post|position|office|role|[A-Z])")
_BARE_MOTION = re.compile(r"\b(?:proposed|moved|seconded)[^\S\n]+(?:the\s+)?$", re.IGNORECASE)
_LIST_ENTRY = re.compile(r"(?:^|\n|;)\s*$")
_CAPACITY = re.compile(r"\s*,?\s*(?:as|acting\s+as|speaking\s+as|in\s+(?:his|her|their)\s+"
                       r"capacity\s+as)\s+(?:the\s+)?", re.IGNORECASE)
_THE_MEMBER = re.compile(r"(?i)the\s+(?:member|councillor)$")
_GENDER = {"Mr": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f", "Dame": "f",
           "Lady": "f", "Baroness": "f", "Father": "m", "He": "m", "he": "m", "She": "f", "she": "f"}


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


def find_speakers(text: str, previous: Mention | None = None,
                  known: KnownNames | None = None) -> list[Mention]:
    """The speaking person phrases of one passage, in order of appearance.

    ``previous`` is the last speaker of the preceding passage; a sentence-initial
    "He"/"She" with a speech verb refers to it when the passage has no earlier
    speaker of its own. ``known`` holds the untitled names the meeting gives
    (:func:`.phrases.known_names`). Mentions are not resolved to canonical names:
    see :func:`resolve` and :func:`attribute`.
    """
    state = _State(previous)
    return _find(text, state, known)


@dataclasses.dataclass
class _State:
    """What the next sentence's pronoun or "the Member" may refer to."""

    subject: Mention | None = None  # the last speaking subject
    councillor: Mention | None = None  # the last named councillor who spoke (subject or agent)
    handed_to: Mention | None = None  # "the Chair invited Councillor Ross to …" -> Ross
    asked: Mention | None = None  # "Councillor Sadler asked the Commissioner" -> the Commissioner
    names: list[str] = dataclasses.field(default_factory=list)  # every name written, for fuller forms


def _gender(mention: Mention) -> str:
    return _GENDER.get(mention.title.split(" ")[0] if mention.title else "", "")


def _find(text: str, state: _State, known: KnownNames | None) -> list[Mention]:
    """:func:`find_speakers`, updating ``state`` for the next passage."""
    if not text or not could_name_a_person(text, known):
        return []
    phrases = person_phrases(text, known)
    for _s, _e, mentions in phrases:  # fuller forms for the item ("Mr Jack Dunn")
        for m in mentions:
            if m.title and " " in m.name:
                state.names.append(f"{m.title} {m.name}")
    speakers: list[Mention] = row_speakers(text, known) if "|" in text or "\t" in text else []
    if ("nterest" in text or "ecuniary" in text or "DPI" in text or "on-financial" in text) and (
            "\n" in text or _DIGIT.search(text)):
        speakers += declaration_lines(text, known)
    if not phrases:
        return speakers
    for chain in _chains(text, phrases):
        first_start = phrases[chain[0]][0]
        last_end = phrases[chain[-1]][1]
        if chain[0] and _CAPACITY.fullmatch(text, phrases[chain[0] - 1][1], first_start):
            continue  # "Councillor Baxter, as Chairman of the Audit Committee, asked": his capacity
        agent = _agent_before(text, first_start)
        if agent and _MOTION_BY.search(text, max(0, first_start - 20), first_start) \
                and not _MOVED_AFTER.match(text, last_end):
            continue
        if agent and _NOMINEE.match(text, last_end) and _BARE_MOTION.search(text, max(0, first_start - 16),
                                                                            first_start):
            continue  # "Proposed Councillor Lake as Chair": the one proposed, not the proposer
        if agent and "withdrawn" in text and _WITHDRAWN.match(text, last_end) \
                and "uestion" in text[max(0, first_start - 40):first_start]:
            continue  # the question was never put (a motion moved and then withdrawn was moved)
        if not agent and "\n" in text and _QA_LINE.search(text, max(0, first_start - 14), first_start) \
                and _QA_PAIR.search(text):
            agent = True
        if not agent and "\n" in text and _LINE_OPEN.search(text, max(0, first_start - 12), first_start) \
                and _ABOUT.match(text, last_end) and _QUESTIONS_LEAD.search(text, 0, first_start):
            agent = True
        if not agent and ("esponse" in text or "nswer" in text or "eply" in text):
            agent = bool(_QUESTION_TO.search(text, max(0, first_start - 140), first_start)
                         and _WITH_ANSWER.match(text, last_end))
        verb = None if agent else _AFTER.match(text, last_end)
        if verb and "\n" in text[last_end:verb.start(_verb_group(verb))] \
                and not verb.group("dash") and _HEADING_LINE.search(text, 0, first_start):
            verb = None  # "(a) Former Alderman Hosking\nreported": the heading names a topic
        if not verb and not agent and "nterest" in text:
            verb = _DECLARED.match(text, last_end)
            if verb and not (verb.group("dash") or "\n" in text[:first_start]
                             and _LIST_ENTRY.search(text, 0, first_start)):
                verb = None  # "personal interest in …" is a declaration only in a list entry
        if not verb and not agent and _LINE_OPEN.search(text, max(0, first_start - 12), first_start):
            verb = _ENTRY_DASH.match(text, last_end)
        relative = None
        if not verb and not agent and "aving" in text[max(0, first_start - 160):first_start]:
            # "Having declared an interest, Councillor Ward left the room": the opening participle
            # is the subject's own act
            verb = relative = _HAVING.search(text, max(0, first_start - 160), first_start)
        if not verb and not agent:
            # "the Committee agreed to hear Ms Anand, who addressed the Committee": a relative
            # clause gives even an object its own speech verb
            verb = relative = _WHO.match(text, last_end)
        if verb and not relative and "verb" in verb.re.groupindex and verb.group("verb") == "presented" \
                and _handed_to_person(text, verb.end(), phrases):
            verb = None
        if not verb and not agent and speakers and "\n" not in text[speakers[-1].start:first_start] \
                and _CLAUSE_OPEN.search(text, max(0, first_start - 8), first_start):
            # "Councillor Nowicki declared an interest in item 9 …; Councillor Marsh likewise":
            # an elliptical clause repeats the act just reported
            verb = _LIKEWISE.match(text, last_end)
        members = _without_bare_posts(text, [phrases[i] for i in chain])
        if agent:
            chosen, how = members, "agent"
        elif verb:
            how = "subject"
            chosen = members if relative or not _is_object(text, first_start) or _absolute(
                text, first_start, verb) else (members[-1:] if len(members) > 1 else [])
        else:
            handover = _HANDOVER.search(text, max(0, first_start - 40), first_start)
            named = members[0][2][0]
            if handover and named.kind not in (ANONYMOUS, "pronoun"):
                if handover.group("ask"):
                    state.asked = named
                elif named.name and re.match(r"\s+to\b", text[last_end:last_end + 4]):
                    state.handed_to = named
            continue
        verb_text = ""
        if verb and verb.re is _LIKEWISE:
            verb_text = speakers[-1].verb
        elif verb:
            verb_text = " ".join(verb.group(_verb_group(verb)).lower().split()) \
                if "verb" in verb.re.groupindex \
                else "declared"
        for start, _end, mentions in chosen:
            for mention in mentions:
                mention = _referent(text, start, mention, how, state)
                if mention is None:
                    continue
                mention = Mention(mention.raw, mention.kind, mention.title, mention.name,
                                  mention.role, mention.how if mention.how in (
                                      "pronoun", "anaphor") else how, mention.start, verb_text)
                speakers.append(mention)
                if how == "subject":
                    state.subject, state.handed_to = mention, None
                    if mention.how != "pronoun":
                        state.asked = None
                if mention.kind == COUNCILLOR and mention.name:
                    state.councillor = mention
    return sorted(speakers, key=lambda m: m.start)


def _handed_to_person(text: str, end: int, phrases: list[Phrase]) -> bool:
    """True when "presented" at ``end`` hands a thing to a person ("the Chain of Office to
    Councillor Sowerby") rather than business to the meeting."""
    for start, _e, mentions in phrases:
        if end < start <= end + 80:
            m = _GIVEN_TO.fullmatch(text, end, start)
            return bool(m) and mentions[0].kind not in (ANONYMOUS, "pronoun") \
                and not _BUSINESS.search(m.group("thing"))
    return False


_WITH = re.compile(r"\bwith\s+$", re.IGNORECASE)


def _absolute(text: str, start: int, verb: re.Match[str]) -> bool:
    """"… elected as vice-chair, with Cllr Harker proposing the item": after "with" a person and
    a speech participle are a clause of their own, so the person is its subject."""
    if "verb" not in verb.re.groupindex:
        return False
    word = verb.group(_verb_group(verb))
    return word.endswith("ing") and bool(_WITH.search(text, max(0, start - 6), start))


def _without_bare_posts(text: str, members: list[Phrase]) -> list[Phrase]:
    """Drop posts written without an article right after a named person: in "Councillor
    Gale, Deputy Leader and Cabinet Member for Resources, responded" the posts are Gale's
    (an apposition), while "Councillor Gale, the Leader and the Mayor" lists three people."""
    if len(members) < 2:
        return members
    out = [members[0]]
    describing = False
    for prev, phrase in zip(members, members[1:]):
        m = phrase[2][0]
        bare = len(phrase[2]) == 1 and not m.name and bool(m.role) and m.kind != ANONYMOUS \
            and not m.raw.lower().startswith("the ")
        gap = text[prev[1]:phrase[0]]
        if bare and ((prev[2][0].name and gap.strip() == ",") or (describing and _AND.search(gap))):
            describing = True
            continue
        describing = False
        out.append(phrase)
    return out


def _referent(text: str, start: int, mention: Mention, how: str, state: _State) -> Mention | None:
    """The person a phrase stands for: itself, or whom a pronoun / "the Member" means."""
    if mention.kind == ANONYMOUS:
        if how == "subject" and _THE_MEMBER.fullmatch(mention.raw) and state.councillor:
            return dataclasses.replace(state.councillor, raw=mention.raw, how="anaphor",
                                       start=start)
        if how == "subject":
            state.subject = None
        return None
    if mention.how != "pronoun":
        return mention
    if how != "subject" or not _PRONOUN_OK.search(text, max(0, start - 30), start):
        return None
    gender = _GENDER.get(mention.raw, "")
    answering = _verb_after(text, start + len(mention.raw)) in _ANSWERS
    for candidate in (state.handed_to, state.asked if answering else None, state.subject):
        if candidate is not None and _gender(candidate) in ("", gender):
            return dataclasses.replace(candidate, raw=mention.raw, how="pronoun", start=start)
        if candidate is not None:
            return None  # the person just spoken of is of the other sex: nobody, not a guess
    return None


def _verb_after(text: str, end: int) -> str:
    verb = _AFTER.match(text, end)
    return verb.group(_verb_group(verb)).split(" ")[0].lower() if verb else ""


def _verb_group(verb: re.Match[str]) -> str:
    """The group holding the speech verb: "verb", or "base" after "proceeded to"."""
    return "base" if verb.group("verb") is None else "verb"


def _chains(text: str, phrases: list[Phrase]) -> list[list[int]]:
    """Coordinated phrases as units: "A and B", "A, B and C", "A, role; B, role; and C".

    A bare comma links only inside such a list ("a question from Cllr Bryce, the
    Director said" is two clauses).
    """
    chains: list[list[int]] = []
    links: list[list[str]] = []
    for i, (start, _end, mentions) in enumerate(phrases):
        gap = text[phrases[i - 1][1]:start] if i else ""
        link = _LINK.match(gap) if chains and mentions[0].how != "pronoun" else None
        if link and link.group("desc") and not text.startswith(("Councillors", "Cllrs"), start):
            link = None
        if link and phrases[chains[-1][-1]][2][0].how != "pronoun":
            chains[-1].append(i)
            # a semicolon separates the items of a list, never two clauses with no words between
            links[-1].append("and" if "&" in gap or ";" in gap or _AND.search(gap) else ",")
        else:
            chains.append([i])
            links.append([])
    return [part for chain, kinds in zip(chains, links) for part in _split_chain(chain, kinds)]


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
    before = text[max(0, start - 24):start].lower().split()
    if before and before[-1] == "the":
        before.pop()
    if before and before[-1][:1] == "(" and len(before[-1]) > 1:  # "proposed (by Councillor X)"
        before[-1] = before[-1][1:]
    if not before or not (before[-1] in _CUE_WORDS or before[-1][-1] in ":-–—"
                          or before[-2:] in (["motion", "of"], ["proposition", "of"],
                                             ["according", "to"])):
        return False  # cheap: every agent cue ends in one of these
    lead_start = max(0, start - 100)
    m = _AGENT.search(text, lead_start, start)
    if not m:
        if before[-1] not in ("proposed", "seconded", "moved"):
            return False
        lead = text[max(0, start - 120):start]
        if "." in lead:  # "Proposed Cllr. P Redgate, seconded Cllr. S Le Fevre": a title's dot
            lead = _TITLE_DOT.sub(r"\1 ", lead)  # ends no clause
        return bool(_VERBLESS_MOTION.search(lead))
    clause = text[max(0, start - 200):m.start()]
    if _RESOLVED.search(clause[max(clause.rfind("."), clause.rfind("\n")) + 1:]):
        return False  # "resolved … the points raised by X": a decision, not a report of speech
    if _NOT_YET.search(text, max(0, m.start() - 50), m.start()):
        return False  # "He would get an update from Ms Etheridge": not said at this meeting
    participle = m.group("pp") or m.group("pf")
    if participle and participle.lower() in _NOUN_BOUND:
        return bool(_NEEDS_NOUN.search(text, max(0, m.start() - 60), m.start()))
    return True


# --- attributing -------------------------------------------------------------------

def attribute(passages: Sequence[Passage], people: Sequence[Member] = (),
              chair: str | None = None) -> tuple[Passage, ...]:
    """``passages`` with ``speakers`` (canonical) and ``raw_speakers`` (as written) filled.

    ``people`` is the meeting's attendance plus the committee's membership;
    ``chair`` names who chaired when known. A pronoun at the start of a passage
    continues the previous passage's last speaker (within one section). Names
    written without a title are recognised when ``people`` holds them or when the
    item introduces them with a role ("Lena Voss (Head of Inclusion)").
    """
    known = known_names(people)
    found, seen = _attribute_pass(passages, known)
    introduced = [m.name for ms in found for m in ms
                  if m.name and not m.title and " " in m.name and m.name not in known.kinds]
    # A second reading finds the later untitled mentions of names an item introduced.
    if introduced and any(sum(p.text.count(name) for p in passages) > 1 for name in introduced):
        known = known_names(people, introduced)
        found, seen = _attribute_pass(passages, known)
    if not any(found):  # the common case: nobody speaks, no directory needed
        return tuple(_with_speakers(p, (), ()) for p in passages)
    extra = [f"{m.title or 'Councillor'} {m.name}" for ms in found for m in ms
             if m.name and m.kind == COUNCILLOR]
    extra += [f"{m.title} {m.name}".strip() for ms in found for m in ms
              if m.name and m.kind != COUNCILLOR]
    extra += seen  # "substituted by Mr Jack Dunn" makes a later "Mr Dunn" Mr Jack Dunn
    roles = [m.role for ms in found for m in ms if m.role and not m.name]
    directory = Directory(people, chair, dict.fromkeys(extra), dict.fromkeys(roles))
    out = []
    for passage, mentions in zip(passages, found):
        names = tuple(dict.fromkeys(resolve(m, directory) for m in mentions))
        raws = tuple(dict.fromkeys(m.raw for m in mentions))
        out.append(_with_speakers(passage, names, raws))
    return tuple(out)


def _with_speakers(passage: Passage, names: tuple[str, ...], raws: tuple[str, ...]) -> Passage:
    """``passage`` with these speakers: itself when it already has them (the common case of
    nobody), else a copy built directly (several times cheaper than ``dataclasses.replace``)."""
    if passage.speakers == names and passage.raw_speakers == raws:
        return passage
    return Passage(passage.anchor, passage.text, names, raws, passage.section, passage.page)


def _attribute_pass(passages: Sequence[Passage], known: KnownNames,
                    ) -> tuple[list[list[Mention]], list[str]]:
    """Speakers of each passage, and every titled name written anywhere in them."""
    found: list[list[Mention]] = []
    seen: list[str] = []
    state = _State()
    section = None
    for passage in passages:
        if passage.section != section:
            seen += state.names
            state, section = _State(), passage.section
        found.append(_find(passage.text, state, known))
    return found, seen + state.names
