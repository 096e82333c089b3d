"""The `searchsvc` command: the only module that imports every layer.

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error. Errors print one line
(``searchsvc: error: …``); ``-v`` adds the traceback and debug logging. Logging is
configured here and nowhere else.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import click

from searchsvc import jobnames
from searchsvc.catalog import Catalog
from searchsvc.config import Config, describe, load_config
from searchsvc.errors import ConfigError, QueryError, SearchsvcError
from searchsvc.lock import WriterLock

log = logging.getLogger("searchsvc")


@dataclass
class State:
    config_path: str | None = None
    data_dir: str | None = None
    verbose: int = 0
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, data_dir=self.data_dir)
        return self._config


class Group(click.Group):
    """Maps our errors to one line and an exit code; unexpected ones to exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in an ignored error at exit
            return result
        except BrokenPipeError:
            # `searchsvc search … | head`: the reader has all it wants. Stop quietly, like other tools.
            _quiet_stdout()
            ctx.exit(0)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except SearchsvcError as e:
            _fail(ctx, str(e), e.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted", 130)
        except Exception as e:  # noqa: BLE001 - a bug: still one line unless -v
            _fail(ctx, f"unexpected {type(e).__name__}: {e} (run with -v for the traceback)", 1)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's buffer)
        pass


def _fail(ctx: click.Context, message: str, code: int) -> None:
    state = ctx.find_object(State)
    if state is not None and state.verbose:
        traceback.print_exc()
    click.echo(f"searchsvc: error: {message}", err=True)
    ctx.exit(code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="PATH", envvar="SEARCHSVC_CONFIG",
              help="Configuration file (default config/searchsvc.toml; env SEARCHSVC_CONFIG).")
@click.option("--data-dir", metavar="DIR", help="Data directory (overrides [storage] data_dir and SEARCHSVC_DATA_DIR).")
@click.option("-v", "--verbose", count=True, help="More logging; tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.version_option(package_name="searchsvc")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, data_dir: str | None, verbose: int, quiet: bool) -> None:
    """Full-text, speaker-aware, faceted search over council committee minutes."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = State(config_path=config_path, data_dir=data_dir, verbose=verbose)


@cli.command("config")
@click.pass_obj
def config_cmd(state: State) -> None:
    """Print the effective configuration, with each setting's help."""
    click.echo(describe(state.config), nl=False)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def main() -> None:
    cli(prog_name="searchsvc")


# --- helpers shared by the commands ---------------------------------------------------------

def _progress(line: str) -> None:
    click.echo(line, err=True)


def _taxonomy(config: Config):
    from searchsvc.enrich.topics import load_taxonomy

    return load_taxonomy(config.topics_file)


def _sources(config: Config, name: str | None):
    if name:
        return [config.source(name)]
    if not config.sources:
        raise ConfigError(f"{config.path or 'the configuration'}: no [[sources]] configured; "
                          "add one (see README, Configuration) or try `searchsvc demo`")
    return list(config.sources)


def _report_run(summary) -> None:
    for failure in summary.failures:
        click.echo(f"FAILED {failure['source'] or 'index'}: {failure['error']}", err=True)
    if summary.index:
        click.echo(f"index: {summary.index.get('mode')} -> generation {summary.index.get('generation')}, "
                   f"{summary.index.get('documents')} documents")
    click.echo(f"run {summary.run_id}: {summary.status}")
    if summary.status != "ok":
        raise click.exceptions.Exit(1)


# --- commands --------------------------------------------------------------------------

@cli.command()
@click.option("--source", "source_name", metavar="NAME", help="Only this source (default: all configured).")
@click.option("--full", is_flag=True, help="Re-walk everything instead of what is new, changed or recent.")
@click.option("--index/--no-index", "do_index", default=False, help="Update the search index afterwards.")
@click.option("--wait", type=float, default=0, metavar="SECONDS", help="Wait this long for another writer to finish.")
@click.pass_obj
def crawl(state: State, source_name: str | None, full: bool, do_index: bool, wait: float) -> None:
    """Fetch new and changed pages of the configured councils and update the catalog."""
    from searchsvc.jobs import run_sources

    config = state.config
    sources = _sources(config, source_name)
    with WriterLock(config.data_dir, jobnames.CRAWL.name, wait), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, sources, _taxonomy(config), job=jobnames.CRAWL.name,
                              today=date.today(), full=full,
                              index="update" if do_index else None, progress=_progress)
    _report_run(summary)


@cli.command()
@click.option("--source", "source_name", metavar="NAME", help="Only this source (default: all configured).")
@click.option("--wait", type=float, default=0, metavar="SECONDS", help="Wait this long for another writer to finish.")
@click.pass_obj
def reparse(state: State, source_name: str | None, wait: float) -> None:
    """Rebuild records from the stored raw pages (after a parser or taxonomy change); no network."""
    from searchsvc.jobs import run_sources

    config = state.config
    sources = _sources(config, source_name)
    with WriterLock(config.data_dir, jobnames.REPARSE.name, wait), Catalog.in_dir(config.data_dir) as catalog:
        summary = run_sources(catalog, config, sources, _taxonomy(config), job=jobnames.REPARSE.name,
                              today=date.today(),
                              reparse=True, progress=_progress)
    _report_run(summary)


@cli.command()
@click.option("--full", is_flag=True, help="Build a new generation beside the live one and switch atomically.")
@click.option("--wait", type=float, default=0, metavar="SECONDS", help="Wait this long for another writer to finish.")
@click.pass_obj
def index(state: State, full: bool, wait: float) -> None:
    """Update the search index with what changed in the catalog (or rebuild it with --full)."""
    from searchsvc.jobs import run_index

    config = state.config
    job = jobnames.INDEX_FULL if full else jobnames.INDEX
    with WriterLock(config.data_dir, job.name, wait), Catalog.in_dir(config.data_dir) as catalog:
        result = run_index(catalog, config, job=job.name, full=full)
    click.echo(f"index: {result['mode']} -> generation {result['generation']}, {result['documents']} documents")


@cli.command()
@click.argument("path_or_url")
@click.option("--url", "page_url", metavar="URL", help="The page's original URL, when parsing a saved file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (default: a short text summary).")
@click.option("--passages", "show_passages", is_flag=True,
              help="List every passage with its speakers (the default for item, issue and decision pages).")
@click.pass_obj
def parse(state: State, path_or_url: str, page_url: str | None, as_json: bool, show_passages: bool) -> None:
    """Parse one saved page or fetch one URL and print what it found (for fixing a new council)."""
    from searchsvc.inspect import inspect_page

    result = inspect_page(path_or_url, page_url=page_url, config=state.config)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"{result['kind']}: {result['url']}")
        show_passages = show_passages or result["kind"] in ("item", "issue", "issue_decisions", "decision",
                                                           "printed_minutes")
        for item in result.get("items", []):
            dated = item.get("date") and result["kind"].startswith("issue")
            when = f" [{item['date']} {item['committee']}]" if dated else ""
            click.echo(f"  {item['number']:>5} {item['title']}{when}  ({len(item['passages'])} passages; "
                       f"speakers: {', '.join(item['speakers']) or '-'})")
            for p in item["passages"] if show_passages else ():
                who = ", ".join(p["speakers"]) or "-"
                text = p["text"].replace("\n", " ")
                page = f" p.{p['page']}" if p.get("page") else ""
                more = "…" if len(text) > 110 else ""
                click.echo(f"    {p['anchor']:>4}{page} {p['section'][:3]} [{who}] {text[:110]}{more}")
        for key in ("committees", "meetings", "members"):
            if key in result:
                click.echo(f"  {len(result[key])} {key}")


