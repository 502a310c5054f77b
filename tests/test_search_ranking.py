"""The best matches of frequent words, ranked ahead by the store: the same results as ranking every match.

Real corpora on disk, written through the store; the plain ranking to compare with is FTS5's own bm25()
over every match, asked directly.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from harvester.search import Search
from harvester.store import Store
from harvester.store.ranking import candidates, rank_frequent_words
from harvester.store.search import BM25, best_of_frequent

WORD = "ardent"
FILLER = ["talks", "minister", "visit", "agreement", "trade", "energy", "security", "region", "cooperation", "week"]


def _text(rng: random.Random, length: int, mentions: int) -> str:
    words = [rng.choice(FILLER) for _ in range(length)]
    for _ in range(mentions):
        words.insert(rng.randrange(len(words) + 1), WORD)
    return " ".join(words)


def _readout(number: int, title: str, text: str, lead: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": number, "source": "s", "url": f"https://s.example/{number}", "title": title, "lead": lead,
            "text": text, "language": "en", "published": "2020-01-01", **extra}


def _write(path: Path, readouts: list[dict[str, Any]]) -> None:
    with Store(path) as store:
        if not store.db.table("sources").count:
            store.db.table("sources").insert({"name": "s", "title": "S", "language": "en"})
        store.db.table("readouts").insert_all(readouts, alter=False)


def _mixed(rng: random.Random, first: int, count: int) -> list[dict[str, Any]]:
    """Readouts naming the word in their title, lead or text, once or many times, short and long."""
    out = []
    for number in range(first, first + count):
        title = " ".join([WORD] * rng.choice((0, 0, 0, 1, 2)) + ["meets", rng.choice(FILLER)])
        lead = _text(rng, rng.randint(3, 20), rng.choice((0, 0, 1, 2)))
        text = _text(rng, rng.randint(5, 400), rng.choice((1, 1, 2, 3, 6)))
        out.append(_readout(number, title, text, lead))
    return out


def plain(path: Path, take: int) -> list[int]:
    """The best `take` matches of the word as bm25() ranks every one of them."""
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute(
            f"select rowid from readouts_fts where readouts_fts match ? order by {BM25}, rowid limit ?", [f'"{WORD}"', take]
        )]


def ahead(path: Path, take: int) -> list[int] | None:
    """The best `take` matches as the search reads them from the readouts ranked ahead."""
    datasette = Datasette([str(path)])
    return asyncio.run(best_of_frequent(datasette.get_database("readouts"), WORD, take))


def test_a_frequent_words_best_matches_are_those_of_the_full_ranking_through_later_writes(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    rng = random.Random(7)
    _write(path, _mixed(rng, 1, 300) + [_readout(n, "other", _text(rng, rng.randint(5, 300), 0)) for n in range(301, 401)])
    with Store(path) as store:
        rank_frequent_words(store.db, frequent=100, keep=40)
        held = store.db.execute("select count(*) from search_candidates where word = ?", [WORD]).fetchone()[0]
    assert 40 <= held < 300  # fewer readouts ranked than match, the best 40 among them
    for take in (1, 10, 40):
        assert ahead(path, take) == plain(path, take)
    assert ahead(path, 41) is None  # past what the candidates vouch for: the search ranks every match

    # new readouts, some the best of all, and long ones without the word that change the average length
    strong = [_readout(n, f"{WORD} {WORD}", f"{WORD} talks {WORD}", WORD) for n in range(401, 404)]
    _write(path, strong + _mixed(rng, 404, 30) + [_readout(n, "other", _text(rng, 3000, 0)) for n in range(434, 484)])
    best = plain(path, 40)
    with Store(path) as store:
        db = store.db
        for number in best[:4]:  # the best matches lose the word; weaker ones gain it many times
            db.execute("update readouts set title = 'other', lead = null, text = ? where id = ?", [_text(rng, 50, 1), number])
        for number in best[-2:]:
            db.execute("update readouts set title = ?, text = ? where id = ?", [f"{WORD} {WORD}", f"{WORD} {WORD} visit", number])
        for number in best[5:8]:
            db.execute("delete from readouts where id = ?", [number])
    spent = 4 + 2 + 3
    for take in (1, 10, 40 - spent):
        assert ahead(path, take) == plain(path, take)
    assert ahead(path, 40 - spent + 1) is None


def test_an_order_the_average_length_decides_is_followed_as_it_changes(tmp_path: Path) -> None:
    """A title match in a long readout and two text matches in a short one: which is better depends on the
    corpus's average length. Neither beats the other on both counts, so both stay candidates for the best one."""
    path = tmp_path / "readouts.db"
    rng = random.Random(3)
    _write(path, [
        _readout(1, WORD, _text(rng, 100, 0)),
        _readout(2, "talks", _text(rng, 8, 2)),
        *(_readout(n, "other", _text(rng, 40, 0)) for n in range(3, 40)),
    ])
    with Store(path) as store:
        rank_frequent_words(store.db, frequent=2, keep=1)
        assert sorted(candidates(store.db, WORD, 1)) == [1, 2]
    assert ahead(path, 1) == plain(path, 1) == [2]
    _write(path, [_readout(n, "other", _text(rng, 5000, 0)) for n in range(40, 240)])
    assert ahead(path, 1) == plain(path, 1) == [1]


