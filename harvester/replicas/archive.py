"""A local web archive of the replica sites: WARC files written with warcio, replayed by a real pywb.

pywb (Webrecorder's open-source wayback machine) is not a dependency of harvester:
its pins (an old redis among them) clash with ours, so it lives in its own
virtualenv, `.venv-pywb` beside the repository, or wherever `HARVESTER_PYWB`
points (its `wayback` executable). The tests, `harvester demo` and
`bench/backfill.py` start it on 127.0.0.1 with a collection built from captures
of the replicas, and talk to it exactly as to any pywb-based web archive.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.replicas import ReplicaSite

REPOSITORY = Path(__file__).resolve().parents[2]
INSTALL_HINT = (
    "pywb is not installed: python3 -m venv .venv-pywb && .venv-pywb/bin/pip install pywb "
    "(or set HARVESTER_PYWB to its `wayback` executable)"
)
COLLECTION = "replicas"


@dataclass(frozen=True)
class Snapshot:
    """One archived HTTP response."""

    url: str
    when: datetime
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def find_pywb() -> Path | None:
    """pywb's `wayback` executable: `HARVESTER_PYWB`, then `.venv-pywb` in the repository or here, then PATH."""
    named = os.environ.get("HARVESTER_PYWB")
    candidates = [Path(named)] if named else []
    candidates += [REPOSITORY / ".venv-pywb" / "bin" / "wayback", Path.cwd() / ".venv-pywb" / "bin" / "wayback"]
    found = shutil.which("wayback")
    candidates += [Path(found)] if found else []
    return next((path for path in candidates if path.is_file() and os.access(path, os.X_OK)), None)


def site_snapshots(site: ReplicaSite, origin: str, when: datetime, *, paths: Iterable[str] | None = None) -> list[Snapshot]:
    """Captures of a replica's routes as served from `origin` (its real origin, or a stand-in)."""
    wanted = set(paths) if paths is not None else None
    snapshots = []
    for path, route in site.routes.items():
        if wanted is not None and path not in wanted:
            continue
        body = route.file.read_bytes().replace(site.origin.encode(), origin.encode())
        snapshots.append(Snapshot(origin + path, when, body, route.status, route.content_type))
    return snapshots


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 403: "Forbidden"}


def write_warc(path: Path, snapshots: Iterable[Snapshot]) -> Path:
    """A WARC file of response records, as a crawler would have written them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for snap in snapshots:
            headers = [("Content-Type", snap.content_type), ("Content-Length", str(len(snap.body))), *snap.headers]
            record = writer.create_warc_record(
                snap.url,
                "response",
                payload=io.BytesIO(snap.body),
                length=len(snap.body),
                http_headers=StatusAndHeaders(
                    f"{snap.status} {_REASONS.get(snap.status, 'Status')}", headers, protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": snap.when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PywbArchive:
    """A real pywb on 127.0.0.1 serving one collection of WARC files."""

    def __init__(self, root: Path, warcs: Iterable[Path], wayback: Path) -> None:
        self.root = root
        self.warcs = list(warcs)
        self.wayback = wayback
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cdx(self) -> str:
        return f"{self.origin}/{COLLECTION}/cdx"

    @property
    def replay(self) -> str:
        return f"{self.origin}/{COLLECTION}/{{timestamp}}id_/{{url}}"

    def start(self, timeout: float = 60.0) -> PywbArchive:
        manager = self.wayback.with_name("wb-manager")
        self.root.mkdir(parents=True, exist_ok=True)
        log = (self.root / "pywb.log").open("ab")
        if not (self.root / "collections" / COLLECTION).exists():
            subprocess.run([manager, "init", COLLECTION], cwd=self.root, check=True, stdout=log, stderr=log)
        subprocess.run([manager, "add", COLLECTION, *map(str, self.warcs)], cwd=self.root, check=True, stdout=log, stderr=log)
        self._process = subprocess.Popen(
            [self.wayback, "--port", str(self.port), "--bind", "127.0.0.1", "--threads", "8"],
            cwd=self.root,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"pywb exited with status {self._process.returncode}: see {self.root / 'pywb.log'}")
            try:
                with urllib.request.urlopen(f"{self.cdx}?url=example.invalid/", timeout=2):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"pywb did not answer within {timeout:g} s: see {self.root / 'pywb.log'}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> PywbArchive:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
