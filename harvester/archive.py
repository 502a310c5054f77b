"""The raw archive: every HTTP exchange as WARC records (gzip per record).

Readouts can be re-extracted from here with today's rules and no network. A
location is `<file relative to the archive>#<offset of the response record>`.

Each harvest writes a file of its own, created exclusively under a name no other
harvest can pick (time, process and a random part): two harvests starting in the
same second, in one process or two, never append to one file, so every location
reads back the record it was given for. One HTTP client may serve several
harvests at once (the daemon's); `record_exchange` sends each exchange to the
file of the harvest whose task made the request.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.fetch import Exchange


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)


class ArchiveWriter:
    """Appends to one WARC file per harvest run, opened on the first exchange."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name = ""

    def _open(self) -> WARCWriter:
        if self._writer is None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            self._name = f"{stamp[:4]}/harvest-{stamp}-{os.getpid()}-{secrets.token_hex(4)}.warc.gz"
            path = self.directory / self._name
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("xb")
            self._writer = WARCWriter(self._file, gzip=True)
        return self._writer

    def record(self, exchange: Exchange) -> str:
        writer = self._open()
        assert self._file is not None
        warc_date = exchange.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        response_headers = {"WARC-Date": warc_date}
        if exchange.truncated:
            # the body was refused or cut off (too large, unwanted type): say so, as WARC 1.1 does
            response_headers["WARC-Truncated"] = exchange.truncated
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(),
                list(exchange.headers) + [("Content-Length", str(len(exchange.body)))],
                protocol=exchange.http_version,
            ),
            warc_headers_dict=response_headers,
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{exchange.method} {_request_target(exchange.url)} {exchange.http_version}",
                list(exchange.request_headers),
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Date": warc_date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        offset = self._file.tell()
        writer.write_record(response)
        writer.write_record(request)
        self._file.flush()
        return f"{self._name}#{offset}"

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None

    @contextmanager
    def recording(self) -> Iterator[ArchiveWriter]:
        """Make this the file `record_exchange` writes to, in this task and the tasks it starts; closed after."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)
            self.close()


_CURRENT: ContextVar[ArchiveWriter | None] = ContextVar("harvester_archive", default=None)


def record_exchange(exchange: Exchange) -> str | None:
    """The `Fetcher` record hook: the exchange into the current harvest's file (none outside a harvest)."""
    writer = _CURRENT.get()
    return writer.record(exchange) if writer is not None else None


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def read_response(directory: Path, location: str) -> ArchivedResponse:
    """The response stored at `location` (as returned by `ArchiveWriter.record`)."""
    name, _, offset = location.rpartition("#")
    with (directory / name).open("rb") as handle:
        handle.seek(int(offset))
        for record in ArchiveIterator(handle):
            return ArchivedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(record.http_headers.get_statuscode()),
                headers=tuple(record.http_headers.headers),
                body=record.content_stream().read(),
                truncated=record.rec_headers.get_header("WARC-Truncated"),
            )
    raise LookupError(f"no WARC record at {location}")
