"""The corpus schema, the one place it is defined, and its migrations.

A corpus records the schema version it was written with in `PRAGMA user_version`.
Opening it applies, in order and each in its own transaction, every migration
after that version, so a corpus written by an earlier release is upgraded in
place and never rebuilt. A later change to the schema is a new entry appended
to `MIGRATIONS`; an entry once released is never edited.

Version 0 is every corpus written before versions were recorded (release 0.1):
its tables were created by sqlite-utils from the `SCHEMA` below. Migration 1
brings such a corpus, or an empty file, to the same schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from harvester.dedupe import slug
from harvester.errors import HarvesterError
from harvester.languages import keys

SCHEMA: dict[str, dict[str, type]] = {
    "sources": {
        "name": str,
        "title": str,
        "home": str,
        "language": str,
        "enabled": int,
        "schedule": str,
        "config_file": str,
        "updated_at": str,
    },
    "runs": {
        "id": int,
        "source": str,
        "started": str,
        "finished": str,
        "status": str,
        "listing_pages": int,
        "new_readouts": int,
        "known": int,
        "errors": int,
        "error": str,
        "degraded": str,
    },
    "pages": {
        "id": int,
        "source": str,
        "kind": str,
        "url": str,
        "final_url": str,
        "status": int,
        "content_type": str,
        "fetched_at": str,
        "archive": str,
    },
    "readouts": {
        "id": int,
        "source": str,
        "url": str,
        "title": str,
        "kicker": str,
        "author": str,
        "published": str,
        "language": str,
        "tags": str,
        "text": str,
        "extractor": str,
        "fetched_at": str,
        "page_id": int,
        # written by the identity step alone (harvester/store/identity.py)
        "canonical_url": str,
        "content_hash": str,
        "duplicate_of": int,
        "duplicate_kind": str,
        "similarity": float,
        "meeting_id": int,
    },
    "failures": {
        "url": str,
        "source": str,
        "error": str,
        "attempts": int,
        "first_failed": str,
        "last_failed": str,
    },
    "template_blocks": {
        "source": str,
        "fingerprint": int,
        "text": str,
        "pages": int,
        "first_seen": str,
        "last_seen": str,
    },
}
PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "sources": "name",
    "failures": "url",
    "template_blocks": ("source", "fingerprint"),
}
FOREIGN_KEYS = {
    "runs": [("source", "sources", "name")],
    "pages": [("source", "sources", "name")],
    "template_blocks": [("source", "sources", "name")],
    "readouts": [("source", "sources", "name"), ("page_id", "pages", "id"), ("meeting_id", "meetings", "id")],
}
# Columns SQLite derives from others; facets need them as real columns.
GENERATED = {"readouts": {"year": "substr(published, 1, 4)"}}
# Besides lookups, these make Datasette's facet counts and sorts read an index
# instead of every readout's full text (see bench/serve.py).
INDEXES = {
    "readouts": [
        ["url"], ["source"], ["published"], ["language"], ["year"], ["fetched_at"],
        ["canonical_url"], ["content_hash"], ["duplicate_of"], ["meeting_id"],
        # the published table opens on unique readouts (duplicate_of is null): its facet counts
        # read these instead of every matching row of a table holding full texts
        ["duplicate_of", "source"], ["duplicate_of", "language"], ["duplicate_of", "year"],
    ],
    "runs": [["source", "started"]],
    "pages": [["url"]],
}
UNIQUE_INDEXES = {"readouts": ["url"]}

# Tables sqlite-utils cannot declare (composite keys without rowid) and the views;
# meetings first, since readouts refer to them.
MEETINGS_DDL = """
create table if not exists meetings (
    id integer primary key,
    date text,
    place text,
    participants text,
    title text
);
create index if not exists meetings_date on meetings (date)
"""
DDL = """
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
create table if not exists walk_state (
    source text not null,
    start text not null,
    next_url text not null,
    page integer not null,
    updated text,
    primary key (source, start)
);
create table if not exists http_cache (
    url text primary key,
    source text,
    etag text,
    last_modified text,
    archive text not null,
    updated text
)
"""


class SchemaError(HarvesterError):
    """The corpus cannot be opened with this release's schema; the message says why."""


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    apply: Callable[[sqlite_utils.Database], None]


def _statements(db: sqlite_utils.Database, script: str) -> None:
    for statement in script.split(";"):  # not executescript: it would commit the migration's transaction
        if statement.strip():
            db.execute(statement)


