"""Identity: one row per text, one place per meeting, and nothing thrown away.

Three questions are asked of every readout as it is stored, in the same
transaction as the readout itself:

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
import sqlite3
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from harvester import meetings
from harvester.config import Config, DedupeSettings
from harvester.urls import canonical_url, url_key

EXACT, NEAR, EXCERPT = "exact", "near", "excerpt"

# Candidates verified on their full text per readout: the best by shared sampled shingles.
CANDIDATES = 5

SHIPPED_GAZETTEER = Path(__file__).resolve().parent.parent / "config" / "people.toml"

SCHEMA = """
create table if not exists readout_urls (
    url text primary key,
    readout_id integer not null references readouts(id)
) without rowid;
create table if not exists dedupe_shingles (
    hash integer not null,
    readout_id integer not null,
    primary key (hash, readout_id)
) without rowid;
create table if not exists readout_versions (
    id integer primary key,
    readout_id integer not null references readouts(id),
    title text,
    text text,
    content_hash text,
    published text,
    fetched_at text,
    superseded_at text,
    page_id integer references pages(id)
);
create index if not exists readout_versions_readout on readout_versions (readout_id);
create view if not exists readouts_unique as select * from readouts where duplicate_of is null;
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """The identity tables; the readouts' own identity columns are declared in the store's schema."""
    for statement in SCHEMA.split(";"):  # not executescript: it would commit the caller's transaction
        conn.execute(statement)
    meetings.ensure_schema(conn)


# --- URLs ---------------------------------------------------------------------


def rel_canonical(html: str, base: str, home: str | None) -> str | None:
    """The page's `rel=canonical`, unless it points to another host or the home page (a common CMS mistake)."""
    node = LexborHTMLParser(html).css_first('link[rel~="canonical"][href]')
    if node is None:
        return None
    target = urljoin(base, node.attributes.get("href") or "")
    ours, theirs = urlsplit(url_key(base)), urlsplit(url_key(target))
    if urlsplit(target).scheme not in ("http", "https") or ours.netloc != theirs.netloc:
        return None
    if theirs.path in ("", "/") or (home and url_key(home) == url_key(target)):
        return None
    return target


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


def _candidates(conn: sqlite3.Connection, samples: set[int], readout_id: int, common: int) -> list[int]:
    shared: Counter[int] = Counter()
    for value in samples:
        holders = conn.execute(
            "select readout_id from dedupe_shingles where hash = ? limit ?", [value, common + 1]
        ).fetchall()
        if len(holders) <= common:
            shared.update(holder for (holder,) in holders if holder != readout_id)
    # one shared sample is what a formulaic sentence or a hash collision gives; copies share several
    enough = min(2, len(samples))
    return [candidate for candidate, count in shared.most_common(CANDIDATES) if count >= enough]


def _compare(ours: set[tuple[str, ...]], theirs: set[tuple[str, ...]], settings: DedupeSettings) -> tuple[str, float] | None:
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


def set_columns(conn: sqlite3.Connection, readout_id: int, values: Mapping[str, Any]) -> None:
    """Write a readout's identity columns only where they change: every write re-indexes its full text (FTS triggers)."""
    names = list(values)
    conn.execute(
        f"update readouts set {', '.join(f'[{n}] = ?' for n in names)} where id = ?"
        f" and ({' or '.join(f'[{n}] is not ?' for n in names)})",
        [*values.values(), readout_id, *values.values()],
    )


def _text_of(conn: sqlite3.Connection, readout_id: int) -> str:
    row = conn.execute("select text from readouts where id = ?", [readout_id]).fetchone()
    return row[0] or "" if row else ""


def _unindex(conn: sqlite3.Connection, readout_id: int, text: str, settings: DedupeSettings) -> None:
    samples = sampled(shingles(words(text), settings.shingle), settings.sample)
    conn.executemany("delete from dedupe_shingles where hash = ? and readout_id = ?", [(h, readout_id) for h in samples])


