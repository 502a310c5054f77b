"""Extract stage: a fetched readout page becomes a `Readout`.

First the page type: a page that is not an article (a home page, a section
front, a tag or search page, a language splash page) yields no readout. Then
the source's configured selectors; where a source has no body selector, or it
matches nothing, the generic main-text extractor takes over.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvester.config import ExtractConfig, FieldSelector
from harvester.extract.dates import parse_date
from harvester.extract.generic import comment_blocks, find_main, main_text
from harvester.extract.metadata import descriptions, detect_language, page_metadata
from harvester.extract.pagetype import PageType, page_type
from harvester.extract.profile import NO_PROFILE, SourceProfile, fingerprint, learnable
from harvester.extract.text import PARAGRAPH_BREAK, blocks_of, collapse, paragraphs, without_controls

__all__ = ["Dropped", "PageType", "Readout", "SourceProfile", "extract", "main_text"]

CONFIGURED = "configured"
GENERIC = "generic"

@dataclass(frozen=True)
class Dropped:
    """A block taken out of the body, and why: what `harvester check` shows."""

    text: str
    reason: str


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
    # why the generic extractor took over from a configured body selector: the layout-drift alarm
    fallback: str | None = None
    # the body's short blocks before the learnt template was applied: what the store learns the template from
    learnable: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    # the page's own `rel=canonical`, as written (the identity step decides whether to trust it)
    canonical: str | None = None
    # the lead paragraph printed apart from the body (or the page's description when it is the article's),
    # and the page's place line: the meeting step reads them first
    lead: str | None = None
    place: str | None = None
    lead_origin: str | None = None
    # whether the page is an article at all; when it is not, `text` is empty: the page yields no readout
    page_type: PageType = PageType(True, "not judged")


def _value(node: LexborNode, field: FieldSelector) -> str | None:
    raw = node.attributes.get(field.attr) if field.attr else node.text(deep=True, separator=" ")
    return collapse(raw) if raw else None


def _configured(tree: LexborHTMLParser, field: FieldSelector | None) -> str | None:
    """The first match of a configured selector that has a value; None when none is configured or matches."""
    if field is None:
        return None
    for node in tree.css(field.css):
        value = _value(node, field)
        if value:
            return value
    return None


def _configured_body(tree: LexborHTMLParser, config: ExtractConfig, dropped: list[Dropped]) -> list[str]:
    body = tree.css_first(config.body.css) if config.body else None
    if body is None:
        return []
    for selector in config.drop:
        for node in body.css(selector):
            dropped.extend(Dropped(text, f"drop {selector!r}") for text in paragraphs(node))
            node.decompose()
    return paragraphs(body)


def _captions(tree: LexborHTMLParser) -> set[str]:
    """Image descriptions: a paragraph repeating one is the picture's caption, not article text."""
    return {
        collapse(value)
        for node in tree.css("img[alt], img[title]")
        for value in (node.attributes.get("alt"), node.attributes.get("title"))
        if value and len(value) > 20
    }


# A dateline whose place was an image (cnsnews printed its name as a picture) leaves its punctuation
# at the start of the text: "( – Iran's supreme leader …", "() - …". A dateline with its words is text.
DATELINE_RESIDUE = re.compile(r"^\(\s*\)?\s*[-–—]+\s*(?=\w|[\"“‘'])")


def without_dateline_residue(text: str) -> tuple[str, str | None]:
    """The text without a leading dateline residue, and the residue removed (None when there was none)."""
    found = DATELINE_RESIDUE.match(text)
    return (text[found.end():], found.group().strip()) if found else (text, None)


def _clean(blocks: list[str], tree: LexborHTMLParser, config: ExtractConfig, profile: SourceProfile,
           dropped: list[Dropped]) -> tuple[list[str], tuple[str, ...]]:
    """The body without boilerplate lines, blocks shown twice on the page, the learnt template, and what
    an image dateline left at the start.

    Returns the kept blocks and the short blocks the template is learnt from.
    """
    if blocks:
        first, residue = without_dateline_residue(blocks[0])
        if residue is not None:
            dropped.append(Dropped(residue, "a dateline's punctuation, its place an image"))
            blocks = [first, *blocks[1:]]
    kept: list[str] = []
    for block in blocks:
        pattern = next((p for p in config.drop_lines if p.search(block)), None)
        if pattern is not None:
            dropped.append(Dropped(block, f"drop_lines {pattern.pattern!r}"))
        elif block:
            kept.append(block)
    counts = Counter(kept)
    captions = _captions(tree)
    unique: list[str] = []
    for block in kept:
        if counts[block] > 1 or block in captions:
            dropped.append(Dropped(block, "shown twice on the page (a caption or a teaser)"))
        else:
            unique.append(block)
    learnable_blocks = tuple(block for block in unique if learnable(block))
    # template block -> pages it was seen on
    template = {b: profile.template[mark] for b in learnable_blocks if (mark := fingerprint(b)) in profile.template}
    body = [block for block in unique if block not in template]
    if not body:  # a page the template explains entirely is not one it was learnt from: keep it whole
        return unique, learnable_blocks
    dropped.extend(Dropped(block, f"learnt template (on {pages} pages)") for block, pages in template.items())
    return body, learnable_blocks


