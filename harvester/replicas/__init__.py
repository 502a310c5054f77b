"""Replica sites: offline stand-ins for the real sources, for tests and the demo.

Each folder here holds a `site.toml` (the real origin it stands in for and its
routes) and the page files. A `ReplicaServer` serves one replica on a local port
and rewrites the real origin in every body to its own, so that configs written
for the real site work unchanged but for the host.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
import shutil
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPLICAS = Path(__file__).parent


@dataclass(frozen=True)
class Route:
    path: str
    file: Path
    content_type: str
    status: int = 200
    # the page as the publisher later edited it (`ReplicaSite.revised`)
    revised: Path | None = None
    # served gzipped as a file (`sitemap-1.xml.gz`), after the origin is rewritten in it
    gzip: bool = False


@dataclass(frozen=True)
class ReplicaSite:
    name: str
    origin: str
    routes: dict[str, Route]

    @classmethod
    def load(cls, directory: Path) -> ReplicaSite:
        with (directory / "site.toml").open("rb") as handle:
            data = tomllib.load(handle)
        routes = {}
        for entry in data.get("route", []):
            file = directory / entry["file"]
            guessed = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            default_type = f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed
            routes[entry["path"]] = Route(
                path=entry["path"],
                file=file,
                content_type=entry.get("content_type", default_type),
                status=entry.get("status", 200),
                revised=directory / entry["revised"] if "revised" in entry else None,
                gzip=entry.get("gzip", False),
            )
        return cls(name=directory.name, origin=data["origin"].rstrip("/"), routes=routes)


    def revised(self) -> ReplicaSite:
        """The site after its publisher edited the pages that have a `revised` file."""
        routes = {
            path: replace(route, file=route.revised, revised=None) if route.revised else route
            for path, route in self.routes.items()
        }
        return replace(self, routes=routes)

    @property
    def has_revisions(self) -> bool:
        return any(route.revised for route in self.routes.values())


def replica_sites() -> list[ReplicaSite]:
    return [ReplicaSite.load(path.parent) for path in sorted(REPLICAS.glob("*/site.toml"))]


class ReplicaServer:
    """Serves one replica on 127.0.0.1 in a background thread and counts what is asked of it."""

    def __init__(self, site: ReplicaSite, port: int = 0) -> None:
        self.site = site
        self.requests: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, path, User-Agent)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests[self.path] += 1
                    server.log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
                route = server.site.routes.get(self.path)
                if route is None:
                    body, status, content_type = b"<h1>Not found</h1>", 404, "text/html; charset=utf-8"
                else:
                    text = route.file.read_bytes().replace(server.site.origin.encode(), server.origin.encode())
                    body, status, content_type = text, route.status, route.content_type
                    if route.gzip:
                        body = gzip.compress(body, mtime=0)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> ReplicaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# The web-archive keys of a source config (see harvester/wayback.py), one per line or one array.
ARCHIVE_KEYS = re.compile(r"(?ms)^(?:via\s*=\s*\"[a-z]+\"|wayback(?:_from|_to)?\s*=\s*(?:\[.*?\]|[^\n]*))[^\n]*\n")


def localise_config(
    config_dir: Path,
    servers: list[ReplicaServer],
    target: Path,
    delay: float = 0.0,
    *,
    wayback: tuple[str, str] | None = None,
    origins: dict[str, str] | None = None,
) -> Path:
    """A copy of `config_dir` whose sources point at the replica servers instead of the real hosts.

    The global settings are replaced: corpus under `target`, and `delay` seconds between
    requests to one local host (the real sites' delays are for the real sites). Without a
    local web archive (`wayback`: its CDX URL and replay template), every source is made
    `via = "live"` without archive prefixes, so nothing reaches a real archive; with one, the
    sources keep their `via`. `origins` maps further real origins to stand-ins (a site now
    only in the local archive). The folder's own people list goes along.
    """
    replaced = {server.site.origin: server.origin for server in servers} | (origins or {})
    (target / "sources").mkdir(parents=True, exist_ok=True)
    if (config_dir / "people.toml").is_file():
        shutil.copyfile(config_dir / "people.toml", target / "people.toml")
    for file in sorted((config_dir / "sources").glob("*.toml")):
        text = file.read_text(encoding="utf-8")
        for real, local in replaced.items():
            text = text.replace(real, local)
        if wayback is None:
            text = ARCHIVE_KEYS.sub("", text)
        (target / "sources" / file.name).write_text(text, encoding="utf-8")
    # a gone site's robots.txt is asked for once, and not waited on for long
    archive = "" if wayback is None else (
        f'backoff = 0.1\n\n[wayback]\ncdx = "{wayback[0]}"\nreplay = "{wayback[1]}"\ndelay = {delay}\n'
    )
    (target / "harvester.toml").write_text(
        f'database = "corpus/readouts.db"\narchive = "corpus/archive"\n\n'
        # the replicas listen on 127.0.0.1, which real harvests refuse
        f"[http]\ndelay = {delay}\ntimeout = 10\nallow_private = true\n" + archive,
        encoding="utf-8",
    )
    return target
