"""The cities a Russian, Persian or Arabic text names, and whether a place preposition introduces them.

"в Тегеране", "در تهران", "في دمشق", "بطهران": Russian declines a city's name, Arabic
may join a preposition or conjunction to it, and all three write it in their own
letters, which no gazetteer here has (`cities.toml` does). The meeting step decides
which city is the event's; this says where each one is named and how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import product

from harvester.languages.fold import fold_with_offsets
from harvester.languages.lexicon import lexicon
from harvester.languages.stem import russian_lemma, stem

_WORD = re.compile(r"[\w-]+")
# What Arabic joins to the front of a word: a conjunction (و, ف) and a preposition (ب, ل, ك).
_ARABIC_PREFIXES = ("وب", "فب", "ول", "وفي", "ب", "ل", "و", "ف")


@dataclass(frozen=True)
class PlaceMention:
    """A city named in a text: its English name, the words that name it, and whether a preposition comes first."""

    city: str
    evidence: str
    start: int
    end: int
    after_preposition: bool


def _word_keys(word: str, language: str) -> tuple[str, ...]:
    """A Russian word's Snowball stem and its pymorphy3 lemma: each alone misses some declined city (Тегеране, Астане)."""
    if language != "ru":
        return (word,)
    return tuple(dict.fromkeys((stem(word, "ru"), russian_lemma(word))))


@cache
def _names(language: str) -> dict[tuple[str, ...], str]:
    """Each city name of `language` under every tuple of its words' keys."""
    found: dict[tuple[str, ...], str] = {}
    for name, city in lexicon(language).cities.items():
        for keys in product(*(_word_keys(word, language) for word in _WORD.findall(name))):
            found[keys] = city
    return found


def places_in(text: str, language: str) -> list[PlaceMention]:
    """Every city `text` names in `language` (ru, fa, ar), in text order; [] for a language without a lexicon."""
    if language not in ("ru", "fa", "ar"):
        return []
    words = lexicon(language)
    names = _names(language)
    longest = max((len(name) for name in names), default=0)
    folded, offsets = fold_with_offsets(text)
    tokens = [(match.group(), match.start(), match.end()) for match in _WORD.finditer(folded)]
    found: list[PlaceMention] = []
    index = 0
    while index < len(tokens):
        hit = None
        for size in range(min(longest, len(tokens) - index), 0, -1):
            span = [token for token, _, _ in tokens[index:index + size]]
            city = next((names[keys] for keys in product(*(_word_keys(word, language) for word in span)) if keys in names), None)
            joined = False
            if city is None and language == "ar":  # بطهران, وفي دمشق joined: try without what is joined in front
                for prefix in _ARABIC_PREFIXES:
                    if span[0].startswith(prefix) and len(span[0]) > len(prefix) + 2:
                        city = names.get((span[0][len(prefix):], *span[1:]))
                        if city is not None:
                            joined = prefix.endswith(("ب", "ل", "في"))
                            break
            if city is not None:
                hit = (city, size, joined)
                break
        if hit is None:
            index += 1
            continue
        city, size, joined = hit
        start, end = offsets[tokens[index][1]], offsets[tokens[index + size - 1][2] - 1] + 1
        before = tokens[index - 1][0] if index else ""
        found.append(PlaceMention(city, text[start:end], start, end, joined or before in words.prepositions))
        index += size
    return found
