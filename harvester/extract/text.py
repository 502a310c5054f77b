"""Text of an element as paragraphs: what a reader sees as separate blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td th thead "
    "tr ul".split()
)
INVISIBLE_TAGS = frozenset("script style noscript template iframe svg canvas select textarea input head".split())
WHITESPACE = re.compile(r"\s+")
# Control characters (but tab, newline and carriage return) and the two non-characters: a scraped
# title holding a BEL or an ESC would make every XML document it reaches (the Atom feed) invalid.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


PARAGRAPH_BREAK = "\n\n"


def blocks_of(text: str | None) -> list[str]:
    """A stored text's paragraphs: extraction joins them with a blank line, and nothing else splits them."""
    return [block for block in (text or "").split(PARAGRAPH_BREAK) if block.strip()]


def without_controls(text: str) -> str:
    """`text` without control characters other than tab, newline and carriage return."""
    return CONTROLS.sub("", text)


def collapse(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def paragraphs(node: LexborNode) -> list[str]:
    """Every run of inline text between two block boundaries becomes one paragraph."""
    blocks: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            text = collapse("".join(pending))
            if text:
                blocks.append(text)
            pending.clear()

    # An explicit stack rather than recursion: malformed pages nest thousands of unclosed elements deep.
    # A block element's closing boundary is a `None` pushed beneath its children.
    stack: list[Iterator[LexborNode] | None] = [node.iter(include_text=True)]
    while stack:
        top = stack[-1]
        if top is None:
            stack.pop()
            flush()
            continue
        child = next(top, None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag or ""
        if tag == "-text":
            pending.append(child.text_content or "")
        elif tag in INVISIBLE_TAGS or tag.startswith("-"):
            continue
        elif tag in BLOCK_TAGS:
            flush()
            stack.extend((None, child.iter(include_text=True)))
        else:
            stack.append(child.iter(include_text=True))
    flush()
    return blocks
