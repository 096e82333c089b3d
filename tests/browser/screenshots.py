"""Screenshots of the home, results, item, trends, councillors, committees, topics and status pages.

Run by ``make screenshots`` (``.venv/bin/python tests/browser/screenshots.py``): builds the
test archive in a temporary directory, serves it on 127.0.0.1 (BackgroundServer), and
saves full-page PNGs into ``screenshots/`` (git-ignored) for a reviewer to look at.
Uses Debian's ``/usr/bin/chromium``; never downloads a browser.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run as a script: make the tests package importable

from tests.web import sampledata  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = {
    "home": "/",
    "results": "/search?q=budget+OR+foster&topic=children&topic=budget&procedural=show",
    "item": "/items/kingston:item:508#p2",
    "trends": "/trends?q=budget&year=2019",
    "councillors": "/councillors",
    "committees": "/committees",
    "committee": "/committees/kingston:committee:12",
    "topics": "/topics",
    "item-from-search": "/items/kingston:item:508?q=foster+care",
    "status": "/status",
}
WIDTHS = (1280, 360)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots", help="folder for the PNGs")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"screenshots: {CHROMIUM} not found; install Debian's chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from searchsvc.web import create_app
    from searchsvc.web.server import BackgroundServer

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = sampledata.build(Path(tmp) / "data")
        app = create_app(sampledata.config(data_dir), {"SEARCHSVC_DATA_DIR": str(data_dir)})
        with BackgroundServer(app) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width in WIDTHS:
                context = browser.new_context(base_url=url, viewport={"width": width, "height": 900},
                                              device_scale_factor=1, locale="en-GB")
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(path)
                    page.wait_for_load_state("load")
                    target = args.out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
                context.close()
            browser.close()
        app.extensions["searchsvc"].close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
