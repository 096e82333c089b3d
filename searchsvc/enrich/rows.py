"""Speakers in table rows: declarations tables and question-and-answer tables.

Minutes often set business out as a table whose cells the parser joins with " | "
(or tabs): "Councillor Rennie | 8.1 | School governor | Private interest" records a
declaration, "Councillor A | Councillor B | question | answer" a question put by A
and answered by B. A row has no verb, so the table's shape stands in for one: the
people in whole-person cells spoke when the rest of the row is a declaration, a
question, or (two people and a passage of prose) a question and its answer, wherever
the person cells stand. Recorded vote rows ("For | Councillors …") name voters and
appointment rows ("Committee | previous member | new member") name appointees: neither
spoke.
"""

from __future__ import annotations

import re

from searchsvc.enrich.names import ANONYMOUS, PERSON, Mention
from searchsvc.enrich.phrases import KnownNames, person_phrases

__all__ = ["declaration_lines", "row_speakers"]

_SEP = re.compile(r"\s*\|\s*|\t+")
_VOTE = re.compile(r"(?:for|against|abstain(?:ed|ing)?|abstentions?|absent|did\s+not\s+vote|"
                   r"casting\s+vote|in\s+favour|not\s+voting|vote[sd]?)\b(?:\s*\(\d+\))?\s*:?\s*$",
                   re.IGNORECASE)
_DECLARATION = re.compile(r"interest|pecuniary|non[\s-]?financial|\bDPIs?\b|prejudicial|declar|dispensation",
                          re.IGNORECASE)


def row_speakers(text: str, known: KnownNames | None = None) -> list[Mention]:
    """The people who spoke according to the table rows in ``text`` (in row order)."""
    out: list[Mention] = []
    listing = bool(_DECLARATIONS_LIST.search(text))
    name_column = None  # a header cell "Councillor" / "Member" / "Name" makes its column people
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if "|" not in line and "\t" not in line:
            continue
        for cells in _rows(_SEP.split(line.strip().strip("|").strip()), known):
            listing, name_column = _row(cells, line, start, known, listing, name_column, out)
    return out


def _rows(cells: list[str], known: KnownNames | None) -> list[list[str]]:
    """One line's cells as table rows: a table flattened without its line breaks runs the next
    row's person into the last cell of the row before ("… | Left the meeting Councillor I
    Beveridge | 9 | …", "… | Action Provost A Gow | 10 | …"); the person starts a new row."""
    if len(cells) < 4 or not (_NAME_HEADER.fullmatch(cells[0].strip())
                              or _whole_cell_person(cells[0], known)):
        return [cells]
    rows = [[cells[0]]]
    for cell in cells[1:]:
        cut = _trailing_person(cell, known)
        if cut:
            rows[-1].append(cell[:cut].strip())
            rows.append([cell[cut:].strip()])
        else:
            rows[-1].append(cell)
    return rows


def _trailing_person(cell: str, known: KnownNames | None) -> int:
    """Where a titled person phrase that ends ``cell`` starts, after other words (else 0)."""
    cell = cell.rstrip(" .,;:")
    if " " not in cell.strip():
        return 0
    phrases = person_phrases(cell, known)
    if not phrases:
        return 0
    begin, end, mentions = phrases[-1]
    if end != len(cell) or not cell[:begin].strip() or len(mentions) != 1 or not mentions[0].title:
        return 0
    return begin


# The nature of a declaration as a table cell ("Financial", "Non-Financial", "Other Registrable")
_NATURE = re.compile(r"(?:non[\s-]?)?(?:financial|pecuniary|registrable|prejudicial|personal|significant|"
                     r"disclosable\s+pecuniary|other\s+registrable)(?:\s+interests?)?", re.IGNORECASE)


def _row(cells: list[str], line: str, start: int, known: KnownNames | None, listing: bool,
         name_column: int | None, out: list[Mention]) -> tuple[bool, int | None]:
    """Read one row into ``out``; returns the table state (declarations list?, name column)."""
    if len(cells) < 2 or any(_VOTE.match(c.strip()) for c in cells):
        return listing, name_column
    header = [n for n, c in enumerate(cells) if _NAME_HEADER.fullmatch(c.strip())]
    if header:
        return listing or any(_DECLARATION.search(c) for c in cells), header[0]
    people: list[Mention] = []
    rest: list[str] = []
    for n, cell in enumerate(cells):
        person = _whole_cell_person(cell, known)
        if person is None and n == name_column and _NAME_CELL.fullmatch(cell.strip()):
            raw = cell.strip()  # "H.A.L. Edwards" under a "Councillor" heading
            person = Mention(raw, PERSON, "", raw)
        if person is None:
            rest.append(cell)
            continue
        where = start + max(0, line.find(cell))
        people.append(Mention(person.raw, person.kind, person.title, person.name,
                              person.role, how="row", start=where))
    if not people:
        return listing, name_column
    prose = " ".join(rest)
    if _DECLARATION.search(prose) or any(_NATURE.fullmatch(c.strip()) for c in rest):
        # in a declaration row an office without a name is the interest declared
        # ("Director of the Harbour Users Association"), not a second person
        named = [p for p in people if p.name]
        out.extend(named or people)
    # A question (and its answer). Two people beside a short label ("Planning
    # Committee | Councillor A | Councillor B") is an appointment.
    elif "?" in prose or (listing and len(people) == 1) or (
            len(people) >= 2 and len(prose.split()) >= 8):
        out.extend(people)
    return listing, name_column


