"""What extraction learns of a source: the blocks its template repeats on every page, and how long its readouts run."""

from __future__ import annotations

from collections.abc import Iterable

from harvester.extract import SourceProfile
from harvester.extract.profile import MIN_PAGES, USUAL_AFTER, fingerprint, without_template
from harvester.extract.text import blocks_of
from harvester.store.connection import Connection, now


class Templates(Connection):
    """Template blocks counted per source as readouts are stored; a block that becomes template leaves the texts."""

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
            with self._identifier.settling():
                for readout_id, text in rows:
                    blocks_kept = without_template(blocks_of(text), learnt)
                    if blocks_kept != blocks_of(text):
                        self._identifier.text_changed(readout_id, {"text": "\n\n".join(blocks_kept)})
