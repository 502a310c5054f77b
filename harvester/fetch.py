"""Fetch stage: polite HTTP. One request at a time per host, robots.txt obeyed.

Everything that went over the wire is handed to a `record` hook (the archive),
so every exchange can be kept, not just the pages that became readouts.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import httpx
from protego import Protego

from harvester.config import HttpSettings

MAX_REDIRECTS = 5
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


class FetchError(Exception):
    """A URL that could not be fetched; `reason` is fit to show a person."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class HostUnreachable(FetchError):
    """DNS failure, refused connection or timeout: the whole host is likely down."""


class HttpStatusError(FetchError):
    def __init__(self, url: str, status: int) -> None:
        self.status = status
        super().__init__(url, f"HTTP {status}")


class Disallowed(FetchError):
    """robots.txt forbids the URL for our User-Agent."""


class RedirectRefused(FetchError):
    """A redirect left the source's hosts, or went round too often."""


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as sent and received."""

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    archived_at: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class FetchedPage:
    """The final response for a URL, after redirects."""

    url: str
    final_url: str
    exchange: Exchange

    @property
    def status(self) -> int:
        return self.exchange.status

    @property
    def body(self) -> bytes:
        return self.exchange.body

    @property
    def text(self) -> str:
        return decode(self.exchange.body, self.exchange.header("content-type"))


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode by the header's charset, then `<meta charset>`, then by detection."""
    candidates = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'"))
    match = META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(body).best()
        return str(best) if best is not None else body.decode("utf-8", "replace")


def host_of(url: str) -> str:
    """The politeness key of a URL: its host and port, lower-case."""
    return urlsplit(url).netloc.lower()


def same_site(host: str, allowed: frozenset[str]) -> bool:
    """`www.` is the same site as the bare host: sites redirect between them freely."""
    bare = host.removeprefix("www.")
    return any(bare == other.removeprefix("www.") for other in allowed)


class HostPacer:
    """Serialises requests per host, with at least `delay` seconds between them."""

    def __init__(self, default_delay: float, host_delays: Mapping[str, float] | None = None) -> None:
        self.default_delay = default_delay
        self._delays: dict[str, float] = dict(host_delays or {})
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._ready_at: dict[str, float] = {}

    def delay(self, host: str) -> float:
        return self._delays.get(host, self.default_delay)

    def slow_down(self, host: str, delay: float) -> None:
        """Raise a host's delay; a delay is never lowered below what it was set to."""
        self._delays[host] = max(delay, self.delay(host))

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        async with self._locks[host]:
            wait = self._ready_at.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._ready_at[host] = time.monotonic() + self.delay(host)


class Fetcher:
    """An HTTP client that behaves as a guest: honest User-Agent, robots.txt, per-host pace."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        record: Callable[[Exchange], str | None] | None = None,
    ) -> None:
        self.settings = settings
        self.pacer = HostPacer(settings.delay, settings.host_delays)
        self._record = record
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._client: httpx.AsyncClient | None = None
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.settings.user_agent},
            timeout=self.settings.timeout,
            follow_redirects=False,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, allowed_hosts: frozenset[str]) -> FetchedPage:
        """GET `url`, following redirects only within `allowed_hosts`.

        Raises a `FetchError` subclass for anything but a 2xx final answer.
        """
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            host = host_of(current)
            if not same_site(host, allowed_hosts):
                raise RedirectRefused(url, f"redirect to another host: {current}")
            await self._check_robots(current)
            exchange = await self._exchange(current)
            if exchange.status in (301, 302, 303, 307, 308) and exchange.header("location"):
                current = urljoin(current, exchange.header("location") or "")
                continue
            if exchange.status >= 400:
                raise HttpStatusError(current, exchange.status)
            return FetchedPage(url=url, final_url=current, exchange=exchange)
        raise RedirectRefused(url, f"more than {MAX_REDIRECTS} redirects")

    async def _exchange(self, url: str) -> Exchange:
        assert self._client is not None, "use Fetcher as an async context manager"
        host = host_of(url)
        async with self.pacer.turn(host):
            request = self._client.build_request("GET", url)
            self.requests += 1
            try:
                response = await self._client.send(request)
            except httpx.TimeoutException:
                raise HostUnreachable(url, f"timed out after {self.settings.timeout:g} s") from None
            except httpx.ConnectError as error:
                raise HostUnreachable(url, f"cannot connect to {host}: {error}") from None
            except httpx.HTTPError as error:
                raise FetchError(url, f"{type(error).__name__}: {error}") from None
        exchange = Exchange(
            url=url,
            method="GET",
            request_headers=tuple(request.headers.items()),
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=tuple(
                (key, value)
                for key, value in response.headers.items()
                # the body we keep is decoded, so its transfer headers no longer apply
                if key.lower() not in ("content-encoding", "transfer-encoding", "content-length")
            ),
            body=response.content,
            fetched_at=datetime.now(timezone.utc),
        )
        if self._record is not None:
            exchange = replace(exchange, archived_at=self._record(exchange))
        return exchange

    async def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        async with self._robots_locks[host]:
            if host not in self._robots:
                self._robots[host] = await self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
                rules = self._robots[host]
                if rules is not None:
                    crawl_delay = rules.crawl_delay(self.settings.user_agent)
                    if crawl_delay:
                        self.pacer.slow_down(host, float(crawl_delay))
        rules = self._robots[host]
        if rules is not None and not rules.can_fetch(url, self.settings.user_agent):
            raise Disallowed(url, "disallowed by robots.txt")

    async def _load_robots(self, robots_url: str) -> Protego | None:
        """None means no rules: a missing robots.txt allows everything."""
        exchange = await self._exchange(robots_url)
        if exchange.status >= 500:
            # RFC 9309: an unreachable robots.txt means the whole site is off limits for now
            return Protego.parse("User-agent: *\nDisallow: /\n")
        if exchange.status >= 300:
            return None
        return Protego.parse(decode(exchange.body, exchange.header("content-type")))
