"""Each concern of the store on its own, in-process: runs and failures, host health, walk positions and the HTTP
cache, readouts and their archive captures. The harvest tests cover them end to end; these pin each operation."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from harvester.extract import Readout
from harvester.fetch import Exchange, FetchedPage, Memento
from harvester.store import Revision, RunCounts, Store, StoreUnavailable, WalkPosition

SOURCE = "example"
NOON = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "readouts.db") as store:
        store.db.table("sources").insert({"name": SOURCE, "title": "Example", "home": "https://example.org/", "language": "en"})
        yield store


def page(url: str, *, headers: tuple[tuple[str, str], ...] = (), archived_at: str | None = "corpus.warc.gz:0",
         status: int = 200, memento: Memento | None = None) -> FetchedPage:
    exchange = Exchange(url, "GET", (), status, "OK", "HTTP/1.1", headers, b"<html></html>", NOON, archived_at)
    return FetchedPage(url, url, exchange, memento)


def readout(url: str, text: str) -> Readout:
    return Readout(url, "Talks", None, None, "2024-05-01", "en", (), text, "configured")


# --- runs, failures, host health ---------------------------------------------------------


def test_a_run_left_running_is_closed_by_the_next(store: Store) -> None:
    left = store.start_run(SOURCE)
    assert store.close_stale_runs(SOURCE) == 1
    finished = store.start_run(SOURCE)
    store.finish_run(finished, "ok", RunCounts(listing_pages=2, new_readouts=1))
    rows = store.db.execute("select id, status, listing_pages, new_readouts from runs order by id").fetchall()
    assert rows == [(left, "failed", 0, 0), (finished, "ok", 2, 1)]
    assert set(store.last_runs()) == {SOURCE}


def test_failures_count_attempts_and_retry_soon_makes_them_due(store: Store) -> None:
    url = "https://example.org/news/1"
    store.record_failure(SOURCE, url, "HTTP 500", "http")
    store.record_failure(SOURCE, url, "HTTP 502", "http")
    (failure,) = store.failures(SOURCE)
    assert (failure.url, failure.error, failure.attempts, failure.kind, failure.source) == (url, "HTTP 502", 2, "http", SOURCE)
    assert store.failures("another") == []
    assert store.retry_soon([url, "https://example.org/never-failed"]) == 1
    (failure,) = store.failures()
    assert failure.attempts == 1 and failure.last_failed.year == 1970  # stored as 0 attempts, read as one


def test_a_host_that_answers_again_starts_over(store: Store) -> None:
    until = NOON + timedelta(hours=1)
    store.host_failed(SOURCE, "example.org", "HTTP 429", until)
    store.host_failed(SOURCE, "example.org", "HTTP 403", until)
    health = store.host_health(SOURCE)["example.org"]
    assert (health.failed_runs, health.backoff_until, health.last_error) == (2, until, "HTTP 403")
    store.host_ok(SOURCE, "example.org")
    health = store.host_health(SOURCE)["example.org"]
    assert (health.failed_runs, health.backoff_until) == (0, None)


# --- walk positions, the HTTP cache ------------------------------------------------------


def test_a_walk_position_is_kept_until_cleared(store: Store) -> None:
    start = "https://example.org/news"
    assert store.position(SOURCE, start) is None
    store.set_position(SOURCE, start, WalkPosition(f"{start}?page=3", 3))
    assert store.position(SOURCE, start) == WalkPosition(f"{start}?page=3", 3)
    store.set_position(SOURCE, start, None)
    assert store.position(SOURCE, start) is None


def test_only_an_archived_200_with_validators_is_cached(store: Store) -> None:
    tagged = (("ETag", '"v1"'),)
    store.remember(SOURCE, page("https://example.org/a", headers=tagged))
    store.remember(SOURCE, page("https://example.org/b"))  # no validators
    store.remember(SOURCE, page("https://example.org/c", headers=tagged, archived_at=None))  # body not archived
    store.remember(SOURCE, page("https://example.org/d", headers=tagged, status=203))
    cached = store.cached("https://example.org/a")
    assert cached is not None and (cached.validators.etag, cached.archive) == ('"v1"', "corpus.warc.gz:0")
    assert [store.cached(f"https://example.org/{name}") for name in "bcd"] == [None, None, None]


# --- readouts and their archive captures -------------------------------------------------


def test_a_readout_stored_again_is_revised_not_duplicated(store: Store) -> None:
    url = "https://example.org/news/1"
    first = store.save_readout(SOURCE, page(url), readout(url, "The ministers met in Geneva on Tuesday."))
    same = store.save_readout(SOURCE, page(url), readout(url, "The ministers met in Geneva on Tuesday."))
    changed = store.save_readout(SOURCE, page(url), readout(url, "The ministers met in Vienna on Tuesday."))
    assert first.changed and not same.changed and changed.changed
    assert first.readout_id == same.readout_id == changed.readout_id
    assert store.known([url, "https://example.org/news/2"], SOURCE) == {url}
    assert store.identity_counts()["unique"] == 1


def test_a_capture_is_held_once_stored_and_an_older_text_becomes_a_version(store: Store) -> None:
    url = "https://example.org/news/1"
    newer = Memento("2024-05-02T00:00:00+00:00", "https://archive.example/2/" + url, digest="NEWER")
    older = Memento("2024-05-01T00:00:00+00:00", "https://archive.example/1/" + url, digest="OLDER")
    store.save_readout(SOURCE, page(url, memento=newer), readout(url, "The ministers met in Vienna."))
    assert store.capture_digests(url, SOURCE) == {"NEWER"}
    assert store.readout_moment(url, SOURCE) == newer.archived_at

    assert store.add_version(SOURCE, page(url, memento=older), readout(url, "The ministers met in Geneva."), newer.archived_at)
    assert not store.add_version(SOURCE, page(url, memento=older), readout(url, "The ministers met in Geneva."), newer.archived_at)
    assert store.capture_digests(url, SOURCE) == {"NEWER", "OLDER"}
    versions = store.db.execute("select text, via, superseded_at from readout_versions").fetchall()
    assert versions == [("The ministers met in Geneva.", "wayback", newer.archived_at)]
    with pytest.raises(LookupError):
        store.add_version(SOURCE, page("https://example.org/news/9", memento=older), readout(url, "x"), "")


# --- writes queued for a batch -------------------------------------------------------------


def committed_urls(store: Store) -> set[str]:
    """The readout URLs another connection sees: what is on disk, not what this one has pending."""
    with sqlite3.connect(store.path) as other:
        return {url for (url,) in other.execute("select url from readouts")}


def saving(store: Store, url: str, text: str) -> Callable[[], Revision]:
    return lambda: store.save_readout(SOURCE, page(url), readout(url, text))


def test_queued_readouts_reach_the_disk_together_and_each_hears_its_revision(store: Store) -> None:
    heard: list[object] = []
    urls = [f"https://example.org/news/{n}" for n in range(3)]
    for n, url in enumerate(urls):
        store.later(saving(store, url, f"Talks number {n} in Oslo."), heard.append)
    assert committed_urls(store) == set() and heard == []
    store.flush()
    assert committed_urls(store) == set(urls)
    assert [type(outcome) for outcome in heard] == [Revision] * 3


def test_a_write_of_its_own_commits_what_was_queued_before_it(store: Store) -> None:
    """A walk position saved after a readout was queued must never reach the disk without that readout."""
    url = "https://example.org/news/1"
    store.later(saving(store, url, "The ministers met in Rome."))
    store.set_position(SOURCE, "https://example.org/news", WalkPosition("https://example.org/news/page/2", 2))
    assert committed_urls(store) == {url}


def test_a_queued_write_that_fails_alone_is_rolled_back_alone(store: Store) -> None:
    heard: list[object] = []
    good = "https://example.org/news/1"

    def half_then_fail() -> None:
        store.record_failure(SOURCE, "https://example.org/news/2", "HTTP 500", "http")
        raise ValueError("the identity step choked")

    store.later(half_then_fail, heard.append)
    store.later(saving(store, good, "The ministers met in Rome."), heard.append)
    store.flush()
    assert isinstance(heard[0], ValueError) and isinstance(heard[1], Revision)
    assert committed_urls(store) == {good} and store.failures(SOURCE) == []


def test_a_batch_the_disk_has_no_room_for_fails_whole_and_every_write_hears_it(store: Store) -> None:
    heard: list[object] = []
    (pages,) = store.db.execute("pragma page_count").fetchone()
    store.db.execute(f"pragma max_page_count = {pages}")
    for n in range(20):
        url = f"https://example.org/news/{n}"
        store.later(saving(store, url, "Talks in Oslo. " * 400), heard.append)
    with pytest.raises(StoreUnavailable, match="the disk is full"):
        store.flush()
    assert len(heard) == 20 and all(isinstance(outcome, StoreUnavailable) for outcome in heard)
    assert committed_urls(store) == set()
