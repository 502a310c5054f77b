"""Web-archive captures: which captures' texts the corpus holds, and older captures kept as a readout's versions."""

from __future__ import annotations

from harvester.dedupe import content_hash, words
from harvester.extract import Readout
from harvester.fetch import FetchedPage
from harvester.store.connection import patient
from harvester.store.pages import Pages, provenance
from harvester.urls import url_key


class Captures(Pages):
    """A capture whose text the corpus holds is never fetched again, whether it became the readout or a version."""

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

    @patient
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
                        **provenance(page),
                    },
                )
            self._hold_capture(source, page, existing)
        return have is None
