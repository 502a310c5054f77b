"""Translations on one site: a page and its translation, paired by the number both editions give an event.

kremlin.ru and en.kremlin.ru publish one event under one number
(/events/president/news/50775 on both), as leader.ir and president.ir do across their
language folders. A source's `translation_key` (a regex on the readout's URL and a
template, `['/events/president/news/(\\d+)$', 'kremlin.ru/events/president/news/\\1']`)
turns its URLs into keys; readouts of any sources that share a key are translations of
each other (the `translations` view) and report the same meeting. The pair is stronger
evidence than any reading of either text, and it holds where the meeting step cannot read
one of the languages. Decisions only: the identity step (`harvester/store/identity.py`)
writes them.
"""

from __future__ import annotations

from collections.abc import Iterable

from harvester.config import Pattern

Rule = tuple[Pattern, str]


def translation_key(url: str, rule: Rule | None) -> str | None:
    """The key a readout's translations share, or None when its source has no rule or its URL does not fit it."""
    if rule is None:
        return None
    pattern, template = rule
    match = pattern.search(url)
    return str(match.expand(template)) if match else None


def shared_meeting(own: int | None, translations: Iterable[int | None]) -> int | None:
    """The meeting a readout reports with its translations: its own, else the one its translations agree on."""
    if own is not None:
        return own
    theirs = {meeting for meeting in translations if meeting is not None}
    return theirs.pop() if len(theirs) == 1 else None
