"""The data directory's writer lock: crawl, reparse, index and scheduler jobs are exclusive.

Whoosh allows one writer per index and the catalog wants one writer per run, so every
writing command takes this lock first. It is an ``flock`` on the data directory itself: the
kernel releases it when the holder dies, so a lock left by a killed process is never stale,
and — unlike a lock on a file inside it — nobody can delete it from under its holder (deleting
``writer.lock`` once let a second writer in, which then removed the first one's build in
progress). ``<data_dir>/writer.lock`` only holds the holder's pid and job, for the message a
second writer prints; removing it changes nothing about who holds the lock.

A lock of another kind (the alerts digest step's, which runs beside a writer) names its own
``lock_file``: the flock is then on that file, which also holds the message and is kept on
release, so two holders always lock the same file.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from searchsvc.errors import LockedError, SearchsvcError

LOCK_FILE = "writer.lock"


class WriterLock:
    def __init__(self, data_dir: Path | str, job: str, wait_seconds: float = 0.0, *, lock_file: str | None = None):
        """``lock_file``: None for the writer lock (an flock on the data directory, its message in
        ``writer.lock``); a file name in the data directory for a lock of its own on that file."""
        self.dir = Path(data_dir)
        self.path = self.dir / (lock_file or LOCK_FILE)
        self.job = job
        self.wait_seconds = wait_seconds
        self._on_file = bool(lock_file)  # the flock is on self.path: keep it on release
        self._fd: int | None = None

    def acquire(self) -> "WriterLock":
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd = self._open()
        except OSError as e:  # read-only, not a directory, no permission: say where, not "unexpected"
            raise SearchsvcError(f"cannot take the writer lock on {self.dir}: {e.strerror or e}; the data "
                                 f"directory {self.dir} must be a writable directory") from None
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockedError(f"another writer holds the lock on {self.dir} ({self._holder()}); "
                                      f"try again when it finishes") from None
                time.sleep(0.2)
        try:  # who holds it, for the message a second writer prints; the flock is what counts
            self.path.write_text(f"pid {os.getpid()}, job {self.job}")
        except OSError as e:
            if not os.access(self.dir, os.W_OK):  # a read-only data directory: say so now
                os.close(fd)
                raise SearchsvcError(f"cannot take the writer lock on {self.dir}: {e.strerror or e}; the data "
                                     f"directory {self.dir} must be a writable directory") from None
            # a full disk: the job itself will report it where it writes
        self._fd = fd
        return self

    def _open(self) -> int:
        """What the flock is taken on: the data directory itself, or the lock's own file."""
        if self._on_file:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        return os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()[:200] or "another process"
        except OSError:
            return "another process"

    def release(self) -> None:
        if self._fd is not None:
            if not self._on_file:  # only a message; a locked file is kept
                try:
                    self.path.unlink()
                except OSError:
                    pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
