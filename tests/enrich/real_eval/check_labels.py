"""Check the labelled real-council evaluation set against its written rules (RULES.md).

Run: python tests/enrich/real_eval/check_labels.py [dev.toml test.toml]

It checks form, not truth: every example names a council of its half and the page
row it was modelled on, its context exists, and every expected speaker is written
in the canonical form RULES.md defines (a context person's ``name`` when the
passage's person is in the context; otherwise the fullest titled name written in
the item's passages, or an office without its article). It deliberately does not
import the speaker-attribution code: the labels must not depend on the parser.
"""

from __future__ import annotations

import collections
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent

DEV = {
    "Aberdeen City Council", "Antrim and Newtownabbey Borough Council",
    "Bath and North East Somerset Council", "Belfast City Council",
    "Borough Council of King's Lynn and West Norfolk", "Bridgend County Borough Council",
    "Carmarthenshire County Council", "Cherwell District Council", "Cotswold District Council",
    "Cumbria County Council", "Derry City and Strabane District Council", "Dorset Council",
    "Epping Forest District Council", "Haverfordwest Town Council", "Herefordshire Council",
    "Leeds City Council", "London Borough of Havering", "London Borough of Southwark",
    "Melton Borough Council", "Mid Devon District Council",
    "Newry, Mourne and Down District Council", "Oadby and Wigston Borough Council",
    "Plymouth City Council", "Publow with Pensford Parish Council",
    "Rotherham Metropolitan Borough Council", "Sheffield City Council", "Somerset Council",
    "Staffordshire County Council", "Thame Town Council", "Thurrock Council",
    "Uttlesford District Council", "Watford Borough Council", "West Lancashire Borough Council",
    "Wrexham County Borough Council",
}
TEST = {
    "Albury Parish Council", "Basingstoke and Deane Borough Council",
    "Bedfordshire Fire and Rescue Authority", "Bolsover District Council",
    "Bournemouth, Christchurch and Poole Council", "Cambridge City Council",
    "Central Bedfordshire Council", "Cheshire Fire Authority", "Craigavon Borough Council",
    "Denbighshire County Council", "Devon County Council", "East Hertfordshire District Council",
    "Groby Parish Council", "Hereford and Worcester Fire Authority", "Lancaster City Council",
    "Lisburn & Castlereagh City Council", "London Borough of Hillingdon",
    "Magherafelt District Council", "Melton Parish Council",
    "Neath Port Talbot County Borough Council", "North West Leicestershire District Council",
    "Oxfordshire County Council", "Powys County Council", "Renfrewshire Council",
    "Sefton Metropolitan Borough Council", "Slough Borough Council",
    "South Cambridgeshire District Council", "Stithians Parish Council", "The Highland Council",
    "Tonbridge and Malling Borough Council", "Vale of Glamorgan Council", "West Berkshire Council",
    "West Suffolk Council",
}
HALF = {"dev.toml": DEV, "test.toml": TEST, "dev2.toml": None, "dev3.toml": None,
        "dev4.toml": None}  # dev2-dev4: any council outside TEST

