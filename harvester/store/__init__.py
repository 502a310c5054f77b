"""Store stage: the corpus in SQLite (WAL), and the only code that reads or writes it.

Every table is defined once (`harvester.store.schema`) and written through the
typed operations of `Store`, which combines one class per concern: readouts and
their identity (`readouts`, with `pages` and `templates`), web-archive captures
(`captures`), runs, failures and host health (`runs`), walk positions and the
HTTP cache (`walks`). The identity step (`harvester.store.identity`) is the one
writer of what a readout's text decides (its hash, duplicates, meeting).
A crash can interrupt a harvest but never leave half a readout: a readout's row,
its page row, its identity and its search-index entry commit together or not at all.
A harvest queues its readouts (`later`) and commits them in batches (`flush`), each
before any other write that follows it, so the corpus always holds the writes asked
for up to some moment, in order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from harvester.dedupe import Identity
from harvester.store.connection import StoreBusy, StoreUnavailable, is_busy, now, patient, unusable
from harvester.store.identity import Identifier, Revision
from harvester.store.ranking import rank_frequent_words, stale
from harvester.store.readouts import REEXTRACT_BATCH, ArchivedReadout, Highlights, Readouts, readout_columns
from harvester.store.runs import Failure, HostHealth, RunCounts, Runs
from harvester.store.schema import GENERATED, INDEXES, SCHEMA, SchemaError, upgrade
from harvester.store.walks import Cached, WalkPosition, Walks

__all__ = [
    "GENERATED", "INDEXES", "REEXTRACT_BATCH", "SCHEMA", "ArchivedReadout", "Cached", "Failure", "Highlights",
    "HostHealth", "Revision", "RunCounts", "SchemaError", "Store", "StoreBusy", "StoreUnavailable", "WalkPosition",
    "now", "readout_columns",
]

# How long SQLite itself waits for another writer before a statement fails as busy; past it
# the store waits on, with back-off, for as long as its `patience` allows (the run's budget).
BUSY_TIMEOUT = 10.0
# Without a budget, a corpus locked this long is a stuck writer, not a busy one.
DEFAULT_PATIENCE = 1800.0


class Store(Readouts, Runs, Walks):
    """The corpus database. Opening it creates the schema, or upgrades an older corpus in place."""

    def __init__(self, path: Path | str, identity: Identity | None = None) -> None:
        self.path = Path(path)
        self.identity = identity or Identity.default()
        self.patience = lambda waited: waited < DEFAULT_PATIENCE
        self.on_busy = lambda waited: None
        self._queued = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"{self.path.parent}: cannot create the corpus directory: {error.strerror}") from None
        self.db = sqlite_utils.Database(self.path)
        try:
            self._open()
        except StoreUnavailable:
            self.db.close()
            raise
        except SchemaError as error:
            self.db.close()
            raise SchemaError(f"{self.path}: {error}") from None
        except sqlite3.Error as error:
            self.db.close()
            raise unusable(self.path, error) or StoreUnavailable(f"{self.path}: {error}") from None
        self._identifier = Identifier(self.db.conn, self.identity)

    @patient
    def _open(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        self.db.enable_wal()
        # WAL at NORMAL: a commit survives the process being killed (the guarantee runs need), and only
        # a power loss may undo the last ones, never corrupting the file; FULL syncs the disk on every
        # commit (about a millisecond here), which a thousand hosts' readouts a second cannot afford
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        upgrade(self.db)

    def check(self) -> None:
        """Refuse a damaged corpus before anything is written into it (`PRAGMA quick_check`)."""
        try:
            problems = [row[0] for row in self.db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.Error as error:
            raise unusable(self.path, error) or StoreUnavailable(f"{self.path}: {error}") from None
        if problems != ["ok"]:
            raise StoreUnavailable(
                f"{self.path} is damaged ({len(problems)} problem(s), first: {problems[0]}): refusing to harvest into it;"
                f" restore it from a backup (or try `sqlite3 {self.path} .recover`)"
            )

    def close(self) -> None:
        """Close the corpus, the frequent words ranked again first when enough was written since (`ranking`);
        while another process writes, the next store to close ranks them."""
        try:
            if stale(self.db):
                rank_frequent_words(self.db)
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
        finally:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
