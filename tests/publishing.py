"""Shared by test_publish.py and test_browser.py: a synthetic corpus and `harvester serve` on it.

The readouts are invented for these tests (no publisher's text), written through
the real store and archive writer so identity, versions and the search index are
the store's own. The corpus has one of each thing the published site shows: a
meeting reported three times plus a syndicated near-copy, a telephone call, a
readout revised after it was first harvested, an archived page carrying a
script and an outside image, blocks dropped as boilerplate, people with
countries, and one readout whose every field carries a script-injection payload.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harvester.archive import ArchiveWriter
from harvester.extract import Dropped, Readout
from harvester.fetch import Exchange, FetchedPage
from harvester.store import RunCounts, Store
from tests.conftest import REPO, inserted

PEOPLE = {
    "Vladimir Putin": "RU",
    "Masoud Pezeshkian": "IR",
    "Recep Tayyip Erdogan": "TR",
    "Ali Khamenei": "IR",
    "Bashar al-Assad": "SY",
    "Kassym-Jomart Tokayev": "KZ",
}


@dataclass(frozen=True)
class Text:
    source: str
    url: str
    title: str
    published: str
    kind: str | None
    lead: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()


ASTANA_LEAD = (
    "Vladimir Putin met President of Iran Masoud Pezeshkian in Astana on the sidelines of the "
    "Shanghai Cooperation Organisation summit."
)
TEXTS: dict[str, Text] = {
    "astana-kremlin": Text(
        "kremlin", "https://kremlin.example/events/president/news/74400",
        "Meeting with President of Iran Masoud Pezeshkian", "2024-07-03", "meeting", ASTANA_LEAD,
        (
            ASTANA_LEAD,
            "The two presidents discussed the North–South transport corridor, trade in national currencies "
            "and the situation in the Middle East.",
            "Vladimir Putin thanked his colleague for the invitation to visit Tehran and said the talks in "
            "Astana had been useful for both countries.",
        ),
        tags=("Iran", "SCO"),
        dropped=(
            Dropped("Share this page on social networks", "drop 'div.share'"),
            Dropped("All news of the President", "learnt template (on 7 pages)"),
        ),
    ),
    "astana-president-ir": Text(
        "president-ir", "https://president-ir.example/en/news/1501",
        "Pezeshkian meets Putin at the SCO summit", "2024-07-03", "meeting",
        "President Masoud Pezeshkian met Russian President Vladimir Putin in the Kazakh capital.",
        (
            "President Masoud Pezeshkian met Russian President Vladimir Putin in the Kazakh capital.",
            "Pezeshkian said relations between Tehran and Moscow were strategic and that the agreements signed "
            "last year should be carried out without delay, in energy above all.",
            "The Iranian president invited his Russian counterpart to attend the next meeting of the Caspian "
            "states, to be held in Tehran, and Putin accepted the invitation with thanks.",
            "Both leaders welcomed the work of the joint economic commission and asked their ministers to "
            "report on the railway project before the end of the year.",
        ),
    ),
    "astana-agency": Text(
        "agency", "https://agency.example/world/putin-pezeshkian-astana",
        "Putin and Pezeshkian hold first talks in Astana", "2024-07-04", "meeting",
        "The presidents of Russia and Iran held their first talks in Astana on Wednesday.",
        (
            "The presidents of Russia and Iran held their first talks in Astana on Wednesday.",
            "A Kremlin aide told reporters the conversation lasted more than an hour and covered gas supplies.",
        ),
    ),
    "call": Text(
        "kremlin", "https://kremlin.example/events/president/news/73600",
        "Telephone conversation with President of Türkiye Recep Tayyip Erdogan", "2024-03-12", "call",
        "Vladimir Putin had a telephone conversation with President of Türkiye Recep Tayyip Erdogan.",
        (
            "Vladimir Putin had a telephone conversation with President of Türkiye Recep Tayyip Erdogan.",
            "The leaders discussed grain exports across the Black Sea and agreed to stay in contact.",
        ),
    ),
    "tehran-2019": Text(
        "leader-ir", "https://leader-ir.example/en/content/22800",
        "The Leader receives Syria's President", "2019-02-25", "meeting",
        "Ayatollah Ali Khamenei received Syrian President Bashar al-Assad in Tehran.",
        (
            "Ayatollah Ali Khamenei received Syrian President Bashar al-Assad in Tehran.",
            "The Leader praised the resistance of the Syrian people and government.",
        ),
    ),
    "tehran-2015": Text(
        "leader-ir", "https://leader-ir.example/en/content/13950",
        "The Leader meets Russia's President", "2015-11-23", "meeting",
        "Ayatollah Ali Khamenei met Vladimir Putin, who came to Tehran for the gas exporters' summit.",
        (
            "Ayatollah Ali Khamenei met Vladimir Putin, who came to Tehran for the gas exporters' summit.",
            "The summit of the Gas Exporting Countries Forum was held the same day.",
        ),
    ),
    "tehran-2024": Text(
        "leader-ir", "https://leader-ir.example/en/content/27010",
        "The Leader receives the President-elect", "2024-07-28", "meeting",
        "Ayatollah Ali Khamenei received President-elect Masoud Pezeshkian in Tehran.",
        (
            "Ayatollah Ali Khamenei received President-elect Masoud Pezeshkian in Tehran.",
            "The Leader endorsed the mandate of the new president.",
        ),
    ),
    "revised": Text(
        "kremlin", "https://kremlin.example/events/president/news/72700",
        "Russian–Kazakh talks", "2023-11-09", "visit",
        "Vladimir Putin and Kassym-Jomart Tokayev held talks in Astana during a state visit.",
        (
            "Vladimir Putin and Kassym-Jomart Tokayev held talks in Astana during a state visit.",
            "The talks covered energy, and the presidents signed nine documents.",
        ),
    ),
}
# The text the revised readout first had (the store keeps it as a version).
FIRST_VERSION = (
    "Vladimir Putin and Kassym-Jomart Tokayev held talks in Astana during a state visit.",
    "The talks covered energy, and the presidents signed seven documents.",
)
# A syndicated copy of the president-ir report, lightly edited: the dedupe stage links it as a near copy.
SYNDICATED = replace(
    TEXTS["astana-president-ir"],
    source="agency",
    url="https://agency.example/wire/pezeshkian-putin-sco",
    title="Iran's Pezeshkian meets Putin at SCO summit",
    paragraphs=tuple(p.replace("without delay", "promptly") for p in TEXTS["astana-president-ir"].paragraphs),
)
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
# In the archived Astana page: a script that marks the page if it runs, and an image from elsewhere.
ARCHIVED_SCRIPT = "<script>document.documentElement.setAttribute('data-script-ran', 'yes')</script>"
MEETINGS = {
    "astana": (["astana-kremlin", "astana-president-ir", "astana-agency", "syndicated"], "2024-07-03", "Astana",
               "meeting", ["Vladimir Putin", "Masoud Pezeshkian"]),
    "call": (["call"], "2024-03-12", None, "call", ["Vladimir Putin", "Recep Tayyip Erdogan"]),
    "tehran-2019": (["tehran-2019"], "2019-02-25", "Tehran", "meeting", ["Ali Khamenei", "Bashar al-Assad"]),
    "tehran-2015": (["tehran-2015"], "2015-11-23", "Tehran", "meeting", ["Ali Khamenei", "Vladimir Putin"]),
    "revised": (["revised"], "2023-11-09", "Astana", "visit", ["Vladimir Putin", "Kassym-Jomart Tokayev"]),
    # two people of one country: the country facet counts the readout once
    "tehran-2024": (["tehran-2024"], "2024-07-28", "Tehran", "meeting", ["Ali Khamenei", "Masoud Pezeshkian"]),
}


@dataclass(frozen=True)
class Corpus:
    database: Path
    ids: dict[str, int]  # TEXTS key, "syndicated" or "payload" → readout id
    page_ids: dict[str, int]
    meetings: dict[str, int]  # MEETINGS key or "payload" → meeting id
    people: dict[str, int]  # name → people.id


@dataclass(frozen=True)
class Served(Corpus):
    base: str = ""
    beacon: Beacon | None = None


class Beacon:
    """A local server that counts what it is asked for: whatever an archived page manages to fetch lands here."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.pages: dict[str, bytes] = {}  # path → an HTML page to serve (for controls)
        beacon = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                beacon.requests.append(self.path)
                page = beacon.pages.get(self.path)
                self.send_response(200 if page else 204)
                if page:
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                if page:
                    self.wfile.write(page)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def page_html(title: str, paragraphs: tuple[str, ...] | list[str], extra: str = "") -> bytes:
    """A publisher's page: navigation and footer around the article, as the archive keeps it."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>body {{ font-family: serif; }} nav {{ background: #ddd; }}</style>"
        f"</head><body><nav>Home · News · Share this page on social networks</nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>{extra}<footer>All news of the President</footer>"
        "</body></html>"
    ).encode()


def _exchange(url: str, body: bytes, fetched_at: datetime | None = None) -> Exchange:
    return Exchange(
        url=url,
        method="GET",
        request_headers=(("User-Agent", "harvester-test"),),
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body,
        fetched_at=fetched_at or datetime.now(timezone.utc),
    )


def _store(
    store: Store, archive: ArchiveWriter, source: str, url: str, body: bytes, readout: Readout, *,
    fetched: str = "", fetched_at: datetime | None = None,
) -> tuple[int, int]:
    """`fetched`: the URL the page came from, when the readout's own URL is not one (the payload's)."""
    exchange = _exchange(fetched or url, body, fetched_at)
    exchange = replace(exchange, archived_at=archive.record(exchange))
    readout_id = store.save_readout(source, FetchedPage(url, url, exchange), readout).readout_id
    page_id = store.db.execute("select page_id from readouts where id = ?", [readout_id]).fetchone()[0]
    return readout_id, page_id


def _readout(text: Text, paragraphs: tuple[str, ...] | None = None) -> Readout:
    return Readout(
        url=text.url, title=text.title, kicker=None, author=None, published=text.published, language="en",
        tags=text.tags, text="\n\n".join(paragraphs or text.paragraphs), extractor="configured", dropped=text.dropped,
        lead=text.lead,
    )


def build_corpus(root: Path, beacon: str = "https://tracker.example") -> Corpus:
    """The fixture corpus under `root/corpus`, with a config beside it as `harvester serve` expects.

    `beacon`: where the archived Astana page's image and script come from (a `Beacon`, to see that nothing is fetched).
    """
    (root / "config").mkdir(parents=True)
    (root / "config" / "harvester.toml").write_text(
        'database = "corpus/readouts.db"\narchive = "corpus/archive"\n', encoding="utf-8"
    )
    database = root / "corpus" / "readouts.db"
    store = Store(database)
    archive = ArchiveWriter(root / "corpus" / "archive")
    ids: dict[str, int] = {}
    page_ids: dict[str, int] = {}
    sources = {text.source for text in TEXTS.values()} | {"payload-site"}
    for name in sorted(sources):
        store.db.table("sources").insert(
            {"name": name, "title": f"Publisher {name}", "home": f"https://{name}.example/", "language": "en",
             "enabled": 1, "schedule": "0 */6 * * *", "config_file": f"{name}.toml", "updated_at": "2024-01-01T00:00:00+00:00"}
        )
    first = datetime(2023, 11, 9, 12, 0, tzinfo=timezone.utc)
    texts = {**TEXTS, "syndicated": SYNDICATED}
    for key, text in texts.items():
        run = store.start_run(text.source)
        if key == "revised":  # first harvested with another text, then fetched again
            _store(store, archive, text.source, text.url, page_html(text.title, FIRST_VERSION), _readout(text, FIRST_VERSION),
                   fetched_at=first)
        extra = (
            f'{ARCHIVED_SCRIPT}<script src="{beacon}/script.js"></script><img src="{beacon}/pixel.gif" alt="">'
            f'<link rel="stylesheet" href="{beacon}/style.css"><iframe src="{beacon}/frame"></iframe>'
            if key == "astana-kremlin" else ""
        )
        ids[key], page_ids[key] = _store(
            store, archive, text.source, text.url, page_html(text.title, text.paragraphs, extra), _readout(text)
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
    archive.close()
    # Meetings, kinds and people are the meetings stage's to find (its own tests judge it): here they are set
    # as that stage would, so that what the pages show does not hang on its heuristics.
    db = store.db
    db.execute("update readouts set meeting_id = null, meeting_reason = null")
    db.execute("delete from meeting_people")
    db.execute("delete from meetings")
    db.execute("delete from people")
    for key, text in TEXTS.items():
        db.table("readouts").update(ids[key], {"kind": text.kind})
    db.table("readouts").update(ids["syndicated"], {"kind": SYNDICATED.kind})
    db.table("readouts").update(ids["payload"], {"lead": PAYLOAD_PARAGRAPHS[0], "kind": "message"})
    people = {
        name: inserted(
            db.table("people"), {"name": name, "country": country, "offices": json.dumps([]), "aliases": json.dumps([])}
        )
        for name, country in PEOPLE.items()
    }
    meetings: dict[str, int] = {}
    for key, (members, day, place, kind, participants) in MEETINGS.items():
        title = f"{' and '.join(participants)}" + (f" in {place}" if place else " (telephone)")
        meetings[key] = inserted(
            db.table("meetings"),
            {"date": day, "place": place, "participants": json.dumps(participants), "title": title, "kind": kind},
        )
        for member in members:
            reason = f"its lead names {' and '.join(participants)} on {day}"
            db.table("readouts").update(ids[member], {"meeting_id": meetings[key], "meeting_reason": reason})
        db.table("meeting_people").insert_all({"meeting_id": meetings[key], "person_id": people[p]} for p in participants)
    meetings["payload"] = inserted(
        db.table("meetings"),
        {"date": "2024-05-01", "place": "<b>Nowhere</b>", "participants": json.dumps(["<i>Mallory</i>"]),
         "title": PAYLOAD_MEETING_TITLE, "kind": "meeting"},
    )
    db.table("readouts").update(ids["payload"], {"meeting_id": meetings["payload"]})
    store.close()
    return Corpus(database, ids, page_ids, meetings, people)


def wait_until_answering(
    url: str, process: subprocess.Popen[str], timeout: float = 60, output: Callable[[], object] | None = None
) -> None:
    """Return once `url` answers with a success; fail at once if `process`, the server, has exited, showing
    `output()` (by default what it printed to its pipes), or after `timeout` seconds. It polls, because how long
    a server takes to start depends on the machine and its load: any fixed wait is too short somewhere."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            said = output() if output else process.communicate()
            raise AssertionError(f"the server exited with {process.returncode}: {said}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:  # not listening yet, or not ready to answer (an HTTP error status is an OSError too)
            assert time.monotonic() < deadline, f"{url} did not answer within {timeout:g} s"
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
    wait_until_answering(f"{base}/-/versions.json", process)
    return process, base


def stop(process: subprocess.Popen[str]) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=10)
    return output or ""


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("published")
    beacon = Beacon()
    corpus = build_corpus(root, beacon.origin)
    process, base = start_serve(root, corpus.database)
    try:
        yield Served(**asdict(corpus), base=base, beacon=beacon)
    finally:
        stop(process)
        beacon.close()
