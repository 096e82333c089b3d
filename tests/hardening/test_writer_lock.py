"""Issue 18, item 12: deleting writer.lock while a writer holds it must not let a second writer in
(it would delete the first one's build in progress)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from searchsvc.errors import LockedError
from searchsvc.lock import WriterLock
from tests.hardening.kit import REPO


def test_deleting_the_lock_file_does_not_free_the_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from searchsvc.lock import WriterLock; "
         f"l = WriterLock({str(tmp_path)!r}, 'index').acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"
        (tmp_path / "writer.lock").unlink()
        with pytest.raises(LockedError, match="another writer holds"):
            WriterLock(tmp_path, "crawl").acquire()
    finally:
        holder.kill()
        holder.wait(10)
    with WriterLock(tmp_path, "crawl"):  # the kernel frees it when the holder dies
        assert "job crawl" in (tmp_path / "writer.lock").read_text()


def test_the_second_writer_is_told_who_holds_the_lock(tmp_path):
    with WriterLock(tmp_path, "rebuild"):
        with pytest.raises(LockedError, match="job rebuild"):
            WriterLock(tmp_path, "crawl").acquire()


def test_the_alert_sender_lock_is_its_own_and_still_one_at_a_time(tmp_path):
    from searchsvc.alerts.run import send_lock

    with WriterLock(tmp_path, "nightly"):  # digests go out beside a writer (after its lock, or not)
        with send_lock(tmp_path):
            with pytest.raises(LockedError, match="job alerts"):
                send_lock(tmp_path).acquire()
    assert (tmp_path / "alerts.lock").exists()  # kept: a second sender must lock the same file
    assert not (tmp_path / "writer.lock").exists()  # the writer lock's message goes with its holder
    with send_lock(tmp_path):
        pass

