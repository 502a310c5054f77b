"""`harvester demo`: replicas → harvest → a real Datasette, offline, in one command."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.publishing import free_port, wait_until_answering

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


def get_json(url: str) -> Any:
    """A JSON answer: each URL's shape (rows, an object) is the caller's to know."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def test_demo_serves_a_searchable_corpus(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "harvester", "demo", "--port", str(port), "--dir", str(tmp_path)],
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/.json", process, timeout=90, output=log.read_text)
        for seed, words in SEARCHES.items():
            query = urllib.parse.urlencode({"_search": words, "_shape": "array", "_col": "title"})
            rows = get_json(f"{base}/readouts/readouts.json?{query}")
            assert SEED_PHRASES[seed] in [row["title"] for row in rows], (seed, rows)
        # what a new user should see: a syndicated near-copy, a page with two versions, a meeting with 3+ reports
        copies = get_json(f"{base}/readouts/readouts.json?duplicate_of__notnull=1&_shape=array&_col=duplicate_kind")
        assert "near" in [row["duplicate_kind"] for row in copies]
        assert get_json(f"{base}/readouts/readout_versions.json?_shape=array")
        meetings = get_json(f"{base}/readouts/meeting_timeline.json?_shape=array")
        assert max(row["reports"] for row in meetings) >= 3
        # readouts in their own languages, and the meeting page showing its reports by language
        languages = get_json(f"{base}/readouts.json?sql=select+distinct+language+from+readouts&_shape=array")
        assert {"ru", "fa", "ar", "en"} <= {row["language"] for row in languages}
        printed = log.read_text()
        meeting = re.search(rf"^  ({re.escape(base)}/readouts/meetings/\d+)", printed, re.MULTILINE)
        assert meeting, printed
        with urllib.request.urlopen(meeting.group(1), timeout=10) as response:
            page = response.read().decode()
        assert re.search(r'<h3 class="language">Russian \(1\)</h3>.*<h3 class="language">English \(\d\)</h3>', page, re.S)
        assert 'lang="ru" dir="ltr"' in page and "a translation of" in page
        calls = get_json(f"{base}/readouts/readouts.json?_search=telephone&_shape=array&_col=title")
        assert any("Telephone conversation" in row["title"] for row in calls)
        # and the three pages worth opening first, printed before serving, all there
        printed = log.read_text()
        urls = re.findall(rf"^  ({re.escape(base)}/\S+)", printed.split("Open first:", 1)[1], re.MULTILINE)
        assert len(urls) == 3, printed
        for url in urls:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
