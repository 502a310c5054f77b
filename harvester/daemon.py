"""`harvester schedule`: a long-running daemon that harvests each source on its cron schedule.

APScheduler 3.x runs one job per enabled source, with cron's meaning of the
schedule (see `schedule.cron_trigger`). Runs of a source never overlap (one
instance per job, and the same per-source file lock as `fetch once`, so a cron
job and the daemon cannot collide either); runs missed while a job was busy or
the machine was asleep coalesce into one; and runs missed while the daemon was
down are made up at start-up when they fall within the misfire grace window,
judged from the `runs` table. A source that has never been harvested runs at
once.

All jobs share one event loop (in a thread of its own) and on it one `Fetcher`:
one HTTP client, one per-host pacer and one robots.txt cache, so two sources on
one host keep that host's delay between them as one source would.

SIGTERM or SIGINT stops it cleanly: running harvests stop before their next
request, what they stored is already committed, and the process exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from tzlocal import get_localzone

from harvester.archive import record_exchange
from harvester.config import Config, SourceConfig
from harvester.fetch import Fetcher
from harvester.harvest import harvest_once, http_settings
from harvester.schedule import cron_trigger
from harvester.store import Store

log = logging.getLogger("harvester.daemon")

MISFIRE_GRACE = 3600.0


def plan(config: Config) -> list[tuple[SourceConfig, CronTrigger]]:
    """The enabled sources and their triggers, in the machine's time zone (as cron reads a crontab)."""
    zone = get_localzone()
    return [(source, cron_trigger(source.schedule, zone)) for source in config.sources if source.enabled]


def next_runs(trigger: CronTrigger, count: int, after: datetime) -> list[datetime]:
    """The next `count` fire times strictly after `after`."""
    times: list[datetime] = []
    previous = None
    moment = after + timedelta(microseconds=1)
    while len(times) < count:
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        times.append(fire)
        previous, moment = fire, fire + timedelta(microseconds=1)
    return times


def missed_run(trigger: CronTrigger, last_started: datetime | None, now: datetime, grace: float) -> bool:
    """Whether a run was due since the last one and is recent enough to make up now."""
    if last_started is None:
        return True
    due = trigger.get_next_fire_time(None, last_started + timedelta(seconds=1))
    return due is not None and due <= now and (now - due).total_seconds() <= grace


def last_runs(database: Path) -> dict[str, datetime]:
    """When each source's latest run started, by the corpus's `runs` table."""
    with Store(database) as store:
        return store.last_runs()


class Daemon:
    def __init__(self, config: Config, *, database: Path | None = None, grace: float = MISFIRE_GRACE) -> None:
        self.config = config
        self.database = Path(database or config.settings.database)
        self.grace = grace
        self.stopping = threading.Event()
        self.plan = plan(config)
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max(len(self.plan), 1))},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(grace)},
            timezone=get_localzone(),
        )
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, name="harvests", daemon=True)
        self.fetcher = Fetcher(http_settings(config), record=record_exchange)

    def _stop_reason(self) -> str | None:
        return "the daemon is shutting down; the walk resumes next run" if self.stopping.is_set() else None

    def run_source(self, name: str) -> None:
        log.info("%s: harvest starting", name)
        try:
            running = asyncio.run_coroutine_threadsafe(
                harvest_once(
                    self.config,
                    database=self.database,
                    source_names=[name],
                    fetcher=self.fetcher,
                    progress=lambda source, message: log.info("%s: %s", source, message),
                    stop=self._stop_reason,
                ),
                self.loop,
            )
            [result] = running.result()
        except Exception:  # noqa: BLE001 - one source's bug must not take the daemon down
            log.exception("%s: harvest crashed", name)
            return
        counts = result.counts
        line = (
            f"{name}: harvest {result.status}: {counts.new_readouts} new, {counts.known} known, "
            f"{counts.errors} errors, {counts.listing_pages} listing pages"
        )
        if result.error:
            line += f" ({result.error})"
        (log.warning if result.status in ("failed", "partial") else log.info)(line)

    def start(self) -> None:
        last = last_runs(self.database)  # a corpus that cannot be used stops the daemon before anything starts
        self._loop_thread.start()
        asyncio.run_coroutine_threadsafe(self.fetcher.__aenter__(), self.loop).result()
        now = datetime.now(get_localzone())
        for source, trigger in self.plan:
            extra = {}
            if missed_run(trigger, last.get(source.name), now, self.grace):
                extra["next_run_time"] = now
                log.info("%s: a run was missed (or never made): running now", source.name)
            self.scheduler.add_job(
                self.run_source, trigger, args=[source.name], id=source.name, name=source.name, **extra
            )
        self.scheduler.start()
        for job in self.scheduler.get_jobs():
            log.info("%s: next run at %s", job.id, job.next_run_time.isoformat())

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        if signum is not None:
            log.info("received %s: stopping after the current request", signal.Signals(signum).name)
        self.stopping.set()

    def serve(self, signals: Sequence[signal.Signals] = (signal.SIGTERM, signal.SIGINT)) -> None:
        """Run until a signal; returns once running harvests have stopped and committed."""
        for signum in signals:
            signal.signal(signum, self.stop)
        if not self.plan:
            log.warning("no enabled sources: nothing to schedule")
        self.start()
        while not self.stopping.wait(3600):
            pass
        self.shutdown()
        log.info("stopped")

    def shutdown(self) -> None:
        """Wait for running harvests, then close the HTTP client and the loop."""
        self.stopping.set()
        self.scheduler.shutdown(wait=True)
        asyncio.run_coroutine_threadsafe(self.fetcher.__aexit__(None, None, None), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._loop_thread.join()
        self.loop.close()
