"""Cron safety: one harvest per source at a time, and runs bounded by a budget that resume."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_harvester
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


def test_a_locked_source_is_skipped_and_the_lock_dies_with_its_holder(tmp_path: Path) -> None:
    with FaultSite() as site:
        config = write_config(tmp_path, {"site": site})
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time; from pathlib import Path; from harvester.locks import source_lock\n"
                "with source_lock(Path(sys.argv[1]), 'site'):\n    print('held', flush=True); time.sleep(60)",
                str(tmp_path / "corpus" / "locks"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "held"
            skipped = run_harvester("fetch", "once", "--config", str(config))
            assert skipped.returncode == 0, skipped.stderr
            assert f"locked: site: site is being harvested by pid {holder.pid}; skipped this time" in skipped.stderr
            assert skipped.stdout.splitlines()[1].split()[:2] == ["site", "locked"]
            assert sum(site.requests.values()) == 0
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
        ran = run_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert ran.returncode == 0, ran.stderr
        assert len(stored(tmp_path / "corpus" / "readouts.db")) == 6


def test_overlapping_cron_runs_never_harvest_a_source_twice(tmp_path: Path) -> None:
    with FaultSite(articles=20, per_page=10) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.05)
        runs = [harvester("fetch", "once", "--config", str(config), "--quiet") for _ in range(3)]
        outputs = [run.communicate(timeout=60) for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0], outputs
        statuses = sorted(out.splitlines()[1].split()[1] for out, _ in outputs)
        assert statuses == ["locked", "locked", "ok"], outputs
        assert len(stored(tmp_path / "corpus" / "readouts.db")) == 20
        assert set(article_requests(site).values()) == {1}


def test_budget_stops_gracefully_and_the_next_runs_resume_new_first(tmp_path: Path) -> None:
    # a budget counts from the start of the command, so it also pays the one-time load of the
    # language model (about 0.4 s): 1 s leaves each run time for a few readouts
    with FaultSite(articles=40, per_page=5) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.03)
        database = tmp_path / "corpus" / "readouts.db"
        first = run_harvester("fetch", "once", "--config", str(config), "--budget", "1s")
        assert first.returncode == 0, first.stderr
        assert first.stdout.splitlines()[1].split()[1] == "stopped"
        assert "stopped: site: the budget of 1 s is spent; the next run resumes here" in first.stderr
        assert 0 < len(stored(database)) < 40

        for round_ in range(20):
            fresh = site.publish(2)
            start = len(site.log)
            run = run_harvester("fetch", "once", "--config", str(config), "--budget", "1s", "--quiet")
            assert run.returncode == 0, run.stderr
            fetched = [path for _, path, _ in site.log[start:] if re.fullmatch(r"/news/\d+", path)]
            assert fetched[:2] == fresh, f"round {round_}: new readouts were not fetched first: {fetched}"
            if run.stdout.splitlines()[1].split()[1] == "ok":
                break
        else:
            raise AssertionError("the backfill never finished")

        urls = stored(database)
        assert len(urls) == len(set(urls)) == len(site.paths)
        assert set(article_requests(site).values()) == {1}  # nothing fetched twice across the stops
        with sqlite3.connect(database) as db:
            statuses = [status for (status,) in db.execute("select status from runs order by id")]
            assert statuses[0] == "stopped" and statuses[-1] == "ok"
            assert db.execute("select count(*) from walk_state").fetchone() == (0,)  # backfill complete


def test_a_request_held_by_retry_after_is_abandoned_at_the_deadline(tmp_path: Path) -> None:
    with FaultSite(articles=3, per_page=10) as site:
        config = write_config(tmp_path, {"site": site})
        assert run_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
        site.publish(1)
        site.fault("/news/90", "status", status=429, headers={"Retry-After": "600"})
        run = run_harvester("fetch", "once", "--config", str(config), "--budget", "1s", timeout=60)
        assert run.returncode == 0, run.stderr
        assert "stopped: site: the budget of 1 s is spent; the next run resumes here (request abandoned)" in run.stderr
        assert site.requests["/news/90"] == 1
        database = tmp_path / "corpus" / "readouts.db"
        assert len(stored(database)) == 3  # all kept; /news/4 waits behind the host's hold for the next run
        assert site.requests["/news/4"] == 0
        with sqlite3.connect(database) as db:
            assert db.execute("select status from runs order by id desc").fetchone() == ("stopped",)
