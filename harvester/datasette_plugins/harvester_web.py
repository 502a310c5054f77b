"""Datasette plugin for the corpus: a search engine, readouts as articles, people, countries and a timeline.

`harvester serve` loads this file with `--plugins-dir`, so plain `datasette`
on the same database (the benchmark's baseline) runs without it.

Scraped text reaches the browser only through Jinja's autoescaping, as
text/plain, or inside a sandboxed frame whose response forbids scripts and
every network request: a page that carried `<script>` when it was scraped shows
the tag as words, or shows the page with the script dead. Links to originals
are made only for http(s) URLs.
"""

from __future__ import annotations

import asyncio
import copy
import csv
import difflib
import io
import json
import re
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.etree import ElementTree as ET

from datasette import hookimpl
from datasette.app import Datasette
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_fts, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import AsgiStream, Request, Response
from markupsafe import Markup, escape

from harvester.archive import read_response
from harvester.fetch import decode
from harvester.languages import direction
from harvester.search import MARK_CLOSE, MARK_OPEN, Search, plain, suggestion
from harvester.search_query import DateError, QueryError
from harvester.store import publishing
from harvester.store.publishing import COUNTRY, PERSON, Members
from harvester.store.schema import COLUMN_FACETS
from harvester.store.search import matches_below

# What the readouts table opens on: enough to choose a row, narrow enough for a 1280 px screen.
COMPACT_COLUMNS = ("title", "source", "published", "kind", "meeting_id")
RESULTS_PER_PAGE = 20
REMOTE_KINDS = ("call", "video_call")
PERSON_MEETINGS = 100  # meetings on one page of a person's or a country's meetings
TIMELINE_PEOPLE = 14
# What is typed is rewritten into a query the index always reads (harvester/search_query.py): this is
# only for what that rewriting did not foresee.
SEARCH_HINT = (
    "This search could not be read. Words are matched as they are (\"summits\" also finds \"summit\"); "
    "put a phrase in double quotes (\"North–South corridor\"), end a word with * to match its beginning "
    "(negoti*), and use AND, OR, NOT only between words."
)


def web_url(value: Any) -> str | None:
    """The value if a browser may follow it: never `javascript:`, `data:` or relative tricks."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def paragraphs(text: str | None) -> list[str]:
    """The stored text keeps one blank line between paragraphs (see extract)."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def names(participants: Any) -> list[str]:
    """`meetings.participants` (a JSON list) as names; anything else as nothing rather than raw JSON."""
    try:
        value = json.loads(participants) if isinstance(participants, str) else participants
    except ValueError:
        return []
    return [str(name) for name in value] if isinstance(value, list) else []


def marked(snippet: str | None) -> Markup:
    """An FTS5 snippet, escaped, with its matches in <mark>."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def word_diff(old: str, new: str) -> Markup:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>."""
    def tokens(text: str) -> list[str]:
        return [token for paragraph in paragraphs(text) for token in (*paragraph.split(), "\n")]

    before, after = tokens(old), tokens(new)
    out: list[str] = []

    def words(items: list[str]) -> str:
        return " ".join(str(escape(item)) if item != "\n" else "<br><br>" for item in items)

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(words(before[i1:i2]))
        if op in ("delete", "replace"):
            out.append(f"<del>{words(before[i1:i2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{words(after[j1:j2])}</ins>")
    return Markup(" ".join(out))


def when(value: str | None) -> str | None:
    """A stored UTC time as a reader writes it: 2024-07-05T10:00:00+00:00 → 2024-07-05 10:00 UTC."""
    if not value:
        return None
    if value.endswith("+00:00") and len(value) >= 16:
        return value[:16].replace("T", " ") + " UTC"
    return value


def _report(row: dict[str, Any]) -> dict[str, Any]:
    """A readout as pages show it: `dir` lets Arabic and Persian text run right to left; a report of a
    meeting carries the evidence of its reading."""
    return {**row, "original": web_url(row.get("url")), "paragraphs": paragraphs(row.get("text")),
            "dir": direction(row.get("language")), "evidence": _evidence(row.get("reading"))}


def _evidence(reading: str | None) -> dict[str, str] | None:
    """What a report's reading rests on (`readouts.reading`): the sentence that gave the event, and the
    words that gave its date and its place."""
    if not reading:
        return None
    try:
        found = json.loads(reading)
    except ValueError:
        return None
    return {key: found.get(key) or "" for key in ("sentence", "date", "date_evidence", "place", "place_evidence")}


# --- the readout page -------------------------------------------------------------


