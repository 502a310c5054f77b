"""Name keys: one key for a person's name in Russian, Persian, Arabic or English letters.

A readout in Russian declines a name (Путин, Путина, Путиным), a Persian one writes
it in Persian letters (پوتین), an Arabic one in Arabic letters (بوتين), with or
without the article (الأسد, اسد). `name_key` reduces each to a consonant skeleton
of its transliteration (anyascii), so the spellings meet without a list:

- a Russian word is first put in its dictionary form (pymorphy3: Путиным → путин),
- the Arabic article (ال, al-, el-) and the Persian zero-width non-joiner go,
- titles before the name (each lexicon's `honorifics`: آیت‌الله, السيد, господин) go,
- letters that the scripts write differently fall together: p/b (Arabic has no p),
  g/gh/q/k, ch/j/zh/dzh, th/t, dh/z; vowels, h and y go (Arabic and Persian
  seldom write them), kh with h (Russian writes both خ and ح as х: Ахмед), and so do v, w and f (Persian و is v, w, u or o; Arabic
  writes v as ف: Vladimir is فلاديمير); doubled letters are one.

Limits: the key is coarse on purpose, so two people with similar consonants meet
(it is a candidate key, to be confirmed by office, country or the readout's
context, or by the gazetteer's aliases in `people.toml`, compared through the
same key); names split differently in two scripts ("أحمدي نجاد", "Ahmadinejad")
differ word by word but meet on `compact=True`; names that a language translates
rather than transliterates (Chinese names in Arabic, titles like "Sultan") need
an alias.
"""

from __future__ import annotations

import re
from functools import cache

from anyascii import anyascii

from harvester.languages.fold import fold
from harvester.languages.lexicon import LANGUAGES, lexicon
from harvester.languages.stem import russian_lemma

# Words that are no part of a name's key: the Arabic article written apart, and the "family" of "Al Saud".
PARTICLES = {"al", "el", "ul", "l", "ال", "ال"}
_DIGRAPHS = (("dzh", "J"), ("kh", ""), ("gh", "k"), ("sh", "S"), ("ch", "J"), ("zh", "J"), ("dh", "z"), ("th", "t"),
             ("ph", "f"), ("ts", "s"), ("dj", "J"))
_LETTERS = str.maketrans({"p": "b", "q": "k", "g": "k", "c": "k", "j": "J", "f": "", "v": "", "w": "", "y": "", "h": "",
                          "a": "", "e": "", "i": "", "o": "", "u": ""})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# The scripts whose names are keyed in their own letters (a Russian lemma, the Arabic article); others are transliterated first.
_KEPT_SCRIPTS = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# The Arabic article: joined (الأسد), or hyphenated and assimilated as Latin and Cyrillic write it (ash-Sharaa, аш-Шараа).
_ARTICLE = re.compile(r"^(?:ال|(?:a[lsdrtnz]|ash|el|аль|а[лсшдртнз]|эль)-|al(?=\w{3})|el(?=\w{3}))")


# Persian writes "Seyyed" joined to the given name once the zero-width non-joiner is lost ("سیدابراهیم
# رئیسی", "سیدعلی"): the title of the first word, when what is left is a name of three letters at least.
JOINED_TITLES = (fold("سید"),)
JOINED_NAME_LETTERS = 3


@cache
def _honorifics() -> tuple[str, ...]:
    found = {title for language in LANGUAGES for title in lexicon(language).honorifics}
    return tuple(sorted(found, key=len, reverse=True))


def _skeleton(word: str) -> str:
    latin = anyascii(word).lower()
    latin = "".join(char for char in latin if char.isalpha())
    for pair, letter in _DIGRAPHS:
        latin = latin.replace(pair, letter)
    squeezed = latin.translate(_LETTERS)
    return re.sub(r"(.)\1+", r"\1", squeezed)


