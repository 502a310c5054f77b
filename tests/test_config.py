"""A malformed config is refused before any fetch, naming the file, the key and the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harvester.config import ConfigError, load_config
from tests.conftest import SHIPPED_CONFIG, copy_config, invoke_harvester

SOURCE_NAMES = [
    "aawsat-archive", "cnsnews", "farsi-khamenei-ir", "khamenei-ir", "kremlin", "kremlin-ru", "leader-ir",
    "president-ir-fa", "sana-ar",
]


def test_shipped_config_loads() -> None:
    config = load_config(SHIPPED_CONFIG)
    assert sorted(source.name for source in config.sources) == SOURCE_NAMES
    assert config.settings.database == SHIPPED_CONFIG.resolve().parent / "corpus" / "readouts.db"
    assert "harvester" in config.settings.http.user_agent and "http" in config.settings.http.user_agent
    for source in config.sources:
        assert source.discover.follow.pattern
        # a listing walk, or sitemaps alone
        assert (source.discover.start and source.discover.links) or source.discover.sitemaps


def _break(config: Path, source: str, old: str, new: str) -> Path:
    file = config / "sources" / f"{source}.toml"
    text = file.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), f"{old!r} not in {file}"
    file.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")
    return file


# (source, regex to replace, replacement, key named in the error, words of the reason)
MALFORMED = [
    pytest.param("kremlin", r"^title = ", "title = = ", None, "TOML syntax error", id="toml-syntax"),
    pytest.param("cnsnews", r"^\[discover\]", "colour = \"red\"\n[discover]", "colour", "unknown key", id="unknown-key"),
    pytest.param("cnsnews", r"^\[discover\]", "[discover]\nlinkz = \"a\"", "discover.linkz", "unknown key", id="unknown-nested-key"),
    pytest.param("leader-ir", r"^home = .*$", "", "home", "missing required key", id="missing-key"),
    pytest.param("leader-ir", r"^links = .*$", "", "discover.links", "missing required key", id="missing-nested-key"),
    pytest.param("khamenei-ir", r"^links = .*$", 'links = "div[class="', "discover.links", "invalid CSS selector", id="bad-css"),
    pytest.param("khamenei-ir", r"^body = .*$", 'body = "article >> p"', "extract.body", "invalid CSS selector", id="bad-css-field"),
    pytest.param("aawsat-archive", r"^follow = .*$", "follow = '/category/(unclosed'", "discover.follow", "invalid regular expression", id="bad-regex"),
    pytest.param("kremlin", r"^drop_lines = .*$", "drop_lines = ['^(Font']", "extract.drop_lines", "invalid regular expression", id="bad-drop-line"),
    pytest.param("kremlin", r"^schedule = .*$", 'schedule = "0 2 * *"', "schedule", "invalid cron expression", id="bad-cron"),
    pytest.param("kremlin", r"^max_pages = .*$", "max_pages = 0", "discover.max_pages", "1 or more", id="bad-number"),
    pytest.param("president-ir-fa", r"^sitemaps = .*$", 'sitemaps = ["/robots.txt"]', "discover.sitemaps", "absolute http(s) URL", id="bad-sitemap"),
    pytest.param("president-ir-fa", r"^sitemaps = .*$", "", "discover.start", "missing required key", id="no-listing-no-sitemap"),
    pytest.param("kremlin-ru", r"^translation_key = .*$", "translation_key = ['/news/']", "translation_key", "must be [pattern, key]", id="bad-translation-key"),
]


@pytest.mark.parametrize(("source", "old", "new", "key", "reason"), MALFORMED)
def test_malformed_source_is_refused(tmp_path: Path, source: str, old: str, new: str, key: str | None, reason: str) -> None:
    config = copy_config(tmp_path)
    file = _break(config, source, old, new)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    error = caught.value
    assert Path(error.file) == file
    assert error.key == key
    assert reason in error.reason


def test_malformed_settings_are_refused(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    settings = config / "harvester.toml"
    settings.write_text(settings.read_text() + '\n[http.extra]\nx = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"harvester.toml: http.extra: unknown key"):
        load_config(config)


def test_cli_refuses_before_any_fetch(tmp_path: Path) -> None:
    """The refusal comes before a single request: the broken config points at a live replica
    would be fetched otherwise; here every source points at an unroutable port, and the
    message must be the config's, not a connection error."""
    config = copy_config(tmp_path)
    for file in (config / "sources").glob("*.toml"):
        text = re.sub(r"https?://[a-z0-9.-]+", "http://127.0.0.1:9", file.read_text(encoding="utf-8"))
        file.write_text(text, encoding="utf-8")
    _break(config, "cnsnews", r"^links = .*$", 'links = "div["')
    result = invoke_harvester("fetch", "once", "--config", str(config), "--db", str(tmp_path / "x.db"))
    assert result.returncode != 0
    assert "cnsnews.toml: discover.links: invalid CSS selector" in result.stderr
    assert "Traceback" not in result.stderr
    assert "cannot connect" not in result.stderr + result.stdout
    assert not (tmp_path / "x.db").exists()


def test_source_name_must_match_file(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    _break(config, "kremlin", r'^name = .*$', 'name = "kremlin-en"')
    with pytest.raises(ConfigError, match="name: must match the file name 'kremlin'"):
        load_config(config)
