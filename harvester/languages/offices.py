"""Offices a Russian, Persian or Arabic text names, with the country each is of.

"Президент Ирана", "иранский президент", "رئیس‌جمهور روسیه", "الرئيس الروسي",
"ولي العهد السعودي": an office (the lexicon's `[offices]`, given as the English
office) next to a country's name (CLDR's names through Babel, and the lexicon's
`[countries]`) or its demonym (`[demonyms]`) says whose office it is. Russian puts
the demonym before the office and the country after it, in the genitive; Persian
and Arabic put both after. The nearest country within a few words wins, the
words after the office first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from harvester.languages.fold import primary
from harvester.languages.lexicon import LANGUAGES, lexicon
from harvester.languages.match import Found, Table, tokens

# How many words after and before an office its country may stand ("Президент Исламской Республики Иран").
AFTER, BEFORE = 4, 2


@dataclass(frozen=True)
class OfficeMention:
    """An office named in a text: the English office, its country (ISO 3166 code) if named beside it, and the words."""

    office: str
    country: str | None
    evidence: str
    start: int
    end: int


@cache
def _tables(language: str) -> tuple[Table, Table]:
    words = lexicon(language)
    return Table(words.offices, language), Table(words.countries | words.demonyms, language)


def offices_in(text: str, language: str) -> list[OfficeMention]:
    """Every office `text` names in `language` (ru, fa, ar), with its country where one stands beside it."""
    language = primary(language) or ""
    if language not in LANGUAGES:
        return []
    offices, countries = _tables(language)
    words = tokens(text)
    found = []
    for office in offices.find(words):
        after = countries.find(words, office.last + 1, min(len(words), office.last + 1 + AFTER))
        before = countries.find(words, max(0, office.first - BEFORE), office.first)
        country: Found | None = after[0] if after else (before[-1] if before else None)
        first = min(office.first, country.first) if country else office.first
        last = max(office.last, country.last) if country else office.last
        start, end = words[first].start, words[last].end
        found.append(OfficeMention(office.value, country.value if country else None, text[start:end], start, end))
    return found
