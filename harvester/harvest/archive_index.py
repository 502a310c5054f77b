"""The archive walk: readout URLs under a prefix from the web archive's CDX index, with the captures it lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from harvester import walk
from harvester.fetch import FetchError, HostUnreachable
from harvester.harvest.pipeline import RUN_ENDING, PagePipeline, SourceFailed, failure_kind
from harvester.store import WalkPosition
from harvester.wayback import PAGE_ROWS, Capture, by_url, distinct, readout_captures

# An archive listing after a complete one asks for the captures made since, less this much:
# captures reach the index days (at the Internet Archive, sometimes weeks) after they are made.
LISTING_OVERLAP = timedelta(days=30)


class ArchiveIndexWalk:
    """Reads the index one answer at a time, resumable like a listing walk.

    Answers are ordered by URL, so the last URL of an answer may go on in the next; it
    is held back until it is complete, and a stopped run resumes at the answer it began in.
    Once a listing is complete, the next ones ask only for the captures made since.
    """

    def __init__(self, pipeline: PagePipeline) -> None:
        self.pipeline = pipeline

    async def read(self, prefix: str) -> None:
        run = self.pipeline
        wayback, name, store = run.origin.web_archive(), run.source.name, run.store
        key, listed_key = f"wayback {prefix}", f"wayback-listed {prefix}"
        began = datetime.now(timezone.utc)
        # once the whole prefix was listed, later runs ask only for captures since (with an overlap)
        listed = None if run.refresh else store.position(name, listed_key)
        discover = run.discover
        if listed is not None:
            since = (datetime.fromisoformat(listed.url) - LISTING_OVERLAP).strftime("%Y%m%d")
            discover = replace(discover, wayback_from=max(discover.wayback_from or "", since))
        saved = store.position(name, key)
        resume, number = (saved.url or None, saved.page) if saved else (None, 1)
        if saved:
            run.say(f"archive index of {prefix}: resuming at answer {number}")
        pending: list[Capture] = []
        pending_at = WalkPosition(resume or "", number)
        keys_seen: set[str] = set()
        while True:
            run.check_stop()
            here = WalkPosition(resume or "", number)
            store.set_position(name, key, pending_at if pending else here)
            try:
                page, answer = await wayback.cdx(prefix, prefix=True, discover=discover, resume_key=resume)
            except HostUnreachable as error:
                raise SourceFailed(run.origin.unreachable(error)) from None
            except FetchError as error:
                run.fail(error.url, error.reason, failure_kind(error))  # the query: reading it again later clears it
                return
            except RUN_ENDING:
                raise
            except Exception as error:
                run.unexpected(prefix, error)
                return
            store.add_page(name, "cdx", page)
            run.pages_read += 1
            run.result.counts.listing_pages += 1
            groups = by_url([*pending, *readout_captures(answer.captures, discover, run.source.hosts)])
            if answer.resume_key and groups:
                if not (pending and groups[-1][0].urlkey == pending[0].urlkey):
                    pending_at = here
                pending = groups.pop()
            else:
                pending = []
            new = await self._captured(groups)
            run.say(f"archive index {prefix} answer {number}: {len(groups)} readout URLs, {new} with new captures")
            if not answer.resume_key:
                if len(answer.captures) >= PAGE_ROWS:
                    run.say(f"the archive cut its answer at {PAGE_ROWS} captures: list narrower prefixes than {prefix}")
                break
            if answer.resume_key == resume or answer.resume_key in keys_seen:
                # an index that pages on in a circle would hold the run (and the source's lock) forever;
                # the next run lists the prefix from its start rather than from a key that leads nowhere
                store.set_position(name, key, None)
                run.fail(page.url, f"the archive's index gave resume key {answer.resume_key[:80]!r} again:"
                         f" its listing of {prefix} stops here this run", "archive")
                return
            keys_seen.add(answer.resume_key)
            if len(keys_seen) >= wayback.settings.index_pages:
                store.set_position(name, key, pending_at if pending else WalkPosition(answer.resume_key, number + 1))
                run.fail(prefix, f"read {len(keys_seen)} answers of the archive's index, the most one run reads"
                         f" ([wayback] index_pages): the next run resumes at answer {number + 1}", "archive")
                return
            resume, number = answer.resume_key, number + 1
        store.set_position(name, key, None)
        store.set_position(name, listed_key, WalkPosition(began.isoformat(timespec="seconds"), 0))

    async def _captured(self, groups: Sequence[Sequence[Capture]]) -> int:
        """The readouts of one CDX answer's URLs; returns how many had captures the corpus lacks."""
        run = self.pipeline
        name, counts, new = run.source.name, run.result.counts, 0
        failures = run.store.failures(name)
        for group in groups:
            url = group[-1].url
            if url in run.seen or walk.waiting(failures, [url]):
                continue
            run.seen.add(url)
            known = bool(run.store.known([url], name))
            if run.origin.archive_only:
                # digest-aware: a known readout is fetched again only for captures the corpus lacks
                missing = {c.digest for c in distinct(group)} - run.store.capture_digests(url, name)
                if known and not missing:
                    counts.known += 1
                    continue
            elif known and not run.refresh:
                counts.known += 1
                continue
            new += 1
            await run.readout(url, known=known, captures=group)
        await run.read_pending()  # the answer's readouts are stored before the walk notes where it is
        return new
