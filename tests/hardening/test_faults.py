"""Faults: SIGKILL at seeded random points, a full disk, a read-only data directory.

Every trial runs the real command line (``python -m searchsvc``) against the sample council on
127.0.0.1 and kills it with SIGKILL at a point drawn from a seeded RNG within the measured
duration of a clean run of the same command — or, for a quarter of the crawls, after a random
number of stored pages, and for a quarter of the index runs the moment Whoosh's commit (update)
or the swap of ``CURRENT`` (rebuild) lands, before the meta file, pruning and the run record.
After each kill:

- the catalog passes ``PRAGMA integrity_check``;
- the live index opens and answers, holding exactly the previous state or exactly the new one
  (document ids and stored fields compared, never a mix, never an id twice);
- the next run of the same command completes, and what it leaves is identical — item ids and
  content hashes, passages, index documents — to what one clean, uninterrupted run leaves.

Trial cost is kept low (one shared small site, one clean reference per command, data
directories copied from templates) rather than trial count; the figures are printed at the end
of each test (``pytest -s``).

Disk full is ``RLIMIT_FSIZE`` in the child (SIGXFSZ ignored, so writes fail with EFBIG, which
is what a full disk looks like to the code: a failing write). Read-only is a data directory made
0555 with 0444 files; as root (CI) permission bits mean nothing, so the child first drops
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER from its capability bounding set (running
as ``nobody`` is not possible: the interpreter lives under /root, mode 0700). A data directory
whose parent is a regular file (ENOTDIR) is tested everywhere too.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import resource
import shutil
import signal
import stat
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from searchsvc.index import IndexStore
from searchsvc.sample import SampleSite
from tests.hardening.kit import (
    Kill,
    catalog_records,
    cli,
    index_docs,
    integrity,
    kill_after,
    live_index_answers,
    page_count,
    run,
    timed,
)
from tests.jobs.sample_helpers import write_config

SEED = 20260909
TRIALS = 20  # per command
SIZE = 0.02  # ~15 meetings, ~110 items, ~70 pages
WORKERS = 2  # trials at a time (2 cores)
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3  # <linux/prctl.h>, capability.h


@dataclass
class Reference:
    """A clean run of one command from a template: how long it took and what it left."""

    seconds: float
    records: dict
    docs: dict[str, str] | None = None


@dataclass
class World:
    root: Path
    conf: Path
    site: SampleSite
    v1: Path  # crawled and indexed before the site changed
    v1_answer: tuple[str, int, int]
    v1_docs: dict[str, str]
    crawl_empty: Reference
    crawl_v1: Reference
    update: Reference
    full: Reference
    changed: Path  # v1 + a crawl of the changed site, not yet indexed


def in_dir(conf: Path, data_dir: Path, *args: str) -> list[str]:
    return cli(conf, "--data-dir", str(data_dir), *args)


def ok(done) -> None:
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"


def copy(template: Path | None, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    if template is None:
        target.mkdir(parents=True)
    else:
        shutil.copytree(template, target)
    return target


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    with SampleSite(seed=11, size=SIZE) as site:
        # lookback_days: every run re-asks for every meeting (with conditional GETs), so a
        # nightly crawl has plenty to do and plenty of points to be killed at.
        conf = write_config(root, site, data_dir=root / "unused", requests_per_second=0, lookback_days=100000)
        v1 = root / "v1"
        ok(run(in_dir(conf, v1, "crawl")))
        ok(run(in_dir(conf, v1, "index", "--full")))
        v1_answer, v1_docs = live_index_answers(v1), index_docs(v1)

        # The council changes: minutes edited, items withdrawn, a meeting added.
        held = sorted((m for m in site.meetings() if m.status == "held" and m.minutes_published),
                      key=lambda m: m.start)
        for meeting in held[-4:]:
            for item in site.items(meeting.meeting_id)[-3:]:
                site.append_minutes(item.item_id, "Councillor Reed asked whether the figures had been checked.")
        site.remove_item(site.items(held[-5].meeting_id)[-1].item_id)
        site.remove_item(site.items(held[-6].meeting_id)[-1].item_id)
        site.add_meeting(held[-1].committee_id, held[-1].start.replace(day=2, hour=18))

        def reference(template: Path | None, name: str, *args: str, with_docs: bool = False) -> Reference:
            target = copy(template, root / name)
            done, seconds = timed(in_dir(conf, target, *args))
            ok(done)
            assert integrity(target) == "ok"
            return Reference(seconds, catalog_records(target),
                             index_docs(target) if with_docs else None)

        crawl_empty = reference(None, "ref-crawl-empty", "crawl")
        crawl_v1 = reference(v1, "ref-crawl-v1", "crawl")
        changed = root / "ref-crawl-v1"  # v1 plus the changes, the index still at v1
        update = reference(changed, "ref-update", "index", with_docs=True)
        full = reference(changed, "ref-full", "index", "--full", with_docs=True)
        assert crawl_v1.records["items"] == crawl_empty.records["items"]  # same site, same items
        assert set(update.docs) == set(crawl_v1.records["items"]) == set(full.docs)
        assert len(v1_docs) != len(full.docs), "the change must be visible in the document count"
        yield World(root, conf, site, v1, v1_answer, v1_docs, crawl_empty, crawl_v1, update, full, changed)


# --- SIGKILL ---------------------------------------------------------------------------


def run_trials(name: str, trial) -> list[Kill]:
    """``trial(n)`` for n in range(TRIALS), two at a time (each in its own data directory);
    the first failure is raised with its trial's message."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        kills = list(pool.map(trial, range(TRIALS)))
    killed = sum(k.killed for k in kills)
    print(f"\n{name}: {len(kills)} trials, {killed} killed mid-run, {len(kills) - killed} finished first; "
          f"kill points {min(k.after for k in kills):.2f}-{max(k.after for k in kills):.2f} s; "
          f"{time.monotonic() - started:.1f} s in all")
    assert killed >= TRIALS // 2, "too few trials were killed before they finished"
    return kills


