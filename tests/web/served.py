"""`searchsvc serve` as a real process on 127.0.0.1, and keep-alive connections that say which of
its worker processes they talk to (a kept-alive connection stays with the worker that accepted it)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from searchsvc.web.server import free_port

REPO = Path(__file__).resolve().parents[2]


def time_left_in_the_minute(seconds: float = 20.0) -> None:
    """The rate limit counts per fixed minute of the monotonic clock (searchsvc/web/ratelimit.py),
    which every process on the machine shares: requests that must fall in one minute start with at
    least ``seconds`` of it left, or a minute's turn between them resets the budget."""
    left = 60 - time.monotonic() % 60
    if left < seconds:
        time.sleep(left + 0.05)


def write_config(path: Path, data_dir: Path, **web: object) -> Path:
    lines = ["[storage]", f'data_dir = "{data_dir}"', "[web]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in web.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@contextmanager
def serving(conf: Path, *, workers: int = 2, threads: int = 2) -> Iterator[str]:
    """`searchsvc serve --workers N` on a free port until the block ends; yields its base URL."""
    port = free_port()
    log_path = conf.parent / f"serve-{port}.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "SEARCHSVC_CONFIG": "", "SEARCHSVC_DATA_DIR": ""}
    with open(log_path, "wb") as log:  # a file, not a pipe: an unread pipe fills and stalls the server
        server = subprocess.Popen([sys.executable, "-m", "searchsvc", "--config", str(conf), "serve", "--host",
                                   "127.0.0.1", "--port", str(port), "--workers", str(workers), "--threads",
                                   str(threads)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if get(Connection(port), "/healthz")[0] in (200, 503):
                        break
                except OSError:
                    pass
                assert server.poll() is None, log_path.read_text()[-2000:]
                assert time.monotonic() < deadline, "searchsvc serve did not come up"
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)


class Connection(http.client.HTTPConnection):
    def __init__(self, port: int):
        super().__init__("127.0.0.1", port, timeout=20)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Connection": "keep-alive"})
    response = conn.getresponse()
    return response.status, response.read()


def worker_of(conn: http.client.HTTPConnection) -> dict:
    """``{"process": pid, "index_version": ...}`` of the worker serving this connection."""
    status, body = get(conn, "/api/status")
    assert status == 200, body[:300]
    return json.loads(body)["worker"]


def one_connection_per_worker(url: str, workers: int, tries: int = 200) -> dict[int, http.client.HTTPConnection]:
    """Keep-alive connections, one to each worker process (which one accepts is up to the kernel)."""
    found: dict[int, http.client.HTTPConnection] = {}
    spare = []
    for _ in range(tries):
        conn = Connection(port_of(url))
        pid = worker_of(conn)["process"]
        if pid in found:
            spare.append(conn)  # held open, so the next connection may go to a less busy worker
        else:
            found[pid] = conn
        if len(found) == workers:
            break
    for conn in spare:
        conn.close()
    assert len(found) == workers, f"{tries} connections reached only {len(found)} of {workers} workers"
    return found
