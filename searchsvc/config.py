"""Settings, declared once with their type, default and help, and the sources to crawl.

Why one table of settings: `searchsvc config` prints them, the README documents them (a
test checks that every one is mentioned), and a bad file, key or value fails with one line
naming the file, the key and what was expected, instead of a KeyError deep in a job.

Precedence, lowest first: the defaults below, the TOML file, environment variables
(``SEARCHSVC_DATA_DIR``), command-line flags (``--data-dir``). Loading is the only I/O here;
the resulting :class:`Config` is a plain frozen value.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from searchsvc.errors import ConfigError
from searchsvc.records import Source


def cores() -> int:
    """The CPU cores this process may run on: what a setting of 0 worker processes means
    (``web.workers``, ``crawl.parse_workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)

DEFAULT_CONFIG = Path("config/searchsvc.toml")
# The topic taxonomy shipped inside the package, used when no topics.toml sits beside the config.
PACKAGED_TOPICS = Path(__file__).resolve().parent / "enrich" / "topics.toml"


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    type: type
    default: Any
    help: str

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


SETTINGS: tuple[Setting, ...] = (
    Setting("storage", "data_dir", str, "indexes",
            "Data directory: catalog.sqlite, whoosh/<generation>/, CURRENT, lock, exports. "
            "Relative paths are taken from the working directory."),
    Setting("crawl", "requests_per_second", float, 1.0,
            "Politeness: at most this many requests per second to one host (0 = no limit, for local benchmarks)."),
    Setting("crawl", "user_agent", str, "searchsvc/0.1 (+https://example.org/contact)",
            "User-Agent sent with every request; name yourself and give a contact URL or address."),
    Setting("crawl", "timeout_seconds", float, 30.0, "Network timeout for one request."),
    Setting("crawl", "max_retries", int, 4,
            "Retries on connection errors, 429 and 5xx, with exponential backoff honouring Retry-After."),
    Setting("crawl", "max_page_bytes", int, 20_000_000,
            "Largest response accepted, PDFs included; bigger ones are skipped and logged."),
    Setting("crawl", "max_html_bytes", int, 2_000_000,
            "Largest HTML or XML page accepted (PDFs keep crawl.max_page_bytes): parsing costs far more per byte."),
    Setting("crawl", "max_crawl_delay", float, 60.0,
            "Longest robots.txt Crawl-delay obeyed, in seconds; a site asking for more is skipped for the run "
            "(and says so)."),
    Setting("crawl", "source_time_budget", float, 7200.0,
            "Seconds one source may take per run (0 = no limit); then its run ends with what it has and the next "
            "source starts."),
    Setting("crawl", "max_meetings_per_source", int, 30000,
            "Most meetings of one source visited per run (the newest first); the rest are recorded as cut."),
    Setting("crawl", "parse_workers", int, 0,
            "Processes reading and enriching stored meetings after a crawl or in `searchsvc reparse` (0 = one per "
            "CPU core, 1 = none besides the job's own); runs of fewer than 100 meetings stay in one process. "
            "The job's own process keeps every catalog write, so the catalog is the same whatever the number."),
    Setting("crawl", "lookback_days", int, 60,
            "Nightly runs re-fetch meetings from this many days back: minutes appear weeks after a meeting."),
    Setting("enrich", "topics_file", str, "",
            "The topic taxonomy (TOML): each topic with the phrases that assign it; edit it without touching code. "
            "A relative path is taken from the configuration file's folder (config/ when there is no file). "
            "Empty: topics.toml beside the configuration file if there is one, else the taxonomy shipped "
            "with searchsvc."),
    Setting("index", "writer_procs", int, 2, "Worker processes for a full rebuild (Whoosh writer procs)."),
    Setting("search", "cache_size", int, 512, "Search results kept in the LRU cache; any index change empties it."),
    Setting("search", "at_once", int, 1,
            "Searches one process computes at the same time (0 = no limit); the others wait their turn. A process "
            "runs one Python thread at a time, so interleaved searches each took as long as all of them: in turn, "
            "the tail is shorter (bench/README.md). Repeated searches answered from the cache never wait."),
    Setting("search", "per_page", int, 20, "Results per page unless the request asks otherwise."),
    Setting("search", "max_per_page", int, 100, "Largest per_page a request may ask for."),
    Setting("search", "max_query_length", int, 500, "Longest query text accepted, in characters."),
    Setting("web", "host", str, "127.0.0.1", "Address `searchsvc serve` listens on."),
    Setting("web", "port", int, 5000, "Port `searchsvc serve` listens on."),
    Setting("web", "workers", int, 0,
            "Worker processes of `searchsvc serve` (0 = one per CPU core available); each builds its own app."),
    Setting("web", "threads", int, 8,
            "Threads in each worker process of the WSGI server (each thread keeps its own index searcher)."),
    Setting("web", "admin_token", str, "",
            "Token required by admin actions over HTTP (Authorization: Bearer …); empty disables them."),
    Setting("web", "rate_limit_per_minute", int, 0,
            "Search API requests allowed per client address per minute (0 = unlimited)."),
    Setting("web", "csv_max_rows", int, 5000, "Most rows a CSV export of a search returns."),
    Setting("web", "max_body_bytes", int, 65536,
            "Largest request body accepted (the admin POST and forms); bigger ones get 413 before they are stored."),
    Setting("web", "public_base_url", str, "",
            "The site's public address, e.g. \"https://minutes.example.org/\": absolute links (Atom, OpenSearch, "
            "JSON) use it instead of the request's Host header. Empty = the Host header (only behind a proxy that "
            "sets it)."),
    Setting("schedule", "nightly", str, "0 2 * * *",
            "Cron expression (minute hour day month weekday) of the nightly update."),
    Setting("schedule", "rebuild", str, "30 3 * * 0",
            "Cron expression of the full rebuild into a new index generation."),
    Setting("schedule", "timezone", str, "Europe/London", "Time zone of the cron expressions."),
    Setting("schedule", "misfire_grace_seconds", int, 3600, "How late a missed run may still start."),
    Setting("export", "path", str, "", "File the nightly job refreshes with `export --format sqlite` (empty = none)."),
    # --- email alerts (searchsvc/alerts); the SMTP password only from SEARCHSVC_SMTP_PASSWORD ---
    Setting("alerts", "enabled", bool, False,
            "Offer \"Email me new matches\" and send digests after each nightly run."),
    Setting("alerts", "public_url", str, "",
            "The site's public address, e.g. \"https://search.example.org/\": links in emails point there."),
    Setting("alerts", "from_address", str, "", "From address of alert emails, e.g. \"alerts@example.org\"."),
    Setting("alerts", "smtp_host", str, "", "SMTP server that sends alert emails."),
    Setting("alerts", "smtp_port", int, 587, "SMTP port (587 for STARTTLS, 465 for TLS, 25 for none)."),
    Setting("alerts", "smtp_security", str, "starttls",
            "\"starttls\", \"tls\" (implicit, port 465) or \"none\" (a local relay only)."),
    Setting("alerts", "smtp_user", str, "",
            "SMTP login name (empty = no login); the password comes from the environment variable "
            "SEARCHSVC_SMTP_PASSWORD, never this file."),
    Setting("alerts", "smtp_timeout_seconds", float, 30.0,
            "Network timeout for the SMTP server; a dead server never holds up the nightly job longer."),
    Setting("alerts", "send_per_minute", int, 60, "Most alert emails sent per minute (0 = no limit)."),
    Setting("alerts", "confirm_hours", int, 48, "How long a confirmation link works."),
    Setting("alerts", "signups_per_address_per_day", int, 3,
            "Confirmation emails sent to one address per day; more sign-ups get the same answer but no email."),
    Setting("alerts", "signups_per_client_per_hour", int, 10,
            "Sign-ups accepted from one client address per hour (0 = unlimited)."),
    Setting("alerts", "max_per_address", int, 20, "Most alerts one email address may follow."),
    Setting("alerts", "max_items_per_alert", int, 10,
            "Most items listed per alert in one digest; the digest links to the rest."),
)

