"""Harvesting through web archives, against a real pywb and an Internet Archive-style CDX server."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from harvester.config import ConfigError, load_config
from harvester.replicas import localise_config
from harvester.wayback import parse_cdx
from tests.conftest import SHIPPED_CONFIG, run_harvester
from tests.pywb_archive import (
    CAPTURED,
    CHANGED,
    CORRECTED,
    EARLIER,
    EARLIER_SENTENCE,
    FUTURE,
    GONE,
    KHAMENEI_CAPTURED,
    MAX_BYTES,
    MOVED_TO_VIDEO,
    PRIVATE,
    VIDEO,
    WITHDRAWN,
    ArchiveWorld,
    archived_requests,
)


def archive_config(root: Path, world: ArchiveWorld) -> Path:
    """The shipped cnsnews (via = "wayback") and khamenei-ir (via = "fallback") configs, on the local archive."""
    config = localise_config(
        SHIPPED_CONFIG,
        [],
        root / "config",
        wayback=(world.archive.cdx, world.archive.replay),
        origins={"https://www.cnsnews.com": GONE, "https://english.khamenei.ir": world.forbidding.origin},
    )
    for file in (config / "sources").glob("*.toml"):
        if file.stem not in ("cnsnews", "khamenei-ir"):
            file.unlink()
    (config / "harvester.toml").write_text(
        textwrap.dedent(
            f"""\
            [http]
            delay = 0
            timeout = 10
            allow_private = true
            retries = 1
            backoff = 0.05
            max_bytes = {MAX_BYTES}

            [wayback]
            cdx = "{world.archive.cdx}"
            replay = "{world.archive.replay}"
            delay = 0
            """
        ),
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def archived(archive_world: ArchiveWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real `harvester fetch once` of both sources; returns the folder holding config and corpus."""
    root = tmp_path_factory.mktemp("archived")
    config = archive_config(root, archive_world)
    result = run_harvester("fetch", "once", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cnsnews" in result.stdout and "khamenei-ir" in result.stdout
    return root


@pytest.fixture(scope="module")
def archived_db(archived: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(archived / "corpus" / "readouts.db")


def by_path(db: sqlite_utils.Database, source: str) -> dict[str, dict]:
    rows = db["readouts"].rows_where("source = ?", [source])
    return {urlsplit(row["url"]).path: row for row in rows}


def live_readouts(corpus: sqlite_utils.Database, source: str) -> dict[str, dict]:
    """The same replica harvested from the live site (the session's harvest of every replica)."""
    found = by_path(corpus, source)
    assert len(found) >= 5
    return found


FIELDS = ("title", "author", "published", "text", "tags", "kicker")


def test_an_archive_only_source_harvests_every_readout_from_its_captures(
    archive_world: ArchiveWorld, archived_db: sqlite_utils.Database, corpus: sqlite_utils.Database
) -> None:
    live = live_readouts(corpus, "cnsnews")
    archived = by_path(archived_db, "cnsnews")
    for path, want in live.items():
        row = archived[path]
        assert {f: row[f] for f in FIELDS} == {f: want[f] for f in FIELDS}, path
        assert row["url"] == GONE + path  # the original URL, not the replay URL
        assert row["via"] == "wayback"
        assert row["archived_at"] == CAPTURED.isoformat()
        assert row["replay_url"] == archive_world.archive.replay.format(timestamp="20190501120000", url=GONE + path)
    run = next(archived_db.query("select * from runs where source = 'cnsnews'"))
    assert run["status"] == "partial" and run["error"] is None  # the huge capture below failed, nothing else


def test_a_fallback_source_takes_what_the_live_site_refuses_from_the_archive(
    archive_world: ArchiveWorld, archived_db: sqlite_utils.Database, corpus: sqlite_utils.Database
) -> None:
    live = live_readouts(corpus, "khamenei-ir")
    archived = by_path(archived_db, "khamenei-ir")
    assert set(archived) == set(live)
    for path, want in live.items():
        row = archived[path]
        assert {f: row[f] for f in FIELDS} == {f: want[f] for f in FIELDS}, path
        assert row["url"] == archive_world.forbidding.origin + path
        assert (row["via"], row["archived_at"]) == ("wayback", KHAMENEI_CAPTURED.isoformat())
        assert path in archive_world.forbidding.paths  # live first, every time
    run = next(archived_db.query("select * from runs where source = 'khamenei-ir'"))
    assert (run["status"], run["errors"], run["new_readouts"]) == ("ok", 0, 5)


def test_two_captures_of_a_page_make_the_newest_the_readout_and_the_older_a_version(
    archived_db: sqlite_utils.Database,
) -> None:
    row = by_path(archived_db, "cnsnews")[CHANGED]
    assert EARLIER_SENTENCE not in row["text"] and row["archived_at"] == CAPTURED.isoformat()
    versions = list(archived_db["readout_versions"].rows_where("readout_id = ?", [row["id"]]))
    assert len(versions) == 1
    version = versions[0]
    assert EARLIER_SENTENCE in version["text"]
    assert (version["via"], version["archived_at"], version["superseded_at"]) == (
        "wayback", EARLIER.isoformat(), CAPTURED.isoformat()
    )
    assert "20160301093000id_" in version["replay_url"]


def test_a_404_capture_is_never_a_readout(archived_db: sqlite_utils.Database) -> None:
    readouts = by_path(archived_db, "cnsnews")
    assert WITHDRAWN not in readouts
    # captured fine in 2016, then as a 404 in 2019: the readout is the 2016 page
    corrected = readouts[CORRECTED]
    assert corrected["title"] == "Corrected story on the Vienna talks"
    assert corrected["archived_at"] == EARLIER.isoformat()


def test_a_capture_redirecting_to_a_huge_body_is_refused_by_its_length(
    archived: Path, archived_db: sqlite_utils.Database
) -> None:
    assert MOVED_TO_VIDEO not in by_path(archived_db, "cnsnews")
    failure = archived_db["failures"].get(GONE + MOVED_TO_VIDEO)
    assert "over the 1,000,000 byte limit" in failure["error"], failure
    # the redirect was followed to the capture of its target, whose body was never read
    from warcio.archiveiterator import ArchiveIterator

    truncated = []
    for file in (archived / "corpus" / "archive").rglob("*.warc.gz"):
        with file.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI").endswith(VIDEO):
                    truncated.append((record.rec_headers.get_header("WARC-Truncated"), len(record.content_stream().read())))
    assert truncated == [("length", 0)]


def test_the_archived_robots_txt_counts_once_the_site_is_gone(
    archived: Path, archived_db: sqlite_utils.Database
) -> None:
    assert PRIVATE not in by_path(archived_db, "cnsnews")
    requests = archived_requests(archived / "corpus" / "archive")
    assert any(url.endswith(f"id_/{GONE}/robots.txt") for url in requests)
    assert not any(url.endswith(PRIVATE) for url in requests)
    assert "archived robots.txt" in archived_db["failures"].get(GONE + PRIVATE)["error"]


def test_a_page_cannot_be_published_after_it_was_captured(archived_db: sqlite_utils.Database) -> None:
    row = by_path(archived_db, "cnsnews")[FUTURE]
    assert row["title"] == "Talks resume"
    assert row["published"] is None or row["published"] <= CAPTURED.isoformat()


def test_a_second_run_fetches_no_capture_again(archived: Path, archived_db: sqlite_utils.Database) -> None:
    archive_dir = archived / "corpus" / "archive"
    before = set(archive_dir.rglob("*.warc.gz"))
    counts = {table: archived_db[table].count for table in ("readouts", "readout_versions", "wayback_captures")}
    result = run_harvester("fetch", "once", "--config", str(archived / "config"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert {table: archived_db[table].count for table in counts} == counts
    requests = archived_requests(archive_dir, since=before)
    assert any("/cdx?" in url for url in requests)
    replays = [url for url in requests if "id_/" in url]
    readout_paths = set(by_path(archived_db, "cnsnews")) | set(by_path(archived_db, "khamenei-ir"))
    assert not [url for url in replays if urlsplit(url.split("id_/", 1)[1]).path in readout_paths], replays
    summary = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert summary["cnsnews"][3] == "0" and summary["khamenei-ir"][3] == "0"


# --- answer formats and configuration -------------------------------------------------------------


def test_both_cdx_answer_formats_are_read() -> None:
    internet_archive = json.dumps(
        [
            ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
            ["org,example)/news/1", "20190102030405", "http://example.org:80/news/1", "text/html", "200", "AAA", "10"],
            [],
            ["org%2Cexample%29%2Fnews%2F1+20190102030405%21"],
        ]
    ).encode()
    answer = parse_cdx(internet_archive)
    assert answer.resume_key == "org%2Cexample%29%2Fnews%2F1+20190102030405%21"
    [capture] = answer.captures
    assert (capture.url, capture.archived_at, capture.digest) == (
        "http://example.org/news/1", "2019-01-02T03:04:05+00:00", "AAA"
    )
    pywb = (
        b'{"urlkey": "org,example)/news/1", "timestamp": "20190102030405", "url": "https://example.org/news/1",'
        b' "mime": "text/html", "status": "200", "digest": "BBB"}\n'
    )
    [capture] = parse_cdx(pywb).captures
    assert (capture.original, capture.status, capture.mime, parse_cdx(pywb).resume_key) == (
        "https://example.org/news/1", "200", "text/html", None
    )
    assert parse_cdx(b"[]").captures == ()


def write_source(config: Path, name: str, body: str) -> None:
    (config / "sources").mkdir(parents=True, exist_ok=True)
    (config / "sources" / f"{name}.toml").write_text(
        f'name = "{name}"\ntitle = "t"\nhome = "https://gone.example/"\nlanguage = "en"\n' + textwrap.dedent(body)
    )


def test_via_and_archive_keys_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write_source(config, "gone", 'via = "wayback"\n[discover]\nfollow = "/news/"\nwayback = ["https://gone.example/news/"]\n')
    source = load_config(config).source("gone")
    assert (source.via, source.discover.start, source.discover.wayback) == ("wayback", (), ("https://gone.example/news/",))
    for body, key in [
        ('via = "archive"\n[discover]\nfollow = "/n/"\nwayback = ["https://gone.example/"]\n', "via"),
        ('via = "wayback"\n[discover]\nfollow = "/n/"\n', "discover.wayback"),
        ('[discover]\nfollow = "/n/"\nwayback = ["https://gone.example/"]\n', "discover.start"),
        ('via = "wayback"\n[discover]\nfollow = "/n/"\nwayback = ["https://gone.example/"]\nwayback_to = "last year"\n', "discover.wayback_to"),
    ]:
        write_source(config, "gone", body)
        with pytest.raises(ConfigError) as refused:
            load_config(config)
        assert refused.value.key == key, body
    (config / "sources" / "gone.toml").unlink()
    (config / "harvester.toml").write_text('[wayback]\nreplay = "https://archive.example/web/{url}"\n')
    with pytest.raises(ConfigError, match="wayback.replay.*timestamp"):
        load_config(config)