def identify(
    conn: sqlite3.Connection, readout_id: int, text: str, settings: DedupeSettings, *, replaying: bool = False
) -> Match | None:
    """Link the readout (already in `readouts`) to the unique readout whose text it repeats, or index it as unique.

    When an excerpt arrived first and its full readout now, the full one becomes
    the original and the excerpt (with its own copies) is linked to it. When
    `replaying` the corpus in storage order, only earlier readouts count.
    """
    tokens = words(text)
    digest = content_hash(tokens)
    set_columns(conn, readout_id, {"content_hash": digest})
    match = None
    same = conn.execute(
        "select id, duplicate_of, duplicate_kind, similarity from readouts"
        f" where content_hash = ? and id {'<' if replaying else '!='} ? order by id limit 1",
        [digest, readout_id],
    ).fetchone()
    if same:
        holder, original, kind, similarity = same
        # a copy of a copy is a copy of the original, as alike as the copy it repeats
        match = Match(holder, EXACT, 1.0) if original is None else Match(original, kind, similarity)
    elif len(tokens) >= settings.min_words:
        ours = shingles(tokens, settings.shingle)
        samples = sampled(ours, settings.sample)
        best: tuple[str, float, int] | None = None
        for candidate in _candidates(conn, samples, readout_id, settings.common):
            theirs = shingles(words(_text_of(conn, candidate)), settings.shingle)
            verdict = _compare(ours, theirs, settings)
            if verdict and (best is None or (verdict[0] == NEAR, verdict[1]) > (best[0] == NEAR, best[1])):
                best = (*verdict, candidate)
        if best and best[0] == "contains":
            kind, similarity, excerpt = best
            _unindex(conn, excerpt, _text_of(conn, excerpt), settings)
            copies = conn.execute("select id from readouts where id = ? or duplicate_of = ?", [excerpt, excerpt])
            for (copy,) in copies.fetchall():
                set_columns(
                    conn, copy, {"duplicate_of": readout_id, "duplicate_kind": EXCERPT, "similarity": round(similarity, 4)}
                )
        elif best:
            match = Match(best[2], best[0], round(best[1], 4))
        if match is None:
            conn.executemany(
                "insert or ignore into dedupe_shingles (hash, readout_id) values (?, ?)", [(h, readout_id) for h in samples]
            )
    set_columns(
        conn,
        readout_id,
        {
            "duplicate_of": match.original if match else None,
            "duplicate_kind": match.kind if match else None,
            "similarity": match.similarity if match else None,
        },
    )
    return match


# --- the store's hooks ------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    readout_id: int
    changed: bool


