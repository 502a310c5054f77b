"""Shared by test_publish.py and test_browser.py: a fixture corpus and `harvester serve` on it.

The corpus holds the five seed readouts (tests/data/seeds), written through the
real store and archive writer, plus one readout whose every field carries a
script-injection payload.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from html import escape
from pathlib import Path

import pytest

from harvester.archive import ArchiveWriter
from harvester.extract import Readout
from harvester.fetch import Exchange, FetchedPage
from harvester.store import RunCounts, Store
from tests.conftest import EXPECTED_SEEDS, REPO

SEED_SOURCES = {
    "000_cf9b3ea0a473f1e0.txt": ("leader-ir", "https://www.leader.ir/en/content/13950/"),
    "001_7757f9e639917cb7.txt": ("khamenei-ir", "https://english.khamenei.ir/news/5960/"),
    "002_94931048b707c418.txt": ("aawsat", "https://eng-archive.aawsat.com/theaawsat/news-middle-east/khamenei-courts-putin"),
    "003_1900544c01452456.txt": ("cnsnews", "https://www.cnsnews.com/news/article/patrick-goodenough/irans-khamenei"),
    "004_06586b94afe7776b.txt": ("leader-ir", "https://www.leader.ir/en/content/23104/"),
}
# Every place a scraped value reaches the page; each payload sets window.__pwned.
PAYLOAD_TITLE = "Payload readout <script>window.__pwned='title'</script>"
PAYLOAD_KICKER = "<img src=x onerror=\"window.__pwned='kicker'\">"
PAYLOAD_AUTHOR = "\"><svg onload=\"window.__pwned='author'\">"
PAYLOAD_PARAGRAPHS = [
    "<script>window.__pwned='text'</script> Putin payload paragraph one.",
    "<img src=x onerror=\"window.__pwned='img'\"> second paragraph.",
    "<a href=\"javascript:window.__pwned='link'\">click me</a> third paragraph.",
]
PAYLOAD_URL = "javascript:window.__pwned='url';//payload"
PAYLOAD_MEETING_TITLE = "<script>window.__pwned='meeting'</script>Payload meeting"


@dataclass(frozen=True)
class Served:
    base: str
    database: Path
    ids: dict[str, int]  # seed file (or "payload", "duplicate") → readout id
    page_ids: dict[str, int]
    meetings: dict[str, int]  # "seed-meeting" (000, 002, 003), "payload" → meeting id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seeds() -> dict[str, dict]:
    return json.loads(EXPECTED_SEEDS.read_text(encoding="utf-8"))


def _page_html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"<!doctype html><html><head><title>{escape(title)}</title></head><body><article>{body}</article></body></html>".encode()


def _exchange(url: str, body: bytes) -> Exchange:
    return Exchange(
        url=url,
        method="GET",
        request_headers=(("User-Agent", "harvester-test"),),
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body,
        fetched_at=datetime.now(timezone.utc),
    )


def _store(
    store: Store, archive: ArchiveWriter, source: str, url: str, body: bytes, readout: Readout, fetched: str = ""
) -> tuple[int, int]:
    """`fetched`: the URL the page came from, when the readout's own URL is not one (the payload's)."""
    exchange = _exchange(fetched or url, body)
    exchange = replace(exchange, archived_at=archive.record(exchange))
    readout_id = store.save_readout(source, FetchedPage(url, url, exchange), readout).readout_id
    page_id = store.db.execute("select page_id from readouts where id = ?", [readout_id]).fetchone()[0]
    return readout_id, page_id


def build_corpus(root: Path) -> tuple[Path, dict[str, int], dict[str, int], dict[str, int]]:
    """The fixture corpus under `root/corpus`, with a config beside it as `harvester serve` expects."""
    (root / "config").mkdir(parents=True)
    (root / "config" / "harvester.toml").write_text(
        'database = "corpus/readouts.db"\narchive = "corpus/archive"\n', encoding="utf-8"
    )
    database = root / "corpus" / "readouts.db"
    store = Store(database)
    archive = ArchiveWriter(root / "corpus" / "archive")
    ids: dict[str, int] = {}
    page_ids: dict[str, int] = {}
    expected = seeds()
    for name in sorted({source for source, _ in SEED_SOURCES.values()} | {"payload-site"}):
        store.db.table("sources").insert(
            {"name": name, "title": f"Publisher {name}", "home": f"https://{name}.example/", "language": "en",
             "enabled": 1, "schedule": "0 */6 * * *", "config_file": f"{name}.toml", "updated_at": "2024-01-01T00:00:00+00:00"}
        )
    for seed, (source, url) in SEED_SOURCES.items():
        data = expected[seed]
        run = store.start_run(source)
        readout = Readout(
            url=url, title=data["title"], kicker=data.get("kicker"), author=data.get("author"),
            published=data.get("published"), language="en", tags=tuple(data.get("tags", ())),
            text="\n\n".join(data["body_paragraphs"]), extractor="configured",
        )
        ids[seed], page_ids[seed] = _store(
            store, archive, source, url, _page_html(data["title"], data["body_paragraphs"]), readout
        )
        store.finish_run(run, "ok", RunCounts(listing_pages=1, new_readouts=1))
    run = store.start_run("payload-site")
    payload_html = (
        f"<html><head><title>{PAYLOAD_TITLE}</title></head><body>"
        + "".join(f"<p>{p}</p>" for p in PAYLOAD_PARAGRAPHS)
        + "</body></html>"
    ).encode()
    ids["payload"], page_ids["payload"] = _store(
        store, archive, "payload-site", PAYLOAD_URL, payload_html,
        Readout(url=PAYLOAD_URL, title=PAYLOAD_TITLE, kicker=PAYLOAD_KICKER, author=PAYLOAD_AUTHOR,
                published="2024-05-01", language="en", tags=("<b>tag</b>",), text="\n\n".join(PAYLOAD_PARAGRAPHS),
                extractor="generic"),
        fetched="https://payload-site.example/readouts/1",
    )
    store.record_failure("payload-site", "https://payload-site.example/broken", "HTTP 500")
    store.finish_run(run, "partial", RunCounts(listing_pages=1, new_readouts=1, errors=1))
    copy = expected["001_7757f9e639917cb7.txt"]
    duplicate_url = "https://www.leader.ir/en/content/republished-5960/"
    ids["duplicate"], page_ids["duplicate"] = _store(
        store, archive, "leader-ir", duplicate_url, _page_html(copy["title"], copy["body_paragraphs"]),
        Readout(url=duplicate_url, title=copy["title"], kicker=None, author=None, published=None, language="en",
                tags=(), text="\n\n".join(copy["body_paragraphs"]), extractor="configured"),
    )
    archive.close()
    db = store.db
    meetings: dict[str, int] = {}
    groups = {
        "seed-meeting": ["000_cf9b3ea0a473f1e0.txt", "002_94931048b707c418.txt", "003_1900544c01452456.txt"],
        "001": ["001_7757f9e639917cb7.txt", "duplicate"],
        "004": ["004_06586b94afe7776b.txt"],
        "payload": ["payload"],
    }
    for key, members in groups.items():
        first = expected.get(members[0], {}).get("meeting") or {"date": "2024-05-01", "place": "<b>Nowhere</b>",
                                                               "participants": ["<i>Mallory</i>"]}
        title = PAYLOAD_MEETING_TITLE if key == "payload" else f"{' and '.join(first['participants'])} in {first['place']}"
        meetings[key] = db.table("meetings").insert(
            {"date": first["date"], "place": first["place"], "participants": json.dumps(first["participants"]),
             "title": title}
        ).last_pk
        for member in members:
            db.table("readouts").update(ids[member], {"meeting_id": meetings[key]})
    db.table("readouts").update(
        ids["duplicate"], {"duplicate_of": ids["001_7757f9e639917cb7.txt"], "duplicate_kind": "exact", "similarity": 1.0}
    )
    store.close()
    return database, ids, page_ids, meetings


def wait_for(base: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"harvester serve exited: {process.stdout.read() if process.stdout else ''}")
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).read()
            return
        except OSError:
            assert time.monotonic() < deadline, "Datasette did not come up"
            time.sleep(0.2)


def start_serve(root: Path, database: Path) -> tuple[subprocess.Popen[str], str]:
    """`harvester serve` as a user runs it: the real command line, in its own process group."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "harvester", "serve", "--config", str(root / "config"), "--db", str(database),
         "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base, process)
    return process, base


def stop(process: subprocess.Popen[str]) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=10)
    return output or ""


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("published")
    database, ids, page_ids, meetings = build_corpus(root)
    process, base = start_serve(root, database)
    try:
        yield Served(base=base, database=database, ids=ids, page_ids=page_ids, meetings=meetings)
    finally:
        stop(process)
