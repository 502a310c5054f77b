"""cnsnews printed its dateline's place as an image: the text it leaves, "( – ", is no part of the readout."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from harvester.extract import without_dateline_residue
from harvester.replicas import ReplicaServer
from tests.conftest import invoke_harvester, make_local_config


@pytest.mark.parametrize(
    ("text", "kept", "residue"),
    [
        ("( – The talks lasted two hours.", "The talks lasted two hours.", "( –"),
        ("() - “We agreed,” he said.", "“We agreed,” he said.", "() -"),
        ("(— Talks began.", "Talks began.", "(—"),
        ("(AP) – The talks lasted two hours.", "(AP) – The talks lasted two hours.", None),  # a dateline in words
        ("(1) The first point.", "(1) The first point.", None),
        ("– a dash opens the text.", "– a dash opens the text.", None),
    ],
)
def test_only_an_empty_datelines_punctuation_goes(text: str, kept: str, residue: str | None) -> None:
    assert without_dateline_residue(text) == (kept, residue)


def test_no_cnsnews_text_starts_with_the_residue(corpus: sqlite_utils.Database) -> None:
    rows = list(corpus["readouts"].rows_where("source = 'cnsnews'", select="text, dropped"))
    assert len(rows) == 6
    for row in rows:
        assert row["text"][:1].isalnum() or row["text"][:1] in "“\"'", row["text"][:40]
        assert "a dateline's punctuation, its place an image" in row["dropped"]


def test_reextract_cleans_texts_stored_before(replica_servers: list[ReplicaServer], tmp_path: Path) -> None:
    config = make_local_config(replica_servers, tmp_path)
    assert invoke_harvester("fetch", "once", "--config", str(config), "--source", "cnsnews", "-q").returncode == 0
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    # as an earlier release stored them
    db.execute("update readouts set text = '( – ' || text where source = 'cnsnews'")
    db.conn.commit()
    assert db.execute("select count(*) from readouts where text like '( – %'").fetchone()[0] == 6
    result = invoke_harvester("reextract", "--config", str(config), "--source", "cnsnews")
    assert result.returncode == 0, result.stderr
    assert db.execute("select count(*) from readouts where source = 'cnsnews'").fetchone()[0] == 6
    assert db.execute("select count(*) from readouts where text like '(%'").fetchone()[0] == 0
    hits = db.execute("select count(*) from readouts_fts where readouts_fts match 'Khamenei'").fetchone()[0]
    assert hits > 0
    db.close()
