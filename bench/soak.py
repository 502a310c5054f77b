"""Soak benchmark: many `harvester fetch once` runs in a row against sites where requests fail at random.

Usage: .venv/bin/python bench/soak.py [--runs 200] [--rate 0.1] [--sites 3] [--seed 1]

Serves `--sites` local news sites (tests/faultserver.py); each run publishes a
few new articles on each and runs the real command line (`python -m harvester
fetch once`, a fresh process as from cron). `--rate` of all requests fail, at
random, in one of the ways issue 10 lists: 403/429/500/503 answers, dropped or
truncated connections, stalls past the timeout, a `gzip, gzip` bomb, pages with
a thousand unclosed elements or `charset=punycode`, a page past the CPU limit,
redirects to `data:` URLs, session ids on every link, another writer holding
the corpus's lock, and (site1 also lists its articles through a web archive's
CDX index, served by itself) an index answering a resume key that leads back
to itself, forever, at a quarter of its queries.

After every run: `PRAGMA quick_check`, and no run left `running`. After the
chaos, time is made to pass (failed URLs and rested hosts come due) and clean
runs catch up. The numbers printed: runs by status, faults injected by kind,
readouts expected vs stored (after the chaos and after catching up), duplicates,
integrity checks, URLs given up (none may be for their host's faults), peak
memory of a run, and seconds per run against clean runs measured first (the
baseline, same machine, same run).
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester import walk  # noqa: E402
from harvester.config import load_config  # noqa: E402
from harvester.store import Store  # noqa: E402
from tests.faultserver import Fault, FaultSite, write_config  # noqa: E402

QUADRATIC = b"<html><body><h1>Deep</h1>" + b"<div><span>x " * 60_000
FAULTS = {
    "http 500": Fault("status", options={"status": 500}),
    "http 503": Fault("status", options={"status": 503}),
    "http 429 (Retry-After 1)": Fault("status", options={"status": 429, "headers": {"Retry-After": "1"}}),
    "http 403": Fault("status", options={"status": 403}),
    "dropped connection": Fault("drop"),
    "truncated body": Fault("truncate"),
    "stall past the timeout": Fault("stall", options={"seconds": 1.5}),
    "gzip, gzip bomb": Fault("bomb", options={"size": 50_000_000, "layers": 2}),
    "1000 unclosed divs": Fault("mangle", options={"how": "deep"}),
    "charset=punycode": Fault("mangle", options={"how": "punycode"}),
    "page past the CPU limit": Fault("body", options={"body": QUADRATIC, "content_type": "text/html"}),
    "redirect to data:": Fault("redirect", options={"to": "data:text/html,<h1>Moved</h1>"}),
}
# Share of site1's CDX index queries that start a resume key repeated forever: one query a run is too few to
# meet the loop often at `--rate`.
INDEX_LOOP_RATE = 0.25


def index_through_cdx(config: Path, site: FaultSite) -> None:
    """Site1's source also lists its articles through a web archive's CDX index, which the site serves itself."""
    settings = config / "harvester.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + f'[wayback]\ncdx = "{site.origin}/cdx"\nreplay = "{site.origin}/web/{{timestamp}}id_/{{url}}"\ndelay = 0\n',
        encoding="utf-8",
    )
    source = config / "sources" / "site1.toml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("[discover]\n", f'[discover]\nwayback = ["{site.origin}/news/"]\n', 1), encoding="utf-8")


class BusyWriter:
    """Another process's writer (a `harvester dedupe`): now and then holds the corpus's write lock a while."""

    def __init__(self, database: Path, rate: float, seed: int) -> None:
        self.database, self.rate, self.random = database, rate, random.Random(seed)
        self.held = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(2.0):
            if not self.database.exists() or self.random.random() >= self.rate:
                continue
            db = sqlite3.connect(self.database, timeout=30, isolation_level=None)
            try:
                db.execute("begin immediate")
                self.held += 1
                self._stop.wait(self.random.uniform(0.5, 2.0))
                db.execute("commit")
            except sqlite3.OperationalError:
                pass
            finally:
                db.close()

    def __enter__(self) -> BusyWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def stored_paths(database: Path, origins: dict[str, str]) -> Counter[tuple[str, str]]:
    """(site, path) of every stored readout, its session id and the like stripped: more than 1 is a duplicate."""
    found: Counter[tuple[str, str]] = Counter()
    with sqlite3.connect(database) as db:
        for source, url in db.execute("select source, url from readouts"):
            path = url[len(origins[source]):].split(";")[0].split("?")[0].split("#")[0]
            found[(source, path)] += 1
    return found


def one_run(config: Path) -> tuple[float, int]:
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "harvester", "fetch", "once", "--config", str(config), "--quiet"],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    if "Traceback" in run.stderr:
        raise SystemExit(f"a run crashed:\n{run.stderr}")
    return time.monotonic() - started, run.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--sites", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        root = Path(tmp)
        sessions = lambda: f";jsessionid={uuid.uuid4().hex}"  # noqa: E731 - a fresh id on every link of site 0
        sites = {
            f"site{n}": stack.enter_context(FaultSite(articles=20, per_page=10, link_suffix=sessions if n == 0 else None))
            for n in range(args.sites)
        }
        config = write_config(
            root, sites, max_pages=5, timeout=1, retries=1, backoff=0.05, host_backoff=2,
            top_level={"page_seconds": 1},
        )
        if "site1" in sites:
            index_through_cdx(config, sites["site1"])
        database = load_config(config).settings.database
        origins = {name: site.origin for name, site in sites.items()}

        def publish() -> None:
            for site in sites.values():
                site.publish(rng.randint(0, 2))

        one_run(config)  # the first harvest takes every article in: not a run like the others
        baseline = []
        for _ in range(args.baseline_runs):
            publish()
            baseline.append(one_run(config)[0])

        for number, (name, site) in enumerate(sites.items()):
            site.chaos(args.rate, FAULTS, seed=args.seed + number)
            if name == "site1":
                site.index_chaos(INDEX_LOOP_RATE, seed=args.seed)
        statuses: Counter[str] = Counter()
        exits: Counter[int] = Counter()
        checks = {"quick_check ok": 0, "no run left running": 0}
        seconds = []
        with BusyWriter(database, rate=args.rate, seed=args.seed) as writer:
            for run_number in range(args.runs):
                publish()
                elapsed, code = one_run(config)
                seconds.append(elapsed)
                exits[code] += 1
                with sqlite3.connect(database) as db:
                    checks["quick_check ok"] += db.execute("pragma quick_check").fetchone() == ("ok",)
                    checks["no run left running"] += db.execute(
                        "select count(*) from runs where status = 'running'"
                    ).fetchone() == (0,)
                if (run_number + 1) % 20 == 0:
                    print(f"  ... {run_number + 1} runs", file=sys.stderr, flush=True)
        with sqlite3.connect(database) as db:
            first_chaos_run = (args.baseline_runs + 1) * args.sites
            statuses.update(status for (status,) in db.execute("select status from runs where id > ?", [first_chaos_run]))
        expected = {(name, path) for name, site in sites.items() for path in site.paths}
        after_chaos = stored_paths(database, origins)

        for site in sites.values():
            site.chaos(0, {})
            site.index_chaos(0)
        catch_up = 0
        while catch_up < 10:
            with sqlite3.connect(database) as db:  # time passes: every failed URL and rested host comes due
                db.execute("update failures set last_failed = '2000-01-01T00:00:00+00:00'")
                db.execute("update host_health set backoff_until = null")
            one_run(config)
            catch_up += 1
            if set(stored_paths(database, origins)) >= expected:
                break
        final = stored_paths(database, origins)
        with Store(database) as store:
            failures = store.failures()
        given_up = Counter(f.kind for f in failures if walk.gave_up(f))
        injected = sum((site.injected for site in sites.values()), Counter())
        injected["corpus write lock held by another writer"] = writer.held

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    mean_base, mean_chaos = sum(baseline) / len(baseline), sum(seconds) / len(seconds)
    print(f"runs: {args.runs} with {args.rate:.0%} of requests failing, over {args.sites} sites")
    print(f"  source runs by status: {dict(sorted(statuses.items()))}")
    print(f"  exit codes: {dict(sorted(exits.items()))}")
    print("faults injected by kind:")
    for kind, count in injected.most_common():
        print(f"  {kind:<42} {count:>5}")
    print(f"  {'total':<42} {sum(injected.values()):>5}")
    print(f"readouts expected: {len(expected)}")
    print(f"  stored after the chaos: {len(set(after_chaos) & expected)} ({len(expected - set(after_chaos))} pending a retry)")
    print(f"  stored after {catch_up} catch-up run(s): {len(set(final) & expected)}; lost: {len(expected - set(final))}")
    print(f"  duplicates: {sum(n - 1 for n in final.values())}; stored but never published: {len(set(final) - expected)}")
    print(f"integrity checks: {checks['quick_check ok']}/{args.runs} quick_check ok, "
          f"{checks['no run left running']}/{args.runs} with no run left running")
    print(f"given up: {sum(given_up.values())} URL(s) {dict(given_up)}; for their host's faults: {given_up.get(walk.HOST, 0)}")
    print(f"peak memory of one run (max RSS): {peak:.0f} MB")
    print(f"seconds per run: {mean_chaos:.2f} with faults vs {mean_base:.2f} clean (baseline): {mean_chaos / mean_base:.2f}x")


if __name__ == "__main__":
    main()
