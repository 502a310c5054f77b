"""Fetched pages, and which readout a URL already is: what readouts and their archive captures share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from harvester.fetch import FetchedPage
from harvester.store.connection import Connection, patient
from harvester.urls import url_key


def provenance(page: FetchedPage) -> dict[str, object]:
    """Where a text came from: the live site, or a web archive's capture."""
    if page.memento is None:
        return {"via": "live", "archived_at": None, "replay_url": None}
    return {"via": "wayback", "archived_at": page.memento.archived_at, "replay_url": page.memento.replay_url}


class Pages(Connection):
    """Every page fetched (listings, feeds, readouts, versions), and the URLs, with their variants, of stored readouts."""

    def known(self, urls: Iterable[str], source: str | None = None) -> set[str]:
        """Which of `urls` the corpus already holds as readouts, under that URL or a variant of it (queued ones too)."""
        self.flush()
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
        keys = list({url_key(u, source, self.identity.settings) for u in {url, final_url}})
        marks = ",".join("?" * len(keys))
        row = self.db.execute(f"select readout_id from readout_urls where url in ({marks}) limit 1", keys).fetchone()
        return int(row[0]) if row else None