def _facet_options(command):
    """One repeatable ``--<facet>`` option per facet of :data:`searchsvc.facets.FACETS`."""
    from searchsvc.facets import FACETS

    for f in reversed(FACETS):
        command = click.option(f"--{f.name}", f.name, multiple=True, help=f.help)(command)
    return command


def _sort_choice() -> click.Choice:
    from searchsvc.facets import SORT_NAMES

    return click.Choice(SORT_NAMES)


@cli.command()
@click.argument("query", required=False, default="")
@_facet_options
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Meetings on or after this date.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Meetings on or before this date.")
@click.option("--sort", type=_sort_choice(), default="relevance")
@click.option("--procedural", is_flag=True, help="Include procedural items (apologies, minutes of the last meeting…).")
@click.option("--page", type=int, default=1)
@click.option("--per-page", type=int, default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON object as GET /api/search.")
@click.pass_obj
def search(state: State, query: str, date_from, date_to, sort, procedural, page, per_page, as_json,
           **facet_values) -> None:
    """Search the index from the command line.

    The request goes through the web app in-process (no server is started), so the
    parameters are checked and the JSON is shaped exactly as GET /api/search does it.
    """
    from searchsvc.web import create_app

    args = [("q", query), ("sort", sort), ("page", str(page)), ("procedural", "show" if procedural else "hide")]
    args += [(name, v) for name, values in facet_values.items() for v in values]
    args += [(name, v) for name, v in (("from", date_from), ("to", date_to), ("per_page", per_page)) if v]
    config = state.config
    # Links in the results point at the web app as `searchsvc serve` would run it.
    base_url = f"http://{config['web.host']}:{config['web.port']}"
    with create_app(config).test_client() as client:
        data = client.get("/api/search", query_string=[(k, str(v)) for k, v in args], base_url=base_url).get_json()
    if not data.get("ok"):
        raise QueryError(data.get("error", "the search failed")) if data.get("status") == 400 \
            else SearchsvcError(data.get("error", "the search failed"))
    if as_json:
        echo_json(data)
        return
    last_page = max(1, -(-data["total"] // data["per_page"]))
    click.echo(f"{data['total']} items, page {data['page']} of {last_page}")
    for hit in data["results"]:
        click.echo(f"{hit['date']}  {hit['committee']}  {hit['item_number']} {hit['title']}")
        click.echo(f"    {hit['url']}")
        for snippet in hit["snippets"][:1]:
            text = re.sub(r"<[^>]+>", "", snippet["html"])
            who = ", ".join(snippet["speakers"])
            click.echo(f"    {html.unescape(text)[:160]}" + (f"  [{who}]" if who else ""))
    if data["suggestion"]:
        click.echo(f"Did you mean: {data['suggestion']}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status(state: State, as_json: bool) -> None:
    """Per source: records, coverage, recent runs; index generation and size."""
    from searchsvc.status import collect_status

    report = collect_status(state.config)
    if as_json:
        echo_json(report)
        if report["problems"]:
            sys.exit(1)
        return
    index = report["index"]
    click.echo(f"data directory: {report['data_dir']}")
    if index.get("error"):
        click.echo(f"index: BROKEN: {index['error']}")
    else:
        click.echo(f"index: generation {index['generation'] or '-'}, {index['documents']} documents, "
                   f"{index['size_bytes'] / 1e6:.1f} MB")
    if report["catalog"].get("error"):
        click.echo(f"catalog: BROKEN: {report['catalog']['error']}")
    for src in report["sources"]:
        click.echo(f"{src['name']}: {src['meetings']} meetings, {src['items']} items, {src['passages']} passages, "
                   f"{src['earliest'] or '-'} to {src['latest'] or '-'}; last success {src['last_success'] or 'never'}")
    for run in report["runs"][:10]:
        click.echo(f"  run {run['id']} {run['job']} {run['status']} {run['started_at']} "
                   f"({run['seconds'] if run['seconds'] is not None else '?'} s, {run['errors']} errors)")
    for problem in report["problems"]:
        click.echo(f"searchsvc: error: {problem}", err=True)
    if report["problems"]:
        sys.exit(1)


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port for the web app (default web.port).")
@click.option("--sample-port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Port of the sample council site.")
@click.option("--size", type=float, default=1.0, show_default=True,
              help="Size of the sample council (1.0 ≈ 700 meetings, 6,000 items).")
@click.option("--no-serve", is_flag=True, help="Stop after indexing instead of serving search.")
@click.pass_obj
def demo(state: State, port: int | None, sample_port: int, size: float, no_serve: bool) -> None:
    """Crawl the built-in sample council, index it and serve search on 127.0.0.1."""
    from searchsvc.demo import run_demo

    run_demo(state.config, sample_port=sample_port, size=size, port=port, serve=not no_serve, echo=click.echo)


@cli.command()
@click.option("--once", type=click.Choice(jobnames.SCHEDULED_NAMES), help="Run this job now, as cron would, and exit.")
@click.pass_obj
def schedule(state: State, once: str | None) -> None:
    """Run the nightly update and weekly rebuild on their cron schedule (its own process; never in web workers)."""
    from searchsvc.schedule import build_scheduler, run_once

    config = state.config
    if once:
        status = run_once(config, once)
        click.echo(f"{once}: {status}")
        if status != "ok":
            raise click.exceptions.Exit(1)
        return
    scheduler = build_scheduler(config)
    for job in scheduler.get_jobs():
        click.echo(f"scheduled {job.name}: {job.trigger}", err=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default web.host).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default web.port).")
@click.option("--workers", type=click.IntRange(0, 1000), default=None,
              help="Worker processes (default web.workers; 0 = one per CPU core).")
@click.option("--threads", type=click.IntRange(1, 1000), default=None,
              help="Threads in each worker process (default web.threads).")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger: never in production.")
@click.pass_obj
def serve(state: State, host: str | None, port: int | None, workers: int | None, threads: int | None,
          debug: bool) -> None:
    """Serve the search web app with a production WSGI server (gunicorn: worker processes with threads)."""
    from searchsvc.web.server import serve as serve_app
    from searchsvc.web.server import serve_debug

    config = state.config
    host, port = host or config["web.host"], port or config["web.port"]
    click.echo(f"serving http://{host}:{port}/", err=True)
    if debug:
        from searchsvc.web import create_app

        serve_debug(create_app(config), host, port)
    else:
        serve_app(config, host=host, port=port, workers=config["web.workers"] if workers is None else workers,
                  threads=threads or config["web.threads"])


def _export_format_option(command):
    from searchsvc.export import WRITERS

    names = list(WRITERS)
    helps = "; ".join(f"{name}: {w.help}" for name, w in WRITERS.items())
    return click.option("--format", "fmt", type=click.Choice(names, case_sensitive=False), default=names[0],
                        show_default=True, help=helps + ".")(command)


@cli.command("export")
@_export_format_option
@click.option("--out", "out", metavar="PATH",
              help="Output file (default <data_dir>/exports/searchsvc-<date>.<format>); '-' = stdout (jsonl, csv).")
@click.pass_obj
def export(state: State, fmt: str, out: str | None) -> None:
    """Write the whole archive in a documented, stable shape (docs/export.md); no writer lock needed."""
    from searchsvc.catalog import CATALOG_FILE
    from searchsvc.export import WRITERS, export_stream, export_to, stream_formats

    config = state.config
    fmt = fmt.lower()
    if out == "-" and not WRITERS[fmt].streams:
        raise click.UsageError(f"--out - needs --format {' or '.join(stream_formats())}; the {fmt} export is a file")
    if not (config.data_dir / CATALOG_FILE).is_file():
        raise SearchsvcError(f"no catalog in {config.data_dir}: nothing to export (run `searchsvc crawl` first)")
    with Catalog.in_dir(config.data_dir) as catalog:
        if out == "-":
            summary = export_stream(catalog, config, fmt, sys.stdout, progress=_progress)
        else:
            summary = export_to(catalog, config, fmt, out, progress=_progress)
    where = summary.path or "stdout"
    click.echo(f"{where}: {summary.rows} items, {summary.bytes} bytes ({summary.bytes / 1e6:.1f} MB)",
               err=out == "-")


# --- email alerts: the commands live with the feature (searchsvc/alerts/commands.py) -------------
from searchsvc.alerts.commands import alerts_group  # noqa: E402

cli.add_command(alerts_group)
