"""What the published pages read: the statements of the Datasette plugin, named and typed.

The plugin (`harvester/datasette_plugins/harvester_web.py`) asks these functions,
with Datasette's database object, and never writes SQL of its own: the tables
they read are the ones the migrations (`harvester.store.schema`) create, so a
migration that changes a table changes its readers in the same place. A corpus
Datasette is given at an older version (served without `harvester serve`, which
upgrades it) gets a message saying so (`outdated`), never a half-working page.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from datasette.database import Database

from harvester.store.schema import LATEST
from harvester.store.search import VOCABULARY_TABLE

READOUT_COLUMNS = "id, source, url, title, kicker, author, published, language, text, page_id"
ARTICLE_COLUMNS = (
    f"{READOUT_COLUMNS}, meeting_id, duplicate_of, duplicate_kind, lead, place, kind, tags, slug, dropped,"
    " fetched_at, meeting_reason, via, archived_at, replay_url"
)
# Search facets read one readout row per hit; through mmap those reads cost
# half as much as through SQLite's page cache (bench/serve.py: 445 → ~200 ms
# for a search with 26k hits in 100k readouts).
MMAP_BYTES = 4 * 1024**3


def prepare_connection(conn: sqlite3.Connection) -> None:
    """Each of Datasette's connections: memory-mapped reads, and the search's vocabulary table on a corpus."""
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    if conn.execute("select 1 from sqlite_master where name = 'readouts_fts'").fetchone():
        conn.execute(VOCABULARY_TABLE)  # temporary: read-only corpora have it too


# Databases found at the latest schema version: a corpus is never downgraded, so once is enough.
_current: set[str] = set()


async def outdated(db: Database) -> str | None:
    """Why the pages cannot be served from this corpus (its schema is older than this release's), or None."""
    key = str(db.path or db.name)
    if key in _current:
        return None
    found = int((await db.execute("PRAGMA user_version")).rows[0][0])
    if found >= LATEST:
        _current.add(key)
        return None
    return (
        f"This corpus has schema version {found}; this release of harvester publishes version {LATEST}."
        " `harvester serve` upgrades a corpus when it opens it (it needs write access to the file):"
        " serve it that way, or open it once with harvester."
    )


async def _rows(
    db: Database, sql: str, params: dict[str, Any] | None = None, time_limit: int | None = None
) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params or {}, custom_time_limit=time_limit)).rows]


async def _first(db: Database, sql: str, params: dict[str, Any]) -> dict[str, Any] | None:
    rows = await _rows(db, sql, params)
    return rows[0] if rows else None


# --- a readout's page ---------------------------------------------------------------------


async def readout(db: Database, readout_id: int) -> dict[str, Any] | None:
    """What a readout's page shows of its row (`ARTICLE_COLUMNS`)."""
    return await _first(db, f"select {ARTICLE_COLUMNS} from readouts where id = :id", {"id": readout_id})


async def source_title(db: Database, name: str) -> str | None:
    row = await _first(db, "select title from sources where name = :n", {"n": name})
    return row["title"] if row else None


async def meeting(db: Database, meeting_id: int) -> dict[str, Any] | None:
    """Every column of the meeting."""
    return await _first(db, "select * from meetings where id = :id", {"id": meeting_id})


async def meeting_heading(db: Database, meeting_id: int) -> dict[str, Any] | None:
    """What a meeting's page says above its reports."""
    return await _first(db, "select id, title, date from meetings where id = :id", {"id": meeting_id})


async def meeting_people(db: Database, meeting_id: int) -> list[dict[str, Any]]:
    """Who took part (id, name, country), by name."""
    return await _rows(
        db,
        "select p.id, p.name, p.country from meeting_people mp join people p on p.id = mp.person_id"
        " where mp.meeting_id = :m order by p.name",
        {"m": meeting_id},
    )


async def other_reports(db: Database, meeting_id: int, readout_id: int) -> list[dict[str, Any]]:
    """The meeting's reports but this one, oldest first."""
    return await _rows(
        db,
        "select id, source, title, published, duplicate_of from readouts where meeting_id = :m and id != :id"
        " order by published, source, id",  # as `meeting_reports`: not by the order pages arrived in
        {"m": meeting_id, "id": readout_id},
    )


async def translations(db: Database, readout_id: int) -> list[dict[str, Any]]:
    """The readout's translations (id, language, title, source)."""
    return await _rows(
        db,
        "select t.translation_id as id, t.language, r.title, r.source from translations t"
        " join readouts r on r.id = t.translation_id where t.readout_id = :id order by t.translation_id",
        {"id": readout_id},
    )


async def versions(db: Database, readout_id: int) -> list[dict[str, Any]]:
    """The readout's earlier texts, oldest first."""
    return await _rows(
        db,
        "select title, text, published, fetched_at, superseded_at from readout_versions"
        " where readout_id = :id order by fetched_at, id",
        {"id": readout_id},
    )


async def archive_record(db: Database, page_id: int) -> str | None:
    """Where the page's response lies in the archive (`pages.archive`), if anywhere."""
    row = await _first(db, "select archive from pages where id = :id", {"id": page_id})
    return row["archive"] if row else None


