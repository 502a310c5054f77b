"""Soft 404s: a host that answers any URL at all with a page, whose error page must not be stored as a readout."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from harvester import pagework
from harvester.config import SourceConfig
from harvester.extract import Readout, SourceProfile
from harvester.extract.pagetype import answer_fingerprint
from harvester.fetch import HTML_TYPES, FetchError, Fetcher
from harvester.pagework import PageError, PageWorker
from harvester.urls import host_of


class SoftNotFound:
    """Each host is asked once per run for a URL that cannot exist (as archive crawlers do); its answer, if a page,
    is fingerprinted, and a readout with the same fingerprint is that error page."""

    def __init__(self, source: SourceConfig, fetcher: Fetcher, worker: PageWorker) -> None:
        self.source = source
        self.fetcher = fetcher
        self.worker = worker
        # per host: the fingerprint of its answer to a URL that cannot exist, when that answer is a page
        self._fingerprints: dict[str, str | None] = {}

    def asked(self, url: str) -> bool:
        """Whether the URL's host has been asked already: until it has, reading one of its pages asks it."""
        return host_of(url) in self._fingerprints

    async def answers_anything(self, url: str, readout: Readout, profile: SourceProfile) -> bool:
        """Whether the readout is what its host answers to any URL at all."""
        host = host_of(url)
        if host not in self._fingerprints:
            self._fingerprints[host] = await self._not_found_fingerprint(url, profile)
        fingerprint = self._fingerprints[host]
        return fingerprint is not None and fingerprint == answer_fingerprint(readout.title, readout.text, url)

    async def _not_found_fingerprint(self, url: str, profile: SourceProfile) -> str | None:
        parts = urlsplit(url)
        probe = f"{parts.scheme}://{parts.netloc}/{uuid.uuid4().hex}-no-such-page"
        try:
            page = await self.fetcher.get(probe, self.source.hosts, accept=HTML_TYPES)
            answer = await self.worker.run(
                pagework.read_readout, page.body, page.exchange.header("content-type"), probe,
                self.source.extract, self.source.language, profile, None,
            )
        except (FetchError, PageError):
            return None  # a real 404 (or no answer): this host's error pages say so themselves
        if not answer.page_type or not answer.text:
            return None  # the page-type step knows that page for what it is
        return answer_fingerprint(answer.title, answer.text, probe)
