"""Generic main-text extraction: the article body of any page, with no per-site rules.

One walk over the DOM cuts the page into text blocks (skipping scripts, forms, navigation and other
never-text elements) and records, for every block-level element, its parent, its subtree range, its tag
and whether its class/id names page furniture. Each block gets a language-neutral value from its length,
link share and punctuation: prose counts for its length, link lists against. Summing the values bottom-up
and taking the element with the largest sum finds the tightest element that holds the article but little
chrome. Inside it, blocks under furniture, link lists, text repeated elsewhere on the page and short
blocks that prose does not frame are dropped. That is the structural reading; a logistic model fitted
offline on the extraction dev sets (bench/train_extractor.py) then decides every block of the article
element, the structural reading's choices among its features, so it may drop a kept block or keep a dropped
one. Cross-evaluated on sites it was not fitted on, no departure from the structural reading generalised, so
the packaged numbers keep its text. They live in generic_model.py: plain numbers, nothing to load at run time.

All per-element work is list appends and integer sums over those records, so the run time stays close
to Lexbor's parse time.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvester.extract import generic_model

# Never body text: the walk skips them with their content.
_STRIP = frozenset((
    "head script style noscript template svg math iframe object embed canvas video audio picture map "
    "select textarea input button label nav aside footer figcaption dialog"
).split())

# Never text and without content: not worth a visit.
_SKIP = _STRIP | frozenset("img meta link source track wbr area col param base rt rp".split())

# Elements that end a paragraph. Everything else is inline and joins its text to the current block.
_BLOCK = frozenset(
    "address article blockquote body br dd details div dl dt fieldset figure form h1 h2 h3 h4 h5 h6 header hr "
    "li main ol p pre section summary table tbody td tfoot th thead tr ul center".split()
)
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
# Short text repeated in these is a list entry (the same name under several headings), not furniture.
_ITEMS = frozenset("p li td dd dt".split())
# Elements that hold text inside a section rather than make one (paragraphs, lists, tables): their text belongs
# to the section around them, and the element holding an article is never one of them.
_TEXT_WRAPPERS = _HEADINGS | frozenset("p li ul ol dl dd dt blockquote pre table thead tbody tfoot tr th td".split())
# Block elements that mark their content as not-the-article, like the class/id hints below.
_CHROME_TAGS = frozenset("header figure form".split())
# Only sections of the page carry hints; on a paragraph a class like "paywall" or "has-dropcap" says nothing.
_HINTABLE = frozenset("div section article main ul ol dl table center details blockquote".split())

# Widely used class/id words for page furniture; a weak signal, ignored on elements holding most of the page.
# The patterns are matched against lower-cased attributes: case-insensitive alternations are several times slower.
# The words, grouped by their first letters so that the search tests a few branches at each position instead of
# every word (three times faster; the word boundaries come after the word for the same reason): share, sharing,
# social, subscri, signup, sponsor, sidebar, related, recommend, read-more/readmore, promo, popup, newsletter,
# nav at a word start, advert, author, widget, footer, menu, modal, more-, breadcrumb, byline, banner, caption,
# credit, cookie, toolbar, the word tags, tag-list/taglist, tag-cloud/tagcloud, taboola, tweet, twitter, tiktok,
# keywords, outbrain, disclaimer, instagram, embed.
_COMMENT_HINT = re.compile(r"comment(?!ary)|disqus")
_HINT = re.compile(
    r"s(?:har(?:e|ing)|ocial|ubscri|ignup|ponsor|idebar)|re(?:lated|commend|ad-?more)|p(?:romo|opup)|newsletter"
    r"|nav(?<=\bnav)|a(?:dvert|uthor)|widget|footer|m(?:enu|odal|ore-)|b(?:readcrumb|yline|anner)"
    r"|c(?:aption|redit|ookie)|t(?:oolbar|a(?:gs(?<=\btags)\b|g-?(?:list|cloud)|boola)|weet|witter|iktok)"
    r"|keywords|outbrain|disclaimer|instagram|embed"
)
# Whole class names only: "page-ad-hidden" on a page wrapper says nothing about the wrapper itself.
_INVISIBLE_CLASSES = frozenset("hidden hide d-none invisible sr-only visually-hidden screen-reader-text".split())
_INVISIBLE_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|clip\s*:\s*rect\(\s*0")
# A time, a numeric date or a year in a line that is not a sentence: a byline, a timestamp, a comment header.
# Written to start with \d in every branch (the year's "not after a digit" as a look-behind after it), so
# that the search skips to digits: five times faster than the plain alternation on the same matches.
_DATELINE = re.compile(r"\d(?::\d\d|[-/.]\d{1,2}[-/.]\d|\d{3}(?<!\d{5})(?!\d))")
# A clock time or a numeric date: what a comment or feed item opens with. The leading digit is shared by
# both branches, which halves the search's time; the matches are the same.
_STAMP = re.compile(r"\d(?::\d\d|\d{0,3}[-/.]\d{1,2}[-/.]\d{1,4})")
_STAMP_REACH = 48
_STAMPED_ITEMS = 3
_SENTENCE_END = re.compile(r"[.!?;:,\u061f\u061b\u060c\u06d4\u0964\u3002\uff01\uff1f\uff0c\u2026]")
# A sentence's final stop, then closing quotes or brackets to the end. A string test, not a regex: a search
# anchored at the end still tries every position of a paragraph.
_STOPS = frozenset(".!?\u061f\u06d4\u0964\u3002\uff01\uff1f\u2026")
_CLOSERS = "\"'\u201d\u2019\u00bb)"


def _final_stop(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _STOPS


_GOOD_CHARS = 80  # a prose paragraph is at least this long (in characters, so any script works)
_SHORT_CHARS = 30
_MAX_LINK_DENSITY = 0.33  # prose cites its sources in links; a third of it in links is a list of them
_MAX_PROSE_LINK_DENSITY = 0.8
# A hinted element holding more than this share of the page's prose is a wrapper, not furniture. Comment
# sections can outweigh a short article, so a comment hint yields only to an element holding nearly everything.
_WRAPPER_SHARE = 0.5
_COMMENTS_WRAPPER_SHARE = 0.85
_CARD_PROSE = 3 * _GOOD_CHARS  # a story card has a summary at most, an article section has paragraphs
_SIBLING_PROSE = 2 * _GOOD_CHARS  # a section of the article beside the picked one holds two paragraphs' worth
_LEFT_SHARE = 0.1  # hints leaving the article less than this share of the page's prose are set aside
_SEMANTIC = frozenset(("article", "main"))
_SEMANTIC_SHARE = 0.5

# Block kinds, best first, and hint strengths.
_GOOD, _MEDIUM, _SHORT, _BAD = range(4)
_WEAK, _STRONG = 1, 2


@lru_cache(maxsize=8192)
def _look(class_: str | None, id_: str | None, style: str | None) -> int:
    """What an element's attributes say about its text: -1 never seen (hidden, screen-reader only), else how
    strongly they say "not the article": 0, weakly, or strongly (reader comments).

    Cached: sites repeat the same few class strings on hundreds of elements."""
    class_ = class_.lower() if class_ else ""
    if not _INVISIBLE_CLASSES.isdisjoint(class_.split()) or style and _INVISIBLE_STYLE.search(style.lower()):
        return -1
    words = f"{class_} {id_.lower() if id_ else ''}"
    if _COMMENT_HINT.search(words):
        return _STRONG
    return _WEAK if _HINT.search(words) else 0


@dataclass(slots=True)
class _Page:
    """One walk's records. Containers (block elements) are numbered in document order, so a container's
    descendants are exactly the numbers after it up to its `end`; blocks are runs of text in document order."""

    parent: list[int] = field(default_factory=lambda: [-1])
    end: list[int] = field(default_factory=lambda: [0])
    tag: list[str] = field(default_factory=lambda: ["body"])
    hint: list[int] = field(default_factory=lambda: [0])
    texts: list[str] = field(default_factory=list)
    links: list[int] = field(default_factory=list)  # characters of each block that are link text
    owner: list[int] = field(default_factory=list)  # the container each block's text sits directly in


def _walk(body: LexborNode) -> _Page:
    """The single pass over the DOM; kept to list appends and cached lookups because it dominates the run time."""
    page = _Page()
    parent, end, tags, hints = page.parent, page.end, page.tag, page.hint
    texts, links, owners = page.texts, page.links, page.owner
    pending: list[str] = []
    pending_link = 0

    # A block ends where a block element opens or closes: its pieces of text joined, white space collapsed.
    # Written out at each place rather than called: it runs once per block.
    # An explicit stack rather than recursion: malformed pages nest thousands of unclosed elements deep.
    # Each entry: the children still to visit, the container their text belongs to, whether they are inside
    # a link, and the container that closes when they are done (-1 for an inline element).
    block_tags, hintable, skipped, chrome, look, semantic = _BLOCK, _HINTABLE, _SKIP, _CHROME_TAGS, _look, _SEMANTIC
    stack = [(body.iter(include_text=True, skip_empty=True), 0, False, -1)]
    push = stack.append
    while stack:
        children, owner, in_link, closing = stack[-1]
        for child in children:
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                pending.append(text)
                if in_link:
                    pending_link += len(text.strip())
            elif tag in block_tags:
                if pending:
                    text = " ".join("".join(pending).split())
                    pending.clear()
                    if text:
                        texts.append(text)
                        links.append(pending_link)
                        owners.append(owner)
                    pending_link = 0
                if tag == "br" or tag == "hr":
                    continue
                if tag in hintable:
                    attributes = child.attributes
                    if "hidden" in attributes:
                        continue
                    hint = look(attributes.get("class"), attributes.get("id"), attributes.get("style"))
                    if hint < 0:
                        continue
                    if tag in semantic:
                        hint = 0
                    if attributes.get("itemprop") == "articleBody":
                        hint = 0
                else:
                    hint = _WEAK if tag in chrome else 0
                index = len(tags)
                parent.append(owner)
                end.append(index)
                tags.append(tag)
                hints.append(hint)
                push((child.iter(include_text=True, skip_empty=True), index, in_link, index))
                break
            elif tag is not None and tag[0] != "-" and tag not in skipped:
                if tag == "span":
                    attributes = child.attributes
                    if "hidden" in attributes or look(attributes.get("class"), None, attributes.get("style")) < 0:
                        continue
                push((child.iter(include_text=True, skip_empty=True), owner, in_link or tag == "a", -1))
                break
        else:
            stack.pop()
            if closing >= 0:
                if pending:
                    text = " ".join("".join(pending).split())
                    pending.clear()
                    if text:
                        texts.append(text)
                        links.append(pending_link)
                        owners.append(closing)
                    pending_link = 0
                end[closing] = len(tags) - 1
    if pending:
        text = " ".join("".join(pending).split())
        if text:
            texts.append(text)
            links.append(pending_link)
            owners.append(0)
    end[0] = len(tags) - 1
    return page


def _kind(text: str, link_chars: int) -> int:
    """Prose, middling, short or furniture, from length, punctuation and link share only: any script works."""
    size = len(text)
    if size >= _GOOD_CHARS and _SENTENCE_END.search(text):
        # Prose that cites many sources is still prose; a list of headlines is almost all link.
        if link_chars <= _MAX_LINK_DENSITY * size:
            return _GOOD
        return _MEDIUM if link_chars <= _MAX_PROSE_LINK_DENSITY * size else _BAD
    if _DATELINE.search(text) and not _final_stop(text):
        return _BAD
    # A line ending in a colon introduces what follows ("From the Times:"), even when it is a link.
    if link_chars > _MAX_LINK_DENSITY * size and not text.endswith(":"):
        return _BAD
    return _SHORT if size < _SHORT_CHARS else _MEDIUM


def _value(kind: int, size: int) -> int:
    """How much a block looks like article prose (positive) or furniture (negative)."""
    if kind == _GOOD:
        return size
    if kind == _BAD:
        return -size
    return size // 2 if kind == _MEDIUM else 0


@dataclass(frozen=True)
class MainText:
    """The main text of a page, and what surrounds it that says whether the page is an article at all."""

    text: str
    headlines: int  # see Blocks.headlines


# What the model weighs about every block of the article element, kept by the structural reading or not: the
# structural reading's choices (whether it keeps the block and its neighbours, whether the block passed its
# filters, lies under furniture, in the headline), the block's own text, its tag, whether an element between it
# and the article element has a furniture class/id word, its place in the page and its depth below the article
# element. All language-neutral: lengths in characters, punctuation of any script. The last is a structural
# choice crossed with prose, as a linear model cannot cross them itself: prose the reading dropped.
# Blocks outside the article element stay out: a model over every block of the page was fitted too, and on
# pages of sites it was not fitted on it lost F1 at every penalty tried (bench/train_extractor.py).
FEATURES = (
    "kept", "kept_before", "kept_after", "candidate", "under_furniture", "h1",
    "prose", "middling", "short", "log_chars", "link_share", "final_stop",
    "p", "li", "heading", "cell",
    "under_hint", "repeated", "position", "depth",
    "dropped_prose",
)


@dataclass(frozen=True)
class BlockModel:
    """Which blocks of the page are article text: a logistic model over every block's features, the
    structural reading's choices among them, keeping a block when bias + weights · features > 0.

    Fitted offline by bench/train_extractor.py on both dev sets and checked there by cross-evaluation;
    `generic_model.py` holds its numbers, so nothing is loaded or downloaded at run time."""

    weights: tuple[float, ...]  # one per name in FEATURES
    bias: float

    @classmethod
    def from_names(cls, weights: dict[str, float], bias: float) -> BlockModel:
        if set(weights) != set(FEATURES):
            raise ValueError(
                f"model weights do not match the features: missing {sorted(set(FEATURES) - set(weights))},"
                f" unknown {sorted(set(weights) - set(FEATURES))}"
            )
        return cls(tuple(weights[name] for name in FEATURES), bias)

    def keeps(self, row: tuple[float, ...]) -> bool:
        score: float = self.bias + sum(map(operator.mul, self.weights, row))
        return score > 0


MODEL = BlockModel.from_names(generic_model.WEIGHTS, generic_model.BIAS)


@dataclass(frozen=True)
class Blocks:
    """A page cut into text blocks, with what the model weighs about each."""

    texts: tuple[str, ...]
    rows: tuple[tuple[float, ...] | None, ...]  # in FEATURES order; None outside the article element
    # Headings whose text is mostly a link: the headlines of other pages, as on a home page or a tag page.
    headlines: int

    def text(self, model: BlockModel) -> str:
        """The blocks the model keeps, as paragraphs joined by blank lines."""
        return "\n\n".join(text for text, row in zip(self.texts, self.rows) if row is not None and model.keeps(row))


def main_text(html: str, url: str | None = None) -> str:
    """The article body as paragraphs joined by blank lines; "" when the page has no article.

    `url` is accepted for callers that have it; the extraction is purely structural.
    """
    return find_main(LexborHTMLParser(html)).text


def find_main(document: LexborHTMLParser, model: BlockModel = MODEL) -> MainText:
    """`main_text` with the page's linked headlines, from the same single pass (see `pagetype`).

    It takes the parsed page, which it only reads, so the extract stage parses a page once."""
    blocks = read_blocks(document)
    return MainText(blocks.text(model), blocks.headlines)


def read_blocks(document: LexborHTMLParser) -> Blocks:
    """The page's blocks and their features: the one walk, the structural reading, then each block's row."""
    body = document.body
    if body is None:
        return Blocks((), (), 0)
    page = _walk(body)
    tags = page.tag
    headlines = sum(
        1
        for owner, text, link_chars in zip(page.owner, page.texts, page.links)
        if (tags[owner] in _HEADINGS or tags[owner] == "h1") and link_chars > _MAX_LINK_DENSITY * len(text)
    )
    if not page.texts:
        return Blocks((), (), headlines)
    kinds = [_kind(text, link_chars) for text, link_chars in zip(page.texts, page.links)]
    furniture, best = _locate(page, kinds)
    if best < 0:
        return Blocks(tuple(page.texts), (None,) * len(page.texts), headlines)
    repeats: dict[str, int] = {}
    for text in page.texts:
        repeats[text] = repeats.get(text, 0) + 1
    candidates = _candidates(page, kinds, furniture, best, repeats)
    kept = set(_frame(candidates, page.texts))
    chosen = {block for block, _, _, _ in candidates}
    return Blocks(tuple(page.texts), _features(page, kinds, furniture, best, kept, chosen, repeats), headlines)


_CELLS = frozenset(("td", "th"))
# Depth below the article element counts up to here: a weight must not grow without bound on a malformed page
# that nests thousands of elements.
_DEEP = 10


def _features(
    page: _Page, kinds: list[int], furniture: list[bool], best: int, kept: set[int], chosen: set[int],
    repeats: dict[str, int],
) -> tuple[tuple[float, ...] | None, ...]:
    """The row of FEATURES of every block of the article element `best`, None for the others. `kept` are
    the blocks the structural reading keeps, `chosen` those that passed its filters, `repeats` counts each
    text's blocks on the page."""
    parent, tags, hints = page.parent, page.tag, page.hint
    last = page.end[best]
    hinted = [False] * len(parent)
    under = [False] * len(parent)
    depth = [0] * len(parent)
    for index in range(best + 1, last + 1):
        up = parent[index]
        depth[index] = depth[up] + 1
        hinted[index] = hinted[up] or hints[index] > 0
        under[index] = under[up] or furniture[index]
    texts, owners, links = page.texts, page.owner, page.links
    count = len(texts)
    final_stop, log1p = _final_stop, math.log1p
    rows: list[tuple[float, ...] | None] = [None] * count
    for block in range(count):
        owner = owners[block]
        if not best <= owner <= last:
            continue
        text, kind = texts[block], kinds[block]
        size = len(text)
        tag = tags[owner]
        keep = block in kept
        prose = kind == _GOOD
        rows[block] = (
            1.0 if keep else 0.0,
            1.0 if block - 1 in kept else 0.0,
            1.0 if block + 1 in kept else 0.0,
            1.0 if block in chosen else 0.0,
            1.0 if under[owner] else 0.0,
            1.0 if tag == "h1" else 0.0,
            1.0 if prose else 0.0,
            1.0 if kind == _MEDIUM else 0.0,
            1.0 if kind == _SHORT else 0.0,
            log1p(size),
            links[block] / size,
            1.0 if final_stop(text) else 0.0,
            1.0 if tag == "p" else 0.0,
            1.0 if tag == "li" else 0.0,
            1.0 if tag in _HEADINGS else 0.0,
            1.0 if tag in _CELLS else 0.0,
            1.0 if hinted[owner] else 0.0,
            1.0 if repeats[text] > 1 else 0.0,
            block / count,
            min(depth[owner], _DEEP) / _DEEP,
            1.0 if prose and not keep else 0.0,
        )
    return tuple(rows)