def name_words(name: str) -> list[str]:
    """The words of `name` as they are keyed: folded, Russian words in dictionary form, articles off."""
    words = []
    if not _KEPT_SCRIPTS.search(name):
        # Devanagari, Armenian, Greek …: transliterated whole, since folding drops their vowel signs
        name = anyascii(name)
    # Serbian ј is the й of Russian: Пезешкијан is Pezeshkian
    folded = fold(name.replace("\u200c", "").replace("ј", "й").replace("Ј", "Й"))
    titles = _honorifics()
    while True:  # titles before the name: Ayatollah, Sayyid, Sheikh, Hojatoleslam in each language
        title = next((t for t in titles if folded.startswith(t + " ")), None)
        if title is None:
            break
        folded = folded[len(title) + 1:]
    first = folded.split(" ", 1)[0]
    joined = next((t for t in JOINED_TITLES if first.startswith(t) and len(first) - len(t) >= JOINED_NAME_LETTERS), None)
    if joined:
        folded = folded[len(joined):]
    for word in re.findall(r"[\w'-]+", folded):
        word = word.strip("-'")
        if _CYRILLIC.search(word):
            word = russian_lemma(word)
        word = _ARTICLE.sub("", word)
        if word and word not in PARTICLES:
            words.append(word)
    return words


def name_key(name: str, language: str | None = None, compact: bool = False) -> str:
    """The key of a person's name in any of the scripts: the same for Путиным, پوتین, بوتين and Putin.

    One skeleton per word, space-separated, so a surname alone compares with the last
    word of a full key; `compact=True` joins them, for names split differently in two
    scripts. `language` is the text's (BCP 47); the script decides, so it may be None.
    """
    del language  # the script of each word decides; kept so callers say what they know
    skeletons = [key for key in (_skeleton(word) for word in name_words(name)) if key]
    return ("" if compact else " ").join(skeletons)


# Letters of the Arabic script that a name opening with a vowel begins with (the alif and its hamza seats,
# ع, and the hamza itself): "اردوغان", "عباس", "آبه".
_ARABIC_VOWEL_OPENINGS = frozenset("اأإآعءئؤ")
# Latin letters a name in Arabic letters writes with a letter of its own, and those letters: w and v with و
# (Persian) or ف (Arabic writes v so: فلاديمير), f with ف, gh with غ or ق ("غنی", "عراقچی"). The key drops
# w, v and f and makes gh a k, so "کمک" (help) has the key of Kamikawa, whose w no spelling leaves out, and
# "کنونی" (current) that of Ghani; y with ي, ی or ئ ("باشينيان": "بشأن", regarding, has Pashinyan's key).
_WRITTEN_LETTERS = ((("w", "v"), "وف"), (("f",), "ف"), (("gh",), "غق"), (("y",), "يیئ"))
# What Arabic joins to a name's front: "and" and the prepositions of "with", "to" ("وأردوغان", "بالأسد").
_JOINED = ("و", "ف", "ب", "ل")
_LATIN_VOWELS = "aeiou"


def writes(word: str, latin: str) -> bool:
    """Whether `word`, in Arabic or Persian letters, can be a spelling of the surname `latin` (Latin letters,
    lower case, without the article): both open with a vowel or both with a consonant, and the letters every
    spelling writes are there.

    The key (`name_key`) is a consonant skeleton, so everyday words meet surnames by it: "اطلاعرسانی"
    (information) has the key of Tillerson, "کمک" (help) that of Kamikawa. A name opening with a consonant
    gets no alif before it, but for a cluster of s and a consonant ("استالین", Stalin), which the script
    does not open a word with; a name opening with a vowel opens with an alif or ع ("اردوغان", "عباس").
    """
    folded = fold(word.replace("\u200c", ""))
    folded = folded.removeprefix("ال")
    if not folded or not latin:
        return True
    openings = {folded} | {folded[len(p):].removeprefix("ال") for p in _JOINED if folded.startswith(p) and len(folded) > 2}
    vowel = latin[0] in _LATIN_VOWELS
    cluster = latin[0] == "s" and len(latin) > 1 and latin[1] not in _LATIN_VOWELS + "h"
    if not any((form[:1] in _ARABIC_VOWEL_OPENINGS) == vowel or cluster for form in openings if form):
        return False
    return all(any(letter in folded for letter in script) for latin_letters, script in _WRITTEN_LETTERS
               if any(letters in latin for letters in latin_letters))
