"""Title, publication date, author and tags of any news page, with no per-site configuration.

Everything here reads markup that publishers add for search engines and social networks (JSON-LD,
Open Graph, `<meta>`), then falls back on what a reader sees. The page is parsed once by the caller;
the visible text is only walked, and only its first few thousand characters, when the markup has no
usable date, because that walk is the one costly step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import unescape
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import py3langid
from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvester.extract.dates import find_dates, parse_moment, url_date
from harvester.extract.text import INVISIBLE_TAGS, collapse

# One object of a page's JSON-LD, as json.loads gives it.
JsonObject = dict[str, Any]

# Title separators need white space on both sides: "Anti-war" or "2005 -2017" are not separators.
_SEPARATOR = re.compile(r"(\s+(?:\||–|—|-|::|·|•|»)\s+)")
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_URLISH = re.compile(r"^(?:[a-z]+:)?//|^www\.|^/", re.IGNORECASE)
_KEYWORD_SPLIT = re.compile(r"\s*[,،;]\s*")

_MIN_LETTERS = 40  # below this py3langid guesses
_SCAN_CHARS = 6000  # body text searched for a printed date when the headline is not found in it
_SCAN_AFTER_HEADLINE = 2000  # a byline sits just below the headline
_OLDEST = date(1990, 1, 1)
_UNSEEN = INVISIBLE_TAGS | {"figcaption"}
_AUTHOR_METAS = ("author", "dc.creator", "sailthru.author", "parsely-author")
_DATE_METAS = ("article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "dc.date",
               "dc.date.issued", "dcterms.issued", "dcterms.date", "date", "sailthru.date", "parsely-pub-date")


@dataclass(frozen=True)
class PageMetadata:
    """`published` stays a string so that a page giving only a day is not credited with a midnight."""

    title: str | None
    published: str | None  # ISO 8601: a date ("2015-11-23") or a moment ("2015-11-24T04:38:00-05:00")
    author: str | None
    tags: tuple[str, ...]


def page_metadata(tree: LexborHTMLParser, url: str, *, now: datetime | None = None) -> PageMetadata:
    """What the page says about itself; `now` bounds the dates a page may claim (tests pin it)."""
    metas = _metas(tree)
    linked = _json_ld(tree)
    names = [
        *metas.get("og:site_name", ()), *metas.get("application-name", ()),
        *(name for item in linked for name in _names(item.get("publisher"))),
        *(name for item in linked if _types(item) & {"WebSite", "Organization"} for name in _names(item)),
        *_host_names(url),
    ]
    title, heading = _title(tree, metas, linked, _site_keys(names))
    return PageMetadata(
        title=title,
        published=_published(tree, metas, linked, url, now or datetime.now(UTC), title, heading),
        author=_author(tree, metas, linked),
        tags=_tags(tree, metas, linked),
    )


def descriptions(tree: LexborHTMLParser) -> list[str]:
    """What the page says it is about: og:description, meta description, JSON-LD description, in that order."""
    metas = _metas(tree)
    found = [*metas.get("og:description", ()), *metas.get("description", ())]
    found += [collapse(item["description"]) for item in _json_ld(tree) if isinstance(item.get("description"), str)]
    return list(dict.fromkeys(value for value in found if value))


def load_language_model() -> None:
    """Load py3langid's model now (it loads on first use): processes forked afterwards share it instead of loading their own."""
    py3langid.classify("load the model")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when there are too few letters for a trustworthy guess."""
    sample = text[:4000]
    if sum(map(str.isalpha, sample)) < _MIN_LETTERS:
        return None
    language: str = py3langid.classify(sample)[0]
    return language


def clean_title(title: str, site_names: Iterable[str] = ()) -> str:
    """The headline inside a `<title>`: without the site's name, and without a short trailing section
    label (" | Music") that has no counterpart on the page to confirm it."""
    return _strip_title(collapse(title), _site_keys(site_names), None)


# --- markup ------------------------------------------------------------------------------------------


def _metas(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """All `<meta>` values by lower-cased property/name/itemprop, so later look-ups cost nothing."""
    found: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attributes = node.attributes
        content = collapse(attributes.get("content") or "")
        if content:
            for key in ("property", "name", "itemprop"):
                label = attributes.get(key)
                if label:
                    found.setdefault(label.strip().lower(), []).append(content)
    return found


def _json_ld(tree: LexborHTMLParser) -> list[JsonObject]:
    """Every JSON-LD object, article-typed ones first (a page's WebPage object has dates and names too).

    Malformed blocks are skipped: they are common and the rest of the page still tells a lot.
    """
    objects: list[JsonObject] = []
    for node in tree.css('script[type*="ld+json"]'):
        try:
            objects.extend(_ld_items(json.loads(node.text(deep=True) or "", strict=False)))
        except (ValueError, RecursionError):
            continue
    return sorted(objects, key=lambda item: not any(kind.endswith(("Article", "Posting")) for kind in _types(item)))


def _ld_items(data: object) -> Iterator[JsonObject]:
    """Top-level objects, lists of them and `@graph` members: where publishers put the article.

    Walked with a stack, not recursion: a hostile page may nest its JSON-LD as deep as the parser allows.
    """
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            pending.append(item.get("@graph"))


def _types(item: JsonObject) -> set[str]:
    kind = item.get("@type")
    return {k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}


def _names(value: object) -> list[str]:
    """Names from a JSON-LD value that may be a string, a Thing with a name, or a list of either (in order)."""
    names: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            pending.append(item.get("name"))
        elif isinstance(item, str) and item.strip():
            names.append(collapse(unescape(item)))
    return names


# --- title -------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def _site_key(text: str) -> str:
    words = _WORD.findall(text.casefold())
    return "".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


def _site_keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in map(_site_key, names) if key)


def _host_names(url: str) -> list[str]:
    """"english.khamenei.ir" -> english.khamenei.ir, khamenei.ir, english, khamenei: how titles name a site."""
    labels = (urlsplit(url).hostname or "").removeprefix("www.").split(".")
    names = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    for label in labels[:-1]:
        if len(label) >= 3:
            names.append(label)
            if label.startswith("the") and len(label) > 6:
                names.append(label[3:])
    return names


def _agrees(a: str, b: str) -> bool:
    """Same headline, or one holds the other (a title with a suffix the cleaning missed)."""
    x, y = _norm(a), _norm(b)
    return bool(x and y) and (x == y or (min(len(x), len(y)) >= 12 and (x in y or y in x)))


def _strip_title(title: str, keys: frozenset[str], headline: str | None) -> str:
    """Drop site-name segments, then a clearly shorter end segment (section, "live").

    At a segment naming the site the longer side stays, so "Headline | Site | by Author" and
    "Site - Headline" both give the headline. A short segment naming no site goes if it ends the title
    and the headline (when the page shows one) is exactly the rest; a short first segment only when the
    headline confirms it, since a prefix is more often part of the headline ("Iran - Russia talks").
    """
    def short_beside(segment: str, rest: list[str]) -> bool:
        return len(segment.split()) <= 4 and 3 * len(segment) <= len("".join(rest))

    def confirmed(rest: list[str]) -> bool:
        return headline is None or _norm(headline) == _norm("".join(rest))

    parts = _SEPARATOR.split(title)  # segment, separator, segment, ...
    while len(parts) > 1:
        sites = [i for i in range(0, len(parts), 2) if _site_key(parts[i]) in keys]
        if not sites:
            break
        before, after = parts[:max(sites[-1] - 1, 0)], parts[sites[-1] + 2:]
        parts = before if len("".join(before)) >= len("".join(after)) else after
    while len(parts) > 1:
        if short_beside(parts[-1], parts[:-2]) and confirmed(parts[:-2]):
            parts = parts[:-2]
        elif headline is not None and short_beside(parts[0], parts[2:]) and confirmed(parts[2:]):
            parts = parts[2:]
        else:
            break
    return "".join(parts)


def _visible_headlines(tree: LexborHTMLParser, keys: frozenset[str]) -> list[tuple[str, LexborNode]]:
    """Headings a reader sees as the headline: `<h1>`s, the top heading of each `<hgroup>`, headline
    microdata. Logos ("Leader.ir") and buttons ("Log In") are not headlines."""
    nodes: list[LexborNode] = tree.css("h1")
    for group in tree.css("hgroup"):
        headings = group.css("h1, h2, h3, h4, h5, h6")
        if headings:
            nodes.append(min(headings, key=lambda node: node.tag or ""))
    nodes.extend(node for node in tree.css("[itemprop=headline]") if node.tag != "meta")
    texts = ((collapse(node.text(deep=True)), node) for node in nodes)
    return [(text, node) for text, node in texts if 8 <= len(text) <= 300 and " " in text
            and _site_key(text) not in keys]


def _title(tree: LexborHTMLParser, metas: dict[str, list[str]], linked: list[JsonObject],
           keys: frozenset[str]) -> tuple[str | None, LexborNode | None]:
    """The headline as the page shows it, and its element when it is a visible one.

    1. A visible headline (`<h1>`, `<hgroup>`, microdata) that agrees with og:title, twitter:title,
       JSON-LD `headline` or `<title>`: the visible text is the typeset headline, the others may carry a
       site suffix or a descriptive rewrite for search engines.
    2. Else the first visible headline that reads like one (four words or more): when the meta titles
       disagree with what the reader sees, they are usually an SEO rewrite of it.
    3. Else og:title, twitter:title, JSON-LD `headline`, `<title>`, in that order, each without its
       site name.
    """
    visible = _visible_headlines(tree, keys)
    headline = visible[0][0] if visible else None
    document = tree.css_first("title")
    raw = [
        *metas.get("og:title", ()), *metas.get("twitter:title", ()),
        *next((_names(item["headline"]) for item in linked if item.get("headline")), ()),
        *([collapse(document.text())] if document is not None and document.text().strip() else []),
    ]
    cleaned = [_strip_title(value, keys, headline) for value in raw]
    for text, node in visible:
        if any(_agrees(text, other) for other in cleaned):
            return text, node
    for text, node in visible:
        if len(text.split()) >= 4 or len(text) >= 25:
            return text, node
    return next((text for text in cleaned if text), None), None


# --- published ---------------------------------------------------------------------------------------


def _published(tree: LexborHTMLParser, metas: dict[str, list[str]], linked: list[JsonObject], url: str,
               now: datetime, headline: str | None, heading: LexborNode | None) -> str | None:
    """The first plausible date in order of trust: JSON-LD, article:published_time, other metas,
    `<time datetime>`, a date printed near the headline, the URL's date.

    Plausible: from 1990 up to a day after `now`, and within a day of the URL's date when the URL has
    one (a day either way, because the URL and the timestamp may use different time zones).
    """
    latest = now.date() + timedelta(days=1)
    in_url = url_date(url)
    anchor = date.fromisoformat(in_url) if in_url else None
    if anchor is not None and not _OLDEST <= anchor <= latest:  # a magazine's URL may date the next issue
        in_url = anchor = None

    def plausible(value: str | None) -> bool:
        day = date.fromisoformat(value[:10]) if value else None
        return day is not None and _OLDEST <= day <= latest and (anchor is None or abs((day - anchor).days) <= 1)

    declared = chain(
        (item["datePublished"] for item in linked if isinstance(item.get("datePublished"), str)),
        (value for key in _DATE_METAS for value in metas.get(key, ())),
        (node.attributes.get("datetime") or node.attributes.get("content")
         for node in tree.css("[itemprop=datePublished], time[datetime]")),
    )
    moment = next((moment for moment in map(parse_moment, declared) if plausible(moment)), None)
    return moment or next((moment for moment in _printed_dates(tree, headline, heading) if plausible(moment)), in_url)


def _printed_dates(tree: LexborHTMLParser, headline: str | None, heading: LexborNode | None) -> list[str]:
    """Dates in the page's visible text, most likely first.

    A date with a time after the headline is a byline ("March 2 2024, 12:36 p.m."); otherwise the
    nearest date to the headline wins, since sidebars and the article text print other dates further away.
    """
    text, anchor = _opening_text(tree, headline, heading)
    if not text:
        return []
    root = tree.css_first("html")
    language = (root.attributes.get("lang") or "").strip().lower() if root is not None else ""
    persian = language.startswith("fa") if language else detect_language(text) == "fa"
    found = find_dates(text, persian)
    if anchor >= 0:
        found.sort(key=lambda item: (not (item[0] >= anchor and "T" in item[1]), abs(item[0] - anchor)))
    return [moment for _, moment in found]


def _opening_text(tree: LexborHTMLParser, headline: str | None, heading: LexborNode | None) -> tuple[str, int]:
    """The body's visible text, without captions (photo dates), up to a little after the headline or
    its first few thousand characters, and the headline's offset in it (-1 when not found).

    The headline's element marks the spot when there is one: the same words may also sit in a sticky
    header or a breadcrumb above it.
    """
    chunks: list[str] = []
    size, anchor = 0, -1
    target = heading.mem_id if heading is not None else None
    wanted = headline or ""
    by_text = target is None and bool(wanted)

    if tree.body is None:
        return "", -1
    # An explicit stack rather than recursion: malformed pages nest thousands of unclosed elements deep.
    stack = [tree.body.iter(include_text=True)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag or ""
        if tag == "-text":
            piece = collapse(child.text_content or "")
            if not piece:
                continue
            if anchor < 0 and by_text and len(piece) >= min(12, len(wanted)) and (piece in wanted or wanted in piece):
                anchor = size
            chunks.append(piece)
            size += len(piece) + 1
            if size > (anchor + _SCAN_AFTER_HEADLINE if anchor >= 0 else _SCAN_CHARS):
                break
        elif tag not in _UNSEEN and not tag.startswith("-"):
            if anchor < 0 and child.mem_id == target:
                anchor = size
            stack.append(child.iter(include_text=True))
    return "\n".join(chunks), anchor


# --- author and tags ---------------------------------------------------------------------------------


def _person(value: str | None) -> str | None:
    text = _BY.sub("", collapse(value or ""))
    return text if text and len(text) <= 120 and not _URLISH.match(text) else None


def _author(tree: LexborHTMLParser, metas: dict[str, list[str]], linked: list[JsonObject]) -> str | None:
    """JSON-LD author, then author metas, author microdata, `rel=author` links, article:author."""
    for item in linked:
        names = [name for name in map(_person, _names(item.get("author"))) if name]
        if names:
            return ", ".join(dict.fromkeys(names))

    microdata = (node.css_first("[itemprop~=name]") or node for node in tree.css("[itemprop~=author]"))
    candidates = chain(
        (value for key in _AUTHOR_METAS for value in metas.get(key, ())),
        (node.attributes.get("content") or node.text(deep=True, separator=" ") for node in microdata),
        (node.text(deep=True, separator=" ") for node in tree.css("a[rel~=author]")),
        metas.get("article:author", ()),
    )
    return next((name for name in map(_person, candidates) if name), None)


def _tags(tree: LexborHTMLParser, metas: dict[str, list[str]], linked: list[JsonObject]) -> tuple[str, ...]:
    """article:tag, JSON-LD keywords, meta keywords, `rel=tag` links; the first spelling of each is kept.

    Some sites put a comma-separated list in one article:tag. WordPress marks category links
    rel="category tag", but a category is a section, not a tag.
    """
    values = [word for value in metas.get("article:tag", ()) for word in _KEYWORD_SPLIT.split(value)]
    keywords = next((item["keywords"] for item in linked if item.get("keywords")), None)
    if isinstance(keywords, str):
        values.extend(_KEYWORD_SPLIT.split(unescape(keywords)))
    elif isinstance(keywords, list):
        values.extend(word for word in keywords if isinstance(word, str))
    for value in metas.get("keywords", ()):
        values.extend(_KEYWORD_SPLIT.split(value))
    for node in tree.css("a[rel~=tag]"):
        if "category" not in (node.attributes.get("rel") or "").lower().split():
            values.append(node.text(deep=True))
    seen: dict[str, str] = {}
    for value in map(collapse, values):
        if value and len(value) <= 100:
            seen.setdefault(value.casefold(), value)
    return tuple(seen.values())