def extract(
    html: str, url: str, config: ExtractConfig, language: str, profile: SourceProfile = NO_PROFILE,
    *, explain: bool = False, seen: datetime | None = None,
) -> Readout:
    """The readout on a page: configured selectors first, the generic extractor where they fail.

    A function of the decoded page, the source's config and a snapshot of what
    the corpus knows of the source (`profile`): it reads no database, so the same
    page with the same snapshot always gives the same readout.

    Fields without a selector, or whose selector matches nothing, come from the page's own metadata;
    the language is detected from the text, the source's `language` standing in when it is too short.
    `profile` is what the corpus knows of the source (its learnt template, its usual length).
    With `explain`, `Readout.dropped` also lists what the generic extractor left out.
    `seen` is when the page was captured, for a page from a web archive: it cannot have been
    published after that (a day's grace for time zones), whatever it says.
    """
    html = without_controls(html)  # whatever the page holds, no field of a readout carries a control character
    tree = LexborHTMLParser(html)
    title = _configured(tree, config.title)
    kicker = _configured(tree, config.kicker)
    author = _configured(tree, config.author)
    published = parse_date(_configured(tree, config.published), config.date_format)
    if published and seen is not None and published[:10] > (seen.date() + timedelta(days=1)).isoformat():
        published = None
    tags = tuple(
        dict.fromkeys(value for node in tree.css(config.tags.css) if (value := _value(node, config.tags)))
    ) if config.tags else ()
    if not (title and author and published and tags):
        # the config is the override; what it does not give, the page's own metadata may
        found = page_metadata(tree, url, now=seen)
        title, author, published = title or found.title, author or found.author, published or found.published
        tags = tags or found.tags

    main = find_main(tree)
    dropped: list[Dropped] = []
    blocks = _configured_body(tree, config, dropped)
    extractor, fallback = CONFIGURED, None
    if config.body is not None and not blocks:
        fallback = f"body selector {config.body.css!r} matched nothing"
    elif config.body is not None and profile.too_short(configured := "\n\n".join(blocks)):
        if len(main.text) > len(configured):
            fallback = "configured body far shorter than the source's usual"
    generic_path = config.body is None or bool(fallback)
    # the page type judges the text the readout would get: the configured body's where it is taken
    verdict = page_type(html, url, main if generic_path else replace(main, text=PARAGRAPH_BREAK.join(blocks)))
    if not verdict:
        return Readout(url=url, title=title, kicker=kicker, author=author, published=published, language=language,
                       tags=tags, text="", extractor=GENERIC if generic_path else CONFIGURED, page_type=verdict)
    if generic_path:
        dropped.clear()
        blocks = blocks_of(main.text)
        extractor = GENERIC
        if explain:
            chosen, comments = set(blocks), comment_blocks(html)
            dropped.extend(
                Dropped(block, "comment section" if block in comments else "outside the article (generic extractor)")
                for block in (paragraphs(tree.body) if tree.body else [])
                if block not in chosen
            )
    body, learnable_blocks = _clean(blocks, tree, config, profile, dropped)
    text = PARAGRAPH_BREAK.join(body)
    lead, lead_origin = _lead(tree, config, title, text)
    declared = tree.css_first('link[rel~="canonical"][href]')
    return Readout(
        url=url,
        title=title,
        kicker=kicker,
        author=author,
        published=published,
        language=detect_language(text) or language,
        tags=tags,
        text=text,
        extractor=extractor,
        fallback=fallback,
        learnable=learnable_blocks,
        dropped=tuple(dropped),
        canonical=declared.attributes.get("href") if declared is not None else None,
        lead=lead,
        place=_configured(tree, config.place),
        lead_origin=lead_origin,
        page_type=verdict,
    )


# A description is the article's lead when it is a sentence, not a fragment cut off at a length
# ("..."), nor the site's own strapline, which shares no words with the article.
SENTENCE_END = re.compile(r"(?<!\.\.)[.!?][\"'”’)]?$")
CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _lead(tree: LexborHTMLParser, config: ExtractConfig, title: str | None, text: str) -> tuple[str | None, str | None]:
    """The lead and where it came from: the `lead` selector, else a description that is a sentence of the article."""
    if config.lead is not None:
        for node in tree.css(config.lead.css):
            blocks = [collapse(node.attributes.get(config.lead.attr) or "")] if config.lead.attr else paragraphs(node)
            if any(blocks):
                return PARAGRAPH_BREAK.join(block for block in blocks if block), f"selector {config.lead.css!r}"
    article = {word.casefold() for word in CONTENT_WORD.findall(f"{title or ''} {text}")}
    for description in descriptions(tree):
        words = CONTENT_WORD.findall(description)
        if len(description.split()) < 8 or not SENTENCE_END.search(description) or description == title:
            continue
        if words and sum(word.casefold() in article for word in words) / len(words) >= 0.4:
            return description, "the page's description (a sentence of the article)"
    return None, None
