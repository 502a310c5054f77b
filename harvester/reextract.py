"""`harvester reextract`: rebuild readouts from the WARC archive with today's extraction rules.

Extraction rules improve after pages were fetched (a site is redesigned, a
selector was wrong). The archive holds every page exactly as received, so the
readouts can be redone offline, without asking the sites again. A readout whose
archived page is missing, or that today's rules cannot read, keeps its text.
Changed texts go through the store's identity step, and identity is then
recomputed as `harvester dedupe` would, so a `dedupe` afterwards changes nothing.
A kept readout still loses the control characters an earlier release stored in it.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from harvester.store import Store, readout_columns

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
    """Re-extract every readout of the named sources (default: all configured sources)."""
    sources = [config.source(name) for name in source_names] or list(config.sources)
    database = Path(database or config.settings.database)
    # the config's identity (URL variants, translation keys, people): identity is recomputed when a text changes
    store = Store(database, identity=Identity.from_config(config))
    results = []
    try:
        for source in sources:
            counts = ReextractCounts(source.name)
            results.append(counts)
            try:
                with source_lock(lock_directory(database), source.name):
                    _source(store, config.settings.archive, source, counts, progress)
            except SourceLocked as locked:
                counts.locked = True
                progress(source.name, str(locked))
    finally:
        store.close()
    return results


def _source(store: Store, archive: Path, source: SourceConfig, counts: ReextractCounts, progress: Progress) -> None:
    # the template learnt so far, applied to the pages read before it was learnt
    profile = store.source_profile(source.name)
    redone = []
    for stored in store.archived_readouts(source.name):
        counts.readouts += 1
        try:
            if not stored.archive:
                raise LookupError("no archived page")
            response = read_response(archive, stored.archive)
        except (OSError, LookupError, ValueError) as error:
            counts.kept += 1
            progress(source.name, f"kept {stored.url}: archived page unreadable ({error})")
            redone.append((stored.readout_id, _cleaned(stored.columns)))
            continue
        html = decode(response.body, response.header("content-type"))
        readout = extract(html, stored.url, source.extract, source.language, profile)
        if not readout.text:
            counts.kept += 1
            progress(source.name, f"kept {stored.url}: today's rules find no article text")
            redone.append((stored.readout_id, _cleaned(stored.columns)))
            continue
        redone.append((stored.readout_id, readout_columns(readout)))
    counts.changed = store.reextracted(redone)


def _cleaned(columns: dict[str, object]) -> dict[str, object]:
    """A kept readout's stored columns without control characters (an earlier release kept them)."""
    return {name: without_controls(value) if isinstance(value, str) else value for name, value in columns.items()}
