"""Config stage: read `harvester.toml` and `sources/*.toml` into plain dataclasses.

Everything is validated before anything is fetched, and a bad file refuses the
whole configuration: a harvest never runs on half a config.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import regex
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from harvester.errors import HarvesterError

DEFAULT_USER_AGENT = (
    "harvester/0.1 (+https://github.com/harvester-readouts/harvester; "
    "archive of diplomatic meeting readouts)"
)
DEFAULT_SCHEDULE = "0 */6 * * *"
SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Longest one match of a config regex may take. A backtracking pattern (`(a+)+$`) on a long
# word would otherwise run until killed, holding the source's lock for every later run.
REGEX_SECONDS = 1.0


class ConfigError(HarvesterError):
    """A configuration file that cannot be used, with where and why."""

    def __init__(self, file: Path | str, key: str | None, reason: str) -> None:
        self.file = str(file)
        self.key = key
        self.reason = reason
        where = f"{self.file}: {key}" if key else self.file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class FieldSelector:
    """A CSS selector, optionally taking an attribute instead of the text (`sel@attr`)."""

    css: str
    attr: str | None = None

    @classmethod
    def parse(cls, spec: str) -> FieldSelector:
        css, separator, attr = spec.rpartition("@")
        if not separator:
            return cls(css=spec.strip())
        return cls(css=css.strip(), attr=attr.strip() or None)


@dataclass(frozen=True)
class Pattern:
    """A regex from a config, matched with a time bound (`REGEX_SECONDS`); TimeoutError past it.

    The `regex` module is used rather than an engine without backtracking (RE2): it reads
    the same syntax as `re`, lookarounds and backreferences included, so no config breaks,
    and its timeout is checked inside the match loop, where catastrophic backtracking happens.
    """

    pattern: str
    _compiled: Any = field(compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", regex.compile(self.pattern, regex.V0))

    def search(self, text: str) -> Any:
        return self._compiled.search(text, timeout=REGEX_SECONDS)

    def sub(self, replacement: str, text: str) -> str:
        return str(self._compiled.sub(replacement, text, timeout=REGEX_SECONDS))


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 5.0
    timeout: float = 30.0
    host_delays: Mapping[str, float] = field(default_factory=dict)
    # Local and private addresses are refused unless allowed: a redirect or a DNS answer
    # must not turn the harvester into a probe of the machine's own network.
    allow_private: bool = False
    # Largest body kept, counted before (Content-Length) and while reading, after decompression.
    max_bytes: int = 20_000_000
    # Extra attempts after a connection error, timeout or 5xx, `backoff` seconds apart and doubling.
    retries: int = 2
    backoff: float = 1.0
    # A host that refused a whole run (its breaker opened) is rested this many seconds before
    # the next run asks it again, doubling for each such run in a row, up to a day.
    host_backoff: float = 900.0


@dataclass(frozen=True)
class DedupeSettings:
    """How alike two texts must be to count as one (see harvester/dedupe.py for the calibration)."""

    # Words per shingle: 3-word shingles survive a 5 % word edit far better than 5-word ones.
    shingle: int = 3
    # Jaccard similarity of the shingle sets at or above which a text is a near-duplicate.
    near: float = 0.5
    # Share of a shorter text's shingles found in a longer one at or above which it is an excerpt.
    excerpt: float = 0.9
    # Texts shorter than this (in words) are only ever exact duplicates.
    min_words: int = 30
    # One shingle in `sample` (chosen by its hash, so the same ones in every copy) is indexed.
    sample: int = 8
    # An indexed shingle that more than `common` unique readouts share is formulaic and ignored.
    common: int = 50
    # Per-source URL rewrites (regex on the path, replacement) for print, AMP and mobile variants.
    url_variants: Mapping[str, tuple[tuple[Pattern, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class WaybackSettings:
    """The web archive that `via = "wayback"` and `"fallback"` sources read from."""

    # The CDX index API: the Internet Archive's, or any pywb archive's `/<collection>/cdx`.
    cdx: str = "https://web.archive.org/cdx/search/cdx"
    # Where a capture is replayed raw (`id_`: the bytes as archived, no banner, no rewritten links).
    replay: str = "https://web.archive.org/web/{timestamp}id_/{url}"
    # Seconds between two requests to the archive: the Internet Archive throttles and then blocks
    # clients that hurry, so the default is as patient as `http.delay`.
    delay: float = 5.0
    # CDX answers read per prefix and run: an index that pages on forever (a resume key without
    # end) must not hold a run; the walk resumes there next run.
    index_pages: int = 100


@dataclass(frozen=True)
class Settings:
    database: Path
    archive: Path
    http: HttpSettings
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    wayback: WaybackSettings = field(default_factory=WaybackSettings)
    # CPU seconds one page's parse and extraction may take before it is abandoned and recorded.
    page_seconds: float = 5.0
    # The longest one harvest may run, budget or not: no source holds its lock longer, and the
    # walk resumes where it stopped.
    run_seconds: float = 6 * 3600.0


@dataclass(frozen=True)
class DiscoverConfig:
    follow: Pattern
    # listing pages and their link selector; a `via = "wayback"` source may do without both
    start: tuple[str, ...] = ()
    links: str | None = None
    next: str | None = None
    pages: str | None = None
    max_pages: int = 10
    feeds: tuple[str, ...] = ()
    # Sitemaps or sitemap indexes; a robots.txt URL stands for the sitemaps its `Sitemap:` lines name
    sitemaps: tuple[str, ...] = ()
    # Query parameters (lower-case names) removed from this source's links besides session ids and trackers.
    drop_params: tuple[str, ...] = ()
    # URL prefixes listed through the web archive's CDX index, and the capture dates that count
    wayback: tuple[str, ...] = ()
    wayback_from: str | None = None
    wayback_to: str | None = None


@dataclass(frozen=True)
class ExtractConfig:
    title: FieldSelector | None = None
    published: FieldSelector | None = None
    author: FieldSelector | None = None
    kicker: FieldSelector | None = None
    tags: FieldSelector | None = None
    body: FieldSelector | None = None
    # the lead paragraph, where a site prints it apart from the body; the place line ("The Kremlin, Moscow")
    lead: FieldSelector | None = None
    place: FieldSelector | None = None
    date_format: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    drop_lines: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class SourceConfig:
    name: str
    title: str
    home: str
    language: str
    discover: DiscoverConfig
    extract: ExtractConfig
    enabled: bool = True
    schedule: str = DEFAULT_SCHEDULE
    # "live" (the site itself), "wayback" (the web archive only: the site is gone) or
    # "fallback" (the site, and the archive's nearest capture where the site refuses or fails)
    via: str = "live"
    # a regex on readout URLs and the key it makes: readouts sharing a key are translations of each other
    translation_key: tuple[Pattern, str] | None = None
    file: Path | None = None

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts this source's pages live on: its home and its listing, feed and archive-prefix URLs."""
        urls = (self.home, *self.discover.start, *self.discover.feeds, *self.discover.sitemaps, *self.discover.wayback)
        return frozenset(urlsplit(u).netloc.lower() for u in urls)


