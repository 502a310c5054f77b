"""Benchmark: every kind of published page on a generated corpus, against plain Datasette.

Usage: .venv/bin/python bench/serve.py [--readouts 100000] [--runs 30] [--csv-runs 3] [--dir DIR]

Generates a corpus of N readouts with the real store schema, then serves two copies of it on 127.0.0.1 and times the same pages
on each, in the same run:

- baseline: plain `datasette serve` on a copy without the facet indexes, facets
  asked for in the URL (what Datasette 0.65 does out of the box);
- harvester: `harvester serve`'s command (publish.datasette_command) with the
  project's metadata, settings, templates and plugin.

Pages: the readouts table and a search with facets, the search page with
snippets (four queries: a name in a quarter of the readouts, whose best matches
the store ranks ahead; a word of the generated vocabulary, in about one readout
of seven; two names; a phrase), the page of the person with the most meetings,
the page of the country with the most, the meetings timeline, the Atom feed
(plain Datasette's nearest page as the baseline for these), a streamed CSV
export of a search (the same URL on both) and the country page's CSV of every
meeting of that country (plain Datasette's stream of every meeting beside it: timed,
not compared, it lists every country's). Prints median and p90 per page, the
server's CPU time per request, the ratio, and the status of each page's first
request to a freshly started server. On a shared machine a page waits for the
cores: its time past its CPU time is that wait. Targets: every page's
median at most 200 ms (the country's CSV aside), the streamed CSV of the search no
slower than plain Datasette's, no first answer other than 200. The corpus is generated with the search index built
once at the end, the store's triggers then restored; the meeting counts are kept
by the store's own triggers as it is written, the readouts by participants and by
source, kind and year counted once after the bulk load, the copies' search index
filled and the frequent words' best matches ranked once after it.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester.dedupe import slug  # noqa: E402
from harvester.publish import datasette_command, prepare  # noqa: E402
from harvester.store import GENERATED, INDEXES, Store  # noqa: E402
from harvester.store.ranking import rank_frequent_words  # noqa: E402
from harvester.store.schema import PUBLISHING_INDEXES, index_copies, recount_columns, recount_participants  # noqa: E402

SOURCES = [
    ("leader-ir", "en"),
    ("khamenei-ir", "en"),
    ("aawsat", "en"),
    ("cnsnews", "en"),
    ("kremlin", "ru"),
    ("president-ir", "fa"),
    ("sana", "ar"),
]
NAMES = ["Putin", "Khamenei", "Rouhani", "Assad", "Lavrov", "Zarif", "Raisi", "Erdogan", "Pezeshkian", "Araghchi"]
COUNTRIES = {"Putin": "RU", "Lavrov": "RU", "Assad": "SY", "Erdogan": "TR"}  # the rest: IR
KINDS = ["meeting"] * 6 + ["call", "video_call", "visit", "message"]
PLACES = ["Tehran", "Moscow", "Damascus", "Sochi", "Ankara", "Astana", "Baku", "Beijing"]
# The indexes `bench` removes for the baseline: the ones Datasette's facets and sorts need.
BASELINE_INDEXES = [["language"], ["year"], ["fetched_at"]]


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(size)]


def readout_text(rng: random.Random, words: list[str]) -> str:
    """Four to eight paragraphs of 40–110 words, with a leader's name now and then."""
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        chosen = rng.choices(words, k=rng.randint(40, 110))
        if rng.random() < 0.15:
            chosen.insert(rng.randrange(len(chosen)), rng.choice(NAMES))
        paragraphs.append(" ".join(chosen).capitalize() + ".")
    return "\n\n".join(paragraphs)


