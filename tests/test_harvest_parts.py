"""The harvest's units on their own, in-process: when a failed live request is taken from the web archive.
The harvest tests cover the walks and the pipeline end to end, against local sites."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from harvester.config import load_config
from harvester.fetch import FetchError, Fetcher, HostUnreachable, HttpStatusError, RedirectRefused, TooLarge
from harvester.harvest.fallback import FALLBACK_STATUSES, LiveOrArchive
from harvester.store import Store

CONFIG = Path(__file__).parent.parent / "config"
URL = "https://example.org/news/1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "readouts.db") as store:
        yield store


def origin(store: Store, via: str, said: list[str]) -> LiveOrArchive:
    config = load_config(CONFIG)
    source = replace(config.sources[0], via=via)
    return LiveOrArchive(
        source, Fetcher(config.settings.http), store, source.discover, lambda name, message: said.append(message),
        archive=config.settings.archive, wayback=None,
    )


@pytest.mark.parametrize("status", FALLBACK_STATUSES)
def test_a_fallback_source_takes_a_refused_page_from_the_archive(store: Store, status: int) -> None:
    site = origin(store, "fallback", [])
    assert site.falls_back(HttpStatusError(URL, status)) and not site.archive_only


@pytest.mark.parametrize("error", [HttpStatusError(URL, 500), HttpStatusError(URL, 429), TooLarge(URL, "too large")])
def test_a_fallback_source_keeps_to_the_site_for_other_failures(store: Store, error: FetchError) -> None:
    assert not origin(store, "fallback", []).falls_back(error)


def test_a_fallback_source_reads_only_the_archive_once_the_site_is_unreachable(store: Store) -> None:
    said: list[str] = []
    site = origin(store, "fallback", said)
    assert site.falls_back(RedirectRefused(URL, "redirected off the source's hosts")) and not site.archive_only
    assert site.falls_back(HostUnreachable(URL, "connection refused")) and site.archive_only
    assert said == ["connection refused: reading the web archive instead for the rest of the run"]


@pytest.mark.parametrize("via", ["live", "wayback"])
def test_other_sources_never_fall_back(store: Store, via: str) -> None:
    site = origin(store, via, [])
    assert site.archive_only == (via == "wayback")
    assert not site.falls_back(HostUnreachable(URL, "connection refused"))
    assert not site.falls_back(HttpStatusError(URL, 404))