def comment_blocks(html: str) -> set[str]:
    """The text of the page's reader-comment sections, as `main_text` sees them: elements named for
    comments, and lists whose items open with an author and a time. For explaining what was left out."""
    body = LexborHTMLParser(html).body
    if body is None:
        return set()
    page = _walk(body)
    kinds = [_kind(text, link_chars) for text, link_chars in zip(page.texts, page.links)]
    sections = _stamped_lists(page, kinds) | {i for i, hint in enumerate(page.hint) if hint == _STRONG}
    return {
        text
        for text, owner in zip(page.texts, page.owner)
        if any(section <= owner <= page.end[section] for section in sections)
    }


def _locate(page: _Page, kinds: list[int]) -> tuple[list[bool], int]:
    """Which elements are furniture, and the element holding the article (-1: none).

    The article is the element whose blocks, summed bottom-up, are worth the most, where furniture counts
    for nothing (it is dropped anyway) and cannot itself be picked.
    """
    count, parent, tags = len(page.parent), page.parent, page.tag
    prose = [0] * count
    values = [0] * count  # each element's own blocks, before its children's are added
    for owner, kind, text in zip(page.owner, kinds, page.texts):
        value = _value(kind, len(text))
        values[owner] += value
        if value > 0:
            prose[owner] += value
    for index in range(count - 1, 0, -1):
        prose[parent[index]] += prose[index]

    # A hinted element holding (nearly) all the page's prose is a wrapper whose class happens to mention
    # sharing or comments, not furniture. Lists of stamped items and story cards count as weakly hinted.
    hints = page.hint
    for index in _stamped_lists(page, kinds) | _teaser_cards(page, prose):
        hints[index] = max(hints[index], _WEAK)
    furniture, inside_furniture, net, best, best_net = _pick(page, prose, values, hints)
    if best_net <= 0 or prose[best] < _LEFT_SHARE * prose[0]:
        # Weak hints that leave (next to) no prose were wrong: a page builder names every block a "widget".
        furniture, inside_furniture, net, best, best_net = _pick(
            page, prose, values, [_STRONG if hint == _STRONG else 0 for hint in hints]
        )
    if best_net <= 0:
        return furniture, -1
    # An article is a section of the page, never a single paragraph, list item or table cell of one.
    while tags[best] in _TEXT_WRAPPERS and not inside_furniture[parent[best]]:
        best = parent[best]
    # The page's own markup for "the article": when one <article>/<main> below the pick holds most of its
    # prose, the rest of the pick is teasers and panels around it.
    semantic = max(
        (i for i in range(best + 1, page.end[best] + 1) if tags[i] in _SEMANTIC and not inside_furniture[i]),
        key=prose.__getitem__,
        default=None,
    )
    if semantic is not None and prose[semantic] >= _SEMANTIC_SHARE * prose[best]:
        best = semantic
    # Articles split into sibling sections (the lead beside the body, the ingredients beside the steps): when
    # the pick has siblings worth something on their own, the article is their parent, without the others.
    if best > 0 and not inside_furniture[parent[best]]:
        up = parent[best]
        siblings = [i for i in range(up + 1, page.end[up] + 1) if parent[i] == up and i != best]
        if any(not furniture[i] and net[i] > 0 and prose[i] >= _SIBLING_PROSE for i in siblings):
            for i in siblings:
                if net[i] <= 0 or prose[i] < _SIBLING_PROSE:
                    furniture[i] = True
            best = up
    # Inside the article, the header of an article holds its standfirst, not the site's masthead.
    for index in range(best + 1, page.end[best] + 1):
        if tags[index] == "header" and _within_semantic(index, parent, tags):
            furniture[index] = False
    return furniture, best


