"""Store stage: the corpus in SQLite (WAL), and the only code that reads or writes it.

Every table is defined once (`harvester.store.schema`) and written through the
typed operations of `Store`; the identity step (`harvester.store.identity`) is
the one writer of what a readout's text decides (its hash, duplicates, meeting).
A crash can interrupt a harvest but never leave half a readout: a readout's row,
its page row, its identity and its search-index entry commit together or not at all.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils


from harvester.config import SourceConfig
from harvester.dedupe import Identity, content_hash, page_keys, words
from harvester.errors import HarvesterError
from harvester.extract import Readout, SourceProfile
from harvester.extract.profile import MIN_PAGES, USUAL_AFTER, fingerprint, without_template
from harvester.extract.text import blocks_of
from harvester.urls import url_key
from harvester.fetch import FetchedPage, Validators
from harvester.software import software
from harvester.store.identity import Identifier, Revision
from harvester.store.schema import GENERATED, INDEXES, SCHEMA, SchemaError, search_keys, upgrade

__all__ = [
    "GENERATED", "INDEXES", "SCHEMA", "ArchivedReadout", "Cached", "Failure", "Highlights", "HostHealth", "Revision",
    "RunCounts", "SchemaError", "Store", "StoreBusy", "StoreUnavailable", "WalkPosition", "now", "readout_columns",
]

# How long SQLite itself waits for another writer before a statement fails as busy; past it
# the store waits on, with back-off, for as long as its `patience` allows (the run's budget).
BUSY_TIMEOUT = 10.0
BUSY_BACKOFF, BUSY_BACKOFF_CAP = 0.25, 5.0
# Without a budget, a corpus locked this long is a stuck writer, not a busy one.
DEFAULT_PATIENCE = 1800.0
EPOCH = "1970-01-01T00:00:00+00:00"
STALE_RUN = "interrupted: the process ended without closing this run (killed, crashed or power lost); closed by the next run"
F = TypeVar("F", bound=Callable[..., Any])


class StoreUnavailable(HarvesterError):
    """The corpus cannot be used at all (disk full, read-only, corrupt, not a database); the message is one line."""


class StoreBusy(StoreUnavailable):
    """Another writer held the corpus for longer than the run could wait."""


def _problem(path: Path, error: sqlite3.Error) -> StoreUnavailable | None:
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


def _busy(error: sqlite3.Error) -> bool:
    return _primary_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def patient(method: F) -> F:
    """A write that waits, with back-off, while another process holds the corpus's write lock.

    The whole operation is retried: its transaction was rolled back, so nothing is done twice.
    A write inside another one's transaction is not retried on its own; the outer one is.
    Errors that make the corpus unusable become one-line `StoreUnavailable`s.
    """

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        outermost = not self.db.conn.in_transaction
        waited, pause = 0.0, BUSY_BACKOFF
        while True:
            started = time.monotonic()
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as error:
                problem = _problem(self.path, error)
                if problem is not None:
                    raise problem from None
                if not (outermost and _busy(error)):
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


# The extraction columns of `readouts`, in the order `readout_columns` gives them.
# Readouts re-extracted per read and per transaction: memory stays one batch, a commit is not per row.
REEXTRACT_BATCH = 500
EXTRACTED = (
    "title", "kicker", "author", "published", "language", "tags", "text", "extractor", "lead", "place", "dropped",
    "search_keys",
)


@dataclass
class RunCounts:
    listing_pages: int = 0
    new_readouts: int = 0
    known: int = 0
    errors: int = 0


@dataclass(frozen=True)
class WalkPosition:
    """A listing page: its URL and its number in the walk (for `max_pages` and page templates)."""

    url: str
    page: int


@dataclass(frozen=True)
class Cached:
    """What an earlier answer for a URL said of its version, and where its body lies in the archive."""

    validators: Validators
    archive: str


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


@dataclass(frozen=True)
class Highlights:
    """What a new reader of the published corpus should open first: each None when the corpus has none."""

    meeting: int | None  # the meeting with the most reports
    revised: int | None  # a readout with versions
    duplicate: int | None  # a readout repeated elsewhere (the original of a copy)


@dataclass(frozen=True)
class ArchivedReadout:
    """A stored readout with the archive location of its page, for re-extraction."""

    readout_id: int
    url: str
    archive: str | None
    columns: dict[str, object]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def readout_columns(readout: Readout) -> dict[str, object]:
    """The `readouts` columns that extraction decides, as stored."""
    return {
        "title": readout.title,
        "kicker": readout.kicker,
        "author": readout.author,
        "published": readout.published,
        "language": readout.language,
        "tags": json.dumps(list(readout.tags), ensure_ascii=False),
        "text": readout.text,
        "extractor": readout.extractor,
        "lead": readout.lead,
        "place": readout.place,
        "dropped": json.dumps([{"text": d.text, "reason": d.reason} for d in readout.dropped], ensure_ascii=False),
        "search_keys": search_keys(readout.title, readout.lead, readout.text, readout.language),
    }


def _provenance(page: FetchedPage) -> dict[str, object]:
    """Where a text came from: the live site, or a web archive's capture."""
    if page.memento is None:
        return {"via": "live", "archived_at": None, "replay_url": None}
    return {"via": "wayback", "archived_at": page.memento.archived_at, "replay_url": page.memento.replay_url}


