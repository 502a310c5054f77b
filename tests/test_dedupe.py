"""Identity across runs: URL variants, exact, near and excerpt copies, versions, `harvester dedupe`.

Real harvests of small replica sites on 127.0.0.1 into a real SQLite corpus:
the original arrives in one run, its copy in a later one.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester.config import DedupeSettings, Pattern, load_config
from harvester.dedupe import Identity, trusted_canonical
from harvester.harvest import fetch_once
from harvester.store import Store
from harvester.store.identity import Identifier
from harvester.urls import canonical_url
from tests.conftest import Site, inserted, invoke_harvester, write_site_config

VOCABULARY = (
    "cooperation energy security region sanctions agreement nuclear trade visit delegation minister "
    "president leader talks council treaty border ceasefire investment railway gas oil pipeline bank "
    "currency summit forum committee parliament envoy embassy negotiations relations resistance crisis "
    "terrorism reconstruction refugees aid wheat grain port corridor transit customs tariff satellite "
    "technology science university students culture heritage pilgrims tourism aviation shipping drought "
    "water dam electricity grid reactor fuel enrichment inspectors protocol memorandum roadmap framework"
).split()
FORMULA = "The two sides discussed bilateral relations and the latest regional and international developments."


def readout_text(seed: int, paragraphs: int = 6) -> str:
    """A readout-like text: a formulaic sentence readouts share, then sentences of its own."""
    rng = random.Random(seed)
    blocks = [FORMULA]
    for _ in range(paragraphs):
        sentences = []
        for _ in range(3):
            words = rng.choices(VOCABULARY, k=rng.randint(9, 16))
            sentences.append(" ".join(words).capitalize() + ".")
        blocks.append(" ".join(sentences))
    return "\n\n".join(blocks)


def edited(text: str, share: float, seed: int) -> str:
    """`share` of the words replaced, as a copy editor or a translator would."""
    rng = random.Random(seed)
    paragraphs = []
    for paragraph in text.split("\n\n"):
        words = paragraph.split(" ")
        for i in rng.sample(range(len(words)), k=round(len(words) * share)):
            words[i] = rng.choice(VOCABULARY)
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def page(title: str, text: str, *, boilerplate: str = "", canonical: str | None = None, published: str | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    if published:
        link += f'<meta property="article:published_time" content="{published}">'
    return (
        f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
        f'<div class="body">{body}{f"<p>{boilerplate}</p>" if boilerplate else ""}</div></article></body></html>'
    )


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[dict[str, Site]]:
    made = {name: Site(tmp_path / "sites", name) for name in ("alpha", "beta")}
    yield made
    for site in made.values():
        site.server.stop()


def write_config(root: Path, sites: dict[str, Site], dedupe: str = "") -> Path:
    return write_site_config(
        root,
        {name: site.server.origin for name, site in sites.items()},
        'database = "corpus/readouts.db"\n[http]\ndelay = 0.0\nallow_private = true\n'
        "[dedupe]\n" + dedupe + "\n[dedupe.url_variants]\nalpha = [['/print$', '']]\n",
        follow="/news/",
    )


def rows(database: Path) -> dict[str, tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return {
            url.split("/", 3)[3]: (source, duplicate_of, kind, similarity, readout_id)
            for readout_id, source, url, duplicate_of, kind, similarity in db.execute(
                "select id, source, url, duplicate_of, duplicate_kind, similarity from readouts"
            )
        }


def test_each_kind_is_found_when_the_copy_comes_in_a_later_run(tmp_path: Path, sites: dict[str, Site]) -> None:
    alpha, beta = sites["alpha"], sites["beta"]
    originals = {n: readout_text(n) for n in (1, 2, 3)}
    for n, text in originals.items():
        alpha.put(f"/news/{n}", page(f"Readout {n}", text, published="2024-03-01T09:00:00Z"))
    config = load_config(write_config(tmp_path, sites))
    database = config.settings.database

    first = {r.source: r.counts.new_readouts for r in fetch_once(config)}
    assert first == {"alpha": 3, "beta": 0}

    # run 2: alpha lists URL variants of its readouts; beta republishes them, a day later
    for variant in ("/news/1?utm_source=rss&fbclid=x", "/news/2/amp", "/news/3/print", "/news/1/#comments"):
        alpha.put(variant, page("never fetched", readout_text(99)))
    beta.put("/news/10", page("Copy", originals[1], published="2024-03-02T09:00:00Z"))
    beta.put("/news/20", page("Edited copy", edited(originals[2], 0.05, seed=7), boilerplate="Beta News Agency, all rights reserved. Subscribe to our newsletter today.", published="2024-03-02T09:00:00Z"))
    third = originals[3].split("\n\n")
    beta.put("/news/30", page("Excerpt", "\n\n".join(third[2:5])))
    beta.put("/news/40", page("Another meeting", readout_text(40)))  # shares only the formula
    second = {r.source: (r.counts.new_readouts, r.counts.known) for r in fetch_once(config)}

    # the tracking variant of /news/1 is cleaned to /news/1 as it is discovered: six known links, not seven
    assert second == {"alpha": (0, 6), "beta": (4, 0)}
    for variant in ("/news/1?utm_source=rss&fbclid=x", "/news/2/amp", "/news/3/print", "/news/1/"):
        assert alpha.server.requests[variant] == 0, variant
    found = rows(database)
    ids = {path: row[4] for path, row in found.items()}
    assert found["news/10"][1:4] == (ids["news/1"], "exact", 1.0)
    assert found["news/20"][1:3] == (ids["news/2"], "near") and 0.6 <= found["news/20"][3] < 1
    assert found["news/30"][1:3] == (ids["news/3"], "excerpt") and found["news/30"][3] >= 0.9
    assert found["news/40"][1:4] == (None, None, None)
    with sqlite3.connect(database) as db:
        unique = {row[0] for row in db.execute("select url from readouts_unique")}
    assert {u.split("/", 3)[3] for u in unique} == {"news/1", "news/2", "news/3", "news/40"}

    # `harvester dedupe` recomputes the same links; twice changes nothing; a stricter threshold unlinks the edit
    dump = "\n".join(sqlite3.connect(database).iterdump())
    result = invoke_harvester("dedupe", "--config", str(config.directory))
    assert result.returncode == 0, result.stderr
    assert "4 unique, 1 exact, 1 near, 1 excerpt" in result.stdout
    assert "\n".join(sqlite3.connect(database).iterdump()) == dump
    write_config(tmp_path, sites, dedupe="near = 0.95")
    result = invoke_harvester("dedupe", "--config", str(config.directory))
    assert "5 unique, 1 exact, 0 near, 1 excerpt" in result.stdout, result.stdout + result.stderr
    assert rows(database)["news/20"][1:3] == (None, None)


def test_a_variant_known_only_by_its_canonical_is_stored_as_a_copy_and_then_known(tmp_path: Path, sites: dict[str, Site]) -> None:
    alpha = sites["alpha"]
    text = readout_text(5)
    alpha.put("/news/5", page("Readout", text))
    config = load_config(write_config(tmp_path, {"alpha": alpha}))
    fetch_once(config)
    alpha.put("/news/print.php?id=5", page("Readout", text, canonical=f"{alpha.server.origin}/news/5"))
    fetch_once(config)
    found = rows(config.settings.database)
    assert found["news/print.php?id=5"][1:3] == (found["news/5"][4], "exact")
    result = fetch_once(config)[0]
    assert (result.counts.new_readouts, alpha.server.requests["/news/print.php?id=5"]) == (0, 1)


def test_a_changed_page_becomes_a_version_and_an_unchanged_one_does_not(tmp_path: Path, sites: dict[str, Site]) -> None:
    alpha = sites["alpha"]
    first, second = readout_text(8), edited(readout_text(8), 0.1, seed=3)
    alpha.put("/news/8", page("Readout", first))
    config = load_config(write_config(tmp_path, {"alpha": alpha}))
    fetch_once(config)
    alpha.put("/news/8", page("Readout, updated", second), listed=False)

    fetch_once(config)  # without --refresh a known readout is not fetched again
    assert alpha.server.requests["/news/8"] == 1
    fetch_once(config, refresh=True)
    fetch_once(config, refresh=True)  # unchanged since: no version
    assert alpha.server.requests["/news/8"] == 3
    with sqlite3.connect(config.settings.database) as db:
        readouts = db.execute("select id, title, text, fetched_at from readouts").fetchall()
        versions = db.execute("select readout_id, title, text, fetched_at, superseded_at from readout_versions").fetchall()
    assert [(title, text) for _, title, text, _ in readouts] == [("Readout, updated", second)]
    (readout_id, _, _, refetched), = readouts
    assert len(versions) == 1
    assert versions[0][:3] == (readout_id, "Readout", first)
    assert versions[0][3] <= versions[0][4] == refetched


def test_the_cli_refresh_flag(tmp_path: Path, sites: dict[str, Site]) -> None:
    alpha = sites["alpha"]
    alpha.put("/news/9", page("Readout", readout_text(9)))
    config = write_config(tmp_path, {"alpha": alpha})
    assert invoke_harvester("fetch", "once", "--config", str(config), "-q").returncode == 0
    alpha.put("/news/9", page("Readout", readout_text(10)), listed=False)
    result = invoke_harvester("fetch", "once", "--config", str(config), "--refresh")
    assert result.returncode == 0, result.stderr
    assert "changed, earlier text kept as a version: Readout" in result.stderr


def test_an_excerpt_stored_first_is_linked_when_its_full_readout_arrives(tmp_path: Path) -> None:
    store = Store(tmp_path / "corpus.db")
    identifier = Identifier(store.db.conn, Identity.default())
    full = readout_text(11)
    excerpt = "\n\n".join(full.split("\n\n")[1:4])
    conn = store.db.conn
    ids: list[int] = []
    for text in (excerpt, excerpt, full):
        with store.db.atomic():
            readout_id = inserted(store.db.table("readouts"), {"url": f"u{len(ids)}", "text": text})
            identifier.identify(readout_id, text)
        ids.append(readout_id)
    links = conn.execute("select id, duplicate_of, duplicate_kind from readouts order by id").fetchall()
    assert links == [(ids[0], ids[2], "excerpt"), (ids[1], ids[2], "excerpt"), (ids[2], None, None)]
    store.close()


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("HTTPS://WWW.Example.COM:443/news/1/?utm_source=x&utm_medium=y#top", "https://example.com/news/1"),
        ("https://m.example.com/news/1?fbclid=abc&gclid=def", "https://example.com/news/1"),
        ("https://example.com/news/1/amp/", "https://example.com/news/1"),
        ("https://example.com/amp/news/1", "https://example.com/news/1"),
        ("https://example.com/news/1?amp=1", "https://example.com/news/1"),
        ("http://example.com:80/news/1", "http://example.com/news/1"),
        ("https://example.com/?p=123&utm_campaign=z", "https://example.com?p=123"),
        ("https://example.com/view.php?id=7&b=2", "https://example.com/view.php?b=2&id=7"),
        ("http://127.0.0.1:8080/news/1", "http://127.0.0.1:8080/news/1"),
    ],
)
def test_url_variants_come_down_to_one_canonical_url(variant: str, canonical: str) -> None:
    assert canonical_url(variant) == canonical


def test_per_source_url_rules_and_a_trustworthy_canonical() -> None:
    settings = DedupeSettings(url_variants={"kremlin": ((Pattern(r"/print$"), ""),)})
    print_page = "http://en.kremlin.ru/events/president/news/50775/print"
    assert canonical_url(print_page, "kremlin", settings) == "http://en.kremlin.ru/events/president/news/50775"
    assert canonical_url(print_page, "cnsnews", settings).endswith("/print")

    def declared(href: str, home: str | None = "https://example.com/") -> str | None:
        return trusted_canonical(href, "https://www.example.com/news/1?ref=x", home)

    assert declared("/news/1-the-slug") == "https://www.example.com/news/1-the-slug"
    assert declared("https://example.com/news/1") == "https://example.com/news/1"
    assert declared("https://other.example/news/1") is None  # another host
    assert declared("https://www.example.com/") is None  # the home page
    assert declared("https://example.com/en", home="https://example.com/en") is None
