"""Crawling the built-in sample council in tests: one source, no rate limit, a real server."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from crawler.fetch import Fetcher
from searchsvc.catalog import Catalog
from searchsvc.config import Config, parse_config
from searchsvc.demo import sample_config
from searchsvc.enrich.topics import load_taxonomy
from searchsvc.jobs import crawl_source, fetch_settings
from searchsvc.sample.model import TODAY

REPO = Path(__file__).resolve().parents[2]
SAMPLE_TODAY = TODAY.date()


def config_for(site, data_dir: Path) -> Config:
    base = parse_config({"storage": {"data_dir": str(data_dir)},
                         "enrich": {"topics_file": str(REPO / "config" / "topics.toml")}})
    return sample_config(base, site.base_url, "Sample")


def crawl(site, catalog: Catalog, data_dir: Path, *, full: bool = False, today=SAMPLE_TODAY,
          parse_workers: int | None = None):
    config = config_for(site, data_dir)
    if parse_workers is not None:
        config = dataclasses.replace(config, values={**config.values, "crawl.parse_workers": parse_workers})
    (source,) = config.sources
    fetcher = Fetcher(fetch_settings(config, [source]))
    taxonomy = load_taxonomy(config.topics_file)
    return crawl_source(catalog, config, source, taxonomy, today=today, full=full, fetcher=fetcher)


def write_config(folder: Path, site, *, data_dir: Path | None = None, export_path: Path | None = None,
                 tables: str = "", **crawl: object) -> Path:
    """A configuration file crawling only ``site``, as an operator would write it (``tables``: more
    of it, TOML tables such as ``[alerts]``)."""
    extra = "".join(f"{k} = {v}\n" for k, v in crawl.items())
    if export_path:
        extra += f'[export]\npath = "{export_path}"\n'

    path = folder / "searchsvc.toml"
    path.write_text(f"""
[storage]
data_dir = "{data_dir or folder / 'data'}"
[crawl]
{extra}
[enrich]
topics_file = "{REPO / 'config' / 'topics.toml'}"
{tables}
[[sources]]
name = "sample"
base_url = "{site.base_url}"
allow_private = true
""")
    return path
