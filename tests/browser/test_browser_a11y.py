"""Automated accessibility check: axe-core (from npm) in real Chromium, no serious or critical violations."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "results": "/search?q=budget&procedural=show",
    "results with filters": "/search?q=foster&speaker=Councillor+Jan+Reed&year=2017",
    "no results": "/search?q=apologies",
    "item": "/items/kingston:item:508",
    "meeting": "/meetings/kingston:meeting:100",
    "speaker": "/speakers/Councillor Jan Reed",
    "trends": "/trends?q=budget&year=2019",
    "error": "/search?q=%22unclosed",
    "councillors": "/councillors",
    "committees": "/committees",
    "topics": "/topics",
    "committee": "/committees/kingston:committee:12",
    "item from a search": "/items/kingston:item:508?q=foster+care",
    "status": "/status",
    "data": "/export",
}


PHONE = ("home", "results", "item", "councillors", "committees", "status")  # also checked at phone width
CASES = [(name, 1280) for name in PAGES] + [(name, 360) for name in PHONE]


@pytest.mark.parametrize("name,width", CASES)
def test_no_serious_or_critical_axe_violations(axe_path, browser, server_url, name, width):
    # bypass_csp: the injected axe script is inline, which our own CSP (rightly) forbids.
    context = browser.new_context(base_url=server_url, viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(PAGES[name])
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    context.close()
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                       + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                   for n in v["nodes"][:5]) for v in bad)
    assert not bad, f"{name} at {width}px:\n{report}"
