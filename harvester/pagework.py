"""Bounded work per page: a page is decoded, parsed and extracted in a child process that can be stopped.

Some broken HTML costs lexbor quadratic time (200,000 unclosed `<div><span>`, 2.4 MB,
take minutes inside C code that Python cannot interrupt), and a config regex or an
extractor may do the same in Python. A thread cannot be stopped; a process can. So each
page's work runs in a worker process, which is killed (and started afresh for the next
page) when it has used more than `cpu_seconds` of CPU on one page, and which cannot
grow by more than `memory` bytes past the address space it was forked with (the
harvest's own, its threads' stacks included, is not the page's to pay for). The harvest records such a page as failed and goes on; the
event loop stays free meanwhile, so other sources' requests and `--budget` go on too.

The worker is forked from the harvest, so it starts at once with everything imported (a
fresh interpreter costs more than a second of imports and would eat a short `--budget`).
The first worker loads the language model as it starts, while the harvest's first requests
go out (on the first page it held up every source for a second); after the first restart the
harvest loads it before forking, so workers forked again after hostile pages have it instead
of each loading it anew.
The child keeps only its two pipes (the corpus's database and lock files stay the
parent's alone), dies with its parent, and runs nothing but the loop in `_serve`:
calls and results go over the pipes as pickles, which only the harvest writes. It is
always forked from the event loop's thread (the first time before the harvest starts
any other thread): the kernel's "die with your parent" signal is tied to the thread
that forked, and a restart forks from a process with threads, which is safe for that
loop (it takes no lock a thread of the parent could have held), not for arbitrary code.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from harvester.config import DiscoverConfig, ExtractConfig
from harvester.discover import Feed, FeedError, Listing, Sitemap, SitemapError, parse_feed, parse_listing, parse_sitemap
from harvester.extract import Readout, SourceProfile, extract
from harvester.extract.metadata import load_language_model
from harvester.fetch import decode

T = TypeVar("T")
# Address space a worker may add to what it was forked with: a 20 MB page parses in well under
# this; a page that needs more is hostile.
DEFAULT_MEMORY = 2 * 1024**3
# A worker waiting for a CPU (the machine is busy) is not at fault, but wall time is capped too:
# a worker blocked on something else must not hold the run forever.
WALL_FACTOR, WALL_EXTRA = 3.0, 5.0
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class PageError(Exception):
    """A page whose processing failed; `kind` is what failed ("parse", "regex", "memory", "timeout")."""

    def __init__(self, kind: str, reason: str) -> None:
        self.kind = kind
        self.reason = reason
        super().__init__(reason)


# --- what runs in the worker ---------------------------------------------------------


def read_listing(
    body: bytes, content_type: str | None, url: str, discover: DiscoverConfig, hosts: frozenset[str], number: int
) -> Listing:
    return parse_listing(decode(body, content_type), url, discover, hosts, number)


def read_feed(body: bytes, url: str, discover: DiscoverConfig, hosts: frozenset[str]) -> Feed:
    return parse_feed(body, url, discover, hosts)


def read_sitemap(body: bytes, url: str, discover: DiscoverConfig, hosts: frozenset[str], limit: int) -> Sitemap:
    """In the worker, like any page: a sitemap's XML, or its gzip, may be built to exhaust its reader."""
    return parse_sitemap(body, url, discover, hosts, limit)


def read_readout(
    body: bytes, content_type: str | None, url: str, config: ExtractConfig, language: str, profile: SourceProfile,
    seen: datetime | None = None,
) -> Readout:
    """`seen`: when the page was captured, for an archived copy (it cannot have been published later)."""
    return extract(decode(body, content_type), url, config, language, profile, seen=seen)


