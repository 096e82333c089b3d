"""Query parsing (no index), analyzers, and the package's import boundary."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc.errors import QueryError
from searchsvc.index.documents import name_words, speaker_key
from searchsvc.index.query import And, Not, Or, Phrase, Wild, Word, parse
from searchsvc.index.schema import clean_text, exact_analyzer, marker_text, stem_analyzer


@pytest.mark.parametrize("text,tree", [
    ("foster", Word("foster")),
    ("foster care", And((Word("foster"), Word("care")))),
    ("foster AND care", And((Word("foster"), Word("care")))),
    ("foster OR care home", Or((Word("foster"), And((Word("care"), Word("home")))))),
    ("-care foster", And((Not(Word("care")), Word("foster")))),
    ("foster NOT care", And((Word("foster"), Not(Word("care"))))),
    ('"foster care"~5', Phrase("foster care", 5)),
    ("fost*", Wild("fost*")),
    ('speaker:"Jan Reed" foster', And((Phrase("Jan Reed", 1, "speaker"), Word("foster")))),
    ("title:(a OR b)", Or((Word("a", "title"), Word("b", "title")))),
    ("Committee:Cabinet", Word("Cabinet", "committee")),
    ("Note: foster", And((Word("Note:"), Word("foster")))),
    ("10:30 meeting", And((Word("10:30"), Word("meeting")))),
    ("+foster", Word("foster")),
    ("   ", None),
])
def test_parse_trees(text, tree):
    assert parse(text) == tree


def test_quote_messages_name_the_neighbouring_word():
    with pytest.raises(QueryError, match=r"^The quotation mark after 'foster' is never closed\.$"):
        parse('foster "care homes')
    with pytest.raises(QueryError, match=r"before 'care'"):
        parse('"care homes')


WORDS = st.text(alphabet="abcdefgh XYZ.\n\u00e9\u00df-'", max_size=60)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(WORDS, st.sampled_from(["\n\n", " \n \n ", "the", "of", "S.106", "running"])),
                      max_size=8))
def test_fast_analyzers_match_the_whoosh_chain(parts):
    text = " ".join(parts)
    for analyzer in (stem_analyzer(), stem_analyzer(renumber=True), exact_analyzer()):
        fast = analyzer.terms(text)
        slow = [(t.text, t.pos) for t in analyzer.chain()(text, positions=True)]
        assert fast == slow
        assert [(t.text, t.pos) for t in analyzer(text, positions=True)] == slow


def test_markers_survive_analysis_and_cannot_be_forged():
    key = speaker_key("Councillor Jan Reed")
    assert key.isdigit()
    assert key == speaker_key("councillor  jan REED")
    text = marker_text([key], "Councillor Reed spoke")
    terms = [t for t, _ in stem_analyzer().terms(text)]
    assert terms[0] == "\u00a7" + key
    forged = clean_text(f"\x02{key}\x03 spoke")
    assert not any(t.startswith("\u00a7") for t, _ in stem_analyzer().terms(forged))
    assert name_words("Head of Early Help, Assessment") == ("head", "of", "early", "help", "assessment")


def test_importing_the_index_package_does_not_import_flask():
    code = "import sys, searchsvc.index; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