def _pick(
    page: _Page, prose: list[int], values: list[int], hints: list[int]
) -> tuple[list[bool], list[bool], list[int], int, int]:
    """Furniture under these hints, what lies inside it, the elements' summed values, and the best element
    outside furniture with its value."""
    count, parent = len(page.parent), page.parent
    limits = (-1, _WRAPPER_SHARE * prose[0], _COMMENTS_WRAPPER_SHARE * prose[0])
    furniture = [prose[i] <= limits[hint] for i, hint in enumerate(hints)]
    net = values.copy()
    for index in range(count - 1, 0, -1):
        if not furniture[index]:
            net[parent[index]] += net[index]
    inside_furniture = [False] * count
    best, best_net = 0, net[0]
    for index in range(1, count):
        inside = furniture[index] or inside_furniture[parent[index]]
        inside_furniture[index] = inside
        if not inside and net[index] > best_net:
            best, best_net = index, net[index]
    return furniture, inside_furniture, net, best, best_net


def _candidates(
    page: _Page, kinds: list[int], furniture: list[bool], best: int, repeats: dict[str, int]
) -> list[tuple[int, int, bool, int]]:
    """The blocks of the article element that are not furniture, headline or repeats, in page order, as
    (block number, kind, is a subheading, the section holding it)."""
    parent, tags, last = page.parent, page.tag, page.end[best]
    # Text shown twice is furniture (a caption, a teaser) unless one copy is the paragraph of the text
    # itself and the others a summary of it (key points, a standfirst), or it is a short item of a list
    # (the same name under several headings).
    in_paragraph: dict[str, int] = {}
    for text, owner in zip(page.texts, page.owner):
        if tags[owner] == "p":
            in_paragraph[text] = in_paragraph.get(text, 0) + 1
    under_furniture = [False] * len(parent)
    for index in range(best + 1, last + 1):
        under_furniture[index] = furniture[index] or under_furniture[parent[index]]

    blocks: list[tuple[int, int, bool, int]] = []
    for block, (text, owner, kind) in enumerate(zip(page.texts, page.owner, kinds)):
        if not best <= owner <= last or tags[owner] == "h1":  # h1: the headline, a field of its own
            continue
        if repeats[text] > 1 and not (
            (tags[owner] == "p" and in_paragraph[text] == 1) or (len(text) < _SHORT_CHARS and tags[owner] in _ITEMS)
        ):
            continue
        if under_furniture[owner]:
            continue
        section = owner
        while tags[section] in _TEXT_WRAPPERS and section != best:
            section = parent[section]
        blocks.append((block, kind, tags[owner] in _HEADINGS, section))
    return blocks


