"""Benchmark: a backfill of two gone sites from a local web archive, then a re-run.

Usage: .venv/bin/python bench/backfill.py [--captures 1000] [--sites 2] [--delay 0.1]

Writes `--captures` article captures, spread over `--sites` sites whose hosts no
longer answer, into WARC files, serves them with a real pywb on 127.0.0.1 (see
harvester/replicas/archive.py for installing it), and harvests both sites with
`via = "wayback"` and a `--delay` second archive delay. The baseline is measured
in the same run: the politeness floor, (requests to the archive − 1) × delay,
the least time any client keeping that pace could take. (The delay runs from the
end of one answer to the next request, so pywb's own answering time, some
15-50 ms a request on a busy machine, comes on top.)

Targets: the backfill within 1.15 × the floor; the re-run fetches no capture
(the CDX answers show every digest is held).
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import textwrap
import time
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from harvester.config import load_config  # noqa: E402
from harvester.harvest import fetch_once  # noqa: E402
from harvester.replicas.archive import INSTALL_HINT, PywbArchive, Snapshot, find_pywb, write_warc  # noqa: E402

CAPTURED = datetime(2020, 3, 1, tzinfo=timezone.utc)


def gone_origin() -> str:
    """An origin on this machine where nothing listens: the site's host refuses every connection."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def article(site: int, number: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {k} of readout {number} on site {site}: the delegations discussed trade, energy and"
        f" security, and agreed that their ministers would meet again before the end of the year ({k}).</p>"
        for k in range(1, 9)
    )
    return (
        f"<html><head><title>Readout {number}</title></head><body><nav>Home | News | About</nav>"
        f"<h1>Readout {number} of site {site}</h1><div class='body'>{paragraphs}</div></body></html>"
    ).encode()


def write_config(root: Path, archive: PywbArchive, origins: list[str], delay: float) -> Path:
    config = root / "config"
    (config / "sources").mkdir(parents=True)
    (config / "harvester.toml").write_text(
        # retries = 0: a gone host's robots.txt is asked for once, not waited on
        f"[http]\ndelay = 0\nallow_private = true\nretries = 0\n\n"
        f'[wayback]\ncdx = "{archive.cdx}"\nreplay = "{archive.replay}"\ndelay = {delay}\n'
    )
    for number, origin in enumerate(origins, 1):
        (config / "sources" / f"site-{number}.toml").write_text(
            textwrap.dedent(
                f"""\
                name = "site-{number}"
                title = "site {number}"
                home = "{origin}/"
                language = "en"
                via = "wayback"
                [discover]
                follow = '/news/\\d+$'
                wayback = ["{origin}/news/"]
                [extract]
                title = "h1"
                body = "div.body"
                """
            )
        )
    return config


def exchanges(archive_dir: Path, since: set[Path]) -> list[tuple[str, int]]:
    """(URL, body bytes) of every response archived in WARC files not in `since`."""
    found = []
    for file in sorted(set(archive_dir.rglob("*.warc.gz")) - since):
        with file.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    found.append((record.rec_headers.get_header("WARC-Target-URI"), len(record.content_stream().read())))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--captures", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    wayback = find_pywb()
    if wayback is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harvester-backfill-")))
        origins = [gone_origin() for _ in range(args.sites)]
        per_site = args.captures // args.sites
        warcs = [
            write_warc(
                root / "warcs" / f"site-{site}.warc.gz",
                [
                    Snapshot(f"{origin}/news/{n}", CAPTURED + timedelta(minutes=n), article(site, n))
                    for n in range(1, per_site + 1)
                ],
            )
            for site, origin in enumerate(origins, 1)
        ]
        archive = stack.enter_context(PywbArchive(root / "pywb", warcs, wayback))
        config = load_config(write_config(root, archive, origins, args.delay))
        archive_dir = config.settings.archive
        archive_host = urlsplit(archive.origin).netloc

        runs = []
        for _ in range(2):
            before = set(archive_dir.rglob("*.warc.gz"))
            started = time.monotonic()
            results = fetch_once(config)
            wall = time.monotonic() - started
            done = exchanges(archive_dir, before)
            to_archive = [(url, size) for url, size in done if urlsplit(url).netloc == archive_host]
            captures = [url for url, _ in to_archive if "id_/" in url and "/news/" in url]
            runs.append((wall, results, done, to_archive, captures))

    (wall, results, done, to_archive, captures) = runs[0]
    floor = (len(to_archive) - 1) * args.delay
    stored = sum(result.counts.new_readouts for result in results)
    print(f"backfill: {per_site * args.sites} captures of {args.sites} gone sites from a local pywb, archive delay {args.delay:g} s")
    print(
        f"first run: {wall:.1f} s wall, {len(to_archive)} archive requests ({len(captures)} captures), "
        f"{len(done) - len(to_archive)} to the gone sites; {stored} readouts stored"
    )
    print(
        f"  politeness floor {floor:.1f} s; wall / floor = {wall / floor:.3f} (target <= 1.15); "
        f"{(wall - floor) / len(to_archive) * 1000:.1f} ms a request above the pace"
    )
    (wall, results, done, to_archive, captures) = runs[1]
    print(
        f"re-run: {wall:.1f} s wall, {len(done)} requests, {sum(size for _, size in done):,} body bytes, "
        f"{len(captures)} captures fetched (target 0); {sum(r.counts.new_readouts for r in results)} new readouts"
    )
    statuses = {result.status for runs_results in (runs[0][1], runs[1][1]) for result in runs_results}
    return 0 if statuses == {"ok"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
