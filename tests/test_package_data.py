"""A plain install works: every runtime file ships as package data, and the checkout's copies match it.

The wheel test builds the real wheel from a copy of the source tree, unpacks it
and runs `harvester demo` and `harvester serve` from an empty folder with only
the unpacked wheel on the path, so a file found through the repository instead
of the package would fail it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from harvester.data import shipped
from tests.conftest import REPO, invoke_harvester
from tests.publishing import free_port, wait_until_answering


def test_the_checkouts_copies_are_the_shipped_files() -> None:
    package = shipped("datasette-metadata.json").read_bytes()
    assert b'"title": "Diplomatic meeting readouts"' in package
    assert (REPO / "datasette-metadata.json").read_bytes() == package, (
        "datasette-metadata.json differs from harvester/data/datasette-metadata.json, the file harvester serves: "
        "copy the one you changed over the other (cp datasette-metadata.json harvester/data/)"
    )
    shipped_sources = {file.name: file.read_bytes() for file in shipped("sources").glob("*.toml")}
    checkout_sources = {file.name: file.read_bytes() for file in (REPO / "config" / "sources").glob("*.toml")}
    assert "kremlin.toml" in shipped_sources
    assert checkout_sources == shipped_sources, (
        "config/sources/ differs from harvester/data/sources/, the configs an install ships: copy the ones you "
        "changed over the others (cp config/sources/*.toml harvester/data/sources/)"
    )


def test_a_wheel_demos_and_serves_from_an_empty_folder(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".venv-pywb", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "corpus", "tests", "bench"
        ),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheel"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("harvester-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def harvester(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "harvester", *args], cwd=empty, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [sys.executable, "-c", "import harvester; print(harvester.__file__)"], cwd=empty, env=env, capture_output=True, text=True
    )
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout + where.stderr

    demo = harvester("demo", "--no-serve", "--dir", str(tmp_path / "demo"))
    assert demo.returncode == 0, demo.stderr
    assert "leader-ir" in demo.stdout and "failed" not in demo.stdout, demo.stdout
    with sqlite3.connect(tmp_path / "demo" / "corpus" / "readouts.db") as db:
        assert db.execute("select count(*) from readouts").fetchone()[0] >= 5
        assert db.execute("select count(*) from meetings").fetchone()[0] >= 3  # the people list shipped
    assert list(empty.iterdir()) == []

    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "harvester", "serve", "--config", str(tmp_path / "demo" / "config"), "--port", str(port)],
        cwd=empty,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/-/metadata.json", serve)
        with urllib.request.urlopen(f"{base}/-/metadata.json", timeout=5) as response:
            metadata = json.load(response)
        assert metadata["title"] == "Diplomatic meeting readouts"
        tables = metadata["databases"]["readouts"]["tables"]
        assert tables["readouts"]["facets"] == ["source", "kind", "year", {"people": "meeting_id"}]
        assert {"meeting_timeline", "source_health"} <= set(metadata["databases"]["readouts"]["queries"])
        with urllib.request.urlopen(f"{base}/-/plugins.json", timeout=5) as response:
            plugins = json.load(response)
        assert [plugin["name"] for plugin in plugins if plugin["name"] == "harvester_web.py"], plugins
        with urllib.request.urlopen(f"{base}/readouts/readouts/1", timeout=5) as response:
            page = response.read().decode("utf-8")
        assert "/-/archive/readouts/" in page  # the row template and plugin: the link to the archived copy
    finally:
        os.killpg(serve.pid, 15)
        _, stderr = serve.communicate(timeout=10)
    assert f"Datasette metadata: {site / 'harvester' / 'data' / 'datasette-metadata.json'}" in stderr


def test_demo_refuses_a_config_folder_that_is_not_there(tmp_path: Path) -> None:
    result = invoke_harvester("demo", "--no-serve", "--config", str(tmp_path / "nowhere"), "--dir", str(tmp_path / "demo"))
    assert result.returncode == 1
    assert f"no config folder at {tmp_path / 'nowhere'}" in result.stderr
    assert not (tmp_path / "demo").exists()