def _stamped_lists(page: _Page, kinds: list[int]) -> set[int]:
    """Containers of several same-tag items that each open with a time or date: reader comments, feeds.

    An item opens with a stamp when its first block is a short line holding one (author and date above a
    comment) or starts with one.
    """
    parent, end, owners = page.parent, page.end, page.owner
    opens: dict[tuple[int, str], int] = {}
    for block, text in enumerate(page.texts):
        stamp = _STAMP.search(text, 0, _STAMP_REACH)
        if not stamp or (kinds[block] == _GOOD and stamp.start()):
            continue
        # Every element this block opens is an item of its parent.
        previous = owners[block - 1] if block else -1
        element = owners[block]
        while element > 0 and not element <= previous <= end[element]:
            key = (parent[element], page.tag[element])
            opens[key] = opens.get(key, 0) + 1
            element = parent[element]
    return {container for (container, _), items in opens.items() if items >= _STAMPED_ITEMS}


def _teaser_cards(page: _Page, prose: list[int]) -> set[int]:
    """Elements holding one linked heading and at most a summary paragraph, next to others like them:
    the cards of other stories."""
    parent, end, tags = page.parent, page.end, page.tag
    headings = [
        owner
        for owner, text, link_chars in zip(page.owner, page.texts, page.links)
        if tags[owner] in _HEADINGS and link_chars > _MAX_LINK_DENSITY * len(text)
    ]
    cards: set[int] = set()
    for heading, following in zip(headings, headings[1:]):
        # The children of the two headings' lowest common ancestor that hold them are two cards.
        card = heading
        while not parent[card] <= following <= end[parent[card]]:
            card = parent[card]
        other = following
        while parent[other] != parent[card]:
            other = parent[other]
        cards.update(c for c in (card, other) if prose[c] <= _CARD_PROSE)
    return cards


