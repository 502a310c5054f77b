"""Benchmark: a polite crawl of three local sites, then a re-run on the unchanged sites.

Usage: .venv/bin/python bench/crawl.py [--readouts 200] [--delay 0.2] [--hosts 3]

Serves `--hosts` local news sites (tests/faultserver.py) of `--readouts`
articles each, 20 to a listing page, and harvests them with a `--delay` second
per-host delay. The baseline is measured in the same run: the politeness floor,
the largest over the hosts of (requests to that host × delay), the least time
any crawler obeying the delay could take.

Targets: the full crawl within 1.15 × the floor; the re-run on the unchanged
sites downloads no readout body and no listing body (conditional requests).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester.config import load_config  # noqa: E402
from harvester.harvest import fetch_once  # noqa: E402
from tests.faultserver import FaultSite, write_config  # noqa: E402

READOUT = re.compile(r"/news/\d+")
LISTING = re.compile(r"/news(/page/\d+)?")


def totals(sites: list[FaultSite]) -> tuple[int, int, int, int]:
    """Requests, body bytes, readout body bytes, listing body bytes, over all sites so far."""
    requests = sum(sum(site.requests.values()) for site in sites)
    body = sum(sum(site.body_bytes.values()) for site in sites)
    readout = sum(n for site in sites for path, n in site.body_bytes.items() if READOUT.fullmatch(path))
    listing = sum(n for site in sites for path, n in site.body_bytes.items() if LISTING.fullmatch(path))
    return requests, body, readout, listing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readouts", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--hosts", type=int, default=3)
    args = parser.parse_args()

    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harvester-bench-")))
        sites = [stack.enter_context(FaultSite(articles=args.readouts, per_page=20)) for _ in range(args.hosts)]
        names = {f"site-{i + 1}": site for i, site in enumerate(sites)}
        config = load_config(write_config(root, names, delay=args.delay, max_pages=args.readouts // 20 + 5))

        started = time.monotonic()
        results = fetch_once(config)
        crawl = time.monotonic() - started
        stored = sum(result.counts.new_readouts for result in results)
        floor = max(sum(site.requests.values()) for site in sites) * args.delay
        first = totals(sites)

        started = time.monotonic()
        again = fetch_once(config)
        rerun = time.monotonic() - started
        second = [after - before for after, before in zip(totals(sites), first)]

    print(f"hosts: {args.hosts} × {args.readouts} readouts, delay {args.delay:g} s per host")
    print("full crawl")
    print(f"  readouts stored        {stored}")
    print(f"  requests               {first[0]}")
    print(f"  body bytes             {first[1]:,}")
    print(f"  politeness floor       {floor:.2f} s  (largest requests-per-host × delay)")
    print(f"  wall time              {crawl:.2f} s  = {crawl / floor:.3f} × floor  (target ≤ 1.15)")
    print("re-run, sites unchanged")
    print(f"  new readouts           {sum(result.counts.new_readouts for result in again)}")
    print(f"  requests               {second[0]}")
    print(f"  body bytes             {second[1]:,}  (readout bodies {second[2]:,}, listing bodies {second[3]:,})")
    print(f"  wall time              {rerun:.2f} s")
    ok = crawl <= 1.15 * floor and second[2] == 0 and second[3] == 0 and stored == args.hosts * args.readouts
    print("targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
