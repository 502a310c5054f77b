"""Page type: whether a page is an article at all, decided before its text becomes a readout.

A readout URL can lead to a page that is not one: a site redirects a removed readout to its home page, a
layout change turns a listing link into a section front, a language splash page stands at the root. The
generic extractor would still find some text there (a teaser, a ticker box), so that junk would enter the
corpus as if it were a readout. The verdict rests on what any page shows, in any language:

- no main text at all (a splash page of language links, a page of images or scripts);
- linked headlines and not one paragraph of prose: the teasers of other pages (home pages, section fronts);
- the URL, when there is one: the site's root or a bare language root (`/en`) holding headlines and at most
  one paragraph is a home page; a tag, topic or search path or query holding headlines is a listing;
- an error page served with status 200 (a "soft 404"): a title or main heading saying the page is missing,
  in the languages harvested, or a body that is only furniture (blocks of a few words: "Share", "Print"). The
  harvest also compares each page with its host's answer to a URL that cannot exist (`harvester.harvest`).

Every verdict carries its reason, which `harvester check` shows and a harvest records in `failures`.
"""

from __future__ import annotations

import hashlib
import html as entities
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from harvester.extract.generic import MainText, find_main

# A paragraph of prose is at least this long, in characters (any script), as in the generic extractor.
_PROSE_CHARS = 80
# Linked headlines with no prose: a list of other pages. Two or three are an article's "read more" box.
_LIST_HEADLINES = 5
# A site root holding this many linked headlines and at most one paragraph (a ticker, a motto) is a home page.
_HOME_HEADLINES = 10
# A tag or search URL holding this many linked headlines is a listing.
_LISTING_HEADLINES = 3
# Links to the roots of this many other versions of the site, on a page without text: a language splash page.
_SPLASH_ROOTS = 2

_LANGUAGE_ROOT = re.compile(r"/[a-z]{2}(?:[-_][a-z]{2,4})?/?", re.IGNORECASE)
_INDEX = re.compile(r"/(?:index|default|home)\.\w+", re.IGNORECASE)
_LISTING_SEGMENTS = {"tag": "a tag page", "tags": "a tag page", "topic": "a topic page", "topics": "a topic page",
                     "search": "a search page"}
_SEARCH_PARAMETERS = frozenset(("q", "s", "query", "search", "keyword", "keywords"))
# What an error page's title or main heading says, in the languages harvested (and a few more): the
# whole heading is short, so a readout that merely mentions "not found" in a long headline is not one.
_ERROR_HEADING = re.compile(
    r"\b(?:page|article|content|document|file|news)\s+(?:was\s+|is\s+)?not\s+found\b|^\W*not\s+found\W*$"
    r"|^\W*(?:error\W*)?404\b|\b404\W+(?:error|not\s+found|page)\b|\berror\W+404\b"
    r"|\bpage\s+(?:you\s+(?:are|were)\s+looking\s+for|you\s+requested)\s+(?:does\s+not|doesn't|could\s+not|cannot|can't|is\s+not)"
    r"|\bpage\s+(?:does\s+not|doesn't)\s+exist\b|\bpage\s+(?:is\s+)?no\s+longer\s+available\b"
    r"|страниц[аы]\s+не\s+найден|ошибка\W*404|страница\s+не\s+существует"
    r"|الصفحة\s+(?:المطلوبة\s+)?غير\s+موجودة|لم\s+يتم\s+العثور\s+على\s+الصفحة|خطأ\W*404"
    r"|صفحه\s+(?:مورد\s+نظر\s+|درخواستی\s+)?(?:یافت|پیدا)\s+نشد|خطای?\W*(?:404|۴۰۴)"
    r"|page\s+(?:introuvable|non\s+trouvée)|seite\s+nicht\s+gefunden|página\s+no\s+encontrada",
    re.IGNORECASE,
)
_HEADINGS = re.compile(r"<(title|h1)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# A heading longer than this is a headline, whatever it says.
_ERROR_HEADING_CHARS = 100
# Blocks of at most this many words that are no sentence, and nothing else: page furniture ("Share", "Print",
# "Font size"), no readout. A short sentence ("Talks held.") is text, however short.
_FURNITURE_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?؟。…][\"'”’)]?$")


@dataclass(frozen=True)
class PageType:
    """The verdict: `article`, and the reason for it in words (what `harvester check` shows and, for a page
    that is not an article, what a harvest records in `failures` after "not an article: ")."""

    article: bool
    reason: str

    def __bool__(self) -> bool:
        return self.article


