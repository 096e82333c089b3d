"""The speech-act lexicon: which verbs, phrases and passives report that someone spoke.

Minutes report speech in the third person, and a person phrase counts as a speaker
only when a speech act governs it. The lexicon is grouped by *why* a verb reports
speech, so a new entry is judged against a class, not added because one passage
failed (docs/speakers.md gives the reasoning for each class):

- ``SAY``: verbs whose meaning is an utterance (said, stated, remarked).
- ``ASK``: asking and seeking (asked, queried, sought); a question is speech.
- ``ANSWER``: answering and informing (replied, confirmed, advised, explained).
- ``PRESENT``: presenting business to the meeting (presented, introduced, reported,
  summarised); in minutes the presenter speaks to the item.
- ``MOTION``: moving business (moved, seconded, proposed, nominated, tabled).
- ``DECLARE``: declaring interests (declared, disclosed); a declaration is made
  aloud at the meeting and is the most searched-for speech act.
- ``STANCE``: verbs that report a position taken aloud (welcomed, objected,
  urged, felt, believed); minutes use them only for what was said.

Verbs that need an object to be speech are phrasal entries (``made a statement``,
``gave an update``, ``put a question``, ``read out``), so "made a decision" or
"gave apologies" stay silent. Passive and nominal forms (``seconded by``, ``a question
from``, ``it was moved by``, ``a question had been received from``) name the agent.
Deliberately absent: ``attended``, ``voted``, ``left``, ``joined``, ``was present``:
being there or voting is not speaking.
"""

from __future__ import annotations

import re

__all__ = ["ADVERB", "AGENT", "BASE_VERBS", "LEXICON", "NEEDS_NOUN", "VERBS", "verb_class"]

LEXICON: dict[str, tuple[str, ...]] = {
    "SAY": ("said stated added remarked commented mentioned observed noted continued "
            "concluded reiterated repeated echoed spoke summed stressed emphasised "
            "emphasized underlined highlighted pointed referred recalled quoted cited "
            "announced explained intimated told ruled asserted maintained claimed affirmed").split(),
    "ASK": ("asked queried questioned enquired inquired sought wondered requested "
            "challenged raised probed").split(),
    "ANSWER": ("replied responded answered confirmed clarified advised informed assured "
               "reassured undertook agreed accepted acknowledged conceded indicated "
               "reported updated briefed notified explained").split(),
    "PRESENT": ("presented introduced outlined summarised summarized described detailed "
                "shared elaborated").split(),
    "MOTION": "moved seconded proposed nominated tabled submitted".split(),
    "DECLARE": "declared disclosed".split(),
    "STANCE": ("welcomed thanked praised congratulated commended objected opposed supported "
               "argued contended insisted disagreed felt considered believed thought hoped "
               "wished suggested recommended urged encouraged invited reminded warned "
               "cautioned recognised recognized apologised apologized offered promised "
               "voiced expressed addressed called disputed concurred advocated endorsed").split(),
}

# Phrasal and light-verb forms: the verb alone is not speech, verb + object is.
_SPEECH_NOUNS = (r"(?:statement|comment|point|proposal|presentation|speech|representation|"
                 r"suggestion|observation|plea|declaration|remark|announcement|reference|"
                 r"update|overview|report|summary|briefing|introduction|explanation|assurance|"
                 r"response|answer|reply|account|communication|advice|feedback|reason|"
                 r"clarification|thanks|tribute|question|query|enquiry|request|case|"
                 r"submission|contribution|prayer|blessing)")
