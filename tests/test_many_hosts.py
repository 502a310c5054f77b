"""Many hosts at once: requests wait their turn outside the connection pool, where no timeout runs."""

from __future__ import annotations

import asyncio

from harvester.config import HttpSettings
from harvester.fetch import REQUESTS_IN_FLIGHT, Fetcher

# Each answer takes this long, and the client waits at most TIMEOUT for one: a request that had to
# queue inside the pool behind a full wave of others would time out.
# The margin is wide: on a busy machine a loop serving a hundred connections answers late.
ANSWER_AFTER = 2.0
TIMEOUT = 3.5


async def _crawl(hosts: int) -> tuple[int, int]:
    """One page from each of `hosts` local hosts at once; returns the pages fetched and the most served at a time."""
    serving = most = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal serving, most
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if head.startswith(b"GET /robots.txt"):
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            else:
                serving += 1
                most = max(most, serving)
                await asyncio.sleep(ANSWER_AFTER)  # a slow server, not a wait of the test's
                serving -= 1
                body = b"<html><body><p>page</p></body></html>"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await answer(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    servers = [await asyncio.start_server(guarded, "127.0.0.1", 0) for _ in range(hosts)]
    try:
        origins = [f"127.0.0.1:{server.sockets[0].getsockname()[1]}" for server in servers]
        settings = HttpSettings(delay=0.0, timeout=TIMEOUT, allow_private=True, retries=0)
        async with Fetcher(settings) as fetcher:
            pages = await asyncio.gather(
                *(fetcher.get(f"http://{origin}/news/1", frozenset({origin})) for origin in origins)
            )
    finally:
        for server in servers:
            server.close()
    return sum(page.status == 200 for page in pages), most


def test_more_hosts_than_the_pool_holds_are_all_fetched_none_timed_out_in_its_queue() -> None:
    hosts = REQUESTS_IN_FLIGHT + REQUESTS_IN_FLIGHT // 2
    fetched, most = asyncio.run(_crawl(hosts))
    assert fetched == hosts
    assert most <= REQUESTS_IN_FLIGHT
