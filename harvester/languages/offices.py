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

import re
from dataclasses import dataclass
from functools import cache

from harvester.languages.fold import fold, primary
from harvester.languages.lexicon import AFGHAN_SOLAR_MONTHS, LANGUAGES, lexicon
from harvester.languages.match import Found, Table, Token, tokens
from harvester.languages.stem import russian_lemma

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
        after = countries.find(words, office.last + 1, min(len(words), office.last + 1 + AFTER)) \
            or _this_country(words, office, countries, language)
        # Persian and Arabic write no country before an office: "الإيراني حسين أمير" is a minister's name
        # ("… وزير الخارجية الإيراني حسين أمير عبد اللهيان"), with no Iranian emir in it
        before = countries.find(words, max(0, office.first - BEFORE), office.first) if language == "ru" else []
        # countries joined by "and" are one office each ("همتایان ایرانی و ترکیه‌ای", "نظيريه الإيراني والتركي")
        joined: list[Found | None] = [*(_joined(words, after, language) if after
                                        else reversed(_joined(words, before[::-1], language)))]
        for country in joined or [None]:
            first = min(office.first, country.first) if country else office.first
            last = max(office.last, country.last) if country else office.last
            start, end = words[first].start, words[last].end
            found.append(OfficeMention(office.value, country.value if country else None, text[start:end], start, end))
    return found


def _this_country(words: list[Token], office: Found, countries: Table, language: str) -> list[Found]:
    """The country named last before `office`, where "this country" follows it ("رئیس جمهور این کشور", the
    president of this country), as found at the words "this country" (the office's evidence ends with them);
    [] where none does."""
    for phrase in lexicon(language).this_country:
        size = len(phrase.split())
        if [word.word for word in words[office.last + 1 : office.last + 1 + size]] == phrase.split():
            named = countries.find(words, 0, office.first)
            return [Found(named[-1].value, office.last + 1, office.last + size, "")] if named else []
    return []


# "And" between two countries, as each language writes it apart (Arabic joins it to the second: "والتركي").
AND = {"و", "и"}


def _joined(words: list[Token], countries: list[Found], language: str) -> list[Found]:
    """The first of `countries` (nearest the office) and those joined to it by "and", in that order."""
    if not countries:
        return []
    run = [countries[0]]
    for country in countries[1:]:
        near, far = sorted((run[-1], country), key=lambda found: found.first)
        between = [word.word for word in words[near.last + 1 : far.first]]
        joined_and = not between and language == "ar" and far.joined.startswith("و")
        if joined_and or (len(between) == 1 and between[0] in AND):
            run.append(country)
        else:
            break
    return run


# Where a language writes a person's name beside their office: Russian and Arabic after it ("министр
# иностранных дел Турции Хакан Фидан", "رئيس الوزراء العراقي مصطفى الكاظمي"), Persian before it ("مصطفی
# الکاظمی نخست‌وزیر عراق").
NAME_AFTER = {"ru": True, "ar": True, "fa": False}
# The words of a given name and surname: two, and an Arab name's "bin" with the father's name after it.
NAME_WORDS = 2
SON_OF = ("бен", "бин", "ибн", "بن", "ابن")
# What may stand between a name and its office: white space, a comma, quotation marks.
BETWEEN = re.compile(r"[\s,،«»\"“”]*")


@dataclass(frozen=True)
class Holder:
    """A name written beside an office of a named country, in the text's own letters (a Russian one in its
    nominative): who the text says holds that office, whether or not any list knows them."""

    office: OfficeMention
    name: str
    start: int
    end: int


def holders_in(text: str, language: str) -> list[Holder]:
    """The names `text` writes beside an office with its country (ru, fa, ar), each in the text's letters.

    A name is two words (with "bin" and a father's name after them, in an Arab name), right beside the office
    and its country, in the order the language writes them; no word of it is a title, an office, a country,
    a demonym or wording of the lexicon (an event, a plan, a day), and a Russian one is capitalised.
    """
    language = primary(language) or ""
    if language not in LANGUAGES:
        return []
    words = tokens(text)
    spans = [(o, next(i for i, w in enumerate(words) if w.start == o.start),
              next(i for i, w in enumerate(words) if w.end == o.end)) for o in offices_in(text, language) if o.country]
    found: list[Holder] = []
    for office, first, last in spans:
        indices = _name_after(words, last, text, language) if NAME_AFTER[language] else _name_before(words, first, text, language)
        if indices and not any(h.start == words[indices[0]].start for h in found):  # "الأمير" after an office
            start, end = words[indices[0]].start, words[indices[-1]].end
            name = " ".join(_nominative(text[words[i].start:words[i].end], language) for i in indices)
            found.append(Holder(office, name, start, end))
    return found


