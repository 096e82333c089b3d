"""Spreading connections evenly over the worker processes.

A kept-alive connection stays with the worker that accepted it, and which worker accepts is a race
the kernel settles: of eight connections opened at once to two idle workers, all eight went to one
worker 2 times in 30, seven to one 8 times, an even four and four only 7 times. The loaded worker's
requests then share one core while the other core idles (``make bench`` at eight clients).

So each worker publishes how many connections it holds in a small table the master creates before
forking (:class:`ConnectionTable`, one 8-byte slot per worker), and accepts new connections only
while it holds no more than the least loaded of the others (:class:`BalancedWorker`). The least
loaded worker always accepts, so a connection never waits for nobody; a worker whose slot is empty
(not started, or ended: the master clears it) is left out of the comparison. A worker re-reads the
table at least every :data:`RECHECK_SECONDS`, so it takes connections again soon after the others
fill up.
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

CONNECTIONS_TABLE = "connections"  # the table's file name in the server's run directory
SLOTS = 256  # worker slots, by the worker's spawn number modulo this
EMPTY = -1
RECHECK_SECONDS = 0.05


class ConnectionTable:
    """Open connections per worker, shared by every process of one server through a mapped file."""

    def __init__(self, path: Path):
        fd = os.open(path, os.O_RDWR)
        try:
            self._map = mmap.mmap(fd, SLOTS * 8)
        finally:
            os.close(fd)
        self._counts = memoryview(self._map).cast("q")

    @staticmethod
    def create(path: Path) -> None:
        path.write_bytes(struct.pack(f"{SLOTS}q", *([EMPTY] * SLOTS)))

    def set(self, slot: int, count: int) -> None:
        self._counts[slot] = count

    def fewest_elsewhere(self, slot: int) -> int | None:
        """The fewest connections any other running worker holds (None: no other is running)."""
        others = [n for i, n in enumerate(self._counts) if n != EMPTY and i != slot]
        return min(others) if others else None


def slot_of(worker: Any) -> int:
    return worker.age % SLOTS


class BalancedWorker(ThreadWorker):
    """gunicorn's threaded worker, accepting only while no other worker holds fewer connections.

    ``table_path`` is set on a subclass by :func:`balanced_worker` before the master forks."""

    table_path: Path

    def init_process(self) -> None:
        self._table = ConnectionTable(self.table_path)
        self._slot = slot_of(self)
        self._table.set(self._slot, 0)
        super().init_process()  # runs the worker's loop until it ends

    def set_accept_enabled(self, enabled: bool) -> None:
        if enabled:
            fewest = self._table.fewest_elsewhere(self._slot)
            enabled = fewest is None or self.nr_conns <= fewest
        super().set_accept_enabled(enabled)

    def accept(self, listener: Any) -> None:
        super().accept(listener)
        self._table.set(self._slot, self.nr_conns)  # at once: the others compare with it now

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        self._table.set(self._slot, self.nr_conns)
        self.set_accept_enabled(self.nr_conns < self.worker_connections)
        super().wait_for_and_dispatch_events(min(timeout, RECHECK_SECONDS))


def balanced_worker(table_path: Path) -> type[BalancedWorker]:
    """The worker class of one server, bound to that server's connection table."""
    return type("BalancedWorker", (BalancedWorker,), {"table_path": table_path})


def clear_slot(table_path: Path, worker: Any) -> None:
    """In the master, when a worker has ended: its connections are gone with it."""
    ConnectionTable(table_path).set(slot_of(worker), EMPTY)
