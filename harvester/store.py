"""Store stage: the corpus in SQLite (WAL), written one readout per transaction.

A crash can interrupt a harvest but never leave half a readout: a readout's row,
its page row and its search-index entry commit together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from harvester import dedupe, meetings
from harvester.config import SourceConfig
from harvester.dedupe import Identity, Revision
from harvester.extract import Readout, SourceProfile
from harvester.extract.profile import MIN_PAGES, USUAL_AFTER, fingerprint
from harvester.fetch import Exchange, FetchedPage

SCHEMA: dict[str, dict[str, type]] = {
    "sources": {
        "name": str,
        "title": str,
        "home": str,
        "language": str,
        "enabled": int,
        "schedule": str,
        "config_file": str,
        "updated_at": str,
    },
    "runs": {
        "id": int,
        "source": str,
        "started": str,
        "finished": str,
        "status": str,
        "listing_pages": int,
        "new_readouts": int,
        "known": int,
        "errors": int,
        "error": str,
        "degraded": str,
    },
    "pages": {
        "id": int,
        "source": str,
        "kind": str,
        "url": str,
        "final_url": str,
        "status": int,
        "content_type": str,
        "fetched_at": str,
        "archive": str,
    },
    "readouts": {
        "id": int,
        "source": str,
        "url": str,
        "title": str,
        "kicker": str,
        "author": str,
        "published": str,
        "language": str,
        "tags": str,
        "text": str,
        "extractor": str,
        "fetched_at": str,
        "page_id": int,
        # identity (harvester/dedupe.py) and meeting (harvester/meetings.py)
        "canonical_url": str,
        "content_hash": str,
        "duplicate_of": int,
        "duplicate_kind": str,
        "similarity": float,
        "meeting_id": int,
        # provenance (harvester/wayback.py): "live" or "wayback", the capture's time and replay URL
        "via": str,
        "archived_at": str,
        "replay_url": str,
    },
    "failures": {
        "url": str,
        "source": str,
        "error": str,
        "attempts": int,
        "first_failed": str,
        "last_failed": str,
    },
    "template_blocks": {
        "source": str,
        "fingerprint": int,
        "text": str,
        "pages": int,
        "first_seen": str,
        "last_seen": str,
    },
    # web-archive captures whose text the corpus holds (as a readout or a version): not fetched again
    "wayback_captures": {
        "url_key": str,
        "digest": str,
        "url": str,
        "archived_at": str,
        "readout_id": int,
        "fetched_at": str,
    },
}
PRIMARY_KEYS = {
    "sources": "name",
    "failures": "url",
    "template_blocks": ("source", "fingerprint"),
    "wayback_captures": ("url_key", "digest"),
}
# Columns added to tables that dedupe.SCHEMA creates: where an earlier text came from.
VERSION_COLUMNS = {"via": str, "archived_at": str, "replay_url": str}
FOREIGN_KEYS = {
    "runs": [("source", "sources", "name")],
    "pages": [("source", "sources", "name")],
    "template_blocks": [("source", "sources", "name")],
    "readouts": [("source", "sources", "name"), ("page_id", "pages", "id"), ("meeting_id", "meetings", "id")],
}
# Columns SQLite derives from others; facets need them as real columns.
GENERATED = {"readouts": {"year": "substr(published, 1, 4)"}}
# Besides lookups, these make Datasette's facet counts and sorts read an index
# instead of every readout's full text (see bench/serve.py).
INDEXES = {
    "readouts": [
        ["url"], ["source"], ["published"], ["language"], ["year"], ["fetched_at"],
        ["canonical_url"], ["content_hash"], ["duplicate_of"], ["meeting_id"],
        # the published table opens on unique readouts (duplicate_of is null): its facet counts
        # read these instead of every matching row of a table holding full texts
        ["duplicate_of", "source"], ["duplicate_of", "language"], ["duplicate_of", "year"],
    ],
    "runs": [["source", "started"]],
    "pages": [["url"]],
}
UNIQUE_INDEXES = {"readouts": ["url"]}


@dataclass
class RunCounts:
    listing_pages: int = 0
    new_readouts: int = 0
    known: int = 0
    errors: int = 0


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


def _provenance(page: FetchedPage) -> dict[str, str | None]:
    """Where a text came from: the live site, or a web archive's capture."""
    if page.memento is None:
        return {"via": "live", "archived_at": None, "replay_url": None}
    return {"via": "wayback", "archived_at": page.memento.archived_at, "replay_url": page.memento.replay_url}