@dataclass(frozen=True)
class Config:
    settings: Settings
    sources: tuple[SourceConfig, ...]
    directory: Path

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(self.directory / "sources", name, f"no such source (known: {known})")

    def harvested(self, names: Sequence[str] = ()) -> list[SourceConfig]:
        """The named sources, enabled or not, else every enabled one; a config with none to harvest is refused,
        so that a cron job over an empty `sources/` folder fails aloud instead of doing nothing every night."""
        if names:
            return [self.source(name) for name in names]
        folder = self.directory / "sources"
        if not self.sources:
            raise ConfigError(folder, None, "no source configured: add one as sources/<name>.toml (see \"Adding a source\" in the README)")
        enabled = [source for source in self.sources if source.enabled]
        if not enabled:
            raise ConfigError(folder, None, "every source has enabled = false: enable one, or name it with --source")
        return enabled


# --- validators -------------------------------------------------------------

_PROBE_DOCUMENT = LexborHTMLParser("<html><body></body></html>")


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number")
    return float(value)


def _positive_number(value: Any) -> float:
    """Seconds of waiting (delays, back-off): 0 is fine, more than an hour between requests is a typo."""
    seconds = _number(value)
    if not 0 <= seconds <= 3600:
        raise ValueError("must be a number of seconds from 0 to 3600")
    return seconds