def _baseline(db: sqlite_utils.Database) -> None:
    """Release 0.1's tables, indexes and views: created where missing, completed where a column is."""
    _statements(db, MEETINGS_DDL)
    for name, columns in SCHEMA.items():
        table = db.table(name)
        if not table.exists():
            table.create(columns, pk=PRIMARY_KEYS.get(name, "id"), foreign_keys=FOREIGN_KEYS.get(name))
        else:
            for column, kind in columns.items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
        present = {row[1] for row in db.execute(f"PRAGMA table_xinfo([{name}])")}
        for column, expression in GENERATED.get(name, {}).items():
            if column not in present:
                db.execute(f"ALTER TABLE [{name}] ADD COLUMN [{column}] GENERATED ALWAYS AS ({expression}) VIRTUAL")
        for index in INDEXES.get(name, []):
            unique = index in [[c] for c in UNIQUE_INDEXES.get(name, [])]
            table.create_index(index, unique=unique, if_not_exists=True)
    _statements(db, DDL)


def _search_index(db: sqlite_utils.Database) -> None:
    """Built by hand, not by sqlite-utils' `enable_fts`: its script commits on its own, mid-migration."""
    _rebuild_search_index(db, "unicode61", ("title", "text"))


PEOPLE_COLUMNS = {"readouts": ("lead", "place", "kind", "meeting_reason"), "meetings": ("kind",)}
PEOPLE_DDL = """
update meetings set kind = 'meeting' where kind is null;
create index if not exists meetings_kind_date on meetings (kind, date);
create table if not exists people (
    id integer primary key,
    name text unique not null,
    country text,
    offices text,
    aliases text
);
create table if not exists meeting_people (
    meeting_id integer not null references meetings(id),
    person_id integer not null references people(id),
    primary key (meeting_id, person_id)
) without rowid;
create index if not exists meeting_people_person on meeting_people (person_id)
"""


def _people(db: sqlite_utils.Database) -> None:
    """Leads, place lines, kinds of event and why a readout has its meeting; people and who met at each meeting.

    Idempotent, like the baseline: what a column or table already present holds is kept.
    """
    for table, columns in PEOPLE_COLUMNS.items():
        present = set(db.table(table).columns_dict)
        for column in columns:
            if column not in present:
                db.execute(f"alter table [{table}] add column [{column}] text")
    _statements(db, PEOPLE_DDL)


SEARCHED = ("title", "lead", "text")


def _search_leads(db: sqlite_utils.Database) -> None:
    """The search index over titles, leads and texts (the lead says who met whom), rebuilt in one transaction."""
    _rebuild_search_index(db, "unicode61")


def _rebuild_search_index(db: sqlite_utils.Database, tokenize: str, columns: tuple[str, ...] = SEARCHED) -> None:
    names = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    for statement in (
        "drop trigger if exists [readouts_ai]",
        "drop trigger if exists [readouts_ad]",
        "drop trigger if exists [readouts_au]",
        "drop table if exists [readouts_fts]",
        f"create virtual table [readouts_fts] using fts5({names}, content=[readouts], tokenize='{tokenize}')",
        f"insert into [readouts_fts] (rowid, {names}) select rowid, {names} from [readouts]",
        f"create trigger [readouts_ai] after insert on [readouts] begin"
        f" insert into [readouts_fts] (rowid, {names}) values (new.rowid, {new}); end",
        f"create trigger [readouts_ad] after delete on [readouts] begin"
        f" insert into [readouts_fts] ([readouts_fts], rowid, {names}) values ('delete', old.rowid, {old}); end",
        _update_trigger(columns),
    ):
        db.execute(statement)


def _update_trigger(columns: tuple[str, ...]) -> str:
    """The search index's update trigger: a readout is indexed again only when a column the index holds is written.

    The identity step writes a new readout's row several times (its URL keys, hash, duplicate
    and meeting columns); a trigger on any update re-indexed its whole text each time.
    """
    names = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    return (
        f"create trigger [readouts_au] after update of {names} on [readouts] begin"
        f" insert into [readouts_fts] ([readouts_fts], rowid, {names}) values ('delete', old.rowid, {old});"
        f" insert into [readouts_fts] (rowid, {names}) values (new.rowid, {new}); end"
    )


def _search_updates(db: sqlite_utils.Database) -> None:
    """The search index's update trigger narrowed to the columns it indexes (`_update_trigger`); the index is unchanged."""
    db.execute("drop trigger if exists [readouts_au]")
    db.execute(_update_trigger((*SEARCHED, "search_keys")))


PROVENANCE = {"via": str, "archived_at": str, "replay_url": str}
WAYBACK_DDL = """
create table if not exists wayback_captures (
    url_key text not null,
    digest text not null,
    url text,
    archived_at text,
    readout_id integer references readouts(id),
    fetched_at text,
    primary key (url_key, digest)
) without rowid
"""


