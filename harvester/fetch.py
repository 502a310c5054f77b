"""Fetch stage: polite HTTP that survives the real web.

One request at a time per host, robots.txt and its Crawl-delay obeyed, and a
host that answers 429/503 is waited for (Retry-After) and slowed down for the
rest of the run. Transient faults are retried with exponential backoff and
jitter; a body is refused before it is read when it is too large or of a type
the caller cannot use, and cut off while streaming when it grows past the limit,
so a video behind an article link cannot stall a run. Compressed bodies are
decoded here, not by httpx, layer by layer in bounded pieces through that same
limit: httpx expands each chunk of every layer in full first, so 3.5 KB of
`gzip, gzip` on the wire became gigabytes before any limit was looked at.

Addresses are checked where the connection is made (`GuardedBackend`): the
address connected to is the one checked, so a DNS answer that changes between
a check and the connection cannot reach the machine's own network, and a host
that does not resolve is an error for the rest of the run, never retried.

Everything that went over the wire is handed to a `record` hook (the archive),
so every exchange can be kept, not just the pages that became readouts.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import random
import re
import socket
import time
import unicodedata
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import httpcore
import httpx
from protego import Protego
from w3lib.encoding import html_to_unicode, http_content_type_encoding, read_bom

from harvester.config import HttpSettings
from harvester.errors import HarvesterError
from harvester.urls import host_of, same_site

# What a readout page may be served as: anything else (a video, a PDF) is refused before its body is read.
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
# A server asking us to come back later than this gets its URL recorded as failed
# instead of holding the whole run.
MAX_RETRY_AFTER = 900.0
# After a 429 or 503 a host's delay doubles, to at least this and at most the cap.
SLOWED_FLOOR = 0.5
SLOWED_CAP = 120.0
# Content codings decoded, and how many may be stacked: servers apply one; two is a
# misconfiguration still worth reading (`gzip, gzip`); more is only ever a bomb.
CODINGS = ("gzip", "x-gzip", "deflate")
MAX_CODINGS = 2
ACCEPT_ENCODING = "gzip, deflate"
# Output of one decompression step: memory per layer stays this small whatever the ratio.
PIECE = 64 * 1024


class FetchError(HarvesterError):
    """A URL that could not be fetched; `reason` is fit to show a person."""

    retryable = False

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class HostUnreachable(FetchError):
    """Refused connection or connect timeout, after retries: the whole host is likely down."""

    retryable = True


class HostUnresolvable(HostUnreachable):
    """The host name does not resolve: asking again within the run only costs time."""

    retryable = False


class TransientError(FetchError):
    """A timeout or a connection broken mid-answer: worth another try later."""

    retryable = True


class HttpStatusError(FetchError):
    def __init__(self, url: str, status: int, detail: str = "") -> None:
        self.status = status
        super().__init__(url, f"HTTP {status}" + (f" ({detail})" if detail else ""))


class HostHeld(HttpStatusError):
    """The host asked us (Retry-After) to come back later than the run can wait: the host is done for this run."""

    def __init__(self, url: str, status: int, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(url, status, f"asked to come back in {seconds:.0f} s")


class Disallowed(FetchError):
    """robots.txt forbids the URL for our User-Agent."""


class RedirectRefused(FetchError):
    """A redirect left the source's hosts, or went round too often."""


class UnfetchableUrl(FetchError):
    """A URL we never ask for: not http(s) (`data:`, `javascript:`, `ftp:`, `file:`), credentials in it,
    control characters or white space, no host, or anything else httpx cannot build a request from."""


class PrivateAddress(FetchError):
    """The host resolves to a loopback, private or otherwise non-public address."""


class TooLarge(FetchError):
    """The body is over `max_bytes`, by its Content-Length or as it streamed in."""


class UnwantedType(FetchError):
    """The response's Content-Type is not one the caller can use; its body was not read."""


class BadEncoding(FetchError):
    """A Content-Encoding that cannot be decoded: unknown, stacked too deep, or corrupt."""


