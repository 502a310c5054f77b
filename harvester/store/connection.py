"""What every part of the store shares: the open corpus, how a write waits for it, and its one-line errors.

The operations themselves live with their concern (`readouts`, `captures`, `runs`,
`walks`, ...); `harvester.store.Store` opens the corpus and combines them.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from harvester.dedupe import Identity
from harvester.errors import HarvesterError
from harvester.store.identity import Identifier

# Past SQLite's own busy timeout the store waits on, with back-off, for as long as its `patience` allows.
BUSY_BACKOFF, BUSY_BACKOFF_CAP = 0.25, 5.0
# Writes queued by `Connection.later` are committed together once this many wait (or sooner: see `flush`).
BATCH_WRITES = 100
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class StoreUnavailable(HarvesterError):
    """The corpus cannot be used at all (disk full, read-only, corrupt, not a database); the message is one line."""


class StoreBusy(StoreUnavailable):
    """Another writer held the corpus for longer than the run could wait."""


def unusable(path: Path, error: sqlite3.Error) -> StoreUnavailable | None:
    """The one-line reason a SQLite error makes the whole corpus unusable, or None when it does not.

    Classified by SQLite's own result code (its primary part: the low byte), never by the
    message's wording, which differs between SQLite versions.
    """
    code = _primary_code(error)
    if code == sqlite3.SQLITE_FULL:
        return StoreUnavailable(f"{path}: the disk is full; the readout being stored was rolled back, nothing half-written")
    if code == sqlite3.SQLITE_READONLY:
        return StoreUnavailable(f"{path}: the corpus is read-only; check the file's and its directory's permissions")
    if code == sqlite3.SQLITE_NOTADB:
        return StoreUnavailable(f"{path} is not a SQLite database: point `database` at the corpus, or move the file away")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_IOERR):
        return StoreUnavailable(
            f"{path} is damaged ({error}): refusing to harvest into it; restore it from a backup"
            f" (or try `sqlite3 {path} .recover`)"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreUnavailable(f"{path}: cannot open the corpus ({error}); check the path and its permissions")
    return None


def _primary_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (extended codes carry it in their low byte); None without one."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(error: sqlite3.Error) -> bool:
    """Busy and locked both mean another connection holds what a write needs: wait for it, do not fail."""
    return _primary_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def patient(method: F) -> F:
    """A write that waits, with back-off, while another process holds the corpus's write lock.

    Writes queued by `Connection.later` are committed first, so the corpus only ever holds a prefix of
    the writes in the order they were asked for. The whole operation is retried: its transaction was
    rolled back, so nothing is done twice.
    A write inside another one's transaction is not retried on its own; the outer one is.
    Errors that make the corpus unusable become one-line `StoreUnavailable`s.
    """

    @functools.wraps(method)
    def wrapper(self: Connection, *args: Any, **kwargs: Any) -> Any:
        outermost = not self.db.conn.in_transaction
        if outermost and self._queued:
            self.flush()  # what was queued before this write commits before it, as if written at once
        waited, pause = 0.0, BUSY_BACKOFF
        while True:
            started = time.monotonic()
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as error:
                problem = unusable(self.path, error)
                if problem is not None:
                    raise problem from None
                if not (outermost and is_busy(error)):
                    raise
                waited += time.monotonic() - started
                if not self.patience(waited):
                    raise StoreBusy(
                        f"{self.path}: another process held the corpus's write lock for {waited:.0f} s"
                        " (a `harvester dedupe` or another writer): nothing was lost, the next run goes on"
                    ) from None
                self.on_busy(waited)
                time.sleep(pause)
                waited += pause
                pause = min(pause * 2, BUSY_BACKOFF_CAP)

    return wrapper  # type: ignore[return-value]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Queued:
    """A write waiting for the next batch, and who is told how it ended: its result, or the exception it raised."""

    write: Callable[[], Any]
    done: Callable[[Any], None]


def _ignored(outcome: object) -> None:
    pass


class Connection:
    """The open corpus that each concern's operations read and write; `Store` sets every attribute when it opens."""

    path: Path
    db: sqlite_utils.Database
    # what links a readout to its duplicates and its meeting: the config's, or the shipped defaults
    identity: Identity
    # asked, with the seconds waited so far, whether to wait on for a busy corpus
    patience: Callable[[float], bool]
    on_busy: Callable[[float], None]
    _identifier: Identifier
    # writes queued by `later`, in the order they were asked for
    _queued: list[Queued]

    def later(self, write: Callable[[], T], done: Callable[[T | Exception], None] = _ignored) -> None:
        """Queue `write` (a store operation) for the next batch; `done` hears how it ended, once committed or not.

        A commit per readout costs more CPU than storing it; a batch of them in one short transaction,
        never held across an await, costs a fraction. Nothing queued is on disk until `flush`, which
        runs when `BATCH_WRITES` wait, before any other write of this store, and whenever its caller
        says (the harvest: every `harvester.harvest.BATCH_SECONDS` and at the end of each run).
        """
        self._queued.append(Queued(write, done))
        if len(self._queued) >= BATCH_WRITES:
            self.flush()

    def flush(self) -> None:
        """Commit the queued writes in one transaction, in order, then tell each how it ended.

        A write that fails on its own (a bug, a page the identity step chokes on) is rolled back to
        its savepoint and told why; the others commit. One that makes the corpus unusable (a full
        disk) rolls the whole batch back: every write of it is told so, and the error is raised.
        """
        queued, self._queued = self._queued, []
        if not queued:
            return
        try:
            outcomes = self._commit(queued)
        except StoreUnavailable as error:
            for item in queued:
                item.done(error)
            raise
        for item, outcome in zip(queued, outcomes):
            item.done(outcome)

    @patient
    def _commit(self, queued: list[Queued]) -> list[Any]:
        outcomes: list[Any] = []
        with self.db.atomic():
            for item in queued:
                try:
                    with self.db.atomic():  # a savepoint: a write that fails alone leaves nothing behind
                        outcomes.append(item.write())
                except sqlite3.Error as error:
                    if is_busy(error) or unusable(self.path, error):
                        raise  # the whole batch waits, or fails
                    outcomes.append(error)
                except StoreUnavailable:
                    raise
                except Exception as error:
                    outcomes.append(error)
        return outcomes

    def _insert(self, table: str, row: dict[str, object]) -> int:
        """Insert a row into a table with an integer key; returns the key."""
        cursor = self.db.execute(
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in row)}) values ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        assert cursor.lastrowid is not None  # an insert always sets it
        return cursor.lastrowid
