"""The search's SQL: ranking, counting, the rows of a page of results, and the words a suggestion picks from.

`harvester.search` decides what to ask (a page, every match, a suggestion); the
statements it asks with are here, with the store's other statements, so that a
migration and the search cannot drift apart. They are read through Datasette's
database object, on its threads and within its time limit.

Ranking and counting read the index (the copies counted in an index of their
own) and the small duplicate_of and published indexes, never the readouts' rows
(their texts): that is what keeps a search of 26k hits fast. Rows and snippets are then read for the ids wanted only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from datasette.database import Database

from harvester.store.schema import COPIES_INDEX

# Search ranks title matches above lead matches above text matches (bm25 weights per FTS column;
# a column not listed, the search keys, weighs 1).
WEIGHTS = {"title": 8.0, "lead": 3.0, "text": 1.0}
BM25 = f"bm25(readouts_fts, {', '.join(str(weight) for weight in WEIGHTS.values())})"
# The copies that searches hide unless asked for, and the search index of their texts alone (kept by
# triggers, `harvester.store.schema`): a search counts its copies there.
COPIES = "select id from readouts where duplicate_of is not null"
# The newest readouts a search sorted by date walks for its page before it sorts every match (`Matching._newest`).
NEWEST_WALK = 20_000
# The corpus's own vocabulary, for "did you mean": a temporary fts5vocab table on each connection,
# so that any corpus, of any schema version, opened read-only, has it.
VOCABULARY = "temp.readouts_vocab"
VOCABULARY_TABLE = f"create virtual table if not exists {VOCABULARY} using fts5vocab(main, 'readouts_fts', 'row')"


@dataclass(frozen=True)
class Matching:
    """The readouts an FTS5 query matches (`match`, as `harvester.languages.fts_query` writes it),
    published on or after `start` and on or before `end` (ISO days) when given."""

    match: str
    start: str | None = None
    end: str | None = None

    def _period(self) -> tuple[list[str], dict[str, Any]]:
        """The conditions a readout's `published` meets in the period, and their parameters (none without one)."""
        period, params = [], {}
        if self.start:
            period.append("published >= :start")
            params["start"] = self.start
        if self.end:
            period.append("published < date(:end, '+1 day')")
            params["end"] = self.end
        return period, params

    def _conditions(self, index: str = "readouts_fts") -> tuple[str, dict[str, Any]]:
        where = [f"{index} match :q"]
        period, params = self._period()
        params["q"] = self.match
        if period:
            # One list of the period's readouts, read from the published index, that each match is looked up in.
            # `+`: as the index's own constraint, every id listed would be a query of the index (minutes at a million).
            where.append(f"+{index}.rowid in (select id from readouts where {' and '.join(period)})")
        return " and ".join(where), params

    async def counts(self, db: Database) -> tuple[int, int]:
        """(matches, of which copies): the copies counted in their own index, not each match looked up among them."""
        conditions, params = self._conditions()
        among_copies, _ = self._conditions(COPIES_INDEX)
        row = (await db.execute(
            f"select (select count(*) from readouts_fts where {conditions}),"
            f" (select count(*) from {COPIES_INDEX} where {among_copies})",
            params, log_sql_errors=False,
        )).rows[0]
        return row[0], row[1]

    async def ids(
        self, db: Database, *, by_date: bool, copies: bool, limit: int | None = None, offset: int = 0
    ) -> list[int]:
        """The ids matched, copies among them only if `copies`: newest first, or most relevant first (BM25, then id)."""
        if by_date and limit is not None:
            newest = await self._newest(db, copies, limit, offset, NEWEST_WALK)
            if newest is not None:
                return newest
        conditions, params = self._conditions()
        hide = "" if copies else f" and readouts_fts.rowid not in ({COPIES})"
        if by_date:
            sql = (
                "select readouts_fts.rowid from readouts_fts join readouts r on r.id = readouts_fts.rowid"
                f" where {conditions}{hide} order by r.published desc, r.id desc"
            )
        else:
            sql = f"select readouts_fts.rowid from readouts_fts where {conditions}{hide} order by {BM25}, readouts_fts.rowid"
        if limit is not None:
            sql += f" limit {int(limit)} offset {int(offset)}"
        return [row[0] for row in (await db.execute(sql, params)).rows]

    async def _newest(self, db: Database, copies: bool, limit: int, offset: int, walk: int) -> list[int] | None:
        """A page of the newest matches, read by walking the newest `walk` readouts of the period down the
        published index and keeping those among the matches; None when the walk found fewer than the page
        needs and the period holds more readouts than it walked.

        Sorting every match by date looks each one up among the readouts (a second for a word in a quarter
        of a million); a word in one readout of a hundred fills a page within the walk. The matches walked
        are in the same order as all of them sorted (published, then id, newest first), so they are the page.
        """
        period, params = self._period()
        params.update(q=self.match, walk=walk)
        if not copies:
            period.append("duplicate_of is null")
        where = f"where {' and '.join(period)}" if period else ""
        walked = f"select id, published from readouts {where} order by published desc, id desc limit :walk"
        found = [row[0] for row in (await db.execute(
            f"select w.id from ({walked}) w where w.id in (select rowid from readouts_fts where readouts_fts match :q)"
            f" order by w.published desc, w.id desc limit {int(limit)} offset {int(offset)}", params,
        )).rows]
        if len(found) == limit:
            return found
        if (await db.execute(f"select count(*) from ({walked})", params)).rows[0][0] < walk:
            return found
        return None

    async def best(self, db: Database, take: int) -> list[int]:
        """The `take` most relevant ids, copies included (BM25, then id): no match is tested against the copies."""
        conditions, params = self._conditions()
        return [row[0] for row in (await db.execute(
            f"select readouts_fts.rowid from readouts_fts where {conditions} order by {BM25}, readouts_fts.rowid"
            f" limit {int(take)}", params,
        )).rows]

    async def rows(self, db: Database, ids: list[int], snippets: bool) -> list[dict[str, Any]]:
        """The readouts of `ids` (in no order) with their publisher, and with `snippets`, the snippet of each
        searched column (`snippet0` title, `snippet1` lead, `snippet2` text; matches between char(2) and char(3))."""
        columns = (
            "r.id, r.title, r.source, s.title as source_title, r.published, r.kind, r.language, r.url, r.slug,"
            " r.meeting_id, r.duplicate_of, r.duplicate_kind"
        )
        listed = ", ".join(str(int(i)) for i in ids)
        if snippets:
            marks = ", ".join(
                f"snippet(readouts_fts, {n}, char(2), char(3), '…', 32) as snippet{n}" for n in range(3)
            )
            sql = (
                f"select {columns}, {marks} from readouts_fts join readouts r on r.id = readouts_fts.rowid"
                f" left join sources s on s.name = r.source where readouts_fts match :q and readouts_fts.rowid in ({listed})"
            )
        else:
            sql = f"select {columns} from readouts r left join sources s on s.name = r.source where r.id in ({listed})"
        result = await db.execute(sql, {"q": self.match} if snippets else {})
        return [dict(row) for row in result.rows]