@dataclass(frozen=True)
class Validators:
    """What a previous answer said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


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
    # Why the body is incomplete (WARC-Truncated: "length", "time", "unwanted"), if it is.
    truncated: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Memento:
    """Where a page served from a web archive comes from: provenance a researcher can cite."""

    archived_at: str  # the capture's time, ISO 8601 UTC
    replay_url: str
    digest: str | None = None  # the archive's payload digest of the capture asked for


@dataclass(frozen=True)
class FetchedPage:
    """The final response for a URL, after redirects.

    A page from a web archive keeps its original URLs (`url`, `final_url`), so it is the same
    page as the live one; the exchange is the archive's and `memento` says which capture it was.
    """

    url: str
    final_url: str
    exchange: Exchange
    memento: Memento | None = None

    @property
    def status(self) -> int:
        return self.exchange.status

    @property
    def body(self) -> bytes:
        return self.exchange.body

    @cached_property
    def text(self) -> str:
        """The body decoded, once: every later stage reads this."""
        return decode(self.exchange.body, self.exchange.header("content-type"))


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode as a browser does, then better: a clean reading beats a declared label that yields mojibake.

    As a browser (w3lib's `html_to_unicode`): a byte-order mark, then the header's
    charset, then `<meta charset>`, then detection, with browsers' label aliases
    (iso-8859-1 is windows-1252). Then better: pages in Arabic, Persian and Russian
    are often labelled with a charset they are not in (UTF-8 Persian served as
    ISO-8859-1, windows-1256 Arabic whose `<meta>` says windows-1252), which a
    browser shows, and a store would keep, as mojibake. A UTF-8 reading that is
    valid beats any other label (runs of multi-byte sequences that happen to be
    valid UTF-8 are next to impossible in another encoding), and where the label
    yields runs of Latin-1 mojibake, the reading charset-normalizer prefers wins when
    its letters are those of one non-Latin script. Only a byte-order mark is never
    second-guessed. It never raises: what no reading can decode is replaced.
    """
    declared = http_content_type_encoding(content_type)
    if declared is not None and not _text_encoding(declared):
        content_type = None  # a charset that is no text encoding (punycode, base64) says nothing
    try:
        encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    except (UnicodeError, LookupError, ValueError):  # a <meta charset> that is no text encoding either
        encoding = _detect(body) or "utf-8"
        text = body.decode(encoding, "replace")
    if read_bom(body)[0] is not None:
        return text
    utf8 = codecs.lookup(encoding).name == "utf-8"
    if not utf8 and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if utf8 and "\ufffd" not in text:
        return text
    garbled = _garbled(text)
    if garbled < MOJIBAKE_RUN:
        return text
    try:
        best = charset_normalizer.from_bytes(body).best()
    except (UnicodeError, LookupError, ValueError):
        return text
    if best is None:
        return text
    other = str(best)
    if _garbled(other) * 4 < garbled and _one_script(other):
        return other
    return text


# Characters a wrong single-byte reading produces in runs: Latin-1 letters and signs (but the no-break
# space and guillemets), windows-1252's extras, the replacement character. Alone they are real text (é, ©).
_MOJIBAKE = re.compile("[\u0080-\u009f\u00a1-\u00aa\u00ac-\u00ba\u00bc-\u00ffŒœŠšŸŽžƒˆ˜‘’‚“”„†‡•…‰‹›€™\ufffd]{2,}")
# Characters in such runs before a reading counts as mojibake.
MOJIBAKE_RUN = 8


def _garbled(text: str) -> int:
    """How many characters of `text` stand in runs of suspect ones: what mojibake is made of."""
    return sum(len(run) for run in _MOJIBAKE.findall(text))


def _one_script(text: str) -> bool:
    """Whether the letters beyond ASCII are mostly of one non-Latin script (Arabic, Cyrillic, Greek, Hebrew...)."""
    scripts: dict[str, int] = {}
    for char in text:
        if ord(char) > 0x24F and char.isalpha():
            name = unicodedata.name(char, "").split(" ", 1)[0]
            scripts[name] = scripts.get(name, 0) + 1
    letters = sum(1 for char in text if ord(char) > 0x7F and char.isalpha())
    return bool(scripts) and max(scripts.values()) * 2 > letters


