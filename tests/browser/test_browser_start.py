"""Issue-15 paths in real Chromium: places to start, following, upcoming meetings, cards, shared links."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[dev]')")

from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_shared_link_with_tracking_arguments_opens_the_item(page):
    page.goto("/items/kingston:item:508?fbclid=IwAR0abc&utm_source=facebook")
    expect(page.locator("h1")).to_contain_text("Foster care sufficiency")
    expect(page).to_have_url(re.compile(r"/items/kingston:item:508$"))
    page.goto("/search?q=foster&gclid=x&mc_cid=1&mc_eid=2")
    expect(page.locator("h1")).to_contain_text("3 items for “foster”")


def test_skip_to_results_reaches_the_first_result_in_a_few_keys(page):
    page.goto("/search?q=budget&procedural=show")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link", has_text="Skip to results")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(".hit-title a").first
    expect(first).to_be_focused()


def test_a_card_shows_one_passage_and_opens_the_rest(page):
    page.goto("/search?q=foster")
    card = page.locator("li.hit", has=page.locator("h2", has_text="Foster care sufficiency"))
    expect(card.locator("blockquote.snippet").first).to_be_visible()
    hidden = card.locator("details.more-passages blockquote.snippet")
    expect(hidden.first).to_be_hidden()
    card.locator("details.more-passages > summary").click()
    expect(hidden.first).to_be_visible()
    card.get_by_role("link", name="Topic: social care").click()
    expect(page).to_have_url(re.compile(r"/search\?q=foster&topic=social\+care"))


def test_from_a_result_to_the_item_with_marked_words_and_back(page):
    page.goto("/search?q=teenagers&procedural=show")
    page.locator(".hit-title a").first.click()
    expect(page.locator("#p2 mark")).to_have_text("teenagers")
    page.get_by_role("link", name=re.compile("Back to results")).click()
    expect(page).to_have_url(re.compile(r"/search\?q=teenagers&procedural=show$"))


def test_places_to_start_from_the_home_page(page):
    page.goto("/")
    page.locator('nav[aria-label="Places to start"]').get_by_role("link", name=re.compile("Councillors")).click()
    expect(page.locator("h1")).to_have_text("Councillors")
    row = page.locator("tbody tr", has_text="Councillor Jan Reed")
    expect(row).to_contain_text("Liberal Democrat")
    row.get_by_role("link", name="Councillor Jan Reed").click()
    expect(page.locator("h1")).to_have_text("Councillor Jan Reed")
    expect(page.locator("main .follow a")).to_have_attribute("href", "/feeds/speakers/Councillor%20Jan%20Reed")
    page.locator('nav[aria-label="Site"]').get_by_role("link", name="Committees").click()
    page.get_by_role("link", name="Planning Committee", exact=True).click()
    expect(page.locator("#upcoming-heading + ul")).to_contain_text("Draft local plan consultation")
    page.locator('nav[aria-label="Site"]').get_by_role("link", name="Topics").click()
    page.get_by_role("link", name="budget", exact=True).click()
    expect(page.locator("h1")).to_contain_text("items")


def test_short_speaker_name_lands_on_the_full_page(page):
    page.goto("/speakers/Crute")
    expect(page).to_have_url(re.compile(r"/speakers/Councillor%20Tom%20Crute$"))
    expect(page.locator("h1")).to_have_text("Councillor Tom Crute")


def test_meeting_agenda_is_numbered_once(page):
    page.goto("/meetings/kingston:meeting:100")
    first = page.locator("ol.agenda > li").first
    expect(first).to_contain_text("61.")  # the printed minute number
    assert first.evaluate("li => getComputedStyle(li).listStyleType") == "none"


def test_trend_value_label_is_clickable_like_its_bar(page):
    page.goto("/trends?q=budget")
    page.locator("a.chart-link[aria-label^='2018'] text.chart-value").click()
    expect(page).to_have_url(re.compile(r"/search\?q=budget&year=2018"))


def test_status_table_reads_at_phone_width(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto("/status")
    table = page.locator("#sources-heading ~ .table-scroll table")
    expect(table.locator("tbody th")).to_contain_text("Royal Borough of Kingston upon Thames")
    line = float(page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)"))
    heights = table.locator("thead th").evaluate_all("ths => ths.map(th => th.getBoundingClientRect().height)")
    assert max(heights) < 3.5 * line, heights  # words wrap whole; no column one letter wide
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_navigation_wraps_whole_words_at_phone_width(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto("/")
    links = page.locator('nav[aria-label="Site"] a')
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.site-nav a')).lineHeight)"))
    heights = links.evaluate_all("as => as.map(a => a.getBoundingClientRect().height)")
    assert len(heights) == 7 and max(heights) < 1.5 * line + 8, heights  # one line each, however they wrap
    context.close()
