"""The best matches of the most frequent words, kept ahead by the store: a search for one of them
ranks a few thousand readouts instead of every readout that holds the word.

FTS5's bm25() scores a readout for a one-word query from two numbers of that readout alone: the
weighted count of the word in it (f: each occurrence in the title counts 8, in the lead 3, in the
text or the search keys 1; `harvester.store.search.WEIGHTS`) and its length in tokens (D). The
score rises with f and falls with D, whatever the word's idf and the corpus's average length,
which change with every readout written. So a readout that at least KEEP others beat on both
counts (as many occurrences or more, no more tokens, the lower id among equals) is never among
the best KEEP, now or after readouts are added. For every word in at least FREQUENT readouts,
`search_candidates` holds the readouts not beaten so: the best KEEP lie among them, whatever is
added later.

Triggers record each readout written since (`search_changes`): the search ranks those along with
the candidates, with the same bm25() over the whole index, so the order is exactly the full
ranking's. A readout changed or deleted may have been one of the KEEP that beat another, so each
lowers the number of best matches the candidates vouch for by one; the store ranks the words
again (`rank_frequent_words`) when it closes after REBUILD_AFTER changes or once half of KEEP is
spent, and a search that needs more than they vouch for ranks every match.
"""

from __future__ import annotations

import heapq

import sqlite_utils

from harvester.store.search import WEIGHTS

# A word in this many readouts is ranked ahead: below it, ranking every match stays within the page's time.
FREQUENT = 150_000
# The best matches the candidates hold for each word, copies included: ten pages and more of a search.
KEEP = 1000
# Readouts written since the last ranking past which the store ranks the frequent words again.
REBUILD_AFTER = 20_000
VOCABULARY = "temp.ranking_vocab"
INSTANCES = "temp.ranking_instances"


def _length(sizes: bytes) -> int:
    """A readout's length in tokens: the sum of its columns' lengths, as FTS5 writes them (varints)."""
    total = value = 0
    for byte in sizes:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total, value = total + value, 0
    return total


def candidates(db: sqlite_utils.Database, word: str, keep: int = KEEP) -> list[int]:
    """The readouts holding `word` (a term of the index) that fewer than `keep` others beat on both
    weighted count and length."""
    db.execute(f"create virtual table if not exists {INSTANCES} using fts5vocab(main, 'readouts_fts', 'instance')")
    columns = [row[1] for row in db.execute("select * from pragma_table_info('readouts_fts')").fetchall()]
    weight = " ".join(f"when '{column}' then {WEIGHTS.get(column, 1.0)}" for column in columns)
    rows = db.execute(
        f"select i.doc, sum(case i.col {weight} else 1.0 end), d.sz from {INSTANCES} i"
        " join readouts_fts_docsize d on d.id = i.doc where i.term = ? group by i.doc",
        [word],
    ).fetchall()
    levels: dict[float, list[tuple[int, int]]] = {}  # weighted count: (length, rowid) of the readouts with it
    for rowid, weighted, sizes in rows:
        levels.setdefault(weighted, []).append((_length(sizes), rowid))
    kept: list[int] = []
    shortest: list[int] = []  # the `keep` shortest lengths among readouts of as many occurrences or more, negated
    for weighted in sorted(levels, reverse=True):
        level = levels[weighted]
        if len(shortest) == keep:
            # only a readout shorter than the `keep`th shortest so far can be kept: most of a level is not sorted
            level = [entry for entry in level if entry[0] < -shortest[0]]
        for length, rowid in sorted(level):
            if len(shortest) < keep:
                kept.append(rowid)
                heapq.heappush(shortest, -length)
            elif length < -shortest[0]:
                kept.append(rowid)
                heapq.heappushpop(shortest, -length)
    return kept


def _words(db: sqlite_utils.Database, frequent: int) -> list[tuple[str, int]]:
    """The index's terms in at least `frequent` readouts that the index's tokenizer leaves as they are:
    the search knows a word typed as the term itself (`Putin` for putin), not one the stemmer changes."""
    db.execute(f"create virtual table if not exists {VOCABULARY} using fts5vocab(main, 'readouts_fts', 'row')")
    terms: list[tuple[str, int]] = [
        (term, count) for term, count in db.execute(f"select term, doc from {VOCABULARY} where doc >= ?", [frequent])
        if term.isascii() and term.isalnum()
    ]
    if not terms:
        return []
    tokenize = db.execute(
        "select sql from sqlite_master where name = 'readouts_fts'"
    ).fetchone()[0].split("tokenize=", 1)[1].rsplit(")", 1)[0]
    db.execute("drop table if exists temp.ranking_terms")
    db.execute(f"create virtual table temp.ranking_terms using fts5(term, tokenize={tokenize})")
    db.conn.executemany("insert into temp.ranking_terms (rowid, term) values (?, ?)", enumerate(term for term, _ in terms))
    db.execute("create virtual table temp.ranking_tokens using fts5vocab(temp, ranking_terms, instance)")
    tokens: dict[int, list[str]] = {}
    for term, doc in db.execute("select term, doc from temp.ranking_tokens"):
        tokens.setdefault(doc, []).append(term)
    db.execute("drop table temp.ranking_tokens")
    db.execute("drop table temp.ranking_terms")
    return [(term, count) for number, (term, count) in enumerate(terms) if tokens.get(number) == [term]]


def rank_frequent_words(db: sqlite_utils.Database, frequent: int = FREQUENT, keep: int = KEEP) -> None:
    """The candidates of every word in at least `frequent` readouts, for its best `keep`, ranked afresh,
    and the changes they account for forgotten.

    One transaction that writes first: the store holds the corpus from the start, so no readout is
    written between the reading of the index and the forgetting of the changes.
    """
    with db.atomic():
        db.execute("delete from search_changes")
        db.execute("delete from search_candidates")
        db.execute("delete from search_words")
        for word, count in _words(db, frequent):
            db.conn.executemany(
                "insert into search_candidates (word, readout_id) values (?, ?)",
                [(word, rowid) for rowid in candidates(db, word, keep)],
            )
            db.execute("insert into search_words (word, readouts, kept) values (?, ?, ?)", [word, count, keep])


def stale(db: sqlite_utils.Database) -> bool:
    """Whether enough readouts were written since the frequent words were ranked to rank them again."""
    changed, removed = db.execute("select count(*), coalesce(sum(removed), 0) from search_changes").fetchone()
    return bool(changed >= REBUILD_AFTER or removed * 2 >= KEEP)
