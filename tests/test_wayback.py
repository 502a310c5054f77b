"""Harvesting through web archives, against a real pywb and an Internet Archive-style CDX server."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlencode, urlsplit

import pytest
import sqlite_utils

from harvester.config import ConfigError, load_config
from harvester.replicas import localise_config
from harvester.wayback import CdxError, parse_cdx
from tests.conftest import REPO, SHIPPED_CONFIG, invoke_harvester
from tests.publishing import free_port, wait_until_answering
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
    result = invoke_harvester("fetch", "once", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cnsnews" in result.stdout and "khamenei-ir" in result.stdout
    return root


@pytest.fixture(scope="module")
def archived_db(archived: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(archived / "corpus" / "readouts.db")


def by_path(db: sqlite_utils.Database, source: str) -> dict[str, dict[str, Any]]:
    rows = db["readouts"].rows_where("source = ?", [source])
    return {urlsplit(row["url"]).path: row for row in rows}


def live_readouts(corpus: sqlite_utils.Database, source: str) -> dict[str, dict[str, Any]]:
    """The same replica harvested from the live site (the session's harvest of every replica)."""
    found = by_path(corpus, source)
    assert len(found) >= 5
    return found


FIELDS = ("title", "author", "published", "text", "tags", "kicker")


@pytest.mark.pywb
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


@pytest.mark.pywb
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


@pytest.mark.pywb
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


@pytest.mark.pywb
def test_a_404_capture_is_never_a_readout(archived_db: sqlite_utils.Database) -> None:
    readouts = by_path(archived_db, "cnsnews")
    assert WITHDRAWN not in readouts
    # captured fine in 2016, then as a 404 in 2019: the readout is the 2016 page
    corrected = readouts[CORRECTED]
    assert corrected["title"] == "Corrected story on the Vienna talks"
    assert corrected["archived_at"] == EARLIER.isoformat()


@pytest.mark.pywb
def test_a_capture_redirecting_to_a_huge_body_is_refused_by_its_length(
    archived: Path, archived_db: sqlite_utils.Database
) -> None:
    assert MOVED_TO_VIDEO not in by_path(archived_db, "cnsnews")
    failure = archived_db.table("failures").get(GONE + MOVED_TO_VIDEO)
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


@pytest.mark.pywb
def test_the_archived_robots_txt_counts_once_the_site_is_gone(
    archived: Path, archived_db: sqlite_utils.Database
) -> None:
    assert PRIVATE not in by_path(archived_db, "cnsnews")
    requests = archived_requests(archived / "corpus" / "archive")
    assert any(url.endswith(f"id_/{GONE}/robots.txt") for url in requests)
    assert not any(url.endswith(PRIVATE) for url in requests)
    assert "archived robots.txt" in archived_db.table("failures").get(GONE + PRIVATE)["error"]


@pytest.mark.pywb
def test_a_page_cannot_be_published_after_it_was_captured(archived_db: sqlite_utils.Database) -> None:
    row = by_path(archived_db, "cnsnews")[FUTURE]
    assert row["title"] == "Talks resume"
    assert row["published"] is None  # it claims 2021, two years after its capture: no date beats a wrong one


@pytest.mark.pywb
@pytest.mark.parametrize("flags", [(), ("--refresh",)], ids=["since-last-listing", "refresh-lists-all"])
def test_a_second_run_fetches_no_capture_again(
    archived: Path, archived_db: sqlite_utils.Database, flags: tuple[str, ...]
) -> None:
    """Without --refresh the listing asks for captures since the last one; with it, every capture is listed
    and every known readout looked up again, and the digests held keep all of them from being fetched."""
    archive_dir = archived / "corpus" / "archive"
    before = set(archive_dir.rglob("*.warc.gz"))
    counts = {table: archived_db[table].count for table in ("readouts", "readout_versions", "wayback_captures")}
    result = invoke_harvester("fetch", "once", "--config", str(archived / "config"), "--quiet", *flags)
    assert result.returncode == 0, result.stderr
    assert {table: archived_db[table].count for table in counts} == counts
    requests = archived_requests(archive_dir, since=before)
    assert any("/cdx?" in url for url in requests)
    replays = [url for url in requests if "id_/" in url]
    readout_paths = set(by_path(archived_db, "cnsnews")) | set(by_path(archived_db, "khamenei-ir"))
    assert not [url for url in replays if urlsplit(url.split("id_/", 1)[1]).path in readout_paths], replays
    summary = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert summary["cnsnews"][3] == "0" and summary["khamenei-ir"][3] == "0"
    if flags:
        # the readouts of the walked listing pages were looked up in the index again (cnsnews's at
        # once, khamenei-ir's after the live site's 403), and their captures were all held
        lookups = {
            urlsplit(parse_qs(urlsplit(url).query)["url"][0]).path
            for url in requests
            if "/cdx?" in url and "matchType" not in url
        }
        assert lookups <= readout_paths
        assert lookups & set(by_path(archived_db, "cnsnews")) and lookups & set(by_path(archived_db, "khamenei-ir"))


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
    with pytest.raises(CdxError, match="not a CDX answer"):
        parse_cdx(b"<html><body>Service unavailable</body></html>", "https://archive.example/cdx?url=x")


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


# --- the Internet Archive's CDX API, as its documentation shows it ------------------------------------

IA_SITE = "http://www.ia-site.invalid"
IA_CAPTURED = "20170203040506"


def ia_article(number: int) -> bytes:
    return (
        f"<html><body><h1>Readout {number}</h1><div class='body'><p>The two ministers met on day {number} of the talks"
        f" and agreed to meet again.</p><p>They discussed trade, energy and regional security, item {number}.</p>"
        "</div></body></html>"
    ).encode()


def surt(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return ",".join(reversed(host.split("."))) + ")" + (parts.path or "/")


class InternetArchive:
    """A CDX server answering as the Internet Archive's CDX documentation shows (output=json: an array of
    rows, the first naming the fields; a resume key after an empty row), with its `id_` replay, which
    redirects a request for another moment to the nearest capture of the same URL."""

    ROWS = 2  # the server's own cap per answer, past which it gives a resume key

    def __init__(self, site: str = IA_SITE) -> None:
        self.captures: list[tuple[str, str, str, str, str, str, bytes]] = []
        for number in range(1, 6):
            self.add(f"{site}/news/{number}", IA_CAPTURED, ia_article(number))
        self.add(f"{site}/news/3", "20180101000000", ia_article(3))  # the same page again: one digest
        self.add(f"{site}/news/2", "20180101000000", b"<h1>Not Found</h1>", status="404")
        self.add(f"{site}/news/4.jpg", IA_CAPTURED, b"\xff\xd8", mime="image/jpeg")
        self.add(f"{site}/robots.txt", IA_CAPTURED, b"User-agent: *\nDisallow:\n", mime="text/plain")
        listing = "".join(f'<li><a href="/news/{n}">{n}</a></li>' for n in range(1, 6))
        self.add(f"{site}/news", IA_CAPTURED, f"<html><body><ul class='news'>{listing}</ul></body></html>".encode())
        self.captures.sort(key=lambda c: (c[0], c[1]))
        self.log: list[tuple[float, str]] = []
        self.throttle = 0  # answer this many CDX requests with 429 and Retry-After: 1
        self.fail_answer: int | None = None  # answer this CDX request (1, 2, ...) with HTTP 400
        self._cdx_requests = 0
        archive = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                archive.log.append((time.monotonic(), self.path))
                if self.path.startswith("/cdx/search/cdx?"):
                    archive.answer_cdx(self)
                elif self.path.startswith("/web/"):
                    archive.replay(self)
                else:
                    self.send(404, b"", "text/plain")

            def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def add(self, url: str, timestamp: str, body: bytes, *, status: str = "200", mime: str = "text/html") -> None:
        digest = base64.b32encode(hashlib.sha1(body).digest()).decode()
        self.captures.append((surt(url), timestamp, url, mime, status, digest, body))

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def answer_cdx(self, handler: Any) -> None:
        self._cdx_requests += 1
        if self.throttle:
            self.throttle -= 1
            handler.send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
            return
        if self._cdx_requests == self.fail_answer:
            handler.send(400, b"Bad Request", "text/plain")
            return
        query = parse_qs(urlsplit(handler.path).query)
        wanted = surt(query["url"][0])
        rows = [c for c in self.captures if (c[0].startswith(wanted) if query.get("matchType") == ["prefix"] else c[0] == wanted)]
        for spec in query.get("filter", []):
            negate, (field, pattern) = spec.startswith("!"), spec.lstrip("!").split(":", 1)
            column = ["urlkey", "timestamp", "original", "mimetype", "statuscode"].index(field)
            rows = [row for row in rows if bool(re.fullmatch(pattern, row[column])) != negate]
        if "resumeKey" in query:
            key, timestamp = unquote_plus(query["resumeKey"][0]).rstrip("!").rsplit(" ", 1)
            rows = [row for row in rows if (row[0], row[1]) > (key, timestamp)]
        limit = min(int(query.get("limit", ["150000"])[0]), self.ROWS)
        answer: list[list[str]] = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]]
        answer += [[*row[:6], str(len(row[6]))] for row in rows[:limit]]
        if len(rows) > limit and query.get("showResumeKey") == ["true"]:
            last = rows[limit - 1]
            answer += [[], [quote_plus(f"{last[0]} {last[1]}!")]]
        handler.send(200, json.dumps(answer).encode(), "text/plain")

    def replay(self, handler: Any) -> None:
        asked = re.fullmatch(r"/web/(\d+)id_/(.+)", handler.path)
        assert asked, handler.path
        timestamp, url = asked.groups()
        captures = [c for c in self.captures if c[2] == url]
        if not captures:
            handler.send(404, b"", "text/html")
            return
        nearest = min(captures, key=lambda c: abs(int(c[1]) - int(timestamp.ljust(14, "0"))))
        if nearest[1] != timestamp:
            handler.send(302, b"", "text/html", {"Location": f"{self.origin}/web/{nearest[1]}id_/{url}"})
            return
        moment = datetime.strptime(nearest[1], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        handler.send(int(nearest[4]), nearest[6], nearest[3], {"Memento-Datetime": format_datetime(moment, usegmt=True)})

    def cdx_queries(self) -> list[dict[str, list[str]]]:
        return [parse_qs(urlsplit(path).query) for _, path in self.log if path.startswith("/cdx/")]

    def replays(self) -> list[str]:
        return [path for _, path in self.log if path.startswith("/web/")]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def internet_archive() -> Iterator[InternetArchive]:
    archive = InternetArchive()
    yield archive
    archive.stop()


def ia_config(root: Path, archive: InternetArchive) -> Path:
    config = root / "config"
    (config / "harvester.toml").parent.mkdir(parents=True, exist_ok=True)
    (config / "harvester.toml").write_text(
        "[http]\ndelay = 0\nallow_private = true\nretries = 1\nbackoff = 0.05\n"
        f'[wayback]\ncdx = "{archive.origin}/cdx/search/cdx"\nreplay = "{archive.origin}/web/{{timestamp}}id_/{{url}}"\n'
        "delay = 0\n"
    )
    write_source(
        config,
        "ia-site",
        f"""\
        via = "wayback"
        [discover]
        follow = '/news/\\d+$'
        wayback = ["{IA_SITE}/news/"]
        [extract]
        title = "h1"
        body = "div.body"
        """,
    )
    return config


def test_internet_archive_answers_are_paged_by_resume_key_and_its_429s_waited_for(
    tmp_path: Path, internet_archive: InternetArchive
) -> None:
    internet_archive.throttle = 1
    config = ia_config(tmp_path, internet_archive)
    result = invoke_harvester("fetch", "once", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    rows = {row["url"]: row for row in db["readouts"].rows}
    assert set(rows) == {f"{IA_SITE}/news/{n}" for n in range(1, 6)}
    for number in range(1, 6):
        row = rows[f"{IA_SITE}/news/{number}"]
        assert (row["title"], row["via"]) == (f"Readout {number}", "wayback")
        # /news/3 was captured again in 2018 with the same digest: the newest capture of a text counts
        assert row["archived_at"] == ("2018-01-01T00:00:00+00:00" if number == 3 else "2017-02-03T04:05:06+00:00")
    # the 429 held the archive for its Retry-After before the same query went again
    cdx = [(moment, path) for moment, path in internet_archive.log if path.startswith("/cdx/")]
    assert cdx[1][0] - cdx[0][0] >= 1.0 and cdx[0][1] == cdx[1][1]
    # each later answer was asked for with the resume key the one before ended on
    queries = internet_archive.cdx_queries()[1:]
    assert len(queries) >= 4 and "resumeKey" not in queries[0]
    keys = [unquote_plus(q["resumeKey"][0]) for q in queries[1:]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    # one capture per page, though /news/3 was captured twice with the same digest
    pages = [path for path in internet_archive.replays() if "/news/" in path]
    stamps = {n: "20180101000000" if n == 3 else IA_CAPTURED for n in range(1, 6)}
    assert sorted(pages) == sorted(f"/web/{stamps[n]}id_/{IA_SITE}/news/{n}" for n in range(1, 6))
    # robots.txt: the site is gone, the archive redirected "now" to its capture of the same URL
    robots = [path for path in internet_archive.replays() if path.endswith("/robots.txt")]
    assert len(robots) == 2 and robots[1] == f"/web/{IA_CAPTURED}id_/{IA_SITE}/robots.txt"


def test_an_interrupted_archive_listing_resumes_at_its_answer(tmp_path: Path, internet_archive: InternetArchive) -> None:
    internet_archive.fail_answer = 3
    config = ia_config(tmp_path, internet_archive)
    first = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
    assert first.returncode == 0, first.stderr
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    stored = {row["url"] for row in db["readouts"].rows}
    assert 0 < len(stored) < 5
    [failed] = list(db["failures"].rows)
    assert "HTTP 400" in failed["error"] and "/cdx/search/cdx?" in failed["url"]
    [saved] = list(db["walk_state"].rows)
    assert saved["start"] == f"wayback {IA_SITE}/news/" and saved["next_url"]
    asked = len(internet_archive.log)

    internet_archive.fail_answer = None
    second = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
    assert second.returncode == 0, second.stderr
    later = [parse_qs(urlsplit(path).query) for _, path in internet_archive.log[asked:] if path.startswith("/cdx/")]
    assert quote_plus(unquote_plus(later[0]["resumeKey"][0])) == saved["next_url"]  # not from the start again
    assert {row["url"] for row in db["readouts"].rows} == {f"{IA_SITE}/news/{n}" for n in range(1, 6)}
    assert db["failures"].count == 0  # the answer that failed was read this time
    pages = [path for path in internet_archive.replays() if "/news/" in path]
    assert len(pages) == len(set(pages)) == 5  # no capture fetched twice
    [listed] = list(db["walk_state"].rows)  # no walk to resume, only when the prefix was last listed in full
    assert listed["start"] == f"wayback-listed {IA_SITE}/news/"

    # the next listing asks only for captures since the last full one (less a month for the index's lag)
    asked = len(internet_archive.log)
    third = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
    assert third.returncode == 0, third.stderr
    since = (datetime.fromisoformat(listed["next_url"]) - timedelta(days=30)).strftime("%Y%m%d")
    later = [parse_qs(urlsplit(path).query) for _, path in internet_archive.log[asked:] if path.startswith("/cdx/")]
    assert later and all(query["from"] == [since] for query in later)
    assert not [path for _, path in internet_archive.log[asked:] if path.startswith("/web/")]


class Refusing:
    """A live site whose listing works and whose readouts fail each in another way a fallback answers."""

    ANSWERS = {"/news/1": (404, {}), "/news/2": (410, {}), "/news/3": (451, {}), "/news/4": (301, {"Location": "https://elsewhere.example/4"})}

    def __init__(self) -> None:
        parent = self
        self.paths: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parent.paths.append(self.path)
                status, headers = parent.ANSWERS.get(self.path, (200, {}))
                if self.path == "/news":
                    body = "".join(f'<li><a href="/news/{n}">{n}</a></li>' for n in range(1, 6)).join(
                        ("<html><body><ul class='news'>", "</ul></body></html>")
                    ).encode()
                elif self.path == "/news/5":
                    body = ia_article(5).replace(b"Readout 5", b"Readout 5, live")
                elif self.path == "/robots.txt":
                    body, status = b"User-agent: *\nDisallow:\n", 200
                else:
                    body = b"<h1>no</h1>"
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def fallback_config(root: Path, archive: InternetArchive, origins: dict[str, str]) -> Path:
    config = ia_config(root, archive)
    (config / "sources" / "ia-site.toml").unlink()
    for name, origin in origins.items():
        write_source(
            config,
            name,
            f"""\
            via = "fallback"
            [discover]
            start = ["{origin}/news"]
            links = "ul.news a"
            follow = '/news/\\d+$'
            [extract]
            title = "h1"
            body = "div.body"
            """,
        )
    return config


@pytest.mark.parametrize("failure", ["statuses", "refused"])
def test_a_fallback_source_answers_each_kind_of_failure_from_the_archive(tmp_path: Path, failure: str) -> None:
    live = Refusing()
    if failure == "refused":
        live.stop()  # nothing listens there any more: the connection is refused
    archive = InternetArchive(site=live.origin)
    try:
        config = fallback_config(tmp_path, archive, {"flaky": live.origin})
        result = invoke_harvester("fetch", "once", "--config", str(config))
        assert result.returncode == 0, result.stdout + result.stderr
        db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
        rows = {urlsplit(row["url"]).path: row for row in db["readouts"].rows}
        assert set(rows) == {f"/news/{n}" for n in range(1, 6)}
        if failure == "statuses":
            # 404, 410, 451 and a redirect off the source's hosts: each from the archive; the rest live
            assert {path: row["via"] for path, row in rows.items()} == {
                **{f"/news/{n}": "wayback" for n in range(1, 5)}, "/news/5": "live"
            }
            assert rows["/news/5"]["title"] == "Readout 5, live" and rows["/news/5"]["archived_at"] is None
            assert all(f"/news/{n}" in live.paths for n in range(1, 6))
        else:
            assert {row["via"] for row in rows.values()} == {"wayback"}
            assert "reading the web archive instead" in result.stderr
        assert rows["/news/1"]["archived_at"] == "2017-02-03T04:05:06+00:00"
        assert db["failures"].count == 0
    finally:
        archive.stop()
        if failure == "statuses":
            live.stop()


@pytest.mark.pywb
def test_the_demo_shows_cnsnews_from_a_local_web_archive_with_its_capture_times(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "harvester", "demo", "--port", str(port), "--dir", str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/.json", process, timeout=90)
        query = urlencode({"source": "cnsnews", "_shape": "array", "_col": ["via", "archived_at"]}, doseq=True)
        with urllib.request.urlopen(f"{base}/readouts/readouts.json?{query}", timeout=5) as response:
            rows = json.load(response)
        assert len(rows) == 6 and {(row["via"], row["archived_at"]) for row in rows} == {  # 5 readouts, 1 wire copy
            ("wayback", "2022-06-01T12:00:00+00:00")
        }, rows
        with urllib.request.urlopen(f"{base}/readouts/readouts/{rows[0]['id']}", timeout=5) as response:
            page = response.read().decode()
        assert "From a web archive: captured" in page and "2022-06-01T12:00:00+00:00" in page
        assert 'class="replay-link"' in page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
