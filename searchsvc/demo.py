"""`make demo` / `searchsvc demo`: the whole pipeline on the built-in sample council.

It serves the sample council site on 127.0.0.1, crawls it as it would a real council
(robots.txt, conditional GETs; the rate limit lifted because the site is local), parses
and enriches the minutes, indexes them and serves search — keeping the sample site up so
the "view on the council's site" links work.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Callable

from searchsvc.catalog import Catalog
from searchsvc.config import Config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import run_sources
from searchsvc.lock import WriterLock
from searchsvc.records import Source

SAMPLE_SOURCE = "sample"


def sample_config(config: Config, base_url: str, title: str) -> Config:
    """``config`` crawling only the sample site at ``base_url``, with no rate limit."""
    source = Source(name=SAMPLE_SOURCE, title=title, kind="moderngov",
                    base_url=base_url, allow_private=True)
    values = dict(config.values, **{"crawl.requests_per_second": 0.0})
    return dataclasses.replace(config, values=values, sources=(source,))


def run_demo(config: Config, *, sample_port: int, size: float, port: int | None, serve: bool,
             echo: Callable[[str], None]) -> None:
    from searchsvc.sample import SampleSite, serve_site

    site = SampleSite(seed=1, size=size)
    with serve_site(site, port=sample_port) as server:
        config = sample_config(config, server.base_url, f"{site.council_name} (sample)")
        echo(f"sample council site: {server.base_url}")
        echo(f"crawling it into {config.data_dir} …")
        taxonomy = load_taxonomy(config.topics_file)
        with WriterLock(config.data_dir, "demo"), Catalog.in_dir(config.data_dir) as catalog:
            summary = run_sources(catalog, config, config.sources, taxonomy, job="demo", today=date.today(),
                                  index="update", progress=lambda line: echo(f"  {line}"))
            counts = catalog.counts(SAMPLE_SOURCE)
            example = _example_speaker(catalog, "foster")
            exported = _make_export(catalog, config, echo)
        for failure in summary.failures:
            echo(f"FAILED {failure['source'] or 'index'}: {failure['error']}")
        echo(f"catalog: {counts['meetings']} meetings, {counts['items']} items, {counts['passages']} passages "
             f"from {counts['pages']} stored pages")
        if summary.index:
            echo(f"index: generation {summary.index.get('generation')}, {summary.index.get('documents')} documents")
        if example:
            echo(f'try: .venv/bin/searchsvc search foster --speaker "{example}"')
        if exported:
            echo(f"export for the Data page: {exported}")
        if summary.status == "failed":
            raise SystemExit(1)
        if serve:
            _serve(config, port, echo)


def _serve(config: Config, port: int | None, echo: Callable[[str], None]) -> None:
    try:
        from searchsvc.web.server import serve
    except ImportError:
        echo("(the web app is not part of this version; stopping here)")
        return
    host = config["web.host"]
    port = port or config["web.port"]
    echo(f"search the sample archive at http://{host}:{port}/  (Ctrl-C to stop)")
    serve(config, host=host, port=port, workers=config["web.workers"], threads=config["web.threads"])


def _make_export(catalog: Catalog, config: Config, echo: Callable[[str], None]) -> str:
    """A CSV export in ``<data_dir>/exports``, so the demo's Data page has something to download."""
    from searchsvc.export import export_to

    try:
        return str(export_to(catalog, config, "csv").path)
    except Exception as e:  # noqa: BLE001 - the demo still serves search without it
        echo(f"(no export made: {e})")
        return ""


def _example_speaker(catalog: Catalog, word: str) -> str | None:
    """The councillor whose passages mention ``word`` most often: a search hint that finds something."""
    name = catalog.top_speaker_mentioning(word, "Councillor ")
    return name.split()[-1] if name else None
