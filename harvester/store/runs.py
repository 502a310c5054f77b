"""What each run did, the URLs that failed and when they are due again, and which hosts are being rested."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from harvester.config import SourceConfig
from harvester.software import software
from harvester.store.connection import Connection, now, patient

EPOCH = "1970-01-01T00:00:00+00:00"
STALE_RUN = "interrupted: the process ended without closing this run (killed, crashed or power lost); closed by the next run"


@dataclass
class RunCounts:
    listing_pages: int = 0
    new_readouts: int = 0
    known: int = 0
    errors: int = 0


@dataclass(frozen=True)
class Failure:
    url: str
    error: str
    attempts: int
    last_failed: datetime
    # what failed (see `harvester.walk` for which kinds are ever given up), and under which release
    kind: str | None = None
    version: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class HostHealth:
    """A host's record across runs: how many runs in a row it refused, and until when it is rested."""

    host: str
    failed_runs: int
    backoff_until: datetime | None
    last_error: str | None



class Runs(Connection):
    """Sources, their runs, failed URLs and host health: the record that decides what the next run tries."""

    @patient
    def save_source(self, source: SourceConfig) -> None:
        self.db.table("sources").upsert(
            {
                "name": source.name,
                "title": source.title,
                "home": source.home,
                "language": source.language,
                "enabled": int(source.enabled),
                "schedule": source.schedule,
                "config_file": source.file.name if source.file else None,
                "updated_at": now(),
            },
            pk="name",
        )

    @patient
    def close_stale_runs(self, source: str) -> int:
        """Close the source's runs still marked running; call it holding the source's lock, when none can be."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update runs set status = 'failed', finished = ?, error = ? where source = ? and status = 'running'",
                [now(), STALE_RUN, source],
            )
        return int(cursor.rowcount)

    def start_run(self, source: str) -> int:
        row = {"source": source, "started": now(), "status": "running", **asdict(RunCounts())}
        return self._insert("runs", row)

    @patient
    def finish_run(
        self, run_id: int, status: str, counts: RunCounts, error: str | None = None, degraded: str | None = None
    ) -> None:
        self.db.table("runs").update(
            run_id, {"finished": now(), "status": status, "error": error, "degraded": degraded, **asdict(counts)}
        )

    def last_runs(self) -> dict[str, datetime]:
        """When each source's latest run started."""
        rows = self.db.execute("select source, max(started) from runs group by source").fetchall()
        return {source: datetime.fromisoformat(started) for source, started in rows if started}

    @patient
    def record_failure(self, source: str, url: str, error: str, kind: str | None = None) -> None:
        """One more failed attempt at `url`, with what failed (`kind`) and the release that failed on it."""
        with self.db.atomic():
            self.db.execute(
                """
                insert into failures (url, source, error, attempts, first_failed, last_failed, kind, version)
                values (:url, :source, :error, 1, :now, :now, :kind, :version)
                on conflict(url) do update set
                    error = excluded.error, attempts = attempts + 1, last_failed = excluded.last_failed,
                    kind = excluded.kind, version = excluded.version
                """,
                {"url": url, "source": source, "error": error, "now": now(), "kind": kind, "version": software()},
            )

    def failures(self, source: str | None = None) -> list[Failure]:
        """The failed URLs of `source` (of every source without it), oldest failure first."""
        rows = self.db.execute(
            "select url, error, attempts, last_failed, kind, version, source from failures"
            " where ? is null or source = ? order by last_failed, url",
            [source, source],
        )
        return [
            Failure(url, error, attempts or 1, datetime.fromisoformat(last), kind, version, where)
            for url, error, attempts, last, kind, version, where in rows
        ]

    @patient
    def retry_soon(self, urls: Sequence[str]) -> int:
        """Make failed `urls` due at the next run, as if they had never failed before."""
        with self.db.atomic():
            changed = 0
            for url in urls:
                cursor = self.db.execute("update failures set attempts = 0, last_failed = ? where url = ?", [EPOCH, url])
                changed += cursor.rowcount
        return changed

    def host_health(self, source: str) -> dict[str, HostHealth]:
        rows = self.db.execute(
            "select host, failed_runs, backoff_until, last_error from host_health where source = ?", [source]
        )
        return {
            host: HostHealth(host, failed, datetime.fromisoformat(until) if until else None, error)
            for host, failed, until, error in rows
        }

    @patient
    def host_failed(self, source: str, host: str, error: str, backoff_until: datetime) -> None:
        """The host refused this run: one more failed run, rested until `backoff_until`."""
        with self.db.atomic():
            self.db.execute(
                """
                insert into host_health (source, host, failed_runs, backoff_until, last_error, last_failed)
                values (:source, :host, 1, :until, :error, :now)
                on conflict(source, host) do update set
                    failed_runs = failed_runs + 1, backoff_until = excluded.backoff_until,
                    last_error = excluded.last_error, last_failed = excluded.last_failed
                """,
                {"source": source, "host": host, "until": backoff_until.isoformat(timespec="seconds"),
                 "error": error, "now": now()},
            )

    @patient
    def host_ok(self, source: str, host: str) -> None:
        """The host answered this run: its record of failed runs starts over."""
        with self.db.atomic():
            self.db.execute(
                "update host_health set failed_runs = 0, backoff_until = null, last_ok = ?"
                " where source = ? and host = ? and (failed_runs > 0 or backoff_until is not null)",
                [now(), source, host],
            )
