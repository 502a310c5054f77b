"""The page worker: its limits are the page's, and a fresh worker starts with what the harvest loaded."""

from __future__ import annotations

import asyncio
import mmap

import py3langid.langid
import pytest

from harvester.pagework import PageError, PageWorker

MiB = 1024**2


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MiB))


def _spin() -> None:
    while True:
        pass


def _language_model() -> int:
    return id(py3langid.langid.IDENTIFIER)


def test_the_memory_cap_counts_the_pages_work_not_the_process_around_it() -> None:
    # the harvest's address space, like the stacks of its threads, is large but not the page's doing
    reserved = mmap.mmap(-1, 3 * 1024 * MiB)
    worker = PageWorker(cpu_seconds=5, memory=256 * MiB)
    try:
        worker.start()
        assert asyncio.run(worker.run(_allocate, 64)) == 64 * MiB
        with pytest.raises(PageError) as refused:
            asyncio.run(worker.run(_allocate, 512))
        assert refused.value.kind == "memory"
        # the worker survives a page that asked too much: the next page is served
        assert asyncio.run(worker.run(_allocate, 16)) == 16 * MiB
    finally:
        worker.stop()
        reserved.close()


def test_a_restarted_worker_has_the_language_model_without_loading_it_again() -> None:
    worker = PageWorker(cpu_seconds=0.3)
    try:
        worker.warm_up()
        with pytest.raises(PageError) as spun:
            asyncio.run(worker.run(_spin))
        assert spun.value.kind == "timeout"
        assert worker.restarts == 1
        assert asyncio.run(worker.run(_language_model)) == id(py3langid.langid.IDENTIFIER) != id(None)
        with pytest.raises(PageError):
            asyncio.run(worker.run(_spin))
        # the same object as the harvest's: inherited at the fork, not loaded anew
        assert asyncio.run(worker.run(_language_model)) == id(py3langid.langid.IDENTIFIER)
    finally:
        worker.stop()
