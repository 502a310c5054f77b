"""Benchmark: a polite crawl of many local sites, then a re-run on the unchanged sites.

Usage: .venv/bin/python bench/crawl.py [--readouts 200] [--delay 0.2] [--hosts 3 [100 1000 ...]] [--server-processes 4]

For each number of `--hosts`, serves that many local news sites (tests/faultserver.py)
of `--readouts` articles each, 20 to a listing page, from `--server-processes`
processes of their own (as real sites are: their threads and sockets are not the
harvester's), and harvests them with a `--delay` second per-host delay in a fresh
process of its own, so that its memory and CPU time are the harvester's alone and
no size inherits another's. The baseline is measured in the same run: the
politeness floor, the largest over the hosts of (requests to that host × delay),
the least time any crawler obeying the delay could take.

Targets, at each size: every readout stored, the full crawl within 1.15 × the
floor, and the re-run on the unchanged sites downloads no readout body and no
listing body (conditional requests). Prints the harvester's peak memory (the
harvest process and its page worker), and the request rate the delay allows
beside the rate reached and the harvester's CPU time: at many hosts and a short
delay the floor asks for more requests a second than the machine's cores can
fetch, extract and store, and the CPU time shows it. A size that stores nothing
says why; any size that misses a target makes the run exit 1.
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
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester.config import load_config  # noqa: E402
from harvester.harvest import SourceResult, fetch_once  # noqa: E402
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


def _workers() -> list[int]:
    """The harvest process's children: its page workers (kept alive between harvests, so not reaped)."""
    return [int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()]


