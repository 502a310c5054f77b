"""What a reader types into the search box, read as a search engine would, and what to suggest when it finds nothing.

SQLite's FTS5 syntax refuses much of what people type: `Khamenei's`, `U.S.`,
`Putin-Rouhani`, `(Putin`, `Tehran AND`. Rather than answer "could not be read",
the reader's query is rewritten here into an FTS5 query that always parses:
every word becomes a quoted string (FTS5 tokenizes it exactly as it tokenized
the texts), possessives are dropped, a hyphen or slash separates two words,
and an operator or parenthesis that has nothing to join is left out, and the
reader told. Only deliberate syntax used wrongly (`author:Smith`, a field this
index does not have; `NOT Erdogan`, with nothing to leave it out of) is answered
with a message.

Reading is one left-to-right pass over the query and at most `MAX_TERMS`
words are searched, so a query's cost grows with its length and never faster.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import DamerauLevenshtein

OPERATORS = frozenset({"AND", "OR", "NOT"})
COLUMNS = ("title", "lead", "text")
# A query of more words than this matches nothing in practice; the rest are left out, and the reader told.
MAX_TERMS = 64
MAX_ITEMS = 4 * MAX_TERMS  # words, operators and parentheses
# A quoted phrase, a parenthesis, a lone quote, or a run of anything else.
TOKEN = re.compile(r'"[^"]*"|[()]|"|[^\s()"]+')
FIELD = re.compile(r"([A-Za-z_]\w{0,15}):(?!//)(.+)")
WORD_CHAR = re.compile(r"\w", re.UNICODE)
EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w*]+$", re.UNICODE)
POSSESSIVE = re.compile(r"(?<=\w)['’]s$", re.IGNORECASE)
SEPARATORS = re.compile(r"[-‐‑–—/\\+&|,;:!?]+")


class QueryError(ValueError):
    """Search syntax used deliberately but wrongly: the message says what to change."""


class DateError(ValueError):
    """A from or to date that is no date."""


@dataclass(frozen=True)
class SearchQuery:
    """A reader's query as FTS5 reads it: `fts` always parses; `words` are its plain words, for suggestions;
    `notes` say what was left out."""

    fts: str
    notes: tuple[str, ...]
    words: tuple[str, ...]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _words(token: str) -> list[str]:
    """A run of characters as the words it holds: `Khamenei's` → Khamenei, `Putin-Rouhani` → Putin, Rouhani.

    A word keeping a dot or an apostrophe inside (`U.S.`, `O'Brien`) stays one quoted string, which FTS5
    matches as the same tokens in the same order.
    """
    out = []
    for part in SEPARATORS.split(token):
        part = EDGE_PUNCTUATION.sub("", part)
        part = POSSESSIVE.sub("", part)
        if part.endswith("*"):
            stem = part.rstrip("*")
            if WORD_CHAR.search(stem):
                out.append(stem + "*")
        elif WORD_CHAR.search(part):
            out.append(part)
    return out


def _term(word: str) -> str:
    return _quoted(word[:-1]) + "*" if word.endswith("*") else _quoted(word)


def read_query(query: str) -> SearchQuery:
    """The FTS5 query for what the reader typed. Raises QueryError only for a field this index has not."""
    # items: ("term", fts text, plain word or None) | ("op", "AND") | ("(", ) | (")", )
    items: list[tuple[str, str, str | None]] = []
    terms = 0
    for match in TOKEN.finditer(query):
        if terms >= MAX_TERMS or len(items) >= MAX_ITEMS:
            break
        token = match.group()
        if token in ("(", ")"):
            items.append((token, token, None))
        elif token == '"':
            continue  # an unpaired quote: the words around it are searched as words
        elif token.startswith('"'):
            inner = token[1:-1].strip()
            if WORD_CHAR.search(inner):
                items.append(("term", _quoted(inner), inner))
                terms += 1
        elif token in OPERATORS:
            items.append(("op", token, None))
        else:
            field = FIELD.fullmatch(token)
            column = None
            if field and field.group(1).lower() in COLUMNS:
                column, token = field.group(1).lower(), field.group(2)
            elif field and field.group(1).isalpha() and WORD_CHAR.search(field.group(2)):
                raise QueryError(
                    f"“{field.group(1)}:” is not a part of a readout this search knows: put title:, lead: or text: "
                    "before a word to search only there, or leave the colon out."
                )
            words = _words(token)
            if column is not None and words:
                items.append(("term", f"{column} : " + _term(words[0]), words[0].rstrip("*")))
                words = words[1:]
            elif not words:
                column = None
            items.extend(("term", _term(word), word.rstrip("*")) for word in words)
            terms += len(words) + (column is not None)
    else:
        return SearchQuery(*_assemble(items), _plain(items))
    fts, notes = _assemble(items[:MAX_ITEMS])
    notes = (*notes, f"Only the query's first {MAX_TERMS} words were searched.")
    return SearchQuery(fts, notes, _plain(items[:MAX_ITEMS]))


def _plain(items: list[tuple[str, str, str | None]]) -> tuple[str, ...]:
    return tuple(word for kind, _, word in items if kind == "term" and word)


def _assemble(items: list[tuple[str, str, str | None]]) -> tuple[str, tuple[str, ...]]:
    """The items joined into a query FTS5 parses, and notes on what was left out.

    Operators only between operands (one that joins nothing is left out, said so), parentheses only in pairs.
    A NOT with nothing before it is a deliberate exclusion FTS5 cannot make: QueryError says how to write it.
    """
    # Parentheses: only those that close, and none around nothing.
    opened: list[int] = []
    paired: set[int] = set()
    for index, (kind, _, _) in enumerate(items):
        if kind == "(":
            opened.append(index)
        elif kind == ")" and opened:
            start = opened.pop()
            if any(items[i][0] == "term" for i in range(start + 1, index)):
                paired.update((start, index))
    out: list[str] = []
    dropped: list[str] = []
    previous = None  # "operand" after a term or a ")", "open" after "(", "op" after an operator
    kept = [(kind, text) for index, (kind, text, _) in enumerate(items) if kind not in "()" or index in paired]
    for index, (kind, text) in enumerate(kept):
        following = kept[index + 1][0] if index + 1 < len(kept) else None
        if kind == "op":
            if previous == "operand" and following in ("term", "("):
                out.append(text)
                previous = "op"
            elif text == "NOT" and previous != "operand" and following in ("term", "("):
                raise QueryError(
                    "NOT leaves out what follows it from what comes before it: put the words to find first "
                    "(Putin NOT Erdogan)."
                )
            else:
                dropped.append(text)
            continue
        if kind == ")":
            out.append(")")
            previous = "operand"
            continue
        if previous == "operand":
            out.append("AND")  # FTS5 joins two phrases by a space, but not a phrase and a group
        out.append(text)
        previous = "open" if kind == "(" else "operand"
    notes = tuple(f"“{word}” joins nothing here and was left out." for word in dict.fromkeys(dropped))
    return " ".join(out), notes


def fold(word: str) -> str:
    """A word as the index keeps it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def max_distance(word: str) -> int:
    """Edits a misspelling may be away: one in a short word, two in a longer one."""
    return 1 if len(word) <= 5 else 2