def _web_archives(db: sqlite_utils.Database) -> None:
    """Where a text came from (the live site or a web-archive capture), and the captures held.

    Idempotent, like the baseline: what a column or table already present holds is kept.
    """
    for name in ("readouts", "readout_versions"):
        table = db.table(name)
        for column, kind in PROVENANCE.items():
            if column not in table.columns_dict:
                table.add_column(column, kind)
    _statements(db, WAYBACK_DDL)


def _health(db: sqlite_utils.Database) -> None:
    """What failed and why, and each host's health across runs (issue 10).

    `failures.kind` says what failed (`http`, `parse`, `timeout`, ...) and `failures.version`
    which release failed on it, so a parser failure is tried again once the software changed.
    `host_health` holds a host's back-off across runs, so a host that refuses a whole run is
    rested instead of each of its URLs being blamed.
    """
    failures = db.table("failures")
    for column in ("kind", "version"):
        if column not in failures.columns_dict:
            failures.add_column(column, str)
    _statements(db, HEALTH_DDL)


HEALTH_DDL = """
create table if not exists host_health (
    source text not null,
    host text not null,
    failed_runs integer not null default 0,
    backoff_until text,
    last_error text,
    last_failed text,
    last_ok text,
    primary key (source, host)
)
"""


# The published corpus: permalinks, what extraction removed, and the indexes its pages read.
PUBLISHING_COLUMNS = {
    "slug": "the permalink: a hash of canonical_url, the same after the corpus is rebuilt",
    "dropped": 'JSON list of {"text", "reason"}: the blocks extraction took out of the body',
}
PUBLISHING_INDEXES = [["slug"], ["kind"], ["duplicate_of", "kind"], ["duplicate_of", "meeting_id"], ["duplicate_of", "published"]]
# The porter stemmer lets "summits" find "summit"; diacritics folded, so "Erdoğan" finds "Erdogan".
STEMMED = "porter unicode61 remove_diacritics 2"


def _publishing(db: sqlite_utils.Database) -> None:
    """Permalinks for every readout, a column for dropped blocks, and the indexes of the published pages."""
    readouts = db.table("readouts")
    for column in PUBLISHING_COLUMNS:
        if column not in readouts.columns_dict:
            db.execute(f"alter table readouts add column [{column}] text")
    for index in PUBLISHING_INDEXES:
        readouts.create_index(index, if_not_exists=True)
    rows = db.execute("select id, canonical_url from readouts where slug is null and canonical_url is not null").fetchall()
    db.conn.executemany("update readouts set slug = ? where id = ?", [(slug(canonical), rid) for rid, canonical in rows])


def _stemmed_search(db: sqlite_utils.Database) -> None:
    """The search index rebuilt with stemming, in one transaction."""
    _rebuild_search_index(db, STEMMED)


TRANSLATIONS_DDL = """
create index if not exists readouts_translation_key on readouts (translation_key);
create view if not exists translations as
select a.id as readout_id, b.id as translation_id, b.language as language, b.source as source, a.translation_key as key
from readouts a join readouts b on b.translation_key = a.translation_key and b.id != a.id;
create view if not exists meeting_readouts as
select r.*, (
    select t.translation_id from translations t
    where t.readout_id = r.id and r.language = 'en' and t.language != 'en' order by t.translation_id limit 1
) as translation_of
from readouts r where r.meeting_id is not null
"""


def _translations(db: sqlite_utils.Database) -> None:
    """Translations on one site: readouts whose URLs give the same key (see `harvester.translations`).

    `meeting_readouts` is what a meeting's page shows: each report with the original it
    translates. Official sites write in their own language and translate into English, so of
    a pair the English page is the translation.

    The keys of readouts already stored are written by the next `harvester dedupe`, which reads the config.
    """
    if "translation_key" not in db.table("readouts").columns_dict:
        db.execute("alter table readouts add column translation_key text")
    _statements(db, TRANSLATIONS_DDL)


def search_keys(title: str | None, lead: str | None, text: str | None, language: str | None) -> str | None:
    """What `readouts.search_keys` holds: the folded, stemmed forms of the Russian, Persian and Arabic words.

    Kept in the database itself, so that `sqlite3`, sqlite-utils and a plain
    `datasette` search every case of "Путин" with the word "путин", without a
    tokenizer registered from Python; None for a text with no such word.
    """
    found = [key for part in (title, lead, text) if part for key in keys(part, language)]
    return " ".join(found) or None


