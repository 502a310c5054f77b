"""Store stage: the corpus in SQLite (WAL), and the only code that reads or writes it.

Every table is defined once (`harvester.store.schema`) and written through the
typed operations of `Store`; the identity step (`harvester.store.identity`) is
the one writer of what a readout's text decides (its hash, duplicates, meeting).
A crash can interrupt a harvest but never leave half a readout: a readout's row,
its page row, its identity and its search-index entry commit together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from harvester.config import SourceConfig
from harvester.dedupe import Identity, page_keys
from harvester.extract import Readout, SourceProfile
from harvester.extract.profile import MIN_PAGES, USUAL_AFTER, fingerprint, without_template
from harvester.extract.text import blocks_of
from harvester.urls import url_key
from harvester.fetch import FetchedPage, Validators
from harvester.store.identity import Identifier, Revision
from harvester.store.schema import GENERATED, INDEXES, SCHEMA, SchemaError, upgrade

__all__ = [
    "GENERATED", "INDEXES", "SCHEMA", "ArchivedReadout", "Cached", "Failure", "Revision", "RunCounts",
    "SchemaError", "Store", "WalkPosition", "now", "readout_columns",
]

# The extraction columns of `readouts`, in the order `readout_columns` gives them.
EXTRACTED = ("title", "kicker", "author", "published", "language", "tags", "text", "extractor")


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
    }


class Store:
    """The corpus database. Opening it creates the schema, or upgrades an older corpus in place."""

    def __init__(self, path: Path | str, identity: Identity | None = None) -> None:
        self.path = Path(path)
        # what links a readout to its duplicates and its meeting: the config's, or the shipped defaults
        self.identity = identity or Identity.default()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.execute("PRAGMA foreign_keys = ON")
        upgrade(self.db)
        self._identifier = Identifier(self.db.conn, self.identity)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sources and runs --------------------------------------------------

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

    def start_run(self, source: str) -> int:
        row = {"source": source, "started": now(), "status": "running", **asdict(RunCounts())}
        return int(self.db.table("runs").insert(row).last_pk)

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
            page_id = int(self.db.table("pages").insert(row).last_pk)
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
            }
            home = self.db.execute("select home from sources where name = ?", [source]).fetchone()
            canonical, keys = page_keys(
                page.url, page.final_url, readout.canonical, home[0] if home else None, source, self.identity.settings
            )
            existing = self._existing(source, page.url, page.final_url)
            if existing is None:
                readout_id = int(self.db.table("readouts").insert(row).last_pk)
                self._identifier.added(readout_id, canonical, keys)
                self._learn_template(source, readout.learnable)
                revision = Revision(readout_id, changed=True)
            else:
                revision = self._identifier.revised(existing, row, keys)
            self.db.execute("delete from failures where url = ?", [page.url])
        return revision

    def archived_readouts(self, source: str) -> list[ArchivedReadout]:
        """The source's readouts in storage order, with where their pages lie in the archive."""
        rows = self.db.execute(
            "select r.id, r.url, p.archive, " + ", ".join(f"r.{name}" for name in EXTRACTED) + " from readouts r"
            " left join pages p on p.id = r.page_id where r.source = ? order by r.id",
            [source],
        ).fetchall()
        return [ArchivedReadout(row[0], row[1], row[2], dict(zip(EXTRACTED, row[3:]))) for row in rows]

    def latest_archived(self, source: str) -> tuple[str, str] | None:
        """The URL and archive location of the source's newest readout page, if any was archived."""
        row = self.db.execute(
            "select r.url, p.archive from readouts r join pages p on p.id = r.page_id"
            " where r.source = ? and p.archive is not null order by r.id desc limit 1",
            [source],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def reextracted(self, readouts: Iterable[tuple[int, Readout]]) -> int:
        """Replace readouts' extraction with today's; returns how many changed.

        Identity is then recomputed over the whole corpus, as `harvester dedupe`
        does, so that a re-extracted corpus is linked exactly as one harvested
        afresh would be, whatever order the texts changed in.
        """
        changed = 0
        with self.db.atomic():
            for readout_id, readout in readouts:
                values = readout_columns(readout)
                stored = self.db.execute(
                    f"select {', '.join(EXTRACTED)} from readouts where id = ?", [readout_id]
                ).fetchone()
                if list(values.values()) != list(stored):
                    self._identifier.text_changed(readout_id, values)
                    changed += 1
            if changed:
                self._identifier.recompute()
        return changed

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

    def record_failure(self, source: str, url: str, error: str) -> None:
        with self.db.atomic():
            self.db.execute(
                """
                insert into failures (url, source, error, attempts, first_failed, last_failed)
                values (:url, :source, :error, 1, :now, :now)
                on conflict(url) do update set
                    error = excluded.error, attempts = attempts + 1, last_failed = excluded.last_failed
                """,
                {"url": url, "source": source, "error": error, "now": now()},
            )

    def failures(self, source: str) -> list[Failure]:
        rows = self.db.execute("select url, error, attempts, last_failed from failures where source = ?", [source])
        return [Failure(url, error, attempts or 1, datetime.fromisoformat(last)) for url, error, attempts, last in rows]

    # --- walk positions -------------------------------------------------------

    def position(self, source: str, start: str) -> WalkPosition | None:
        """Where the source's walk from `start` must resume, if an earlier run was cut short."""
        row = self.db.execute(
            "select next_url, page from walk_state where source = ? and start = ?", [source, start]
        ).fetchone()
        return WalkPosition(row[0], row[1]) if row else None

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
