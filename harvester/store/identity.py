"""The identity step: the one writer of a readout's identity.

`content_hash`, `duplicate_of`/`duplicate_kind`/`similarity`, the shingle index
(`dedupe_shingles`), `meeting_id` and the `meetings` rows are derived from a
readout's text. Whenever that text changes — a new readout, a revision fetched
again, template learning, re-extraction — `Identifier.text_changed` runs in the
same transaction, so no path can leave a stale hash or a link to a text that is
gone. The decisions themselves (what is a copy, which meeting a text reports)
are pure functions in `harvester.dedupe` and `harvester.meetings`; the meetings and people are
written by `harvester.store.linking`, which this step calls for every text it derived.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from harvester import translations
from harvester.dedupe import (
    EXACT,
    EXCERPT,
    NEAR,
    Identity,
    Match,
    compare,
    content_hash,
    sampled,
    shingles,
    slug,
    words,
)
from harvester.store.linking import MeetingLinks, set_columns
from harvester.urls import canonical_url, url_key

# Candidates verified on their full text per readout: the best by shared sampled shingles.
CANDIDATES = 5


@dataclass(frozen=True)
class Revision:
    readout_id: int
    changed: bool


class Identifier:
    """Identity of the readouts in one connection (content hash, copies, the shingle index), with the
    config's settings; the meetings of what is no copy are `MeetingLinks`'."""

    def __init__(self, conn: sqlite3.Connection, identity: Identity) -> None:
        self.conn = conn
        self.settings = identity.settings
        self.gazetteer = identity.gazetteer
        self.translation_keys = identity.translation_keys
        self.meetings = MeetingLinks(conn, identity.gazetteer)
        # readouts `identify` made copies of the one it identified (their original had no publication date)
        self._demoted: list[int] = []

    # --- the operations the store calls ---------------------------------------------

    def url_columns(self, source: str, url: str, canonical: str) -> dict[str, Any]:
        """The columns a readout's URLs decide: a new readout's INSERT holds them (and its `content_hash`),
        as each later UPDATE rewrites the row, full text and all, and the indexes of what it changes."""
        translation = translations.translation_key(url, self.translation_keys.get(source))
        return {"canonical_url": canonical, "slug": slug(canonical), "translation_key": translation}

    def added(self, readout_id: int, keys: list[str], *, replaying: bool = False) -> None:
        """A new readout, inserted with its `url_columns`: its URL keys, then everything its text decides."""
        self.conn.executemany(
            "insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys]
        )
        self._derive(readout_id, replaying=replaying)

    def text_changed(self, readout_id: int, values: Mapping[str, Any]) -> bool:
        """Write new extraction `values` for a stored readout; where they change what identity is derived from, derive it again.

        Readouts that were copies of it are identified again too: the text they
        repeated may be gone. Returns whether the text changed.
        """
        old_text, old_hash, duplicate_of, title, published = self.conn.execute(
            "select text, content_hash, duplicate_of, title, published from readouts where id = ?", [readout_id]
        ).fetchone()
        new_text = values.get("text", old_text) or ""
        changed = content_hash(words(new_text)) != (old_hash or content_hash(words(old_text or "")))
        if changed and duplicate_of is None:
            self._unindex(readout_id, old_text or "")
        set_columns(self.conn, readout_id, values)
        # the meeting is read from the title and the publication date as well as the text
        if changed or values.get("title", title) != title or values.get("published", published) != published:
            self._derive(readout_id)
            copies = self.conn.execute("select id from readouts where duplicate_of = ? order by id", [readout_id])
            for (copy,) in copies.fetchall():
                self._derive(copy)
        return changed

    def revised(self, readout_id: int, row: Mapping[str, Any], keys: list[str]) -> Revision:
        """A known page fetched again: a changed text becomes the readout's, the old one a version."""
        self.conn.executemany(
            "insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys]
        )
        title, text, digest, published, fetched_at, page_id, via, archived_at, replay_url = self.conn.execute(
            "select title, text, content_hash, published, fetched_at, page_id, via, archived_at, replay_url"
            " from readouts where id = ?",
            [readout_id],
        ).fetchone()
        if content_hash(words(row["text"])) == (digest or content_hash(words(text or ""))):
            return Revision(readout_id, changed=False)
        self.conn.execute(
            "insert into readout_versions (readout_id, title, text, content_hash, published, fetched_at,"
            " superseded_at, page_id, via, archived_at, replay_url) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                readout_id, title, text, digest, published, fetched_at,
                # a newer capture supersedes the old text as of its capture time
                row.get("archived_at") or row["fetched_at"], page_id, via, archived_at, replay_url,
            ],
        )
        self.text_changed(readout_id, {name: value for name, value in row.items() if name not in ("source", "url")})
        return Revision(readout_id, changed=True)

    def recompute(self) -> None:
        """Every readout's identity and reading from scratch, in the order they were stored (`harvester dedupe`).

        Meetings are derived from the set of readings, and a meeting keeps the smallest id its reports
        had: an unchanged corpus gets the same meetings, ids included, and no readout row is written.
        """
        conn = self.conn
        conn.execute("delete from dedupe_shingles")
        rows = conn.execute(
            "select r.id, r.source, r.url, coalesce(p.final_url, r.url), coalesce(r.canonical_url, p.final_url, r.url)"
            " from readouts r left join pages p on p.id = r.page_id order by r.id"
        ).fetchall()
        with self.settling():
            for readout_id, source, url, final_url, declared in rows:
                # the canonical a page declared is kept: the page itself is in the archive, not here
                canonical = canonical_url(declared, source, self.settings)
                keys = list(dict.fromkeys(url_key(u, source, self.settings) for u in (url, final_url)))
                set_columns(conn, readout_id, self.url_columns(source, url, canonical))
                self.added(readout_id, keys, replaying=True)
        conn.execute("delete from meeting_people where meeting_id not in (select meeting_id from readouts where meeting_id is not null)")
        conn.execute("delete from meetings where id not in (select meeting_id from readouts where meeting_id is not null)")
        conn.execute("delete from people where id not in (select person_id from meeting_people)")

    def settling(self) -> AbstractContextManager[None]:
        """A block of derivations whose people are settled once, at its end (`MeetingLinks.settling`)."""
        return self.meetings.settling()

    # --- derivation -------------------------------------------------------------------

    def _derive(self, readout_id: int, *, replaying: bool = False) -> None:
        text, old_date = self.conn.execute("select text, event_date from readouts where id = ?", [readout_id]).fetchone()
        match = self.identify(readout_id, text or "", replaying=replaying)
        with self.meetings.settling():
            if match is not None:
                self.meetings.copy_of(readout_id, match.original, old_date)
            else:
                self.meetings.read(readout_id)
                while self._demoted:  # the former original, and its copies, now copies of this one
                    copy = self._demoted.pop()
                    (held,) = self.conn.execute("select event_date from readouts where id = ?", [copy]).fetchone()
                    self.meetings.copy_of(copy, readout_id, held)  # the meeting it held together is grouped again
            self.meetings.share_with_translations(readout_id)

    def identify(self, readout_id: int, text: str, *, replaying: bool = False) -> Match | None:
        """Link the readout (already in `readouts`) to the unique readout whose text it repeats, or index it as unique.

        When an excerpt arrived first and its full readout now, the full one becomes
        the original and the excerpt (with its own copies) is linked to it; so does a copy
        with a publication date its original lacks. When `replaying` the corpus in storage
        order, only earlier readouts count.
        """
        conn, settings = self.conn, self.settings
        tokens = words(text)
        digest = content_hash(tokens)
        set_columns(conn, readout_id, {"content_hash": digest})
        match = None
        samples = None
        same = conn.execute(
            "select id, duplicate_of, duplicate_kind, similarity from readouts"
            f" where content_hash = ? and id {'<' if replaying else '!='} ? order by id limit 1",
            [digest, readout_id],
        ).fetchone()
        if same:
            holder, original, kind, similarity = same
            # a copy of a copy is a copy of the original, as alike as the copy it repeats
            match = Match(holder, EXACT, 1.0) if original is None else Match(original, kind, similarity)
        elif len(tokens) >= settings.min_words:
            ours = shingles(tokens, settings.shingle)
            samples = sampled(ours, settings.sample)
            best: tuple[str, float, int] | None = None
            for candidate in self._candidates(samples, readout_id):
                theirs = shingles(words(self._text_of(candidate)), settings.shingle)
                verdict = compare(ours, theirs, settings)
                if verdict and (best is None or (verdict[0] == NEAR, verdict[1]) > (best[0] == NEAR, best[1])):
                    best = (*verdict, candidate)
            if best and best[0] == "contains":
                kind, similarity, excerpt = best
                self._unindex(excerpt, self._text_of(excerpt))
                copies = conn.execute("select id from readouts where id = ? or duplicate_of = ?", [excerpt, excerpt])
                for (copy,) in copies.fetchall():
                    set_columns(
                        conn, copy, {"duplicate_of": readout_id, "duplicate_kind": EXCERPT, "similarity": round(similarity, 4)}
                    )
            elif best:
                match = Match(best[2], best[0], round(best[1], 4))
        if match is not None and self._precedes(readout_id, match.original):
            # the copy was published first, or has a publication date its original lacks: it becomes the original
            # (it dates the event the two report, and its reading is theirs), whichever of them arrived first
            self._unindex(match.original, self._text_of(match.original))
            for (copy,) in conn.execute("select id from readouts where id = ? or duplicate_of = ?",
                                        [match.original, match.original]).fetchall():
                set_columns(conn, copy, {"duplicate_of": readout_id, "duplicate_kind": match.kind,
                                         "similarity": match.similarity})
                self._demoted.append(copy)
            match = None
        if match is None and len(tokens) >= settings.min_words:
            if samples is None:  # an exact copy promoted to original: indexed as any unique readout is
                samples = sampled(shingles(tokens, settings.shingle), settings.sample)
            conn.executemany(
                "insert or ignore into dedupe_shingles (hash, readout_id) values (?, ?)",
                [(h, readout_id) for h in samples],
            )
        set_columns(
            conn,
            readout_id,
            {
                "duplicate_of": match.original if match else None,
                "duplicate_kind": match.kind if match else None,
                "similarity": match.similarity if match else None,
            },
        )
        return match

    def _candidates(self, samples: set[int], readout_id: int) -> list[int]:
        common = self.settings.common
        shared: Counter[int] = Counter()
        for value in samples:
            holders = self.conn.execute(
                "select readout_id from dedupe_shingles where hash = ? limit ?", [value, common + 1]
            ).fetchall()
            if len(holders) <= common:
                shared.update(holder for (holder,) in holders if holder != readout_id)
        # one shared sample is what a formulaic sentence or a hash collision gives; copies share several
        enough = min(2, len(samples))
        return [candidate for candidate, count in shared.most_common(CANDIDATES) if count >= enough]

    def _precedes(self, readout_id: int, original: int) -> bool:
        """Whether `readout_id` comes before `original` as copies are ordered whatever their arrival: the dated
        before the undated, then by publication, then the fuller text (a republication trims). Copies equal in
        all three read alike; the first harvested stays the original."""
        order = {
            row_id: (published is None, published or "", -length)
            for row_id, published, length in self.conn.execute(
                "select id, published, length(coalesce(text, '')) from readouts where id in (?, ?)",
                [readout_id, original],
            )
        }
        return order[readout_id] < order[original]

    def _text_of(self, readout_id: int) -> str:
        row = self.conn.execute("select text from readouts where id = ?", [readout_id]).fetchone()
        return row[0] or "" if row else ""

    def _unindex(self, readout_id: int, text: str) -> None:
        samples = sampled(shingles(words(text), self.settings.shingle), self.settings.sample)
        self.conn.executemany(
            "delete from dedupe_shingles where hash = ? and readout_id = ?", [(h, readout_id) for h in samples]
        )

    # --- meetings ----------------------------------------------------------------------
