"""We are guests: honest User-Agent, robots.txt obeyed, a delay per host, hosts in parallel."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from harvester.config import load_config
from harvester.harvest import fetch_once
from harvester.replicas import ReplicaServer, ReplicaSite
from tests.conftest import write_site_config

ARTICLE = """<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>{title}</h1><div class="body"><p>{title} was held today. The two leaders discussed
bilateral cooperation in energy, trade and regional security at length.</p></div></article>
</body></html>"""


def make_site(root: Path, name: str, robots: str = "User-agent: *\nAllow: /\n", articles: int = 4) -> ReplicaSite:
    """A small site: one listing page linking `articles` readouts, and a robots.txt."""
    site = root / name
    site.mkdir(parents=True)
    (site / "robots.txt").write_text(robots)
    links = "".join(f'<li><a href="/news/{i}">Meeting {i}</a></li>' for i in range(1, articles + 1))
    (site / "list.html").write_text(f"<html><body><ul class='news'>{links}</ul></body></html>")
    routes = ['[[route]]\npath = "/robots.txt"\nfile = "robots.txt"', '[[route]]\npath = "/news"\nfile = "list.html"']
    for i in range(1, articles + 1):
        (site / f"{i}.html").write_text(ARTICLE.format(title=f"Meeting {i} of {name}"))
        routes.append(f'[[route]]\npath = "/news/{i}"\nfile = "{i}.html"')
    (site / "site.toml").write_text(f'origin = "https://{name}.example"\n' + "\n".join(routes))
    return ReplicaSite.load(site)


def write_config(root: Path, servers: list[ReplicaServer], delay: float, user_agent: str) -> Path:
    return write_site_config(
        root,
        {server.site.name: server.origin for server in servers},
        f'database = "corpus/readouts.db"\n[http]\ndelay = {delay}\nuser_agent = "{user_agent}"\nallow_private = true\n',
    )


@pytest.fixture
def two_sites(tmp_path: Path) -> Iterator[list[ReplicaServer]]:
    sites = [
        make_site(tmp_path / "sites", "alpha", robots="User-agent: *\nDisallow: /news/3\n"),
        make_site(tmp_path / "sites", "beta"),
    ]
    servers = [ReplicaServer(site).start() for site in sites]
    yield servers
    for server in servers:
        server.stop()


USER_AGENT = "harvester-test/1.0 (+https://example.org/contact)"


def test_user_agent_robots_and_delay(tmp_path: Path, two_sites: list[ReplicaServer]) -> None:
    delay = 0.25
    config = load_config(write_config(tmp_path, two_sites, delay, USER_AGENT))
    results = fetch_once(config)
    alpha, beta = two_sites

    assert {r.source: (r.counts.new_readouts, r.counts.errors) for r in results} == {
        "alpha": (3, 1),  # /news/3 is disallowed by alpha's robots.txt
        "beta": (4, 0),
    }
    assert alpha.requests["/news/3"] == 0
    assert alpha.requests["/robots.txt"] == 1 and beta.requests["/robots.txt"] == 1
    for server in two_sites:
        assert {agent for _, _, agent in server.log} == {USER_AGENT}
        starts = [moment for moment, _, _ in server.log]
        gaps = [later - earlier for earlier, later in pairwise(starts)]
        assert min(gaps) >= delay * 0.95, gaps

    # the two hosts were fetched side by side, not one after the other
    assert alpha.log[0][0] < beta.log[-1][0] and beta.log[0][0] < alpha.log[-1][0]


def test_dead_host_is_a_clear_failure(tmp_path: Path, two_sites: list[ReplicaServer]) -> None:
    config_dir = write_config(tmp_path, two_sites, 0.0, USER_AGENT)
    dead = config_dir / "sources" / "alpha.toml"
    dead.write_text(dead.read_text().replace(two_sites[0].origin, "http://127.0.0.1:9"))
    results = {r.source: r for r in fetch_once(load_config(config_dir))}
    assert results["alpha"].status == "failed"
    assert "cannot connect to 127.0.0.1:9" in (results["alpha"].error or "")
    assert results["beta"].status == "ok" and results["beta"].counts.new_readouts == 4