def _duration(value: Any) -> float:
    """A time limit: 0 would fail everything, and beyond 10 minutes it no longer limits anything."""
    seconds = _number(value)
    if not 0 < seconds <= 600:
        raise ValueError("must be a number of seconds above 0 and at most 600")
    return seconds


def _run_seconds(value: Any) -> float:
    """A run's limit: under a minute nothing gets done; past a week it limits nothing."""
    seconds = _number(value)
    if not 60 <= seconds <= 7 * 86400:
        raise ValueError("must be a number of seconds from 60 to 604800 (a week)")
    return seconds


def _retries(value: Any) -> int:
    count = _count(value)
    if count > 10:
        raise ValueError("must be a whole number from 0 to 10")
    return count


def _byte_limit(value: Any) -> int:
    size = _positive_int(value)
    if size < 1024:
        raise ValueError("must be at least 1024 bytes (no page fits in less)")
    return size


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number, 1 or more")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number, 0 or more")
    return value


def _url(value: Any) -> str:
    url = _string(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an absolute http(s) URL, got {url!r}")
    return url


def _css(value: Any) -> str:
    selector = _string(value)
    try:
        _PROBE_DOCUMENT.css(selector)
    except SelectolaxError:
        raise ValueError(f"invalid CSS selector {selector!r}") from None
    return selector


def _field_selector(value: Any) -> FieldSelector:
    field = FieldSelector.parse(_string(value))
    _css(field.css)
    if "@" in value and not field.attr:
        raise ValueError(f"empty attribute name in {value!r}")
    return field


def _regex(value: Any) -> Pattern:
    pattern = _string(value)
    try:
        return Pattern(pattern)
    except regex.error as error:
        raise ValueError(f"invalid regular expression {pattern!r}: {error}") from None


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    def check(value: Any) -> tuple[Any, ...]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list):
            raise ValueError("must be a string or a list of strings")
        return tuple(item(v) for v in values)

    return check


def _name(value: Any) -> str:
    name = _string(value)
    if not SOURCE_NAME.match(name):
        raise ValueError("must be lower-case letters, digits and hyphens")
    return name


def _schedule(value: Any) -> str:
    from harvester.schedule import cron_trigger

    expression = _string(value)
    try:
        cron_trigger(expression)
    except ValueError as error:
        raise ValueError(f"invalid cron expression {expression!r}: {error}") from None
    return expression


def _page_template(value: Any) -> str:
    template = _url(value)
    if "{page}" not in template:
        raise ValueError("must contain {page}")
    return template


def _date_format(value: Any) -> str:
    pattern = _string(value)
    if "%" not in pattern:
        raise ValueError(f"{pattern!r} has no strptime directive")
    return pattern


def _replay_template(value: Any) -> str:
    template = _url(value)
    if "{timestamp}" not in template or "{url}" not in template:
        raise ValueError("must contain {timestamp} and {url}")
    return template


def _translation_key(value: Any) -> tuple[Pattern, str]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
        raise ValueError("must be [pattern, key], e.g. ['/news/(\\d+)$', 'example.org/news/\\1']")
    pattern = _regex(value[0])
    if pattern._compiled.groups == 0:
        raise ValueError(f"{value[0]!r} has no group: the key would be the same for every readout")
    return pattern, _string(value[1])


VIA = ("live", "wayback", "fallback")


def _via(value: Any) -> str:
    if value not in VIA:
        raise ValueError(f"must be one of {', '.join(repr(v) for v in VIA)}")
    return str(value)


def _capture_bound(value: Any) -> str:
    """A year (2015), a date (2015-11-23, as TOML date or string) or a CDX timestamp prefix, as CDX digits."""
    if isinstance(value, bool):
        raise ValueError("must be a year or a date")
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}(-?\d{2}(-?\d{2})?)?|\d{4,14}", value.strip()):
        raise ValueError(f"must be a year or a date such as 2015 or 2015-11-23, got {value!r}")
    return value.strip().replace("-", "")


