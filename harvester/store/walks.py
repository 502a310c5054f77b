"""Where an interrupted listing walk resumes, and the validators that make a page's next fetch conditional."""

from __future__ import annotations

from dataclasses import dataclass

from harvester.fetch import FetchedPage, Validators
from harvester.store.connection import Connection, now, patient


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



class Walks(Connection):
    """Walk positions and the HTTP cache: what lets the next run go on where this one stopped, cheaply."""

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
