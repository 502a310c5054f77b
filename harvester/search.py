"""The ranked search over the published corpus: one implementation behind the search page, its JSON and its CSV.

Ranking and counting read the index and the small duplicate_of and published
indexes, never the readouts' rows (their texts): that is what keeps a search
of 26k hits fast. Rows and snippets are then read for the ids wanted only, a
page of them for the HTML page, in batches for an export of every match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from datasette.app import Datasette

from harvester.languages import fts_query
from harvester.search_query import (
    SearchQuery,
    closest,
    day,
    fold,
    name_spellings,
    read_query,
)

# Search ranks title matches above lead matches above text matches (bm25 weights per FTS column).
BM25 = "bm25(readouts_fts, 8.0, 3.0, 1.0)"
# Snippet markers no scraped text contains: the snippet is escaped, then they become <mark>.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
EXPORT_BATCH = 200
# The corpus's own vocabulary, for "did you mean": a temporary fts5vocab table on each connection,
# so that any corpus, of any schema version, opened read-only, has it.
VOCABULARY = "temp.readouts_vocab"
VOCABULARY_TABLE = f"create virtual table if not exists {VOCABULARY} using fts5vocab(main, 'readouts_fts', 'row')"
SUGGESTED_WORDS = 8  # words of a query that found nothing looked up for a suggestion


@dataclass(frozen=True)
class Search:
    """A search as the reader asked for it: raises DateError or QueryError from `from_args` for what cannot be read."""

    text: str
    query: SearchQuery
    start: str | None
    end: str | None
    by_date: bool
    duplicates: bool

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Search:
        text = (args.get("q") or "").strip()
        return cls(
            text=text,
            query=read_query(text),
            start=day(args.get("from"), "from"),
            end=day(args.get("to"), "to"),
            by_date=args.get("sort") == "date",
            duplicates=args.get("duplicates") == "1",
        )

    def _conditions(self) -> tuple[str, dict[str, Any]]:
        where = ["readouts_fts match :q"]
        params: dict[str, Any] = {"q": fts_query(self.query.fts)}  # Russian, Persian, Arabic words: also their keys
        if self.start:
            where.append("readouts_fts.rowid in (select id from readouts where published >= :start)")
            params["start"] = self.start
        if self.end:
            where.append("readouts_fts.rowid in (select id from readouts where published < date(:end, '+1 day'))")
            params["end"] = self.end
        return " and ".join(where), params

    async def counts(self, datasette: Datasette, database: str) -> tuple[int, int]:
        """(shown, hidden): the readouts found, less the copies unless asked for, and the copies hidden."""
        conditions, params = self._conditions()
        row = (await datasette.get_database(database).execute(
            f"select count(*), sum(readouts_fts.rowid in ({COPIES})) from readouts_fts where {conditions}",
            params, log_sql_errors=False,
        )).rows[0]
        total, copies = row[0], row[1] or 0
        return (total, 0) if self.duplicates else (total - copies, copies)

    async def ids(self, datasette: Datasette, database: str, limit: int | None = None, offset: int = 0) -> list[int]:
        """The ids found, in order: most relevant first (BM25, then id) or newest first."""
        conditions, params = self._conditions()
        if limit is not None and not self.by_date and not self.duplicates:
            ranked = await self._best_unique(datasette, database, conditions, params, limit, offset)
            if ranked is not None:
                return ranked
        hide = "" if self.duplicates else f" and readouts_fts.rowid not in ({COPIES})"
        if self.by_date:
            sql = (
                "select readouts_fts.rowid from readouts_fts join readouts r on r.id = readouts_fts.rowid"
                f" where {conditions}{hide} order by r.published desc, r.id desc"
            )
        else:
            sql = f"select readouts_fts.rowid from readouts_fts where {conditions}{hide} order by {BM25}, readouts_fts.rowid"
        if limit is not None:
            sql += f" limit {int(limit)} offset {int(offset)}"
        return [row[0] for row in (await datasette.get_database(database).execute(sql, params)).rows]

    async def _best_unique(
        self, datasette: Datasette, database: str, conditions: str, params: dict[str, Any], limit: int, offset: int
    ) -> list[int] | None:
        """A page of the best unique readouts, from the best matches of all with the copies among them left out.

        Leaving the copies out of every match before ranking tests each match against the set of
        copies (a quarter of a search's time for 52k matches); a page needs only the best few. Twice
        the page and a margin are ranked with the copies in, then the copies among them dropped;
        None when so many of them were copies that the page may lack some (then all are ranked
        without the copies). The same order as that full ranking: BM25, then id.
        """
        wanted = offset + limit
        take = 2 * wanted + 20
        db = datasette.get_database(database)
        best = [row[0] for row in (await db.execute(
            f"select readouts_fts.rowid from readouts_fts where {conditions} order by {BM25}, readouts_fts.rowid"
            f" limit {int(take)}", params,
        )).rows]
        if not best:
            return []
        listed = ", ".join(str(int(i)) for i in best)
        copies = {row[0] for row in (await db.execute(
            f"select id from readouts where id in ({listed}) and duplicate_of is not null"
        )).rows}
        unique = [i for i in best if i not in copies]
        if len(unique) < wanted and len(best) == take:
            return None
        return unique[offset:wanted]

    async def rows(self, datasette: Datasette, database: str, ids: list[int], snippets: bool = True) -> list[dict[str, Any]]:
        """The readouts of `ids` in that order, each with its best snippet (matches between MARK_OPEN and MARK_CLOSE)."""
        if not ids:
            return []
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
        result = await datasette.get_database(database).execute(sql, {"q": fts_query(self.query.fts)} if snippets else {})
        by_id = {row["id"]: dict(row) for row in result.rows}
        found = [by_id[i] for i in ids if i in by_id]
        for row in found:
            if snippets:
                row["snippet"] = best_snippet(row)
        return found

    async def every_row(self, datasette: Datasette, database: str, snippets: bool = True) -> AsyncIterator[dict[str, Any]]:
        """Every readout found, in order, read in batches that each stay within Datasette's time limit."""
        ids = await self.ids(datasette, database)
        for start in range(0, len(ids), EXPORT_BATCH):
            for row in await self.rows(datasette, database, ids[start:start + EXPORT_BATCH], snippets):
                yield row


# The copies that searches hide unless asked for.
COPIES = "select id from readouts where duplicate_of is not null"


def best_snippet(row: Mapping[str, Any]) -> str:
    """The text's matching passage, else the lead's, else the title's: the title is shown above it anyway."""
    for column in (2, 1, 0):
        if MARK_OPEN in (row[f"snippet{column}"] or ""):
            return str(row[f"snippet{column}"])
    return str(row["snippet2"] or "")  # a match only a stemmed form explains: the text's opening


def plain(snippet: str) -> str:
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


@dataclass(frozen=True)
class Suggestion:
    """What to search instead of a query that found nothing, and the words no readout contains."""

    query: str | None
    unknown: tuple[str, ...]


async def suggestion(datasette: Datasette, database: str, search: Search) -> Suggestion:
    """The query with each word no readout contains replaced by the nearest spelling the corpus knows,
    or left out when it knows none (`U.S. sanctions` in a corpus without sanctions: U.S.).

    Candidates: the words of people's names and aliases first (Rohani → Rouhani), then the index's own
    terms that begin with the same letter and are about as long (Khamenie → khamenei).
    """
    db = datasette.get_database(database)
    replaced: dict[str, str] = {}
    unknown: list[str] = []
    people: dict[str, int] | None = None
    for word in dict.fromkeys(search.query.words[:SUGGESTED_WORDS]):
        if " " in word or not word or (await db.execute(
            "select count(*) from readouts_fts where readouts_fts match :q", {"q": f'"{word}"'}, log_sql_errors=False
        )).rows[0][0]:
            continue
        if people is None:
            people = await _people_spellings(datasette, database)
        found = closest(word, people.items())
        if found is None:
            folded = fold(word)
            terms = await db.execute(
                f"select term, doc from {VOCABULARY} where term >= :first and term < :after"
                " and length(term) between :short and :long",
                {"first": folded[0], "after": chr(ord(folded[0]) + 1), "short": len(folded) - 2, "long": len(folded) + 2},
                log_sql_errors=False,
            )
            found = closest(word, ((row[0], row[1]) for row in terms.rows))
        if found is not None:
            replaced[word] = found
        else:
            unknown.append(word)
    words = [replaced.get(word, word) for word in search.query.words if word not in unknown]
    if not words or (not replaced and not unknown):
        return Suggestion(None, tuple(unknown))
    return Suggestion(" ".join(words), tuple(unknown))


async def _people_spellings(datasette: Datasette, database: str) -> dict[str, int]:
    db = datasette.get_database(database)
    if not await db.table_exists("people"):
        return {}
    try:
        rows = (await db.execute(
            "select name from people union all select value from people, json_each(people.aliases)"
            " where json_valid(people.aliases)"
        )).rows
    except sqlite3.OperationalError:
        return {}
    return name_spellings(row[0] for row in rows if isinstance(row[0], str))