def _search_keys(db: sqlite_utils.Database) -> None:
    """Readouts' search keys, filled in for the stored readouts, and the search index rebuilt over them."""
    if "search_keys" not in db.table("readouts").columns_dict:
        db.execute("alter table readouts add column [search_keys] text")
    last = 0
    while rows := db.execute(  # a batch at a time: a large corpus's texts never all in memory
        "select id, title, lead, text, language from readouts where id > ? order by id limit 500", [last]
    ).fetchall():
        db.conn.executemany(
            "update readouts set search_keys = ? where id = ?",
            [(search_keys(title, lead, text, language), rid) for rid, title, lead, text, language in rows],
        )
        last = rows[-1][0]
    _rebuild_search_index(db, STEMMED, (*SEARCHED, "search_keys"))


def _readings(db: sqlite_utils.Database) -> None:
    """Each readout's reading of its event (JSON, with the evidence) and its day, indexed: meetings and
    people are derived from the set of readings, whatever order the readouts arrived in.

    The readings themselves are written by the identity step; `harvester dedupe` fills them in for an
    older corpus.
    """
    present = set(db.table("readouts").columns_dict)
    for column in ("reading", "event_date"):
        if column not in present:
            db.execute(f"alter table readouts add column [{column}] text")
    db.execute("create index if not exists readouts_event_date on readouts (event_date)")


# Kinds of event that count as calls in the counts below (the plugin's REMOTE_KINDS).
CALLS = "('call', 'video_call')"
# A person's and a country's meetings by year, kept by triggers as `meeting_people` rows come and go:
# the person and country pages read a few rows instead of counting every meeting (a frequent
# country has most of a corpus's meetings). A country counts a meeting once, however many of
# its people took part.
COUNTS_DDL = [
    """create table if not exists person_years (
    person_id integer not null, year text not null, meetings integer not null, calls integer not null,
    primary key (person_id, year)) without rowid""",
    """create table if not exists country_years (
    country text not null, year text not null, meetings integer not null, calls integer not null,
    primary key (country, year)) without rowid""",
    f"""create trigger if not exists meeting_people_counted after insert on meeting_people begin
    insert into person_years (person_id, year, meetings, calls)
        select new.person_id, coalesce(substr(m.date, 1, 4), ''), 1, m.kind in {CALLS} from meetings m where m.id = new.meeting_id
        on conflict (person_id, year) do update set meetings = meetings + 1, calls = calls + excluded.calls;
    insert into country_years (country, year, meetings, calls)
        select p.country, coalesce(substr(m.date, 1, 4), ''), 1, m.kind in {CALLS} from people p, meetings m
        where p.id = new.person_id and m.id = new.meeting_id and p.country is not null and not exists (
            select 1 from meeting_people o join people q on q.id = o.person_id
            where o.meeting_id = new.meeting_id and o.person_id != new.person_id and q.country = p.country)
        on conflict (country, year) do update set meetings = meetings + 1, calls = calls + excluded.calls;
end""",
    f"""create trigger if not exists meeting_people_uncounted after delete on meeting_people begin
    update person_years set meetings = meetings - 1, calls = calls - (select m.kind in {CALLS} from meetings m where m.id = old.meeting_id)
        where person_id = old.person_id
        and year = (select coalesce(substr(m.date, 1, 4), '') from meetings m where m.id = old.meeting_id);
    update country_years set meetings = meetings - 1, calls = calls - (select m.kind in {CALLS} from meetings m where m.id = old.meeting_id)
        where country = (select country from people where id = old.person_id)
        and year = (select coalesce(substr(m.date, 1, 4), '') from meetings m where m.id = old.meeting_id)
        and not exists (select 1 from meeting_people o join people q on q.id = o.person_id
            where o.meeting_id = old.meeting_id and q.country = (select country from people where id = old.person_id));
    delete from person_years where person_id = old.person_id and meetings <= 0;
    delete from country_years where country = (select country from people where id = old.person_id) and meetings <= 0;
end""",
    # a meeting that changes day or kind, or a person who changes country, is counted again
    f"""create trigger if not exists meetings_recounted after update of date, kind on meetings
    when old.date is not new.date or old.kind is not new.kind begin
    delete from person_years where person_id in (select person_id from meeting_people where meeting_id = new.id);
    delete from country_years where country in (
        select p.country from meeting_people mp join people p on p.id = mp.person_id where mp.meeting_id = new.id);
    insert into person_years (person_id, year, meetings, calls)
        select mp.person_id, coalesce(substr(m.date, 1, 4), ''), count(*), sum(m.kind in {CALLS})
        from meeting_people mp join meetings m on m.id = mp.meeting_id
        where mp.person_id in (select person_id from meeting_people where meeting_id = new.id) group by 1, 2;
    insert into country_years (country, year, meetings, calls)
        select p.country, coalesce(substr(m.date, 1, 4), ''), count(distinct m.id), count(distinct case when m.kind in {CALLS} then m.id end)
        from meeting_people mp join people p on p.id = mp.person_id join meetings m on m.id = mp.meeting_id
        where p.country in (select q.country from meeting_people o join people q on q.id = o.person_id where o.meeting_id = new.id)
        group by 1, 2;
end""",
    f"""create trigger if not exists people_recounted after update of country on people
    when old.country is not new.country begin
    delete from country_years where country in (old.country, new.country);
    insert into country_years (country, year, meetings, calls)
        select p.country, coalesce(substr(m.date, 1, 4), ''), count(distinct m.id), count(distinct case when m.kind in {CALLS} then m.id end)
        from meeting_people mp join people p on p.id = mp.person_id join meetings m on m.id = mp.meeting_id
        where p.country in (old.country, new.country) group by 1, 2;
end""",
    # the Atom feed: the newest unique readouts, read in order from an index instead of sorted
    "create index if not exists readouts_unique_fetched on readouts (fetched_at, id) where duplicate_of is null",
]