# MANIFEST row -> council (the page each example was modelled on)
PAGES = {
    1: 'Aberdeen City Council',
    2: 'Aberdeen City Council',
    3: 'Aberdeen City Council',
    4: 'Aberdeen City Council',
    5: 'Albury Parish Council',
    6: 'Antrim and Newtownabbey Borough Council',
    7: 'Basingstoke and Deane Borough Council',
    8: 'Bath and North East Somerset Council',
    9: 'Bournemouth, Christchurch and Poole Council',
    10: 'Bournemouth, Christchurch and Poole Council',
    11: 'Bedfordshire Fire and Rescue Authority',
    12: 'Belfast City Council',
    13: 'Belfast City Council',
    14: 'Bolsover District Council',
    15: 'Bridgend County Borough Council',
    16: 'Cambridge City Council',
    17: 'Cambridge City Council',
    18: 'Carmarthenshire County Council',
    19: 'Carmarthenshire County Council',
    20: 'Central Bedfordshire Council',
    21: 'Cherwell District Council',
    22: 'Cheshire Fire Authority',
    23: 'Cotswold District Council',
    24: 'Craigavon Borough Council',
    25: 'Cumbria County Council',
    26: 'Denbighshire County Council',
    27: 'Derry City and Strabane District Council',
    28: 'Devon County Council',
    29: 'Dorset Council',
    30: 'East Hertfordshire District Council',
    31: 'Epping Forest District Council',
    32: 'Groby Parish Council',
    33: 'Haverfordwest Town Council',
    34: 'London Borough of Havering',
    35: 'London Borough of Havering',
    36: 'Hereford and Worcester Fire Authority',
    37: 'Herefordshire Council',
    38: 'Herefordshire Council',
    39: 'The Highland Council',
    40: 'The Highland Council',
    41: 'London Borough of Hillingdon',
    42: "Borough Council of King's Lynn and West Norfolk",
    43: 'Lancaster City Council',
    44: 'Leeds City Council',
    45: 'Leeds City Council',
    46: 'Lisburn & Castlereagh City Council',
    47: 'Magherafelt District Council',
    48: 'Melton Borough Council',
    49: 'Melton Parish Council',
    50: 'Mid Devon District Council',
    51: 'Neath Port Talbot County Borough Council',
    52: 'Newry, Mourne and Down District Council',
    53: 'North West Leicestershire District Council',
    54: 'North West Leicestershire District Council',
    55: 'North West Leicestershire District Council',
    56: 'Oadby and Wigston Borough Council',
    57: 'Oxfordshire County Council',
    58: 'Plymouth City Council',
    59: 'Powys County Council',
    60: 'Publow with Pensford Parish Council',
    61: 'Renfrewshire Council',
    62: 'Rotherham Metropolitan Borough Council',
    63: 'Sefton Metropolitan Borough Council',
    64: 'Sheffield City Council',
    65: 'Sheffield City Council',
    66: 'Slough Borough Council',
    67: 'Somerset Council',
    68: 'South Cambridgeshire District Council',
    69: 'South Cambridgeshire District Council',
    70: 'London Borough of Southwark',
    71: 'London Borough of Southwark',
    72: 'Staffordshire County Council',
    73: 'Stithians Parish Council',
    74: 'Thame Town Council',
    75: 'Thurrock Council',
    76: 'Tonbridge and Malling Borough Council',
    77: 'Uttlesford District Council',
    78: 'Vale of Glamorgan Council',
    79: 'Vale of Glamorgan Council',
    80: 'Watford Borough Council',
    81: 'West Berkshire Council',
    82: 'West Lancashire Borough Council',
    83: 'West Suffolk Council',
    84: 'Wrexham County Borough Council',
}

# Presiding offices keep their article when nobody in the context holds them.
PRESIDING = {"The Chair", "The Mayor", "The Leader", "The Convener", "The Lord Mayor",
             "The Provost", "The Lord Provost"}
TITLES = ("Councillor", "County Councillor", "Alderman", "Bailie", "Provost", "Lord Provost",
          "Depute Provost", "Mr", "Mrs", "Ms", "Miss", "Dr", "Professor", "Prof", "Sir", "Dame",
          "PC", "PCSO", "Sergeant", "Inspector", "Chief Inspector", "Superintendent",
          "Chief Superintendent", "Reverend", "Rev", "Canon", "Father")
TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES + ("Cllr", "Cllrs", "Councillors", "Aldermen")),
                           key=len, reverse=True))
OFFICE_WORDS = {"Officer", "Head", "Director", "Manager", "Executive", "Clerk", "Adviser", "Advisor",
                "Auditor", "Commissioner", "Chair", "Mayor", "Leader", "Member", "Solicitor", "Lawyer",
                "Provost", "Convener", "Secretary", "Engineer", "Lead", "Commander", "Representative",
                "Controller", "Chairman", "Chairperson", "Holder", "Planner", "Assistant", "Deputy",
                "Monitoring", "Fire", "Treasurer", "Coordinator", "Co-ordinator", "Consultant"}


