"""A local news site on 127.0.0.1 that misbehaves on request.

`FaultSite` serves a paginated listing (`/news`, `/news/page/N`, with ETag and
Last-Modified, answering 304 to conditional requests) of articles
(`/news/<n>`), and a robots.txt. `site.fault(path, kind, ...)` makes one path
answer with a fault instead: an HTTP status (with Retry-After), a dropped
connection, a stall (for some seconds, or held until the test releases it), a
slow drip, a truncated body, a 1.8 GB video, an endless stream, a gzip bomb (of
one or more layers), a redirect, or any body and Content-Type. `site.block(...)`
makes the whole host answer a status after a number of requests (a 403 wall, a
429 rate limit); `link_suffix` stamps every listed link with, say, a fresh
session id, which the server ignores as such servers do; `soft_404` answers
unknown paths with a page of status 200; `site.chaos(rate,
faults)` answers that share of all requests with a fault drawn at random
(bench/soak.py), counting them in `site.injected`. `/cdx` is a web archive's
index of the site's articles (the Internet Archive's JSON answer); its fault
`resume-loop` answers with a resume key that, asked for, is answered again, forever;
`site.index_chaos(rate)` starts such a loop at that share of the index's fresh queries.

Every loop that writes is bounded (by size and by the server stopping), and
handler threads are daemons, so a stuck client can never hang the suite.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from tests.conftest import write_site_config

ARTICLE = """<html><head><title>{title}</title></head><body>
<nav><a href="/news">News</a></nav>
<article><h1>{title}</h1><div class="body"><p>{title} was held today. The two sides discussed
bilateral cooperation in energy, trade and regional security at length.</p>
<p>They agreed to meet again next year.</p></div></article>
</body></html>"""
LAST_MODIFIED = "Mon, 02 Jan 2023 10:00:00 GMT"


@dataclass
class Fault:
    kind: str
    times: int | None = None  # answer with the fault this many times, then normally; None: always
    options: dict[str, Any] = field(default_factory=dict)


class FaultSite:
    """A news site on a local port; articles newest first, `per_page` to a listing page."""

    def __init__(
        self,
        articles: int = 6,
        per_page: int = 3,
        robots: str = "User-agent: *\nAllow: /\n",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        link_suffix: Callable[[], str] | None = None,
        soft_404: Callable[[str], bytes] | None = None,
    ) -> None:
        self.paths = [f"/news/{n}" for n in range(articles, 0, -1)]
        self.per_page = per_page
        self.robots = robots
        self.faults: dict[str, Fault] = {}
        self.link_suffix = link_suffix
        # the page every unknown path gets with status 200 (a soft 404), given the path; None: a real 404
        self.soft_404 = soft_404
        # the whole host answers this after `after` requests (robots.txt spared): (after, status, headers)
        self.blocked: tuple[int, int, dict[str, str]] | None = None
        self._chaos: tuple[float, list[Fault], random.Random] | None = None
        self._index_chaos: tuple[float, random.Random] | None = None
        self.injected: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.body_bytes: Counter[str] = Counter()  # path -> body bytes sent by normal answers
        self.log: list[tuple[float, str, dict[str, str]]] = []  # (monotonic time, path, request headers)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.host = host
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self._server.server_port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def publish(self, count: int) -> list[str]:
        """Add `count` new articles at the top of the listing, as a news site does."""
        with self._lock:
            top = max(int(path.rsplit("/", 1)[1]) for path in self.paths) if self.paths else 0
            new = [f"/news/{n}" for n in range(top + count, top, -1)]
            self.paths[:0] = new
        return new

    def fault(self, path: str, kind: str, times: int | None = None, **options: Any) -> None:
        """Make `path` answer with a fault. Adds it to the top of the listing if it is a new article."""
        if kind == "bomb":  # packed now, so a test measuring the harvest's memory does not count the server's
            self._pack(options)
        self.faults[path] = Fault(kind, times, options)
        if re.fullmatch(r"/news/\d+", path) and path not in self.paths:
            self.paths.insert(0, path)

    def block(self, status: int, after: int = 0, headers: dict[str, str] | None = None) -> None:
        """From request `after` + 1 on (counting from now), every path but robots.txt answers `status`."""
        self.blocked = (sum(self.requests.values()) + after, status, headers or {})

    def unblock(self) -> None:
        self.blocked = None

    def chaos(self, rate: float, faults: dict[str, Fault], seed: int = 0) -> None:
        """Answer `rate` of all requests with one of `faults` (name -> fault), drawn at random; rate 0 ends it."""
        for fault in faults.values():
            if fault.kind == "bomb":
                self._pack(fault.options)
        named = [Fault(fault.kind, None, {**fault.options, "name": name}) for name, fault in faults.items()]
        self._chaos = (rate, named, random.Random(seed)) if rate else None

    def index_chaos(self, rate: float, seed: int = 0) -> None:
        """Start a resume-key loop at `rate` of the CDX index's fresh queries (its requests are too few to
        meet one often at the chaos rate); counted in `injected` as "CDX resume key repeated forever"."""
        self._index_chaos = (rate, random.Random(seed)) if rate else None

    @staticmethod
    def _pack(options: dict[str, Any]) -> None:
        packed = b"<html>" + b" " * options["size"]
        for _ in range(options.get("layers", 1)):
            packed = gzip.compress(packed, compresslevel=9)
        options["packed"] = packed

    def listing_page(self, number: int) -> bytes:
        with self._lock:
            chunk = self.paths[(number - 1) * self.per_page : number * self.per_page]
            more = len(self.paths) > number * self.per_page
        suffix = self.link_suffix or (lambda: "")
        links = "".join(f'<li><a href="{path}{suffix()}">Meeting {path.rsplit("/", 1)[1]}</a></li>' for path in chunk)
        following = f'<a class="next" href="/news/page/{number + 1}">Older</a>' if more else ""
        return f"<html><body><ul class='news'>{links}</ul>{following}</body></html>".encode()

    def cdx(self, resume_key: str | None = None) -> bytes:
        """A CDX answer listing every article, as the Internet Archive writes it (`output=json`)."""
        with self._lock:
            paths = list(self.paths)
        rows: list[list[str]] = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]]
        rows += [[f"local){path}", "20240101000000", self.url(path), "text/html", "200", path, "1"] for path in paths]
        if resume_key is not None:
            rows += [[], [resume_key]]
        return json.dumps(rows).encode()

    def article(self, path: str) -> bytes:
        return ARTICLE.format(title=f"Meeting {path.rsplit('/', 1)[1]} at {self.origin}").encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # a session id in the path or the query names the same page, as on such servers
                self.path = self.path.split(";", 1)[0].split("?", 1)[0] if site.link_suffix else self.path
                with site._lock:
                    total = sum(site.requests.values())
                    site.requests[self.path] += 1
                    count = site.requests[self.path]
                    site.log.append((time.monotonic(), self.path, dict(self.headers.items())))
                fault = site.faults.get(self.path)
                blocked = site.blocked
                if blocked is not None and self.path != "/robots.txt" and total >= blocked[0]:
                    fault = Fault("status", None, {"status": blocked[1], "headers": blocked[2]})
                chaos = site._chaos
                if self.path.startswith("/cdx") and "resumeKey=" in self.path:
                    fault = Fault("resume-loop")  # a resume key this index gave leads back to itself
                elif self.path.startswith("/cdx") and site._index_chaos is not None:
                    with site._lock:
                        if site._index_chaos[1].random() < site._index_chaos[0]:
                            fault = Fault("resume-loop")
                            site.injected["CDX resume key repeated forever"] += 1
                if fault is None and chaos is not None:
                    with site._lock:
                        drawn = chaos[2].choice(chaos[1]) if chaos[2].random() < chaos[0] else None
                        if drawn is not None and drawn.kind == "resume-loop" and not self.path.startswith("/cdx"):
                            drawn = None  # only an index has resume keys to give
                        if drawn is not None:
                            site.injected[drawn.options["name"]] += 1
                    fault = drawn
                try:
                    if fault is not None and (fault.times is None or count <= fault.times):
                        self._fault(fault)
                    else:
                        self._normal()
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    pass  # the client gave up on us, as it should have

            def _normal(self) -> None:
                if self.path == "/robots.txt":
                    return self._send(200, site.robots.encode(), "text/plain")
                if self.path.startswith("/cdx"):
                    return self._send(200, site.cdx(), "application/json")
                number = 1 if self.path == "/news" else None
                if self.path.startswith("/news/page/") and self.path.rsplit("/", 1)[1].isdigit():
                    number = int(self.path.rsplit("/", 1)[1])
                if number is not None:
                    body = site.listing_page(number)
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        with site._lock:
                            site.not_modified[self.path] += 1
                        return self._send(304, b"", None, {"ETag": etag})
                    return self._send(200, body, "text/html; charset=utf-8", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
                if self.path in site.paths:
                    return self._send(200, site.article(self.path), "text/html; charset=utf-8")
                if site.soft_404 is not None:
                    return self._send(200, site.soft_404(self.path), "text/html; charset=utf-8")
                self._send(404, b"<h1>Not found</h1>", "text/html")

            def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with site._lock:
                    site.body_bytes[self.path] += len(body)

            def _fault(self, fault: Fault) -> None:
                options = fault.options
                kind = fault.kind
                if kind == "status":
                    body = options.get("body", b"<h1>Sorry</h1>")
                    return self._send(options["status"], body, "text/html", options.get("headers"))
                if kind == "drop":  # close without a word
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if kind == "stall":  # say nothing for a while, then answer normally
                    site._stopping.wait(options["seconds"])
                    return self._normal()
                if kind == "hold":  # say nothing until the test sets `release` (or the site stops), then answer
                    while not options["release"].wait(0.05):
                        if site._stopping.is_set():
                            return None
                    return self._normal()
                if kind == "body":
                    return self._send(options.get("status", 200), options["body"], options.get("content_type"))
                if kind == "mangle":  # the normal answer, made hostile but still readable
                    if self.path not in site.paths:
                        return self._normal()
                    page = site.article(self.path)
                    if options["how"] == "deep":  # a thousand unclosed elements
                        return self._send(200, page.replace(b"</p>", b"</p>" + b"<div>" * 1000, 1), "text/html")
                    return self._send(200, page, "text/html; charset=punycode")
                if kind == "resume-loop":
                    return self._send(200, site.cdx(resume_key="again"), "application/json")
                if kind == "redirect":
                    self.send_response(options.get("status", 302))
                    self.send_header("Location", options["to"])
                    self.send_header("Content-Length", "0")
                    return self.end_headers()
                if kind == "truncate":  # promise a body, send a tenth of it, hang up
                    body = site.article(self.path) * 10
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 10])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if kind == "bomb":  # a small gzip that inflates to `size` bytes, in `layers` layers
                    packed, layers = options["packed"], options.get("layers", 1)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Encoding", ", ".join(["gzip"] * layers))
                    self.send_header("Content-Length", str(len(packed)))
                    self.end_headers()
                    self.wfile.write(packed)
                    return None
                if kind in ("drip", "huge", "stream"):
                    return self._trickle(kind, options)
                raise ValueError(f"unknown fault {kind!r}")

            def _trickle(self, kind: str, options: dict[str, Any]) -> None:
                """drip: a byte at a time; huge: 1.8 GB announced; stream: HTML without end or length."""
                self.send_response(200)
                if kind == "huge":
                    self.send_header("Content-Type", options.get("content_type", "video/mp4"))
                    self.send_header("Content-Length", str(1_800_000_000))
                else:
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                chunk, interval = (b"<", options.get("interval", 0.1)) if kind == "drip" else (b"<p>x</p>" * 8192, 0.0)
                sent, limit = 0, options.get("limit", 200_000_000)
                while sent < limit and not site._stopping.is_set():
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    sent += len(chunk)
                    if interval:
                        time.sleep(interval)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> FaultSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class Served(Protocol):
    """A site a config can point at, served here or by another process (bench/crawl.py): only where it is."""

    @property
    def origin(self) -> str: ...


def write_config(
    root: Path,
    sites: Mapping[str, Served],
    *,
    delay: float = 0.0,
    max_pages: int = 50,
    allow_private: bool = True,
    top_level: dict[str, Any] | None = None,
    **http: Any,
) -> Path:
    """A config directory with one source per site, named by the dict's keys; `top_level` goes before [http]."""
    settings = {"delay": delay, "timeout": 5, "retries": 2, "backoff": 0.05, "allow_private": allow_private, **http}
    lines = [f"{key} = {str(value).lower() if isinstance(value, bool) else value}" for key, value in settings.items()]
    top = "".join(f"{key} = {value}\n" for key, value in (top_level or {}).items())
    return write_site_config(
        root,
        {name: site.origin for name, site in sites.items()},
        'database = "corpus/readouts.db"\narchive = "corpus/archive"\n' + top + "[http]\n" + "\n".join(lines) + "\n",
        discover=f'next = "a.next"\nmax_pages = {max_pages}\n',
    )