PHRASES = (
    r"pointed\s+out|went\s+on|drew|put\s+forward|took\s+the\s+opportunity|set\s+out"
    r"|laid\s+before"  # "laid before the Council the summons": putting business to the meeting
    r"|read\s+out|read\s+(?:a|an|the)\s+(?:\w+\s+)?(?:statement|letter|question|email|extract)"
    # "provided the scrutiny committee with an update": up to six words before the noun
    r"|made\s+reference|(?:made|gave|provided)\s+(?:(?:[\w'’-]+)\s+){0,6}?" + _SPEECH_NOUNS + r"s?\b"
    r"|put\s+(?:(?:a|an|the|his|her|their|two|three|further|supplementary|following)\s+)+"
    r"(?:\w+\s+)?(?:questions?|motion|amendment|proposal|case)"
    # "paid tribute", "extended sympathy / condolences / a welcome": only with the courtesy
    # they convey, so "paid the invoice" or "extended the deadline" stay silent
    r"|paid\s+(?:(?:a|an|his|her|their|warm|fitting|special|glowing)\s+)*tributes?"
    r"|extended\s+(?:(?:a|an|the|his|her|their|its|warm|warmest|heartfelt|sincere|deepest|"
    r"best|council's|committee's)\s+)*(?:sympathy|sympathies|condolences|thanks|welcome|"
    r"congratulations|best\s+wishes|good\s+wishes|gratitude|appreciation|invitation)"
    # giving notice of a motion, putting a point to the meeting, leading or taking questions
    r"|gave\s+notice|put\s+it\s+to"
    r"|returned\s+(?:(?:his|her|their|warm|sincere)\s+)*thanks"
    # a member putting an absent questioner's question: "represented Mr Amey in his absence"
    r"|represented\s+(?:[\w.'’-]+\s+){1,4}?in\s+(?:his|her|their)\s+absence"  # the new Chairman's thanks, said aloud
    r"|led\s+(?:(?:the|a|an)\s+)?(?:discussion|debate|presentation)"
    r"|led\s+(?:members|the\s+[\w-]+|\w+)\s+through"
    r"|(?:took|fielded)\s+(?:(?:a|any|further|several|some|the)\s+)?questions"
    # reading out or delivering a decision, a prayer or a statement is saying it aloud
    r"|(?:read(?:\s+out)?|delivered)\s+(?:(?:the|a|an|its|his|her|their|[\w-]+['’]s)\s+){1,2}"
    r"(?:[\w-]+\s+)?(?:decision|determination|verdict|statement|speech|address|prayer|"
    r"notice|findings|reasons|summons)"
    # leading the meeting in prayer is praying aloud ("led the Council in prayer", "led prayers")
    r"|led\s+(?:(?:the|a|an|its|[\w-]+['’]s)\s+)?(?:[\w-]+\s+){0,2}?(?:in\s+)?(?:prayers?|a\s+prayer)\b"
    # a presiding member giving the floor, like "invited": "handed over to the Leader, who reported"
    r"|handed\s+over\s+to"
    r"|spoke|talked|took\s+(?:members|the\s+\w+|\w+)\s+through|walked\s+(?:members\s+)?through"
    r"|responding|speaking|presenting|introducing|replying|answering|proposing|seconding"
)

_ALL = sorted({v for verbs in LEXICON.values() for v in verbs}, key=len, reverse=True)
VERBS = r"(?:" + "|".join(_ALL) + "|" + PHRASES + ")"


def _bases(verb: str) -> set[str]:
    """Plain forms of a past-tense lexicon verb: "presented" -> present, "replied" -> reply."""
    irregular = {"said": "say", "sought": "seek", "spoke": "speak", "told": "tell",
                 "thought": "think", "felt": "feel", "undertook": "undertake"}
    if verb in irregular:
        return {irregular[verb]}
    if verb.endswith("ied"):
        return {verb[:-3] + "y"}
    if verb.endswith("ed"):
        return {verb[:-2], verb[:-1]} | ({verb[:-3]} if verb[-3] == verb[-4] else set())
    return {verb}


# "The Licensing Officer proceeded to present the application": the plain form after a verb
# of going on, with the same lexicon.
BASE_VERBS = r"(?:" + "|".join(sorted({b for v in _ALL for b in _bases(v)}, key=len, reverse=True)) \
    + r"|read\s+out|give|make|put)"

# Words minutes put between a subject and its verb ("Councillor Reed also asked").
ADVERB = (r"(?:also|further|then|again|briefly|subsequently|additionally|later|firstly|first|"
           r"finally|specifically|in\s+particular|in\s+response|in\s+reply|in\s+turn|"
           r"in\s+addition|however|therefore|thus|accordingly|similarly|too|formally|verbally|"
           r"duly|kindly|clearly|strongly|fully|warmly|personally|separately|both|all|"
           r"each|jointly|subsequently)")

# Agent forms: a person phrase right after one of these spoke ("seconded by X",
# "a question from X", "it was moved by X", "a question had been received from X").
# A speech verb's passive names its agent ("Members were reminded by the Chair", "having been
# invited by the Mayor"): every lexicon verb counts except those whose passive reports a
# view or a past act rather than speech at the meeting ("recommended by" a report, "requested
# by" an earlier meeting, "supported by" a vote, "considered by" the Committee).
_NOT_PASSIVE = frozenset("considered recommended requested called felt believed thought "
                         "hoped wished offered promised shared agreed accepted recognised "
                         "recognized cited quoted ruled claimed maintained".split())
