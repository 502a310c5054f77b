"""Web archives: readout URLs from a CDX index, pages from raw (`id_`) captures.

Many readouts can no longer be fetched from the live web: the site is gone, or
it turns scripted clients away. Web archives (the Internet Archive's Wayback
Machine, or any pywb archive) hold them with a capture time, which is also
provenance a researcher can cite.

- **Discovery**: a CDX prefix query lists every capture under a URL prefix in a
  few requests, where the site's own listing would take hundreds of pages. Two
  answer formats are read: the Internet Archive's `output=json` (an array of
  rows whose first row names the fields, and a resume key after an empty row
  when there is more) and pywb's (one JSON object per line).
- **Captures** are fetched through the same `Fetcher` as live pages, so the
  same guards apply (size before reading, content type, redirect limits) and
  every exchange reaches the WARC archive. A redirect to another capture of the
  same URL is the archive finding the nearest capture; a captured redirect is
  followed to the capture of its target, on the source's own hosts only.
- **Politeness**: the archive's hosts get their own pace (`[wayback] delay`, and
  the Fetcher's 429/Retry-After handling); the original site's robots.txt is
  honoured while the site answers, and its archived robots.txt once it does not.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from protego import Protego

from harvester.config import DiscoverConfig, HttpSettings, WaybackSettings
from harvester.discover import readout_url
from harvester.fetch import (
    Disallowed,
    FetchedPage,
    FetchError,
    Fetcher,
    HostUnreachable,
    HttpStatusError,
    Memento,
    RedirectRefused,
    decode,
)
from harvester.urls import host_of, same_site, url_key

HTML_MIMES = ("text/html", "application/xhtml+xml")
# Captures asked for per CDX answer; the Internet Archive pages on with a resume key.
PAGE_ROWS = 5000
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = ("301", "302", "303", "307", "308")


class CdxError(FetchError):
    """A CDX answer that cannot be read."""


@dataclass(frozen=True)
class Capture:
    """One line of a CDX index: a URL as the archive saw it at one moment."""

    urlkey: str
    timestamp: str  # yyyyMMddhhmmss
    original: str
    mime: str
    status: str
    digest: str

    @property
    def archived_at(self) -> str:
        """The capture time, ISO 8601 UTC."""
        return _iso(self.timestamp)

    @property
    def usable(self) -> bool:
        """An HTML page, or a redirect (a moved article): never an error page, whatever its text."""
        return (self.status == "200" and self.mime in HTML_MIMES) or self.status in REDIRECT_STATUSES

    @property
    def url(self) -> str:
        """The original URL without a default port (old captures carry `:80`)."""
        parts = urlsplit(self.original)
        if parts.port and parts.port == DEFAULT_PORTS.get(parts.scheme):
            parts = parts._replace(netloc=(parts.hostname or ""))
        return urlunsplit(parts)


@dataclass(frozen=True)
class CdxAnswer:
    captures: tuple[Capture, ...]
    resume_key: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")


def period_end(bound: str) -> str:
    """The last second of the year, month, day (or shorter timestamp) that CDX digits name."""
    year, month, day = int(bound[:4]), int(bound[4:6] or 12), bound[6:8]
    last_day = day or str(calendar.monthrange(year, month)[1])
    return (f"{year:04d}{month:02d}{int(last_day):02d}" + bound[8:] + "235959"[len(bound[8:]) :])[:14]


def _iso(timestamp: str) -> str:
    moment = datetime.strptime(timestamp.ljust(14, "0")[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _capture(fields: dict[str, str], url: str) -> Capture:
    try:
        return Capture(
            urlkey=fields["urlkey"],
            timestamp=fields["timestamp"],
            original=fields.get("original") or fields["url"],
            mime=fields.get("mimetype") or fields.get("mime") or "",
            status=str(fields.get("statuscode") or fields.get("status") or ""),
            digest=fields.get("digest") or "",
        )
    except (KeyError, TypeError) as missing:
        raise CdxError(url, f"CDX row without {missing}: {fields}") from None


# Deepest nesting of brackets a CDX answer may have: its rows are arrays in an array (2), or flat objects
# (1); a deeper one is no CDX answer, and an answer nested ten thousand deep would overflow the parser.
MAX_JSON_DEPTH = 4
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deep brackets nest in a JSON text (strings skipped), found without parsing it."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_cdx(body: bytes, url: str = "") -> CdxAnswer:
    """Either answer format: the Internet Archive's array of rows, or pywb's JSON lines."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return CdxAnswer(())
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise CdxError(url, f"not a CDX answer: JSON nested {depth} deep (a CDX answer is at most {MAX_JSON_DEPTH})")
    try:
        if text.startswith("["):
            rows = json.loads(text)
            if not rows:
                return CdxAnswer(())
            header, *rest = rows
            resume = None
            if len(rest) >= 2 and rest[-2] == [] and rest[-1]:
                resume, rest = str(rest[-1][0]), rest[:-2]
            return CdxAnswer(tuple(_capture(dict(zip(header, row)), url) for row in rest if row), resume)
        return CdxAnswer(tuple(_capture(json.loads(line), url) for line in text.splitlines() if line.strip()))
    except (ValueError, AttributeError, TypeError, RecursionError) as error:
        raise CdxError(url, f"not a CDX answer: {type(error).__name__}: {error}"[:300]) from None


