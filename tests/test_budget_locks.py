"""Cron safety: one harvest per source at a time, and runs bounded by a budget that resume.

Nothing here races the clock: a run is held mid-harvest by a response the site
keeps back until the test releases it, and a budget runs out while the site
stalls a response for the whole budget, so the stop comes exactly there.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from harvester.store.schema import LATEST
from tests.conftest import invoke_harvester, run_harvester
from tests.faultserver import FaultSite, write_config


def harvester(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stored(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [url for (url,) in db.execute("select url from readouts")]


def article_requests(site: FaultSite) -> dict[str, int]:
    return {path: count for path, count in site.requests.items() if re.fullmatch(r"/news/\d+", path)}


def status(output: str) -> str:
    """The source's status in `fetch once`'s summary."""
    return output.splitlines()[1].split()[1]


# Long enough, with a wide margin on a loaded machine, for the start-up and the few requests a
# run makes before the stalled one; the stop itself never depends on it, because the site holds
# that response back for the whole budget.
BUDGET = 5


def test_a_locked_source_is_skipped_and_the_lock_dies_with_its_holder(tmp_path: Path) -> None:
    with FaultSite() as site:
        config = write_config(tmp_path, {"site": site})
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from harvester.locks import source_lock\n"
                "with source_lock(Path(sys.argv[1]), 'site'):\n    print('held', flush=True); sys.stdin.read()",
                str(tmp_path / "corpus" / "locks"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            skipped = run_harvester("fetch", "once", "--config", str(config))
            assert skipped.returncode == 0, skipped.stderr
            assert f"locked: site: site is being harvested by pid {holder.pid}; skipped this time" in skipped.stderr
            assert status(skipped.stdout) == "locked"
            assert sum(site.requests.values()) == 0
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.communicate()
        ran = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert ran.returncode == 0, ran.stderr
        assert status(ran.stdout) == "ok"
        assert len(stored(tmp_path / "corpus" / "readouts.db")) == 6


# Opens a new corpus each time the test says "go", and says how it went.
OPEN_ON_GO = """
import sys
from harvester.store import Store
print("ready", flush=True)
for line in sys.stdin:
    try:
        Store(line.strip()).close()
        print("ok", flush=True)
    except Exception as error:
        print(repr(error), flush=True)
