"""Benchmark: a polite crawl of many local sites, then a re-run on the unchanged sites.

Usage: .venv/bin/python bench/crawl.py [--readouts 200] [--delay 0.2] [--hosts 3] [--server-processes 4]

Serves `--hosts` local news sites (tests/faultserver.py) of `--readouts`
articles each, 20 to a listing page, from `--server-processes` processes of
their own (as real sites are: their threads and sockets are not the
harvester's), and harvests them with a `--delay` second per-host delay. The
baseline is measured in the same run: the politeness floor, the largest over
the hosts of (requests to that host × delay), the least time any crawler
obeying the delay could take.

Targets: every readout stored, the full crawl within 1.15 × the floor, and the
re-run on the unchanged sites downloads no readout body and no listing body
(conditional requests). Prints the harvester's peak memory (the harvest process
and its page worker, the sites left out), and the request rate the delay allows
beside the rate reached and the harvester's CPU time: at many hosts and a short
delay the floor asks for more requests a second than the machine's cores can
fetch, extract and store, and the CPU time shows it. A run that stores nothing
says why and exits 1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester.config import load_config  # noqa: E402
from harvester.harvest import fetch_once  # noqa: E402
from tests.faultserver import FaultSite, write_config  # noqa: E402

READOUT = re.compile(r"/news/\d+")
LISTING = re.compile(r"/news(/page/\d+)?")


@dataclass(frozen=True)
class Totals:
    """What the sites served so far: requests, all body bytes, readout and listing body bytes."""

    requests: int
    body: int
    readout: int
    listing: int
    busiest: int  # requests to the host asked most

    def __sub__(self, other: Totals) -> Totals:
        return Totals(*(a - b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


def _serve_sites(count: int, readouts: int, pipe: Connection) -> None:
    """A process of sites: sends their origins, then answers each "totals" with what they served."""
    with ExitStack() as stack:
        sites = [stack.enter_context(FaultSite(articles=readouts, per_page=20)) for _ in range(count)]
        pipe.send([site.origin for site in sites])
        while pipe.recv() == "totals":
            body = Counter[str]()
            for site in sites:
                body.update(site.body_bytes)
            pipe.send((
                sum(sum(site.requests.values()) for site in sites),
                sum(body.values()),
                sum(n for path, n in body.items() if READOUT.fullmatch(path)),
                sum(n for path, n in body.items() if LISTING.fullmatch(path)),
                max((sum(site.requests.values()) for site in sites), default=0),
            ))


@dataclass(frozen=True)
class Origin:
    """A site served by another process: the config needs only where it is."""

    origin: str


class SiteProcesses:
    """`hosts` FaultSites spread over `processes` processes of their own."""

    def __init__(self, hosts: int, readouts: int, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.children = []
        for part in range(processes):
            count = hosts // processes + (part < hosts % processes)
            if not count:
                continue
            mine, theirs = context.Pipe()
            child = context.Process(target=_serve_sites, args=(count, readouts, theirs), daemon=True)
            child.start()
            self.pipes.append(mine)
            self.children.append(child)
        self.origins = [origin for pipe in self.pipes for origin in pipe.recv()]

    def totals(self) -> Totals:
        for pipe in self.pipes:
            pipe.send("totals")
        parts = [pipe.recv() for pipe in self.pipes]
        requests, body, readout, listing = (sum(p[i] for p in parts) for i in range(4))
        return Totals(requests, body, readout, listing, max(p[4] for p in parts))

    def stop(self) -> None:
        for pipe in self.pipes:
            pipe.send("stop")
        for child in self.children:
            child.join(timeout=30)


def peak_mib(pid: int | str) -> float:
    """A live process's peak resident memory (VmHWM), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    assert found, f"no VmHWM in /proc/{pid}/status"
    return int(found.group(1)) / 1024