def _surname(name: str) -> str:
    return name.split()[-1]


def _is_person(s: str, names: set[str]) -> bool:
    if s in names:
        return True
    if re.match(rf"^(?:{TITLE_RE})\b", s) and not s.startswith("The "):
        return True
    words = s.split()
    return len(words) >= 2 and not (set(words) & OFFICE_WORDS) and all(w[0].isupper() for w in words)


def _offices(p: dict) -> set[str]:
    out = set()
    for o in [p.get("role", "")] + list(p.get("posts", [])):
        if not o or o in {"Committee Member"}:
            continue
        out.add(o.lower())
        for part in re.split(r"\s+and\s+(?=[A-Z])|,\s*", o):
            out.add(part.strip().lower())
    return out


def check(path: Path) -> list[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    half = HALF[path.name]
    errors = []
    examples = data.get("example", [])
    groups = collections.defaultdict(list)
    for i, ex in enumerate(examples, 1):
        groups[ex.get("group") or f"#{i}"].append(ex)
    for i, ex in enumerate(examples, 1):
        where = f"{path.name} example {i} ({ex.get('text', '')[:40]!r})"
        for key in ("council", "page", "shape", "context", "text", "speakers"):
            if key not in ex:
                errors.append(f"{where}: missing {key}")
        if half is None:
            if ex.get("council") in TEST:
                errors.append(f"{where}: council {ex.get('council')!r} is a test council")
            if ex.get("page") == 0:
                if not str(ex.get("source", "")).startswith("http"):
                    errors.append(f"{where}: page 0 needs a source address")
            elif PAGES.get(ex.get("page")) != ex.get("council"):
                errors.append(f"{where}: page {ex.get('page')} is not a page of {ex.get('council')!r}")
        else:
            if ex.get("council") not in half:
                errors.append(f"{where}: council {ex.get('council')!r} is not in this half")
            if PAGES.get(ex.get("page")) != ex.get("council"):
                errors.append(f"{where}: page {ex.get('page')} is not a page of {ex.get('council')!r}")
        ctx = data.get("context", {}).get(ex.get("context"))
        if ctx is None:
            errors.append(f"{where}: context {ex.get('context')!r} missing")
            continue
        people = ctx["people"]
        names = {p["name"] for p in people}
        group_text = "\n".join(e["text"] for e in groups[ex.get("group") or f"#{i}"])
        if len(set(ex["speakers"])) != len(ex["speakers"]):
            errors.append(f"{where}: duplicate speaker")
        for s in ex["speakers"]:
            if s in names:
                continue
            if _is_person(s, names):
                same = [p["name"] for p in people if _surname(p["name"]) == _surname(s)]
                if len(same) == 1:
                    errors.append(f"{where}: {s!r} should be the context name {same[0]!r}")
                if _surname(s) not in group_text:
                    errors.append(f"{where}: {s!r} is not written in the item's passages")
                # fullest form: no longer titled form of the same surname in the item
                longest = s
                for m in re.finditer(rf"(?:{TITLE_RE})\.?\s+((?:[A-Z][\w'’.-]*\s+){{0,3}}?){re.escape(_surname(s))}\b",
                                     group_text):
                    forenames = [w.strip(".") for w in m.group(1).split() if w.strip(".") not in TITLES]
                    mine = [w for w in s.split()[:-1] if w not in TITLES]
                    if len(forenames) > len(mine):
                        longest = m.group(0)
                if longest != s:
                    errors.append(f"{where}: {s!r} but the item writes a fuller form {longest!r}")
                continue
            # an office
            if s.startswith("The "):
                if s not in PRESIDING:
                    errors.append(f"{where}: office {s!r} keeps an article but is not a presiding office")
                office = s[4:].lower()
                holders = [p["name"] for p in people
                           if office in _offices(p) or (office == "chair" and p.get("role") == "Chair")]
                if holders:
                    errors.append(f"{where}: {s!r} is held by {holders} in the context")
                continue
            holders = [p["name"] for p in people if s.lower() in _offices(p)]
            if holders:
                errors.append(f"{where}: office {s!r} is held by {holders} in the context")
            if s.lower() not in group_text.lower():
                errors.append(f"{where}: office {s!r} is not written in the item's passages")
    return errors


def _mentions(ex: dict, people: list[dict]) -> bool:
    """True when the passage names a person (titled, or from the context) who is not a speaker."""
    spoken = {_surname(s) for s in ex["speakers"]}
    text = ex["text"]
    named = {_surname(p["name"]) for p in people if re.search(rf"\b{re.escape(_surname(p['name']))}\b", text)}
    named |= {m.group(1) for m in re.finditer(rf"(?:{TITLE_RE})\.?\s+(?:[A-Z]\.?\s+)*([A-Z][\w'’-]+)", text)}
    return bool(named - spoken - set(TITLES))


def summary(path: Path) -> str:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    ex = data["example"]
    councils = collections.Counter(e["council"] for e in ex)
    none = sum(1 for e in ex if not e["speakers"])
    mention = sum(1 for e in ex if e["speakers"] and _mentions(e, data["context"][e["context"]]["people"]))
    pairs = sum(len(e["speakers"]) for e in ex)
    return (f"{path.name}: {len(ex)} passages, {pairs} (passage, speaker) pairs, "
            f"{none} with no speaker, {mention} more naming a non-speaker, {len(councils)} councils, "
            f"{len({e['page'] for e in ex})} pages, {len(data['context'])} contexts")


SHAPE_KINDS = {
    "declarations and transparency statements": ("declar", "transparency"),
    "moved / seconded / proposed": ("moved", "second", "propos", "motion", "nominat"),
    "questions and answers": ("question", "asked", "queried", "sought", "respond", "replied",
                              "answer", "put a question"),
    "votes, resolutions, decisions": ("vote", "division", "resolved", "decided", "decision",
                                      "recommended", "carried", "lost", "noted", "agreed"),
    "attendance, apologies, presence": ("apolog", "present ", "attendance", "in the chair",
                                        "presided", "sederunt", "entry", "left", "not present"),
    "presiding member or civic office": ("mayor", "chair", "convener", "provost", "leader",
                                         "sheriff"),
    "officers and other offices by role": ("officer", "director", "head", "manager", "clerk",
                                           "chief executive", "adviser", "auditor", "commissioner",
                                           "treasurer", "composite", "role"),
    "names without councillor title": ("without title", "name without", "initial", "co-opted",
                                       "named", "mr ", "mrs ", "ms ", "dr ", "pcso", "police",
                                       "professor", "rev"),
    "pronouns and 'the Member'": ("pronoun", "he ", "she ", "member queried"),
    "public speakers, applicants, objectors": ("resident", "objector", "agent", "applicant",
                                               "public", "deputation", "solicitor"),
    "tables, lists, bullets, numbered minutes": ("table", "list", "bullet", "numbered", "heading",
                                                 "line breaks", "run-together", "run together"),
}


def shape_counts(path: Path) -> dict[str, tuple[int, int]]:
    """Examples per kind of construction (from the `shape` notes): (all, with no speaker)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for kind, words in SHAPE_KINDS.items():
        hits = [e for e in data["example"]
                if any(" " + w in " " + re.sub(r"[^\w'/ -]", " ", e["shape"].lower()) + " " for w in words)]
        out[kind] = (len(hits), sum(1 for e in hits if not e["speakers"]))
    return out


def main(argv: list[str]) -> int:
    shapes = "--shapes" in argv
    argv = [a for a in argv if a != "--shapes"]
    paths = [Path(a) for a in argv] or [p for p in (HERE / "dev.toml", HERE / "test.toml", HERE / "dev2.toml") if p.exists()]
    errors = []
    for p in paths:
        errors += check(p)
        print(summary(p))
        if shapes:
            for kind, (n, none) in shape_counts(p).items():
                print(f"    {kind}: {n} ({none} with no speaker)")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
