"""Search in Russian, Persian and Arabic: through the Datasette plugin in-process, and in the plain database file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import pytest
from datasette.app import Datasette

from harvester.fetch import Exchange
from harvester.data import shipped
from harvester.extract import Readout
from harvester.fetch import FetchedPage
from harvester.publish import PLUGINS, SETTINGS, TEMPLATES, effective_metadata
from harvester.store import Store
from harvester.store.schema import MIGRATIONS, _search_keys

# Sentences written for these tests; each word that a search must reach appears only in another form.
TEXTS = {
    "ru": ("Переговоры в Кремле", "Президент провёл переговоры с Путиным. Визит Путина продлился два дня."),
    "fa": ("دیدار در تهران", "پزشکیان با پوتين در تهران دیدار کرد و درباره همکاری‌ها گفتگو شد."),
    "ar": ("لقاء في دمشق", "استقبل الرَّئِيسُ السوري وزير الخارجـــية في دمشق وبحثا العلاقات الثنائية."),
    "en": ("Talks in Moscow", "The presidents held talks in Moscow on trade and energy."),
}


def _page(url: str, html: str) -> FetchedPage:
    exchange = Exchange(
        url=url, method="GET", request_headers=(), status=200, reason="OK", http_version="HTTP/1.1",
        headers=(("Content-Type", "text/html; charset=utf-8"),), body=html.encode("utf-8"),
        fetched_at=datetime(2024, 5, 2, tzinfo=timezone.utc),
    )
    return FetchedPage(url, url, exchange)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    database = tmp_path_factory.mktemp("search") / "readouts.db"
    ids = {}
    with Store(database) as store:
        store.db.table("sources").insert(
            {"name": "site", "title": "A publisher", "home": "https://news.example/", "language": "ru", "enabled": 1,
             "schedule": "0 */6 * * *", "config_file": "site.toml", "updated_at": "2024-05-01T00:00:00+00:00"}
        )
        for number, (language, (title, text)) in enumerate(TEXTS.items()):
            url = f"https://news.example/{language}/{number}"
            readout = Readout(
                url=url, title=title, kicker=None, author=None, published="2024-05-01", language=language, tags=(),
                text=text, extractor="configured",
            )
            ids[language] = store.save_readout("site", _page(url, f"<h1>{title}</h1><p>{text}</p>"), readout).readout_id
    return database, ids


def _get(database: Path, path: str) -> str:
    datasette = Datasette(
        [str(database)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS), settings=SETTINGS,
        metadata=effective_metadata(database, shipped("datasette-metadata.json"), None),
    )
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, response.text
    text: str = response.text
    return text


def _search(database: Path, query: str) -> str:
    return _get(database, "/readouts/-/search?" + urlencode({"q": query}))


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("Путин", "ru"),  # finds Путина and Путиным
        ("ПУТИНА", "ru"),
        ("پوتین", "fa"),  # Persian yeh finds the Arabic yeh of پوتين
        ("همکاری", "fa"),  # finds همکاری‌ها, joined by a non-joiner
        ("الرئيس", "ar"),  # finds الرَّئِيسُ, with its harakat
        ("الخارجية", "ar"),  # finds الخارجـــية, stretched by tatweel
        ("وزيرُ الخارجيّة", "ar"),  # a query with harakat finds the text without
    ],
)
def test_a_search_finds_every_form_of_the_word(corpus: tuple[Path, dict[str, int]], query: str, language: str) -> None:
    database, ids = corpus
    page = _search(database, query)
    assert TEXTS[language][0] in page
    assert all(TEXTS[other][0] not in page for other in TEXTS if other != language)


def test_english_and_operators_are_left_as_they_are(corpus: tuple[Path, dict[str, int]]) -> None:
    database, _ = corpus
    assert TEXTS["en"][0] in _search(database, "talk")  # the porter stemmer, as before
    page = _search(database, "Путин OR پوتین")
    assert TEXTS["ru"][0] in page and TEXTS["fa"][0] in page and TEXTS["ar"][0] not in page
    assert TEXTS["ru"][0] not in _search(database, "Путин NOT Кремле")


def test_the_plain_database_file_searches_without_our_code(corpus: tuple[Path, dict[str, int]]) -> None:
    """The keys are stored: plain SQLite's own tokenizer finds every case of a word by its plain form."""
    database, ids = corpus
    with sqlite3.connect(database) as db:
        hits = db.execute("select rowid from readouts_fts where readouts_fts match 'путин'").fetchall()
        keys = db.execute("select search_keys from readouts where id = ?", [ids["en"]]).fetchone()
    assert hits == [(ids["ru"],)]
    assert keys == (None,)  # English text is left to the porter stemmer


def test_an_older_corpus_gets_its_search_keys(corpus: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    database, ids = corpus
    copy = tmp_path / "readouts.db"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as db:
        db.execute("update readouts set search_keys = null")
        before = next(m.version for m in MIGRATIONS if m.apply is _search_keys) - 1  # whatever number it gets at a merge
        db.execute(f"pragma user_version = {before}")
    Store(copy).close()
    with sqlite3.connect(copy) as db:
        assert db.execute("select rowid from readouts_fts where readouts_fts match 'путин'").fetchall() == [(ids["ru"],)]


def test_right_to_left_readouts_carry_their_language_and_direction(corpus: tuple[Path, dict[str, int]]) -> None:
    database, ids = corpus
    persian = _get(database, f"/readouts/readouts/{ids['fa']}")
    assert '<div class="text" lang="fa" dir="rtl">' in persian
    assert f'<h1 lang="fa" dir="rtl">{TEXTS["fa"][0]}</h1>' in persian
    assert '<div class="text" lang="ru" dir="ltr">' in _get(database, f"/readouts/readouts/{ids['ru']}")