def _text_encoding(name: str) -> bool:
    """Whether `name` is a codec from bytes to text fit for a web page (not punycode, idna, rot13...)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return info._is_text_encoding and info.name not in ("punycode", "idna", "raw-unicode-escape", "unicode-escape")


def _detect(body: bytes) -> str | None:
    """The encoding of a page that declares none: UTF-8 when it is valid, else charset-normalizer's guess."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        best = charset_normalizer.from_bytes(body).best()
    except (UnicodeError, LookupError, ValueError):
        return None
    return best.encoding if best is not None else None


def unfetchable(url: str) -> str | None:
    """Why `url` is not one we fetch, or None when it is."""
    if not url.strip():
        return "an empty URL"
    if any(ord(character) <= 32 or ord(character) == 127 for character in url):
        return "a control character or white space in the URL"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError as error:
        return f"not a valid URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{parts.scheme or 'no'} scheme: only http and https are fetched"
    if parts.username is not None or parts.password is not None:
        return "credentials in the URL"
    if not parts.hostname:
        return "no host in the URL"
    return None


def _shown(url: str) -> str:
    """A URL as one line of a message, however hostile."""
    return repr(url[:200]) if unfetchable(url) else url


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class ContentDecoder:
    """Undoes a response's content codings as its raw bytes arrive, in pieces of at most `PIECE` bytes.

    Each layer inflates at most `PIECE` bytes per step before the next layer (or the caller)
    sees them, so the caller's byte limit applies to the decoded body however deep the
    layers and however steep the ratio, and memory stays a few pieces per layer.
    """

    def __init__(self, url: str, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        unknown = [c for c in codings if c not in CODINGS]
        if unknown:
            raise BadEncoding(url, f"unsupported Content-Encoding: {', '.join(unknown)}")
        if len(codings) > MAX_CODINGS:
            raise BadEncoding(url, f"{len(codings)} stacked content codings (at most {MAX_CODINGS} accepted)")
        self.url = url
        self.codings = codings
        # the last coding applied is the first undone
        self._layers: list[zlib._Decompress | None] = [None] * len(codings)

    def _inflater(self, index: int, first: bytes) -> zlib._Decompress:
        coding = self.codings[len(self.codings) - 1 - index]
        if coding == "deflate":
            # "deflate" is meant to be zlib-wrapped, but servers send it raw too
            wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
            return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces `data` yields; stop iterating at any time and nothing more is inflated."""
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        while data:
            layer = self._layers[index]
            if layer is None:
                layer = self._layers[index] = self._inflater(index, data)
            try:
                out = layer.decompress(data, PIECE)
            except zlib.error as error:
                raise BadEncoding(self.url, f"corrupt {self.codings[-1 - index]} body: {error}") from None
            data = layer.unconsumed_tail
            if layer.eof:
                # concatenated gzip members are one body; anything else after the end is ignored
                rest, self._layers[index] = layer.unused_data, None
                data = data or (rest if rest[:2] == b"\x1f\x8b" else b"")
            yield from self._through(index + 1, out)

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold once the raw body has ended."""
        for index, layer in enumerate(self._layers):
            if layer is not None:
                yield from self._through(index + 1, layer.flush(PIECE))


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global


class AddressRefused(Exception):
    """Raised where a connection is made; the fetcher turns it into `PrivateAddress` or `HostUnresolvable`."""

    def __init__(self, reason: str, *, unresolvable: bool = False) -> None:
        self.reason = reason
        self.unresolvable = unresolvable
        super().__init__(reason)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving each host itself and connecting to the very address it checked.

    A failed lookup is remembered until `forget` (each harvest calls it when it starts): with
    no network, every further URL of the host fails at once instead of waiting for the
    resolver again, and the next run asks afresh.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.AnyIOBackend()
        self._unresolvable: dict[str, str] = {}

    async def _address(self, host: str, port: int) -> str:
        try:
            addresses = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            if host in self._unresolvable:
                raise AddressRefused(self._unresolvable[host], unresolvable=True) from None
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as error:
                self._unresolvable[host] = f"cannot resolve {host}: {getattr(error, 'strerror', None) or error}"
                raise AddressRefused(self._unresolvable[host], unresolvable=True) from None
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
            if not addresses:
                raise AddressRefused(f"cannot resolve {host}: no address", unresolvable=True)
        if not self.allow_private:
            for address in addresses:
                if not is_public(address):
                    raise AddressRefused(f"{host} is a loopback or private address ({address})")
        return str(addresses[0])

    def forget(self) -> None:
        self._unresolvable.clear()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self._address(host, port)
        return await self._inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("unix sockets are never fetched from")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# Requests the Fetcher lets out at once over all hosts; the others wait their turn outside the pools,
# where no timeout runs.
REQUESTS_IN_FLIGHT = 100
# Connections a host's own pool holds, as browsers allow: a paced host's requests come one at a time, but with
# no delay configured a source's pages may overlap, and a request past these waits in the pool, where the
# timeout runs.
HOST_CONNECTIONS = 6
# Hosts whose idle connections are kept open at once: past it the least recently asked are closed, so a
# run over thousands of sources does not hold a socket for each until it ends.
KEPT_HOSTS = 256
# How long an idle connection is kept for its host's next request (the per-host delay is shorter).
KEEPALIVE_SECONDS = 5.0


class HostPools(httpx.AsyncBaseTransport):
    """httpx's transport with a small connection pool of its own for each origin, built on `backend`.

    One pool for every host rescans all its connections on each change, and httpcore 1.0 closes
    every idle connection once the pool holds more than its keep-alive allowance in all (it counts
    every connection, not the idle ones): past a few dozen hosts no connection was reused and each
    request paid for a new one. A host's own pool keeps its connection between its paced requests.
    httpx has no parameter for a network backend, so each pool it builds is replaced by one with
    our limits and backend.
    """

    def __init__(self, backend: GuardedBackend, kept_hosts: int = KEPT_HOSTS) -> None:
        self._backend = backend
        self._kept_hosts = kept_hosts
        self._ssl_context = httpx.create_ssl_context()
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], tuple[httpx.AsyncHTTPTransport, httpcore.AsyncConnectionPool]] = OrderedDict()

    def _transport(self) -> tuple[httpx.AsyncHTTPTransport, httpcore.AsyncConnectionPool]:
        # the one TLS context for every host: building one reads the CA bundle (milliseconds each)
        transport = httpx.AsyncHTTPTransport(verify=self._ssl_context)
        pool = httpcore.AsyncConnectionPool(
            ssl_context=self._ssl_context,
            max_connections=HOST_CONNECTIONS,
            max_keepalive_connections=HOST_CONNECTIONS,
            keepalive_expiry=KEEPALIVE_SECONDS,
            network_backend=self._backend,
        )
        transport._pool = pool
        return transport, pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        closing = []
        if origin not in self._pools:
            self._pools[origin] = self._transport()
            closing = self._idle_past_the_limit(origin)
        self._pools.move_to_end(origin)
        transport, _ = self._pools[origin]
        try:
            # the request is in its pool before anything here waits, so no sweep finds that pool idle meanwhile
            return await transport.handle_async_request(request)
        finally:
            for idle in closing:
                await idle.aclose()

    def _idle_past_the_limit(self, asked: tuple[bytes, bytes, int | None]) -> list[httpx.AsyncHTTPTransport]:
        """The pools, least recently asked first, taken out until no more than `kept_hosts` are kept; only
        pools with nothing in flight (a request in flight holds a connection that is not idle)."""
        idle = []
        for origin, (transport, pool) in list(self._pools.items()):
            if len(self._pools) <= self._kept_hosts:
                break
            if origin != asked and all(connection.is_idle() for connection in pool.connections):
                del self._pools[origin]
                idle.append(transport)
        return idle

    async def aclose(self) -> None:
        pools, self._pools = self._pools, OrderedDict()
        for transport, _ in pools.values():
            await transport.aclose()