def test_killed_crawls_resume_to_exactly_what_a_clean_crawl_stores(world):
    def trial(n: int) -> Kill:
        rng = random.Random(f"{SEED}:crawl:{n}")
        from_v1 = n % 2 == 1
        ref = world.crawl_v1 if from_v1 else world.crawl_empty
        data = copy(world.v1 if from_v1 else None, world.root / f"trial-crawl-{n}")
        cmd = in_dir(world.conf, data, "crawl")
        if not from_v1 and n % 4 == 2:  # after a random number of stored pages
            target = rng.randint(1, ref.records["pages"] - 1)
            kill = kill_after(cmd, 0, until=lambda: page_count(data) >= target)
        else:
            kill = kill_after(cmd, rng.uniform(0.15, 1.0) * ref.seconds)
        where = f"crawl trial {n} ({'from v1' if from_v1 else 'from empty'}, killed at {kill.after:.2f} s)"
        if (data / "catalog.sqlite").exists():
            assert integrity(data) == "ok", where
        if from_v1:  # a crawl never touches the index: v1's generation keeps answering as it was
            assert live_index_answers(data) == world.v1_answer, where
        ok(run(cmd))
        assert integrity(data) == "ok", where
        assert catalog_records(data) == ref.records, where
        shutil.rmtree(data)
        return kill

    run_trials("crawl", trial)


