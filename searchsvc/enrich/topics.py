"""Topic tags for agenda items from a user-editable taxonomy (``config/topics.toml``).

The taxonomy is data, not code: each ``[[topic]]`` has a ``name`` (the facet
value) and ``phrases`` (lower-case words or phrases; ``*`` ending a word matches any
ending, so ``foster*`` finds fostering and foster carers). A council that calls
its bins "refuse" adds a phrase and re-indexes; nobody edits Python.

Titles are short and chosen by clerks, so one title hit tags an item; body text
is long and wanders, so it takes two hits (and a fair share of the main topic's).
Place names ("Church Street", "Kestrel Park") say where, not what, and are ignored.
Tags come out in taxonomy order, which makes them stable for golden tests and
predictable in the facet list.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from searchsvc.errors import ConfigError

__all__ = ["Taxonomy", "Topic", "assign_topics", "load_taxonomy", "parse_taxonomy", "score_topics"]

MIN_BODY_HITS = 2  # body hits a topic needs without a title hit
BODY_SHARE = 0.1  # ... and its share of the best topic's body hits
_PHRASE = re.compile(r"[a-z0-9][a-z0-9'’&/.-]*\*?(?: [a-z0-9&][a-z0-9'’&/.-]*\*?)*")


@dataclass(frozen=True)
class Topic:
    name: str
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    source: str = "<string>"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)


def _compile(phrases: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = []
        for word in phrase.split():
            body = "".join("['’]" if ch in "'’" else re.escape(ch) for ch in word.rstrip("*"))
            words.append(body + r"[\w'’-]*" if word.endswith("*") else body)
        tail = "" if phrase.endswith("*") else r"(?:['’]s)?"
        parts.append(r"\s+".join(words) + tail)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def parse_taxonomy(text: str, source: str = "<string>") -> Taxonomy:
    """Build a :class:`Taxonomy` from TOML text; ``source`` names the file in errors.

    Raises :class:`ConfigError` naming the file and the key (``topic[3].phrases``)
    for bad TOML, a missing ``[[topic]]`` table, a missing or duplicate name, or a
    phrase that is not a lower-case word or phrase.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    unknown = sorted(set(data) - {"topic"})
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; expected [[topic]] tables")
    entries = data.get("topic")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{source}: key 'topic' must be one or more [[topic]] tables")
    topics: list[Topic] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"{source}: topic[{n}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table with 'name' and 'phrases'")
        extra = sorted(set(entry) - {"name", "phrases", "description"})
        if extra:
            raise ConfigError(f"{where}.{extra[0]}: unknown key (expected name, phrases)")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}.name: must be a non-empty string")
        where = f"{source}: topic[{n}] ({name!r})"
        if name.strip().lower() in seen:
            raise ConfigError(f"{where}.name: duplicate topic name")
        seen.add(name.strip().lower())
        phrases = entry.get("phrases")
        if not isinstance(phrases, list) or not phrases:
            raise ConfigError(f"{where}.phrases: must be a non-empty list of strings")
        clean: list[str] = []
        for phrase in phrases:
            if not isinstance(phrase, str) or not _PHRASE.fullmatch(" ".join(phrase.split())):
                raise ConfigError(
                    f"{where}.phrases: {phrase!r} is not a lower-case word or phrase "
                    "(letters, digits, spaces, ' & / . -, * ending a word)")
            phrase = " ".join(phrase.split())
            if any(len(w.rstrip("*")) < 3 and w.endswith("*") for w in phrase.split()):
                raise ConfigError(f"{where}.phrases: stem {phrase!r} is too short (3+ letters)")
            clean.append(phrase)
        topics.append(Topic(name.strip(), tuple(clean), _compile(clean)))
    return Taxonomy(tuple(topics), source)


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and parse a taxonomy file (the only I/O in :mod:`searchsvc.enrich`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or error
        raise ConfigError(f"{path}: cannot read topic taxonomy: {reason}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: topic taxonomy is not UTF-8 text") from None
    return parse_taxonomy(text, str(path))


# Place names built from topic words: "Church Street", "Kestrel Park", "Manorgate Road".
# They say where, not what, so they are removed before matching ("High Street" stays).
# Only after a house number, a comma or a locating word, so "School Place Planning" survives.
_ADDRESS = re.compile(
    r"(?P<lead>(?:\b\d+[A-Za-z]?|\b(?:at|on|in|of|along|near|from|to|into|off|via|the|and)|,)"
    r"\s+)(?!High\b)(?:[A-Z][\w'’-]+\s+){1,3}(?:Road|Street|Lane|Avenue|Way|Close|Drive|Walk|"
    r"Approach|Crescent|Place|Gardens|Court|Park|Terrace|Row|Square|Hill|Yard|Green|Parade|"
    r"Rise|Grove|Mews)\b")


def _text(text: str) -> str:
    return _ADDRESS.sub(r"\g<lead>", text).lower()


def score_topics(title: str, paragraphs: Iterable[str],
                 taxonomy: Taxonomy) -> dict[str, tuple[int, int]]:
    """(title hits, body hits) per topic with any hit: for tuning a taxonomy."""
    title_text = _text(title or "")
    body_text = _text("\n".join(p for p in paragraphs if p))
    scores = {}
    for topic in taxonomy.topics:
        t = len(topic.pattern.findall(title_text))
        b = len(topic.pattern.findall(body_text))
        if t or b:
            scores[topic.name] = (t, b)
    return scores


def assign_topics(title: str, paragraphs: Iterable[str], taxonomy: Taxonomy) -> tuple[str, ...]:
    """The topics of an item, in taxonomy order.

    ``paragraphs`` is the item's agenda, minutes and decision text. A topic needs a
    title hit, or at least two body hits that are also not dwarfed by the item's
    main subject (>= 10% of the best topic's body hits): a traffic report that
    mentions "noise" twice in 60 traffic sentences is not about the environment.
    """
    scores = score_topics(title, paragraphs, taxonomy)
    best = max((b for _t, b in scores.values()), default=0)
    floor = max(MIN_BODY_HITS, BODY_SHARE * best)
    return tuple(t.name for t in taxonomy.topics
                 if t.name in scores and (scores[t.name][0] >= 1 or scores[t.name][1] >= floor))