# Answers that speak for a whole host, not for the URL asked: a wall, a rate limit, an overload.
HOST_STATUSES = (403, 429, 503)
# Host-wide faults in a row on one host that open its breaker for the rest of the run.
BREAKER_THRESHOLD = 3


def host_wide(error: FetchError) -> bool:
    """Whether `error` says something about the host rather than the URL: it must not count against the URL."""
    if isinstance(error, HostUnreachable | TransientError | HostHeld):
        return True
    return isinstance(error, HttpStatusError) and error.status in HOST_STATUSES


class HostBreaker:
    """Per run: a host that answers `threshold` host-wide faults in a row is asked nothing more.

    A success resets the count; an unreachable host or a long Retry-After opens the breaker at once.
    """

    def __init__(self, threshold: int = BREAKER_THRESHOLD) -> None:
        self.threshold = threshold
        self._streak: dict[str, list[str]] = defaultdict(list)
        self.opened: dict[str, str] = {}  # host -> why
        self.held: dict[str, float] = {}  # host -> seconds its Retry-After asked for, past what a run waits
        self.answered: set[str] = set()  # hosts that gave at least one good answer this run

    def why(self, host: str) -> str | None:
        return self.opened.get(host)

    def open(self, host: str, reason: str) -> None:
        self.opened.setdefault(host, reason)

    def fault(self, host: str, error: FetchError) -> None:
        streak = self._streak[host]
        streak.append(error.reason)
        if isinstance(error, HostHeld):
            self.held[host] = max(error.seconds, self.held.get(host, 0.0))
        if isinstance(error, HostUnreachable | HostHeld):
            self.open(host, error.reason)
        elif len(streak) >= self.threshold:
            self.open(host, f"{len(streak)} host-wide faults in a row (last: {error.reason})")

    def success(self, host: str) -> None:
        self._streak[host].clear()
        self.answered.add(host)


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

    def hold(self, host: str, seconds: float) -> None:
        """No request to `host` for `seconds` from now, whoever asks (Retry-After is per host)."""
        self._ready_at[host] = max(self._ready_at.get(host, 0.0), time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        async with self._locks[host]:
            wait = self._ready_at.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._ready_at[host] = max(self._ready_at.get(host, 0.0), time.monotonic() + self.delay(host))


class Fetcher:
    """An HTTP client that behaves as a guest: honest User-Agent, robots.txt, per-host pace."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        record: Callable[[Exchange], str | None] | None = None,
        connections: int = REQUESTS_IN_FLIGHT,
    ) -> None:
        """`connections`: how many requests may be out at once over all hosts (each host has one at a time)."""
        self.settings = settings
        self.pacer = HostPacer(settings.delay, settings.host_delays)
        self._record = record
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.network = GuardedBackend(settings.allow_private)
        self._client: httpx.AsyncClient | None = None
        # a request waits here, not in the pool's queue, and its timeout starts once it has a connection
        self._in_flight = asyncio.Semaphore(connections)

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=self.settings.timeout,
            follow_redirects=False,
            transport=HostPools(self.network),
            event_hooks={"response": [_refuse_bad_location]},
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(
        self,
        url: str,
        allowed_hosts: frozenset[str],
        *,
        validators: Validators | None = None,
        accept: Collection[str] | None = None,
        redirect: Callable[[str, str], str] | None = None,
    ) -> FetchedPage:
        """GET `url`, following redirects only within `allowed_hosts`.

        With `validators` the request is conditional and a 304 comes back as a
        page (with no body) instead of an error. With `accept`, a final answer
        of another Content-Type raises `UnwantedType` before its body is read.
        `redirect(answered_url, location)` decides where a redirect leads (a web
        archive maps a captured redirect to the capture of its target) or raises
        `RedirectRefused`. Raises a `FetchError` subclass for anything else but a
        2xx final answer.
        """
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            why = unfetchable(current)
            if why is not None:
                raise UnfetchableUrl(url, f"redirect to {_shown(current)}: {why}" if hop else why)
            host = host_of(current)
            if not same_site(host, allowed_hosts):
                raise RedirectRefused(url, f"redirect to another host: {current}")
            await self.check_robots(current)
            conditional = validators.headers() if validators is not None and hop == 0 else {}
            exchange = await self._attempts(current, conditional, accept)
            if exchange.status in REDIRECTS:
                location = exchange.header("location") or ""
                if not location.strip():
                    raise RedirectRefused(url, f"HTTP {exchange.status} redirect without a Location")
                try:
                    current = redirect(current, location) if redirect else urljoin(current, location)
                except ValueError as error:
                    raise UnfetchableUrl(url, f"redirect to {_shown(location)}: not a valid URL ({error})") from None
                continue
            if exchange.status == 304 and conditional:
                return FetchedPage(url=url, final_url=current, exchange=exchange)
            if exchange.status >= 300:
                raise HttpStatusError(current, exchange.status)
            return FetchedPage(url=url, final_url=current, exchange=exchange)
        raise RedirectRefused(url, f"more than {MAX_REDIRECTS} redirects")

    async def _attempts(
        self, url: str, headers: Mapping[str, str], accept: Collection[str] | None
    ) -> Exchange:
        """One exchange, tried again on transient faults; the last answer or error wins."""
        host = host_of(url)
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            backoff = self.settings.backoff * 2**attempt * random.uniform(0.5, 1.5)
            try:
                exchange = await self._exchange(url, headers, accept)
            except FetchError as error:
                if not error.retryable or last:
                    raise
                await asyncio.sleep(backoff)
                continue
            if exchange.status not in (429, 500, 502, 503, 504):
                return exchange
            if exchange.status in (429, 503):
                self.pacer.slow_down(host, min(max(self.pacer.delay(host) * 2, SLOWED_FLOOR), SLOWED_CAP))
                wait = retry_after(exchange.header("retry-after"))
                if wait is not None:
                    if wait > MAX_RETRY_AFTER:
                        raise HostHeld(url, exchange.status, wait)
                    self.pacer.hold(host, wait)
                    backoff = 0.0
            if last:
                return exchange
            await asyncio.sleep(backoff)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _exchange(self, url: str, headers: Mapping[str, str], accept: Collection[str] | None) -> Exchange:
        assert self._client is not None, "use Fetcher as an async context manager"
        host = host_of(url)
        async with self.pacer.turn(host):
            try:
                request = self._client.build_request("GET", url, headers=dict(headers))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as cause:
                raise UnfetchableUrl(url, f"not a URL httpx can request: {cause}") from None
            try:
                async with self._in_flight, asyncio.timeout(self.settings.timeout):
                    exchange, error = await self._receive(url, request, accept)
            except AddressRefused as refused:
                if refused.unresolvable:
                    raise HostUnresolvable(url, refused.reason) from None
                raise PrivateAddress(url, f"{refused.reason}; set allow_private = true in [http] to allow it") from None
            except (httpx.ConnectError, httpx.ConnectTimeout) as cause:
                raise HostUnreachable(url, f"cannot connect to {host}: {str(cause) or type(cause).__name__}") from None
            except (TimeoutError, httpx.TimeoutException):
                raise TransientError(url, f"timed out after {self.settings.timeout:g} s") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as cause:
                raise TransientError(url, f"connection broken: {str(cause) or type(cause).__name__}") from None
            except httpx.HTTPError as cause:
                raise FetchError(url, f"{type(cause).__name__}: {cause}") from None
            except httpx.InvalidURL as cause:
                raise UnfetchableUrl(url, f"an answer httpx cannot take: {cause}") from None
        if self._record is not None:
            exchange = replace(exchange, archived_at=self._record(exchange))
        if error is not None:
            raise error
        return exchange

    async def _receive(
        self, url: str, request: httpx.Request, accept: Collection[str] | None
    ) -> tuple[Exchange, FetchError | None]:
        """The response, its body read only as far as the limits allow; the refusal, if any."""
        assert self._client is not None
        response = await self._client.send(request, stream=True)
        try:
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
                body=b"",
                fetched_at=datetime.now(timezone.utc),
            )
            limit = self.settings.max_bytes
            length = response.headers.get("content-length", "")
            if accept is not None and 200 <= response.status_code < 300 and exchange.content_type not in accept:
                kind = exchange.content_type or "no Content-Type"
                refusal: FetchError = UnwantedType(url, f"unwanted content type: {kind}")
                return replace(exchange, truncated="unwanted"), refusal
            if length.isdigit() and int(length) > limit:
                return replace(exchange, truncated="length"), TooLarge(
                    url, f"body of {int(length):,} bytes is over the {limit:,} byte limit"
                )
            packed = response.headers.get("content-encoding")
            chunks: list[bytes] = []
            size = yielded = 0
            try:
                decoder = ContentDecoder(url, packed)
                async for raw in response.aiter_raw():
                    for piece in decoder.feed(raw):
                        size += len(piece)
                        if size > limit:
                            how = f" once decompressed ({packed})" if packed else ""
                            refusal = TooLarge(url, f"body grew over the {limit:,} byte limit{how}")
                            return replace(exchange, body=b"".join(chunks), truncated="length"), refusal
                        chunks.append(piece)
                    if size - yielded >= PIECE:
                        # a steep ratio must not hold the other sources' requests; a small page does not
                        # wait a turn of the loop for nothing (at a thousand hosts, each turn is long)
                        yielded = size
                        await asyncio.sleep(0)
                for piece in decoder.finish():
                    size += len(piece)
                    if size > limit:
                        refusal = TooLarge(url, f"body grew over the {limit:,} byte limit once decompressed ({packed})")
                        return replace(exchange, body=b"".join(chunks), truncated="length"), refusal
                    chunks.append(piece)
            except BadEncoding as bad:
                return replace(exchange, body=b"".join(chunks), truncated="unwanted"), bad
            return replace(exchange, body=b"".join(chunks)), None
        finally:
            await response.aclose()

    async def check_robots(self, url: str) -> None:
        """Raise `Disallowed` when the site's robots.txt forbids `url`, `HostUnreachable` when the site is down."""
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

    async def sitemaps(self, robots_url: str) -> tuple[str, ...]:
        """The sitemaps a site's robots.txt names in its `Sitemap:` lines (read once per run, as for its rules)."""
        await self.check_robots(robots_url)
        rules = self._robots[host_of(robots_url)]
        return tuple(rules.sitemaps) if rules is not None else ()

    async def _load_robots(self, robots_url: str) -> Protego | None:
        """None means no rules: a missing robots.txt allows everything.

        Redirects are followed as RFC 9309 asks (up to `MAX_REDIRECTS`), under the rules of
        any other redirect: within the site (`www.` and https included), to public addresses.
        A 4xx allows everything; a 5xx, a 429, a redirect that cannot be followed or a
        robots.txt too large to read disallows the site for the run: its rules are unknown.
        """
        site = frozenset({host_of(robots_url)})
        current = robots_url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                exchange = await self._attempts(current, {}, None)
            except (TooLarge, BadEncoding):
                return DISALLOW_ALL
            if exchange.status in REDIRECTS and exchange.header("location"):
                try:
                    current = urljoin(current, exchange.header("location") or "")
                except ValueError:
                    return DISALLOW_ALL
                if unfetchable(current) or not same_site(host_of(current), site):
                    return DISALLOW_ALL
                continue
            if exchange.status >= 500 or exchange.status == 429:
                return DISALLOW_ALL
            if exchange.status >= 300:
                return None
            return Protego.parse(decode(exchange.body, exchange.header("content-type")))
        return DISALLOW_ALL


async def _refuse_bad_location(response: httpx.Response) -> None:
    """Refuse a redirect to a URL we never fetch, saying where it pointed.

    httpx builds the next request of every redirect, even one it is not to follow, and raises
    `InvalidURL` on a Location it cannot build one from (`data:…`): this hook runs first.
    """
    location = response.headers.get("location", "")
    if response.status_code not in REDIRECTS or not location.strip():
        return
    asked = str(response.request.url)
    try:
        target = urljoin(asked, location)
    except ValueError as error:
        raise UnfetchableUrl(asked, f"redirect to {_shown(location)}: not a valid URL ({error})") from None
    why = unfetchable(target)
    if why is not None:
        raise UnfetchableUrl(asked, f"redirect to {_shown(target)}: {why}")


# RFC 9309: a robots.txt that cannot be read means the whole site is off limits for now.
DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")
