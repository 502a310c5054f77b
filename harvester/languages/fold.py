"""One normalisation for matching and search, the same for what is stored and what is asked.

Arabic and Persian pages write the same word with different code points (Arabic
yeh ي, Persian yeh ی and alef maksura ى; Arabic kaf ك and Persian kaf ک; hamza
seats أ إ آ; a final ة or ه), with or without short vowels (harakat) and
stretched by tatweel; Persian joins a word's parts with a zero-width non-joiner
that some writers type as a space and some leave out; digits come in three
alphabets; Russian writes ё or е as it likes. A search or a name match must not
depend on any of that, so every comparison in harvester goes through `fold`.

`fold` works one character at a time (each character becomes zero or more
characters, looked up once and cached), so `fold_with_offsets` can say where in
the original text each folded character came from: evidence is quoted from
what the page says, not from its folded form.
"""

from __future__ import annotations

import unicodedata

# The letters each variant becomes: the Arabic forms, which both Snowball stemmers (Arabic, Persian) read.
LETTERS = {
    "ی": "ي", "ى": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    "ک": "ك", "ڪ": "ك",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و",
    "ё": "е", "Ё": "е",
}
# Removed outright: tatweel, zero-width joiner, byte-order mark, soft hyphen, left-to-right and right-to-left marks.
REMOVED = {"\u0640", "\u200d", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c"}
# A zero-width non-joiner separates the parts of a Persian word, as a space does for writers who type one.
SPACES = {"\u200c"}
# Kept although they decompose: Russian й is a letter of its own, not и with a mark.
KEPT = {"й": "й", "Й": "й"}


def _fold_char(char: str) -> str:
    if char in KEPT:
        return KEPT[char]
    if char in REMOVED:
        return ""
    if char in SPACES:
        return " "
    if char in LETTERS:
        return LETTERS[char]
    if char.isdigit():
        # Persian (۰-۹) and Arabic-Indic (٠-٩) digits, and every other decimal digit, as ASCII.
        value = unicodedata.decimal(char, None)
        if value is not None:
            return str(value)
    out = []
    # NFKC first turns Arabic presentation forms and ligatures into letters; NFD then splits off marks.
    for piece in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", char).casefold()):
        if unicodedata.category(piece) == "Mn":  # harakat, superscript alef, Latin accents, hamza above/below
            continue
        out.append(LETTERS.get(piece, piece))
    return "".join(out)


class _Table(dict[int, str]):
    """A `str.translate` table that works out each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _Table()


def fold(text: str) -> str:
    """`text` as every match and search sees it: variants unified, marks, tatweel and case gone.

    Pure and idempotent (`fold(fold(t)) == fold(t)`). Latin accents go too, so
    "Erdoğan" meets "Erdogan"; Russian ё becomes е, but й stays й.
    """
    return text.translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the offset in `text` it came from."""
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _TABLE[ord(char)]
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


def primary(language: str | None) -> str | None:
    """The language subtag of a BCP 47 tag, lower-case: "fa-IR" and "FA" are "fa"."""
    return language.split("-")[0].split("_")[0].lower() if language else None