SOURCE_KEYS: dict[str, tuple[type, Any, str]] = {
    "name": (str, None, "Short id used in record ids and the source facet, e.g. \"kingston\"."),
    "title": (str, "", "The council's name as shown to users."),
    "kind": (str, "moderngov", "Committee system, naming its adapter (crawler/registry.py): \"moderngov\"."),
    "base_url": (str, None, "The folder holding the .aspx pages, e.g. \"https://moderngov.kingston.gov.uk/\"."),
    "committees": (list, [], "Optional list of committee ids to crawl; empty crawls all."),
    "since": (str, "", "Optional earliest meeting date, YYYY-MM-DD."),
    "documents": (bool, False, "Download meeting and item PDFs and index their text."),
    "allow_private": (bool, False,
                      "Allow this source's host to resolve to a private or loopback address (local test sites)."),
    "printed_minutes": (bool, True, "Read the printed-minutes PDF of meetings whose pages carry no minutes text "
                                    "(fetched even with documents = false)."),
    "ocr": (bool, False, "Read scanned minutes pages (no text layer) by OCR with Debian's tesseract-ocr."),
}


@dataclass(frozen=True)
class Config:
    values: Mapping[str, Any]
    sources: tuple[Source, ...] = ()
    path: Path | None = None  # the file it came from, if any

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def data_dir(self) -> Path:
        return Path(self.values["storage.data_dir"])

    @property
    def topics_file(self) -> Path:
        folder = self.path.parent if self.path else Path("config")
        named = self.values["enrich.topics_file"]
        if not named:  # a file named in the configuration is read from there, even when missing (an error)
            beside = folder / "topics.toml"
            return beside if beside.is_file() else PACKAGED_TOPICS
        path = Path(named)
        return path if path.is_absolute() else folder / path

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} in the configuration (configured: {known})")


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


