"""Searches limited to a period or sorted by date: the same readouts, in the same order, as filtering and
sorting every match.

A real corpus on disk, written through the store; what to compare with is read from the readouts and
FTS5's own bm25() over every match, and filtered and sorted here.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from harvester.search import Search
from harvester.store import Store
from harvester.store.search import BM25, Matching

WORD = "ardent"
FILLER = ["talks", "minister", "visit", "agreement", "trade", "energy", "security", "region"]
PERIODS = [(None, None), ("2020-03-01", None), (None, "2020-02-10"), ("2020-02-01", "2020-02-29"), ("2021-01-01", None)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Readouts over a few months, several on a day, their ids out of date order, one in twenty without a
    date, one in eight a copy; the word in a third of them, once or more."""
    path = tmp_path_factory.mktemp("periods") / "readouts.db"
    rng = random.Random(23)
    readouts: list[dict[str, Any]] = []
    for number in range(1, 601):
        words = [rng.choice(FILLER) for _ in range(rng.randint(5, 120))]
        for _ in range(rng.choice((0, 0, 1, 1, 3))):
            words.insert(rng.randrange(len(words) + 1), WORD)
        published = None if rng.random() < 0.05 else (date(2020, 1, 1) + timedelta(days=rng.randrange(120))).isoformat()
        readouts.append({"id": number, "source": "s", "url": f"https://s.example/{number}", "title": f"Talks {number}",
                         "text": " ".join(words), "language": "en", "published": published,
                         "duplicate_of": rng.randrange(1, number) if number > 1 and rng.random() < 0.125 else None})
    with Store(path) as store:
        store.db.table("sources").insert({"name": "s", "title": "S", "language": "en"})
        store.db.table("readouts").insert_all(readouts, alter=False)
    return path


def expected(path: Path, start: str | None, end: str | None, by_date: bool, copies: bool) -> list[int]:
    """Every match ranked (bm25, then id) or sorted (published, then id, newest first), then filtered here."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            f"select f.rowid, {BM25}, r.published, r.duplicate_of from readouts_fts f join readouts r on r.id = f.rowid"
            " where readouts_fts match ?", [f'"{WORD}"'],
        ).fetchall()
    kept = [row for row in rows if (copies or row[3] is None)
            and (start is None or (row[2] is not None and row[2] >= start))
            and (end is None or (row[2] is not None and row[2] <= end))]
    if by_date:  # SQLite sorts a missing date below every date
        return [row[0] for row in sorted(kept, key=lambda row: (row[2] or "", row[0]), reverse=True)]
    return [row[0] for row in sorted(kept, key=lambda row: (row[1], row[0]))]


def _args(start: str | None, end: str | None, by_date: bool, copies: bool) -> dict[str, str]:
    args = {"q": WORD}
    if start:
        args["from"] = start
    if end:
        args["to"] = end
    if by_date:
        args["sort"] = "date"
    if copies:
        args["duplicates"] = "1"
    return args


@pytest.mark.parametrize("by_date", [False, True])
@pytest.mark.parametrize("copies", [False, True])
def test_a_search_of_a_period_finds_and_orders_what_filtering_every_match_does(
    corpus: Path, by_date: bool, copies: bool
) -> None:
    datasette = Datasette([str(corpus)])
    for start, end in PERIODS:
        want = expected(corpus, start, end, by_date, copies)
        search = Search.from_args(_args(start, end, by_date, copies))
        every = asyncio.run(search.ids(datasette, "readouts"))
        assert every == want, (start, end)
        for offset in (0, 20, 40, len(want) - 5):
            page = asyncio.run(search.ids(datasette, "readouts", 21, max(0, offset)))
            assert page == want[max(0, offset):max(0, offset) + 21], (start, end, offset)
        shown, hidden = asyncio.run(search.counts(datasette, "readouts"))
        assert shown == len(want), (start, end)
        if not copies:
            assert shown + hidden == len(expected(corpus, start, end, by_date, True))


def test_a_page_sorted_by_date_is_read_from_the_newest_readouts_it_walks_or_left_to_sorting_every_match(
    corpus: Path,
) -> None:
    """A walk that holds the page answers it; one that holds too few of the matches, while the period has
    more readouts than it walked, answers nothing, and every match is sorted instead."""
    db = Datasette([str(corpus)]).get_database("readouts")
    for start, end in PERIODS:
        want = expected(corpus, start, end, True, False)
        matching = Matching(f'"{WORD}"', start, end)
        for walk in (5, 60, 200, 10_000):
            for offset in (0, 20):
                page = asyncio.run(matching._newest(db, False, 21, offset, walk))
                assert page is None or page == want[offset:offset + 21], (start, end, walk, offset)
                if walk == 10_000:
                    assert page == want[offset:offset + 21]
                if walk == 5:
                    assert page is None or start == "2021-01-01"  # nothing in that period: the walk saw it all