def _kind(error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return "memory"
    if isinstance(error, TimeoutError):
        return "regex"  # the only timeout inside a worker is a config regex's
    return "parse"


def _isolate(keep: set[int]) -> None:
    """In the forked child: no inherited descriptor but `keep` and stdio, the parent's signals undone, die with it."""
    try:
        inherited = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        inherited = list(range(3, 1024))
    for fd in inherited:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the harvest's to handle; it kills us
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux only
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when it finds its pipe closed


def _address_space() -> int:
    """Bytes of address space this process holds (VmSize); 0 where there is no /proc to say."""
    try:
        with open("/proc/self/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _serve(calls: Connection, replies: Connection, memory: int) -> None:
    """The worker's loop: a call from the harvest, its result back, until the harvest hangs up."""
    limit = _address_space() + memory
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass  # a lower hard limit is already in force
    # now, while the harvest's first requests go out, not on the first page (a no-op once forked with it)
    load_language_model()
    while True:
        try:
            function, args = calls.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except (FeedError, SitemapError) as error:
            reply = ("error", ("parse", str(error)[:500]))
        except BaseException as error:  # everything a page can raise is that page's failure
            reply = ("error", (_kind(error), f"{type(error).__name__}: {error}"[:500]))
        try:
            replies.send(reply)
        except (EOFError, OSError):
            return


# --- the harvest's side --------------------------------------------------------------


def _cpu_seconds(pid: int) -> float | None:
    """CPU time `pid` has used, from /proc; None where there is no /proc (then wall time limits alone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


_shared: PageWorker | None = None


class PageWorker:
    """One worker process, one page at a time (callers queue), restarted after any page it could not finish."""

    def __init__(self, cpu_seconds: float, memory: int = DEFAULT_MEMORY) -> None:
        self.cpu_seconds = cpu_seconds
        self.memory = memory
        self._pid: int | None = None
        self._calls: Connection | None = None
        self._conn: Connection | None = None
        # the one thread that talks to the worker, one page at a time, whatever loop sent the call: waiting
        # calls queue here, not in the loop's default executor, whose threads resolve host names
        self._caller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-worker")
        self._start_lock = threading.Lock()
        self.restarts = 0

    @classmethod
    def shared(cls, cpu_seconds: float) -> PageWorker:
        """The process's worker, kept between harvests (a daemon's jobs, a test session): starting one costs a second."""
        global _shared
        if _shared is None:
            _shared = cls(cpu_seconds)
        _shared.cpu_seconds = cpu_seconds
        return _shared

    def start(self) -> None:
        """Fork the worker now, if none is running, so the first page does not wait for it."""
        with self._start_lock:
            if self._pid is not None and self._exit_code() is None:
                return
            self._close_pipes()
            if self.restarts:
                # the first worker loads the model itself, while the harvest's first requests go out;
                # after a restart the harvest loads it once, and every later worker is forked with it
                load_language_model()
            call_read, call_write = os.pipe()
            reply_read, reply_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                try:
                    _isolate({call_read, reply_write})
                    _serve(Connection(call_read, writable=False), Connection(reply_write, readable=False), self.memory)
                finally:
                    os._exit(0)
            os.close(call_read)
            os.close(reply_write)
            self._pid = pid
            self._calls = Connection(call_write, readable=False)
            self._conn = Connection(reply_read, writable=False)

    def _close_pipes(self) -> None:
        for end in (self._calls, self._conn):
            if end is not None:
                end.close()
        self._calls = self._conn = None

    def stop(self) -> None:
        with self._start_lock:
            pid = self._pid
            self._close_pipes()
            self._pid = None
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)

    def _exit_code(self) -> int | None:
        """The worker's exit status once it has died (negative: the signal), reaping it; None while it runs."""
        if self._pid is None:
            return None
        try:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if pid == 0:
            return None
        self._pid = None
        return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)

    def warm_up(self) -> None:
        """Start the worker before the harvest starts any thread (see the module's docstring)."""
        self.start()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in the worker; PageError when it fails, runs out of time or memory, or kills the worker."""
        abandoned = threading.Event()
        for _ in range(3):  # a worker that died between pages is forked again, here in the loop's thread
            self.start()
            future = asyncio.get_running_loop().run_in_executor(self._caller, self._call, function, args, abandoned)
            try:
                kind, value = await future
            except asyncio.CancelledError:
                abandoned.set()  # the thread waiting on the worker kills it and ends
                raise
            if kind != "restart":
                break
        if kind == "ok":
            return cast(T, value)  # what `function` returned, unpickled from the worker's pipe
        raise PageError(*value)

    def _call(self, function: Callable[..., Any], args: tuple[Any, ...], abandoned: threading.Event) -> tuple[str, Any]:
        if abandoned.is_set():
            return "error", ("stopped", "the run stopped before the page was processed")
        return self._exchange(function, args, abandoned)

    def _exchange(self, function: Callable[..., Any], args: tuple[Any, ...], abandoned: threading.Event) -> tuple[str, Any]:
        pid, calls, conn = self._pid, self._calls, self._conn
        if pid is None or calls is None or conn is None:
            return "restart", None  # stopped by another page's overrun meanwhile
        try:
            calls.send((function, args))
        except (OSError, ValueError):
            self.stop()
            return "restart", None
        started, cpu_start = time.monotonic(), _cpu_seconds(pid)
        wall_limit = self.cpu_seconds * WALL_FACTOR + WALL_EXTRA
        while True:
            try:
                if conn.poll(0.05):
                    result: tuple[str, Any] = conn.recv()
                    return result
            except (EOFError, OSError):
                time.sleep(0.05)  # let it finish dying, to read how it died
                code = self._exit_code()
                self._restart()
                if code is not None and code < 0 and -code in (9, 6, 11):
                    return "error", ("memory", f"the page's processing crashed (signal {-code}), likely out of memory")
                return "error", ("parse", f"the page's processing ended abruptly (exit code {code})")
            if abandoned.is_set():
                self._restart()
                return "error", ("stopped", "the run stopped while the page was processed")
            cpu = _cpu_seconds(pid)
            used = cpu - cpu_start if cpu is not None and cpu_start is not None else None
            wall = time.monotonic() - started
            if (used is not None and used > self.cpu_seconds) or wall > wall_limit:
                self._restart()
                spent = f"{used:.1f} s of CPU" if used is not None else f"{wall:.1f} s"
                return "error", ("timeout", f"page abandoned after {spent} (limit: page_seconds = {self.cpu_seconds:g})")

    def _restart(self) -> None:
        """This worker is done for; the next page forks a fresh one (from the loop's thread, see above)."""
        self.restarts += 1
        self.stop()

