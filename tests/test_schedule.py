"""The scheduler daemon: cron's meaning of schedules, made-up missed runs, a clean SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger

from harvester.daemon import missed_run, next_runs
from harvester.schedule import cron_trigger
from tests.conftest import invoke_harvester
from tests.faultserver import FaultSite, write_config

UTC = timezone.utc
WEDNESDAY = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def next_fire(expression: str, after: datetime) -> datetime:
    fire: datetime = cron_trigger(expression, UTC).get_next_fire_time(None, after)
    return fire


@pytest.mark.parametrize("weekday", ["0", "7", "sun", "SUN"])
def test_weekly_cron_runs_on_sunday_as_cron_means_it(weekday: str) -> None:
    fire = next_fire(f"0 2 * * {weekday}", WEDNESDAY)
    assert fire == datetime(2024, 5, 5, 2, 0, tzinfo=UTC) and fire.strftime("%A") == "Sunday"


def test_apscheduler_from_crontab_alone_would_run_on_monday() -> None:
    """Why `cron_trigger` exists: APScheduler 3.x numbers weekdays from Monday."""
    fire = CronTrigger.from_crontab("0 2 * * 0", timezone=UTC).get_next_fire_time(None, WEDNESDAY)
    assert fire.strftime("%A") == "Monday"


def test_weekday_ranges_and_lists() -> None:
    friday_evening = datetime(2024, 5, 3, 18, 0, tzinfo=UTC)
    assert next_fire("0 9 * * 1-5", friday_evening) == datetime(2024, 5, 6, 9, 0, tzinfo=UTC)  # Monday
    assert next_fire("30 6 * * 5-7", datetime(2024, 5, 4, 7, 0, tzinfo=UTC)).strftime("%A") == "Sunday"
    fires = next_runs(cron_trigger("0 0 * * 0,3", UTC), 4, WEDNESDAY)
    assert [fire.strftime("%a %d") for fire in fires] == ["Sun 05", "Wed 08", "Sun 12", "Wed 15"]


def test_missed_runs_are_made_up_within_the_grace_window() -> None:
    weekly = cron_trigger("0 2 * * 0", UTC)
    saturday = datetime(2024, 5, 4, 1, 0, tzinfo=UTC)
    assert missed_run(weekly, None, WEDNESDAY, 3600)  # never harvested: run now
    assert missed_run(weekly, saturday, datetime(2024, 5, 5, 2, 30, tzinfo=UTC), 3600)
    assert not missed_run(weekly, saturday, datetime(2024, 5, 5, 4, 0, tzinfo=UTC), 3600)  # too late: wait a week
    assert not missed_run(weekly, datetime(2024, 5, 5, 2, 0, 3, tzinfo=UTC), datetime(2024, 5, 5, 2, 30, tzinfo=UTC), 3600)
    assert not missed_run(weekly, saturday, datetime(2024, 5, 4, 23, 0, tzinfo=UTC), 3600)  # not due yet


def weekly_config(tmp_path: Path, site: FaultSite, **http: Any) -> Path:
    config = write_config(tmp_path, {"site": site}, **http)
    source = config / "sources" / "site.toml"
    source.write_text(source.read_text().replace('language = "en"\n', 'language = "en"\nschedule = "0 2 * * 0"\n'))
    return config


def test_schedule_list_prints_the_next_sunday_runs(tmp_path: Path) -> None:
    with FaultSite() as site:
        result = invoke_harvester("schedule", "--list", "--config", str(weekly_config(tmp_path, site)))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("site") and "0 2 * * 0" in line
    runs = [part.strip() for part in line.split("0 2 * * 0", 1)[1].split(",")]
    assert len(runs) == 3 and all(run.startswith("Sun ") and " 02:00 " in run for run in runs), runs
    dates = [datetime.strptime(run.split()[1], "%Y-%m-%d") for run in runs]
    assert [later - earlier for earlier, later in zip(dates, dates[1:])] == [timedelta(days=7)] * 2


def readout_count(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database, timeout=10) as db:
        try:
            count: int = db.execute("select count(*) from readouts").fetchone()[0]
            return count
        except sqlite3.OperationalError:
            return 0


def test_daemon_runs_a_never_harvested_source_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with FaultSite(articles=60, per_page=10) as site:
        config = weekly_config(tmp_path, site, delay=0.05)
        database = tmp_path / "corpus" / "readouts.db"
        daemon = subprocess.Popen(
            [sys.executable, "-m", "harvester", "schedule", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while readout_count(database) < 5 and time.monotonic() < deadline:
                time.sleep(0.05)
            daemon.send_signal(signal.SIGTERM)
            _, log = daemon.communicate(timeout=20)
        finally:
            daemon.kill()
        assert daemon.returncode == 0, log
        assert "running now" in log and "received SIGTERM" in log and "harvest stopped" in log, log
        stored = readout_count(database)
        assert 5 <= stored < 60
        with sqlite3.connect(database) as db:
            assert db.execute("pragma integrity_check").fetchone() == ("ok",)
            assert db.execute("select status from runs").fetchall() == [("stopped",)]

        # the next run carries on where the daemon stopped, and nothing is fetched twice
        finish = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert finish.returncode == 0, finish.stderr
        assert readout_count(database) == 60
        assert max(count for path, count in site.requests.items() if path in site.paths) == 1

        # started again right after a run, the daemon waits for Sunday
        before = sum(site.requests.values())
        again = subprocess.Popen(
            [sys.executable, "-m", "harvester", "schedule", "--config", str(config)],
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            lines = []
            assert again.stderr is not None
            for line in again.stderr:
                lines.append(line)
                if "next run at" in line:
                    break
            again.send_signal(signal.SIGINT)
            lines.append(again.communicate(timeout=20)[1])
        finally:
            again.kill()
        log = "".join(lines)
        assert again.returncode == 0, log
        assert "running now" not in log and "site: next run at" in log
        assert datetime.fromisoformat(log.split("site: next run at ")[1].split()[0]).strftime("%A %H:%M") == "Sunday 02:00"
        assert sum(site.requests.values()) == before