def page_type(html: str, url: str | None = None, main: MainText | None = None) -> PageType:
    """Whether the page is an article; `main` is the generic extractor's reading of it, when the caller
    already has it (`find_main`), so the page is not read twice."""
    main = find_main(LexborHTMLParser(html)) if main is None else main
    heading = error_heading(html)
    if heading is not None:
        return PageType(False, f"an error page: its heading says {heading!r}")
    paragraphs = sum(1 for block in main.text.split("\n\n") if len(block) >= _PROSE_CHARS)
    if not paragraphs and main.headlines >= _LIST_HEADLINES:
        return PageType(False, f"a list of {main.headlines} linked headlines without a paragraph of text")
    if not main.text:
        roots = _other_roots(html, url)
        if roots >= _SPLASH_ROOTS:
            return PageType(False, f"a language splash page: links to {roots} versions of the site and no text")
        return PageType(False, "no article text on the page")
    kind = _listing_kind(url)
    if kind == "home" and paragraphs <= 1 and main.headlines >= _HOME_HEADLINES:
        path = urlsplit(url or "").path or "/"
        return PageType(
            False, f"a home page: {path} is the site's root, with {main.headlines} linked headlines"
            f" and {paragraphs} paragraph{'s' if paragraphs != 1 else ''} of text",
        )
    if kind not in (None, "home") and main.headlines >= _LISTING_HEADLINES:
        return PageType(False, f"{kind}: the URL says so, and it lists {main.headlines} linked headlines")
    if not paragraphs and all(_furniture(block) for block in main.text.split("\n\n")):
        return PageType(False, f"an error page: nothing but page furniture ({main.text[:60]!r}) and no text")
    return PageType(
        True, f"{paragraphs} paragraph{'s' if paragraphs != 1 else ''} of text, {main.headlines} linked headlines"
    )


def _furniture(block: str) -> bool:
    """A label of the page's furniture: a few words, and no sentence."""
    return len(block.split()) <= _FURNITURE_WORDS and not _SENTENCE_END.search(block.strip())


def error_heading(html: str) -> str | None:
    """The page's title or main heading when it says the page is missing (a soft 404), else None."""
    for match in _HEADINGS.finditer(html):
        text = " ".join(entities.unescape(_TAG.sub(" ", match.group(2))).split())
        if text and len(text) <= _ERROR_HEADING_CHARS and _ERROR_HEADING.search(text):
            return text
    return None


def answer_fingerprint(title: str | None, text: str, url: str) -> str:
    """What a host's error page looks like, whichever URL it answers: its title and text without the URL it
    echoes ("/news/99 was not found") and without digits (a date, a counter, a request id).

    Every soft 404 of a host shares its answer to a URL that cannot exist."""
    parts = urlsplit(url)
    content = f"{title or ''}\n{text}"
    for echo in sorted({url, parts.path, unquote(parts.path), *parts.path.split("/")}, key=len, reverse=True):
        if len(echo) > 1:
            content = content.replace(echo, " ")
    words = re.sub(r"\d+", " ", content).casefold().split()
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _listing_kind(url: str | None) -> str | None:
    """What the URL alone says the page is: "home" for a site or language root, a listing's name, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    path = _INDEX.sub("/", parts.path)
    if not parts.query and (path.strip("/") == "" or _LANGUAGE_ROOT.fullmatch(path)):
        return "home"
    for segment in path.lower().split("/"):
        if segment in _LISTING_SEGMENTS:
            return _LISTING_SEGMENTS[segment]
    if any(key.lower() in _SEARCH_PARAMETERS and value for key, value in parse_qsl(parts.query)):
        return "a search page"
    return None


def _other_roots(html: str, url: str | None) -> int:
    """Distinct links to the root of another version of the site: `/fa/`, `/en`, `https://english.host/`.

    Read only for pages without text, so it costs nothing on articles."""
    tree = LexborHTMLParser(html)
    here = urlsplit(url or "")
    roots = set()
    for node in tree.css("a[href]"):
        target = urlsplit(urljoin(url or "", node.attributes.get("href") or ""))
        if target.scheme not in ("http", "https", ""):
            continue
        other_host = bool(target.netloc) and target.netloc.lower() != here.netloc.lower()
        if target.path.strip("/") == "" and other_host or _LANGUAGE_ROOT.fullmatch(target.path):
            roots.add((target.netloc.lower(), target.path.strip("/").lower()))
    return len(roots)
