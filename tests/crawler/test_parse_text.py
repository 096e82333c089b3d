"""paragraphs(): one normalised entry per visual paragraph — the unit enrichment attributes speakers to."""

from __future__ import annotations

from bs4 import BeautifulSoup

from crawler.moderngov.text import clean, fragment_paragraphs, label_key, link_text, paragraphs, text_of, unescape


def soup(markup: str):
    return BeautifulSoup(markup, "html.parser")


def test_word_paragraphs_with_nbsp_spacers_dropped():
    html = """<div class="mgWordPara"><div class="WordSection1">
    <p class="MsoNormal">The Committee
    considered a   report.</p>
    <p class="MsoNormal">&nbsp;</p>
    <p class="MsoNormal"><span style="">&nbsp;</span></p>
    <p class="MsoNormal">Councillor Reed asked&nbsp;a question.</p></div></div>"""
    assert paragraphs(soup(html)) == ("The Committee considered a report.", "Councillor Reed asked a question.")


def test_word_list_numbering_is_kept():
    html = """<div><p class="MsoListParagraphCxSpFirst"><span><span>1.<span style="font:7.0pt">&nbsp;&nbsp;&nbsp;</span></span></span>
    That the report be noted; and</p></div>"""
    assert paragraphs(soup(html)) == ("1. That the report be noted; and",)


def test_list_items_headings_and_loose_text_are_paragraphs():
    html = "<div>Loose text<h3>Heading</h3><ul><li>one</li><li>two <b>bold</b></li></ul>tail</div>"
    assert paragraphs(soup(html)) == ("Loose text", "Heading", "one", "two bold", "tail")


def test_table_rows_become_cell_pipe_cell_and_empty_cells_drop():
    html = "<div><p>Before</p><table><tr><th>Title</th><th>Result</th></tr><tr><td>Motion</td><td> </td><td>Carried</td></tr></table></div>"
    assert paragraphs(soup(html)) == ("Before", "Title | Result", "Motion | Carried")


def test_single_br_is_a_space_double_br_splits():
    html = "<p>line one<br>line two<br><br>  <br/>next paragraph</p>"
    assert paragraphs(soup(html)) == ("line one line two", "next paragraph")


def test_noise_comments_and_scripts_are_skipped():
    html = '<div><p>Text<!-- FB9901 --><script>var x=1;</script><span class="mgHide">, item 5.</span></p></div>'
    assert paragraphs(soup(html)) == ("Text",)


def test_link_text_strips_file_size_and_hidden_suffix():
    a = soup('<a href="documents/s1/x.pdf">Annex 1 &#40;May&#41; <span class="mgHide">, item 63.</span>\n'
             '<span class="mgFileSize"><img src="x.gif"/> PDF 138 KB</span> </a>').a
    assert link_text(a) == "Annex 1 (May)"


def test_clean_and_label_key():
    assert clean("  a\u00a0\u00a0b \n c ") == "a b c"
    assert clean(None) == ""
    assert label_key(" Additional documents: ") == "additional documents"
    assert label_key("RESOLVED:") == "resolved"


def test_unescape_decodes_twice_escaped_titles_without_eating_ampersands():
    assert unescape("Member&#39;s report &amp; Q&amp;A") == "Member's report & Q&A"
    assert unescape("Smith&notes") == "Smith&notes"  # a legacy entity without ";" stays text


def test_fragment_paragraphs_reads_escaped_web_service_html():
    assert fragment_paragraphs('<div class="WordSection1"><p>One</p><p>&nbsp;</p><p>Two</p></div>') == ("One", "Two")
    assert fragment_paragraphs("   ") == ()


def test_empty_inputs():
    assert paragraphs(None) == ()
    assert text_of(None) == ""