def load_config(path: Path | str | None = None, *, environ: Mapping[str, str] | None = None,
                data_dir: str | Path | None = None) -> Config:
    """Read the configuration: ``path``, else ``SEARCHSVC_CONFIG``, else ``config/searchsvc.toml``
    if it exists, else the defaults with no sources."""
    environ = os.environ if environ is None else environ
    explicit = path or environ.get("SEARCHSVC_CONFIG")
    chosen = Path(explicit) if explicit else (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    raw: dict[str, Any] = {}
    if chosen is not None:
        try:
            raw = tomllib.loads(chosen.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{chosen}: configuration file not found") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{chosen}: not valid TOML: {e}") from None
        except UnicodeDecodeError as e:
            raise ConfigError(f"{chosen}: not UTF-8 text (byte {e.start}); save the file as UTF-8") from None
        except OSError as e:
            raise ConfigError(f"{chosen}: cannot read: {e.strerror}") from None
    config = parse_config(raw, origin=str(chosen) if chosen else "<defaults>")
    values = dict(config.values)
    if environ.get("SEARCHSVC_DATA_DIR"):
        values["storage.data_dir"] = environ["SEARCHSVC_DATA_DIR"]
    if data_dir:
        values["storage.data_dir"] = str(data_dir)
    # Resolved once, here: a relative data directory means relative to where the command was started,
    # not to wherever a library later looks (Flask's send_file resolves against the package folder).
    values["storage.data_dir"] = str(Path(values["storage.data_dir"]).expanduser().resolve())
    return Config(values=values, sources=config.sources, path=chosen)


def parse_config(raw: Mapping[str, Any], origin: str = "<config>") -> Config:
    """Validate a parsed TOML document (pure): unknown keys and wrong types are errors."""
    known = {s.name: s for s in SETTINGS}
    sections = {s.section for s in SETTINGS}
    values = defaults()
    for section, table in raw.items():
        if section == "sources":
            continue
        if section not in sections:
            raise ConfigError(f"{origin}: unknown section [{section}] (expected one of: "
                              f"{', '.join(sorted(sections | {'sources'}))})")
        if not isinstance(table, dict):
            raise ConfigError(f"{origin}: {section} must be a table [{section}]")
        for key, value in table.items():
            setting = known.get(f"{section}.{key}")
            if setting is None:
                options = ", ".join(s.key for s in SETTINGS if s.section == section)
                raise ConfigError(f"{origin}: unknown key {section}.{key} (known in [{section}]: {options})")
            values[setting.name] = _coerce(value, setting.type, f"{origin}: {setting.name}")
    _check_values(values, origin)
    raw_sources = raw.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{origin}: sources must be an array of tables ([[sources]])")
    sources = tuple(_parse_source(s, i, origin) for i, s in enumerate(raw_sources))
    names = [s.name for s in sources]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{origin}: two sources are named {name!r}; names must be unique")
    return Config(values=values, sources=sources)


def _coerce(value: Any, typ: type, where: str) -> Any:
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if typ is bool and not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if typ is not bool and isinstance(value, bool) or not isinstance(value, typ):
        expected = {str: "a string", int: "a whole number", float: "a number", list: "a list"}[typ]
        raise ConfigError(f"{where}: expected {expected}, got {value!r}")
    return value


def _check_values(values: Mapping[str, Any], origin: str) -> None:
    for name, value in values.items():  # TOML has nan and inf; no setting means either
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{origin}: {name}: expected a finite number, got {value!r}")
    for name in ("crawl.timeout_seconds", "crawl.max_page_bytes", "crawl.max_html_bytes",
                 "crawl.max_meetings_per_source",
                 "index.writer_procs",
                 "search.per_page", "search.max_per_page", "search.max_query_length", "web.threads"):
        if values[name] <= 0:
            raise ConfigError(f"{origin}: {name}: expected a number above 0, got {values[name]!r}")
    for name in ("crawl.requests_per_second", "crawl.max_retries", "crawl.lookback_days", "crawl.max_crawl_delay",
                 "crawl.source_time_budget", "crawl.parse_workers",
                 "search.cache_size", "search.at_once", "web.rate_limit_per_minute", "web.workers",
                 "schedule.misfire_grace_seconds"):
        if values[name] < 0:
            raise ConfigError(f"{origin}: {name}: expected 0 or more, got {values[name]!r}")
    if not 0 < values["web.port"] < 65536:
        raise ConfigError(f"{origin}: web.port: expected a port number 1-65535, got {values['web.port']!r}")
    for name in ("schedule.nightly", "schedule.rebuild"):
        if len(values[name].split()) != 5:
            raise ConfigError(f"{origin}: {name}: expected a cron expression of five fields "
                              f"(minute hour day month weekday), got {values[name]!r}")
    if values["web.max_body_bytes"] <= 0:
        raise ConfigError(f"{origin}: web.max_body_bytes: expected a number above 0, "
                          f"got {values['web.max_body_bytes']!r}")
    public = urlsplit(values["web.public_base_url"])
    if values["web.public_base_url"] and (public.scheme not in ("http", "https") or not public.hostname
                                          or public.query or public.fragment or public.username):
        raise ConfigError(f"{origin}: web.public_base_url: expected an http(s) URL like "
                          f"\"https://minutes.example.org/\", "
                          f"got {values['web.public_base_url']!r}")
    _check_schedule(values, origin)


def _check_schedule(values: Mapping[str, Any], origin: str) -> None:
    """Time zone and cron expressions are checked now, not when the scheduler first starts at
    night: a typo should fail `searchsvc config`, not the 02:00 run."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from searchsvc.crontab import cron_problem  # APScheduler's grammar, without APScheduler (layers)

    try:
        ZoneInfo(values["schedule.timezone"])
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(f"{origin}: schedule.timezone: unknown time zone {values['schedule.timezone']!r} "
                          f"(expected a name like Europe/London)") from None
    for name in ("schedule.nightly", "schedule.rebuild"):
        problem = cron_problem(values[name])
        if problem:
            raise ConfigError(f"{origin}: {name}: not a valid cron expression {values[name]!r}: {problem}")


def _parse_source(table: Any, index: int, origin: str) -> Source:
    where = f"{origin}: sources[{index}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table ([[sources]])")
    for key in table:
        if key not in SOURCE_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(SOURCE_KEYS)})")
    v: dict[str, Any] = {}
    for key, (typ, default, _help) in SOURCE_KEYS.items():
        if key not in table:
            if default is None:
                raise ConfigError(f"{where}: missing required key {key!r}")
            v[key] = default
        else:
            v[key] = _coerce(table[key], typ, f"{where}.{key}")
    name = v["name"]
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ConfigError(f"{where}.name: expected letters, digits, '-' or '_', got {name!r}")
    from crawler.registry import kinds  # a leaf module: the committee systems adapters exist for

    if v["kind"] not in kinds():
        raise ConfigError(f"{where}.kind: expected one of {', '.join(kinds())}, got {v['kind']!r}")
    parts = urlsplit(v["base_url"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}.base_url: expected an http(s) URL, got {v['base_url']!r}")
    if parts.username is not None or parts.password is not None:
        # It would be stored with every record and published in /export downloads.
        raise ConfigError(f"{where}.base_url: must not contain a user name or password ({parts.scheme}://…@"
                          f"{parts.hostname}/); the crawler only reads public pages")
    base_url = v["base_url"] if v["base_url"].endswith("/") else v["base_url"] + "/"
    since = None
    if v["since"]:
        try:
            since = date.fromisoformat(v["since"])
        except ValueError:
            raise ConfigError(f"{where}.since: expected a date YYYY-MM-DD, got {v['since']!r}") from None
    return Source(name=name, title=v["title"] or name, kind=v["kind"], base_url=base_url,
                  committees=tuple(str(c) for c in v["committees"]), since=since,
                  documents=v["documents"], allow_private=v["allow_private"],
                  printed_minutes=v["printed_minutes"], ocr=v["ocr"])


def describe(config: Config) -> str:
    """The effective configuration as TOML-like text, with each setting's help (for `searchsvc config`)."""
    lines = [f"# from {config.path or 'built-in defaults'}"]
    section = None
    for s in SETTINGS:
        if s.section != section:
            section = s.section
            lines.append(f"\n[{section}]")
        lines.append(f"# {s.help}")
        lines.append(f"{s.key} = {_toml_value(config[s.name])}")
    for src in config.sources:
        lines += ["", "[[sources]]", f'name = "{src.name}"', f"title = {_toml_value(src.title)}",
                  f'kind = "{src.kind}"', f'base_url = "{src.base_url}"',
                  f"committees = {_toml_value(list(src.committees))}",
                  f'since = "{src.since.isoformat() if src.since else ""}"',
                  f"documents = {_toml_value(src.documents)}", f"allow_private = {_toml_value(src.allow_private)}",
                  f"printed_minutes = {_toml_value(src.printed_minutes)}", f"ocr = {_toml_value(src.ocr)}"]
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)