def generate(path: Path, count: int, seed: int = 2016) -> None:
    """A corpus with the store's schema, bulk-inserted (the FTS triggers index every row)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    store = Store(path)
    db = store.db
    columns = set(db.table("readouts").columns_dict)
    has_meetings = "meetings" in db.table_names() and "meeting_id" in columns
    start = datetime(2010, 1, 1, tzinfo=timezone.utc)
    with db.atomic():
        for name, language in SOURCES:
            db.table("sources").insert(
                {"name": name, "title": f"Source {name}", "home": f"https://{name}.example/", "language": language,
                 "enabled": 1, "schedule": "0 */6 * * *", "config_file": f"{name}.toml", "updated_at": start.isoformat()}
            )
    meetings = max(1, count // 3)
    kinds = {}
    if has_meetings:
        with db.atomic():
            db.table("people").insert_all(
                {"id": number + 1, "name": name, "country": COUNTRIES.get(name, "IR"), "offices": "[]", "aliases": "[]"}
                for number, name in enumerate(NAMES)
            )
            rows, links = [], []
            for number in range(meetings):
                pair = rng.sample(range(len(NAMES)), 2)
                kinds[number + 1] = rng.choice(KINDS)
                rows.append({
                    "id": number + 1,
                    "date": (start + timedelta(days=number * 5000 // meetings)).date().isoformat(),
                    "place": rng.choice(PLACES),
                    "participants": json.dumps([NAMES[i] for i in pair]),
                    "title": f"Meeting {number + 1}",
                    "kind": kinds[number + 1],
                })
                links += [{"meeting_id": number + 1, "person_id": i + 1} for i in pair]
            db.table("meetings").insert_all(rows)
            db.table("meeting_people").insert_all(links)
    # the search index is built once at the end: a trigger per row costs several times more
    triggers = db.execute("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'readouts'").fetchall()
    for name, _ in triggers:
        db.execute(f"drop trigger [{name}]")
    batch = 5000
    for first in range(0, count, batch):
        pages, readouts = [], []
        for number in range(first, min(count, first + batch)):
            source, language = rng.choice(SOURCES)
            when = start + timedelta(minutes=number * 5000 * 24 * 60 // count)
            url = f"https://{source}.example/readouts/{number}"
            pages.append({"id": number + 1, "source": source, "kind": "readout", "url": url, "final_url": url,
                          "status": 200, "content_type": "text/html", "fetched_at": when.isoformat(), "archive": None})
            row: dict[str, Any] = {
                "id": number + 1, "source": source, "url": url, "title": f"{rng.choice(NAMES)} meets {rng.choice(NAMES)} in {rng.choice(PLACES)}",
                "kicker": None, "author": None, "published": when.date().isoformat(), "language": language,
                "tags": "[]", "text": readout_text(rng, words), "extractor": "configured",
                "fetched_at": when.isoformat(timespec="seconds"), "page_id": number + 1,
            }
            row["slug"] = slug(url)
            row["lead"] = row["text"].split("\n\n", 1)[0]
            if has_meetings:
                row["meeting_id"] = number % meetings + 1
                row["kind"] = kinds[row["meeting_id"]]
                if "duplicate_of" in columns and number >= meetings and rng.random() < 0.1:
                    row["duplicate_of"] = number - meetings + 1
            readouts.append(row)
        with db.atomic():
            db.table("pages").insert_all(pages)
            db.table("readouts").insert_all(readouts)
        print(f"  generated {min(count, first + batch)} readouts", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    with db.atomic():
        db.execute("insert into readouts_fts (readouts_fts) values ('rebuild')")
        for _, sql in triggers:
            db.execute(sql)
        if "participant_readouts" in db.table_names():
            recount_participants(db)  # kept by triggers on readouts, dropped for the bulk load
        if "column_readouts" in db.table_names():
            recount_columns(db)
        if "readouts_copies_fts" in db.table_names():
            index_copies(db)
        if "search_words" in db.table_names():
            rank_frequent_words(db)  # its changes were recorded by triggers, dropped for the bulk load
    db.execute("ANALYZE")
    store.close()


def baseline_copy(source: Path, target: Path) -> None:
    """The same corpus without the indexes that make facets fast."""
    shutil.copy(source, target)
    import sqlite_utils

    db = sqlite_utils.Database(target)
    for index in db.table("readouts").indexes:
        if index.columns in BASELINE_INDEXES:
            db.execute(f"DROP INDEX [{index.name}]")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(command: list[str], base: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"Datasette did not start: {' '.join(command)}")
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


BROKEN = 0  # the status given to an answer whose body broke off before its end


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body; an error page is an answer too (plain Datasette answers 400 past its SQL time limit),
    and so is a stream that breaks off (status `BROKEN`), which is counted, not let end the run."""
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except http.client.IncompleteRead as error:
        return BROKEN, error.partial


CSV_LIMIT = re.compile(rb"CSV contains more than \d+ bytes$")


def whole_csv(body: bytes) -> bool:
    """Whether a CSV answer ends as a whole file: every row as wide as the header, the last one ended.

    A streamed export whose chunk fails still answers 200, its error written where the rows stop. A file cut at
    the server's `max_csv_mb` ends with Datasette's line that says so: that is the size asked for, not an error."""
    limited = CSV_LIMIT.search(body)
    if limited:
        body = body[:limited.start()]
    rows = csv.reader(io.StringIO(body.decode("utf-8", "replace"), newline=""))
    width = len(next(rows, []))
    return body.endswith(b"\r\n") and all(len(row) == width for row in rows)