class Store:
    """The corpus database. Opening it creates the schema, or upgrades an older corpus in place."""

    def __init__(self, path: Path | str, identity: Identity | None = None) -> None:
        self.path = Path(path)
        # what links a readout to its duplicates and its meeting: the config's, or the shipped defaults
        self.identity = identity or Identity.default()
        # asked, with the seconds waited so far, whether to wait on for a busy corpus
        self.patience: Callable[[float], bool] = lambda waited: waited < DEFAULT_PATIENCE
        self.on_busy: Callable[[float], None] = lambda waited: None
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
            raise _problem(self.path, error) or StoreUnavailable(f"{self.path}: {error}") from None
        self._identifier = Identifier(self.db.conn, self.identity)

    @patient
    def _open(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        upgrade(self.db)

    def check(self) -> None:
        """Refuse a damaged corpus before anything is written into it (`PRAGMA quick_check`)."""
        try:
            problems = [row[0] for row in self.db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.Error as error:
            raise _problem(self.path, error) or StoreUnavailable(f"{self.path}: {error}") from None
        if problems != ["ok"]:
            raise StoreUnavailable(
                f"{self.path} is damaged ({len(problems)} problem(s), first: {problems[0]}): refusing to harvest into it;"
                f" restore it from a backup (or try `sqlite3 {self.path} .recover`)"
            )

    def close(self) -> None:
        self.db.close()

    def _insert(self, table: str, row: dict[str, object]) -> int:
        """Insert a row into a table with an integer key; returns the key."""
        cursor = self.db.execute(
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in row)}) values ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        assert cursor.lastrowid is not None  # an insert always sets it
        return cursor.lastrowid

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sources and runs --------------------------------------------------

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

    # --- what extraction learns of a source --------------------------------

    def source_profile(self, source: str) -> SourceProfile:
        """A snapshot of what the corpus knows of the source, for extraction to read instead of the database."""
        return SourceProfile(self.learnt_template(source), self._usual_chars(source))

    def learnt_template(self, source: str) -> dict[int, int]:
        """Fingerprints of the source's template blocks, with the pages each was seen on."""
        return dict(
            self.db.execute(
                "select fingerprint, pages from template_blocks where source = ? and pages >= ?", [source, MIN_PAGES]
            ).fetchall()
        )

    def _usual_chars(self, source: str) -> int | None:
        """The median length of the source's unique readouts, once there are enough to trust it."""
        where = "from readouts where source = ? and duplicate_of is null"
        count = self.db.execute(f"select count(*) {where}", [source]).fetchone()[0]
        if count < USUAL_AFTER:
            return None
        return int(
            self.db.execute(f"select length(text) {where} order by 1 limit 1 offset ?", [source, count // 2]).fetchone()[0]
        )

    def _learn_template(self, source: str, blocks: Iterable[str]) -> None:
        """Count the page's short blocks; one that has just become template leaves the readouts stored before."""
        seen = now()
        learnt: set[int] = set()
        for mark, block in {fingerprint(block): block for block in blocks}.items():
            (pages,) = self.db.execute(
                """
                insert into template_blocks (source, fingerprint, text, pages, first_seen, last_seen)
                values (?, ?, ?, 1, ?, ?)
                on conflict(source, fingerprint) do update set pages = pages + 1, last_seen = excluded.last_seen
                returning pages
                """,
                [source, mark, block, seen, seen],
            ).fetchone()
            if pages == MIN_PAGES:
                learnt.add(mark)
        if learnt:
            rows = self.db.execute("select id, text from readouts where source = ?", [source]).fetchall()
            for readout_id, text in rows:
                blocks_kept = without_template(blocks_of(text), learnt)
                if blocks_kept != blocks_of(text):
                    self._identifier.text_changed(readout_id, {"text": "\n\n".join(blocks_kept)})

    # --- pages and readouts ------------------------------------------------

    def known(self, urls: Iterable[str], source: str | None = None) -> set[str]:
        """Which of `urls` the corpus already holds as readouts, under that URL or a variant of it."""
        wanted = list(dict.fromkeys(urls))
        keys = {url: url_key(url, source, self.identity.settings) for url in wanted}
        found = set(self._present("select url from readouts where url in ({})", wanted))
        variants = set(self._present("select url from readout_urls where url in ({})", list(set(keys.values()))))
        return found | {url for url, key in keys.items() if key in variants}

    def _present(self, query: str, values: list[str]) -> Iterator[str]:
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            yield from (row[0] for row in self.db.execute(query.format(",".join("?" * len(chunk))), chunk))

    @patient
    def add_page(self, source: str, kind: str, page: FetchedPage) -> int:
        exchange = page.exchange
        row = {
            "source": source,
            "kind": kind,
            "url": page.url,
            "final_url": page.final_url,
            "status": exchange.status,
            "content_type": exchange.content_type,
            "fetched_at": exchange.fetched_at.isoformat(timespec="seconds"),
            "archive": exchange.archived_at,
        }
        with self.db.atomic():
            page_id = self._insert("pages", row)
            if kind != "readout":
                self.db.execute("delete from failures where url = ?", [page.url])  # a listing or feed read again
        return page_id

    def _existing(self, source: str, url: str, final_url: str) -> int | None:
        """The readout this page already is, by its own URLs.

        Not by its `rel=canonical`: a CMS that points every article at one URL
        would merge them all. A page that is only known by its canonical is stored
        and linked as a duplicate by its text instead.
        """
        row = self.db.execute("select id from readouts where url = ?", [url]).fetchone()
        if row:
            return int(row[0])
        keys = list({url_key(u, source, self.identity.settings) for u in (url, final_url)})
        marks = ",".join("?" * len(keys))
        row = self.db.execute(f"select readout_id from readout_urls where url in ({marks}) limit 1", keys).fetchone()
        return int(row[0]) if row else None

    @patient
    def save_readout(self, source: str, page: FetchedPage, readout: Readout) -> Revision:
        """Store a new readout, or revise the one this page already is (same URL or a variant).

        Page row, readout row, identity and index entry in one transaction.
        """
        with self.db.atomic():
            page_id = self.add_page(source, "readout", page)
            row = {
                "source": source,
                "url": page.url,
                **readout_columns(readout),
                "fetched_at": page.exchange.fetched_at.isoformat(timespec="seconds"),
                "page_id": page_id,
                **_provenance(page),
            }
            home = self.db.execute("select home from sources where name = ?", [source]).fetchone()
            canonical, keys = page_keys(
                page.url, page.final_url, readout.canonical, home[0] if home else None, source, self.identity.settings
            )
            existing = self._existing(source, page.url, page.final_url)
            if existing is None:
                readout_id = self._insert("readouts", row)
                self._identifier.added(readout_id, canonical, keys)
                self._learn_template(source, readout.learnable)
                revision = Revision(readout_id, changed=True)
            else:
                revision = self._identifier.revised(existing, row, keys)
            self._hold_capture(source, page, revision.readout_id)
            self.db.execute("delete from failures where url = ?", [page.url])
        return revision

    # --- web-archive captures -------------------------------------------------

    def _hold_capture(self, source: str, page: FetchedPage, readout_id: int) -> None:
        """Remember that the corpus holds this capture's text, so that it is never fetched again."""
        if page.memento is None or not page.memento.digest:
            return
        self.db.execute(
            "insert or replace into wayback_captures (url_key, digest, url, archived_at, readout_id, fetched_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [
                url_key(page.url, source, self.identity.settings),
                page.memento.digest,
                page.url,
                page.memento.archived_at,
                readout_id,
                page.exchange.fetched_at.isoformat(timespec="seconds"),
            ],
        )

    def capture_digests(self, url: str, source: str) -> set[str]:
        """Digests of the captures of `url` (or a variant of it) whose text the corpus holds."""
        key = url_key(url, source, self.identity.settings)
        return {row[0] for row in self.db.execute("select digest from wayback_captures where url_key = ?", [key])}

    def readout_moment(self, url: str, source: str) -> str | None:
        """When the stored text of the readout at `url` was current: its capture time, or when it was fetched live."""
        existing = self._existing(source, url, url)
        if existing is None:
            return None
        row = self.db.execute("select coalesce(archived_at, fetched_at) from readouts where id = ?", [existing]).fetchone()
        return str(row[0]) if row and row[0] else None

    def add_version(self, source: str, page: FetchedPage, readout: Readout, superseded_at: str) -> bool:
        """An older capture of a stored readout: its text becomes a version unless the readout or a version has it.

        Returns whether a version was added; the capture is held either way, so it is not fetched again.
        """
        with self.db.atomic():
            existing = self._existing(source, page.url, page.final_url)
            if existing is None:
                raise LookupError(f"no readout at {page.url} to add a version to")
            digest = content_hash(words(readout.text))
            have = self.db.execute(
                "select 1 from readouts where id = :id and content_hash = :h"
                " union all select 1 from readout_versions where readout_id = :id and content_hash = :h",
                {"id": existing, "h": digest},
            ).fetchone()
            if have is None:
                self._insert(
                    "readout_versions",
                    {
                        "readout_id": existing,
                        "title": readout.title,
                        "text": readout.text,
                        "content_hash": digest,
                        "published": readout.published,
                        "fetched_at": page.exchange.fetched_at.isoformat(timespec="seconds"),
                        "superseded_at": superseded_at,
                        "page_id": self.add_page(source, "readout", page),
                        **_provenance(page),
                    },
                )
            self._hold_capture(source, page, existing)
        return have is None

    def archived_readouts(self, source: str, batch: int = REEXTRACT_BATCH) -> Iterator[list[ArchivedReadout]]:
        """The source's readouts in storage order, `batch` at a time, with where their pages lie in the archive.

        Each batch is read afresh after the id the last one ended at, so a source of any
        size costs one batch of memory, and the caller may write between batches.
        """
        after = 0
        while True:
            rows = self.db.execute(
                "select r.id, r.url, p.archive, " + ", ".join(f"r.{name}" for name in EXTRACTED) + " from readouts r"
                " left join pages p on p.id = r.page_id where r.source = ? and r.id > ? order by r.id limit ?",
                [source, after, batch],
            ).fetchall()
            if not rows:
                return
            yield [ArchivedReadout(row[0], row[1], row[2], dict(zip(EXTRACTED, row[3:]))) for row in rows]
            after = rows[-1][0]

    def latest_archived(self, source: str) -> tuple[str, str] | None:
        """The URL and archive location of the source's newest readout page, if any was archived."""
        row = self.db.execute(
            "select r.url, p.archive from readouts r join pages p on p.id = r.page_id"
            " where r.source = ? and p.archive is not null order by r.id desc limit 1",
            [source],
        ).fetchone()
        return (row[0], row[1]) if row else None

    @patient
    def reextracted(self, readouts: Iterable[tuple[int, dict[str, object]]]) -> set[int]:
        """Replace readouts' extraction columns (as `readout_columns` gives them) with today's, in one transaction;
        returns the ids of those that changed.

        A changed text goes through the identity step at once, so the corpus is
        consistent after every batch. The caller recomputes identity over the
        whole corpus once it has written them all (`recompute_identity`), so that a
        re-extracted corpus is linked exactly as one harvested afresh would be,
        whatever order the texts changed in.
        """
        changed = set()
        with self.db.atomic():
            for readout_id, values in readouts:
                stored = self.db.execute(
                    f"select {', '.join(EXTRACTED)} from readouts where id = ?", [readout_id]
                ).fetchone()
                if list(values.values()) != list(stored):
                    self._identifier.text_changed(readout_id, values)
                    changed.add(readout_id)
        return changed

    @patient
    def recompute_identity(self) -> dict[str, int]:
        """Every readout's duplicates and meeting from scratch (`harvester dedupe`); returns the counts after."""
        with self.db.atomic():
            self._identifier.recompute()
        return self.identity_counts()

    def identity_counts(self) -> dict[str, int]:
        """Readouts by duplicate kind ("unique" for the rest), and "meetings"."""
        counts = dict(
            self.db.execute("select coalesce(duplicate_kind, 'unique'), count(*) from readouts group by 1").fetchall()
        )
        counts["meetings"] = self.db.execute("select count(*) from meetings").fetchone()[0]
        return counts

    # --- failed URLs --------------------------------------------------------

    def highlights(self) -> Highlights:
        def first(sql: str) -> int | None:
            row = self.db.execute(sql).fetchone()
            return int(row[0]) if row else None

        return Highlights(
            meeting=first(
                "select meeting_id from readouts where meeting_id is not null"
                " group by meeting_id order by count(*) desc, meeting_id limit 1"
            ),
            revised=first("select readout_id from readout_versions group by readout_id order by count(*) desc, readout_id limit 1"),
            duplicate=first("select duplicate_of from readouts where duplicate_of is not null order by id limit 1"),
        )

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

    # --- host health across runs ------------------------------------------------

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

    # --- walk positions -------------------------------------------------------

    def position(self, source: str, start: str) -> WalkPosition | None:
        """Where the source's walk from `start` must resume, if an earlier run was cut short."""
        row = self.db.execute(
            "select next_url, page from walk_state where source = ? and start = ?", [source, start]
        ).fetchone()
        return WalkPosition(row[0], row[1]) if row else None

    @patient
    def set_position(self, source: str, start: str, position: WalkPosition | None) -> None:
        with self.db.atomic():
            if position is None:
                self.db.execute("delete from walk_state where source = ? and start = ?", [source, start])
            else:
                self.db.execute(
                    "insert or replace into walk_state (source, start, next_url, page, updated) values (?, ?, ?, ?, ?)",
                    [source, start, position.url, position.page, now()],
                )

    # --- conditional requests ------------------------------------------------

    def cached(self, url: str) -> Cached | None:
        row = self.db.execute("select etag, last_modified, archive from http_cache where url = ?", [url]).fetchone()
        return Cached(Validators(etag=row[0], last_modified=row[1]), row[2]) if row else None

    @patient
    def remember(self, source: str, page: FetchedPage) -> None:
        """Keep a 200's validators, when it has any and its body reached the archive."""
        exchange = page.exchange
        etag, modified = exchange.header("etag"), exchange.header("last-modified")
        if exchange.status != 200 or not exchange.archived_at or not (etag or modified):
            return
        with self.db.atomic():
            self.db.execute(
                "insert or replace into http_cache (url, source, etag, last_modified, archive, updated)"
                " values (?, ?, ?, ?, ?, ?)",
                [page.url, source, etag, modified, exchange.archived_at, now()],
            )
