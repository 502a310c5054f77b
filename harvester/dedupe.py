"""Identity: one row per text, one place per meeting, and nothing thrown away.

Three questions are asked of every readout whenever its text changes, in the
same transaction as the change (the store's identity step,
`harvester/store/identity.py`, asks them; this module answers them and touches
no database):

- **Which page is it?** Its URL, the URL it was finally served from and its
  `rel=canonical` (when that is trustworthy: same host, not the home page) are
  normalised into keys kept in `readout_urls` (`harvester.urls.url_key`). A
  discovered URL whose key is there is a URL variant of a known readout and is
  not fetched at all (`Store.known`), so variants never become rows.
- **Which text is it?** An exact duplicate has the same hash of normalised words.
  A near-duplicate (`near`: Jaccard of 3-word shingles ≥ 0.5) or an excerpt
  (`excerpt`: ≥ 90 % of its shingles inside a longer readout) is found through
  `dedupe_shingles`, an index of sampled shingles: a shingle is indexed when its
  hash is divisible by `sample`, so every copy of a passage indexes the same
  shingles, an excerpt's sample is a subset of its original's, and candidates are
  a few indexed look-ups, never a scan. Candidates are then verified on their
  full shingle sets. Only unique readouts are indexed (a copy adds nothing to
  find), and shingles held by more than `common` of them are formulaic ("the two
  sides discussed bilateral relations") and not used to find candidates.
  A duplicate keeps its row, linked by `duplicate_of` (always to a unique
  readout), `duplicate_kind` and `similarity`; `readouts_unique` hides it.
- **Which meeting?** See `harvester.meetings`.

Calibration (bench/dedup.py): an edit of 5 % of the words breaks about 14 % of
3-word shingles and 23 % of 5-word ones, so a long edited copy lands around
Jaccard 0.75 with 3-word shingles and 0.6 with 5-word ones. Other boilerplate
around a short readout (100 words) pulls its copy down to 0.57-0.6, which 0.6
misses about one time in thirty; distinct readouts sharing formulaic sentences
stay below 0.3. Hence 3 words at 0.5. Excerpts are told apart by containment,
which Jaccard cannot see (a third of a readout is at most 0.33 alike).

When a known page is fetched again (`fetch once --refresh`) and its text has
changed, the readout takes the new text and the earlier one moves to
`readout_versions` with the time it was fetched; an unchanged text adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urljoin, urlsplit

from harvester import meetings
from harvester.config import Config, DedupeSettings
from harvester.data import shipped
from harvester.translations import Rule
from harvester.urls import canonical_url, url_key

EXACT, NEAR, EXCERPT = "exact", "near", "excerpt"

# --- URLs ---------------------------------------------------------------------


def slug(canonical: str) -> str:
    """A readout's permalink: its canonical URL hashed, so rebuilding the corpus gives it back."""
    return hashlib.sha1(canonical.encode()).hexdigest()[:12]


def trusted_canonical(declared: str | None, base: str, home: str | None) -> str | None:
    """The page's declared `rel=canonical`, unless it points to another host or the home page (a common CMS mistake)."""
    if not declared:
        return None
    target = urljoin(base, declared)
    ours, theirs = urlsplit(url_key(base)), urlsplit(url_key(target))
    if urlsplit(target).scheme not in ("http", "https") or ours.netloc != theirs.netloc:
        return None
    if theirs.path in ("", "/") or (home and url_key(home) == url_key(target)):
        return None
    return target


def page_keys(
    url: str, final_url: str, declared: str | None, home: str | None, source: str, settings: DedupeSettings
) -> tuple[str, list[str]]:
    """The page's canonical URL and every key it is known by."""
    canonical = trusted_canonical(declared, final_url, home)
    # each distinct URL canonicalised once (they are mostly one): its key is that form without the scheme
    forms = {u: canonical_url(u, source, settings) for u in dict.fromkeys((url, final_url, *([canonical] if canonical else [])))}
    keys = [form.split(":", 1)[1] for form in forms.values()]
    return forms[canonical or final_url], list(dict.fromkeys(keys))


# --- texts --------------------------------------------------------------------

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def content_hash(tokens: list[str]) -> str:
    return hashlib.sha1(" ".join(tokens).encode()).hexdigest()


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return set(zip(*(tokens[i:] for i in range(size))))


def sampled(shingle_set: Iterable[tuple[str, ...]], sample: int) -> set[int]:
    """The shingles indexed: chosen by content, so a passage indexes the same ones wherever it appears.

    CRC-32 is stable across processes (unlike `hash`) and fast; a collision only
    adds a candidate, which verification on the full text then drops.
    """
    hashes = (zlib.crc32(" ".join(shingle).encode()) for shingle in shingle_set)
    return {h for h in hashes if h % sample == 0}


@dataclass(frozen=True)
class Match:
    original: int
    kind: str
    similarity: float


def compare(ours: set[tuple[str, ...]], theirs: set[tuple[str, ...]], settings: DedupeSettings) -> tuple[str, float] | None:
    """near, excerpt (ours inside theirs), "contains" (theirs inside ours) or None, with the similarity."""
    common = len(ours & theirs)
    if not common:
        return None
    jaccard = common / len(ours | theirs)
    if jaccard >= settings.near:
        return NEAR, jaccard
    if len(ours) < len(theirs) and common / len(ours) >= settings.excerpt:
        return EXCERPT, common / len(ours)
    if len(theirs) < len(ours) and common / len(theirs) >= settings.excerpt:
        return "contains", common / len(theirs)
    return None


# --- what links readouts --------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Settings and gazetteer for linking readouts; the store holds one."""

    settings: DedupeSettings
    gazetteer: meetings.Gazetteer
    # per source, the rule that pairs its readouts with their translations (`harvester.translations`)
    translation_keys: Mapping[str, Rule] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config) -> Identity:
        """The config's `[dedupe]`, its sources' translation keys and its `people.toml` (or the shipped one)."""
        own = config.directory / "people.toml"
        keys = {source.name: source.translation_key for source in config.sources if source.translation_key}
        return cls(config.settings.dedupe, meetings.load_gazetteer(own) if own.exists() else _shipped_gazetteer(), keys)

    @classmethod
    def default(cls) -> Identity:
        return cls(DedupeSettings(), _shipped_gazetteer())


@cache
def _shipped_gazetteer() -> meetings.Gazetteer:
    return meetings.load_gazetteer(shipped("people.toml"))
