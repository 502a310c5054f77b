"""Finding a table's names in a text, however Russian declines them or Arabic joins a word to them.

Shared by `places_in` and `offices_in`: a name of one or more words is found in
a folded text when each of its words meets the text's word, a Russian word by its
Snowball stem or its pymorphy3 lemma (each alone misses some declined names:
Snowball gives Тегеран and Тегеране two stems, pymorphy3 Астана and Астане two
lemmas), an Arabic word also without the conjunction or preposition joined to
its front (بطهران, وموسكو, للرئيس).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from harvester.languages.fold import fold_with_offsets
from harvester.languages.stem import russian_lemma, stem

WORD = re.compile(r"[\w-]+")
# What Arabic joins to the front of a word: a conjunction (و, ف) and a preposition (ب, ل, ك); "لل" is ل + ال.
ARABIC_PREFIXES = (("وبال", "ال"), ("وال", "ال"), ("بال", "ال"), ("لل", "ال"), ("وب", ""), ("فب", ""), ("ول", ""),
                   ("ب", ""), ("ل", ""), ("و", ""), ("ف", ""))
# Joined prefixes that are prepositions: a place after one is introduced by it (بطهران is "in Tehran").
PREPOSITIONS = ("ب", "ل", "بال", "لل", "وب", "فب", "ول", "وبال")


def word_keys(word: str, language: str) -> tuple[str, ...]:
    """The forms under which a folded word is looked up."""
    if language != "ru":
        return (word,)
    return tuple(dict.fromkeys((stem(word, "ru"), russian_lemma(word))))


@dataclass(frozen=True)
class Token:
    word: str
    start: int  # in the original text
    end: int


@dataclass(frozen=True)
class Found:
    value: str
    first: int  # token index
    last: int  # token index, inclusive
    joined: str  # the Arabic prefix joined to the first word, if any


class Table:
    """A table of names (folded) and what each stands for, in one language."""

    def __init__(self, names: dict[str, str], language: str) -> None:
        self.language = language
        self.names: dict[tuple[str, ...], str] = {}
        for name, value in names.items():
            words = WORD.findall(name)
            # Persian writes a compound's parts with a non-joiner, a space, or nothing between ("عشق‌آباد",
            # "عشق آباد", "عشقآباد"; "رئیسجمهور"): the three are one name
            for variant in (words, ["".join(words)]) if language == "fa" and len(words) > 1 else (words,):
                for keys in product(*(word_keys(word, language) for word in variant)):
                    self.names.setdefault(keys, value)
        self.longest = max((len(name) for name in self.names), default=0)

    def _lookup(self, words: list[str]) -> tuple[str, str] | None:
        found = next((self.names[keys] for keys in product(*(word_keys(w, self.language) for w in words))
                      if keys in self.names), None)
        if found is not None:
            return found, ""
        if self.language == "ar":
            for prefix, article in ARABIC_PREFIXES:
                if words[0].startswith(prefix) and len(words[0]) > len(prefix) + 2:
                    value = self.names.get((article + words[0][len(prefix):], *words[1:]))
                    if value is not None:
                        return value, prefix
        return None

    def find(self, tokens: list[Token], start: int = 0, stop: int | None = None) -> list[Found]:
        """The names in tokens[start:stop], longest first, not overlapping, in text order."""
        stop = len(tokens) if stop is None else stop
        found, index = [], start
        while index < stop:
            for size in range(min(self.longest, stop - index), 0, -1):
                hit = self._lookup([token.word for token in tokens[index:index + size]])
                if hit is not None:
                    found.append(Found(hit[0], index, index + size - 1, hit[1]))
                    index += size
                    break
            else:
                index += 1
        return found


def tokens(text: str) -> list[Token]:
    """The folded words of `text`, each with where it stands in the original."""
    folded, offsets = fold_with_offsets(text)
    return [Token(m.group(), offsets[m.start()], offsets[m.end() - 1] + 1) for m in WORD.finditer(folded)]
