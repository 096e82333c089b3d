"""The data directory's writer lock: crawl, reparse, index and scheduler jobs are exclusive.

Whoosh allows one writer per index and the catalog wants one writer per run, so every
writing command takes this lock first. It is an ``flock`` on ``<data_dir>/writer.lock``:
the kernel releases it when the holder dies, so a lock left by a killed process is never
stale — the next writer simply gets it. The file holds the holder's pid and job for the
message a second writer prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from searchsvc.errors import LockedError, SearchsvcError

LOCK_FILE = "writer.lock"


class WriterLock:
    def __init__(self, data_dir: Path | str, job: str, wait_seconds: float = 0.0):
        self.path = Path(data_dir) / LOCK_FILE
        self.job = job
        self.wait_seconds = wait_seconds
        self._fd: int | None = None

    def acquire(self) -> "WriterLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:  # read-only, not a directory, no permission: say where, not "unexpected"
            raise SearchsvcError(f"cannot take the writer lock {self.path}: {e.strerror or e}; the data "
                                 f"directory {self.path.parent} must be a writable directory") from None
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                    os.close(fd)
                    raise LockedError(f"another writer holds {self.path} ({holder}); "
                                      f"try again when it finishes") from None
                time.sleep(0.2)
        try:  # who holds it, for the message a second writer prints; the flock is what counts
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, job {self.job}".encode(), 0)
        except OSError:  # a full disk: the job itself will report it where it writes
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
