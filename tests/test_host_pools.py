"""Connections kept per host: each host's next request reuses its connection, however many hosts a run has."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from harvester.config import HttpSettings
from harvester.fetch import Fetcher, GuardedBackend, HostPools

BODY = b"<html><body><p>page</p></body></html>"


class Hosts:
    """`count` local HTTP/1.1 servers that keep connections alive, counting the connections each accepted and
    how many are open."""

    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()
        self.open = 0
        self.servers: list[asyncio.Server] = []

    async def start(self, count: int) -> list[str]:
        for _ in range(count):
            server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
            self.servers.append(server)
        return [f"127.0.0.1:{server.sockets[0].getsockname()[1]}" for server in self.servers]

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted[f"127.0.0.1:{writer.get_extra_info('sockname')[1]}"] += 1
        self.open += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                status = b"404 Not Found" if head.startswith(b"GET /robots.txt") else b"200 OK"
                body = b"" if status.startswith(b"404") else BODY
                writer.write(b"HTTP/1.1 %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (status, len(body), body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open -= 1
            writer.close()

    def close(self) -> None:
        for server in self.servers:
            server.close()


def test_each_host_keeps_its_connection_across_its_requests_among_many_hosts() -> None:
    """Sixty hosts, four pages each: one connection a host. (One pool for all hosts closed every idle
    connection once it held more than its keep-alive allowance, and each request connected anew.)"""

    async def crawl() -> Counter[str]:
        hosts = Hosts()
        origins = await hosts.start(60)
        settings = HttpSettings(delay=0.05, timeout=10.0, allow_private=True, retries=0)
        try:
            async with Fetcher(settings) as fetcher:
                async def pages(origin: str) -> list[int]:
                    return [(await fetcher.get(f"http://{origin}/news/{n}", frozenset({origin}))).status for n in range(4)]

                statuses = await asyncio.gather(*(pages(origin) for origin in origins))
            assert statuses == [[200] * 4] * len(origins)
        finally:
            hosts.close()
        return hosts.accepted

    accepted = asyncio.run(crawl())
    assert len(accepted) == 60
    assert set(accepted.values()) == {1}


def test_idle_connections_past_the_kept_hosts_are_closed_the_newest_kept() -> None:
    async def crawl() -> tuple[int, int]:
        hosts = Hosts()
        origins = await hosts.start(20)
        try:
            async with httpx.AsyncClient(transport=HostPools(GuardedBackend(allow_private=True), kept_hosts=5)) as client:
                for origin in origins:
                    assert (await client.get(f"http://{origin}/news/1")).status_code == 200
                async with asyncio.timeout(10):  # the servers see the closed connections' ends
                    while hosts.open > 5:
                        await asyncio.sleep(0.01)
                still_open = hosts.open
                before = hosts.accepted[origins[-1]]
                assert (await client.get(f"http://{origins[-1]}/news/2")).status_code == 200
                again = hosts.accepted[origins[-1]] - before
            return still_open, again
        finally:
            hosts.close()

    still_open, again = asyncio.run(crawl())
    assert still_open == 5
    assert again == 0  # the newest host's connection was kept and reused
