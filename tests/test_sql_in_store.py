"""One schema vocabulary: SQL is written in `harvester/store/` alone, and the canned queries read the store's views.

The plugin, the search and the canned queries ask the store's named queries and
views; a migration that changes a table changes what reads it in the same place,
and tests/test_migration_pages.py serves every page from every schema version.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from harvester.store import Store

PACKAGE = Path(__file__).resolve().parents[1] / "harvester"
STORE = PACKAGE / "store"
METADATA = PACKAGE / "data" / "datasette-metadata.json"
# What SQL looks like in Python source: a statement's opening words, or a call that runs one.
SQL = re.compile(
    r"""\bselect\b[^"'\n]*\bfrom\b|\binsert\s+(or\s+\w+\s+)?into\b|\bdelete\s+from\b|\bupdate\s+\[?\w+\]?\s+set\b"""
    r"""|\bcreate\s+(temp\w*\s+|virtual\s+|unique\s+)?(table|view|index|trigger)\b|\bdrop\s+(table|view|index|trigger)\b"""
    r"""|\balter\s+table\b|\bpragma\s+\w|\bexecute(many|script)?\(|\bwhere\s+[\w.]+\s*(=|!=|<>|<|>)\s*[\w:?']""",
    re.IGNORECASE,
)
# A canned query that only picks rows of one view: no join, no subquery, no function.
CANNED = re.compile(
    r"select (?P<columns>[\w, *]+)\s+from (?P<view>\w+)(\s+where [\w:=' ]+)?(\s+order by [\w, ]+)?", re.IGNORECASE
)


def test_no_sql_outside_the_store() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py")) if STORE not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert not found, (
        "SQL outside harvester/store/: give the statement a name in the store (harvester/store/publishing.py for"
        " the published pages, harvester/store/search.py for the search) and call it:\n" + "\n".join(found)
    )


def test_the_scan_sees_sql() -> None:
    for line in ('"select id from readouts where slug = :s"', 'db.execute("PRAGMA mmap_size = 1")',
                 '" where p.name = :harvester_person)"', "f\"insert into [{table}] values (?)\"",
                 '"create virtual table if not exists t using fts5vocab(main)"', '"update readouts set kind = ?"'):
        assert SQL.search(line), line
    for line in ("INVISIBLE_TAGS = frozenset('script style select textarea'.split())",
                 "# the readouts table's facets are read from the counts the store keeps",
                 '"""0 where there is no /proc to say; in a sandbox where nothing in it runs"""'):
        assert not SQL.search(line), line


def test_canned_queries_select_from_the_store_views(tmp_path: Path) -> None:
    with Store(tmp_path / "readouts.db") as store:
        views = {row[0] for row in store.db.execute("select name from sqlite_master where type = 'view'")}
        queries = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["readouts"]["queries"]
        assert queries
        for name, query in queries.items():
            sql = " ".join(query["sql"].split())
            match = CANNED.fullmatch(sql)
            assert match, f"canned query {name} does more than select rows of one view: {sql}"
            assert match["view"] in views, f"canned query {name} reads {match['view']}, which no migration creates"
            store.db.execute(f"explain {sql}", {"person": "", "meeting": 0, "source": ""})  # its columns exist


def test_the_views_canned_queries_read_are_described(tmp_path: Path) -> None:
    tables = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["readouts"]["tables"]
    queries = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["readouts"]["queries"]
    with Store(tmp_path / "readouts.db") as store:
        for query in queries.values():
            view = CANNED.fullmatch(" ".join(query["sql"].split()))["view"]  # type: ignore[index]
            assert tables[view]["description"], view
            for column in store.db.view(view).columns_dict:
                assert tables[view]["columns"].get(column), f"{view}.{column} has no description"
