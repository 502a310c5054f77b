"""Crash safety: `harvester fetch once` killed with SIGKILL in the middle of a harvest, again and again.

Each trial waits until k more readouts (k random) are committed, then kills the
run, so every kill lands after a write and before the harvest is done. After
every kill the database must pass `PRAGMA integrity_check`, every readout
stored before the kill must still be there exactly as it was, none twice, and
in the end an undisturbed run must complete the harvest: the walk resumes where
the killed runs left it.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import invoke_harvester
from tests.faultserver import FaultSite, write_config

TRIALS = 20


def snapshot(database: Path) -> dict[str, tuple[int, str, str]]:
    if not database.exists():
        return {}
    with sqlite3.connect(database) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        rows = db.execute("select url, id, title, text from readouts").fetchall()
    urls = [row[0] for row in rows]
    assert len(urls) == len(set(urls)), "a readout was stored twice"
    return {url: (id_, title, text) for url, id_, title, text in rows}


def committed_readouts(database: Path) -> int:
    """Readouts a reader sees now; 0 while the harvest has not created the corpus yet."""
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            count: int = db.execute("select count(*) from readouts").fetchone()[0]
            return count
    except sqlite3.OperationalError:  # the schema is still being created
        return 0


def test_sigkill_after_k_stored_readouts_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20240501)
    # far more readouts than the trials store, so every kill comes before the harvest is done
    with FaultSite(articles=400, per_page=20) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.01)
        database = tmp_path / "corpus" / "readouts.db"
        after_a_write = 0
        for trial in range(TRIALS):
            site.publish(3)  # new readouts keep arriving at the top, as on a live site
            before = snapshot(database)
            k = rng.randint(1, 8)
            process = subprocess.Popen(
                [sys.executable, "-m", "harvester", "fetch", "once", "--config", str(config), "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + 60
            while committed_readouts(database) < len(before) + k:
                assert process.poll() is None, f"trial {trial}: ended before storing {k}: {process.communicate()[1]!r}"
                assert time.monotonic() < deadline, f"trial {trial}: {k} readouts not stored within 60 s"
                time.sleep(0.005)
            process.send_signal(signal.SIGKILL)
            _, stderr = process.communicate()
            assert process.returncode == -signal.SIGKILL, f"trial {trial}: the harvest exited by itself: {stderr!r}"
            after = snapshot(database)
            assert {url: after.get(url) for url in before} == before, f"trial {trial}: a stored readout changed or vanished"
            if len(after) > len(before):
                after_a_write += 1

        print(f"\ncrash test: {TRIALS} SIGKILLs mid-harvest, {after_a_write} after at least one stored readout")
        assert after_a_write == TRIALS
        finish = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert finish.returncode == 0, finish.stderr
        final = snapshot(database)
        assert set(final) == {site.url(path) for path in site.paths}
        assert len(final) > len(after)
        print(f"crash test: the resumed run completed the harvest: {len(final)} readouts, none lost or doubled")