"""


def test_runs_that_start_at_once_on_a_new_corpus_all_open_it(tmp_path: Path) -> None:
    """Overlapping cron runs on a first day: each migration applied once, none refused for what another created."""
    openers = [
        subprocess.Popen([sys.executable, "-c", OPEN_ON_GO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    try:
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline().strip() == "ready"
        for attempt in range(10):
            corpus = tmp_path / f"corpus-{attempt}" / "readouts.db"
            for opener in openers:
                assert opener.stdin is not None
                opener.stdin.write(f"{corpus}\n")
                opener.stdin.flush()
            outcomes = [opener.stdout.readline().strip() for opener in openers if opener.stdout is not None]
            assert outcomes == ["ok"] * len(openers), outcomes
            with sqlite3.connect(corpus) as db:
                assert db.execute("pragma user_version").fetchone()[0] == LATEST
    finally:
        for opener in openers:
            opener.kill()
            opener.communicate()


def test_overlapping_cron_runs_never_harvest_a_source_twice(tmp_path: Path) -> None:
    release = threading.Event()
    with FaultSite(articles=20, per_page=10) as site:
        # whichever run takes the lock stops at the first article until both others are done
        site.fault("/news/20", "hold", release=release)
        config = write_config(tmp_path, {"site": site}, delay=0.05, timeout=60)
        runs = [harvester("fetch", "once", "--config", str(config), "--quiet") for _ in range(3)]
        try:
            deadline = time.monotonic() + 60
            while sum(run.poll() is not None for run in runs) < 2:
                assert site.requests["/news/20"] <= 1, "two runs harvested the source at once"
                assert time.monotonic() < deadline, "the runs that found the source locked did not end"
                time.sleep(0.01)
            [holder] = [run for run in runs if run.poll() is None]
            assert site.requests["/news/20"] <= 1
            release.set()
            outputs = {run.pid: run.communicate(timeout=60) for run in runs}
        finally:
            release.set()
            for run in runs:
                run.kill()
        assert [run.returncode for run in runs] == [0, 0, 0], outputs
        assert {pid: status(out) for pid, (out, _) in outputs.items()} == {
            run.pid: "ok" if run is holder else "locked" for run in runs
        }
        assert len(stored(tmp_path / "corpus" / "readouts.db")) == 20
        assert set(article_requests(site).values()) == {1}


def test_budget_stops_gracefully_and_the_next_runs_resume_new_first(tmp_path: Path) -> None:
    with FaultSite(articles=40, per_page=5) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.03, timeout=4 * BUDGET)  # a stall is no timeout
        database = tmp_path / "corpus" / "readouts.db"
        spent = f"stopped: site: the budget of {BUDGET} s is spent; the next run resumes here"

        def unfetched() -> list[str]:
            return [path for path in site.paths if site.requests[path] == 0]

        # each stopped run: the new readouts, one more, and the next, which the site stalls past the budget
        for round_ in range(2):
            fresh = site.publish(2) if round_ else []
            expected = (fresh + [path for path in unfetched() if path not in fresh])[: len(fresh) + 2]
            site.fault(expected[-1], "stall", times=1, seconds=BUDGET)
            start = len(site.log)
            run = invoke_harvester("fetch", "once", "--config", str(config), "--budget", f"{BUDGET}s")
            assert run.returncode == 0, run.stderr
            assert status(run.stdout) == "stopped"
            assert spent in run.stderr.splitlines(), run.stderr  # before the next request, not abandoned in one
            fetched = [path for _, path, _ in site.log[start:] if re.fullmatch(r"/news/\d+", path)]
            assert fetched == expected, f"round {round_}: new readouts first, then the backfill where it stopped"
            assert set(stored(database)) == {site.url(path) for path in site.paths if site.requests[path]}

        fresh = site.publish(2)
        expected = fresh + [path for path in unfetched() if path not in fresh]
        start = len(site.log)
        finish = invoke_harvester("fetch", "once", "--config", str(config), "--budget", "1h", "--quiet")
        assert finish.returncode == 0, finish.stderr
        assert status(finish.stdout) == "ok"
        assert [path for _, path, _ in site.log[start:] if re.fullmatch(r"/news/\d+", path)] == expected

        urls = stored(database)
        assert len(urls) == len(set(urls)) == len(site.paths) == 44
        assert set(article_requests(site).values()) == {1}  # nothing fetched twice across the stops
        with sqlite3.connect(database) as db:
            statuses = [status for (status,) in db.execute("select status from runs order by id")]
            assert statuses == ["stopped", "stopped", "ok"]
            assert db.execute("select count(*) from walk_state").fetchone() == (0,)  # backfill complete


def test_a_request_held_by_retry_after_is_abandoned_at_the_deadline(tmp_path: Path) -> None:
    with FaultSite(articles=3, per_page=10) as site:
        config = write_config(tmp_path, {"site": site})
        assert invoke_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
        site.publish(1)
        site.fault("/news/90", "status", status=429, headers={"Retry-After": "600"})
        run = run_harvester("fetch", "once", "--config", str(config), "--budget", f"{BUDGET}s", timeout=60)
        assert run.returncode == 0, run.stderr
        assert (
            f"stopped: site: the budget of {BUDGET} s is spent; the next run resumes here (request abandoned)"
            in run.stderr.splitlines()
        ), run.stderr
        assert site.requests["/news/90"] == 1
        database = tmp_path / "corpus" / "readouts.db"
        assert len(stored(database)) == 3  # all kept; /news/4 waits behind the host's hold for the next run
        assert site.requests["/news/4"] == 0
        with sqlite3.connect(database) as db:
            assert db.execute("select status from runs order by id desc").fetchone() == ("stopped",)