def by_url(captures: Iterable[Capture]) -> list[list[Capture]]:
    """Captures grouped by URL key, in the index's order (each group oldest first)."""
    groups: dict[str, list[Capture]] = {}
    for capture in captures:
        groups.setdefault(capture.urlkey, []).append(capture)
    return [sorted(group, key=lambda c: c.timestamp) for group in groups.values()]


def distinct(group: Sequence[Capture]) -> list[Capture]:
    """One capture per digest (the newest), oldest first: the texts a URL had.

    Only pages count while there are any; a URL captured only as a redirect (an article that
    moved) has its newest redirect, which leads to the capture of its target.
    """
    pages = [c for c in group if c.status == "200"]
    if not pages:
        return sorted(group, key=lambda c: c.timestamp)[-1:]
    newest: dict[str, Capture] = {}
    for capture in sorted(pages, key=lambda c: c.timestamp):
        newest.pop(capture.digest, None)
        newest[capture.digest] = capture
    return sorted(newest.values(), key=lambda c: c.timestamp)


def within(capture: Capture, discover: DiscoverConfig) -> bool:
    """Inside `wayback_from` / `wayback_to` (inclusive, compared on as many digits as the bound has)."""
    low, high = discover.wayback_from, discover.wayback_to
    return (low is None or capture.timestamp[: len(low)] >= low) and (
        high is None or capture.timestamp[: len(high)] <= high
    )


def archive_hosts(wayback: WaybackSettings) -> frozenset[str]:
    """The hosts of the archive's index and replay (the Internet Archive's are one)."""
    return frozenset({host_of(wayback.cdx), host_of(wayback.replay.split("{", 1)[0])})


def paced(http: HttpSettings, wayback: WaybackSettings) -> HttpSettings:
    """HTTP settings in which the archive's hosts keep `[wayback] delay` (unless `host_delays` names them)."""
    return replace(http, host_delays={**{host: wayback.delay for host in archive_hosts(wayback)}, **http.host_delays})