def cpu_seconds() -> tuple[float, float]:
    """User and system time of the harvest process, and of its page workers (read from /proc)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    tick = os.sysconf("SC_CLK_TCK")
    workers = 0.0
    for pid in _workers():
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        workers += (int(fields[11]) + int(fields[12])) / tick  # utime and stime, fields 14 and 15
    return own.ru_utime + own.ru_stime, workers


@dataclass(frozen=True)
class Harvested:
    """One harvest as the harvester saw it: what each source ended with, its wall and CPU time."""

    stored: int
    statuses: dict[str, int]
    reasons: dict[str, int]  # a source's error, or its status when it had none
    seconds: float
    harvest_cpu: float
    worker_cpu: float

    @classmethod
    def of(cls, results: list[SourceResult], seconds: float, cpu: tuple[float, float]) -> Harvested:
        return cls(
            stored=sum(result.counts.new_readouts for result in results),
            statuses=dict(Counter(result.status for result in results)),
            reasons=dict(Counter(result.error or result.status for result in results)),
            seconds=seconds,
            harvest_cpu=cpu[0],
            worker_cpu=cpu[1],
        )


def _harvester(config_dir: str, pipe: Connection) -> None:
    """The harvester's process: a crawl, then (when told) the re-run, then its peak memory and its worker's."""
    config = load_config(Path(config_dir))
    for _ in range(2):
        started, before = time.monotonic(), cpu_seconds()
        results = fetch_once(config)
        seconds, after = time.monotonic() - started, cpu_seconds()
        # as fields: this module is __mp_main__ here, a name the benchmark's process would not find
        pipe.send(asdict(Harvested.of(results, seconds, (after[0] - before[0], after[1] - before[1]))))
        pipe.recv()
    pipe.send((peak_mib("self"), max((peak_mib(pid) for pid in _workers()), default=0.0)))


@dataclass(frozen=True)
class Measured:
    """One size's crawl and re-run, with what the sites served for each and the harvester's peak memory."""

    hosts: int
    crawl: Harvested
    served: Totals
    rerun: Harvested
    served_again: Totals
    harvest_peak: float
    worker_peak: float


def measure(hosts: int, readouts: int, delay: float, server_processes: int) -> Measured:
    """Fresh sites and a fresh harvester process for `hosts` hosts; both gone when it returns."""
    servers = SiteProcesses(hosts, readouts, min(server_processes, hosts))
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe()
    try:
        with tempfile.TemporaryDirectory(prefix="harvester-bench-") as scratch:
            names = {f"site-{i + 1}": Origin(origin) for i, origin in enumerate(servers.origins)}
            config = write_config(Path(scratch), names, delay=delay, max_pages=readouts // 20 + 5)
            harvester = context.Process(target=_harvester, args=(str(config), theirs), daemon=True)
            harvester.start()
            crawl = Harvested(**mine.recv())
            served = servers.totals()
            mine.send("again")
            rerun = Harvested(**mine.recv())
            served_again = servers.totals() - served
            mine.send("peaks")
            harvest_peak, worker_peak = mine.recv()
            harvester.join(timeout=60)
    finally:
        servers.stop()
    return Measured(hosts, crawl, served, rerun, served_again, harvest_peak, worker_peak)


def report(m: Measured, readouts: int, delay: float, server_processes: int) -> bool:
    """Print one size's numbers; whether it met every target."""
    first, second, crawl = m.served, m.served_again, m.crawl.seconds
    floor = first.busiest * delay
    print(f"hosts: {m.hosts} × {readouts} readouts, delay {delay:g} s per host, "
          f"sites served by {min(server_processes, m.hosts)} processes")
    print("full crawl")
    print(f"  readouts stored        {m.crawl.stored} of {m.hosts * readouts}")
    print(f"  sources                {', '.join(f'{n} {status}' for status, n in Counter(m.crawl.statuses).most_common())}")
    print(f"  requests               {first.requests}")
    print(f"  body bytes             {first.body:,}")
    print(f"  politeness floor       {floor:.2f} s  (largest requests-per-host × delay)")
    if m.crawl.stored == 0 or floor == 0:
        print("  nothing was stored; why, by source count:")
        for reason, n in Counter(m.crawl.reasons).most_common(5):
            print(f"    {n:>5}  {reason}")
        print("targets: MISSED (nothing stored)")
        return False
    print(f"  wall time              {crawl:.2f} s  = {crawl / floor:.3f} × floor  (target ≤ 1.15)")
    print(f"  request rate           {first.requests / crawl:.0f} a second; the delay allows {first.requests / floor:.0f}")
    cpu = m.crawl.harvest_cpu + m.crawl.worker_cpu
    print(f"  harvester CPU time     {cpu:.2f} s  ({cpu / crawl:.2f} of {os.cpu_count()} cores; "
          f"{1000 * cpu / first.requests:.2f} ms a request: harvest process {1000 * m.crawl.harvest_cpu / first.requests:.2f}, "
          f"page worker {1000 * m.crawl.worker_cpu / first.requests:.2f})")
    print("re-run, sites unchanged")
    print(f"  new readouts           {m.rerun.stored}")
    print(f"  requests               {second.requests}")
    print(f"  body bytes             {second.body:,}  (readout bodies {second.readout:,}, listing bodies {second.listing:,})")
    print(f"  wall time              {m.rerun.seconds:.2f} s")
    print(f"peak memory: harvest process {m.harvest_peak:.0f} MiB, page worker {m.worker_peak:.0f} MiB (the sites' processes not counted)")
    ok = (crawl <= 1.15 * floor and second.readout == 0 and second.listing == 0
          and m.crawl.stored == m.hosts * readouts)
    print("targets:", "met" if ok else "MISSED")
    return ok


def summary(sizes: list[Measured], delay: float) -> None:
    """One line a size, for comparing them."""
    print()
    print(f"{'hosts':>6} {'stored':>8} {'requests':>9} {'floor s':>8} {'wall s':>8} {'wall/floor':>10} "
          f"{'re-run bodies':>13} {'harvest MiB':>11} {'worker MiB':>10}")
    for m in sizes:
        floor = m.served.busiest * delay
        ratio = f"{m.crawl.seconds / floor:.3f}" if floor else "-"
        bodies = m.served_again.readout + m.served_again.listing
        print(f"{m.hosts:>6} {m.crawl.stored:>8} {m.served.requests:>9} {floor:>8.2f} {m.crawl.seconds:>8.2f} {ratio:>10} "
              f"{bodies:>13} {m.harvest_peak:>11.0f} {m.worker_peak:>10.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readouts", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--hosts", type=int, nargs="+", default=[3])
    parser.add_argument("--server-processes", type=int, default=4)
    args = parser.parse_args()

    sizes, met = [], True
    for hosts in args.hosts:
        measured = measure(hosts, args.readouts, args.delay, args.server_processes)
        met = report(measured, args.readouts, args.delay, args.server_processes) and met
        sizes.append(measured)
        print()
    if len(sizes) > 1:
        summary(sizes, args.delay)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
