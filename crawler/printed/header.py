"""The title block and attendance of printed minutes, read into ``records.Member`` rows.

Printed minutes open with the committee and date, then labelled lists: "PRESENT:" (councillors,
roles in brackets or after a comma: "Councillor Jan Reed (Chair)", "Councillor D Esmond,
Mayor"), "Also present:", officers ("Officers in attendance:", as "Jo Cole (Head of Planning)",
"Head of Planning – J Cole" or just the post) and apologies. The rows come out as HTML
attendance gives them (attendance "Present", "In attendance", "Apologies"; officers named by
their post get the role "Officer"), so enrichment resolves names and roles the same way.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime

from searchsvc.records import Member

__all__ = ["Header", "read_header"]

_LABELS = (
    (r"(?:members\s+)?present|councillors\s+present|attending", "Present"),
    (r"in\s+the\s+chair", "Chair"),
    (r"also\s+present|also\s+in\s+attendance", "In attendance"),
    (r"officers?(?:\s+(?:in\s+attendance|present|attending))?|in\s+attendance", "Officers"),
    (r"apologies(?:\s+for\s+absence)?(?:\s+(?:were\s+)?received\s+from)?", "Apologies"),
)
_LABEL = re.compile(r"(?:^|\n|(?<=[.;]\s))(" + "|".join(f"(?:{p})" for p, _ in _LABELS) + r")\s*[:\-–]\s*",
                    re.IGNORECASE)
_APOLOGY_SENTENCE = re.compile(r"apolog\w*\s+(?:for\s+absence\s+)?(?:were|was)\s+received\s+"
                               r"(?:from|on\s+behalf\s+of)\s+"
                               r"(?P<names>[^.]+)", re.IGNORECASE)
_TITLES = ("councillor", "cllr", "alderman", "mr", "mrs", "ms", "miss", "dr", "county councillor")
_PLURALS = {"councillors": "Councillor", "cllrs": "Cllr", "aldermen": "Alderman"}
_ROLE_WORDS = re.compile(r"^(?:in the\s+|the\s+)?(?:chair(?:man|person)?|vice[- ]chair(?:man|person)?|deputy\s+chair|"
                         r"mayor|deputy\s+mayor|convener|vice[- ]convener|leader|deputy\s+leader)$", re.IGNORECASE)
_POST_WORDS = re.compile(r"\b(?:director|head|officer|manager|executive|clerk|lawyer|solicitor|adviser|advisor|"
                         r"assistant|engineer|planner|accountant|monitoring|services|lead|team|administrator)\b",
                         re.IGNORECASE)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r"),?\s+(\d{4})"
                   r"(?:\D{0,12}?(\d{1,2})[.:](\d{2})\s*([ap])\.?m)?", re.IGNORECASE)


_BODY_WORDS = re.compile(r"\b(?:committee|sub-committee|cabinet|board|panel|forum|commission)\b", re.IGNORECASE)
_SMALL_WORDS = {"And": "and", "Of": "of", "The": "the", "For": "for", "In": "in", "On": "on"}


@dataclass(frozen=True)
class Header:
    committee: str = ""
    start: datetime | None = None
    attendance: tuple[Member, ...] = ()


def _split_names(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    text = re.sub(r"(?<=[^,;])\s+(?=(?:Councillors|Aldermen|Cllrs)\b)", ", ", text)
    parts = re.split(r"\s*[,;]\s*|\s+and\s+|\s+&\s+", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _people(text: str, attendance: str) -> list[Member]:
    """Councillors and others from a list: titles distributed ("Councillors A, B and C"), roles
    from brackets or from a role word standing alone after a name."""
    out: list[Member] = []
    plural = ""
    for entry in _split_names(text):
        m = re.match(r"(councillors|cllrs|aldermen)\s*[-–:]?\s*(.*)", entry, re.IGNORECASE)
        if m:
            plural, entry = _PLURALS[m.group(1).lower()], m.group(2)
            if not entry:
                continue
        role = ""
        b = re.match(r"(.*?)\s*\((.+?)\)\s*$", entry)
        if b:
            entry, role = b.group(1), b.group(2)
        if _ROLE_WORDS.match(entry) and out:  # "Councillor D Esmond, Mayor"
            out[-1] = Member(out[-1].name, entry.title().replace("Vice Chair", "Vice-Chair"), attendance=attendance)
            continue
        if _ROLE_WORDS.match(entry) and role:  # "Mayor (Councillor J Montgomery)"
            entry, role = role, re.sub(r"^the\s+", "", entry, flags=re.IGNORECASE)
        lower = entry.lower()
        if not any(lower.startswith(t + " ") for t in _TITLES):
            if plural:
                entry = f"{plural} {entry}"
        else:
            plural = "" if not lower.startswith(("councillor ", "cllr ")) else plural
        role = "Vice-Chair" if re.fullmatch(r"vice[- ]chair(?:man)?", role, re.I) else role
        role = "Chair" if re.fullmatch(r"chair(?:man|person)?|in the chair", role, re.I) else role
        out.append(Member(entry, role, attendance=attendance))
    return out


def _officers(text: str) -> list[Member]:
    """"Jo Cole (Head of Planning)", "Head of Planning – J Cole", "Jo Cole, Head of Planning" or
    a post alone ("Head of Planning": named by the post, role "Officer", as HTML attendance)."""
    out: list[Member] = []
    parts = [p.strip(" .") for p in re.split(r"\s*;\s*|\n", text) if p.strip(" .")]
    if len(parts) == 1:
        parts = [p for p in re.split(r"\s*,\s*", parts[0]) if p]
        left, _, right = parts[-1].rpartition(" and ") if parts else ("", "", "")
        # "…, Head of Audit and Risk and Head of Law": split at the last "and" between two posts
        if left and _POST_WORDS.search(left) and _POST_WORDS.search(right):
            parts[-1:] = [left, right]
    for part in parts:
        b = re.match(r"(.*?)\s*\((.+?)\)\s*$", part)
        d = re.match(r"(.+?)\s+[-–—]\s+(.+)$", part)
        c = re.match(r"(.+?),\s*(.+)$", part)
        if b:
            out.append(Member(b.group(1), b.group(2), attendance="In attendance"))
        elif d and _POST_WORDS.search(d.group(1)):
            out.append(Member(d.group(2), d.group(1), attendance="In attendance"))
        elif c and _POST_WORDS.search(c.group(2)) and not _POST_WORDS.search(c.group(1)):
            out.append(Member(c.group(1), c.group(2), attendance="In attendance"))
        elif _POST_WORDS.search(part) and out and not _POST_WORDS.search(out[-1].name) and not out[-1].role:
            out[-1] = Member(out[-1].name, part, attendance="In attendance")
        elif _POST_WORDS.search(part):
            out.append(Member(part, "Officer", attendance="In attendance"))
        else:
            out.append(Member(part, "", attendance="In attendance"))
    return out


def _date(text: str) -> datetime | None:
    m = _DATE.search(text)
    if not m:
        return None
    day, month, year = int(m.group(1)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(3))
    hour, minute = 0, 0
    if m.group(4):
        hour, minute = int(m.group(4)) % 12 + (12 if m.group(6).lower() == "p" else 0), int(m.group(5))
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _committee(title: str) -> str:
    m = re.search(r"(?:meeting\s+of\s+(?:the\s+)?)(.+?)(?:\s+held\b|,|$)", title, re.IGNORECASE)
    name = m.group(1) if m else title
    name = re.sub(r"^(?:minutes\s*(?:of\s+the\s+|[-–:]\s*)?)", "", name.strip(), flags=re.IGNORECASE)
    name = name.strip(" .-–:")
    if name.isupper():
        words = name.title().split(" ")
        name = " ".join([words[0]] + [_SMALL_WORDS.get(w, w) for w in words[1:]])
    return name


def read_header(paragraphs: list[str]) -> Header:
    """Committee, date and attendance from the paragraphs before the first minute."""
    text = "\n".join(paragraphs)
    marks = list(_LABEL.finditer(text))
    title = text[: marks[0].start()] if marks else text
    people: list[Member] = []
    for k, mark in enumerate(marks):
        body = text[mark.end(): marks[k + 1].start() if k + 1 < len(marks) else len(text)]
        lines = body.split("\n")
        body = "\n".join([lines[0]] + list(_continued(lines[1:])))
        label = next(v for p, v in _LABELS if re.fullmatch(p, mark.group(1).strip(), re.IGNORECASE))
        if label == "Officers":
            people += _officers(body)
        elif label == "Chair":
            people += [dataclasses.replace(m, role=m.role or "Chair") for m in _people(body, "Present")]
        elif label == "Apologies":
            people += _people(body, "Apologies")
        else:
            people += _people(body.replace("\n", ", "), label)
    for m in _APOLOGY_SENTENCE.finditer(text):
        if not any(mk.start() <= m.start() < mk.end() for mk in marks):
            people += _people(m.group("names"), "Apologies")
    first = [p for p in title.split("\n") if p.strip()]
    lead = (next((p for p in first if re.search(r"meeting\s+of", p, re.IGNORECASE)), None)
            or next((p for p in first[:3] if _BODY_WORDS.search(p) and len(p) < 90), None)
            or next((p for p in first[:3] if len(p) < 60 and not re.search(r"council$", p.strip(), re.I)), None)
            or (first[0] if first else ""))
    committee = _committee(lead) if lead else ""
    return Header(committee, _date(text), tuple(_unique(people)))


def _continued(lines: list[str]):
    """Paragraphs after a label's own that carry on its list ("Councillors – …" after "Aldermen – …")."""
    for line in lines:
        if not re.match(r"(?:councillors|cllrs|aldermen)\b", line.strip(), re.IGNORECASE):
            return
        yield line


def _unique(people: list[Member]) -> list[Member]:
    seen: dict[str, Member] = {}
    for p in people:
        key = p.name.lower()
        if key not in seen or (p.role and not seen[key].role):
            seen[key] = p
    return list(seen.values())
