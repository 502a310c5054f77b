"""The ranked search over the published corpus: one implementation behind the search page, its JSON and its CSV.

What is asked is decided here: a page of the best unique matches, every match in
batches for an export, a suggestion for a query that found nothing. The SQL it is
asked with is the store's (`harvester.store.search`). Rows and snippets are read
for the ids wanted only, a page of them for the HTML page, in batches for an
export of every match.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from datasette.app import Datasette
from datasette.database import Database

from harvester.languages import fts_query
from harvester.search_query import (
    SearchQuery,
    closest,
    day,
    fold,
    name_spellings,
    read_query,
)
from harvester.store.search import (
    Matching,
    best_of_frequent,
    copies_among,
    people_spellings,
    terms_near,
    word_found,
)

# Snippet markers no scraped text contains: the snippet is escaped, then they become <mark>.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
EXPORT_BATCH = 200
SUGGESTED_WORDS = 8  # words of a query that found nothing looked up for a suggestion
# A word the index's tokenizer reads as itself in lower case, one of whose best matches may be ranked ahead.
SIMPLE_WORD = re.compile(r"[A-Za-z0-9]+")


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

    def _matching(self) -> Matching:
        """What the index is asked: Russian, Persian and Arabic words also as their keys."""
        return Matching(fts_query(self.query.fts), self.start, self.end)

    async def counts(self, datasette: Datasette, database: str) -> tuple[int, int]:
        """(shown, hidden): the readouts found, less the copies unless asked for, and the copies hidden."""
        total, copies = await self._matching().counts(datasette.get_database(database))
        return (total, 0) if self.duplicates else (total - copies, copies)

    async def ids(self, datasette: Datasette, database: str, limit: int | None = None, offset: int = 0) -> list[int]:
        """The ids found, in order: most relevant first (BM25, then id) or newest first."""
        if limit is not None and not self.by_date:
            if self.duplicates:
                best = await self._best(datasette.get_database(database), offset + limit)
                ranked = None if best is None else best[offset:]
            else:
                ranked = await self._best_unique(datasette, database, limit, offset)
            if ranked is not None:
                return ranked
        return await self._matching().ids(
            datasette.get_database(database), by_date=self.by_date, copies=self.duplicates, limit=limit, offset=offset
        )

    async def _best_unique(self, datasette: Datasette, database: str, limit: int, offset: int) -> list[int] | None:
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
        best = await self._best(db, take)
        if best is None:
            best = await self._matching().best(db, take)
        if not best:
            return []
        copies = await copies_among(db, best)
        unique = [i for i in best if i not in copies]
        if len(unique) < wanted and len(best) == take:
            return None
        return unique[offset:wanted]

    async def _best(self, db: Database, take: int) -> list[int] | None:
        """The `take` best matches, copies included, from those ranked ahead when the query is one frequent
        word typed as the index holds it (`Putin`: putin); None for any other query, or when they do not
        vouch for `take` (`harvester.store.ranking`)."""
        typed = self.query.words[0] if len(self.query.words) == 1 else ""
        if not (SIMPLE_WORD.fullmatch(typed) and self.query.fts == f'"{typed}"' and not self.start and not self.end):
            return None
        return await best_of_frequent(db, typed.lower(), take)

    async def rows(self, datasette: Datasette, database: str, ids: list[int], snippets: bool = True) -> list[dict[str, Any]]:
        """The readouts of `ids` in that order, each with its best snippet (matches between MARK_OPEN and MARK_CLOSE)."""
        if not ids:
            return []
        by_id = {row["id"]: row for row in await self._matching().rows(datasette.get_database(database), ids, snippets)}
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
        if " " in word or not word or await word_found(db, word):
            continue
        if people is None:
            people = name_spellings(await people_spellings(db))
        found = closest(word, people.items())
        if found is None:
            found = closest(word, await terms_near(db, fold(word)))
        if found is not None:
            replaced[word] = found
        else:
            unknown.append(word)
    words = [replaced.get(word, word) for word in search.query.words if word not in unknown]
    if not words or (not replaced and not unknown):
        return Suggestion(None, tuple(unknown))
    return Suggestion(" ".join(words), tuple(unknown))