def _counts(db: sqlite_utils.Database) -> None:
    """Meeting counts by person, country and year, kept by triggers; the feed's index of unique readouts."""
    for statement in COUNTS_DDL:
        db.execute(statement)
    db.execute("delete from person_years")
    db.execute("delete from country_years")
    db.execute(
        "insert into person_years (person_id, year, meetings, calls)"
        f" select mp.person_id, coalesce(substr(m.date, 1, 4), ''), count(*), sum(m.kind in {CALLS})"
        " from meeting_people mp join meetings m on m.id = mp.meeting_id group by 1, 2"
    )
    db.execute(
        "insert into country_years (country, year, meetings, calls)"
        " select p.country, coalesce(substr(m.date, 1, 4), ''), count(distinct m.id),"
        f" count(distinct case when m.kind in {CALLS} then m.id end)"
        " from meeting_people mp join people p on p.id = mp.person_id join meetings m on m.id = mp.meeting_id"
        " where p.country is not null group by 1, 2"
    )


# The readouts of each set of participants (`meetings.participants`, as written), all and unique, kept
# by triggers as readouts and meetings come, go and change: the readouts table's participant and
# country facets read these few rows for the table as it opens (every unique readout), instead of
# grouping every readout by its meeting. A readout counts under its meeting's participants; one
# whose meeting does not (yet) exist counts nowhere until it does.
PARTICIPANT_KEY = "coalesce(m.participants, '[]')"
PARTICIPANT_COUNTS_DDL = [
    """create table if not exists participant_readouts (
    participants text not null primary key, readouts integer not null, unique_readouts integer not null) without rowid""",
    f"""create trigger if not exists readouts_participants_added after insert on readouts
    when new.meeting_id is not null begin
    insert into participant_readouts (participants, readouts, unique_readouts)
        select {PARTICIPANT_KEY}, 1, new.duplicate_of is null from meetings m where m.id = new.meeting_id
        on conflict (participants) do update set
            readouts = readouts + 1, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
    f"""create trigger if not exists readouts_participants_removed after delete on readouts
    when old.meeting_id is not null begin
    update participant_readouts set readouts = readouts - 1, unique_readouts = unique_readouts - (old.duplicate_of is null)
        where participants = (select {PARTICIPANT_KEY} from meetings m where m.id = old.meeting_id);
end""",
    f"""create trigger if not exists readouts_participants_moved after update of meeting_id, duplicate_of on readouts
    when old.meeting_id is not new.meeting_id or (old.duplicate_of is null) != (new.duplicate_of is null) begin
    update participant_readouts set readouts = readouts - 1, unique_readouts = unique_readouts - (old.duplicate_of is null)
        where participants = (select {PARTICIPANT_KEY} from meetings m where m.id = old.meeting_id);
    insert into participant_readouts (participants, readouts, unique_readouts)
        select {PARTICIPANT_KEY}, 1, new.duplicate_of is null from meetings m where m.id = new.meeting_id
        on conflict (participants) do update set
            readouts = readouts + 1, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
    # a meeting that comes, goes or changes its participants (or its number) takes its readouts along
    f"""create trigger if not exists meetings_participants_added after insert on meetings begin
    insert into participant_readouts (participants, readouts, unique_readouts)
        select coalesce(new.participants, '[]'), count(*), count(*) - count(r.duplicate_of) from readouts r
        where r.meeting_id = new.id
        on conflict (participants) do update set
            readouts = readouts + excluded.readouts, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
    """create trigger if not exists meetings_participants_removed after delete on meetings begin
    update participant_readouts set
        readouts = readouts - (select count(*) from readouts r where r.meeting_id = old.id),
        unique_readouts = unique_readouts - (select count(*) - count(r.duplicate_of) from readouts r where r.meeting_id = old.id)
        where participants = coalesce(old.participants, '[]');
end""",
    """create trigger if not exists meetings_participants_changed after update of participants, id on meetings
    when old.participants is not new.participants or old.id != new.id begin
    update participant_readouts set
        readouts = readouts - (select count(*) from readouts r where r.meeting_id = old.id),
        unique_readouts = unique_readouts - (select count(*) - count(r.duplicate_of) from readouts r where r.meeting_id = old.id)
        where participants = coalesce(old.participants, '[]');
    insert into participant_readouts (participants, readouts, unique_readouts)
        select coalesce(new.participants, '[]'), count(*), count(*) - count(r.duplicate_of) from readouts r
        where r.meeting_id = new.id
        on conflict (participants) do update set
            readouts = readouts + excluded.readouts, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
]