def _nominative(word: str, language: str) -> str:
    if language != "ru" or word.lower() in SON_OF:
        return word
    return russian_lemma(word.lower()).capitalize()


@cache
def _not_names(language: str) -> frozenset[str]:
    """The folded words that are no part of a name: the lexicon's titles, offices, countries, demonyms and wording."""
    words = lexicon(language)
    phrases = (*words.honorifics, *words.offices, *words.countries, *words.demonyms, *words.plan, *words.reported,
               *words.relative_days, *words.weekdays, *words.months, *words.prepositions, *words.earlier,
               *(phrase for kind in words.events.values() for phrase in kind))
    return frozenset(word for phrase in phrases for word in phrase.split())


def _name_word(words: list[Token], index: int, text: str, language: str) -> bool:
    word = words[index].word
    if not word.isalpha() or word in _not_names(language) or len(word) < 2:
        return False
    if language == "ru":
        original = text[words[index].start]
        return original.isupper() and not any(word.startswith(d) for d in lexicon(language).demonyms)
    return not (language == "ar" and word.removeprefix("ال") in _not_names(language))


def _adjacent(words: list[Token], left: int, right: int, text: str) -> bool:
    return BETWEEN.fullmatch(text[words[left].end:words[right].start]) is not None


def _name_after(words: list[Token], last: int, text: str, language: str) -> list[int]:
    index = last + 1
    honorifics = {w for phrase in lexicon(language).honorifics for w in phrase.split()}
    if index < len(words) and words[index].word in honorifics and _adjacent(words, last, index, text):
        last, index = index, index + 1  # "الأمير فيصل بن فرحان", "шейх …"
    picked: list[int] = []
    while index < len(words) and len(picked) < NAME_WORDS and _adjacent(words, picked[-1] if picked else last, index, text):
        if picked and words[index].word in SON_OF and index + 1 < len(words) and _name_word(words, index + 1, text, language):
            picked += [index, index + 1]  # "فيصل بن فرحان", "Мухаммед бен Салман": the father's name is the surname
            index += 2
            continue
        if words[index].word in SON_OF or not _name_word(words, index, text, language):
            break
        picked.append(index)
        index += 1
    if len(picked) < NAME_WORDS or (language == "ar" and words[picked[0]].word.startswith("ال")):
        return []  # a given name has no article: "العراقي اليوم" is no name
    return picked


def _name_before(words: list[Token], first: int, text: str, language: str) -> list[int]:
    picked = [first - 2, first - 1]
    if picked[0] < 0 or not all(_name_word(words, i, text, language) for i in picked):
        return []
    if not (_adjacent(words, picked[0], picked[1], text) and _adjacent(words, picked[1], first, text)):
        return []
    return picked


# A Solar Hijri day with an Afghan (zodiac) month, "۳۰ عقرب": a date only Dari writes so.
_ZODIAC_DATE = re.compile(r"\d\s*(?:" + "|".join(fold(m) for m in AFGHAN_SOLAR_MONTHS) + r")(?!\w)")


def own_country(text: str, language: str) -> str | None:
    """The country whose press a text in `language` is, by its own words (the lexicon's `[own_country]`):
    Persian is Iran's, but Afghanistan's where Dari's words or a zodiac month say so; None for a language
    of many countries (Arabic, Russian)."""
    language = primary(language) or ""
    if language not in LANGUAGES:
        return None
    words = lexicon(language)
    folded = fold(text)
    for country, pattern in _country_words(language):
        if pattern.search(folded) or (country == "AF" and _ZODIAC_DATE.search(folded)):
            return country
    return words.own_country


@cache
def _country_words(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((country, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in forms) + r")(?!\w)"))
                 for country, forms in lexicon(language).country_words.items())