def closest(word: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The candidate spelling nearest to `word` (Damerau-Levenshtein), the most frequent among equals.

    `candidates`: (spelling, how many readouts use it). A candidate equal to the word is no suggestion.
    """
    target = fold(word)
    limit = max_distance(target)
    best: tuple[int, int, str] | None = None
    for spelling, count in candidates:
        folded = fold(spelling)
        if folded == target:
            continue
        distance = DamerauLevenshtein.distance(target, folded, score_cutoff=limit)
        if distance <= limit and (best is None or (distance, -count) < best[:2]):
            best = (distance, -count, spelling)
    return best[2] if best else None


def name_spellings(names: Iterable[str]) -> dict[str, int]:
    """The words of people's names and aliases (`Hassan Rouhani` → Hassan, Rouhani), as candidate spellings."""
    words: dict[str, int] = {}
    for name in names:
        for word in re.findall(r"[^\W\d_][\w'’-]{2,}", name):
            if word[0].isupper():
                words[word] = words.get(word, 0) + 1
    return words


def day(value: str | None, field: str) -> str | None:
    """An ISO date from a from/to field, None when empty; DateError naming the field when it is no date."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise DateError(f"The “{field}” date “{value}” is not a date: write it as YYYY-MM-DD, e.g. 2019-12-31.") from None
