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

from harvester.config import SourceConfig
from harvester.extract import Readout
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
    },
    "failures": {
        "url": str,
        "source": str,
        "error": str,
        "attempts": int,
        "first_failed": str,
        "last_failed": str,
    },
}
PRIMARY_KEYS = {"sources": "name", "failures": "url"}
FOREIGN_KEYS = {
    "runs": [("source", "sources", "name")],
    "pages": [("source", "sources", "name")],
    "readouts": [("source", "sources", "name"), ("page_id", "pages", "id")],
}
INDEXES = {
    "readouts": [["url"], ["source"], ["published"]],
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


class Store:
    """The corpus database. Opening it creates or upgrades the schema."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
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
            for name, columns in SCHEMA.items():
                table = self.db.table(name)
                if not table.exists():
                    table.create(
                        columns,
                        pk=PRIMARY_KEYS.get(name, "id"),
                        foreign_keys=FOREIGN_KEYS.get(name),
                    )
                    for index in INDEXES.get(name, []):
                        table.create_index(index, unique=index in [[c] for c in UNIQUE_INDEXES.get(name, [])])
                else:
                    for column, kind in columns.items():
                        if column not in table.columns_dict:
                            table.add_column(column, kind)
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

    def finish_run(self, run_id: int, status: str, counts: RunCounts, error: str | None = None) -> None:
        self.db.table("runs").update(
            run_id, {"finished": now(), "status": status, "error": error, **asdict(counts)}
        )

    # --- pages and readouts ------------------------------------------------

    def known(self, urls: Iterable[str]) -> set[str]:
        """Which of `urls` the corpus already holds as readouts."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.db.execute(f"select url from readouts where url in ({marks})", chunk))
        return found

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
        with self.db.atomic():
            page_id = self.add_page(source, "readout", page)
            row = {
                "source": source,
                "url": page.url,
                "title": readout.title,
                "kicker": readout.kicker,
                "author": readout.author,
                "published": readout.published,
                "language": readout.language,
                "tags": json.dumps(list(readout.tags), ensure_ascii=False),
                "text": readout.text,
                "extractor": readout.extractor,
                "fetched_at": page.exchange.fetched_at.isoformat(timespec="seconds"),
                "page_id": page_id,
            }
            readout_id = self.db.table("readouts").insert(row).last_pk
            self.db.execute("delete from failures where url = ?", [page.url])
        return readout_id

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
