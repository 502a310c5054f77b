"""`harvester check`: a source's config against one page, field by field, with every dropped block and why."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harvester.replicas import REPLICAS, ReplicaServer
from tests.conftest import SHIPPED_CONFIG, copy_config, invoke_harvester, make_local_config

SEED_000 = REPLICAS / "leader-ir" / "content-13950.html"


def test_check_a_file_shows_fields_text_and_dropped_blocks(expected: dict[str, Any]) -> None:
    result = invoke_harvester("check", "--config", str(SHIPPED_CONFIG), "--db", "/nonexistent/readouts.db", "leader-ir", str(SEED_000))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    want = expected["000_cf9b3ea0a473f1e0.txt"]
    assert re.search(rf"^title +{re.escape(want['title'])}$", out, re.M)
    assert "selector 'article#heading h3.btitr'" in out
    assert re.search(r"^published +2015-11-23$", out, re.M)
    assert re.search(rf"^text: {len(want['body_paragraphs'])} paragraphs, ", out, re.M)
    assert re.search(r"^extractor +configured$", out, re.M)
    # the share bar's visit counter, dropped by the config's `drop`
    assert re.search(r"^ +\d+ /\n +<- drop 'div.share'$", out, re.M)


def test_check_a_url_shows_the_generic_takeover_and_the_learnt_template(
    tmp_path: Path, harvested: Path, replica_servers: list[ReplicaServer]
) -> None:
    config = make_local_config(replica_servers, tmp_path)
    source = config / "sources" / "aawsat-archive.toml"
    source.write_text(source.read_text(encoding="utf-8").replace('body = "div.entry-content"', 'body = "div.gone"'))
    [aawsat] = [s for s in replica_servers if s.site.name == "aawsat-archive"]
    url = next(f"{aawsat.origin}{path}" for path, route in aawsat.site.routes.items() if route.file.name == "post-233915.html")
    result = invoke_harvester("check", "--config", str(config), "--db", str(harvested), "aawsat-archive", url)
    assert result.returncode == 0, result.stderr
    assert "extractor  generic (took over: body selector 'div.gone' matched nothing)" in result.stdout
    assert "<- outside the article (generic extractor)" in result.stdout
    assert re.search(r"^source +aawsat-archive \(\d+ learnt template blocks\)$", result.stdout, re.M)


def test_check_without_a_page_takes_the_latest_archived_readout(harvested: Path) -> None:
    config = harvested.parent.parent / "config"
    result = invoke_harvester("check", "--config", str(config), "kremlin")
    assert result.returncode == 0, result.stderr
    page = re.search(r"^page +(\S+)$", result.stdout, re.M)
    assert page and "/events/president/news/" in page.group(1)


def test_check_names_what_it_cannot_read(tmp_path: Path) -> None:
    result = invoke_harvester("check", "--config", str(SHIPPED_CONFIG), "--db", str(tmp_path / "x.db"), "kremlin")
    assert result.returncode == 1
    assert "kremlin has no archived readout page yet: name a URL or a file" in result.stderr
    result = invoke_harvester("check", "--config", str(SHIPPED_CONFIG), "kremlin", "not-a-file")
    assert "not-a-file: neither a file nor an http(s) URL" in result.stderr


def test_check_names_the_comment_section_the_generic_extractor_left_out(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    source = config / "sources" / "khamenei-ir.toml"
    source.write_text(re.sub(r"(?m)^(body|drop) = .*\n", "", source.read_text(encoding="utf-8")), encoding="utf-8")
    page = REPLICAS / "khamenei-ir" / "news-5960.html"
    result = invoke_harvester("check", "--config", str(config), "--db", str(tmp_path / "x.db"), "khamenei-ir", str(page))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^extractor +generic$", result.stdout, re.M)
    assert re.search(r"^ +Masha'ALLAH, adequate coverage .*\n +<- comment section$", result.stdout, re.M)
