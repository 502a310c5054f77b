"""Datasette plugin for the corpus: readouts as articles, meetings side by side, archived copies.

`harvester serve` loads this file with `--plugins-dir`, so plain `datasette`
on the same database (the benchmark's baseline) runs without it.

Scraped text reaches the browser only through Jinja's autoescaping and as
text/plain: a page that carried `<script>` when it was scraped shows the tag
as words. Links to originals are made only for http(s) URLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.app import Datasette
from datasette.utils.asgi import Request, Response
from markupsafe import Markup, escape

from harvester.archive import read_response
from harvester.fetch import decode

READOUT_COLUMNS = "id, source, url, title, kicker, author, published, language, text, page_id"


def web_url(value: Any) -> str | None:
    """The value if a browser may follow it: never `javascript:`, `data:` or relative tricks."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def paragraphs(text: str | None) -> list[str]:
    """The stored text keeps one blank line between paragraphs (see extract)."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


async def _columns(datasette: Datasette, database: str, table: str) -> set[str]:
    db = datasette.get_database(database)
    if not await db.table_exists(table):
        return set()
    return set(await db.table_columns(table))


async def _rows(datasette: Datasette, database: str, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = await datasette.get_database(database).execute(sql, params)
    return [dict(row) for row in result.rows]


def _report(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "original": web_url(row.get("url")), "paragraphs": paragraphs(row.get("text"))}


async def _readout_article(datasette: Datasette, database: str, readout_id: int) -> dict[str, Any] | None:
    columns = await _columns(datasette, database, "readouts")
    extra = [c for c in ("meeting_id", "duplicate_of", "duplicate_kind", "lead", "meeting_reason", "via", "archived_at", "replay_url") if c in columns]
    sql = f"select {', '.join([READOUT_COLUMNS, *extra])} from readouts where id = :id"
    rows = await _rows(datasette, database, sql, {"id": readout_id})
    if not rows:
        return None
    article = _report(rows[0])
    article["replay"] = web_url(article.get("replay_url"))
    article["source_title"] = next(
        iter(await _rows(datasette, database, "select title from sources where name = :n", {"n": article["source"]})),
        {},
    ).get("title")
    article["meeting"] = None
    article["siblings"] = []
    if article.get("meeting_id") is not None and "meetings" in await datasette.get_database(database).table_names():
        meetings = await _rows(
            datasette, database, "select * from meetings where id = :id", {"id": article["meeting_id"]}
        )
        article["meeting"] = meetings[0] if meetings else None
        article["siblings"] = await _rows(
            datasette,
            database,
            "select id, source, title, published from readouts where meeting_id = :m and id != :id order by published, id",
            {"m": article["meeting_id"], "id": readout_id},
        )
    return article


async def _meeting_reports(datasette: Datasette, database: str, meeting_id: int) -> list[dict[str, Any]]:
    columns = await _columns(datasette, database, "readouts")
    if "meeting_id" not in columns:
        return []
    extra = [c for c in ("duplicate_of", "duplicate_kind") if c in columns]
    sql = (
        f"select {', '.join([READOUT_COLUMNS, *extra])} from readouts "
        "where meeting_id = :m order by published, id"
    )
    return [_report(row) for row in await _rows(datasette, database, sql, {"m": meeting_id})]


# Search facets read one readout row per hit; through mmap those reads cost
# half as much as through SQLite's page cache (bench/serve.py: 445 → ~200 ms
# for a search with 26k hits in 100k readouts).
MMAP_BYTES = 4 * 1024**3


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, view_name: str, request: Request | None, datasette: Datasette
) -> Any:
    if view_name != "row" or request is None or database is None or table not in ("readouts", "meetings"):
        return None

    async def inner() -> dict[str, Any]:
        try:
            pk = int(request.url_vars["pks"])
        except (KeyError, ValueError):
            return {}
        if table == "readouts":
            return {"article": await _readout_article(datasette, database, pk)}
        return {"reports": await _meeting_reports(datasette, database, pk)}

    return inner


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Datasette) -> Markup | None:
    """Canned queries name a meeting's id `meeting`; link it to the meeting's page."""
    if table is None and column == "meeting" and isinstance(value, int):
        return Markup(f'<a href="{escape(datasette.urls.table(database, "meetings"))}/{value}">{value}</a>')
    return None


def _archive_dir(datasette: Datasette) -> Path | None:
    directory = (datasette.plugin_config("harvester") or {}).get("archive")
    return Path(directory) if directory else None


async def archived_copy(request: Request, datasette: Datasette) -> Response:
    """A page's body as the harvest received it, as UTF-8 plain text whatever it was served as, so nothing in it runs."""
    database = request.url_vars["database"]
    directory = _archive_dir(datasette)
    if database not in datasette.databases or directory is None:
        return Response.text("no archive configured", status=404)
    rows = await _rows(
        datasette, database, "select archive from pages where id = :id", {"id": int(request.url_vars["page"])}
    )
    if not rows or not rows[0]["archive"]:
        return Response.text("no archived copy of this page", status=404)
    try:
        response = read_response(directory, rows[0]["archive"])
    except (OSError, LookupError, ValueError):
        return Response.text("the archived copy cannot be read", status=404)
    # Decoded here and sent as UTF-8 under a Content-Type of our own: the publisher's header is
    # not echoed, since one such as `text/plain; charset=utf-8, text/html` renders as HTML.
    text = decode(response.body, response.header("Content-Type"))
    return Response(
        text.encode("utf-8"),
        content_type="text/plain; charset=utf-8",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Archived-URL": response.url,
        },
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/archive/(?P<database>[^/]+)/(?P<page>\d+)$", archived_copy)]


def _hide_duplicates(app: Any, datasette: Datasette) -> Any:
    """The readouts table opens on one row per text: `duplicate_of` rows stay one filter click away."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope.get("query_string"):
            parts = scope["path"].strip("/").split("/")
            if len(parts) == 2 and parts[1] == "readouts" and parts[0] in datasette.databases:
                if "duplicate_of" in await _columns(datasette, parts[0], "readouts"):
                    response = Response.redirect(f"{scope['path']}?duplicate_of__isnull=1")
                    await response.asgi_send(send)
                    return
        await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Any:
    return lambda app: _hide_duplicates(app, datasette)
