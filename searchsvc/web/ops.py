"""Operations: /status, /healthz, /metrics, /export downloads and the token-guarded admin trigger.

Web workers never write: the admin trigger starts the job as a separate `searchsvc schedule
--once` process, which takes the data directory's writer lock like any other writer. Admin
actions are off unless `web.admin_token` is set, and the token is compared in constant time.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, send_file, url_for

from searchsvc.export import WRITERS
from searchsvc.jobnames import SCHEDULED_NAMES
from searchsvc.status import collect_status
from searchsvc.web.params import reject_unknown
from searchsvc.web.render import excel_csv_download
from searchsvc.web.services import services

bp = Blueprint("ops", __name__)
SEARCH_PATHS = ("/search", "/api/search", "/search.atom", "/search.csv")
EXPORT_SUFFIXES = tuple(s for w in WRITERS.values() for s in (w.suffix, *w.aliases))  # the export formats' files


BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, float("inf"))


class QueryMetrics:
    """Counters of search requests for /metrics, kept by ``prometheus_client``.

    Why its multiprocess mode: ``searchsvc serve`` runs several worker processes, and a scrape
    answered by one of them must count the requests all of them served. The server sets
    ``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory before any worker starts; each worker's
    counters then live in files there, which a scrape adds up (:meth:`exposition`). Without it
    (tests, ``--debug``) they are this app's own registry."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.count = Counter("searchsvc_queries", "Search requests served, by path and status.",
                             ["path", "status"], registry=self.registry)
        self.seconds = Histogram("searchsvc_query_duration_seconds", "Search request latency.",
                                 buckets=BUCKETS, registry=self.registry)

    def observe(self, path: str, status: int, seconds: float) -> None:
        self.count.labels(path, str(status)).inc()
        self.seconds.observe(seconds)

    def exposition(self, extra: list[Any]) -> bytes:
        """The Prometheus text of every process's counters plus ``extra`` metric families."""
        from prometheus_client import CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = self.registry
        return generate_latest(_Fixed(extra)) + generate_latest(registry)


class _Fixed:
    """A collector of metric families computed for one scrape."""

    def __init__(self, families: list[Any]):
        self.families = families

    def collect(self) -> list[Any]:
        return self.families


def install(app: Any) -> None:
    metrics = app.extensions["searchsvc_metrics"] = QueryMetrics()

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response: Any) -> Any:
        if request.path in SEARCH_PATHS and "started" in g:
            metrics.observe(request.path, response.status_code, time.perf_counter() - g.started)
        return response

    app.register_blueprint(bp)


def _status() -> dict[str, Any]:
    svc = services()
    report = collect_status(dataclasses.replace(svc.config, values={**svc.config.values,
                                                                    "storage.data_dir": str(svc.data_dir)}))
    report.pop("data_dir", None)  # where the server keeps its files is nobody else's business
    return json.loads(hide_paths(json.dumps(report)))


def _worker() -> dict[str, Any]:
    """Which worker process answered and which index version it searches: with several worker
    processes each picks up a new index generation on its own, and this shows that it did."""
    try:
        version = services().reader.version()
    except Exception:  # noqa: BLE001 - no index yet: the status report says why
        version = None
    return {"process": os.getpid(), "index_version": version}


def hide_paths(text: str) -> str:
    """``text`` with the server's own folders (data directory, configuration, working directory)
    replaced by "…": error pages and /api/status must not map the server's disk for a visitor."""
    svc = services()
    roots = {str(svc.data_dir), str(svc.data_dir.resolve()), os.getcwd()}
    if svc.config.path:
        roots |= {str(svc.config.path.parent), str(svc.config.path.resolve().parent)}
    for root in sorted((r for r in roots if len(r) > 1), key=len, reverse=True):
        text = text.replace(root, "…")
    return text


@bp.route("/status")
@bp.route("/api/status", endpoint="api_status")
def status() -> Any:
    reject_unknown(request.args)
    report = _status()
    if request.path.startswith("/api/"):
        return jsonify({"ok": True, **report, "worker": _worker()})
    return render_template("status.html", report=report, json_url=url_for("ops.api_status"))