async def readout_by_slug(db: Database, slug: str) -> int | None:
    """The readout a permalink names: of readouts sharing a canonical URL, the original before its copies."""
    row = await _first(
        db, "select id from readouts where slug = :s order by duplicate_of is not null, id limit 1", {"s": slug}
    )
    return row["id"] if row else None


async def meeting_reports(db: Database, meeting_id: int) -> list[dict[str, Any]]:
    """A meeting's reports, oldest first, each with the original an English translation renders (`translation_of`).

    Reports of one day are in the order of their sources' names, not of their ids: ids follow the order
    pages arrived in, and the page would change with it."""
    return await _rows(
        db,
        f"select {READOUT_COLUMNS}, duplicate_of, duplicate_kind, translation_of, reading from meeting_readouts"
        " where meeting_id = :m order by published, source, id",
        {"m": meeting_id},
    )


# --- people and countries -------------------------------------------------------------

# A person's (or a country's) meetings, newest first, with everyone else who took part. `{members}`
# picks them: a condition on m.id tested meeting by meeting down the date index where they are
# most of the meetings (the first page is found at once), the list of their ids where they are
# few (then sorting them is cheap); either way a page costs a bounded amount, not all of them. The
# page is chosen by id alone and its reports and counterparts looked up for its rows only: where
# their ids are sorted, those lookups are not made for every meeting sorted. `{after}` continues
# an export's walk after the last meeting it sent (`after_date`, `after_id`), a range of the date
# index however far the walk has gone, where an offset would read every meeting before it again.
MEETINGS_OF = """
select m.id, m.date, m.place, m.kind, m.title,
  (select count(*) from readouts r where r.meeting_id = m.id) as reports,
  (select json_group_array(json_array(p.id, p.name, p.country)) from meeting_people o join people p on p.id = o.person_id
    where o.meeting_id = m.id and {others}) as counterparts
from (select m.id from meetings m where {members} {year} {after}
  order by m.date desc, m.id desc limit {limit} offset {offset}) page
join meetings m on m.id = page.id
order by m.date desc, m.id desc
"""
# After a dated meeting, the dated ones that follow it; after an undated one (they sort last), the undated
# ones of lower id. Two conditions, not one with an `or`: each is a range of the date index.
AFTER_DATED = "and m.date <= :after_date and (m.date < :after_date or m.id < :after_id)"
AFTER_UNDATED = "and m.date is null and m.id < :after_id"
# Walking the date index pays off while at least one meeting in this many is theirs.
DENSE = 20


@dataclass(frozen=True)
class Members:
    """Whose meetings a page lists (the person `:id`, or the country `:c`): the same set as a test on one
    meeting and as a list of ids, their meetings by year, and who else took part."""

    test: str  # a condition on m.id
    ids: str  # the same set as a condition that lists their ids first
    years: str  # their meetings and calls by year, from the counts the store keeps
    others: str  # a condition on the person `o.person_id` (of country `p.country`): someone else took part


PERSON = Members(
    "exists (select 1 from meeting_people mp where mp.meeting_id = m.id and mp.person_id = :id)",
    "m.id in (select meeting_id from meeting_people where person_id = :id)",
    "select year, meetings, calls from person_years where person_id = :id order by year desc",
    "o.person_id != :id",
)
COUNTRY = Members(
    "exists (select 1 from meeting_people mp join people p on p.id = mp.person_id where mp.meeting_id = m.id and p.country = :c)",
    "m.id in (select mp.meeting_id from meeting_people mp join people p on p.id = mp.person_id where p.country = :c)",
    "select year, meetings, calls from country_years where country = :c order by year desc",
    "coalesce(p.country, '') != :c",
)