_PASSIVES = sorted({v for verbs in LEXICON.values() for v in verbs} - _NOT_PASSIVE
                   | {"put", "delivered", "made", "given", "led", "received", "provided"},
                   key=len, reverse=True)
AGENT = re.compile(
    # Every alternative opens a word with a letter or starts at a quote mark: saying so once
    # up front spares trying each of them at every position (twice as fast).
    r"(?=\b[a-z]|[,'’\"”])"
    r"(?:\b(?P<pp>" + "|".join(_PASSIVES) + r"|read(?:\s+out)?)"
    r"(?:\s*\([^()]{1,40}\))?(?:\s+to)?"
    # "nominated for the post of Convener by X" (but "confirmed as a record and signed by")
    r"(?:\s+(?:for|as)\s+(?:(?!\band\b)[^.;:,()]){1,40}?)?"
    # "made (Minute 113 refers) by", "responded to by", "proposed (by X)"
    r"(?:\s+|\s*\(\s*)by"
    r"|\b(?P<pf>received|heard)\s+from"
    r"|\bheard"  # Scottish minutes: "The Committee heard Mr Rennie, who outlined …"
    r"|\b(?P<noun>questions?|query|queries|comments?|points?|proposal|motion|amendment|"
    r"statement|presentation|suggestions?|concerns?|remarks?|observations?|update|response|"
    r"answer|reply|clarification|explanation|introduction|challenge|representations?|speech|"
    r"contributions?|verbal\s+(?:report|update)|declarations?|deputation|prayers?|reading|blessing|"
    r"supplementary(?:\s+question)?)"
    r"(?:\s+(?:no\.?\s*)?\d{1,3}[a-z]?)?"  # "Question 1 from Councillor X"
    r"(?:\s+(?:raised|made|put|asked|posed|given|submitted|tabled|received|read\s+out))?"
    r"(?:\s+(?:on|about|regarding|in\s+relation\s+to)\s+[^.;:]{1,50}?)?"
    r"\s+(?:from|by)(?:\s+[^.;:]{1,40}?\s+and\s+(?:from|by))?"
    r"|\b(?:proposer|seconder|proposed|seconded|moved)(?:\s+by)?\s*[:\-–—]"
    # "tributes were paid to Mrs Rudge by Mr Hollis, Dr Okonjo and Mr Fenwick": the courtesy's
    # passive, with the person honoured between it and its agent
    r"|\b(?:tributes?|condolences|congratulations|thanks)\s+(?:were|was|had\s+been)\s+"
    r"(?:paid|extended|given|expressed|offered|conveyed)(?:\s+to\s+[^.;:]{1,60}?)?\s+by"
    r"|\b(?:up)?on\s+the\s+(?:motion|proposition)\s+of"  # "Upon the proposition of X, seconded by Y"
    # "The following addressed the Committee: Mr A Ford (objector); Mrs B Rowe (supporter)"
    r"|\b(?:addressed|spoke\s+to)\s+the\s+[\w-]+(?:\s+[\w-]+)?\s*:"
    r"|\baccording\s+to"
    r"|[,'’\"”]{2,3}\s+(?:said|asked|added|replied|explained|continued|stated)"  # '…,' said X
    r")\s+(?:the\s+)?$", re.IGNORECASE)

# "made by", "given by", "received from", "provided by" name a speaker only after a speech
# noun ("a proposal was made by the Chair", "a question had been received from X"), not in
# "a decision made by the Director" or "apologies were received from X".
NEEDS_NOUN = re.compile(
    r"\b(?:proposal|motion|amendment|statement|comments?|points?|suggestion|presentation|request|"
    r"representations?|declaration|speech|observations?|remarks?|update|overview|briefing|"
    r"explanation|assurances?|answer|response|reply|summary|introduction|report|questions?|"
    r"discussion|debate|deputation|petition|query|queries|submission|advice|guidance|"
    r"clarification|assurance|tribute|prayers?|blessing|reading|reflection)\b"
    r"[^.;]{0,40}$", re.IGNORECASE)
NOUN_BOUND = frozenset({"made", "given", "led", "put", "received", "provided", "submitted"})
DECLARE_NOUN = re.compile(r"(?:(?:a|an)\s+)?(?:[\w-]+\s+){0,3}interests?\b")

_CLASS = {v: name for name, verbs in LEXICON.items() for v in verbs}


def verb_class(verb: str) -> str:
    """The lexicon class of a matched verb ("declared" -> "DECLARE"), "PHRASE" otherwise."""
    return _CLASS.get(verb.split()[0].lower(), "PHRASE")