def _whole_cell_person(cell: str, known: KnownNames | None) -> Mention | None:
    """The one person phrase a cell consists of ("Councillor Ross (Cabinet Member)"), if any."""
    cell = cell.strip().rstrip(".,;:")
    if not cell or len(cell) > 120:
        return None
    phrases = person_phrases(cell, known)
    if len(phrases) != 1:
        return None
    start, end, mentions = phrases[0]
    rest = (cell[:start] + cell[end:]).strip(" ,()")
    if len(mentions) != 1 or rest or mentions[0].kind in (ANONYMOUS, "pronoun"):
        return None
    return mentions[0]


_NAME_HEADER = re.compile(r"(?:councillors?|members?|member\s+name|name|declared\s+by)",
                          re.IGNORECASE)
_NAME_CELL = re.compile(r"(?:[A-Z]\.?\s*){1,4}\s*[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"
                        r"|[A-Z][a-z]+\s+(?:[A-Z]\.?\s+)?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?")


_SURNAME_ENTRY = re.compile(r"[\s•·*]*(?P<name>[A-Z][\w'’-]+)\s+[-–—:]\s")


def _surname_entry(line: str, known: KnownNames):
    """ "Morley - Employee, Headingley Trust" in a declarations list: a bare surname that
    names exactly one person of the meeting (a bare surname is never enough elsewhere)."""
    m = _SURNAME_ENTRY.match(line)
    if not m:
        return []
    full = known.by_surname(m.group("name"))
    if not full:
        return []
    kind = known.kinds[full]
    return [(m.start("name"), m.end("name"),
             [Mention(m.group("name"), kind, "", full, start=m.start("name"))])]


# A flattened declarations table: "Councillor Pengelly 78: Harbour Policy Licence holder
# Disclosable Pecuniary" — the declarer(s) first, then a minute or item number.
_MINUTE_NUMBER = re.compile(r"\s*(?:minute\s+|item\s+)?\d{1,3}[a-z]?(?:\.\d{1,2})?[:.)]?(?:\s|$)",
                            re.IGNORECASE)
_DECLARATIONS_LIST = re.compile(r"(?:declarations?|disclosures?)\s+of\s+(?:\w+\s+){0,2}interests?|interests?\s+"
                                r"(?:were|was)\s+declared|declared\s+the\s+following"
                                # "Members declared personal interests in minute 96 as follows:"
                                r"|declared\b[^.\n]{0,120}?(?:as\s+follows|:)", re.IGNORECASE)
_LINE_LEAD = re.compile(r"[\s•·*–-]*(?:(?:minute\s+|item\s+)?\d{1,3}[a-z]?(?:\.\d{1,2})?[:.)]?\s+)?",
                        re.IGNORECASE)
# "(non-pecuniary – member of the hall committee)": the level may open a bracket after the name
_LEVEL = re.compile(r"\(?\s*(?:non[\s-]?)?(?:personal|financial|prejudicial|significant|other|registrable|non-registrable|"
                    r"private|pecuniary|disclosable|interests?)\b", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:,|and|&)\s*(?:and\s+)?$")


def declaration_lines(text: str, known: KnownNames | None = None) -> list[Mention]:
    """Declarers in a declarations list or flattened table, one entry per line.

    A line counts when it opens (after an optional minute number or bullet) with the
    declarer(s) and the rest is a minute number, a dash, an interest, or nothing, and
    either the line names an interest or the passage is a declarations list (its
    heading or lead-in speaks of declarations of interest): "Councillor Pengelly 78:
    … Disclosable Pecuniary", "12 Councillor Ross Personal", "Councillor Ross".
    """
    out: list[Mention] = []
    listing = bool(_DECLARATIONS_LIST.search(text))
    offset = 0
    for whole in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(whole)
        # only a line that itself names interests is cut into entries ("Apologies: A; B" is not)
        entries = _entries(whole, line_start) if _DECLARATION.search(whole) else [(line_start, whole)]
        for start, line in entries:
            _declaration_line(line, start, listing, known, out)
    return out


# "Declarations of interest: Item 7: Cllr Westlake (non-pecuniary); Item 9: Mrs R Tennant
# (pecuniary …)": entries run together on one line, after a lead-in colon and between semicolons
_ENTRY_BREAK = re.compile(r";\s+|:\s+(?=(?:agenda\s+)?(?:item|minute)\s+\d)", re.IGNORECASE)


def _entries(line: str, start: int) -> list[tuple[int, str]]:
    if ";" not in line and ":" not in line:
        return [(start, line)]
    out, at = [], 0
    for m in _ENTRY_BREAK.finditer(line):
        out.append((start + at, line[at:m.end()].rstrip()))
        at = m.end()
    out.append((start + at, line[at:]))
    return out


def _declaration_line(line: str, start: int, listing: bool, known: KnownNames | None,
                      out: list[Mention]) -> None:
    """One entry of a declarations list, read into ``out`` when it records a declaration."""
    names_interest = bool(_DECLARATION.search(line))
    if not (names_interest or listing) or len(line) > 200:
        return
    phrases = person_phrases(line, known)
    if not phrases and listing and known is not None:
        phrases = _surname_entry(line, known)
    if not phrases or not _LINE_LEAD.fullmatch(line[:phrases[0][0]]):
        return
    lead = [phrases[0]]
    for phrase in phrases[1:]:
        if not _JOIN.match(line[lead[-1][1]:phrase[0]]):
            break
        lead.append(phrase)
    rest = line[lead[-1][1]:].strip()
    if not (_MINUTE_NUMBER.match(line, lead[-1][1]) or rest in (".", ";") or rest[:1] in ("", "-", "–", "—", ":")
            or _LEVEL.match(rest)):
        return  # "Councillor X had declared an interest earlier" is a sentence, not a row
    for begin, _end, mentions in lead:
        out.extend(Mention(m.raw, m.kind, m.title, m.name, m.role, how="row",
                           start=start + begin)
                   for m in mentions if m.kind not in (ANONYMOUS, "pronoun"))