@bp.route("/healthz")
def healthz() -> Any:
    """200 when the index opens and answers; says how old the last successful run is."""
    report = _status()
    index = report["index"]
    healthy = bool(index.get("generation")) and not report["problems"]
    if healthy and not index.get("documents") and report["catalog"].get("items"):
        healthy, index = False, {**index, "error": "the index is empty but the catalog holds items"}
    if healthy:
        try:
            services().reader.doc_count()
        except Exception as e:  # noqa: BLE001 - reported, not raised: this is the health check
            healthy, index = False, {**index, "error": str(e)}
    finished = [r["finished_at"] for r in report["runs"] if r["status"] == "ok" and r["finished_at"]]
    last = max(finished) if finished else None
    age = (datetime.now(timezone.utc) - datetime.fromisoformat(last)).total_seconds() if last else None
    body = {"ok": healthy, "index": {"generation": index.get("generation"), "documents": index.get("documents", 0),
                                     "error": index.get("error")},
            "catalog": report["catalog"], "problems": report["problems"],
            "last_success": last, "last_success_age_seconds": round(age) if age is not None else None}
    return jsonify(body), 200 if healthy else 503


@bp.route("/metrics")
def metrics() -> Response:
    """Prometheus text format; names prefixed searchsvc_. Counters cover every worker process."""
    from prometheus_client.core import GaugeMetricFamily

    report = _status()
    families = []

    def gauge(name: str, help_text: str, labels: list[str], samples: list[tuple[list[str], float]]) -> None:
        family = GaugeMetricFamily(f"searchsvc_{name}", help_text, labels=labels)
        for values, value in samples:
            family.add_metric(values, value)
        families.append(family)

    runs: dict[tuple[str, str], int] = {}
    durations: dict[str, float] = {}
    for run in report["runs"]:
        runs[(run["job"], run["status"])] = runs.get((run["job"], run["status"]), 0) + 1
        if run["seconds"] is not None:
            durations.setdefault(run["job"], run["seconds"])
    gauge("runs_recent", "Recorded job runs among the latest 50, by job and status.", ["job", "status"],
          [([j, s], n) for (j, s), n in sorted(runs.items())])
    gauge("run_duration_seconds", "Duration of the latest finished run of each job.", ["job"],
          [([j], d) for j, d in sorted(durations.items())])
    gauge("documents", "Items in the live index.", [], [([], report["index"].get("documents", 0))])
    gauge("index_size_bytes", "Size of the live index generation.", [], [([], report["index"].get("size_bytes", 0))])
    gauge("source_items", "Items in the catalog per source.", ["source"],
          [([s["name"]], s["items"]) for s in report["sources"]])
    gauge("source_consecutive_failures", "Consecutive failed runs per source.", ["source"],
          [([s["name"]], s["consecutive_failures"]) for s in report["sources"]])
    qm: QueryMetrics = current_app.extensions["searchsvc_metrics"]
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(qm.exposition(families), content_type=CONTENT_TYPE_LATEST)


# --- exports ---------------------------------------------------------------------------

def _export_files() -> list[Path]:
    svc = services()
    candidates = list((svc.data_dir / "exports").glob("*")) if (svc.data_dir / "exports").is_dir() else []
    if svc.config["export.path"]:
        candidates.append(Path(svc.config["export.path"]))
    return sorted({p for p in candidates if p.is_file() and p.suffix in EXPORT_SUFFIXES},
                  key=lambda p: p.stat().st_mtime, reverse=True)