def test_killed_index_updates_leave_old_or_new_and_the_next_run_completes(world):
    old, new = world.v1_docs, world.update.docs
    generation = world.v1_answer[0]

    def trial(n: int) -> Kill:
        rng = random.Random(f"{SEED}:update:{n}")
        data = copy(world.changed, world.root / f"trial-update-{n}")
        cmd = in_dir(world.conf, data, "index")
        if n % 4 == 3:  # right after Whoosh's commit, before the generation's meta file is rewritten
            tocs = data / "whoosh" / generation
            before = set(tocs.glob("_MAIN_*.toc"))
            kill = kill_after(cmd, 0, until=lambda: bool(set(tocs.glob("_MAIN_*.toc")) - before))
        else:
            kill = kill_after(cmd, rng.uniform(0.3, 1.0) * world.update.seconds)
        where = f"index trial {n} (killed at {kill.after:.2f} s)"
        assert integrity(data) == "ok", where
        gen, count, total = live_index_answers(data)
        docs = index_docs(data)
        assert gen == generation and total > 0, where
        assert docs in (old, new), f"{where}: the live index holds neither the old nor the new documents"
        assert count == len(docs), where
        ok(run(cmd))
        assert index_docs(data) == new, where
        assert catalog_records(data) == world.crawl_v1.records, where
        shutil.rmtree(data)
        return kill

    run_trials("index", trial)


def _orphans(data: Path) -> list[int]:
    """Processes (e.g. whoosh sub-writers) still running with ``data`` on their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if str(data).encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_killed_full_rebuilds_leave_a_complete_generation_serving(world):
    old, new = world.v1_docs, world.full.docs
    generation = world.v1_answer[0]
    swapped = []

    def trial(n: int) -> Kill:
        rng = random.Random(f"{SEED}:full:{n}")
        data = copy(world.changed, world.root / f"trial-full-{n}")
        cmd = in_dir(world.conf, data, "index", "--full")
        if n % 4 == 3:  # right after the swap, before pruning and before the run is recorded
            current = data / "whoosh" / "CURRENT"
            kill = kill_after(cmd, 0, until=lambda: current.read_text().strip() != generation)
        else:
            kill = kill_after(cmd, rng.uniform(0.3, 1.0) * world.full.seconds)
        where = f"index --full trial {n} (killed at {kill.after:.2f} s)"
        deadline = time.monotonic() + 5
        while _orphans(data) and time.monotonic() < deadline:  # sub-writers die with their parent
            time.sleep(0.02)
        assert not _orphans(data), f"{where}: processes outlived the killed build"
        assert integrity(data) == "ok", where
        gen, count, total = live_index_answers(data)
        docs = index_docs(data)
        assert total > 0 and count == len(docs), where
        if gen == generation:
            assert docs == old, f"{where}: the previous generation changed"
        else:
            swapped.append(n)
            assert docs == new, f"{where}: a new generation went live incomplete"
        ok(run(cmd))
        store = IndexStore(data)
        assert store.current_generation() not in (None, generation), where
        assert index_docs(data) == new, where
        assert not [p.name for p in store.dir.iterdir() if p.name.endswith((".building", ".tmp"))], where
        assert len(store.generations()) <= 2, where
        shutil.rmtree(data)
        return kill

    kills = run_trials("index --full", trial)
    print(f"index --full: {len(swapped)} trials had swapped in the new generation before the kill")
    assert sum(k.killed for n, k in enumerate(kills) if n in swapped), "no kill landed after a swap"


# --- disk full ---------------------------------------------------------------------------


def file_size_limit(limit: int):
    def apply() -> None:  # runs in the child between fork and exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def assert_clear_failure(done, path: Path) -> None:
    """Exit 1 or 2, no traceback, and a one-line error that names ``path`` (or a file under it)."""
    assert done.returncode in (1, 2), (done.returncode, done.stdout[-500:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith(("searchsvc: error:", "FAILED "))]
    assert errors, done.stderr[-2000:]
    assert any(str(path) in line for line in errors), errors


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_disk_full_during_a_crawl_fails_clearly_and_the_next_run_completes(world):
    """File-size limits from "the catalog cannot even be opened" to "fails while parsing"."""
    for limit in (20_000, 300_000):
        data = copy(None, world.root / f"full-disk-crawl-{limit}")
        cmd = in_dir(world.conf, data, "crawl")
        done = run(cmd, preexec_fn=file_size_limit(limit))
        assert_clear_failure(done, data)
        if (data / "catalog.sqlite").exists():
            assert integrity(data) == "ok", limit
        ok(run(cmd))
        assert catalog_records(data) == world.crawl_empty.records, limit
        shutil.rmtree(data)


@pytest.mark.parametrize("args", [("index",), ("index", "--full")], ids=["update", "full"])
def test_disk_full_during_indexing_keeps_the_live_index(world, args):
    """Each limit either still fits (and the result is right) or fails clearly with v1 serving;
    at least one must fail. The sub-writers of a full build hit the limit at some sizes."""
    expected = world.full.docs if "--full" in args else world.update.docs
    failures = 0
    for limit in (60_000, 300_000):
        data = copy(world.changed, world.root / f"full-disk-{'-'.join(args)}-{limit}")
        cmd = in_dir(world.conf, data, *args)
        done = run(cmd, preexec_fn=file_size_limit(limit))
        print(f"\n{' '.join(args)} with files capped at {limit} bytes: exit {done.returncode} "
              f"{done.stderr.strip().splitlines()[-1:] if done.returncode else ''}")
        if done.returncode == 0:
            assert index_docs(data) == expected, limit
        else:
            failures += 1
            assert_clear_failure(done, data)
            assert integrity(data) == "ok", limit
            assert live_index_answers(data) == world.v1_answer and index_docs(data) == world.v1_docs, limit
            assert not [p for p in (data / "whoosh").iterdir() if p.name.endswith(".building")], limit
            ok(run(cmd))
            assert index_docs(data) == expected, limit
        shutil.rmtree(data)
    assert failures, "no file-size limit made indexing fail"


# --- read-only data directory ---------------------------------------------------------------


def _without_dac_override() -> None:
    """In the child, as root: drop the capabilities that let root ignore permission bits
    (from the bounding set, so they stay dropped across exec). Root then meets a read-only
    directory the way any other user does."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture
def read_only_copy(world):
    """A copy of v1 whose folders are 0555 and files 0444, and the preexec_fn that makes the
    child honour that (root ignores permission bits unless it drops CAP_DAC_OVERRIDE)."""
    holder = Path(tempfile.mkdtemp(prefix="searchsvc-ro-"))
    data = shutil.copytree(world.v1, holder / "data")
    try:
        for path in [data, *data.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        preexec = _without_dac_override if os.geteuid() == 0 else None
        probe = run(["sh", "-c", f"touch {data}/probe"], preexec_fn=preexec)
        if probe.returncode == 0:
            pytest.skip("cannot make a directory read-only for the child here (see test_data_dir_inside_a_regular_file)")
        yield world.conf, data, preexec
    finally:
        for path in [holder, *holder.rglob("*")]:
            path.chmod(stat.S_IRWXU | (path.stat().st_mode & 0o777))
        shutil.rmtree(holder, ignore_errors=True)


@pytest.mark.parametrize("args", [("crawl",), ("index",), ("index", "--full"), ("reparse",)])
def test_read_only_data_dir_fails_clearly_and_changes_nothing(read_only_copy, world, args):
    conf, data, preexec = read_only_copy
    before = {p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()}
    done = run(cli(conf, "--data-dir", str(data), *args), preexec_fn=preexec)
    assert_clear_failure(done, data)
    after = {p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()}
    assert after == before
    assert integrity(data) == "ok" and live_index_answers(data) == world.v1_answer


@pytest.mark.parametrize("args", [("crawl",), ("index",), ("index", "--full")])
def test_data_dir_inside_a_regular_file_fails_clearly(world, args):
    blocker = world.root / "not-a-directory"
    blocker.write_text("a file where the data directory's parent should be\n")
    data = blocker / "data"
    done = run(in_dir(world.conf, data, *args))
    assert_clear_failure(done, data)
    assert blocker.read_text().startswith("a file")
