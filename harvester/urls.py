"""URL identity: what a link comes down to before the harvest knows it.

Two levels, both pure functions:

- `clean_url` is still fetchable: it drops the fragment, session ids (query
  parameters such as `PHPSESSID=` and path parameters such as `;jsessionid=`),
  tracking parameters and a source's own `discover.drop_params`. Discovery
  applies it to every link, so a site that stamps a fresh session id on each
  link every run does not make every article new every run.
- `canonical_url` / `url_key` are identities, not always fetchable: on top of
  `clean_url` they use w3lib's `canonicalize_url` (Scrapy's: percent-encoding,
  query order) and fold default ports, `www.`/`m.`/`amp.` hosts, trailing
  slashes, AMP variants and per-source rewrites (`[dedupe.url_variants]`).

The tracking list follows the ones courlan and the browsers' query-stripping
lists are built from (AdGuard, ClearURLs), but names whole parameters instead
of using courlan's pattern: that one also removes `cid`, `source`, `ref…` and
`session…` parameters, which on some sites *are* the page, and merging two
distinct readouts loses one of them, which is worse than keeping a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from harvester.config import DedupeSettings

# Parameters that say where a click came from, never what the page is.
TRACKING = re.compile(
    r"^(?:utm_\w+|mtm_\w+|pk_\w+|piwik_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid"
    r"|mc_cid|mc_eid|igshid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt_mc|ref_src|amp)$",
    re.IGNORECASE,
)
# Session ids servers put in links when a client keeps no cookies (a crawler never does).
SESSION = re.compile(
    r"^(?:jsessionid|sid|phpsessid|sessionid|session_id|aspsessionid\w*|cfid|cftoken|zenid|oscsid)$",
    re.IGNORECASE,
)
# `;jsessionid=…` and its kind, as path parameters of any segment.
PATH_SESSION = re.compile(r";(?:jsessionid|sid|phpsessid|sessionid|session_id)=[^/;?#]*", re.IGNORECASE)
# Host labels of the same site's mobile, AMP and www editions.
EDITION_LABELS = ("www", "m", "mobile", "amp")
# AMP editions under the same path, whatever the source.
AMP_PATHS = ((re.compile(r"/amp/?$"), ""), (re.compile(r"^/amp(?=/)"), ""))
DEFAULT_PORTS = {"http": 80, "https": 443}


def _noise(key: str, drop: Collection[str]) -> bool:
    return bool(TRACKING.match(key) or SESSION.match(key)) or key.lower() in drop


def clean_url(url: str, drop: Collection[str] = ()) -> str:
    """`url` without its fragment, session ids, tracking parameters and the names in `drop` (lower-case).

    Everything else is left as the site wrote it, so the result is still the page's address.
    """
    parts = urlsplit(url.strip())
    path = PATH_SESSION.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _noise(key, drop)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def canonical_url(url: str, source: str | None = None, settings: DedupeSettings = DedupeSettings()) -> str:
    """The URL every variant of a page comes down to (not always fetchable: it is an identity)."""
    parts = urlsplit(canonicalize_url(clean_url(url)))
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in EDITION_LABELS and not host.replace(".", "").isdigit():
        labels = labels[1:]
    host = ".".join(labels)
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not (key.lower() in ("output", "outputtype") and value.lower() == "amp")
    ]
    path = parts.path
    for amp, replacement in AMP_PATHS:
        path = amp.sub(replacement, path)
    for pattern, replacement in settings.url_variants.get(source or "", ()):
        path = pattern.sub(replacement, path)
    path = path.rstrip("/")
    return urlunsplit((parts.scheme, host, path, urlencode(query), ""))


def url_key(url: str, source: str | None = None, settings: DedupeSettings = DedupeSettings()) -> str:
    """`canonical_url` without the scheme: the http and https editions are one page."""
    return canonical_url(url, source, settings).split(":", 1)[1]


def host_of(url: str) -> str:
    """The politeness key of a URL: its host and port, lower-case."""
    return urlsplit(url).netloc.lower()


def same_site(host: str, allowed: frozenset[str]) -> bool:
    """`www.` is the same site as the bare host: sites redirect between them freely."""
    bare = host.removeprefix("www.")
    return any(bare == other.removeprefix("www.") for other in allowed)
