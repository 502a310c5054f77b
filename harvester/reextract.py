"""`harvester reextract`: rebuild readouts from the WARC archive with today's extraction rules.

Extraction rules improve after pages were fetched (a site is redesigned, a
selector was wrong). The archive holds every page exactly as received, so the
readouts can be redone offline, without asking the sites again. A readout whose
archived page is missing, or that today's rules cannot read, keeps its text.
Readouts are read and written back in batches (memory stays one batch, whatever
a source's size); changed texts go through the store's identity step as they are
written, and once every source is done identity is recomputed over the corpus
once, as `harvester dedupe` would, so a `dedupe` afterwards changes nothing. The
work grows with the corpus, not with the corpus times the sources changed.
A kept readout still loses the control characters an earlier release stored in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from harvester.archive import read_response
from harvester.config import Config, SourceConfig
from harvester.dedupe import Identity
from harvester.extract import extract
from harvester.extract.text import without_controls
from harvester.fetch import decode
from harvester.harvest import Progress
from harvester.locks import SourceLocked, lock_directory, source_lock
from harvester.store import REEXTRACT_BATCH, Store, readout_columns


@dataclass
class ReextractCounts:
    source: str
    readouts: int = 0
    changed: int = 0
    kept: int = 0  # archive missing or nothing extracted: the stored readout stays as it was
    locked: bool = False


def reextract(
    config: Config, *, database: Path | None = None, source_names: Sequence[str] = (), progress: Progress
) -> list[ReextractCounts]:
    """Re-extract every readout of the named sources (default: all configured sources).

    Every source is locked for the whole run, as a harvest locks its sources, so that a
    batch may hold the readouts of several: with a thousand small sources, a commit per
    source would cost more than their extraction.
    """
    sources = [config.source(name) for name in source_names] or list(config.sources)
    database = Path(database or config.settings.database)
    results = [ReextractCounts(source.name) for source in sources]
    with ExitStack() as locks, Store(database, identity=Identity.from_config(config)) as store:
        runnable = []
        for source, counts in zip(sources, results):
            try:
                locks.enter_context(source_lock(lock_directory(database), source.name))
            except SourceLocked as locked:
                counts.locked = True
                progress(source.name, str(locked))
            else:
                runnable.append((source, counts))
        batch = Batch(store)
        for source, counts in runnable:
            _source(store, config.settings.archive, source, counts, progress, batch)
        batch.flush()
        if any(counts.changed for counts in results):
            progress("corpus", "recomputing duplicates and meetings over the corpus")
            store.recompute_identity()
    return results


class Batch:
    """Re-extracted readouts on their way to the store, written `REEXTRACT_BATCH` at a time whatever their source."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[tuple[int, dict[str, object]]] = []
        self.counts: dict[int, ReextractCounts] = {}

    def add(self, readout_id: int, columns: dict[str, object], counts: ReextractCounts) -> None:
        self.pending.append((readout_id, columns))
        self.counts[readout_id] = counts
        if len(self.pending) >= REEXTRACT_BATCH:
            self.flush()

    def flush(self) -> None:
        for readout_id in self.store.reextracted(self.pending):
            self.counts[readout_id].changed += 1
        self.pending.clear()
        self.counts.clear()


def _source(
    store: Store, archive: Path, source: SourceConfig, counts: ReextractCounts, progress: Progress, batch: Batch
) -> None:
    # the template learnt so far, applied to the pages read before it was learnt
    profile = store.source_profile(source.name)
    for stored_batch in store.archived_readouts(source.name):
        for stored in stored_batch:
            counts.readouts += 1
            try:
                if not stored.archive:
                    raise LookupError("no archived page")
                response = read_response(archive, stored.archive)
            except (OSError, LookupError, ValueError) as error:
                counts.kept += 1
                progress(source.name, f"kept {stored.url}: archived page unreadable ({error})")
                batch.add(stored.readout_id, _cleaned(stored.columns), counts)
                continue
            html = decode(response.body, response.header("content-type"))
            readout = extract(html, stored.url, source.extract, source.language, profile)
            if not readout.text:
                counts.kept += 1
                progress(source.name, f"kept {stored.url}: today's rules find no article text")
                batch.add(stored.readout_id, _cleaned(stored.columns), counts)
                continue
            batch.add(stored.readout_id, readout_columns(readout), counts)


def _cleaned(columns: dict[str, object]) -> dict[str, object]:
    """A kept readout's stored columns without control characters (an earlier release kept them)."""
    return {name: without_controls(value) if isinstance(value, str) else value for name, value in columns.items()}
