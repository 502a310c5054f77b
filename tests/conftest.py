"""Fixtures: replica sites on 127.0.0.1, configs pointed at them, real harvests."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvester.cli import cli
from harvester.replicas import ReplicaServer, ReplicaSite, localise_config, replica_sites
from harvester.replicas.archive import INSTALL_HINT, find_pywb

REPO = Path(__file__).resolve().parents[1]
# The seed documents' expected fields: the project's own fixtures, shipped with it.
EXPECTED_SEEDS = Path(__file__).resolve().parent / "data" / "seeds" / "expected.json"
# Material the project may not redistribute (the extraction dev sets) lives beside a checkout, never in it.
SHARED = REPO.parent / "shared"
SHIPPED_CONFIG = REPO / "config"
# Under CI a test that cannot run is a failure: a skip there would hide that a check stopped running.
IN_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

# The published-corpus fixtures (`served`) and the local web archive (`archive_world`) live beside their helpers.
pytest_plugins = ["tests.publishing", "tests.pywb_archive"]


def _cannot_run(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: it must run)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, in one line that says why, what a fresh clone cannot run; fail instead under CI=true."""
    for marker in item.iter_markers("shared"):
        name = marker.args[0]
        if not (SHARED / name).exists():
            _cannot_run(f"needs ../shared/{name} beside the checkout (not redistributable)")
    if item.get_closest_marker("browser") and not (CHROMIUM and CHROMEDRIVER):
        _cannot_run("needs Chromium and ChromeDriver: apt-get install chromium chromium-driver")
    if item.get_closest_marker("pywb") and find_pywb() is None:
        _cannot_run(INSTALL_HINT)


def run_harvester(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command line, in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "harvester", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def invoke_harvester(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line run in this process by click's CliRunner, answering as `run_harvester` does.

    A child process costs a second or more of imports per command; it is kept for the tests about the process
    itself (signals, crashes, locks held by another process, daemons). What a child would not leave behind is
    put back: the working directory and the SIGTERM handler `fetch once` installs. As in a child, a warning
    logged with no handler of the harvester's own reaches stderr (Python's last-resort handler), and an
    uncaught exception ends the command with status 1 and its traceback on stderr."""
    terminate = signal.getsignal(signal.SIGTERM)
    last_resort = logging.lastResort
    assert last_resort is not None  # only a program that turned it off has none
    logging.getLogger().addHandler(last_resort)  # it writes to sys.stderr as it is when a record comes: the runner's
    try:
        with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():
            result = CliRunner().invoke(cli, list(args), prog_name="harvester")
    finally:
        logging.getLogger().removeHandler(last_resort)
        signal.signal(signal.SIGTERM, terminate)
    stderr = result.stderr
    if result.exc_info and result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["harvester", *args], result.exit_code, result.stdout, stderr)


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    seeds: dict[str, Any] = json.loads(EXPECTED_SEEDS.read_text(encoding="utf-8"))
    return seeds


@pytest.fixture(scope="session")
def replica_servers() -> Iterator[list[ReplicaServer]]:
    servers = [ReplicaServer(site).start() for site in replica_sites()]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def fresh_servers() -> Iterator[list[ReplicaServer]]:
    """Replica servers whose request counts start at zero for this test alone."""
    servers = [ReplicaServer(site).start() for site in replica_sites()]
    yield servers
    for server in servers:
        server.stop()


def make_local_config(servers: list[ReplicaServer], target: Path, delay: float = 0.0) -> Path:
    return localise_config(SHIPPED_CONFIG, servers, target / "config", delay=delay)


@pytest.fixture(scope="session")
def harvested(replica_servers: list[ReplicaServer], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real `harvester fetch once` over all replicas; returns the corpus database path."""
    root = tmp_path_factory.mktemp("harvest")
    config = make_local_config(replica_servers, root)
    result = invoke_harvester("fetch", "once", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "corpus" / "readouts.db"


@pytest.fixture(scope="session")
def corpus(harvested: Path) -> Iterator[sqlite_utils.Database]:
    db = sqlite_utils.Database(harvested)
    yield db
    db.close()


def inserted(table: sqlite_utils.db.Table, row: dict[str, Any]) -> int:
    """Insert `row` and return its key: sqlite-utils types a last key as anything or None, these tables' keys
    are integers."""
    key = table.insert(row).last_pk
    assert isinstance(key, int), key
    return key


def first(node: LexborHTMLParser | LexborNode, query: str) -> LexborNode:
    """The first match of `query`: a page without one fails the test here, saying what was missing."""
    found = node.css_first(query)
    assert found is not None, f"nothing matches {query!r}"
    return found


def copy_config(tmp_path: Path) -> Path:
    """A writable copy of the shipped config, for tests that break it."""
    target = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG, target)
    return target


def write_site_config(root: Path, origins: dict[str, str], settings: str, *, follow: str = r"/news/\d+$", discover: str = "") -> Path:
    """A config for small test sites: `settings` is harvester.toml; each origin serves listings of
    `ul.news a` links under /news and articles with an `h1` and a `div.body`."""
    config = root / "config"
    (config / "sources").mkdir(parents=True, exist_ok=True)
    (config / "harvester.toml").write_text(settings, encoding="utf-8")
    for name, origin in origins.items():
        (config / "sources" / f"{name}.toml").write_text(
            textwrap.dedent(
                f"""\
                name = "{name}"
                title = "{name}"
                home = "{origin}/"
                language = "en"
                [discover]
                start = ["{origin}/news"]
                links = "ul.news a"
                follow = '{follow}'
                """
            )
            + discover
            + '[extract]\ntitle = "h1"\nbody = "div.body"\n',
            encoding="utf-8",
        )
    return config


class Site:
    """A replica site whose pages and listing can change between runs."""

    def __init__(self, root: Path, name: str) -> None:
        self.directory = root / name
        self.directory.mkdir(parents=True)
        self.name = name
        self.pages: dict[str, str] = {}
        self.listing: list[str] = []
        self._write()
        self.server = ReplicaServer(ReplicaSite.load(self.directory)).start()

    def put(self, path: str, html: str, *, listed: bool = True) -> None:
        self.pages[path] = html
        if listed:
            self.listing.insert(0, path)
        self._write()
        self.server.site = ReplicaSite.load(self.directory)

    def _write(self) -> None:
        routes = ['[[route]]\npath = "/robots.txt"\nfile = "robots.txt"', '[[route]]\npath = "/news"\nfile = "list.html"']
        (self.directory / "robots.txt").write_text("User-agent: *\nAllow: /\n")
        links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in self.listing)
        (self.directory / "list.html").write_text(f"<html><body><ul class='news'>{links}</ul></body></html>")
        for number, (path, html) in enumerate(self.pages.items()):
            (self.directory / f"{number}.html").write_text(html)
            routes.append(f'[[route]]\npath = "{path}"\nfile = "{number}.html"')
        (self.directory / "site.toml").write_text(f'origin = "https://{self.name}.example"\n' + "\n".join(routes))