@dataclass(frozen=True)
class Identity:
    """Settings and gazetteer for linking readouts; the store holds one."""

    settings: DedupeSettings
    gazetteer: meetings.Gazetteer

    @classmethod
    def from_config(cls, config: Config) -> Identity:
        """The config's `[dedupe]` and its `people.toml` (or the shipped one when the config has none)."""
        own = config.directory / "people.toml"
        return cls(config.settings.dedupe, meetings.load_gazetteer(own) if own.exists() else _shipped_gazetteer())

    @classmethod
    def default(cls) -> Identity:
        return cls(DedupeSettings(), _shipped_gazetteer())

    def keys(self, conn: sqlite3.Connection, source: str, url: str, final_url: str, html: str) -> tuple[str, list[str]]:
        """The page's canonical URL and every key it is known by."""
        home = conn.execute("select home from sources where name = ?", [source]).fetchone()
        declared = rel_canonical(html, final_url, home[0] if home else None) if html else None
        canonical = canonical_url(declared or final_url, source, self.settings)
        keys = [url_key(u, source, self.settings) for u in (url, final_url, *([declared] if declared else []))]
        return canonical, list(dict.fromkeys(keys))

    def known(self, conn: sqlite3.Connection, urls: list[str], source: str | None) -> set[str]:
        """Which of `urls` are variants of readouts already stored."""
        keys = {url: url_key(url, source, self.settings) for url in urls}
        wanted = list(set(keys.values()))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in conn.execute(f"select url from readout_urls where url in ({marks})", chunk))
        return {url for url, key in keys.items() if key in found}

    def existing(self, conn: sqlite3.Connection, source: str, url: str, final_url: str) -> int | None:
        """The readout this page already is, by its own URLs.

        Not by its `rel=canonical`: a CMS that points every article at one URL
        would merge them all. A page that is only known by its canonical is stored
        and linked as a duplicate by its text instead.
        """
        row = conn.execute("select id from readouts where url = ?", [url]).fetchone()
        if row:
            return row[0]
        keys = list({url_key(u, source, self.settings) for u in (url, final_url)})
        marks = ",".join("?" * len(keys))
        row = conn.execute(f"select readout_id from readout_urls where url in ({marks}) limit 1", keys).fetchone()
        return row[0] if row else None

    def link(
        self, conn: sqlite3.Connection, readout_id: int, canonical: str, keys: list[str], *, replaying: bool = False
    ) -> None:
        """A new readout: its URL keys, its duplicate link and its meeting."""
        set_columns(conn, readout_id, {"canonical_url": canonical})
        conn.executemany("insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys])
        self._content_and_meeting(conn, readout_id, replaying=replaying)

    def _content_and_meeting(self, conn: sqlite3.Connection, readout_id: int, *, replaying: bool = False) -> None:
        text, title, published = conn.execute(
            "select text, title, published from readouts where id = ?", [readout_id]
        ).fetchone()
        match = identify(conn, readout_id, text or "", self.settings, replaying=replaying)
        if match is not None:
            # a copy reports its original's meeting, even an excerpt that lost the lead
            row = conn.execute("select meeting_id from readouts where id = ?", [match.original]).fetchone()
            set_columns(conn, readout_id, {"meeting_id": row[0] if row else None})
        else:
            meetings.assign(conn, readout_id, meetings.extract_meeting(text or "", title, published, self.gazetteer))

    def revise(self, conn: sqlite3.Connection, readout_id: int, row: Mapping[str, Any], keys: list[str]) -> Revision:
        """A known page fetched again: a changed text becomes the readout's, the old one a version."""
        conn.executemany("insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys])
        old = conn.execute(
            "select title, text, content_hash, published, fetched_at, page_id, duplicate_of from readouts where id = ?",
            [readout_id],
        ).fetchone()
        title, text, digest, published, fetched_at, page_id, duplicate_of = old
        if content_hash(words(row["text"])) == (digest or content_hash(words(text or ""))):
            return Revision(readout_id, changed=False)
        conn.execute(
            "insert into readout_versions (readout_id, title, text, content_hash, published, fetched_at, superseded_at, page_id)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [readout_id, title, text, digest, published, fetched_at, row["fetched_at"], page_id],
        )
        if duplicate_of is None:
            _unindex(conn, readout_id, text or "", self.settings)
        fields = [name for name in row if name not in ("source", "url")]
        conn.execute(
            f"update readouts set {', '.join(f'[{name}] = ?' for name in fields)} where id = ?",
            [row[name] for name in fields] + [readout_id],
        )
        self._content_and_meeting(conn, readout_id)
        return Revision(readout_id, changed=True)

    def recompute(self, conn: sqlite3.Connection) -> None:
        """Every readout's identity and meeting from scratch, in the order they were stored (`harvester dedupe`).

        Meetings are numbered afresh in the same order, so an unchanged corpus gets
        the same ids back and no readout row is written at all.
        """
        conn.execute("pragma defer_foreign_keys = on")  # readouts point at meetings being renumbered
        conn.execute("delete from dedupe_shingles")
        conn.execute("delete from meetings")
        rows = conn.execute(
            "select r.id, r.source, r.url, coalesce(p.final_url, r.url), coalesce(r.canonical_url, p.final_url, r.url)"
            " from readouts r left join pages p on p.id = r.page_id order by r.id"
        ).fetchall()
        for readout_id, source, url, final_url, declared in rows:
            # the canonical a page declared is kept: the page itself is in the archive, not here
            canonical = canonical_url(declared, source, self.settings)
            keys = list(dict.fromkeys(url_key(u, source, self.settings) for u in (url, final_url)))
            self.link(conn, readout_id, canonical, keys, replaying=True)
        conn.execute("delete from meetings where id not in (select meeting_id from readouts where meeting_id is not null)")


@cache
def _shipped_gazetteer() -> meetings.Gazetteer:
    if SHIPPED_GAZETTEER.exists():
        return meetings.load_gazetteer(SHIPPED_GAZETTEER)
    return meetings.Gazetteer([], [])