class Store:
    """The corpus database. Opening it creates or upgrades the schema."""

    def __init__(self, path: Path | str, identity: Identity | None = None) -> None:
        self.path = Path(path)
        # what links a readout to its duplicates and its meeting: the config's, or the shipped defaults
        self.identity = identity or Identity.default()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._ensure_schema()

    def close(self) -> None:
        self.db.close()

    def _ensure_schema(self) -> None:
        with self.db.atomic():
            meetings.ensure_schema(self.db.conn)  # before readouts, which refer to it
            for name, columns in SCHEMA.items():
                table = self.db.table(name)
                if not table.exists():
                    table.create(
                        columns,
                        pk=PRIMARY_KEYS.get(name, "id"),
                        foreign_keys=FOREIGN_KEYS.get(name),
                    )
                else:
                    for column, kind in columns.items():
                        if column not in table.columns_dict:
                            table.add_column(column, kind)
                present = {row[1] for row in self.db.execute(f"PRAGMA table_xinfo([{name}])")}
                for column, expression in GENERATED.get(name, {}).items():
                    if column not in present:
                        self.db.execute(
                            f"ALTER TABLE [{name}] ADD COLUMN [{column}] GENERATED ALWAYS AS ({expression}) VIRTUAL"
                        )
                for index in INDEXES.get(name, []):
                    unique = index in [[c] for c in UNIQUE_INDEXES.get(name, [])]
                    table.create_index(index, unique=unique, if_not_exists=True)
            dedupe.ensure_schema(self.db.conn)
            versions = self.db.table("readout_versions")
            for column, kind in VERSION_COLUMNS.items():
                if column not in versions.columns_dict:
                    versions.add_column(column, kind)
        readouts = self.db.table("readouts")
        if not readouts.detect_fts():
            readouts.enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True, tokenize="unicode61")

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
        return self.db.table("runs").insert(row).last_pk

    def finish_run(
        self, run_id: int, status: str, counts: RunCounts, error: str | None = None, degraded: str | None = None
    ) -> None:
        self.db.table("runs").update(
            run_id, {"finished": now(), "status": status, "error": error, "degraded": degraded, **asdict(counts)}
        )

    # --- what extraction learns of a source --------------------------------

    def source_profile(self, source: str) -> SourceProfile:
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
        return self.db.execute(f"select length(text) {where} order by 1 limit 1 offset ?", [source, count // 2]).fetchone()[0]

    def _learn_template(self, source: str, blocks: Iterable[str]) -> None:
        """Count the page's short blocks; one that has just become template leaves the readouts stored before."""
        seen = now()
        learnt: set[int] = set()
        for mark, block in {fingerprint(block): block for block in blocks}.items():
            self.db.execute(
                """
                insert into template_blocks (source, fingerprint, text, pages, first_seen, last_seen)
                values (?, ?, ?, 1, ?, ?)
                on conflict(source, fingerprint) do update set pages = pages + 1, last_seen = excluded.last_seen
                """,
                [source, mark, block, seen, seen],
            )
            pages = self.db.execute(
                "select pages from template_blocks where source = ? and fingerprint = ?", [source, mark]
            ).fetchone()[0]
            if pages == MIN_PAGES:
                learnt.add(mark)
        if learnt:
            rows = self.db.execute("select id, text from readouts where source = ?", [source]).fetchall()
            for row_id, text in rows:
                blocks = text.split("\n\n")
                kept = [block for block in blocks if fingerprint(block) not in learnt]
                if kept and len(kept) < len(blocks):
                    self.db.execute("update readouts set text = ? where id = ?", ["\n\n".join(kept), row_id])

    # --- pages and readouts ------------------------------------------------

    def known(self, urls: Iterable[str], source: str | None = None) -> set[str]:
        """Which of `urls` the corpus already holds as readouts, under that URL or a variant of it."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.db.execute(f"select url from readouts where url in ({marks})", chunk))
        return found | self.identity.known(self.db.conn, wanted, source)

    def _page_row(self, source: str, kind: str, url: str, final_url: str, exchange: Exchange) -> dict[str, Any]:
        return {
            "source": source,
            "kind": kind,
            "url": url,
            "final_url": final_url,
            "status": exchange.status,
            "content_type": exchange.content_type,
            "fetched_at": exchange.fetched_at.isoformat(timespec="seconds"),
            "archive": exchange.archived_at,
        }

    def add_page(self, source: str, kind: str, page: FetchedPage) -> int:
        row = self._page_row(source, kind, page.url, page.final_url, page.exchange)
        return self.db.table("pages").insert(row).last_pk

    def add_readout(self, source: str, page: FetchedPage, readout: Readout) -> int:
        """Page row, readout row and index entry in one transaction."""
        return self.save_readout(source, page, readout).readout_id

    def save_readout(self, source: str, page: FetchedPage, readout: Readout) -> Revision:
        """Like `add_readout`; a page already stored (same URL or a variant) is revised instead of added.

        The readout's identity (URL keys, duplicate link, meeting) commits with it, and so does the
        archive capture it came from, if it came from one.
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
            conn = self.db.conn
            existing = self.identity.existing(conn, source, page.url, page.final_url)
            canonical, keys = self.identity.keys(conn, source, page.url, page.final_url, page.text)
            if existing is None:
                readout_id = self.db.table("readouts").insert(row).last_pk
                self.identity.link(conn, readout_id, canonical, keys)
                self._learn_template(source, readout.learnable)
                revision = Revision(readout_id, changed=True)
            else:
                revision = self.identity.revise(conn, existing, row, keys)
            self._hold_capture(source, page, revision.readout_id)
            self.db.execute("delete from failures where url = ?", [page.url])
        return revision

    # --- web-archive captures -------------------------------------------------

    def _hold_capture(self, source: str, page: FetchedPage, readout_id: int) -> None:
        if page.memento is None or not page.memento.digest:
            return
        self.db.table("wayback_captures").upsert(
            {
                "url_key": dedupe.url_key(page.url, source, self.identity.settings),
                "digest": page.memento.digest,
                "url": page.url,
                "archived_at": page.memento.archived_at,
                "readout_id": readout_id,
                "fetched_at": page.exchange.fetched_at.isoformat(timespec="seconds"),
            },
            pk=("url_key", "digest"),
        )

    def capture_digests(self, url: str, source: str) -> set[str]:
        """Digests of the captures of `url` (or a variant of it) whose text the corpus holds."""
        key = dedupe.url_key(url, source, self.identity.settings)
        return {row[0] for row in self.db.execute("select digest from wayback_captures where url_key = ?", [key])}

    def readout_moment(self, url: str, source: str) -> str | None:
        """When the stored text of the readout at `url` was current: its capture time, or when it was fetched live."""
        existing = self.identity.existing(self.db.conn, source, url, url)
        if existing is None:
            return None
        row = self.db.execute("select coalesce(archived_at, fetched_at) from readouts where id = ?", [existing]).fetchone()
        return str(row[0]) if row and row[0] else None

    def add_version(self, source: str, page: FetchedPage, readout: Readout, superseded_at: str) -> bool:
        """An older capture of a stored readout: its text becomes a version unless the readout or a version has it.

        Returns whether a version was added. The capture is held either way, so it is not fetched again.
        """
        with self.db.atomic():
            existing = self.identity.existing(self.db.conn, source, page.url, page.final_url)
            if existing is None:
                raise LookupError(f"no readout at {page.url} to add a version to")
            digest = dedupe.content_hash(dedupe.words(readout.text))
            have = self.db.execute(
                "select 1 from readouts where id = :id and content_hash = :h"
                " union all select 1 from readout_versions where readout_id = :id and content_hash = :h",
                {"id": existing, "h": digest},
            ).fetchone()
            if have is None:
                page_id = self.add_page(source, "readout", page)
                self.db.table("readout_versions").insert(
                    {
                        "readout_id": existing,
                        "title": readout.title,
                        "text": readout.text,
                        "content_hash": digest,
                        "published": readout.published,
                        "fetched_at": page.exchange.fetched_at.isoformat(timespec="seconds"),
                        "superseded_at": superseded_at,
                        "page_id": page_id,
                        **_provenance(page),
                    }
                )
            self._hold_capture(source, page, existing)
        return have is None

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
