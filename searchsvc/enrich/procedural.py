"""Procedural items and declarations of interest.

Every meeting opens with apologies, declarations, the previous minutes and
"no urgent business". They match almost any query about the committee and bury
the items that matter, so the index flags them (and can rank them down or hide
them). An item is procedural only when its *title* is one of these routine kinds
*and* its minutes carry nothing substantive: "Declarations of Interest" where
Councillor Bass declared an interest is kept, because someone will search for it.

:func:`declarations` pulls who declared what interest in which item out of the
minutes prose ("Councillor X declared a non-pecuniary interest in item 5 as a
governor of…") so declarations can be shown and searched as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from searchsvc.enrich.speakers import find_speakers
from searchsvc.records import Declaration

__all__ = ["declarations", "is_procedural"]

# Titles that are always procedural, whatever the minutes say.
_ALWAYS = re.compile(
    r"apolog|substitut|(?<!\d)(?<!\d\s)minutes\b|previous\s+meeting|last\s+meeting|date[s]?\s+of\s+(?:the\s+)?"
    r"(?:next|future)\s+meeting|next\s+meeting|future\s+meeting|exclusion\s+of\s+(?:the\s+)?"
    r"(?:press|public)|exempt\s+(?:information|items?)|welcome\s+and\s+introductions?|"
    r"^\s*(?:\d+[.)]?\s*)?(?:welcome|introductions?|quorum|attendance)\s*$",
    re.IGNORECASE,
)
# Question items: public question time, questions from residents, members' questions, questions
# to the Leader or Cabinet. Procedural only when nobody asked anything.
_QUESTIONS = re.compile(
    r"\b(?:public|members?['’]?|councillors?['’]?|written|oral|residents?['’]?)\s+questions?\b|"
    r"\bquestions?\s+(?:time|from|by|to|under|submitted|received|and\s+answers)\b|"
    r"^\W*(?:\d+[a-z]?[.)]?\s*)?questions?\W*$|\bpublic\s+(?:forum|participation|speaking)\b|"
    r"\bopen\s+forum\b|\bdeputations?\b",
    re.IGNORECASE,
)
# "Minutes" items that carry substance (another body's minutes to note) are not routine.
_NOT_ROUTINE_MINUTES = re.compile(r"minutes\s+of\s+(?:the\s+)?(?!previous|last|meeting)\w+"
                                  r"(?:\s+\w+){0,4}\s+(?:committee|board|panel|forum|group)",
                                  re.IGNORECASE)
# Titles that are procedural only when the minutes say nothing happened.
_IF_EMPTY = re.compile(
    r"declarations?\s+of\s+(?:\w+\s+)?interests?|disclosures?\s+of\s+interests?|interests\b|"
    r"urgent\s+(?:business|items?|matters?)|any\s+other\s+business|\baob\b|"
    r"chair(?:man|person)?['’]?s?\s+announcements?|announcements?|"
    r"petitions?|public\s+questions?|public\s+question\s+time|"
    r"questions\s+from\s+(?:the\s+)?public|public\s+participation|matters\s+arising|"
    r"members['’]?\s+questions?",
    re.IGNORECASE,
)
# Minutes saying nothing happened: "There were no urgent items.", "None.",
# "No petitions were submitted."
_NOTHING = re.compile(
    r"^\s*(?:none(?:\s+(?:declared|received|submitted|were\s+\w+))?|nil|n/?a|not\s+applicable|"
    r"no\s+(?:\w+\s+){0,6}(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+){0,2}"
    r"(?:declared|received|submitted|made|raised|asked|tabled|reported|notified|given)|"
    r"there\s+(?:were|was|are|is)\s+no\s+[^.]{0,120}|"
    r"no\s+(?:declarations?|interests?|petitions?|questions?|urgent|announcements?|items?|"
    r"business|matters?)[^.]{0,120}|"
    r"(?:the\s+)?(?:chair|committee)\s+(?:did\s+not|had\s+no)\s+[^.]{0,80})[.;]?\s*$",
    re.IGNORECASE,
)
# "The Chair reported that …", "It was noted that …" before a "nothing happened" statement.
_REPORTED_THAT = re.compile(
    r"^(?:it\s+was\s+(?:noted|reported|confirmed|announced)|(?:the\s+)?\w+(?:\s+\w+){0,3}\s+"
    r"(?:reported|confirmed|advised|noted|announced|stated|informed\s+(?:the\s+)?\w+))\s+that\s+",
    re.IGNORECASE,
)
# Boilerplate printed under public-question items whether or not anyone asked.
_BOILERPLATE = re.compile(
    r"^(?:the\s+committee\s+set\s+aside\s+a\s+period|a\s+period\s+of\s+up\s+to|"
    r"questions\s+had\s+to\s+be\s+on)", re.IGNORECASE)


def _substantive(paragraphs: Iterable[str]) -> list[str]:
    """Paragraphs other than empty ones, "nothing happened" statements and boilerplate."""
    out = []
    for para in paragraphs:
        text = " ".join((para or "").split())
        if not text or _NOTHING.match(_REPORTED_THAT.sub("", text, count=1)) or _BOILERPLATE.match(text):
            continue
        out.append(text)
    return out


def is_procedural(title: str, paragraphs: Iterable[str]) -> bool:
    """True for routine items: apologies, previous minutes, dates of meetings, exclusion of
    press and public; and declarations, urgent business, announcements, petitions and
    public or members' questions when the minutes record that there were none (or are empty).

    Questions are checked first: what residents and councillors ask is what a journalist
    searches for, so a question item with any content is substance even when its title also
    names a routine thing ("Public Question Time (30 minutes)", "Minutes and Public Questions").
    """
    title = " ".join((title or "").split())
    if _QUESTIONS.search(title):
        return not _substantive(paragraphs)
    if _ALWAYS.search(title) and not _NOT_ROUTINE_MINUTES.search(title):
        return True
    if _IF_EMPTY.search(title):
        return not _substantive(paragraphs)
    return False


# --- declarations -----------------------------------------------------------------

_BOUNDARY = re.compile(r"(?:[.!?]|;)\s+")
# Words that end with a dot without ending a sentence ("Cllr. J. Reed declared…").
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Cllr|Cllrs|Mr|Mrs|Ms|Dr|Prof|Rev|Revd|St|No|Sgt|"
                           r"approx|para|e\.g|i\.e|cf))\.$")
_DECLARES = re.compile(r"\bdeclared?\b.*?\binterests?\b", re.IGNORECASE)
_KIND = re.compile(
    r"\b(?P<kind>non[-\s]?pecuniary|(?:disclosable\s+)?pecuniary|dpi|other\s+regist(?:e)?rable|"
    r"non[-\s]?registrable|personal(?:\s+and\s+prejudicial)?|prejudicial|significant|"
    r"registrable|registerable|other)\s+interests?\b",
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"\binterests?\b(?:\s+\w+){0,6}?\s+(?:in\s+relation\s+to|in\s+respect\s+of|with\s+regard\s+to|"
    r"relating\s+to|regarding|concerning|in|on|under)\s+(?:the\s+)?"
    r"(?P<item>(?:agenda\s+)?(?:item|minute|agenda)\b(?:[^,;()]|\((?:[^()]|\([^()]*\))*\))*?|(?:[^,;()]|\((?:[^()]|\([^()]*\))*\))*?)"
    r"(?=\s*(?:,|;|\.(?:\s|$)|$|\s+as\s+|\s+because\s+|\s+since\s+|\s+due\s+to\s+|"
    r"\s+by\s+virtue\s+|\s+and\s+(?:[a-z]+ed|left|took|did|would|will|remained)\b))",
    re.IGNORECASE,
)
# (The item may hold brackets, one level nested, with commas and semicolons inside: application
# references and addresses "item 4 (15/01672/OUT - 6 Tanners Yard, Hale)".)
_NO_DECLARATION = re.compile(r"\bno\s+(?:\w+\s+){0,3}interests?\b|\bnone\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """Split on . ! ? ; but not after initials and title abbreviations."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        head = text[start:m.start() + 1]
        if head.endswith(".") and _ABBREVIATION.search(head):
            continue
        if head.count("(") > head.count(")") and len(head) - head.rfind("(") < 300:
            # "(15/01672/OUT; 6 Tanners Yard, Hale)" is one phrase
            continue
        out.append(text[start:m.start() + 1].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _kind(text: str) -> str:
    m = _KIND.search(text)
    if not m:
        return ""
    word = m.group("kind").lower()
    if word.startswith("non") and "pecuniary" in word:
        return "non-pecuniary"
    if "pecuniary" in word or word == "dpi":
        return "pecuniary"
    return "other"


def declarations(title: str, paragraphs: Iterable[str]) -> tuple[Declaration, ...]:
    """Declarations of interest recorded in an item's minutes, in order.

    ``member`` is the declarer as written, titles normalised ("Councillor Bass",
    "Mr M Balfour", "The Chair"); :func:`searchsvc.enrich.enrich_item` resolves it
    against the meeting's people. ``item`` is the item the interest concerns as
    written ("item 5", "agenda 9 Coombe Lane West Zebra Crossing") or, when the
    minutes do not say, empty. ``title`` is accepted so a caller can pass every
    item; declarations are found wherever they are recorded.
    """
    del title  # declarations are recognised by their wording, not the item they sit under
    found: list[Declaration] = []
    for para in paragraphs:
        text = " ".join((para or "").split())
        if "declar" not in text.lower():
            continue
        for chunk in _sentences(text):
            if not _DECLARES.search(chunk):
                continue
            if _NO_DECLARATION.search(chunk) and not re.search(r"\bdeclared\s+(?:a|an)\b", chunk):
                continue
            members = [m for m in find_speakers(chunk) if m.verb == "declared"]
            if not members:
                continue
            item_match = _ITEM.search(chunk)
            item = item_match.group("item").strip() if item_match else ""
            kind = _kind(chunk)
            for mention in members:
                name = f"{mention.title} {mention.name}".strip() if mention.name else mention.raw
                if not mention.name and mention.role:
                    name = mention.raw[0].upper() + mention.raw[1:]
                found.append(Declaration(member=name, item=item, kind=kind, text=chunk))
    return tuple(dict.fromkeys(found))