async def best_of_frequent(db: Database, word: str, take: int) -> list[int] | None:
    """The `take` most relevant ids for the query of one frequent word (a term of the index), copies
    included, in the full ranking's order (BM25, then id), read from the readouts ranked ahead for the
    word (`harvester.store.ranking`) and those written since; None when the word is not ranked ahead
    or the readouts changed since vouch for fewer than `take`.

    What the candidates vouch for is read in the statement that ranks them, so both see the corpus
    as it was at one moment, whatever the store writes meanwhile.
    """
    try:
        ranked = (await db.execute("select 1 from search_words where word = :word", {"word": word})).rows
    except sqlite3.OperationalError:  # a corpus of an older schema, opened read-only
        return None
    if not ranked:
        return None
    # `+`: the candidates filter the matches; as the index's constraint, each would be a query of its own
    rows = (await db.execute(
        "select readouts_fts.rowid, (select kept from search_words where word = :word)"
        " - (select count(*) from search_changes where removed) from readouts_fts where readouts_fts match :q"
        " and +readouts_fts.rowid in (select readout_id from search_candidates where word = :word"
        f" union all select readout_id from search_changes) order by {BM25}, readouts_fts.rowid limit {int(take)}",
        {"q": f'"{word}"', "word": word},
    )).rows
    if not rows or rows[0][1] is None or rows[0][1] < take:
        return None
    return [row[0] for row in rows]


async def matches_below(db: Database, match: str, below: int | None, limit: int) -> list[int]:
    """Up to `limit` ids that `match` matches, newest stored first, each below `below` when given.

    Read down the index's own rowid order from the bound, so a chunk of a long export costs its
    own rows and never a pass over every match (at a million readouts a common word matches a quarter).
    """
    bound = "" if below is None else " and rowid < :below"
    return [row[0] for row in (await db.execute(
        f"select rowid from readouts_fts where readouts_fts match :q{bound} order by rowid desc limit {int(limit)}",
        {"q": match, "below": below}, log_sql_errors=False,
    )).rows]


async def copies_among(db: Database, ids: list[int]) -> set[int]:
    """Which of `ids` are copies: read from the rows of these ids alone."""
    listed = ", ".join(str(int(i)) for i in ids)
    return {row[0] for row in (await db.execute(
        f"select id from readouts where id in ({listed}) and duplicate_of is not null"
    )).rows}


async def word_found(db: Database, word: str) -> bool:
    """Whether any readout contains `word` as the index reads it (its stem, diacritics folded)."""
    return bool((await db.execute(
        "select count(*) from readouts_fts where readouts_fts match :q", {"q": f'"{word}"'}, log_sql_errors=False
    )).rows[0][0])


async def terms_near(db: Database, folded: str) -> list[tuple[str, int]]:
    """The index's terms that begin with `folded`'s first letter and are within two letters of its length,
    each with the number of readouts that hold it."""
    terms = await db.execute(
        f"select term, doc from {VOCABULARY} where term >= :first and term < :after"
        " and length(term) between :short and :long",
        {"first": folded[0], "after": chr(ord(folded[0]) + 1), "short": len(folded) - 2, "long": len(folded) + 2},
        log_sql_errors=False,
    )
    return [(row[0], row[1]) for row in terms.rows]


async def people_spellings(db: Database) -> list[str]:
    """Every name and alias of the people list (aliases that are not a JSON list are skipped)."""
    try:
        rows = (await db.execute(
            "select name from people union all select value from people, json_each(people.aliases)"
            " where json_valid(people.aliases)"
        )).rows
    except sqlite3.OperationalError:
        return []
    return [row[0] for row in rows if isinstance(row[0], str)]
