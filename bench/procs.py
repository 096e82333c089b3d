"""Child processes of the benchmark: start, watch (memory), stop — on 127.0.0.1 only.

Everything the benchmark starts goes through :class:`Child`, which is registered for
clean-up at exit (``atexit`` and SIGTERM), so an interrupted ``make bench`` leaves no
server behind. Memory is read from ``/proc``: a sampler thread sums the resident set of a
process *and its descendants* (the index build forks writer processes, the server its workers),
which is the memory the machine must really have; ``VmHWM`` gives each process's own peak.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"

_children: list["Child"] = []


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _kids(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _kids(p)
    return seen


def status_kb(pid: int, field: str) -> int:
    """A ``/proc/<pid>/status`` field in kB (VmRSS, VmHWM); 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    return sum(status_kb(p, "VmRSS") for p in tree(pid)) / 1024


class Child:
    """A child process, killed (with its process group) at exit whatever happens."""

    def __init__(self, name: str, argv: list[str], *, log: Path | None = None, stdin: Any = None,
                 stdout: Any = None, env: dict[str, str] | None = None):
        self.name = name
        self.log_path = log
        self._log = open(log, "wb") if log else None
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdin=stdin, stdout=stdout if stdout is not None else self._log,
                                     stderr=self._log or None, env=env, start_new_session=True)
        self.pid = self.proc.pid
        self.peak_tree_mb = 0.0
        self._sampling = False
        _children.append(self)

    # --- memory ---------------------------------------------------------------------
    def sample_memory(self, every: float = 0.1) -> None:
        """Sample the RSS of this process and its descendants in a thread until :meth:`wait`/:meth:`stop`."""
        self._sampling = True

        def loop() -> None:
            while self._sampling and self.proc.poll() is None:
                self.peak_tree_mb = max(self.peak_tree_mb, tree_rss_mb(self.pid))
                time.sleep(every)

        threading.Thread(target=loop, name=f"rss:{self.name}", daemon=True).start()

    def rss_mb(self) -> float:
        return status_kb(self.pid, "VmRSS") / 1024

    def hwm_mb(self) -> float:
        """Peak resident memory of this process plus its descendants' own peaks (a server's worker
        processes); pages they share after a fork count once per process, so this is an upper bound."""
        return sum(status_kb(p, "VmHWM") for p in tree(self.pid)) / 1024

    # --- life -------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait(self, timeout: float | None = None) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self._sampling = False

    def stop(self, grace: float = 5.0) -> None:
        self._sampling = False
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)  # its own session: the group is it and its children
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(grace)
        if self._log:
            self._log.close()
            self._log = None
        if self in _children:
            _children.remove(self)

    def tail(self, lines: int = 15) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def stop_all() -> None:
    for child in list(reversed(_children)):
        try:
            child.stop(grace=3.0)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


def _on_signal(signum: int, frame: Any) -> None:
    stop_all()
    raise SystemExit(128 + signum)


atexit.register(stop_all)
signal.signal(signal.SIGTERM, _on_signal)


def wait_http(url: str, child: Child, timeout: float = 120.0) -> None:
    """Wait until ``url`` (on 127.0.0.1) answers, or fail with the child's log."""
    assert url.startswith(f"http://{HOST}:"), url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            raise RuntimeError(f"{child.name} exited with {child.proc.returncode}:\n{child.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{child.name} did not answer {url} within {timeout:.0f} s:\n{child.tail()}")


def run_phase(name: str, args: dict[str, Any], log_dir: Path, timeout: float) -> dict[str, Any]:
    """Run ``bench/phases.py <name>`` in a child process; returns its JSON result plus memory figures.

    A phase runs in its own process so its peak memory is its own: ``peak_tree_mb`` is the
    sampled sum over the phase and the processes it forks; ``max_rss_mb`` comes from
    ``getrusage`` inside the child (its own peak, and the largest of its children).
    """
    out = log_dir / f"{name}.json"
    out.unlink(missing_ok=True)
    child = Child(name, [PYTHON, str(ROOT / "bench" / "phases.py"), name, json.dumps(args), str(out)],
                  log=log_dir / f"{name}.log")
    child.sample_memory()
    started = time.perf_counter()
    try:
        code = child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.stop()
        raise RuntimeError(f"phase {name} took longer than {timeout:.0f} s; see {child.log_path}") from None
    wall = time.perf_counter() - started
    peak = child.peak_tree_mb
    child.stop()
    if code != 0 or not out.exists():
        raise RuntimeError(f"phase {name} failed (exit {code}); last lines of {child.log_path}:\n{child.tail()}")
    result = json.loads(out.read_text())
    result["process_seconds"] = round(wall, 2)
    result["peak_tree_mb"] = round(peak, 1)
    return result