def test_a_readout_beaten_on_both_counts_by_enough_others_is_no_candidate(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _write(path, [
        _readout(1, WORD, f"{WORD} a"),  # the most occurrences and the shortest
        _readout(2, WORD, f"{WORD} a b"),
        _readout(3, "x", f"{WORD} a b c"),  # beaten by 1 and 2 on both counts
        _readout(4, WORD, f"{WORD} a b"),  # as 2 in every count: 2 ranks first, by id
    ])
    with Store(path) as store:
        assert sorted(candidates(store.db, WORD, 2)) == [1, 2]
        assert sorted(candidates(store.db, WORD, 3)) == [1, 2, 4]
        assert sorted(candidates(store.db, WORD, 4)) == [1, 2, 3, 4]


def _ids(path: Path, args: dict[str, str], limit: int | None = None, offset: int = 0) -> list[int]:
    datasette = Datasette([str(path)])
    return asyncio.run(Search.from_args(args).ids(datasette, "readouts", limit, offset))


def test_the_search_pages_of_a_frequent_word_hide_copies_and_follow_the_full_ranking(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    rng = random.Random(11)
    readouts = _mixed(rng, 1, 400)
    for row in readouts[200:]:
        if rng.random() < 0.3:  # copies of earlier readouts, the best among them too
            original = readouts[rng.randrange(200)]
            row.update(title=original["title"], lead=original["lead"], text=original["text"], duplicate_of=original["id"])
    _write(path, readouts)
    with Store(path) as store:
        rank_frequent_words(store.db, frequent=100, keep=300)
        assert store.db.execute("select readouts from search_words where word = ?", [WORD]).fetchone() == (400,)
    for args in ({"q": "Ardent"}, {"q": "ardent", "duplicates": "1"}):
        every = _ids(path, args)  # an export's: every match ranked
        for offset in (0, 21, 84):
            assert _ids(path, args, 21, offset) == every[offset:offset + 21]
    every = _ids(path, {"q": "Ardent"})
    assert len(every) < 400 and len(_ids(path, {"q": "Ardent", "duplicates": "1"})) == 400


def test_a_query_the_ranking_ahead_cannot_answer_ranks_every_match(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _write(path, _mixed(random.Random(5), 1, 200))
    with Store(path) as store:
        rank_frequent_words(store.db, frequent=100, keep=50)
    datasette = Datasette([str(path)])
    for args in ({"q": "ardent*"}, {"q": "title:ardent"}, {"q": "ardent talks"}, {"q": "ardent", "from": "2021-01-01"}):
        search = Search.from_args(args)
        assert asyncio.run(search._best(datasette.get_database("readouts"), 10)) is None, args
    assert asyncio.run(Search.from_args({"q": "ARDENT"})._best(datasette.get_database("readouts"), 10)) == plain(path, 10)


def test_the_store_ranks_the_frequent_words_again_when_closing_after_many_changes(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _write(path, _mixed(random.Random(9), 1, 50))
    with Store(path) as store:
        assert store.db.execute("select count(*) from search_changes").fetchone()[0] == 50
    with Store(path) as store:
        store.db.execute("update readouts set text = text || ' more' where id <= 50")
        store.db.table("readouts").insert_all(_mixed(random.Random(10), 51, 600))
        assert store.db.execute("select sum(removed) from search_changes").fetchone()[0] == 50
    with Store(path) as store:  # 50 readouts changed: not yet worth ranking again
        assert store.db.execute("select count(*) from search_changes").fetchone()[0] == 650
        store.db.execute("update readouts set text = text || ' more' where id between 51 and 599")
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from search_changes").fetchone()[0] == 0


def test_a_store_closing_while_another_process_writes_leaves_the_ranking_to_the_next(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _write(path, _mixed(random.Random(12), 1, 600))
    store = Store(path)
    store.db.execute("update readouts set text = text || ' more'")  # enough changed to rank again
    writer = sqlite3.connect(path)
    writer.execute("begin immediate")
    store.db.execute("pragma busy_timeout = 0")
    store.close()  # the corpus is held: closing still closes
    writer.rollback()
    writer.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select sum(removed) from search_changes").fetchone()[0] == 600
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from search_changes").fetchone()[0] == 0


def _counts_as_every_match_is_looked_up(path: Path, match: str) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        total, copies = conn.execute(
            "select count(*), coalesce(sum(rowid in (select id from readouts where duplicate_of is not null)), 0)"
            " from readouts_fts where readouts_fts match ?", [match],
        ).fetchone()
    return total - copies, copies


def test_the_copies_a_search_counts_are_those_among_its_matches_through_every_change(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    rng = random.Random(4)
    readouts = _mixed(rng, 1, 60)
    for row in readouts[30:]:
        if rng.random() < 0.5:
            row["duplicate_of"] = rng.randrange(1, 31)
    _write(path, readouts)
    queries = {"ardent": '"ardent"', "title:ardent": 'title : "ardent"', "ardent talks": '"ardent" "talks"', "visit": '"visit"'}

    def agree() -> None:
        datasette = Datasette([str(path)])
        for typed, match in queries.items():
            counted = asyncio.run(Search.from_args({"q": typed}).counts(datasette, "readouts"))
            assert counted == _counts_as_every_match_is_looked_up(path, match), typed

    agree()
    with Store(path) as store:
        db = store.db
        copy = db.execute("select min(id) from readouts where duplicate_of is not null").fetchone()[0]
        db.execute("update readouts set text = 'visit only' where id = ?", [copy])  # a copy's text changes
        agree()
        db.execute("update readouts set duplicate_of = 1 where id in (2, 3)")  # originals become copies
        agree()
        db.execute("update readouts set duplicate_of = null where id = ?", [copy])  # a copy is one no longer
        agree()
        db.execute("delete from readouts where id = (select max(id) from readouts where duplicate_of is not null)")
        agree()
        db.table("readouts").insert(_readout(100, f"{WORD} visit", "visit", duplicate_of=1))  # a new copy
        agree()
    assert _counts_as_every_match_is_looked_up(path, '"ardent"')[1] > 0


def test_the_candidates_are_the_readouts_fewer_than_keep_others_beat_on_both_counts(tmp_path: Path) -> None:
    """Counted here from the texts written: a readout beats another when it holds the word as often or more
    (weighted by title, lead and text) and is no longer, ranking first among equals by count, then by
    length, then by id."""
    path = tmp_path / "readouts.db"
    rng = random.Random(17)
    readouts, counts = [], {}
    for number in range(1, 301):
        title = rng.choice((0, 0, 0, 1, 2))
        lead = rng.choice((0, 0, 1, 2))
        text = rng.choice((0, 1, 1, 2, 3, 5)) if title or lead else rng.choice((1, 1, 2, 3, 5))
        lengths = (title + 1, lead + rng.randint(2, 12), text + rng.randint(3, 300))
        readouts.append(_readout(
            number, " ".join([WORD] * title + ["meets"]), _text(rng, lengths[2] - text, text),
            _text(rng, lengths[1] - lead, lead),
        ))
        counts[number] = (8 * title + 3 * lead + text, sum(lengths))
    _write(path, readouts)
    order = sorted(counts, key=lambda n: (-counts[n][0], counts[n][1], n))
    with Store(path) as store:
        for keep in (1, 5, 30, 120):
            beaten = {n: sum(1 for m in order[:order.index(n)] if counts[m][1] <= counts[n][1]) for n in order}
            assert sorted(candidates(store.db, WORD, keep)) == sorted(n for n in order if beaten[n] < keep), keep