async def _participants(datasette: Datasette, database: str, meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """The meeting's people with their page ids, or its names alone when none is linked to a person."""
    people = await publishing.meeting_people(datasette.get_database(database), meeting["id"])
    if people:
        return people
    return [{"id": None, "name": name, "country": None} for name in names(meeting.get("participants"))]


def _versions(current: dict[str, Any], older: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first, the readout's own text last; each but the last with its diff against the next."""
    versions = [*older, {**current, "superseded_at": None, "current": True}]
    for version in versions:
        version["fetched"] = when(version.get("fetched_at"))
    for version, newer in zip(versions, versions[1:], strict=False):
        version["diff"] = word_diff(version.get("text") or "", newer.get("text") or "")
        version["title_changed"] = (version.get("title") or "") != (newer.get("title") or "")
    return versions


def _citation(article: dict[str, Any], permalink: str, archive_url: str | None) -> dict[str, Any]:
    """Plain text, BibTeX and CSL-JSON of one readout: who published what, when, where, and where we keep it."""
    publisher = article.get("source_title") or article["source"]
    title = article.get("title") or "(untitled readout)"
    published = (article.get("published") or "")[:10]
    retrieved = (article.get("fetched_at") or "")[:10]
    captured = (article.get("archived_at") or "")[:10] if article.get("via") == "wayback" else ""
    url = article.get("original") or ""
    parts = [publisher, f"“{title}.”", published or "n.d.", *([url] if url else [])]
    if archive_url:
        parts.append(f"Archived copy: {archive_url}" + (f", captured {captured}" if captured else ""))
    parts[-1] += f" (retrieved {retrieved})" if retrieved else ""
    parts.append(f"Corpus permalink: {permalink}")
    plain = " ".join(part if part.endswith((".", "”")) else part + "." for part in parts)

    def bib(value: str) -> str:
        return re.sub(r"([{}\\])", r"\\\1", value)

    fields = [("author", f"{{{bib(publisher)}}}"), ("title", f"{{{bib(title)}}}")]
    if published:
        fields.append(("date", published))
    fields += [("url", url), ("urldate", retrieved), ("howpublished", bib(publisher))]
    note = f"Archived copy: {archive_url}; " if archive_url else ""
    fields.append(("note", bib(f"{note}corpus permalink: {permalink}")))
    bibtex = f"@online{{{article.get('slug') or article['id']},\n" + "".join(
        f"  {key} = {{{value}}},\n" for key, value in fields if value
    ) + "}"

    def day_parts(day: str) -> dict[str, Any]:
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            return {"raw": day}
        return {"date-parts": [[parsed.year, parsed.month, parsed.day]]}

    csl: dict[str, Any] = {
        "id": article.get("slug") or str(article["id"]),
        "type": "webpage",
        "title": title,
        "publisher": publisher,
        "container-title": publisher,
        "URL": url,
    }
    if published:
        csl["issued"] = day_parts(published)
    if retrieved:
        csl["accessed"] = day_parts(retrieved)
    if archive_url:
        csl["archive_location"] = archive_url
    csl["note"] = f"Corpus permalink: {permalink}"
    return {"plain": plain, "bibtex": bibtex, "csl": json.dumps([csl], ensure_ascii=False, indent=2)}


async def _readout_article(datasette: Datasette, database: str, readout_id: int, request: Request) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    row = await publishing.readout(db, readout_id)
    if row is None:
        return None
    article = _report(row)
    if article.get("lead") and article["paragraphs"] and article["paragraphs"][0] == article["lead"].strip():
        article["paragraphs"] = article["paragraphs"][1:]  # shown as the lead, above
    article["source_title"] = await publishing.source_title(db, article["source"])
    article["tag_list"] = names(article.get("tags"))
    article["dropped_blocks"] = [
        block for block in json.loads(article.get("dropped") or "[]") if isinstance(block, dict)
    ]
    article["meeting"] = None
    article["siblings"] = []
    article["participants"] = []
    if article.get("meeting_id") is not None:
        meeting = await publishing.meeting(db, article["meeting_id"])
        if meeting is not None:
            article["meeting"] = meeting
            article["participants"] = await _participants(datasette, database, meeting)
        article["siblings"] = await publishing.other_reports(db, article["meeting_id"], readout_id)
    article["translations"] = [
        {**row, **_language(row["language"])} for row in await publishing.translations(db, readout_id)
    ]
    older = await publishing.versions(db, readout_id)
    article["versions"] = _versions(article, older) if older else []
    article["archived"] = None
    if article.get("page_id"):
        if await publishing.archive_record(db, article["page_id"]) and _archive_dir(datasette):
            base = f"/-/archive/{database}/{article['page_id']}"
            article["archived"] = {"page": datasette.urls.path(base + "/page"), "source": datasette.urls.path(base)}
    replay = article["replay"] = web_url(article.get("replay_url"))
    archive_url = replay or (datasette.absolute_url(request, article["archived"]["page"]) if article["archived"] else None)
    slug = article.get("slug")
    permalink = datasette.absolute_url(
        request, datasette.urls.path(f"/{database}/-/r/{slug}" if slug else f"/{database}/readouts/{readout_id}")
    )
    article["permalink"] = permalink
    article["retrieved"] = when(article.get("fetched_at"))
    article["citation"] = _citation(article, permalink, archive_url)
    return article


# Languages written right to left, as BCP 47 primary subtags: their text is shown with dir="rtl".
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "sd", "ug", "yi", "dv"})
LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fa": "Persian", "ru": "Russian"}


def _language(code: str | None) -> dict[str, str]:
    """A report's language for the page: its code (`lang`), its direction (`dir`) and its name."""
    code = (code or "").lower() or "und"
    primary = code.split("-")[0]
    return {"lang": code, "dir": "rtl" if primary in RTL_LANGUAGES else "ltr", "name": LANGUAGE_NAMES.get(primary, code)}


async def _meeting_languages(datasette: Datasette, database: str, meeting_id: int) -> list[dict[str, Any]]:
    """The meeting's reports by language, originals first: each language's group, then its reports.

    A language whose reports are all translations (en.kremlin.ru's of kremlin.ru's) comes after
    the languages that hold originals; within a group, originals come before translations.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in await publishing.meeting_reports(datasette.get_database(database), meeting_id):
        report = {**_report(row), **_language(row.get("language"))}
        groups.setdefault(report["lang"], []).append(report)
    for reports in groups.values():
        reports.sort(key=lambda report: report["translation_of"] is not None)
    ordered = sorted(
        groups.values(), key=lambda reports: (all(r["translation_of"] is not None for r in reports), reports[0]["lang"] == "en")
    )
    return [{**_language(reports[0]["language"]), "reports": reports} for reports in ordered]


# --- people and countries -------------------------------------------------------------

def _listed(row: dict[str, Any]) -> dict[str, Any]:
    """A meeting as a listing shows it: its counterparts as people, whether it was held at a distance."""
    row["counterparts"] = [
        {"id": pid, "name": name, "country": country} for pid, name, country in json.loads(row["counterparts"] or "[]")
    ]
    row["remote"] = row["kind"] in REMOTE_KINDS
    return row


async def _meetings_of(
    datasette: Datasette, database: str, members: Members, params: dict[str, Any], request: Request
) -> dict[str, Any]:
    limit = PERSON_MEETINGS
    db = datasette.get_database(database)
    year, page = _year(request), _page(request)
    years = await publishing.years_of(db, members, params)
    total = sum(y["meetings"] for y in years)
    theirs = next((y["meetings"] for y in years if y["year"] == year), 0) if year else total
    rows = await publishing.meetings_of(
        db, members, params, year=year, theirs=theirs, limit=limit + 1, offset=(page - 1) * limit
    )
    return {
        "years": years,
        "meetings": [_listed(row) for row in rows[:limit]],
        "more": len(rows) > limit,
        "total": total,
        "year": year,
        "page": page,
        "first_shown": (page - 1) * limit + 1,
    }


async def _person(datasette: Datasette, database: str, person_id: int, request: Request) -> dict[str, Any] | None:
    person = await publishing.person(datasette.get_database(database), person_id)
    if person is None:
        return None
    person["office_list"] = [o for o in json.loads(person.get("offices") or "[]") if isinstance(o, dict)]
    person["alias_list"] = names(person.get("aliases"))
    person["country_name"] = country_name(person.get("country"))
    person.update(await _meetings_of(datasette, database, PERSON, {"id": person_id}, request))
    return person


def _year(request: Request) -> str | None:
    year = request.args.get("year", "")
    return year if re.fullmatch(r"\d{4}", year) else None


def _page(request: Request) -> int:
    page = request.args.get("page", "")
    return min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1


def country_name(code: str | None) -> str | None:
    """The country's English name (countryinfo, as the meetings step reads them), or the code when unknown."""
    from harvester.people import world  # loaded on first use: it reads a file per country

    return world().country_names.get(code, code) if code else None