def _host_delays(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise ValueError('must be a table of host = seconds, e.g. "en.kremlin.ru" = 10')
    delays = {}
    for host, seconds in value.items():
        try:
            delays[host.lower()] = _positive_number(seconds)
        except ValueError as error:
            raise ValueError(f"{host}: {error}") from None
    return delays


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError("must be a number above 0 and at most 1")
    return float(value)


def _url_variants(value: Any) -> dict[str, tuple[tuple[Pattern, str], ...]]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of source = [[pattern, replacement], ...]")
    variants = {}
    for source, rules in value.items():
        if not isinstance(rules, list) or not all(
            isinstance(rule, list) and len(rule) == 2 and all(isinstance(part, str) for part in rule) for rule in rules
        ):
            raise ValueError(f"{source}: must be a list of [pattern, replacement] pairs")
        try:
            variants[source] = tuple((_regex(pattern), replacement) for pattern, replacement in rules)
        except ValueError as error:
            raise ValueError(f"{source}: {error}") from None
    return variants


# key -> (validator, required)
Schema = dict[str, tuple[Callable[[Any], Any], bool]]

SETTINGS_SCHEMA: Schema = {
    "database": (_string, False),
    "archive": (_string, False),
    "page_seconds": (_duration, False),
    "run_seconds": (_run_seconds, False),
}
HTTP_SCHEMA: Schema = {
    "user_agent": (_string, False),
    "delay": (_positive_number, False),
    "timeout": (_duration, False),
    "host_delays": (_host_delays, False),
    "allow_private": (_boolean, False),
    "max_bytes": (_byte_limit, False),
    "retries": (_retries, False),
    "backoff": (_positive_number, False),
    "host_backoff": (_positive_number, False),
}
WAYBACK_SCHEMA: Schema = {
    "cdx": (_url, False),
    "replay": (_replay_template, False),
    "delay": (_positive_number, False),
    "index_pages": (_positive_int, False),
}
DEDUPE_SCHEMA: Schema = {
    "shingle": (_positive_int, False),
    "near": (_fraction, False),
    "excerpt": (_fraction, False),
    "min_words": (_positive_int, False),
    "sample": (_positive_int, False),
    "common": (_positive_int, False),
    "url_variants": (_url_variants, False),
}
SOURCE_SCHEMA: Schema = {
    "name": (_name, True),
    "title": (_string, True),
    "home": (_url, True),
    "language": (_string, True),
    "enabled": (_boolean, False),
    "schedule": (_schedule, False),
    "via": (_via, False),
    "translation_key": (_translation_key, False),
}
DISCOVER_SCHEMA: Schema = {
    "start": (_list_of(_url), False),
    "links": (_css, False),
    "follow": (_regex, True),
    "next": (_css, False),
    "pages": (_page_template, False),
    "max_pages": (_positive_int, False),
    "feeds": (_list_of(_url), False),
    "sitemaps": (_list_of(_url), False),
    "drop_params": (_list_of(lambda name: _string(name).lower()), False),
    "wayback": (_list_of(_url), False),
    "wayback_from": (_capture_bound, False),
    "wayback_to": (_capture_bound, False),
}
EXTRACT_SCHEMA: Schema = {
    **{field: (_field_selector, False) for field in ("title", "published", "author", "kicker", "tags", "body", "lead", "place")},
    "date_format": (_list_of(_date_format), False),
    "drop": (_list_of(_css), False),
    "drop_lines": (_list_of(_regex), False),
}


def _validate(table: Any, schema: Schema, file: Path, prefix: str = "") -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(file, prefix.rstrip(".") or None, "must be a table")
    for key in table:
        if key not in schema:
            raise ConfigError(file, prefix + key, f"unknown key (known: {', '.join(schema)})")
    values = {}
    for key, (check, required) in schema.items():
        if key not in table:
            if required:
                raise ConfigError(file, prefix + key, "missing required key")
            continue
        try:
            values[key] = check(table[key])
        except ValueError as error:
            raise ConfigError(file, prefix + key, str(error)) from None
    return values


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except UnicodeDecodeError as error:
        raise ConfigError(
            file, None, f"not UTF-8 (byte {error.start}: {error.object[error.start:error.start + 1]!r}): save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, None, f"TOML syntax error: {error}") from None
    except OSError as error:
        raise ConfigError(file, None, f"cannot read: {error.strerror}") from None


def load_settings(file: Path, root: Path) -> Settings:
    """Relative paths are resolved against `root`, so cron jobs need no working directory."""
    data = _read_toml(file) if file.exists() else {}
    http_table = data.pop("http", {})
    dedupe_table = data.pop("dedupe", {})
    wayback_table = data.pop("wayback", {})
    values = _validate(data, SETTINGS_SCHEMA, file)
    http = HttpSettings(**_validate(http_table, HTTP_SCHEMA, file, "http."))
    dedupe = DedupeSettings(**_validate(dedupe_table, DEDUPE_SCHEMA, file, "dedupe."))
    wayback = WaybackSettings(**_validate(wayback_table, WAYBACK_SCHEMA, file, "wayback."))
    return Settings(
        database=root / values.get("database", "corpus/readouts.db"),
        archive=root / values.get("archive", "corpus/archive"),
        http=http,
        dedupe=dedupe,
        **{key: values[key] for key in ("page_seconds", "run_seconds") if key in values},
        wayback=wayback,
    )


def load_source(file: Path) -> SourceConfig:
    data = _read_toml(file)
    discover_table = data.pop("discover", None)
    extract_table = data.pop("extract", {})
    values = _validate(data, SOURCE_SCHEMA, file)
    if discover_table is None:
        raise ConfigError(file, "discover", "missing required table")
    discover = _validate(discover_table, DISCOVER_SCHEMA, file, "discover.")
    extract = _validate(extract_table, EXTRACT_SCHEMA, file, "extract.")

    if values["name"] != file.stem:
        raise ConfigError(file, "name", f"must match the file name {file.stem!r}")
    if "next" in discover and "pages" in discover:
        raise ConfigError(file, "discover.pages", "use either next or pages, not both")
    start = discover.get("start", ())
    if "pages" in discover and len(start) != 1:
        raise ConfigError(file, "discover.pages", "needs exactly one start URL")
    # a site may be discovered through its sitemaps alone
    sitemaps_only = bool(discover.get("sitemaps")) and "start" not in discover
    if values.get("via", "live") != "wayback" and not sitemaps_only:
        # only an archived site may be discovered through the archive's index alone
        for key in ("start", "links"):
            if key not in discover:
                raise ConfigError(file, f"discover.{key}", "missing required key")
        if not start:
            raise ConfigError(file, "discover.start", "needs at least one URL")
    elif not (start or discover.get("feeds") or discover.get("wayback") or discover.get("sitemaps")):
        raise ConfigError(file, "discover.wayback", 'a via = "wayback" source needs prefixes here, or start or feeds')
    if start and "links" not in discover:
        raise ConfigError(file, "discover.links", "missing required key (start needs it)")
    if "wayback_from" in discover and "wayback_to" in discover:
        # bounds of any precision (2015, 2015-12-01): compared on the digits both have, as periods
        low, high = discover["wayback_from"], discover["wayback_to"]
        digits = min(len(low), len(high))
        if low[:digits] > high[:digits]:
            raise ConfigError(file, "discover.wayback_from", f"is after wayback_to ({low} > {high})")

    return SourceConfig(
        **values,
        discover=DiscoverConfig(**discover),
        extract=ExtractConfig(**extract),
        file=file,
    )


def load_config(directory: Path | str) -> Config:
    """Load a config directory: `harvester.toml` plus one `sources/<name>.toml` per source."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(directory, None, "config directory not found")
    settings = load_settings(directory / "harvester.toml", root=directory.resolve().parent)
    sources = tuple(load_source(file) for file in sorted((directory / "sources").glob("*.toml")))
    return Config(settings=settings, sources=sources, directory=directory)
