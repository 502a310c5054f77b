"""What the corpus has learnt of a source, handed to extraction: its template and its usual length.

A site's template (menus, tickers, "Font Size", a view counter, the site name in
two scripts) is whatever short block recurs, word for word, on many of its pages.
Nobody lists it: the store counts on how many of a source's pages each short body
block appears, and a block seen on `MIN_PAGES` pages or more is stripped from the
pages that follow. A block seen on one page only is never template.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Pages a block must appear on before it is template. Three, not two: two readouts
# of one source can share a short line by chance (a quoted slogan, "* * *").
MIN_PAGES = 3
# Only short blocks that are not sentences are learnt: template text is menus,
# counters, labels and names. A sentence found in many readouts of one source is
# that source's formula ("The two sides discussed bilateral relations …"): part
# of what it said, so it stays, and deduplication weighs it, not extraction.
MAX_CHARS = 300
SENTENCE_WORDS = 5
# A configured body this much shorter than the source's usual readout means the
# selector now catches the wrong element: the generic extractor takes over.
SHORT_SHARE = 0.3
# The usual length is only trusted once the source has this many readouts.
USUAL_AFTER = 5

_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?\u2026\u061f\u06d4\u3002][\"'\u201d\u2019\u00bb)]*$")
_SPACE = re.compile(r"\s+")


def fingerprint(block: str) -> int:
    """One block's identity as a signed 64-bit integer (an SQLite integer).

    Case, spacing and numbers are ignored, so "Views: 702" and "Views: 1,015"
    are the same counter.
    """
    normal = _SPACE.sub(" ", _DIGITS.sub("0", block.casefold())).strip()
    return int.from_bytes(hashlib.blake2b(normal.encode(), digest_size=8).digest(), "big", signed=True)


def without_template(blocks: list[str], template: Iterable[int]) -> list[str]:
    """The blocks that are not template; a text the template explains entirely is kept whole, as extraction does."""
    marks = set(template)
    kept = [block for block in blocks if fingerprint(block) not in marks]
    return kept or blocks


def learnable(block: str) -> bool:
    sentence = len(block.split()) >= SENTENCE_WORDS and _SENTENCE_END.search(block) is not None
    return len(block) <= MAX_CHARS and not sentence


@dataclass(frozen=True)
class SourceProfile:
    # fingerprints of the source's learnt template blocks, with the number of pages each was seen on
    template: dict[int, int] = field(default_factory=dict)
    # median characters of the source's readouts, None until it has `USUAL_AFTER` of them
    usual_chars: int | None = None

    def too_short(self, text: str) -> bool:
        return self.usual_chars is not None and len(text) < SHORT_SHARE * self.usual_chars


NO_PROFILE = SourceProfile()