# A person's or a country's listing as a file: every meeting, with who else took part.
LISTING_COLUMNS = ("meeting_id", "date", "kind", "place", "title", "counterparts", "counterpart_countries", "reports", "page")
# Meetings read per query of a listing's export: each query continues from the last meeting sent, a range
# of the date index, so a country with hundreds of thousands of meetings streams chunk by chunk. A chunk
# may take longer than a page's SQL time limit (a chunk of a thousand meetings read from a cold disk at a
# million readouts may pass 1 s, which would break the download off): it has EXPORT_TIME_LIMIT_MS.
EXPORT_MEETINGS = 1000
EXPORT_TIME_LIMIT_MS = 20_000


async def _every_meeting_of(
    datasette: Datasette, database: str, members: Members, params: dict[str, Any], request: Request
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every meeting of the listing (of `?year=`, if given), newest first, `EXPORT_MEETINGS` at a time."""
    db = datasette.get_database(database)
    year = _year(request)
    years = await publishing.years_of(db, members, params)
    theirs = sum(y["meetings"] for y in years if y["year"] == year or not year)
    after: dict[str, Any] | None = None
    while True:
        rows = await publishing.meetings_of(
            db, members, params, year=year, theirs=theirs, limit=EXPORT_MEETINGS, after=after, time_limit=EXPORT_TIME_LIMIT_MS
        )
        yield [_listed(row) for row in rows]
        if len(rows) == EXPORT_MEETINGS:
            after = {"date": rows[-1]["date"], "id": rows[-1]["id"]}
        elif after is not None and after["date"] is not None:
            after = {"date": None, "id": SQLITE_MAX_INTEGER}  # the dated are done: the undated come last
        else:
            return


def listing_export(
    datasette: Datasette, request: Request, database: str, chunks: AsyncIterator[list[dict[str, Any]]], kind: str, name: str
) -> AsgiStream:
    """The listing as a CSV or JSON download named `name`, streamed as its meetings are read."""
    meetings = datasette.absolute_url(request, datasette.urls.table(database, "meetings"))  # a meeting's page: its id after

    def record(meeting: dict[str, Any]) -> dict[str, Any]:
        return {
            "meeting_id": meeting["id"], "date": meeting["date"], "kind": meeting["kind"], "place": meeting["place"],
            "title": meeting["title"],
            "counterparts": "; ".join(c["name"] for c in meeting["counterparts"]),
            "counterpart_countries": "; ".join(sorted({c["country"] for c in meeting["counterparts"] if c["country"]})),
            "reports": meeting["reports"],
            "page": f"{meetings}/{meeting['id']}",
        }

    async def stream(writer: Any) -> None:
        out = io.StringIO()
        table = csv.writer(out, lineterminator="\r\n")
        if kind == "csv":
            table.writerow(LISTING_COLUMNS)
        else:
            out.write("[")
        first = True
        try:
            async for chunk in chunks:
                for meeting in chunk:
                    if kind == "csv":
                        table.writerow(record(meeting).values())
                    else:
                        out.write(("\n" if first else ",\n") + json.dumps(record(meeting), ensure_ascii=False))
                    first = False
                await writer.write(out.getvalue())
                out.seek(0)
                out.truncate()
        except QueryInterrupted as error:
            await writer.write(str(error))  # as Datasette ends a CSV it cannot finish: a download cut short says why
            return
        if kind == "json":
            await writer.write("\n]\n" if not first else "]\n")

    content_type = "application/json; charset=utf-8" if kind == "json" else "text/csv; charset=utf-8"
    return AsgiStream(
        stream, headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'}, content_type=content_type
    )


async def country_page(request: Request, datasette: Datasette) -> Response | AsgiStream:
    """Everyone of one country and their meetings; a code no country has is 404, not an empty page."""
    database = _database(request, datasette)
    code = request.url_vars["code"].upper()
    if country_name(code) == code:
        return Response.html(f"<p>No country has the code {escape(code)}.</p>", status=404)
    kind = request.url_vars.get("format")
    if kind:
        chunks = _every_meeting_of(datasette, database, COUNTRY, {"c": code}, request)
        return listing_export(datasette, request, database, chunks, kind, f"meetings-{code}")
    people = await publishing.people_of(datasette.get_database(database), code)
    listing = await _meetings_of(datasette, database, COUNTRY, {"c": code}, request)
    context = {"database": database, "code": code, "country": country_name(code), "people": people, **listing}
    return Response.html(await datasette.render_template("country.html", context, request=request))


async def person_export(request: Request, datasette: Datasette) -> Response | AsgiStream:
    """A person's page as a file: every meeting it lists."""
    database = _database(request, datasette)
    person_id = int(request.url_vars["id"])
    person = await publishing.person(datasette.get_database(database), person_id)
    if person is None:
        return Response.text("No such person in this corpus.", status=404)
    chunks = _every_meeting_of(datasette, database, PERSON, {"id": person_id}, request)
    name = "meetings-" + (re.sub(r"[^\w-]+", "-", person["name"]).strip("-") or str(person_id))
    return listing_export(datasette, request, database, chunks, request.url_vars["format"], name)


async def person_by_name(request: Request, datasette: Datasette) -> Response:
    """Participants are stored as names in `meetings.participants`: this turns a name into the person's page."""
    database = _database(request, datasette)
    name = request.args.get("name", "")
    person_id = await publishing.person_named(datasette.get_database(database), name)
    if person_id is not None:
        return Response.redirect(datasette.urls.row(database, "people", str(person_id)))
    return Response.html(f"<p>No person named {escape(name)} in this corpus.</p>", status=404)


# --- the timeline -----------------------------------------------------------------------


async def timeline_page(request: Request, datasette: Datasette) -> Response:
    """Meetings per year of the people who meet most: one row per person, a dot per year sized by count.

    Read from the counts the store keeps per person and year (`person_years`): a few rows per
    person, however many meetings the corpus holds.
    """
    database = _database(request, datasette)
    context: dict[str, Any] = {"database": database, "svg": None}
    rows = await publishing.person_year_counts(datasette.get_database(database))
    totals: Counter[int] = Counter()
    for row in rows:
        totals[row["id"]] += row["meetings"]
    names_of = {row["id"]: row["name"] for row in rows}
    top = set(sorted(totals, key=lambda pid: (-totals[pid], names_of[pid]))[:TIMELINE_PEOPLE])
    counts = sorted(
        (row for row in rows if row["id"] in top), key=lambda row: (-totals[row["id"]], row["name"], row["year"])
    )
    if counts:
        context["svg"] = timeline_svg(
            counts, lambda pid, year: datasette.urls.row(database, "people", str(pid)) + f"?year={year}"
        )
    return Response.html(await datasette.render_template("timeline.html", context, request=request))


def timeline_svg(counts: list[dict[str, Any]], link: Callable[[int, str], str]) -> Markup:
    """The picture, drawn here: no script, no plugin, readable without JavaScript and cheap at any corpus size."""
    people: dict[int, dict[str, Any]] = {}
    for row in counts:
        people.setdefault(row["id"], {"name": row["name"], "country": row["country"], "years": {}})["years"][row["year"]] = row
    years = sorted({row["year"] for row in counts})
    first, last = int(years[0]), int(years[-1])
    span = list(range(first, last + 1))
    label_width, column, row_height, top = 210, max(26, min(60, 900 // max(1, len(span)))), 34, 30
    width = label_width + column * len(span) + 20
    height = top + row_height * len(people) + 10
    most = max(row["meetings"] for row in counts)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Meetings per year by person">'
    ]
    step = max(1, len(span) // 12)
    for index, year in enumerate(span):
        x = label_width + column * index + column / 2
        out.append(f'<line x1="{x}" y1="{top - 8}" x2="{x}" y2="{height - 6}" class="grid"/>')
        if index % step == 0 or year == last:
            out.append(f'<text x="{x}" y="{top - 14}" class="year">{year}</text>')
    for number, (person_id, person) in enumerate(people.items()):
        y = top + row_height * number + row_height / 2
        label = escape(person["name"] + (f" ({person['country']})" if person["country"] else ""))
        out.append(f'<text x="{label_width - 10}" y="{y + 4}" class="person">{label}</text>')
        out.append(f'<line x1="{label_width}" y1="{y}" x2="{width - 20}" y2="{y}" class="strip"/>')
        for year, row in person["years"].items():
            x = label_width + column * (int(year) - first) + column / 2
            radius = 3 + 11 * (row["meetings"] / most) ** 0.5
            calls = f", {row['calls']} by telephone or video" if row["calls"] else ""
            tip = escape(f"{person['name']}, {year}: {row['meetings']} meeting{'s' if row['meetings'] != 1 else ''}{calls}")
            out.append(
                f'<a href="{escape(link(person_id, year))}"><circle cx="{x}" cy="{y}" r="{radius:.1f}" class="dot">'
                f"<title>{tip}</title></circle></a>"
            )
    out.append("</svg>")
    return Markup("".join(out))


# --- search -------------------------------------------------------------------------------


async def search_page(request: Request, datasette: Datasette) -> Response:
    database = _database(request, datasette)
    args = request.args
    try:
        page = max(0, int(args.get("page") or 0))
    except ValueError:
        page = 0
    context: dict[str, Any] = {
        "database": database, "q": (args.get("q") or "").strip(), "by_date": args.get("sort") == "date",
        "start": args.get("from") or "", "end": args.get("to") or "", "duplicates": args.get("duplicates") == "1",
        "results": [], "error": None, "total": 0, "hidden": 0, "page": page, "next_url": None, "previous_url": None,
        "notes": [], "suggestion": None, "unknown": [],
    }
    try:
        search = Search.from_args(args)
    except (DateError, QueryError) as error:
        context["error"] = str(error)
        return Response.html(await datasette.render_template("search.html", context, request=request))
    if search.text and not search.query.fts:
        context["error"] = f"“{search.text}” has no word to search for."
        context["notes"] = list(search.query.notes)
    if search.query.fts:
        try:
            # counting every match and ranking them are independent reads: Datasette's threads run them at once
            (total, hidden), ids = await asyncio.gather(
                search.counts(datasette, database),
                search.ids(datasette, database, RESULTS_PER_PAGE + 1, page * RESULTS_PER_PAGE),
            )
            rows = await search.rows(datasette, database, ids[:RESULTS_PER_PAGE])
        except sqlite3.OperationalError as error:
            context["error"] = SEARCH_HINT
            context["detail"] = str(error)
        except QueryInterrupted:
            context["error"] = "This search took too long: add a word or a date range to narrow it."
        else:
            context["results"] = [{**row, "snippet": marked(row["snippet"])} for row in rows]
            context["total"], context["hidden"] = total, hidden
            context["notes"] = list(search.query.notes)
            if not total:
                suggested = await suggestion(datasette, database, search)
                context["suggestion"], context["unknown"] = suggested.query, list(suggested.unknown)
            if len(ids) > RESULTS_PER_PAGE:
                context["next_url"] = path_with_added_args(request, {"page": str(page + 1)})
            if page:
                context["previous_url"] = path_with_added_args(request, {"page": str(page - 1)})
            context["toggle_duplicates_url"] = (
                path_with_removed_args(request, {"duplicates": "1"}) if search.duplicates
                else path_with_added_args(request, {"duplicates": "1"})
            )
            context["sort_url"] = (
                path_with_removed_args(request, {"sort": "date"}) if search.by_date
                else path_with_added_args(request, {"sort": "date"})
            )
            exports = path_with_removed_args(request, {"page": args.get("page") or ""})
            query_string = exports.partition("?")[2]
            base = datasette.urls.path(f"/{database}/-/search")
            context["export_urls"] = {kind: f"{base}.{kind}?{query_string}" for kind in ("csv", "json")}
    return Response.html(await datasette.render_template("search.html", context, request=request))


SEARCH_EXPORT_COLUMNS = (
    "rank", "id", "title", "publisher", "source", "published", "kind", "language", "url", "permalink", "meeting_id",
    "duplicate_of", "snippet",
)


async def search_export(request: Request, datasette: Datasette) -> Response:
    """Every readout the search finds, in the page's order, as JSON or CSV; `snippets=0` leaves the snippets out."""
    database = _database(request, datasette)
    kind = request.url_vars["format"]
    try:
        search = Search.from_args(request.args)
    except (DateError, QueryError) as error:
        return _export_error(kind, str(error))
    if not search.query.fts:
        return _export_error(kind, "Nothing to search for: give the words to search as ?q=…")
    snippets = request.args.get("snippets") != "0"
    try:
        total, hidden = await search.counts(datasette, database)
        rows: list[dict[str, Any]] = []
        async for row in search.every_row(datasette, database, snippets):
            slug = row.get("slug")
            link = f"/{database}/-/r/{slug}" if slug else f"/{database}/readouts/{row['id']}"
            rows.append({
                "rank": len(rows) + 1, "id": row["id"], "title": row["title"],
                "publisher": row["source_title"] or row["source"], "source": row["source"],
                "published": row["published"], "kind": row["kind"], "language": row["language"], "url": row["url"],
                "permalink": datasette.absolute_url(request, datasette.urls.path(link)),
                "meeting_id": row["meeting_id"], "duplicate_of": row["duplicate_of"],
                **({"snippet": plain(row["snippet"]), "snippet_html": str(marked(row["snippet"]))} if snippets else {}),
            })
    except sqlite3.OperationalError as error:
        return _export_error(kind, f"{SEARCH_HINT} (SQLite said: {error})")
    except QueryInterrupted:
        return _export_error(kind, "This search took too long: add a word or a date range to narrow it.", status=503)
    name = "search-" + (re.sub(r"[^\w-]+", "-", search.text).strip("-")[:40] or "results")
    if kind == "csv":
        columns = [c for c in SEARCH_EXPORT_COLUMNS if snippets or c != "snippet"]
        return tabular(rows, columns, "csv", name)
    suggested = await suggestion(datasette, database, search) if not total else None
    document = {
        "query": search.text, "searched": search.query.fts, "notes": list(search.query.notes),
        "total": total, "hidden_duplicates": hidden,
        "suggestion": suggested.query if suggested else None,
        "unknown_words": list(suggested.unknown) if suggested else [],
        "results": rows,
    }
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}.json"'},
    )


def _export_error(kind: str, message: str, status: int = 400) -> Response:
    if kind == "json":
        return Response.json({"error": message}, status=status)
    return Response.text(message, status=status)


def tabular(rows: list[dict[str, Any]], columns: list[str] | tuple[str, ...], kind: str, name: str) -> Response:
    """Rows as a CSV or JSON download named `name`: the same columns, in the same order, either way."""
    if kind == "json":
        body = json.dumps([{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False, indent=2)
        content_type = "application/json; charset=utf-8"
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        body, content_type = out.getvalue(), "text/csv; charset=utf-8"
    return Response(
        body, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    )


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


# --- permalinks, archive, feed ----------------------------------------------------------------


async def permalink(request: Request, datasette: Datasette) -> Response:
    """A readout by its slug (a hash of its canonical URL): the address to cite, whatever its row number."""
    database = _database(request, datasette)
    readout_id = await publishing.readout_by_slug(datasette.get_database(database), request.url_vars["slug"])
    if readout_id is None:
        return Response.html("<p>No readout has this permalink in this corpus.</p>", status=404)
    return Response.redirect(datasette.urls.row(database, "readouts", str(readout_id)))


def _archive_dir(datasette: Datasette) -> Path | None:
    directory = (datasette.plugin_config("harvester") or {}).get("archive")
    return Path(directory) if directory else None


# The archived page, rendered: the frame is sandboxed (no scripts, no forms, an opaque origin) and the
# response itself allows no script, no frame and no request anywhere; only its own inline styles.
RENDER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


async def archived_copy(request: Request, datasette: Datasette) -> Response:
    """A page's body as the harvest received it, decoded and sent as UTF-8 under a Content-Type of our own:
    as plain text, or (`/page`) as the page, in a sandbox where nothing in it runs or reaches out."""
    database = request.url_vars["database"]
    directory = _archive_dir(datasette)
    if database not in datasette.databases or directory is None:
        return Response.text("no archive configured", status=404)
    page_id = int(request.url_vars["page"])
    if page_id > SQLITE_MAX_INTEGER:
        return Response.text("no archived copy of this page", status=404)
    db = datasette.get_database(database)
    problem = await publishing.outdated(db)
    if problem is not None:
        return Response.text(problem, status=503)
    record = await publishing.archive_record(db, page_id)
    if not record:
        return Response.text("no archived copy of this page", status=404)
    try:
        response = read_response(directory, record)
    except (OSError, LookupError, ValueError):
        return Response.text("the archived copy cannot be read", status=404)
    # Decoded here and sent as UTF-8 under a Content-Type of our own: the publisher's header is
    # not echoed, since one such as `text/plain; charset=utf-8, text/html` renders as HTML.
    text = decode(response.body, response.header("Content-Type"))
    rendered = request.url_vars.get("view") == "page"
    return Response(
        text.encode("utf-8"),
        content_type=f"{'text/html' if rendered else 'text/plain'}; charset=utf-8",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": RENDER_POLICY if rendered else "default-src 'none'; sandbox",
            "X-Archived-URL": response.url,
            "Referrer-Policy": "no-referrer",
        },
    )


# Ids beyond SQLite's integer range name no row (SQLite would refuse them as parameters: a 500).
SQLITE_MAX_INTEGER = 2**63 - 1
ATOM = "http://www.w3.org/2005/Atom"
# What XML 1.0 cannot hold at all, not even escaped: the feed is well-formed whatever a title holds.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str | None) -> str | None:
    return NOT_XML.sub("", value) if value else value

# The tagging entity: the project's domain and the year it began minting these ids (RFC 4151).
TAG_AUTHORITY = "harvester-readouts.github.io,2024"


async def atom_feed(request: Request, datasette: Datasette) -> Response:
    """The 50 unique readouts harvested last, each linking to its corpus page and to its original."""
    database = _database(request, datasette)
    rows = await publishing.newest_unique(datasette.get_database(database))
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    self_url = datasette.absolute_url(request, datasette.urls.path(f"/{database}/-/feed.atom"))
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"New readouts in {database}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"tag:{TAG_AUTHORITY}:feed/{database}"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _atom_time(rows[0]["fetched_at"] if rows else None)
    for row in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:{TAG_AUTHORITY}:readout/{row['slug'] or row['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _xml_text(row["title"] or row["url"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _atom_time(row["fetched_at"])
        if row["published"]:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _atom_time(row["published"])
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = _xml_text(row["publisher"])
        if web_url(row["home"]):
            ET.SubElement(author, f"{{{ATOM}}}uri").text = row["home"]
        corpus = datasette.urls.path(f"/{database}/-/r/{row['slug']}" if row["slug"] else f"/{database}/readouts/{row['id']}")
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=datasette.absolute_url(request, corpus))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="via", type="text/html", href=row["url"], title="The original")
        summary = row["lead"] or (paragraphs(row["text"]) or [""])[0]
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = _xml_text(summary)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _atom_time(value: str | None) -> str:
    """RFC 3339 as Atom wants it: a date alone becomes its midnight UTC."""
    if not value:
        return "1970-01-01T00:00:00Z"
    if len(value) == 10:
        return f"{value}T00:00:00Z"
    return value.replace("+00:00", "Z")


def _database(request: Request, datasette: Datasette) -> str:
    database: str = request.url_vars["database"]
    if database not in datasette.databases:
        raise NotFound(database)
    return database


class NotFound(Exception):
    pass


def _guarded(view: Callable[[Request, Datasette], Awaitable[Response]]) -> Callable[[Request, Datasette], Awaitable[Response]]:
    """A page of a database Datasette serves, at the schema version this release publishes."""
    async def inner(request: Request, datasette: Datasette) -> Response:
        try:
            problem = await publishing.outdated(datasette.get_database(_database(request, datasette)))
            if problem is not None:
                return Response.html(f"<p>{escape(problem)}</p>", status=503)
            return await view(request, datasette)
        except NotFound:
            return Response.html("<p>No such database.</p>", status=404)

    return inner


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    db = r"^/(?P<database>[^/]+)/-/"
    return [
        (r"^/-/archive/(?P<database>[^/]+)/(?P<page>\d+)(?:/(?P<view>page))?$", archived_copy),
        (db + r"search$", _guarded(search_page)),
        (db + r"search\.(?P<format>json|csv)$", _guarded(search_export)),
        (db + r"r/(?P<slug>[0-9a-f]{6,40})$", _guarded(permalink)),
        (db + r"country/(?P<code>[A-Za-z]{2})(?:\.(?P<format>json|csv))?$", _guarded(country_page)),
        (db + r"person/(?P<id>\d+)\.(?P<format>json|csv)$", _guarded(person_export)),
        (db + r"person$", _guarded(person_by_name)),
        (db + r"timeline$", _guarded(timeline_page)),
        (db + r"feed\.atom$", _guarded(atom_feed)),
    ]


# --- Datasette's own pages ----------------------------------------------------------------


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    publishing.prepare_connection(conn)


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, view_name: str, request: Request | None, datasette: Datasette
) -> Any:
    """Every page: the site's title, for page titles that name their subject and then the site.
    Readout, person and meeting pages: what they show beyond the row."""
    site = {"site_title": datasette.metadata("title") or "Datasette"}
    if view_name != "row" or request is None or table not in ("readouts", "meetings", "people") or database is None:
        return site

    async def inner() -> dict[str, Any]:
        try:
            pk = int(request.url_vars["pks"])
        except (KeyError, ValueError):
            return site
        if await publishing.outdated(datasette.get_database(database)):
            return site  # Datasette's own row page, without what a corpus of this release would add
        if table == "readouts":
            return {**site, "article": await _readout_article(datasette, database, pk, request)}
        if table == "people":
            return {**site, "person": await _person(datasette, database, pk, request)}
        meeting = await publishing.meeting_heading(datasette.get_database(database), pk)
        languages = await _meeting_languages(datasette, database, pk)
        return {**site, "meeting": meeting, "languages": languages,
                "report_count": sum(len(group["reports"]) for group in languages)}

    return inner


def _names_cell(datasette: Datasette, database: str, value: Any) -> Markup:
    links = [
        f'<a href="{escape(datasette.urls.path(f"/{database}/-/person"))}?{escape(urlencode({"name": name}))}">{escape(name)}</a>'
        for name in names(value)
    ]
    return Markup(", ".join(links))


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Datasette
) -> Markup | None:
    """Participants as names (never JSON), a readout's meeting as who met, meeting numbers as links."""
    if column == "participants" and isinstance(value, str) and value.startswith("["):
        return _names_cell(datasette, database, value)
    if table is None and column == "meeting" and isinstance(value, int):
        return Markup(f'<a href="{escape(datasette.urls.table(database, "meetings"))}/{value}">{value}</a>')
    if table in ("readouts", "readouts_unique") and column == "meeting_id" and value is not None:
        # Datasette expands the foreign key to the meeting's title (who met, where, when) in one query for all rows
        meeting, label = (value.get("value"), value.get("label")) if isinstance(value, dict) else (value, None)
        href = datasette.urls.row(database, "meetings", str(meeting))
        return Markup(f'<a href="{escape(href)}">{escape(label or f"meeting {meeting}")}</a>')
    return None