@bp.route("/export")
@bp.route("/api/export", endpoint="api_export")
def exports() -> Any:
    reject_unknown(request.args)
    files = [{"name": p.name, "bytes": p.stat().st_size, "url": url_for("ops.download", name=p.name),
              "excel_url": url_for("ops.download", name=p.name, _external=False, **{"for": "excel"})
              if p.suffix == ".csv" else None,
              "modified": datetime.fromtimestamp(p.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")}
             for p in _export_files()]
    if request.path.startswith("/api/"):
        return jsonify({"ok": True, "exports": files})
    return render_template("export.html", files=files, json_url=url_for("ops.api_export"))


@bp.route("/export/<name>")
def download(name: str) -> Any:
    for path in _export_files():
        if path.name == name:
            if request.args.get("for") == "excel" and path.suffix == ".csv":
                return excel_csv_download(path)
            return send_file(path, as_attachment=True, download_name=name)
    abort(404)


# --- admin -----------------------------------------------------------------------------

def _wire_bytes(header: str) -> bytes:
    """A header value as the bytes the client sent: WSGI decodes them as latin-1, so a token
    with "é" sent as UTF-8 (what curl does) compares equal to the configured token's UTF-8."""
    try:
        return header.encode("latin-1")
    except UnicodeEncodeError:  # not from a real wire (a test client, another server)
        return header.encode("utf-8", "replace")


@bp.route("/admin/run/<job>", methods=["POST"])
def admin_run(job: str) -> Any:
    """Start a job (`nightly` or `rebuild`) in its own process; needs `Authorization: Bearer <web.admin_token>`."""
    svc = services()
    token = svc.config["web.admin_token"]
    if not token:
        abort(404, "Admin actions are disabled: set web.admin_token to enable them.")
    scheme, _, given = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme != "Bearer":  # the token alone, or another scheme, is not the token
        given = ""
    if not hmac.compare_digest(_wire_bytes(given.strip()), token.encode("utf-8")):
        abort(401, "This admin action needs the admin token (Authorization: Bearer …).")
    if job not in SCHEDULED_NAMES:
        abort(404, f"There is no job {job!r}: use {' or '.join(SCHEDULED_NAMES)}.")
    if "searchsvc_admin_jobs" not in current_app.extensions:
        run_dir = current_app.config.get("SEARCHSVC_RUN_DIR")
        current_app.extensions["searchsvc_admin_jobs"] = AdminJobs(Path(run_dir) / "admin.lock" if run_dir else None)
    runner: AdminJobs = current_app.extensions["searchsvc_admin_jobs"]
    cmd = [sys.executable, "-m", "searchsvc", "--data-dir", str(svc.data_dir)]
    if svc.config.path:
        cmd += ["--config", str(svc.config.path)]
    started = runner.start(job, cmd + ["schedule", "--once", job])
    if isinstance(started, str):
        abort(409, started)
    return jsonify({"ok": True, "job": job, "pid": started, "status": url_for("ops.api_status")}), 202


class AdminJobs:
    """At most one admin-started job at a time, and no zombies.

    Each POST used to start a process that queued on the writer lock — a full rebuild per request,
    without limit — and finished processes stayed as zombies because nobody waited for them. Now a
    second POST while one runs is a 409, and a thread waits for each child so it is reaped.

    With several worker processes, "one at a time" must hold across them: ``lock_path`` (in the
    server's run directory) is held with ``flock`` from the start of a job until its process has
    exited, and names the job and its pid for the 409 of any worker."""

    def __init__(self, lock_path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._running: tuple[str, subprocess.Popen] | None = None
        self._lock_path = lock_path

    def start(self, job: str, cmd: list[str]) -> int | str:
        """The new process's pid, or why none was started."""
        with self._lock:
            if self._running is not None and self._running[1].poll() is None:
                running, proc = self._running
                return (f"The {running} job started from here is still running (pid {proc.pid}); "
                        f"try again when it finishes.")
            held = self._hold()
            if isinstance(held, str):
                return held
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True, env={**os.environ})
            self._running = (job, proc)
            if held is not None:
                os.write(held, f"{job} {proc.pid}".encode())

        def reap() -> None:
            proc.wait()
            if held is not None:
                os.close(held)  # releases the flock: the next job may start

        threading.Thread(target=reap, name=f"reap-{proc.pid}", daemon=True).start()
        return proc.pid

    def _hold(self) -> int | str | None:
        """The server-wide lock's file descriptor, None without one, or why it is taken."""
        if self._lock_path is None:
            return None
        import fcntl

        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").split()
            os.close(fd)
            running, pid = (holder + ["a", "?"])[:2] if holder else ("a", "?")
            return f"The {running} job started from here is still running (pid {pid}); try again when it finishes."
        os.ftruncate(fd, 0)
        return fd
