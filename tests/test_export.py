"""`harvester export`: each file read back with the standard library and checked against the corpus."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from harvester.cli import cli
from harvester.export import EVENT_COLUMNS, REPORT_COLUMNS
from tests.publishing import Corpus, build_corpus

BASE = "https://corpus.example"


def export(database: Path, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["export", "--db", str(database), "--out", str(out), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    return {
        "stdout": result.output,
        "events": list(csv.DictReader((out / "events.csv").open(encoding="utf-8", newline=""))),
        "events_jsonl": [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()],
        "reports": list(csv.DictReader((out / "reports.csv").open(encoding="utf-8", newline=""))),
        "plover": [json.loads(line) for line in (out / "plover.jsonl").read_text(encoding="utf-8").splitlines()],
    }


@pytest.fixture(scope="module")
def fixture_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("export"))


def check_against_corpus(database: Path, files: dict[str, Any]) -> None:
    """What every export must agree with, whatever the corpus: one event per meeting, one report per readout of one."""
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    meetings = {row["id"]: row for row in db.execute("select * from meetings")}
    readouts = {row["id"]: row for row in db.execute("select * from readouts where meeting_id is not null")}
    events, jsonl, reports, plover = files["events"], files["events_jsonl"], files["reports"], files["plover"]
    assert list(events[0]) == list(EVENT_COLUMNS) and list(reports[0]) == list(REPORT_COLUMNS)
    assert sorted(int(row["event_id"]) for row in events) == sorted(meetings)
    assert [row["event_id"] for row in jsonl] == [int(row["event_id"]) for row in events]
    for row, record in zip(events, jsonl, strict=True):
        meeting = meetings[int(row["event_id"])]
        assert row["date"] == (meeting["date"] or "") and row["kind"] == (meeting["kind"] or "")
        assert int(row["reports"]) == sum(r["meeting_id"] == meeting["id"] for r in readouts.values())
        assert row["permalink"] == f"{BASE}/{database.stem}/meetings/{meeting['id']}"
        people = [p["name"] for p in record["participants"]]
        assert row["participants"] == "; ".join(people)
        assert sorted(people) == sorted(json.loads(meeting["participants"]))
        countries = row["participant_countries"].split("; ") if people else []
        assert len(countries) == len(people), row  # one slot per participant, empty where unknown
        assert all(re.fullmatch(r"[A-Z]{3}|", country) for country in countries), row
        for column in ("hosts", "visitors"):
            named = [name for name in row[column].split("; ") if name]
            assert set(named) <= set(people), (column, row)
        for column in ("participant_countries", "hosts", "visitors"):
            assert isinstance(record[column], list)
        assert row["cameo_code"] in ("040", "041", "042", "044", "")
        assert row["plover_event"] == ("CONSULT" if row["cameo_code"] else "")
        if row["kind"] in ("call", "video_call"):
            assert (row["cameo_code"], row["plover_mode"], row["place"]) == ("041", "phone", "")
    assert sorted(int(row["readout_id"]) for row in reports) == sorted(readouts)
    for row in reports:
        readout = readouts[int(row["readout_id"])]
        assert int(row["event_id"]) == readout["meeting_id"]
        assert (row["url"], row["content_hash"], row["via"]) == (readout["url"], readout["content_hash"], readout["via"])
        assert row["retrieved"] == readout["fetched_at"] and row["published"] == (readout["published"] or "")
        assert row["duplicate_of"] == str(readout["duplicate_of"] or "")
        assert row["permalink"] == f"{BASE}/{database.stem}/-/r/{readout['slug']}"
    coded = [row for row in jsonl if row["plover_event"]]
    assert [record["id"] for record in plover] == [f"harvester-meeting-{row['event_id']}" for row in coded]
    for record in plover:
        meeting = meetings[int(record["id"].rsplit("-", 1)[1])]
        assert record["event"] == "CONSULT" and record["date"] == meeting["date"]
        cited = sorted(c["url"] for c in record["citation"])
        assert cited == sorted(r["url"] for r in readouts.values() if r["meeting_id"] == meeting["id"])
        for actor in record["source"] + record["target"]:
            assert actor["actorText"] and ("code" not in actor or re.fullmatch(r"[A-Z]{3}", actor["code"]))
    db.close()


def test_export_of_the_fixture_corpus_codes_each_meeting(fixture_corpus: Corpus, tmp_path: Path) -> None:
    files = export(fixture_corpus.database, tmp_path / "out")
    check_against_corpus(fixture_corpus.database, files)
    assert f"{tmp_path / 'out' / 'events.csv'}: 7 rows" in files["stdout"]
    by_id = {int(row["event_id"]): row for row in files["events"]}
    meetings = fixture_corpus.meetings

    def coded(key: str) -> tuple[str, ...]:
        row = by_id[meetings[key]]
        return (row["cameo_code"], row["plover_mode"], row["hosts"], row["visitors"], row["place_country"])

    # in Kazakhstan, neither a Russian's nor an Iranian's country: a third location
    assert coded("astana") == ("044", "third-party", "", "", "KAZ")
    assert coded("call") == ("041", "phone", "", "", "")
    assert coded("tehran-2019") == ("042", "visit", "Ali Khamenei", "Bashar al-Assad", "IRN")
    assert coded("revised") == ("042", "visit", "Kassym-Jomart Tokayev", "Vladimir Putin", "KAZ")
    assert coded("tehran-2024") == ("040", "", "", "", "IRN")  # two Iranians in Tehran
    assert by_id[meetings["astana"]]["place_geonames_id"] == "1526273"  # Astana in GeoNames
    assert by_id[meetings["astana"]]["participant_countries"] == "RUS; IRN" or \
        by_id[meetings["astana"]]["participant_countries"] == "IRN; RUS"
    assert by_id[meetings["astana"]]["reports"] == "4"
    # a name the people table does not hold, at a place no gazetteer knows: kept, uncoded where unknown
    assert coded("payload") == ("040", "", "", "", "")
    visit = next(r for r in files["plover"] if r["id"] == f"harvester-meeting-{meetings['tehran-2019']}")
    assert [a["actorText"] for a in visit["source"]] == ["Bashar al-Assad"]
    assert visit["target"] == [{"actorText": "Ali Khamenei", "code": "IRN",
                                "actorID": f"harvester-person-{fixture_corpus.people['Ali Khamenei']}"}]
    assert visit["geolocation"] == {"placeName": "Tehran", "geonamesID": 112931, "countryCode": "IRN"}


def test_export_of_a_real_harvest(harvested: Path, tmp_path: Path) -> None:
    """The replicas harvested by the real command: the meetings step's own output, every file consistent."""
    files = export(harvested, tmp_path / "out")
    check_against_corpus(harvested, files)
    assert len(files["events"]) >= 5 and any(row["cameo_code"] == "041" for row in files["events"])


def test_export_refuses_what_it_cannot_write(fixture_corpus: Corpus, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    result = CliRunner().invoke(cli, ["export", "--db", str(fixture_corpus.database), "--out", str(tmp_path / "taken" / "out")])
    assert result.exit_code == 1 and "cannot write the export into" in result.output
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "no corpus at" in result.output