async def _kept_counts(facet: Facet) -> str | None:
    """The column of the counts the store keeps that answers for the facet's rows, if one does (none for a
    corpus not yet upgraded: Datasette counts)."""
    kept = publishing.kept_column(facet.table, facet.sql, facet.params)
    if kept is None or await publishing.outdated(facet.ds.get_database(facet.database)):
        return None
    return kept


# Datasette's own column facets, kept aside once: this file may be loaded more than once in a process
_counted_column_facets = getattr(ColumnFacet, "_counted_facet_results", ColumnFacet.facet_results)
setattr(ColumnFacet, "_counted_facet_results", _counted_column_facets)


async def _column_facet_results(self: ColumnFacet) -> tuple[list[dict[str, Any]], list[str]]:
    """Datasette's column facets, those of the readouts table as it opens read from `column_readouts`.

    Source, kind and year of every unique readout (or every readout) are counts the store keeps
    (harvester/store/schema.py), the same values and counts Datasette's grouping of every row
    gives; any other column, filter or table is left to Datasette.
    """
    configs = self.get_configs()
    kept = await _kept_counts(self) if configs else None
    if kept is None:
        return await _counted_column_facets(self)  # type: ignore[no-any-return]
    column_of = [(config, config["config"].get("column") or config["config"]["simple"]) for config in configs]
    others = [config for config, column in column_of if column not in COLUMN_FACETS]
    counted: dict[str, dict[str, Any]] = {}
    timed_out: list[str] = []
    if others:
        rest = copy.copy(self)
        rest.get_configs = lambda: others
        results, timed_out = await _counted_column_facets(rest)
        counted = {result["name"]: result for result in results}
    qs_pairs = self.get_querystring_pairs()
    size = self.get_facet_size()
    facet_results = []
    for config, column in column_of:
        if column not in COLUMN_FACETS:
            if column in counted:
                facet_results.append(counted[column])
            continue
        rows = await publishing.kept_column_counts(self.ds.get_database(self.database), kept, column, size)
        values = [row["value"] for row in rows[:size]]
        expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, values)
        column_qs = f"{column}__exact" if column.startswith("_") else column
        listed = []
        for value, count in ((row["value"], row["count"]) for row in rows[:size]):
            selected = (column_qs, str(value)) in qs_pairs
            toggle = (
                path_with_removed_args(self.request, {column_qs: str(value)}) if selected
                else path_with_added_args(self.request, {column_qs: value})
            )
            listed.append({"value": value, "label": expanded.get((column, value), value), "count": count,
                           "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)), "selected": selected})
        facet_results.append({
            "name": column, "type": self.type, "hideable": config["source"] != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
            "results": listed, "truncated": len(rows) > size,
        })
    return facet_results, timed_out


# Datasette has no hook to answer a column facet otherwise: its class answers through the function above.
setattr(ColumnFacet, "facet_results", _column_facet_results)


class PeopleFacet(Facet):
    """Counts of the readouts in view by who their meeting was with, and by those people's countries.

    The readouts in view are counted per meeting (one read of a covering index),
    then per set of participants (`meetings.participants`): a corpus has far fewer
    sets of people than meetings, so what is left to spread over names and
    countries here is small. A readout counts once per participant, and once per
    country however many of its people come from there. (Joining meeting_people in
    SQL for both facets cost three times as much at 100k readouts.)
    """

    type = "people"
    # facet name → the filter argument its values set
    FACETS = {"participant": "_participant", "country": "_country"}

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        db = self.ds.get_database(self.database)
        if not self.get_configs() or await publishing.outdated(db):
            return [], []
        kept = publishing.kept_column(self.table, self.sql, self.params)
        try:
            if kept:
                groups = await publishing.kept_participant_counts(db, kept)
            else:
                groups = await publishing.participant_counts(
                    db, self.sql, self.params, self.ds.setting("facet_time_limit_ms")
                )
            country_of = await publishing.countries(db)
        except QueryInterrupted:
            return [], list(self.FACETS)
        except sqlite3.OperationalError:  # a view without meeting_id
            return [], []
        counts: dict[str, Counter[str]] = {name: Counter() for name in self.FACETS}
        for participants, readouts in groups:
            present = names(participants)
            for name in present:
                counts["participant"][name] += readouts
            for country in {country_of[name] for name in present if name in country_of}:
                counts["country"][country] += readouts
        size = self.get_facet_size()
        results = []
        for name, argument in self.FACETS.items():
            ranked = sorted(counts[name].items(), key=lambda item: (-item[1], item[0]))
            chosen = self.request.args.get(argument)
            values = []
            for value, count in ranked[:size]:
                selected = value == chosen
                toggle = (
                    path_with_removed_args(self.request, {argument: value}) if selected
                    else path_with_added_args(self.request, {argument: value})
                )
                values.append({"value": value, "label": value, "count": count, "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, toggle)})
            results.append({
                "name": name, "type": self.type, "results": values, "hideable": False, "truncated": len(ranked) > size,
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_people": "meeting_id"})),
            })
        return results, []


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [PeopleFacet]


@hookimpl
def filters_from_request(request: Request, database: str, table: str, datasette: Datasette) -> Any:
    """`?_participant=Name` and `?_country=IR`: the readouts of meetings with that person, or someone of that country."""
    person, country = request.args.get("_participant"), request.args.get("_country")
    if table not in ("readouts", "readouts_unique") or not (person or country):
        return None
    where, params, described = [], {}, []
    if person:
        where.append(publishing.PARTICIPANT_FILTER)
        params["harvester_person"] = person
        described.append(f"with {person}")
    if country:
        where.append(publishing.COUNTRY_FILTER)
        params["harvester_country"] = country.upper()
        described.append(f"with someone of {country.upper()}")
    return FilterArguments(where, params, described)


def _entry_redirect(scope: dict[str, Any], datasette: Datasette) -> str | None:
    """Where a reader's request for the readouts table should land instead, if anywhere.

    The table opens compact and without duplicates; a search (from a pasted link, the
    table's form or the unique view) goes to the search page, which hides duplicates
    unless asked. JSON and CSV stay Datasette's, for programs.
    """
    parts = scope["path"].strip("/").split("/")
    if len(parts) != 2 or parts[0] not in datasette.databases or parts[1] not in ("readouts", "readouts_unique"):
        return None
    query = dict(parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True))
    if "_search" in query:
        search: str = datasette.urls.path(f"/{parts[0]}/-/search")
        return search + "?" + urlencode({"q": query["_search"]})
    if not query and parts[1] == "readouts":
        columns = "&".join(f"_col={column}" for column in COMPACT_COLUMNS)
        return f"{scope['path']}?duplicate_of__isnull=1&{columns}"
    return None


# Exports of the readouts table, in an order of their own when a program asks for all rows.
EXPORTS = (".csv", ".json")


def _export_order(scope: dict[str, Any], datasette: Datasette) -> bytes | None:
    """The query string of a whole-table export of readouts, sorted newest stored first unless it asks for a sort.

    The metadata sorts the table by `published`; a streamed export is read 100 rows at a
    time, and with a search each chunk would sort every match again (58 s for 39k hits at
    300k readouts, against 9 s unsorted). The primary key is an order an index serves.
    """
    parts = scope["path"].strip("/").split("/")
    if len(parts) != 2 or parts[0] not in datasette.databases:
        return None
    table, _, extension = parts[1].rpartition(".")
    if table not in ("readouts", "readouts_unique") or f".{extension}" not in EXPORTS:
        return None
    query = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
    asked = {key for key, _ in query}
    whole = "_stream" in asked or ("_size", "max") in query
    if not whole or asked & {"_sort", "_sort_desc"}:
        return None
    return urlencode([*query, ("_sort_desc", "id")]).encode()


def _streamed_export(scope: dict[str, Any], datasette: Datasette) -> tuple[str, list[tuple[str, str]]] | None:
    """(database, query) of a streamed CSV of the readouts table that this plugin streams itself, else None.

    Datasette streams a CSV 100 rows at a time, each chunk a query of its own that runs the
    search again; and for an order by `id` descending its next-page condition (`id < :p or id is
    null or …`) is one no index serves, so each chunk reads every match above it (quadratic in the
    matches). Asked in chunks of `max_returned_rows` with `id__lt=` the last id sent, each chunk is
    a range of the primary key (a `_size` asked for sizes no more than the chunks, as in Datasette's
    stream, where it changes nothing in the file). A filter on `id` is kept beside the chunk's bounds (Datasette
    requires every filter given, repeated or not); Datasette's own stream ends such an export after its first
    `max_returned_rows` rows. Left to Datasette: a sort asked for, `_next`, `_trace`, views, and a server that
    does not stream CSV.
    """
    parts = scope["path"].strip("/").split("/")
    if len(parts) != 2 or parts[0] not in datasette.databases or parts[1] != "readouts.csv":
        return None
    if not datasette.setting("allow_csv_stream"):
        return None
    query = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
    asked = {key for key, _ in query}
    if "_stream" not in asked or asked & {"_sort", "_sort_desc", "_next", "_trace"}:
        return None
    return parts[0], query


async def _stream_csv(
    database: str, query: list[tuple[str, str]], datasette: Datasette, send: Any, scope: dict[str, Any]
) -> None:
    """The readouts' CSV, newest stored first, in chunks of Datasette's own CSV of `max_returned_rows` rows.

    Each chunk is Datasette's answer to the same filters with `_sort_desc=id&_size=max` and the
    chunk's bounds, passed on as it comes (its header kept for the first chunk only): the same
    columns, cells and header as Datasette's streamed CSV, which this replaces. Where the chunk
    ends is asked first (`_Chunks.bounds`), then the chunk's rows between those bounds. Like
    Datasette's, the stream stops at `max_csv_mb` with the same message, and an error after the
    first chunk ends it with the error's text. The chunks are asked with the reader's cookies and
    credentials, so they answer what the reader may see.
    """
    forwarded = {
        name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", [])
        if name.lower() in (b"cookie", b"authorization")
    }
    kept = [(key, value) for key, value in query if key not in ("_stream", "_header", "_size")]  # a stream's chunks are ours
    header = dict(query).get("_header") != "off"
    limit = int(datasette.setting("max_csv_mb") or 0) * 1024 * 1024
    chunks = _Chunks(datasette, database, kept, forwarded)
    written, first = 0, True
    below: int | None = None
    while True:
        asked, below, full, error = await chunks.bounds(below)
        response = await datasette.client.get(f"{chunks.table}.csv?{urlencode(asked)}", headers=forwarded)
        if first:
            headers = [
                (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers.items()
                if name.lower() not in ("content-length", "transfer-encoding")
            ]
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        if response.status_code != 200:
            await send({"type": "http.response.body", "body": response.content})
            return
        text = response.text
        if not (first and header):
            text = text.partition("\r\n")[2]  # column names hold no line break
        text += error  # why the stream stops here, as Datasette's ends with its error
        if limit and written + len(text) > limit:
            await send({"type": "http.response.body", "body": _cut(text, limit - written, limit).encode("utf-8")})
            return
        written += len(text)
        await send({"type": "http.response.body", "body": text.encode("utf-8"), "more_body": full})
        if not full:
            return
        first = False


class _Chunks:
    """Where each chunk of a streamed export of readouts begins and ends, and the query that asks for its rows.

    Without a search, the chunk's ids are asked of Datasette's JSON API between the same bounds
    (cheaper than reading the CSV back). With one, Datasette's own query would match the whole
    search again in every chunk (a quarter of the corpus for a common word: past the SQL time
    limit at a million readouts, and the stream breaks off); the chunk's matches are instead read
    down the search index from the last id sent (`matches_below`) and its rows asked as `id__in`
    those ids, with the other filters. Either way a row written meanwhile is in this chunk or the
    next, never in both nor in neither.
    """

    def __init__(self, datasette: Datasette, database: str, kept: list[tuple[str, str]], forwarded: dict[str, str]) -> None:
        self.datasette, self.database, self.kept, self.forwarded = datasette, database, kept, forwarded
        self.table = datasette.urls.path(f"/{database}/readouts")
        self.page_size = int(datasette.setting("max_returned_rows"))
        self.match = _plain_search(kept, datasette, database)

    async def bounds(self, below: int | None) -> tuple[list[tuple[str, str]], int | None, bool, str]:
        """(the chunk's query, the id the next chunk is below, whether one may follow, an error that ends the stream)."""
        ordered = [("_sort_desc", "id"), ("_size", "max")]
        if self.match is not None:
            try:
                found = await matches_below(self.datasette.get_database(self.database), self.match, below, self.page_size)
            except (sqlite3.Error, QueryInterrupted):
                self.match = None  # Datasette's own query says what is wrong with the search, or reads it slowly
            else:
                searched = [(key, value) for key, value in self.kept if key not in ("_search", "_searchmode")]
                if not found and below is None:  # nothing matches: Datasette's answer to the search, its header alone
                    return [*self.kept, *ordered], None, False, ""
                if not found:  # the last chunk was full and nothing follows it: an empty range of the key
                    return [*searched, *ordered, *_below(below), ("id__gte", str(below))], below, False, ""
                ids = ("id__in", ",".join(str(i) for i in found))
                return [*searched, ids, *ordered], found[-1], len(found) >= self.page_size, ""
        filters = [(key, value) for key, value in self.kept if key not in ("_col", "_nocol", "_labels", "_nolabels", "_dl")]
        only_ids = [("_col", "id"), ("_shape", "arrayfirst"), ("_nofacet", "1"), ("_nocount", "1")]
        answer = await self.datasette.client.get(
            f"{self.table}.json?{urlencode([*filters, *ordered, *_below(below), *only_ids])}", headers=self.forwarded
        )
        chunk = answer.json() if answer.status_code == 200 else None
        full = chunk is not None and len(chunk) >= self.page_size
        upto = [("id__gte", str(chunk[-1]))] if chunk and full else []
        asked = [*self.kept, *ordered, *_below(below), *upto]
        return asked, (chunk[-1] if chunk else below), full, ("" if chunk is not None else answer.text)


def _below(below: int | None) -> list[tuple[str, str]]:
    return [] if below is None else [("id__lt", str(below))]


def _plain_search(kept: list[tuple[str, str]], datasette: Datasette, database: str) -> str | None:
    """The FTS5 query Datasette's table matches for the export's `_search`, escaped unless raw is asked; None for no
    search, a search of one column, or another index named, which the chunks leave in Datasette's own query."""
    asked: dict[str, str] = {}
    for key, value in kept:
        asked.setdefault(key, value)  # Datasette reads the first of a repeated argument
    searches = [key for key in asked if key.startswith("_search") and key != "_searchmode"]
    if searches != ["_search"] or not asked["_search"].strip() or {"_fts_table", "_fts_pk"} & asked.keys():
        return None
    raw = datasette.table_metadata(database, "readouts").get("searchmode") == "raw"
    raw = {"raw": True, "escaped": False}.get(asked.get("_searchmode", ""), raw)
    return asked["_search"] if raw else escape_fts(asked["_search"])


def _cut(text: str, room: int, limit: int) -> str:
    """As Datasette's LimitedWriter ends a CSV: the whole rows that fit in `room` characters, then why it stopped."""
    out = io.StringIO()
    writer = csv.writer(out)
    kept = []
    for row in csv.reader(io.StringIO(text, newline="")):
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        line = out.getvalue()
        if len(line) > room:
            break
        room -= len(line)
        kept.append(line)
    return "".join(kept) + f"CSV contains more than {limit} bytes"


def _entry_paths(app: Any, datasette: Datasette) -> Any:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            target = _entry_redirect(scope, datasette)
            if target is not None:
                await Response.redirect(target).asgi_send(send)
                return
            streamed = _streamed_export(scope, datasette)
            if streamed is not None:
                await _stream_csv(*streamed, datasette, send, scope)
                return
            ordered = _export_order(scope, datasette)
            if ordered is not None:
                scope = {**scope, "query_string": ordered}
        await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Any:
    return lambda app: _entry_paths(app, datasette)
