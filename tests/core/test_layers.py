"""The layering the README and docs/architecture.md state, checked on the source (imports anywhere
in a module count, inside functions too):

- Flask only in ``searchsvc/web/``; Whoosh only in ``searchsvc/index/``; APScheduler only in
  ``searchsvc/schedule.py``;
- the crawler takes only ``searchsvc.records``, ``searchsvc.config`` and ``searchsvc.errors``
  from searchsvc;
- parsers never fetch: a module of a committee system defining a top-level ``parse_*`` or
  ``assemble_*`` function reaches no network code, even through other modules;
- the web never writes: it reaches no job, lock, scheduler or crawler module and calls no
  writing method of the catalog or the index.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("searchsvc", "crawler")
NETWORK = {"crawler.fetch", "crawler.netguard", "crawler.robots", "crawler.walk", "socket", "http.client",
           "urllib.request", "ssl"}
WRITING_METHODS = {"put_page", "touch_page", "replace_items", "start_batch", "finish_batch", "start_run",
                   "finish_run", "migrate", "upsert_source", "upsert_committee", "upsert_meeting", "build_full",
                   "rollback", "prune", "clean_leftovers", "export_to", "export_stream"}


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _type_checking_only(module: ast.Module) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (not imported when the program runs)."""
    return {id(inner) for node in ast.walk(module) if isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
            for stmt in node.body for inner in ast.walk(stmt)}


def imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports when it runs, absolute, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    skip = _type_checking_only(tree(path))
    for node in ast.walk(tree(path)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # "from pkg import module"
    return found


def reached(start: str) -> set[str]:
    """Modules ``start`` imports, directly or through our own modules."""
    ours = modules()
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        for imported in imports(name, ours[name]):
            if imported not in seen:
                seen.add(imported)
                if imported in ours:
                    todo.append(imported)
    return seen


def offenders(where, forbidden) -> list[str]:
    return sorted(f"{name} imports {imp}" for name, path in modules().items() if where(name)
                  for imp in imports(name, path) if forbidden(imp))


def _top(module: str) -> str:
    return module.split(".")[0]


def test_flask_only_in_the_web_package():
    assert offenders(lambda n: not n.startswith("searchsvc.web"), lambda i: _top(i) in ("flask", "werkzeug", "gunicorn",
                                                                                  "prometheus_client")) == []


def test_whoosh_only_in_the_index_package():
    assert offenders(lambda n: not n.startswith("searchsvc.index"), lambda i: _top(i) == "whoosh") == []


def test_apscheduler_only_in_the_scheduler():
    assert offenders(lambda n: n != "searchsvc.schedule", lambda i: _top(i) == "apscheduler") == []


def test_the_crawler_takes_only_records_config_and_errors_from_searchsvc():
    allowed = ("searchsvc.records", "searchsvc.config", "searchsvc.errors")
    assert offenders(lambda n: n.startswith("crawler"),
                     lambda i: _top(i) == "searchsvc" and not i.startswith(allowed) and i != "searchsvc") == []


def parser_modules() -> list[str]:
    out = []
    for name, path in modules().items():
        if name.startswith("crawler.") and name.count(".") == 2:  # crawler.<system>.<module>
            tops = [n.name for n in tree(path).body if isinstance(n, ast.FunctionDef)]
            if any(t.startswith(("parse_", "assemble_")) for t in tops):
                out.append(name)
    return out


def test_parsers_never_fetch():
    parsers = parser_modules()
    assert "crawler.moderngov.meetings" in parsers and "crawler.moderngov.assemble" in parsers
    assert {p: sorted(reached(p) & NETWORK) for p in parsers if reached(p) & NETWORK} == {}


def test_the_web_never_writes():
    web = [n for n in modules() if n.startswith("searchsvc.web")]
    # crawler.registry is the one exception: the configuration asks it which source kinds exist.
    bad = {n: sorted(i for i in reached(n) - {"crawler.registry", "crawler.registry.kinds"}
                     if i.startswith(("searchsvc.jobs", "searchsvc.lock", "searchsvc.schedule", "crawler")))
           for n in web}
    assert {n: v for n, v in bad.items() if v} == {}
    calls = sorted(f"{n}: {node.func.attr}" for n in web for node in ast.walk(tree(modules()[n]))
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and node.func.attr in WRITING_METHODS)
    assert calls == []


def test_the_checks_see_real_imports():
    """The checks above would pass vacuously if the import reader were broken."""
    assert "whoosh" in {_top(i) for i in imports("searchsvc.index.store", modules()["searchsvc.index.store"])}
    assert "crawler.fetch" in reached("searchsvc.jobs")
    assert "crawler.fetch" in reached("crawler.moderngov.crawl")


def test_every_test_folder_is_a_package():
    """Test helpers are imported as ``tests.<folder>.<module>``, never through sys.path edits."""
    folders = {p.parent for p in (REPO / "tests").rglob("*.py") if "golden" not in p.parts}
    assert sorted(str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").is_file()) == []