SIZES: dict[str, int] = {}  # url → bytes of its last answer: the two CSV exports are compared like for like


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used so far, user and system, all its threads (Linux's /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CPU: dict[str, float] = {}  # url → the server's CPU time per timed request, in ms (counted in ticks: a mean, not a median)


def timings(url: str, runs: int, shows: bytes, first: dict[str, int], server: int) -> tuple[list[float], set[str]]:
    """Times of `runs` requests for `url` and what they answered: the status, "200 without" what a page must show.

    The status of the very first request, made before any warm-up, goes to `first[url]`: a
    page that answers 500 on a fresh server (past the SQL time limit) is caught there. The
    server's (process `server`) CPU time over the timed requests goes to `CPU[url]`.
    """
    first[url], _ = fetch(url)
    for _ in range(2):
        fetch(url)
    result, statuses = [], set()
    cpu_before = cpu_seconds(server)
    for _ in range(runs):
        began = time.perf_counter()
        status, body = fetch(url)
        result.append((time.perf_counter() - began) * 1000)
        if status == 200 and shows not in body:
            statuses.add(f"200 without {shows.decode()}")
        elif status == 200 and ".csv" in url and not whole_csv(body):
            statuses.add("200 ending in an error")  # a chunk past the SQL time limit: its error written into the file
        else:
            statuses.add(str(status))
        SIZES[url] = len(body)
    cpu_after = cpu_seconds(server)
    if cpu_before is not None and cpu_after is not None:
        CPU[url] = (cpu_after - cpu_before) * 1000 / runs
    return result, statuses


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readouts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--csv-runs", type=int, default=3, help="Timed downloads of the streamed CSV export.")
    parser.add_argument("--dir", type=Path, help="Keep the generated corpus here (reused when present).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="harvester-bench-") as scratch:
        work = args.dir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "readouts.db"
        if not corpus.exists():
            began = time.monotonic()
            generate(corpus, args.readouts)
            print(f"generated {args.readouts} readouts in {time.monotonic() - began:.0f} s", file=sys.stderr)
        base_dir = work / "baseline"
        base_dir.mkdir(exist_ok=True)
        baseline = base_dir / "readouts.db"
        baseline_copy(corpus, baseline)
        metadata = prepare(corpus, metadata=REPO / "datasette-metadata.json", archive=None, directory=work)
        import sqlite_utils

        db = sqlite_utils.Database(corpus)
        total = db.table("readouts").count
        dedup = "duplicate_of" in db.table("readouts").columns_dict
        db.close()
        facets = "&".join(f"_facet={c}" for c in ("source", "language", *GENERATED["readouts"]))
        filter_ = "duplicate_of__isnull=1&" if dedup else ""
        table = "/readouts/readouts"
        columns = "&".join(f"_col={c}" for c in ("title", "source", "published", "kind", "meeting_id"))
        # page: (baseline path, harvester path, what the harvester page must show); the baseline is
        # plain Datasette's nearest page: its search is the table with facets and no snippets (ours
        # redirects there to the search page), its row and table pages draw no picture
        frequent_country, busiest = busiest_country_and_person(corpus)
        word, word_readouts = generated_word(corpus)
        search = "_search=Putin"
        export = f"/readouts/readouts.csv?{filter_}{search}&_stream=on"
        # page: (baseline path, harvester path, what the harvester page must show); the baseline is
        # plain Datasette's nearest page: its search is the table with facets and no snippets (ours
        # redirects there to the search page), its row and table pages draw no picture, its
        # nearest to the feed and the country page are the tables sorted newest first
        pages = {
            "readouts table + facets": (f"{table}?{filter_}{facets}", f"{table}?{filter_}{columns}", b"facet-info"),
            "search 'Putin'": (f"{table}?{filter_}{search}&{facets}", "/readouts/-/search?q=Putin", b"<mark>"),
            **{
                f"search '{typed}'{what}": (
                    f"{table}?{filter_}{urllib.parse.urlencode({'_search': typed})}&{facets}",
                    f"/readouts/-/search?{urllib.parse.urlencode({'q': typed})}", b"<mark>",
                )
                for typed, what in (
                    (word, f" (a generated word, in {word_readouts} readouts)"),
                    ("Putin Lavrov", " (two names)"),
                    ('"Putin meets"', " (a phrase)"),
                )
            },
            f"person page (most meetings, id {busiest})": (f"/readouts/people/{busiest}", f"/readouts/people/{busiest}", b"meeting-row"),
            f"country page ({frequent_country}, most meetings)": (
                "/readouts/meetings?_sort_desc=date", f"/readouts/-/country/{frequent_country}", b"meeting-row"),
            "timeline": ("/readouts/meetings?_facet_array=participants", "/readouts/-/timeline", b"circle"),
            "Atom feed": (f"{table}?{filter_}_sort_desc=fetched_at", "/readouts/-/feed.atom", b"<entry"),
            "streamed CSV of the search": (export, export, b"id,"),
            f"streamed CSV of the country page ({frequent_country}, every meeting)": (
                "/readouts/meetings.csv?_stream=on",
                f"/readouts/-/country/{frequent_country}.csv", b"meeting_id,"),
        }
        indexes = INDEXES["readouts"] + PUBLISHING_INDEXES
        print(f"corpus: {total} readouts, {corpus.stat().st_size / 1e6:.0f} MB; indexes on readouts: {indexes}")
        print(f"{args.runs} requests per page ({args.csv_runs} for the CSV) after a first request and 2 warm-ups;"
              " times are the whole page over HTTP")
        results: dict[str, dict[str, list[float]]] = {}
        statuses: dict[str, dict[str, set[str]]] = {}
        first: dict[str, int] = {}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        plain = [sys.executable, "-m", "datasette", "serve", str(baseline), "--port", str(port)]
        sizes: dict[str, dict[str, int]] = {}
        cpu: dict[str, dict[str, float]] = {}
        with running(plain, base) as server:
            for page, (path, _, _) in pages.items():
                runs = args.csv_runs if page.startswith("streamed") else args.runs
                shows = b"," if page.startswith("streamed") else b"<table"
                results.setdefault(page, {})["baseline"], statuses.setdefault(page, {})["baseline"] = timings(
                    f"{base}{path}", runs, shows, first, server.pid)
                sizes.setdefault(page, {})["baseline"] = SIZES[f"{base}{path}"]
                cpu.setdefault(page, {})["baseline"] = CPU.get(f"{base}{path}", float("nan"))
        cold = {}
        with running(datasette_command(corpus, port=port, host="127.0.0.1", metadata=metadata), base) as server:
            for page, (_, path, shows) in pages.items():
                runs = args.csv_runs if page.startswith("streamed") else args.runs
                results[page]["harvester"], statuses[page]["harvester"] = timings(
                    f"{base}{path}", runs, shows, first, server.pid)
                sizes[page]["harvester"] = SIZES[f"{base}{path}"]
                cpu[page]["harvester"] = CPU.get(f"{base}{path}", float("nan"))
                cold[page] = first[f"{base}{path}"]
        ok = True
        for page, rows in results.items():
            ratio = statistics.median(rows["baseline"]) / statistics.median(rows["harvester"])
            print(f"{page}   (harvester {ratio:.1f}x faster)" if ratio >= 1 else f"{page}   (harvester {1 / ratio:.1f}x slower)")
            for setup, values in rows.items():
                answered = statuses[page][setup]
                note = "" if answered == {"200"} else f"   answered {', '.join(sorted(answered))} (400: past the SQL time limit; {BROKEN}: broke off)"
                size = f"   {sizes[page][setup] / 1e6:.1f} MB" if page.startswith("streamed") else ""
                print(f"  {setup:<10} {summary(values)}   server CPU {cpu[page][setup]:7.1f} ms{size}{note}")
            print(f"  first answer of a fresh harvester server: HTTP {cold[page]}")
            ok = ok and statuses[page]["harvester"] == {"200"}
            if page.startswith("streamed CSV of the country"):
                ok = ok and cold[page] == 200  # no plain export lists one country's meetings: timed, not compared
            elif page.startswith("streamed"):
                ok = ok and ratio >= 1.0 and cold[page] == 200
            else:
                ok = ok and statistics.median(rows["harvester"]) <= 200 and cold[page] == 200
        print("targets (every page's median ≤ 200 ms, streamed CSV no slower than plain Datasette's, no 500):",
              "met" if ok else "MISSED")
        return 0 if ok else 1


def generated_word(corpus: Path, seed: int = 2016) -> tuple[str, int]:
    """The first word of the vocabulary `generate` wrote the corpus with, and the readouts that hold it:
    a word in about one readout of seven, too rare for the store to rank its best matches ahead."""
    import sqlite_utils

    word = vocabulary(random.Random(seed))[0]
    db = sqlite_utils.Database(corpus)
    count: int = db.execute("select count(*) from readouts_fts where readouts_fts match ?", [f'"{word}"']).fetchone()[0]
    db.close()
    return word, count


def busiest_country_and_person(corpus: Path) -> tuple[str, int]:
    """The country with the most meetings and the person with the most, from the counts the store keeps."""
    import sqlite_utils

    db = sqlite_utils.Database(corpus)
    country = db.execute("select country from country_years group by 1 order by sum(meetings) desc limit 1").fetchone()[0]
    person = db.execute("select person_id from person_years group by 1 order by sum(meetings) desc limit 1").fetchone()[0]
    db.close()
    return country, person


if __name__ == "__main__":
    sys.exit(main())
