"""Readouts and their identity: storing and revising them, re-extracting them, and what the corpus has to show."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from harvester.dedupe import content_hash, page_keys, words
from harvester.extract import Readout
from harvester.fetch import FetchedPage
from harvester.store.captures import Captures
from harvester.store.connection import patient
from harvester.store.identity import Revision
from harvester.store.pages import provenance
from harvester.store.schema import search_keys
from harvester.store.templates import Templates

# Readouts re-extracted per read and per transaction: memory stays one batch, a commit is not per row.
REEXTRACT_BATCH = 500
# The extraction columns of `readouts`, in the order `readout_columns` gives them.
EXTRACTED = (
    "title", "kicker", "author", "published", "language", "tags", "text", "extractor", "lead", "place", "dropped",
    "search_keys",
)


@dataclass(frozen=True)
class Highlights:
    """What a new reader of the published corpus should open first: each None when the corpus has none."""

    meeting: int | None  # the meeting with the most reports
    revised: int | None  # a readout with versions


@dataclass(frozen=True)
class ArchivedReadout:
    """A stored readout with the archive location of its page, for re-extraction."""

    readout_id: int
    url: str
    archive: str | None
    columns: dict[str, object]


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



class Readouts(Templates, Captures):
    """The one way a readout's text enters or changes: its page row, readout row, identity and index entry together."""

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
                **provenance(page),
            }
            home = self.db.execute("select home from sources where name = ?", [source]).fetchone()
            canonical, keys = page_keys(
                page.url, page.final_url, readout.canonical, home[0] if home else None, source, self.identity.settings
            )
            existing = self._existing(source, page.url, page.final_url)
            if existing is None:
                identity = {
                    **self._identifier.url_columns(source, page.url, canonical),
                    "content_hash": content_hash(words(readout.text)),
                }
                readout_id = self._insert("readouts", {**row, **identity})
                self._identifier.added(readout_id, keys)
                self._learn_template(source, readout.learnable)
                revision = Revision(readout_id, changed=True)
            else:
                revision = self._identifier.revised(existing, row, keys)
            self._hold_capture(source, page, revision.readout_id)
            self.db.execute("delete from failures where url = ?", [page.url])
        return revision

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
        with self.db.atomic(), self._identifier.settling():
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

    def highlights(self) -> Highlights:
        """The pages `harvester demo` points a new reader to first."""
        def first(sql: str) -> int | None:
            row = self.db.execute(sql).fetchone()
            return int(row[0]) if row else None

        return Highlights(
            meeting=first(
                "select meeting_id from readouts where meeting_id is not null"
                " group by meeting_id order by count(*) desc, meeting_id limit 1"
            ),
            revised=first("select readout_id from readout_versions group by readout_id order by count(*) desc, readout_id limit 1"),
        )
