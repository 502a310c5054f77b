"""The event wording a Russian, Persian or Arabic text uses: which kind of encounter, or a plan.

The lexicons list the words (`[events]` of ru.toml, fa.toml, ar.toml); this finds
them in a text, folded, at the start of a word (Russian phrases are written as
stems where Russian declines, so "переговор" finds "переговоры" and
"переговорах"), and quotes the page's own words as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from harvester.languages.fold import fold, fold_with_offsets, primary
from harvester.languages.lexicon import KINDS, LANGUAGES, lexicon

PLAN = "plan"


@dataclass(frozen=True)
class EventWording:
    """Words of a text that name an event's kind (meeting, call, video_call, message, visit) or a plan."""

    kind: str
    evidence: str
    start: int
    end: int
    # a verb of talks that says nothing of how they were held ("بحث … مع"): another sentence's wording may
    # tell (a call)
    neutral: bool = False


@cache
def _pattern(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regular expression of every phrase, longest first, each its own group; and each group's kind."""
    words = lexicon(language)
    phrases = {phrase: kind for kind in KINDS for phrase in words.events[kind]} | {p: PLAN for p in words.plan}
    if language == "ar":
        phrases |= {future: PLAN for kind in KINDS for phrase in words.events[kind] for future in _arabic_future(phrase)}
        phrases |= {future: PLAN for verb in words.discussed for future in _arabic_future(verb)}
    alternatives = sorted(phrases, key=len, reverse=True)
    # a Russian verb's future ("посетит", will visit) is its infinitive but for the soft sign ("посетить", to visit):
    # the infinitive after "invited", "asked", "agreed" is what was said, not this text's plan
    infinitive = "(?!ь(?!\\w))" if language == "ru" else ""
    groups = "|".join(f"(?P<k{n}>{re.escape(phrase).replace(chr(92) + ' ', chr(92) + 's+')}"
                      f"{infinitive if phrases[phrase] == PLAN else ''})"
                      for n, phrase in enumerate(alternatives))
    # Arabic joins "and" to the next word ("والتقى"), and a preposition and the article to a noun ("بالاجتماع", by
    # the meeting; "بالهاتف", by telephone). The article alone is not read off: the lexicon lists a noun with it
    # where it takes one ("اللقاء"), and a verb never does ("العزيز" is no "عزى", condoled).
    joined = "(?:[وف])?(?:[بلك]ال|[بلك])?" if language == "ar" else ""
    return re.compile(rf"(?<!\w){joined}(?:{groups})\w*"), {f"k{n}": phrases[phrase] for n, phrase in enumerate(alternatives)}


# The most words between a verb of talks and its "with" ("تحادث رئيس الجمهورية … بمقر الأمم المتحدة بنيويورك … مع").
DISCUSSED_WORDS = 16
# "with", folded, in the languages whose verbs of talks the lexicon lists.
WITH = {"ar": "مع"}


@cache
def _discussed(language: str) -> re.Pattern[str] | None:
    """A verb of talks (`discussed`) and the "with" after it, a few words on."""
    verbs = lexicon(language).discussed
    if not verbs or language not in WITH:
        return None
    return _verb_then(verbs, (WITH[language],), DISCUSSED_WORDS)


# "to" after a verb of leaving, in the languages whose verbs of leaving the lexicon lists.
TO = {"ar": ("إلى",)}
# The most words between a verb of leaving and its "to" ("غادر رئيس الوزراء العاصمة صباح اليوم متوجها إلى").
DEPARTED_WORDS = 10


@cache
def _departed(language: str) -> re.Pattern[str] | None:
    """A verb of leaving (`departed`) and the "to" after it, a few words on."""
    verbs = lexicon(language).departed
    if not verbs or language not in TO:
        return None
    return _verb_then(verbs, TO[language], DEPARTED_WORDS)


def _verb_then(verbs: Iterable[str], particles: Iterable[str], most_words: int) -> re.Pattern[str]:
    """A verb (with any ending, "and" joined before it) and, at most `most_words` words on, the particle
    that completes it ("with", "to"), in folded text: Arabic puts the verb's subject and object between."""
    alternatives = "|".join(re.escape(verb) for verb in sorted(verbs, key=len, reverse=True))
    after = "|".join(re.escape(fold(word)) for word in particles)
    return re.compile(rf"(?<!\w)(?:[وف])?(?:{alternatives})\w*(?:\s+\S+){{0,{most_words}}}?\s+(?:{after})(?!\w)")


def _arabic_future(phrase: str) -> list[str]:
    """The future of an Arabic event verb: "سـ" before its imperfect, of "he", "she"/"they two" and "we" (عقد:
    سيعقد, ستعقد, سنعقد; استقبل: سيستقبل; التقى: سيلتقى, as `fold` writes it; بحث مع: سيبحث مع). Built from
    the past or imperfect the lexicon lists, dropping the imperfect's "ي" or the past's initial alif; a noun
    gives a form no text has."""
    first, _, rest = phrase.partition(" ")
    stem = first[1:] if first[:1] in ("ي", "ا") else first
    return [f"س{person}{stem}" + (f" {rest}" if rest else "") for person in ("ي", "ت", "ن")]


@cache
def _without(language: str) -> re.Pattern[str] | None:
    """"Without" (the lexicon's `without`) right before a word, as the end of a folded text."""
    words = lexicon(language).without
    if not words:
        return None
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+$")


# Where a clause ends: what "without" and its event's word govern runs up to it.
CLAUSE_END = re.compile(r"[,،;؛:.!?؟]")


def unheld(text: str, language: str) -> list[tuple[int, int]]:
    """Where `text` words an event that was not held ("ينهي زيارته دون لقاء الوزير", ended his visit without
    meeting the minister): from "without" to the end of its clause, whose people took no part in an event."""
    language = primary(language) or ""
    return [] if language not in LANGUAGES else _unheld(text, language)


def _unheld(text: str, language: str) -> list[tuple[int, int]]:
    without = _without(language)
    if without is None:
        return []
    pattern, kinds = _pattern(language)
    folded, offsets = fold_with_offsets(text)
    spans = []
    for match in pattern.finditer(folded):
        before = without.search(folded, max(0, match.start() - 12), match.start())
        if before is None or kinds[match.lastgroup or ""] == PLAN:
            continue
        clause = CLAUSE_END.search(folded, match.end())
        end = offsets[clause.start() - 1] + 1 if clause else len(text)
        spans.append((offsets[before.start()], end))
    return spans


def events_in(text: str, language: str) -> list[EventWording]:
    """Every event or plan wording in `text` (ru, fa, ar), in text order; [] for a language without a lexicon.

    A phrase matches at the start of a word and may run on (a Russian ending, an
    Arabic suffix); the longest phrase wins where two start at one place.
    """
    language = primary(language) or ""
    if language not in LANGUAGES:
        return []
    pattern, kinds = _pattern(language)
    folded, offsets = fold_with_offsets(text)
    found = []
    for match in pattern.finditer(folded):
        group = match.lastgroup
        assert group is not None  # every alternative is a named group
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        found.append(EventWording(kinds[group], text[start:end], start, end))
    discussed = _discussed(language)
    for match in discussed.finditer(folded) if discussed else ():
        # the verb is the evidence; the talks are a meeting unless the text says how they were held
        verb_end = match.start() + len(match.group().split()[0])
        start, end = offsets[match.start()], offsets[verb_end - 1] + 1
        if not any(w.start <= start < w.end for w in found):
            found.append(EventWording("meeting", text[start:end], start, end, neutral=True))
    departed = _departed(language)
    for match in departed.finditer(folded) if departed else ():
        # leaving for a place: the trip has begun, its talks are to come ("غادر … إلى جدة في زيارة رسمية")
        verb_end = match.start() + len(match.group().split()[0])
        start, end = offsets[match.start()], offsets[verb_end - 1] + 1
        found.append(EventWording(PLAN, text[start:end], start, end))
    unheld_spans = _unheld(text, language)
    return sorted((w for w in found if not any(start <= w.start < end for start, end in unheld_spans)),
                  key=lambda w: w.start)
