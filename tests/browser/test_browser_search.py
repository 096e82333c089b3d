"""A person's path through the site in real Chromium: search, filter, sort, page, open, deep link."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[dev]')")

from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_type_a_query_pick_facets_sort_and_page(page):
    page.goto("/")
    page.get_by_label("Search council minutes").fill("budget")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search\?q=budget"))
    expect(page.locator("h1")).to_contain_text("8 items for “budget”")

    # Pick a facet value, then a second value of another facet.
    page.locator(".facet-link", has_text="Finance and Resources Committee").click()
    expect(page.locator("h1")).to_contain_text("6 items")
    expect(page.locator(".facet-link.selected")).to_have_count(1)
    page.locator("#facet-year ~ ul .facet-link", has_text="2019").click()
    expect(page.locator("h1")).to_contain_text("3 items")
    expect(page.locator(".active-filters .chip")).to_have_count(2)

    # Remove one filter again with its chip.
    page.locator(".active-filters .chip", has_text="Year: 2019").click()
    expect(page.locator("h1")).to_contain_text("6 items")

    # Change the sort, then page.
    page.locator(".sort-links").get_by_role("link", name="oldest").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    dates = page.locator(".hit .meta a[href^='/meetings/']").all_inner_texts()
    assert dates[0].endswith("2018") and dates[-1].endswith("2019")

    page.goto(page.url + "&per_page=5")
    expect(page.locator(".range")).to_contain_text("Showing 1–5 of 6, page 1 of 2")
    page.get_by_role("link", name="Next page").click()
    expect(page.locator(".range")).to_contain_text("Showing 6–6 of 6")
    expect(page.locator(".pagination [aria-current=page]")).to_have_text(re.compile("2"))
    assert not page.console_errors


def test_open_an_item_from_a_snippet_lands_on_the_passage(page):
    page.goto("/search?q=teenagers")
    page.get_by_role("link", name=re.compile("Read in context")).first.click()
    expect(page).to_have_url(re.compile(r"/items/kingston:item:508\?q=teenagers#p2$"))
    passage = page.locator("#p2")
    expect(passage).to_be_in_viewport()
    assert passage.evaluate("el => el.matches(':target')")
    expect(passage.locator(".passage-speakers")).to_have_text(re.compile("Head of Early Help"))


def test_deep_link_to_a_passage(page):
    page.goto("/items/kingston:item:508#p3")
    expect(page.locator("#p3")).to_be_in_viewport()
    expect(page.locator("#p3")).to_contain_text("agency placements")
    expect(page.locator("#citation")).to_contain_text("minute 68")


def test_script_in_minutes_shows_as_text(page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/items/kingston:item:509")
    expect(page.locator("#p1")).to_contain_text("<script>alert(1)</script>")
    assert page.locator("main script").count() == 0
    page.goto("/search?q=meals")
    expect(page.locator(".snippet").first).to_contain_text("<script>alert(1)</script>")
    assert not dialogs


def test_date_range_inputs_keep_the_rest_of_the_search(page):
    page.goto("/search?q=budget&committee=Finance+and+Resources+Committee&sort=newest")
    page.get_by_label("From", exact=True).fill("2019-01-01")
    page.get_by_role("button", name="Apply dates").click()
    expect(page).to_have_url(re.compile(r"q=budget&committee=Finance\+and\+Resources\+Committee&sort=newest&from=2019-01-01"))
    expect(page.locator("h1")).to_contain_text("3 items")
    # A new query from the box keeps the filters, the dates and the order.
    page.get_by_label("Search council minutes").fill("savings")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("h1")).to_contain_text("3 items for “savings”")
    expect(page.locator(".sort-links strong")).to_have_text("newest")


def test_did_you_mean_and_zero_results(page):
    page.goto("/search?q=fostr")
    page.get_by_role("link", name="foster").click()
    expect(page.locator("h1")).to_contain_text("3 items for “foster”")
    page.goto("/search?q=apologies")
    expect(page.locator(".zero")).to_contain_text("7 procedural items")
    page.get_by_role("link", name="show them").click()
    expect(page.locator("h1")).to_contain_text("7 items")


def test_trend_bar_filters_the_search(page):
    page.goto("/trends?q=budget")
    page.locator("a.chart-link[aria-label^='2018']").click()
    expect(page).to_have_url(re.compile(r"/search\?q=budget&year=2018"))
    expect(page.locator("h1")).to_contain_text("3 items")


def test_works_without_javascript(browser, server_url):
    context = browser.new_context(base_url=server_url, java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto("/search?q=foster")
    expect(page.locator(".facets-box")).to_have_attribute("open", "")  # filters open without the script
    page.locator(".facet-link", has_text="Councillor Jan Reed").click()
    expect(page.locator(".facet-link.selected")).to_have_count(1)
    context.close()


def test_phone_width_has_no_horizontal_scroll_and_folds_the_filters(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 360, "height": 800})
    page = context.new_page()
    for url in ("/", "/search?q=budget&procedural=show", "/items/kingston:item:508", "/trends?q=budget&year=2019"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide"
    page.goto("/search?q=budget")
    expect(page.locator(".facets-box")).not_to_have_attribute("open", "")
    page.locator(".facets-box > summary").click()
    expect(page.locator(".facet-link").first).to_be_visible()
    context.close()


def test_keyboard_skip_link_and_visible_focus(page):
    page.goto("/search?q=foster")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link").first
    expect(skip).to_be_focused()
    assert skip.evaluate("el => el.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    outline = page.evaluate("""() => { const a = document.querySelector('.hit-title a'); a.focus();
        return getComputedStyle(a).outlineStyle; }""")
    assert outline == "solid"
