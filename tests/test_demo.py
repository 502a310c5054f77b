"""`harvester demo`: replicas → harvest → a real Datasette, offline, in one command."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.conftest import REPO

SEED_PHRASES = {
    "leader-ir 000": "Ayatollah Khamenei: US Plotting to Dominate West Asia",
    "khamenei-ir 001": "Iran and Russia can cooperate to contain the US's threat to the humanity",
    "aawsat 002": "Khamenei Courts Putin: American Policies Threaten our Countries",
    "cnsnews 003": "Iran’s Khamenei Accuses US of Supporting ISIS and Plotting to Dominate Region",
    "leader-ir 004": "The Leader's meeting with Syria's President Bashar Assad",
}
SEARCHES = {
    "leader-ir 000": "historical void",
    "khamenei-ir 001": "Jahangiri",
    "aawsat 002": "Russia-24",
    "cnsnews 003": "Toner",
    "leader-ir 004": "takfiri",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def test_demo_serves_a_searchable_corpus(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "harvester", "demo", "--port", str(port), "--dir", str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                get_json(f"{base}/.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "Datasette did not come up"
                time.sleep(0.3)
        for seed, words in SEARCHES.items():
            query = urllib.parse.urlencode({"_search": words, "_shape": "array", "_col": "title"})
            rows = get_json(f"{base}/readouts/readouts.json?{query}")
            assert SEED_PHRASES[seed] in [row["title"] for row in rows], (seed, rows)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
