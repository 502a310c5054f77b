"""Word forms: each word of a text reduced to the key a search and a match compare.

Snowball stemmers (`snowballstemmer`, pure Python, maintained with Snowball
itself) for Russian, Arabic and Persian: measured on the Russian, Persian and
Arabic readouts of the development set, each reduces the declined and affixed
forms of the words around a name ("Путина", "Путиным"; "والرئيس", "للرئيس";
"دیدارهای") to the key of the plain form. English keeps SQLite's own porter
tokenizer, so only words in other scripts get a key here.

A word's key depends on its script and, for the Arabic script, on the text's
language (Persian text gets the Persian stemmer); a search query, whose language
is unknown, asks for every key its word may have (`fts_query`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3
import snowballstemmer

from harvester.languages.fold import fold, primary

STEMMERS = {"ru": "russian", "ar": "arabic", "fa": "persian"}
WORD = re.compile(r"\w+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_STEMMED_SCRIPTS = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_CONJUNCTION_ARTICLE = re.compile(r"^[وف](?=ال\w{3})")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@cache
def russian_lemma(word: str) -> str:
    """The dictionary form of a Russian word, preferring its reading as a name (Путина is Путин's, not путь's)."""
    parses = _morph().parse(word)
    for parse in parses:
        if {"Surn", "Name", "Patr"} & set(parse.tag.grammemes):
            return str(parse.normal_form)
    return str(parses[0].normal_form) if parses else word


def script_languages(word: str) -> tuple[str, ...]:
    """The languages whose stemmer may read `word`, by its script: () for a word this module leaves alone."""
    if CYRILLIC.search(word):
        return ("ru",)
    if ARABIC_SCRIPT.search(word):
        return ("ar", "fa")
    return ()


@lru_cache(maxsize=200_000)  # a corpus repeats its words: Snowball's pure-Python stemmers run once per word
def stem(word: str, language: str) -> str:
    """The folded key of one word in `language` (ru, ar, fa); a word of another language only folded."""
    folded = fold(word)
    language = primary(language) or ""
    if language not in STEMMERS:
        return folded
    if language == "ar":
        # Snowball's Arabic stemmer takes the article off but not a conjunction before it: والرئيس, فالرئيس.
        folded = _CONJUNCTION_ARTICLE.sub("", folded)
    # Snowball's Persian stemmer writes Persian letters back: fold again so every key is in one alphabet.
    return fold(_stemmer(language).stemWord(folded)) or folded


def _text_language(word: str, language: str | None) -> str | None:
    options = script_languages(word)
    if not options:
        return None
    language = primary(language)
    return language if language in options else options[0]


def keys(text: str, language: str | None) -> list[str]:
    """The keys of the words of `text` written in scripts with a stemmer here (Cyrillic, Arabic), in order."""
    if not _STEMMED_SCRIPTS.search(text):  # an English text: nothing to fold or stem, found fast
        return []
    out = []
    for word in WORD.findall(fold(text)):
        chosen = _text_language(word, language)
        if chosen is not None:
            out.append(stem(word, chosen))
    return out


# A search query's pieces: a quoted phrase, a parenthesis, or a run of anything else (a word, an operator,
# a column filter "title:", a prefix "Пути*").
_QUERY_PIECE = re.compile(r'(?P<phrase>"[^"]*")|(?P<paren>[()])|(?P<word>[^\s"()]+)')
_OPERATORS = {"AND", "OR", "NOT"}


def _phrases(words: list[str]) -> list[str]:
    """The phrase `words` makes in each language their script may be in, as keys."""
    languages = [language for word in words for language in script_languages(word)]
    found: list[str] = []
    for language in dict.fromkeys(languages):
        phrase = " ".join(stem(word, language) if language in script_languages(word) else fold(word) for word in words)
        if phrase not in found:
            found.append(phrase)
    return found


def _operand(token: str) -> str:
    """A word or phrase as itself OR its keys; a prefix folded; anything without Cyrillic or Arabic letters as it is."""
    words = WORD.findall(fold(token.strip('"').rstrip("*")))
    if not any(script_languages(word) for word in words) or token.startswith("^"):
        return token
    if token.endswith("*"):
        return f'"{" ".join(words)}"*'
    original = token if token.startswith('"') else f'"{token}"'
    return "(" + " OR ".join([original, *(f'"{phrase}"' for phrase in _phrases(words))]) + ")"


def fts_query(query: str) -> str:
    """A full-text (FTS5) query that also asks for the keys of its Russian, Persian and Arabic words.

    Each word or quoted phrase in those scripts becomes itself OR its keys ("Путина"
    also finds "Путиным"; "پوتین" finds "پوتين"; harakat and tatweel do not count),
    which `search_keys` holds for every readout; words side by side are joined by
    an explicit AND, as FTS5 needs between groups. Operators, English words and
    what follows a column filter are left as they are (a query with no Russian,
    Persian or Arabic word is returned unchanged), a prefix (Пути*) is folded,
    not stemmed, and a NEAR query is left whole.
    """
    if "NEAR(" in query or not _STEMMED_SCRIPTS.search(query):
        return query  # an English query reaches SQLite exactly as typed
    out: list[str] = []
    operand_before = filtered = False
    for match in _QUERY_PIECE.finditer(query):
        token = match[0]
        if token in _OPERATORS or token == ")":
            out.append(token)
            operand_before = token == ")"
            continue
        if operand_before and not filtered:
            out.append("AND")
        if token == "(":
            out.append(token)
            operand_before = filtered = False
        elif token.endswith(":") or (":" in token and not token.startswith('"')):
            column, _, rest = token.partition(":")
            out.append(f"{column}:{rest}")
            filtered, operand_before = not rest, bool(rest)
        else:
            out.append(token if filtered else _operand(token))
            operand_before, filtered = True, False
    return " ".join(out)