class Wayback:
    """A web archive, read through the harvest's Fetcher."""

    def __init__(self, settings: WaybackSettings, fetcher: Fetcher) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.hosts = archive_hosts(settings)
        head, _, tail = settings.replay.partition("{timestamp}")
        pattern = re.escape(head) + r"(?P<timestamp>\d{1,14})" + re.escape(tail).replace(r"\{url\}", "(?P<url>.+)")
        self._replay = re.compile(pattern)
        self._down: set[str] = set()  # original hosts that did not answer: their archived robots.txt counts
        self._archived_rules: dict[str, Protego | None] = {}

    # --- the index ------------------------------------------------------------

    async def cdx(
        self, url: str, *, prefix: bool = False, discover: DiscoverConfig | None = None, resume_key: str | None = None
    ) -> tuple[FetchedPage, CdxAnswer]:
        """One CDX answer for `url` (a prefix, or one URL): the page as fetched, and its 200 and redirect captures.

        The filter leaves out errors as a regex on the Internet Archive; pywb reads it as "does
        not contain" and lets everything through, so the captures are sorted out here as well.
        """
        params: list[tuple[str, str]] = [("url", url), ("output", "json"), ("filter", "!statuscode:[45]..")]
        if prefix:
            params.append(("matchType", "prefix"))
        if discover is not None and discover.wayback_from:
            params.append(("from", discover.wayback_from))
        if discover is not None and discover.wayback_to:
            params.append(("to", discover.wayback_to))
        params += [("limit", str(PAGE_ROWS)), ("showResumeKey", "true")]
        query = f"{self.settings.cdx}?{urlencode(params)}"
        if resume_key:
            query += f"&resumeKey={resume_key}"  # sent as the archive wrote it: it is URL-encoded already
        page = await self.fetcher.get(query, self.hosts)
        answer = parse_cdx(page.body, query)
        kept = tuple(c for c in answer.captures if c.usable and (discover is None or within(c, discover)))
        return page, replace(answer, captures=kept)

    async def captures_of(self, url: str, discover: DiscoverConfig) -> list[Capture]:
        """Every HTML or redirect capture of exactly `url`, oldest first."""
        found: list[Capture] = []
        resume: str | None = None
        keys_seen: set[str] = set()
        while True:
            page, answer = await self.cdx(url, discover=discover, resume_key=resume)
            found += answer.captures
            resume = answer.resume_key
            if not resume:
                break
            if resume in keys_seen or len(keys_seen) >= self.settings.index_pages:
                raise CdxError(page.url, f"the archive's index of {url} pages on without end (resume key {resume[:80]!r})")
            keys_seen.add(resume)
        wanted = url_key(url)
        return sorted((c for c in found if url_key(c.url) == wanted), key=lambda c: c.timestamp)

    # --- replay ----------------------------------------------------------------

    def replay_url(self, timestamp: str, url: str) -> str:
        return self.settings.replay.format(timestamp=timestamp, url=url)

    def parse_replay(self, replay_url: str) -> tuple[str, str] | None:
        """(timestamp, original URL) of one of this archive's replay URLs, None for any other URL."""
        match = self._replay.fullmatch(replay_url)
        return (match["timestamp"], match["url"]) if match else None

    async def capture(
        self, capture: Capture, hosts: frozenset[str], *, accept: Collection[str] | None = None
    ) -> FetchedPage:
        """The capture's raw page, under its original URL."""
        return await self._get(capture.url, capture.timestamp, hosts, accept=accept, digest=capture.digest)

    async def nearest(
        self, url: str, hosts: frozenset[str], *, before: str | None = None, accept: Collection[str] | None = None
    ) -> FetchedPage:
        """The capture of `url` nearest to now, or to the end of `before` (CDX digits: a year, a month, a day).

        For listing pages and feeds, whose history does not matter; `before` keeps a dead site's
        listing from being the capture of whatever its URL redirects to today.
        """
        return await self._get(url, period_end(before) if before else _now(), hosts, accept=accept)

    async def _get(
        self,
        url: str,
        timestamp: str,
        hosts: frozenset[str],
        *,
        accept: Collection[str] | None,
        digest: str | None = None,
        robots: bool = True,
    ) -> FetchedPage:
        if robots:
            await self._allowed(url)
        try:
            page = await self.fetcher.get(
                self.replay_url(timestamp, url), self.hosts, accept=accept, redirect=self._redirects(url, hosts)
            )
        except HostUnreachable:
            raise
        except HttpStatusError as error:
            raise HttpStatusError(url, error.status, "archived capture") from None
        except FetchError as error:
            raise type(error)(url, f"archived capture: {error.reason}") from None
        replay = page.exchange.header("content-location") or page.final_url
        served = self.parse_replay(urljoin(page.final_url, replay)) or self.parse_replay(page.final_url)
        moment, original = served if served else (timestamp, url)
        if robots and url_key(original) != url_key(url):
            await self._allowed(original)  # a captured redirect led elsewhere on the site
        return FetchedPage(
            url=url,
            final_url=original,
            exchange=page.exchange,
            memento=Memento(_memento_time(page) or _iso(moment), self.replay_url(moment, original), digest),
        )

    def _redirects(self, url: str, hosts: frozenset[str]) -> Callable[[str, str], str]:
        """Where a redirect met in the archive leads.

        To another capture of the same URL: the archive picking the nearest capture, followed.
        To another URL (a redirect the site itself answered when captured): the capture of its
        target, at the same time, if the target is on the source's own hosts.
        """

        def follow(answered: str, location: str) -> str:
            target = urljoin(answered, location)
            here = self.parse_replay(answered)
            served = self.parse_replay(target)
            if served is None:
                if here is None:
                    raise RedirectRefused(url, f"the archive redirected outside its replay: {target}")
                served = (here[0], urljoin(here[1], location))
            timestamp, original = served
            if url_key(original) != url_key(here[1] if here else url) and not same_site(host_of(original), hosts):
                raise RedirectRefused(url, f"archived redirect to another host: {original}")
            return self.replay_url(timestamp, original)

        return follow

    # --- the original site's robots.txt ------------------------------------------

    async def _allowed(self, url: str) -> None:
        """The live robots.txt while the site answers; the archived one once it does not."""
        host = host_of(url)
        if host not in self._down:
            try:
                await self.fetcher.check_robots(url)
                return
            except HostUnreachable:
                self._down.add(host)
        if host not in self._archived_rules:
            self._archived_rules[host] = await self._archived_robots(url)
        rules = self._archived_rules[host]
        if rules is not None and not rules.can_fetch(url, self.fetcher.settings.user_agent):
            raise Disallowed(url, "disallowed by the site's archived robots.txt")

    async def _archived_robots(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            page = await self._get(robots_url, _now(), frozenset({parts.netloc}), accept=None, robots=False)
        except HostUnreachable:
            raise
        except FetchError:
            return None  # no archived robots.txt: no rules, as for a site without one
        return Protego.parse(decode(page.body, page.exchange.header("content-type")))

def readout_captures(captures: Iterable[Capture], discover: DiscoverConfig, hosts: frozenset[str]) -> list[Capture]:
    """The captures whose URL is a readout of the source (`follow`, its own hosts)."""
    return [c for c in captures if readout_url(c.url, c.url, discover, hosts) is not None]


def _memento_time(page: FetchedPage) -> str | None:
    """The archive's own word on the capture time (RFC 7089 Memento-Datetime)."""
    value = page.exchange.header("memento-datetime")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(timezone.utc).isoformat(timespec="seconds")
    except (TypeError, ValueError):
        return None