def harvester_cpu_seconds(servers: SiteProcesses) -> tuple[float, float]:
    """User and system time of this process, and of its page workers (kept alive between harvests: read
    from /proc, as they are not reaped)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    tick = os.sysconf("SC_CLK_TCK")
    workers = 0.0
    for pid in _workers(servers):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        workers += (int(fields[11]) + int(fields[12])) / tick  # utime and stime, fields 14 and 15
    return own.ru_utime + own.ru_stime, workers


def _workers(servers: SiteProcesses) -> list[int]:
    """This process's children that are not site servers: the page workers."""
    sites = {child.pid for child in servers.children}
    children = [int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()]
    return [pid for pid in children if pid not in sites]


def worker_peak_mib(servers: SiteProcesses) -> float:
    """The largest peak among the page workers."""
    return max((peak_mib(pid) for pid in _workers(servers)), default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readouts", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--server-processes", type=int, default=4)
    args = parser.parse_args()

    servers = SiteProcesses(args.hosts, args.readouts, min(args.server_processes, args.hosts))
    try:
        with tempfile.TemporaryDirectory(prefix="harvester-bench-") as scratch:
            names = {f"site-{i + 1}": Origin(origin) for i, origin in enumerate(servers.origins)}
            config = load_config(write_config(Path(scratch), names, delay=args.delay, max_pages=args.readouts // 20 + 5))

            started, cpu_before = time.monotonic(), harvester_cpu_seconds(servers)
            results = fetch_once(config)
            crawl, cpu_after = time.monotonic() - started, harvester_cpu_seconds(servers)
            harvest_cpu, worker_cpu = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
            first = servers.totals()

            started = time.monotonic()
            again = fetch_once(config)
            rerun = time.monotonic() - started
            second = servers.totals() - first
            harvest_peak, worker_peak = peak_mib("self"), worker_peak_mib(servers)
    finally:
        servers.stop()

    stored = sum(result.counts.new_readouts for result in results)
    floor = first.busiest * args.delay
    statuses = Counter(result.status for result in results)
    print(f"hosts: {args.hosts} × {args.readouts} readouts, delay {args.delay:g} s per host, "
          f"sites served by {len(servers.children)} processes")
    print("full crawl")
    print(f"  readouts stored        {stored} of {args.hosts * args.readouts}")
    print(f"  sources                {', '.join(f'{n} {status}' for status, n in statuses.most_common())}")
    print(f"  requests               {first.requests}")
    print(f"  body bytes             {first.body:,}")
    print(f"  politeness floor       {floor:.2f} s  (largest requests-per-host × delay)")
    if stored == 0 or floor == 0:
        reasons = Counter(result.error or result.status for result in results)
        print("  nothing was stored; why, by source count:")
        for reason, n in reasons.most_common(5):
            print(f"    {n:>5}  {reason}")
        print("targets: MISSED (nothing stored)")
        return 1
    print(f"  wall time              {crawl:.2f} s  = {crawl / floor:.3f} × floor  (target ≤ 1.15)")
    print(f"  request rate           {first.requests / crawl:.0f} a second; the delay allows {first.requests / floor:.0f}")
    cpu = harvest_cpu + worker_cpu
    print(f"  harvester CPU time     {cpu:.2f} s  ({cpu / crawl:.2f} of {os.cpu_count()} cores; "
          f"{1000 * cpu / first.requests:.2f} ms a request: harvest process {1000 * harvest_cpu / first.requests:.2f}, "
          f"page worker {1000 * worker_cpu / first.requests:.2f})")
    print("re-run, sites unchanged")
    print(f"  new readouts           {sum(result.counts.new_readouts for result in again)}")
    print(f"  requests               {second.requests}")
    print(f"  body bytes             {second.body:,}  (readout bodies {second.readout:,}, listing bodies {second.listing:,})")
    print(f"  wall time              {rerun:.2f} s")
    print(f"peak memory: harvest process {harvest_peak:.0f} MiB, page worker {worker_peak:.0f} MiB (the sites' processes not counted)")
    ok = crawl <= 1.15 * floor and second.readout == 0 and second.listing == 0 and stored == args.hosts * args.readouts
    print("targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