async def years_of(db: Database, members: Members, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Their meetings and calls per year (`year`, `meetings`, `calls`), latest first."""
    return await _rows(db, members.years, params)


async def meetings_of(
    db: Database, members: Members, params: dict[str, Any], *, year: str | None, theirs: int, limit: int,
    offset: int = 0, after: dict[str, Any] | None = None, time_limit: int | None = None,
) -> list[dict[str, Any]]:
    """A page of their meetings (of `year`, if given), newest first; `theirs`: how many there are in all;
    `after`: the last meeting an export sent (its `date` and `id`), the page then being the ones after it;
    `time_limit`: in ms, for a chunk of an export, instead of Datasette's SQL time limit.

    Each with its number of reports and `counterparts`, a JSON list of [id, name, country] of the others.
    """
    span = {"start": year, "end": str(int(year) + 1)} if year else {}
    within = "and m.date >= :start and m.date < :end" if year else ""
    everyone = (await _rows(db, f"select count(*) as n from meetings m where 1 {within}", span))[0]["n"]
    onward, since = "", {}
    if after is not None:
        onward = AFTER_DATED if after["date"] is not None else AFTER_UNDATED
        since = {"after_date": after["date"], "after_id": after["id"]}
    sql = MEETINGS_OF.format(
        members=members.test if theirs * DENSE >= everyone else members.ids, others=members.others, year=within,
        after=onward, limit=limit, offset=offset,
    )
    return await _rows(db, sql, {**params, **span, **since}, time_limit)


async def person(db: Database, person_id: int) -> dict[str, Any] | None:
    """Every column of the person."""
    return await _first(db, "select * from people where id = :id", {"id": person_id})


async def person_named(db: Database, name: str) -> int | None:
    row = await _first(db, "select id from people where name = :n", {"n": name})
    return row["id"] if row else None


async def people_of(db: Database, country: str) -> list[dict[str, Any]]:
    """The people of a country (id, name, meetings), those who met most first."""
    return await _rows(
        db,
        "select p.id, p.name, coalesce((select sum(meetings) from person_years y where y.person_id = p.id), 0) as meetings"
        " from people p where p.country = :c order by meetings desc, p.name",
        {"c": country},
    )


async def person_year_counts(db: Database) -> list[dict[str, Any]]:
    """Everyone's dated meetings and calls per year (id, name, country, year, meetings, calls), for the timeline."""
    return await _rows(
        db,
        "select p.id, p.name, p.country, y.year, y.meetings, y.calls from person_years y"
        " join people p on p.id = y.person_id where y.year != ''",
    )


# --- the Atom feed ----------------------------------------------------------------------------

# The newest unique readouts, read backwards from the store's partial index of unique readouts
# by fetched_at (readouts_unique_fetched): fifty rows read, not every unique readout sorted.
FEED = (
    "select r.id, r.slug, r.title, r.url, r.published, r.fetched_at, r.lead, r.text, r.source,"
    " coalesce(s.title, r.source) as publisher, s.home"
    " from readouts r indexed by readouts_unique_fetched left join sources s on s.name = r.source"
    " where r.duplicate_of is null and (r.url like 'http://%' or r.url like 'https://%')"
    " order by r.fetched_at desc, r.id desc limit 50"
)


async def newest_unique(db: Database) -> list[dict[str, Any]]:
    """The 50 unique readouts with a web address harvested last, newest first, with their publisher."""
    return await _rows(db, FEED)


# --- the readouts table: its facets and filters -----------------------------------------------

# Conditions the `_participant` and `_country` arguments add to Datasette's query of the readouts table.
PARTICIPANT_FILTER = (
    "meeting_id in (select mp.meeting_id from meeting_people mp join people p on p.id = mp.person_id"
    " where p.name = :harvester_person)"
)
COUNTRY_FILTER = (
    "meeting_id in (select mp.meeting_id from meeting_people mp join people p on p.id = mp.person_id"
    " where p.country = :harvester_country)"
)

# The readouts table's SQL (Datasette's, without order or limit) when it holds every readout or every unique one,
# and the column of the counts the store keeps for it
WHOLE_TABLE = {"": "readouts", 'where "duplicate_of" is null ': "unique_readouts"}


def kept_column(table: str, sql: str, params: dict[str, Any]) -> str | None:
    """The column of the kept counts (`column_readouts`, `participant_readouts`) that answers for the rows of
    Datasette's query `sql` of `table`, if one does.

    The table as it opens (every unique readout) and the whole table are answered from
    the counts the store keeps, a few rows; any other filter, a search or a later page is counted.
    """
    if table != "readouts" or params:
        return None
    _, found, where = sql.rpartition(" from readouts ")
    if not found or where not in WHOLE_TABLE:
        return None
    return WHOLE_TABLE[where]


async def kept_column_counts(db: Database, kept: str, column: str, size: int) -> list[dict[str, Any]]:
    """The `size` + 1 commonest values of a column facet (`value`, `count`) from the kept counts, commonest first."""
    return [dict(row) for row in (await db.execute(
        f"select value, {kept} as count from column_readouts where facet = :facet and {kept} > 0"
        f" order by count desc, value limit {size + 1}",
        {"facet": column}, truncate=False,
    )).rows]


async def kept_participant_counts(db: Database, kept: str) -> list[tuple[str, int]]:
    """(participants, readouts) of every set of participants with readouts, from the kept counts."""
    rows = (await db.execute(
        f"select participants, {kept} from participant_readouts where {kept} > 0", truncate=False
    )).rows
    return [(row[0], row[1]) for row in rows]


async def participant_counts(db: Database, sql: str, params: dict[str, Any], time_limit: int) -> list[tuple[str, int]]:
    """(participants, readouts) of the readouts Datasette's query `sql` selects, counted per meeting and then
    per set of participants; within `time_limit` ms (else QueryInterrupted)."""
    rows = (await db.execute(
        "select m.participants, sum(per.n) from (select meeting_id, count(*) as n"
        f" from ({sql}) where meeting_id is not null group by meeting_id) per"
        " join meetings m on m.id = per.meeting_id group by m.participants",
        params, truncate=False, custom_time_limit=time_limit,
    )).rows
    return [(row[0], row[1]) for row in rows]


async def countries(db: Database) -> dict[str, str]:
    """Each person's country, by name, for those who have one."""
    rows = (await db.execute("select name, country from people where country is not null", truncate=False)).rows
    return {row[0]: row[1] for row in rows}
