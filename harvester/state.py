"""What a harvest remembers between runs, beside the corpus itself.

- `walk_state`: per source and start URL, the listing page a walk must resume
  from. It is written *before* each page is read, so a run cut short by its
  budget, a signal or SIGKILL resumes there instead of losing the pages after it.
- `http_cache`: ETag / Last-Modified of listing pages and feeds, with where the
  body they describe lies in the WARC archive. An unchanged listing costs a 304
  and is re-parsed from the archive, so the walk decides exactly as it would on
  a fresh copy (its links, its next page).
- failed URLs (the store's `failures` table) are retried after growing
  intervals, and given up after `MAX_ATTEMPTS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harvester.archive import read_response
from harvester.fetch import FetchedPage, Validators
from harvester.store import Store, now

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(hours=1)  # then 2 h, 4 h, 8 h: a dead link costs five requests, ever

TABLES = """
create table if not exists walk_state (
    source text not null,
    start text not null,
    next_url text not null,
    page integer not null,
    updated text,
    primary key (source, start)
);
create table if not exists http_cache (
    url text primary key,
    source text,
    etag text,
    last_modified text,
    archive text not null,
    updated text
);
"""


@dataclass(frozen=True)
class Position:
    """A listing page: its URL and its number in the walk (for `max_pages` and page templates)."""

    url: str
    page: int


@dataclass(frozen=True)
class Cached:
    validators: Validators
    archive: str


def retry_after(attempts: int) -> timedelta:
    """How long after its last failure a URL that failed `attempts` times is tried again."""
    return RETRY_BASE * 2 ** max(attempts - 1, 0)


class HarvestState:
    """The state tables, in the corpus database (so they share its transactions and backups)."""

    def __init__(self, store: Store, archive: Path) -> None:
        self.db = store.db
        self.archive = archive
        self.db.conn.executescript(TABLES)

    # --- walk positions -------------------------------------------------------

    def position(self, source: str, start: str) -> Position | None:
        row = self.db.execute(
            "select next_url, page from walk_state where source = ? and start = ?", [source, start]
        ).fetchone()
        return Position(row[0], row[1]) if row else None

    def set_position(self, source: str, start: str, position: Position | None) -> None:
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

    def unchanged(self, page: FetchedPage, cached: Cached) -> FetchedPage:
        """The 304 `page` with the archived body it confirmed; OSError/LookupError if that body is gone."""
        archived = read_response(self.archive, cached.archive)
        return replace(page, exchange=replace(page.exchange, headers=archived.headers, body=archived.body))

    # --- failed URLs ------------------------------------------------------------

    def _failures(self, source: str) -> Iterable[tuple[str, int, datetime]]:
        rows = self.db.execute("select url, attempts, last_failed from failures where source = ?", [source])
        for url, attempts, last_failed in rows:
            yield url, attempts or 1, datetime.fromisoformat(last_failed)

    def waiting(self, source: str, urls: Iterable[str]) -> set[str]:
        """Which of `urls` failed before and are not yet due for another try (or were given up)."""
        wanted = set(urls)
        if not wanted:
            return set()
        moment = datetime.now(timezone.utc)
        return {
            url
            for url, attempts, last in self._failures(source)
            if url in wanted and (attempts >= MAX_ATTEMPTS or moment < last + retry_after(attempts))
        }

    def due(self, source: str) -> list[str]:
        """Failed URLs whose next try is due, oldest failure first."""
        moment = datetime.now(timezone.utc)
        rows = sorted(self._failures(source), key=lambda row: row[2])
        return [url for url, attempts, last in rows if attempts < MAX_ATTEMPTS and moment >= last + retry_after(attempts)]

    def given_up(self, source: str) -> int:
        row = self.db.execute(
            "select count(*) from failures where source = ? and attempts >= ?", [source, MAX_ATTEMPTS]
        ).fetchone()
        return int(row[0])
