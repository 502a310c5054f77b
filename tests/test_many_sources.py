"""Many sources in one harvest: every one completes, each host paced on its own, and the HTTP client
never has more requests out than its bound, over all hosts."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from harvester.archive import record_exchange
from harvester.config import load_config
from harvester.fetch import Fetcher
from harvester.harvest import SourceResult, harvest_once, http_settings
from tests.conftest import write_site_config
from tests.faultserver import ARTICLE

HOSTS = 40
READOUTS = 6  # a host's articles, PER_PAGE to a listing page
PER_PAGE = 3
DELAY = 0.05
# The client's bound on requests out at once in this test: well under the hosts, so that it is met.
IN_FLIGHT = 8
# A site holds each answer until this many requests are being answered (or HOLD_AT_MOST has passed):
# a client that let more out at once would have them all answered together, and be seen doing it.
HOLD_AT_MOST = 0.5


class NewsHosts:
    """`count` small news sites, one port of 127.0.0.1 each, served by one event loop in a thread of its own.

    They note when each request arrives, by host, and how many requests are being answered at once,
    over all hosts and on any one host.
    """

    def __init__(self, count: int) -> None:
        self.arrivals: defaultdict[int, list[tuple[float, str]]] = defaultdict(list)
        self.serving = self.most_at_once = self.most_on_one_host = 0
        self._on_host: Counter[int] = Counter()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._servers = asyncio.run_coroutine_threadsafe(self._start(count), self._loop).result()
        self.ports = [server.sockets[0].getsockname()[1] for server in self._servers]

    async def _start(self, count: int) -> list[asyncio.Server]:
        self._changed = asyncio.Condition()
        return [await asyncio.start_server(self._connection, "127.0.0.1", 0) for _ in range(count)]

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                await self._answer(port, head.split(b" ", 2)[1].decode(), writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _answer(self, port: int, path: str, writer: asyncio.StreamWriter) -> None:
        self.arrivals[port].append((time.monotonic(), path))
        self.serving += 1
        self._on_host[port] += 1
        self.most_at_once = max(self.most_at_once, self.serving)
        self.most_on_one_host = max(self.most_on_one_host, self._on_host[port])
        async with self._changed:
            self._changed.notify_all()
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: self.serving >= IN_FLIGHT), HOLD_AT_MOST)
            except TimeoutError:
                pass  # the last requests of the crawl: fewer than IN_FLIGHT are left
        status, body = self._page(port, path)
        self.serving -= 1
        self._on_host[port] -= 1
        writer.write(
            b"HTTP/1.1 %s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s"
            % (status, len(body), body)
        )
        await writer.drain()

    @staticmethod
    def _page(port: int, path: str) -> tuple[bytes, bytes]:
        if path == "/robots.txt":
            return b"200 OK", b"User-agent: *\nAllow: /\n"
        page = 1 if path == "/news" else int(path.rsplit("/", 1)[1]) if path.startswith("/news/page/") else None
        if page is not None:
            numbers = range(READOUTS - (page - 1) * PER_PAGE, max(READOUTS - page * PER_PAGE, 0), -1)
            links = "".join(f'<li><a href="/news/{n}">Meeting {n}</a></li>' for n in numbers)
            more = f'<a class="next" href="/news/page/{page + 1}">Older</a>' if page * PER_PAGE < READOUTS else ""
            return b"200 OK", f"<html><body><ul class='news'>{links}</ul>{more}</body></html>".encode()
        number = path.removeprefix("/news/")
        if number.isdigit() and 1 <= int(number) <= READOUTS:
            return b"200 OK", ARTICLE.format(title=f"Meeting {number} at port {port}").encode()
        return b"404 Not Found", b"<h1>Not found</h1>"


def test_many_sources_all_complete_each_host_paced_and_the_requests_out_at_once_bounded(tmp_path: Path) -> None:
    hosts = NewsHosts(HOSTS)
    try:
        config = load_config(
            write_site_config(
                tmp_path,
                {f"site-{port}": f"http://127.0.0.1:{port}" for port in hosts.ports},
                'database = "corpus/readouts.db"\narchive = "corpus/archive"\n'
                f"[http]\ndelay = {DELAY}\ntimeout = 30\nretries = 0\nallow_private = true\n",
                discover='next = "a.next"\n',
            )
        )

        async def crawl() -> list[SourceResult]:
            async with Fetcher(http_settings(config), record=record_exchange, connections=IN_FLIGHT) as fetcher:
                return await harvest_once(config, fetcher=fetcher)

        results = asyncio.run(crawl())
    finally:
        hosts.stop()

    assert [result.status for result in results] == ["ok"] * HOSTS
    assert sum(result.counts.new_readouts for result in results) == HOSTS * READOUTS
    assert hosts.most_at_once == IN_FLIGHT  # reached, never passed
    assert hosts.most_on_one_host == 1
    for port in hosts.ports:
        arrivals = hosts.arrivals[port]
        paths = [path for _, path in arrivals]
        assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
        assert sorted(p for p in paths if p.removeprefix("/news/").isdigit()) == sorted(
            f"/news/{n}" for n in range(1, READOUTS + 1)
        )
        assert all(later - earlier >= DELAY for (earlier, _), (later, _) in pairwise(arrivals)), (port, arrivals)
