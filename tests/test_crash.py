"""Crash safety: `harvester fetch once` killed with SIGKILL at random moments, again and again.

After every kill the database must pass `PRAGMA integrity_check`, every readout
stored before the kill must still be there exactly as it was, none twice, and in
the end an undisturbed run must complete the harvest: the walk resumes where
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

from tests.conftest import run_harvester
from tests.faultserver import FaultSite, write_config

TRIALS = 24


def snapshot(database: Path) -> dict[str, tuple[int, str, str]]:
    if not database.exists():
        return {}
    with sqlite3.connect(database) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        rows = db.execute("select url, id, title, text from readouts").fetchall()
    urls = [row[0] for row in rows]
    assert len(urls) == len(set(urls)), "a readout was stored twice"
    return {url: (id_, title, text) for url, id_, title, text in rows}


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20240501)
    # enough pages that every kill lands in the middle of real work, for about a second of work each
    with FaultSite(articles=600, per_page=20) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.01)
        database = tmp_path / "corpus" / "readouts.db"
        killed_mid_run = 0
        for trial in range(TRIALS):
            site.publish(3)  # new readouts keep arriving at the top, as on a live site
            before = snapshot(database)
            process = subprocess.Popen(
                [sys.executable, "-m", "harvester", "fetch", "once", "--config", str(config), "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.3, 0.8))
            if process.poll() is None:
                killed_mid_run += 1
            process.send_signal(signal.SIGKILL)
            process.wait()
            after = snapshot(database)
            assert {url: after.get(url) for url in before} == before, f"trial {trial}: a stored readout changed or vanished"

        assert killed_mid_run >= 20, f"only {killed_mid_run} of {TRIALS} kills landed mid-run"
        finish = run_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert finish.returncode == 0, finish.stderr
        final = snapshot(database)
        assert set(final) == {site.url(path) for path in site.paths}
        print(f"crash test: {TRIALS} SIGKILLs, {killed_mid_run} mid-run; {len(final)} readouts, none lost or doubled")
