"""A real pywb web archive for the tests, holding captures of the replica sites.

pywb lives in its own virtualenv (see harvester/replicas/archive.py). Tests that
use it are marked `pywb`: without it they skip with a line saying how to install
it, and under CI=true they fail (tests/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.replicas import ReplicaSite, replica_sites
from harvester.replicas.archive import PywbArchive, Snapshot, find_pywb, site_snapshots, write_warc

# The archive-only site: a host that does not exist (RFC 2606), as cnsnews.com no longer does for us.
GONE = "http://www.cnsnews.invalid"
CAPTURED = datetime(2019, 5, 1, 12, 0, tzinfo=timezone.utc)
EARLIER = datetime(2016, 3, 1, 9, 30, tzinfo=timezone.utc)
KHAMENEI_CAPTURED = datetime(2019, 1, 15, 8, 0, tzinfo=timezone.utc)
MAX_BYTES = 1_000_000
HUGE = 3_000_000

# Extra captures under cnsnews's readout prefix, one per case the archive must get right.
CHANGED = "/news/article/gregory-halden/kerry-russian-counterpart-discuss-syria-talks-phone"
EARLIER_SENTENCE = "The official said that no date had been set for the next meeting."
WITHDRAWN = "/news/article/gregory-halden/withdrawn-story"
CORRECTED = "/news/article/gregory-halden/corrected-story"
MOVED_TO_VIDEO = "/news/article/diane-pruitt/video-briefing"
VIDEO = "/sites/default/files/briefing.mp4"
PRIVATE = "/news/article/private-memo"
FUTURE = "/news/article/diane-pruitt/dated-after-its-capture"


def article(title: str, paragraphs: list[str], published: str = "2015-11-20T10:00:00-05:00") -> bytes:
    """A page in cnsnews's markup (the shipped config's selectors find its fields)."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta property="article:published_time" content="{published}"></head><body>'
        f'<h1 id="page-title">{title}</h1><div class="byline"><span class="author">Staff</span></div>'
        f'<div class="field-name-body"><div class="field-item">{body}</div></div></body></html>'
    ).encode()


FILLER = [
    "The statement was issued in Washington after a day of talks between the two delegations.",
    "Officials on both sides described the discussions as frank and said further meetings would follow.",
]


class Forbidding:
    """A live site that answers 403 to everything, as english.khamenei.ir does to scripted clients."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        parent = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parent.paths.append(self.path)
                body = b"<h1>403 Forbidden</h1>"
                self.send_response(403)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
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


@dataclass
class ArchiveWorld:
    archive: PywbArchive
    forbidding: Forbidding
    cnsnews: ReplicaSite
    khamenei: ReplicaSite


def _site(name: str) -> ReplicaSite:
    return next(site for site in replica_sites() if site.name == name)


def cnsnews_snapshots(site: ReplicaSite) -> list[Snapshot]:
    snaps = [s for s in site_snapshots(site, GONE, CAPTURED) if not s.url.endswith("/robots.txt")]
    robots = (site.routes["/robots.txt"].file.read_text() + "Disallow: /news/article/private-\n").encode()
    changed = site.routes[CHANGED].file.read_bytes().replace(site.origin.encode(), GONE.encode())
    old_text = changed.replace(
        b"The official declined to say whether a date had been set for the next meeting.", EARLIER_SENTENCE.encode()
    )
    assert old_text != changed
    return snaps + [
        Snapshot(f"{GONE}/robots.txt", CAPTURED, robots, content_type="text/plain"),
        Snapshot(GONE + CHANGED, EARLIER, old_text),
        Snapshot(GONE + WITHDRAWN, CAPTURED, article("Withdrawn", ["This story has been withdrawn."]), status=404),
        Snapshot(GONE + CORRECTED, EARLIER, article("Corrected story on the Vienna talks", FILLER)),
        Snapshot(GONE + CORRECTED, CAPTURED, b"<html><body><h1>Page not found</h1></body></html>", status=404),
        Snapshot(GONE + MOVED_TO_VIDEO, CAPTURED, b"", status=301, headers=(("Location", GONE + VIDEO),)),
        # a video served as HTML: only its Content-Length can stop it
        Snapshot(GONE + VIDEO, CAPTURED, b"\0" * HUGE),
        Snapshot(GONE + PRIVATE, CAPTURED, article("A memo the site never meant crawlers to read", FILLER)),
        Snapshot(GONE + FUTURE, CAPTURED, article("Talks resume", FILLER, published="2021-06-01T09:00:00-04:00")),
    ]


@pytest.fixture(scope="session")
def archive_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArchiveWorld]:
    wayback = find_pywb()
    assert wayback is not None, "a test using the archive is marked pywb, which skips it without pywb"
    root = tmp_path_factory.mktemp("pywb")
    forbidding = Forbidding()
    cnsnews, khamenei = _site("cnsnews"), _site("khamenei-ir")
    warcs = [
        write_warc(root / "warcs" / "cnsnews.warc.gz", cnsnews_snapshots(cnsnews)),
        write_warc(root / "warcs" / "khamenei.warc.gz", site_snapshots(khamenei, forbidding.origin, KHAMENEI_CAPTURED)),
    ]
    archive = PywbArchive(root / "archive", warcs, wayback).start()
    yield ArchiveWorld(archive, forbidding, cnsnews, khamenei)
    archive.stop()
    forbidding.stop()


def archived_requests(archive_dir: Path, since: Collection[Path] = ()) -> list[str]:
    """The URL of every request in the WARC files under `archive_dir` (those not in `since`)."""
    urls = []
    for file in sorted(archive_dir.rglob("*.warc.gz")):
        if file in since:
            continue
        with file.open("rb") as handle:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle) if r.rec_type == "request"]
    return urls