def recount_participants(db: sqlite_utils.Database) -> None:
    """`participant_readouts` counted afresh from the readouts and their meetings (a bulk load without
    the triggers, as bench/serve.py's, calls this after)."""
    db.execute("delete from participant_readouts")
    db.execute(
        "insert into participant_readouts (participants, readouts, unique_readouts)"
        f" select {PARTICIPANT_KEY}, count(*), count(*) - count(r.duplicate_of)"
        " from readouts r join meetings m on m.id = r.meeting_id group by 1"
    )


def _participant_counts(db: sqlite_utils.Database) -> None:
    """The readouts of each set of participants, kept by triggers, for the readouts table's people facets."""
    for statement in PARTICIPANT_COUNTS_DDL:
        db.execute(statement)
    recount_participants(db)


# The readouts of each value of the readouts table's column facets (source, kind, year), all and unique,
# kept by triggers as readouts come, go and change: those facets of the table as it opens (every unique
# readout) and of the whole table read a few rows here instead of grouping every readout (each took
# 110-150 ms at a million readouts). Empty values (null) count nowhere, as a Datasette facet shows none.
COLUMN_FACETS = ("source", "kind", "year")
_FACET_VALUES = " union all ".join(f"select '{column}' as facet, {{row}}.{column} as value" for column in COLUMN_FACETS)
COLUMN_COUNTS_DDL = [
    """create table if not exists column_readouts (
    facet text not null, value not null, readouts integer not null, unique_readouts integer not null,
    primary key (facet, value)) without rowid""",
    f"""create trigger if not exists readouts_columns_added after insert on readouts begin
    insert into column_readouts (facet, value, readouts, unique_readouts)
        select facet, value, 1, new.duplicate_of is null from ({_FACET_VALUES.format(row="new")}) where value is not null
        on conflict (facet, value) do update set
            readouts = readouts + 1, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
    f"""create trigger if not exists readouts_columns_removed after delete on readouts begin
    update column_readouts set readouts = readouts - 1, unique_readouts = unique_readouts - (old.duplicate_of is null)
        where (facet, value) in ({_FACET_VALUES.format(row="old")});
end""",
    f"""create trigger if not exists readouts_columns_changed after update of source, kind, published, duplicate_of on readouts
    when old.source is not new.source or old.kind is not new.kind or old.year is not new.year
        or (old.duplicate_of is null) != (new.duplicate_of is null) begin
    update column_readouts set readouts = readouts - 1, unique_readouts = unique_readouts - (old.duplicate_of is null)
        where (facet, value) in ({_FACET_VALUES.format(row="old")});
    insert into column_readouts (facet, value, readouts, unique_readouts)
        select facet, value, 1, new.duplicate_of is null from ({_FACET_VALUES.format(row="new")}) where value is not null
        on conflict (facet, value) do update set
            readouts = readouts + 1, unique_readouts = unique_readouts + excluded.unique_readouts;
end""",
]


def recount_columns(db: sqlite_utils.Database) -> None:
    """`column_readouts` counted afresh from the readouts (a bulk load without the triggers calls this after)."""
    db.execute("delete from column_readouts")
    for column in COLUMN_FACETS:
        db.execute(
            "insert into column_readouts (facet, value, readouts, unique_readouts)"
            f" select '{column}', [{column}], count(*), count(*) - count(duplicate_of)"
            f" from readouts where [{column}] is not null group by [{column}]"
        )


def _column_counts(db: sqlite_utils.Database) -> None:
    """The readouts of each source, kind and year, kept by triggers, for the readouts table's column facets."""
    for statement in COLUMN_COUNTS_DDL:
        db.execute(statement)
    recount_columns(db)


# What the published corpus's canned queries read (datasette-metadata.json): each query is a plain
# select from one of these views, so that the statements publishing relies on are the store's, versioned
# with the tables they read. Statements one by one: source_status holds a semicolon in a string.
PUBLISHED_VIEWS_DDL = [
    """create view if not exists meeting_list as
select m.id as meeting, m.date, m.kind, m.place, m.participants, count(r.id) as reports, group_concat(distinct r.source) as sources
from meetings m left join readouts r on r.meeting_id = m.id
group by m.id""",
    # grouped by the name too, so that a condition on `person` is tested before grouping, not after
    """create view if not exists person_meeting_list as
select p.name as person, m.id as meeting, m.date, m.kind, m.place, m.title, count(r.id) as reports
from people p join meeting_people mp on mp.person_id = p.id join meetings m on m.id = mp.meeting_id left join readouts r on r.meeting_id = m.id
group by p.name, m.id""",
    """create view if not exists meeting_report_list as
select r.meeting_id, r.id, r.source, r.title, r.published, r.url, r.duplicate_of, r.duplicate_kind, length(r.text) as characters
from readouts r""",
    """create view if not exists readouts_this_week as
select id, source, title, published, fetched_at, url
from readouts
where fetched_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-7 days')""",
    """create view if not exists source_status as
select s.name as source, s.title,
  (select max(finished) from runs where runs.source = s.name and runs.status = 'ok') as last_successful_run,
  (select status from runs where runs.source = s.name order by started desc, id desc limit 1) as last_status,
  (select count(*) from runs where runs.source = s.name) as runs,
  (select round(avg(new_readouts), 1) from runs where runs.source = s.name and runs.status != 'running') as readouts_per_run,
  (select count(*) from runs where runs.source = s.name and (runs.status in ('partial', 'failed') or runs.degraded is not null)) as degraded_runs,
  (select degraded from runs where runs.source = s.name and runs.degraded is not null order by id desc limit 1) as last_drift,
  (select count(*) from failures where failures.source = s.name) as failing_urls,
  (select group_concat(h.host || ' resting until ' || h.backoff_until || ' after ' || h.failed_runs || ' refused run(s): ' || h.last_error, '; ') from host_health h where h.source = s.name and h.backoff_until > strftime('%Y-%m-%dT%H:%M:%S', 'now')) as resting_hosts,
  (select count(*) from readouts where readouts.source = s.name) as readouts
from sources s""",
    """create view if not exists failing_url_list as
select source, url, error, attempts, first_failed, last_failed
from failures""",
]


def _published_views(db: sqlite_utils.Database) -> None:
    """The views the canned queries of the published corpus select from."""
    for statement in PUBLISHED_VIEWS_DDL:
        db.execute(statement)


# The search index of the copies' texts alone: a search counts the copies among its matches there, in
# time growing with the copies it finds, instead of looking each match up among all the copies.
COPIES_INDEX = "readouts_copies_fts"


def _copies_search_index(db: sqlite_utils.Database) -> None:
    """The copies' own search index (the main index's columns and tokenizer, no content of its own), kept by
    triggers as readouts come, go, change their text or become or stop being copies. A migration that
    changes the main index's columns or tokenizer rebuilds this one alike, and ranks the frequent words again."""
    columns = (*SEARCHED, "search_keys")
    names = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    for statement in (
        f"create virtual table if not exists [{COPIES_INDEX}] using fts5({names}, content='', tokenize='{STEMMED}')",
        f"create trigger if not exists [readouts_copies_added] after insert on [readouts] when new.duplicate_of is not null"
        f" begin insert into [{COPIES_INDEX}] (rowid, {names}) values (new.id, {new}); end",
        f"create trigger if not exists [readouts_copies_removed] after delete on [readouts] when old.duplicate_of is not null"
        f" begin insert into [{COPIES_INDEX}] ([{COPIES_INDEX}], rowid, {names}) values ('delete', old.id, {old}); end",
        f"create trigger if not exists [readouts_copies_changed] after update of duplicate_of, {names} on [readouts] begin"
        f" insert into [{COPIES_INDEX}] ([{COPIES_INDEX}], rowid, {names}) select 'delete', old.id, {old}"
        " where old.duplicate_of is not null;"
        f" insert into [{COPIES_INDEX}] (rowid, {names}) select new.id, {new} where new.duplicate_of is not null; end",
    ):
        db.execute(statement)
    index_copies(db)


def index_copies(db: sqlite_utils.Database) -> None:
    """The copies' search index filled afresh from the readouts (a bulk load without the triggers calls this after)."""
    columns = ", ".join(f"[{c}]" for c in (*SEARCHED, "search_keys"))
    db.execute(f"insert into [{COPIES_INDEX}] ([{COPIES_INDEX}]) values ('delete-all')")
    db.execute(
        f"insert into [{COPIES_INDEX}] (rowid, {columns}) select id, {columns} from readouts where duplicate_of is not null"
    )


# The best matches of the most frequent words, ranked ahead (harvester/store/ranking.py): the words, the
# readouts that may be among a word's best, and the readouts whose searched text was written since.
SEARCH_RANKING_DDL = [
    "create table if not exists search_words (word text primary key, readouts integer not null, kept integer not null)",
    """create table if not exists search_candidates (
    word text not null, readout_id integer not null, primary key (word, readout_id)) without rowid""",
    "create table if not exists search_changes (readout_id integer primary key, removed integer not null)",
    """create trigger if not exists readouts_search_added after insert on readouts begin
    insert or ignore into search_changes (readout_id, removed) values (new.id, 0);
end""",
    f"""create trigger if not exists readouts_search_changed after update of {", ".join(SEARCHED)}, search_keys on readouts begin
    insert into search_changes (readout_id, removed) values (old.id, 1)
        on conflict (readout_id) do update set removed = 1;
    insert or ignore into search_changes (readout_id, removed) values (new.id, 0);
end""",
    """create trigger if not exists readouts_search_removed after delete on readouts begin
    insert into search_changes (readout_id, removed) values (old.id, 1)
        on conflict (readout_id) do update set removed = 1;
end""",
]


def _search_ranking(db: sqlite_utils.Database) -> None:
    """The frequent words' best matches ranked ahead, and the triggers that record what is written since."""
    # imported here: the ranking reads the search's weights, and the search reads this module
    from harvester.store.ranking import rank_frequent_words

    for statement in SEARCH_RANKING_DDL:
        db.execute(statement)
    rank_frequent_words(db)


MIGRATIONS: list[Migration] = [
    Migration(1, "release 0.1 tables, indexes and views", _baseline),
    Migration(2, "full-text index of titles and texts", _search_index),
    Migration(3, "leads, place lines, kinds of event, people and the people of each meeting", _people),
    Migration(4, "full-text index of titles, leads and texts", _search_leads),
    Migration(5, "web archives: readouts' provenance (via, archived_at, replay_url) and the captures held", _web_archives),
    Migration(6, "failure kinds and versions, host health across runs", _health),
    Migration(7, "permalinks, dropped blocks and the published pages' indexes", _publishing),
    Migration(8, "stemmed full-text index", _stemmed_search),
    Migration(9, "translations: the key a readout shares with its translations, and the translations view", _translations),
    Migration(10, "search keys of Russian, Persian and Arabic words, in the full-text index", _search_keys),
    Migration(11, "readings of events, with their evidence, that meetings are derived from", _readings),
    Migration(12, "meeting counts by person, country and year; the feed's index", _counts),
    Migration(13, "readouts by set of participants, for the readouts table's people facets", _participant_counts),
    Migration(14, "readouts by source, kind and year, for the readouts table's column facets", _column_counts),
    Migration(15, "the views the published corpus's canned queries select from", _published_views),
    Migration(16, "the search index re-indexes a readout only when a column it holds changes", _search_updates),
    Migration(17, "the copies' own search index, for counting the copies a search finds", _copies_search_index),
    Migration(18, "the best matches of the most frequent words, ranked ahead for the search", _search_ranking),
]
LATEST = MIGRATIONS[-1].version


def version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def upgrade(db: sqlite_utils.Database, to: int = LATEST) -> list[Migration]:
    """Apply the migrations the corpus lacks, up to version `to`; returns those applied (none for an up-to-date corpus).

    Each migration takes the write lock before it reads the version again: processes opening a new
    corpus at once (overlapping cron runs) wait for each other, and only the first applies it.
    """
    current = version(db)
    if current > LATEST:
        raise SchemaError(
            f"the corpus has schema version {current}, newer than this release knows ({LATEST}): upgrade harvester"
        )
    applied = []
    for migration in MIGRATIONS:
        if not current < migration.version <= to:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if version(db) < migration.version:
                migration.apply(db)
                db.execute(f"PRAGMA user_version = {migration.version}")
                applied.append(migration)
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    return applied
