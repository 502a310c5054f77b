"""One harvest per source at a time, across processes: cron jobs overlap, daemons restart.

An advisory `flock` on `<corpus>/locks/<source>.lock`. The kernel releases it
when the holder exits however it exits (SIGKILL, power cut of the process), so
a crashed run never leaves a stale lock behind for the next one to trip over.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SourceLocked(Exception):
    """Another process is harvesting this source right now."""

    def __init__(self, source: str, holder: str) -> None:
        self.source = source
        self.holder = holder
        who = f"pid {holder}" if holder else "another process"
        super().__init__(f"{source} is being harvested by {who}; skipped this time")


def lock_directory(database: Path) -> Path:
    """Locks live beside the corpus database they protect."""
    return Path(database).parent / "locks"


@contextmanager
def source_lock(directory: Path, source: str) -> Iterator[None]:
    """Hold the source's lock for the block, or raise `SourceLocked` at once (never wait)."""
    directory.mkdir(parents=True, exist_ok=True)
    # the file is never deleted: removing it would let two processes lock two different files
    handle = (directory / f"{source}.lock").open("a+", encoding="ascii")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise SourceLocked(source, handle.read().strip()) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
