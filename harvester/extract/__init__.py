"""Extract stage: a fetched readout page becomes a `Readout`.

The source's configured selectors come first; where a source has no body
selector, or it matches nothing, the generic main-text extractor takes over.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvester.config import ExtractConfig, FieldSelector
from harvester.extract.dates import parse_date
from harvester.extract.generic import main_text
from harvester.extract.text import collapse, paragraphs

__all__ = ["Readout", "extract", "main_text"]

CONFIGURED = "configured"
GENERIC = "generic"

# Used when a source configures no selector for a field: common, site-independent markup.
FALLBACK = {
    "title": (
        FieldSelector('meta[property="og:title"]', "content"),
        FieldSelector("h1"),
        FieldSelector("title"),
    ),
    "published": (
        FieldSelector('meta[property="article:published_time"]', "content"),
        FieldSelector("time[datetime]", "datetime"),
    ),
    "author": (FieldSelector('meta[name="author"]', "content"),),
}


@dataclass(frozen=True)
class Readout:
    url: str
    title: str | None
    kicker: str | None
    author: str | None
    published: str | None
    language: str
    tags: tuple[str, ...]
    text: str
    extractor: str


def _value(node: LexborNode, field: FieldSelector) -> str | None:
    raw = node.attributes.get(field.attr) if field.attr else node.text(deep=True, separator=" ")
    return collapse(raw) if raw else None


def _first(tree: LexborHTMLParser, selectors: tuple[FieldSelector, ...]) -> str | None:
    for field in selectors:
        for node in tree.css(field.css):
            value = _value(node, field)
            if value:
                return value
    return None


def _field(tree: LexborHTMLParser, configured: FieldSelector | None, name: str) -> str | None:
    return _first(tree, (configured,) if configured else FALLBACK.get(name, ()))


def _configured_body(tree: LexborHTMLParser, config: ExtractConfig) -> list[str] | None:
    if config.body is None:
        return None
    body = tree.css_first(config.body.css)
    if body is None:
        return None
    for selector in config.drop:
        for node in body.css(selector):
            node.decompose()
    return paragraphs(body)


def extract(html: str, url: str, config: ExtractConfig, language: str) -> Readout:
    tree = LexborHTMLParser(html)
    title = _field(tree, config.title, "title")
    kicker = _field(tree, config.kicker, "kicker")
    author = _field(tree, config.author, "author")
    published = parse_date(_field(tree, config.published, "published"), config.date_format)
    tags = tuple(
        dict.fromkeys(value for node in tree.css(config.tags.css) if (value := _value(node, config.tags)))
    ) if config.tags else ()

    blocks = _configured_body(tree, config)
    extractor = CONFIGURED
    if not blocks:
        blocks = main_text(html, url).split("\n\n")
        extractor = GENERIC
    kept = [block for block in blocks if block and not any(p.search(block) for p in config.drop_lines)]
    return Readout(
        url=url,
        title=title,
        kicker=kicker,
        author=author,
        published=published,
        language=language,
        tags=tags,
        text="\n\n".join(kept),
        extractor=extractor,
    )