def _within_semantic(index: int, parent: list[int], tags: list[str]) -> bool:
    while index > 0:
        index = parent[index]
        if tags[index] in _SEMANTIC:
            return True
    return False


def _frame(blocks: list[tuple[int, int, bool, int]], texts: list[str]) -> list[int]:
    """Keep prose, and what goes with it. After the first prose block: text in a section that holds prose
    (subheadings, short paragraphs, lists) and a subheading that prose follows. Anywhere: a short block
    between prose, a middling one next to prose. Before the first prose block, headings are titles and kickers.

    A page without prose paragraphs (a list of winners, a table of results) takes its best kind of block as prose.
    """
    anchor = min((kind for _, kind, _, _ in blocks), default=_BAD)
    if anchor == _BAD:
        return []
    body = {container for _, kind, _, container in blocks if kind == anchor}
    first = next(i for i, (_, kind, _, _) in enumerate(blocks) if kind == anchor)
    last = max(i for i, (_, kind, _, _) in enumerate(blocks) if kind == anchor)
    decided = [i for i, (_, kind, _, _) in enumerate(blocks) if kind == anchor or kind == _BAD]
    out: list[int] = []
    cursor = 0  # position in `decided` of the first decided block after i
    for i, (block, kind, heading, container) in enumerate(blocks):
        text = texts[block]
        while cursor < len(decided) and decided[cursor] <= i:
            cursor += 1
        if kind == anchor:
            out.append(block)
        elif kind != _BAD:
            before = cursor > 0 and blocks[decided[cursor - 1]][1] == anchor
            after = cursor < len(decided) and blocks[decided[cursor]][1] == anchor
            if container in body and (i > first or after) and (after or cursor == len(decided) or not (heading or text.endswith(":"))):
                out.append(block)
                continue
            if (i > first and after) if heading else (before and after) or (kind == _MEDIUM and (before or after) and i < last):
                out.append(block)
    return out
