"""The cities a Russian, Persian or Arabic text names, and whether a place preposition introduces them.

"в Тегеране", "در تهران", "في دمشق", "بطهران": Russian declines a city's name, Arabic
may join a preposition or conjunction to it, and all three write it in their own
letters, which no gazetteer here has (`cities.toml` does). The meeting step decides
which city is the event's; this says where each one is named and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from harvester.languages.fold import primary
from harvester.languages.lexicon import LANGUAGES, lexicon
from harvester.languages.match import ARABIC_PREFIXES, PREPOSITIONS, Table, tokens


@dataclass(frozen=True)
class PlaceMention:
    """A city named in a text: its English name, the words that name it, and whether a preposition comes first."""

    city: str
    evidence: str
    start: int
    end: int
    after_preposition: bool


@cache
def _cities(language: str) -> Table:
    return Table(lexicon(language).cities, language)


@cache
def _countries(language: str) -> Table:
    words = lexicon(language)
    return Table(words.countries | words.demonyms, language)


# The most words between what a place is called and its name ("مجموعه تاریخی - فرهنگی", a dash a word).
EPITHETS = 3
# The most words a country's name between a place noun and the city takes ("Объединенных Арабских Эмиратов").
COUNTRY_WORDS = 4


def places_in(text: str, language: str) -> list[PlaceMention]:
    """Every city `text` names in `language` (ru, fa, ar), in text order; [] for a language without a lexicon."""
    language = primary(language) or ""
    if language not in LANGUAGES:
        return []
    prepositions = lexicon(language).prepositions
    words = tokens(text)
    found = []
    for hit in _cities(language).find(words):
        start, end = words[hit.first].start, words[hit.last].end
        before = words[hit.first - 1].word if hit.first else ""
        introduced = hit.joined in PREPOSITIONS or before in prepositions
        if not introduced and hit.first:
            # the preposition before what the place is called: "в городе Сочи", "في منتجع سوتشي", "بمدينة سوتشي",
            # its epithets between ("در مجموعه تاریخی - فرهنگی سعدآباد", in the historical-cultural complex)
            introduced = any(_introduced_noun(words[noun].word, words[noun - 1].word if noun else "", language)
                             for noun in range(hit.first - 1, max(-1, hit.first - 2 - EPITHETS), -1))
        if not introduced and hit.first:
            # and the country it is of between the two: "в столице ОАЭ Абу-Даби", "في العاصمة الإيرانية طهران"
            country = next((c for c in _countries(language).find(words, max(0, hit.first - COUNTRY_WORDS), hit.first)
                            if c.last == hit.first - 1), None)
            if country is not None and country.first:
                noun = country.first - 1
                introduced = _introduced_noun(words[noun].word, words[noun - 1].word if noun else "", language)
        found.append(PlaceMention(hit.value, text[start:end], start, end, introduced))
    return found


@dataclass(frozen=True)
class SeatMention:
    """A country's palace or capital named by the country alone: its ISO code and the words that name it."""

    country: str
    evidence: str
    start: int
    end: int


# The most words between a palace and the country it is of ("کاخ ریاست جمهوری الجزایر", "قصر الرئاسة الجزائري").
SEAT_WORDS = 3


def seats_in(text: str, language: str) -> list[SeatMention]:
    """Every palace or capital of a country that `text` names after a place preposition, by the country alone
    ("در کاخ ریاست جمهوری الجزایر", "في العاصمة السعودية", "в столице Турции"), in text order.

    The meeting step puts such an event in the country's capital, where no city is named.
    """
    language = primary(language) or ""
    if language not in LANGUAGES:
        return []
    words = tokens(text)
    seats = lexicon(language).seat_nouns
    found = []
    for country in _countries(language).find(words):
        for noun in range(country.first - 1, max(-1, country.first - 2 - SEAT_WORDS), -1):
            word, before = words[noun].word, words[noun - 1].word if noun else ""
            joined = language == "ar" and any(word.startswith(p) and article + word[len(p):] in seats
                                               for p, article in ARABIC_PREFIXES if p in PREPOSITIONS)
            if joined or (word in seats and before in lexicon(language).prepositions):
                start, end = words[noun - (0 if joined else 1)].start, words[country.last].end
                found.append(SeatMention(country.value, text[start:end], start, end))
                break
    return found


def _introduced_noun(word: str, before: str, language: str) -> bool:
    """Whether `word` names what a place is (a city, a palace) after a place preposition, joined or not."""
    words = lexicon(language)
    if word in words.place_nouns:
        return before in words.prepositions
    return language == "ar" and any(
        word.startswith(prefix) and article + word[len(prefix):] in words.place_nouns
        for prefix, article in ARABIC_PREFIXES if prefix in PREPOSITIONS)
