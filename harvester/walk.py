"""The walk: which listing page to read next, when to stop, where to resume; which failed URL to retry.

Plain decisions over plain data, so they are tested without HTTP or a database:
the harvest reads pages and stores what it finds, and asks this module what to
do next.

A listing walk reads new readouts first, then the backfill. From the start page
it goes on until a page holds nothing new ("caught up"). Then, if an earlier run
was cut short deeper in the listing, it resumes there and walks on to the end.
The position to save is given *before* each page is read, so a stop or a crash
anywhere resumes at that page next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from harvester.software import software
from harvester.store import Failure, WalkPosition

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(hours=1)  # then 2 h, 4 h, 8 h: a dead link costs five requests, ever

END, CAUGHT_UP, BROKEN = "end", "caught up", "broken"


class ListingWalk:
    """One walk of one start URL's listing pages."""

    def __init__(self, start: str, saved: WalkPosition | None, max_pages: int) -> None:
        # the deeper resume point of an earlier run, kept until the walk passes it
        self.saved = saved
        self.max_pages = max_pages
        self.backfilling = False
        self.outcome: str | None = None
        self._current: WalkPosition | None = WalkPosition(start, 1)

    def next(self) -> WalkPosition | None:
        """The listing page to read now, or None when the walk is over."""
        return None if self.outcome else self._current

    def checkpoint(self) -> WalkPosition:
        """Where a run cut short while reading the current page must resume."""
        here = self._current
        assert here is not None and self.outcome is None
        if self.backfilling or self.saved is None or here.page < self.saved.page:
            return here
        return self.saved

    def read(self, links: int, new: int, next_url: str | None) -> None:
        """The current page listed `links` readouts, `new` of them not in the corpus, and links to `next_url`."""
        here = self._current
        assert here is not None
        if links == 0 or next_url is None:
            self.outcome = END
        elif new == 0 and not self.backfilling:
            if self.saved is not None and self.saved.page <= self.max_pages:
                self.backfilling, self._current = True, self.saved
            else:
                self.outcome = CAUGHT_UP
        else:
            self._current = WalkPosition(next_url, here.page + 1)

    def broken(self) -> None:
        """The current page could not be read: the walk stops, and resumes at it next run."""
        self.outcome = BROKEN

    def resume_at(self) -> WalkPosition | None:
        """What to save once the walk is over (not called after `broken`, whose checkpoint stands)."""
        assert self.outcome in (END, CAUGHT_UP)
        return None if self.outcome == END else self.saved


# What failed about a URL, as `failures.kind`. A URL is given up only for its own faults: it
# is gone, it is no page, it is too large, or it defeats the parser. Anything else (a timeout,
# a 500, the corpus busy) may pass, so it is tried again, ever less often, but never given up.
GONE, TYPE, SIZE = "gone", "type", "size"
# A fault of the URL's host (a wall, a rate limit, a dead server): the host's breaker and back-off
# hold the URL back, so it never waits on its own account and is never given up.
HOST = "host"
PAGE_KINDS = frozenset({"parse", "regex", "timeout", "memory"})  # the page's processing failed
GIVE_UP_KINDS = frozenset({GONE, TYPE, SIZE, "extract", *PAGE_KINDS})
RETRY_CAP = timedelta(days=7)
# A host that refused a whole run is rested this long (seconds; `[http] host_backoff`),
# doubling with each such run in a row, up to a day.
HOST_BACKOFF_BASE = 900.0
HOST_BACKOFF_CAP = timedelta(days=1)


def retry_after(attempts: int) -> timedelta:
    """How long after its last failure a URL that failed `attempts` times is tried again."""
    return min(RETRY_BASE * (1 << max(attempts - 1, 0)), RETRY_CAP)


def gave_up(failure: Failure, version: str | None = None) -> bool:
    """Whether the URL is not tried again. A parser failure under an earlier release is: the parser changed."""
    if failure.attempts < MAX_ATTEMPTS:
        return False
    if failure.kind in PAGE_KINDS and failure.version != (version or software()):
        return False
    return failure.kind is None or failure.kind in GIVE_UP_KINDS  # no kind: recorded before kinds were


def _due(failure: Failure, moment: datetime, version: str | None) -> bool:
    version = version or software()
    if failure.kind == HOST:
        return True
    if gave_up(failure, version):
        return False
    if failure.kind in PAGE_KINDS and failure.version != version:
        return True  # the software changed since: worth a try at once
    return moment >= failure.last_failed + retry_after(failure.attempts)


def waiting(
    failures: Iterable[Failure], urls: Iterable[str], moment: datetime | None = None, version: str | None = None
) -> set[str]:
    """Which of `urls` failed before and are not yet due for another try (or were given up)."""
    wanted = set(urls)
    moment = moment or datetime.now(timezone.utc)
    return {f.url for f in failures if f.url in wanted and not _due(f, moment, version)}


def due(failures: Iterable[Failure], moment: datetime | None = None, version: str | None = None) -> list[str]:
    """Failed URLs whose next try is due, oldest failure first."""
    moment = moment or datetime.now(timezone.utc)
    return [f.url for f in sorted(failures, key=lambda f: f.last_failed) if _due(f, moment, version)]


def count_given_up(failures: Iterable[Failure], version: str | None = None) -> int:
    """How many of `failures` are not tried again (see `gave_up`)."""
    return sum(1 for f in failures if gave_up(f, version))


def host_backoff(failed_runs: int, base: float) -> timedelta:
    """How long a host that refused `failed_runs` runs in a row is rested before the next is tried."""
    return min(timedelta(seconds=base) * (1 << max(failed_runs - 1, 0)), HOST_BACKOFF_CAP)
