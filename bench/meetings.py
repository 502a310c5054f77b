"""Benchmark: the meeting step on real readouts and press reports nobody here wrote.

    .venv/bin/python bench/meetings.py --data ../shared/meetings-dev
    .venv/bin/python bench/meetings.py --data ../shared/meetings-dev --show tune   # the tune half's misses
    .venv/bin/python bench/meetings.py --data FOLDER --one-half --show all          # a set of its own, no split

The development set (`meetings-dev`: readouts of many publishers and languages,
labelled by event) may not be redistributed, so it is read from where it lies.
It was split by event before the meeting step was changed
(`bench/meetings_dev_split.json`, seed 2026): tune on "tune", only measure
"holdout"; `--show` refuses to print the holdout half's misses.

Every readout goes through the real store, as a harvest stores it: a fresh
corpus, `Store.save_readout`, the identity step, then the meetings it wrote.
That is done twice, in publication order and in a shuffled order (seed 2026),
because the corpus must not depend on the order readouts arrive in; the two
orders' meetings are compared, and each is scored with the set's own scorer
(`score.py` beside the data, imported from there): pairwise linking P/R,
exact events, participant F1, dates, kinds and places, overall and per
language, for each half.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from harvester.extract import Readout
from harvester.fetch import Exchange, FetchedPage
from harvester.store import Store

HERE = Path(__file__).resolve().parent
SPLIT = HERE / "meetings_dev_split.json"
SEED = 2026
SOURCE = "meetings-dev"
# the targets, on the holdout half, English readouts
TARGETS = {"link_P": 0.97, "link_R": 0.95, "part_F1": 0.95, "date_acc": 0.95, "kind_acc": 0.95, "place_acc": 0.90}
SHOWN = ("link_P", "link_R", "exact_events", "non_event_acc", "part_F1", "date_acc", "kind_acc", "place_acc", "n_readouts")


def scorer(data: Path) -> ModuleType:
    """The set's own `score.py`: its metrics are the ones the project is judged by, so they are not copied here."""
    spec = importlib.util.spec_from_file_location("meetings_dev_score", data / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {data}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readout(entry: dict[str, Any]) -> Readout:
    # the set keeps one paragraph a line; the corpus separates paragraphs by a blank line
    text = "\n\n".join(line.strip() for line in entry["text"].splitlines() if line.strip())
    return Readout(
        url=entry["url"], title=entry.get("title"), kicker=None, author=None, published=entry.get("published"),
        language=entry["language"], tags=(), text=text, extractor="configured", lead=entry.get("lead"),
    )


def _page(url: str) -> FetchedPage:
    exchange = Exchange(url, "GET", (), 200, "OK", "HTTP/1.1", (("Content-Type", "text/html"),), b"",
                        datetime(2026, 1, 1, tzinfo=timezone.utc))
    return FetchedPage(url, url, exchange)


def harvest(entries: list[dict[str, Any]], folder: Path) -> dict[str, dict[str, Any]]:
    """Store `entries` in this order in a fresh corpus; each readout's predicted event as the corpus holds it."""
    with Store(folder / "readouts.db") as store:
        store.db.execute("insert into sources (name, title, home, language) values (?, ?, ?, 'en')",
                         [SOURCE, SOURCE, "https://meetings-dev.example/"])
        ids = {entry["id"]: store.save_readout(SOURCE, _page(entry["url"]), _readout(entry)).readout_id for entry in entries}
        rows = {
            readout_id: (meeting_id, on, place, kind, participants)
            for readout_id, meeting_id, on, place, kind, participants in store.db.execute(
                "select r.id, r.meeting_id, m.date, m.place, m.kind, m.participants"
                " from readouts r left join meetings m on m.id = r.meeting_id"
            )
        }
    predictions = {}
    for name, readout_id in ids.items():
        meeting_id, on, place, kind, participants = rows[readout_id]
        predictions[name] = {
            "id": name, "event": meeting_id, "date": on, "place": place, "kind": kind,
            "participants": json.loads(participants) if participants else [],
        }
    return predictions


def _events(predictions: dict[str, dict[str, Any]]) -> set[tuple[Any, ...]]:
    """The meetings as sets of readouts with their fields: what two orders must agree on, whatever the row ids."""
    clusters: dict[Any, list[str]] = {}
    for name, p in predictions.items():
        if p["event"] is not None:
            clusters.setdefault(p["event"], []).append(name)
    return {
        (tuple(sorted(names)), p["date"], p["place"], p["kind"], tuple(sorted(p["participants"])))
        for names in clusters.values() for p in [predictions[names[0]]]
    }


def _line(label: str, scores: dict[str, Any]) -> str:
    cells = []
    for key in SHOWN:
        value = scores.get(key)
        cells.append(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value if value is not None else '-'}")
    return f"  {label:<8} " + "  ".join(cells)


def report(score: ModuleType, gold: list[dict[str, Any]], predictions: dict[str, dict[str, Any]],
           split: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Print each half overall and per language; the scores per half and language."""
    language = {g["id"]: g["language"] for g in gold}
    results = {}
    for half in ("all",) if "all" in split else ("tune", "holdout"):
        ids = split[half]
        print(f" {half} half ({len(ids)} readouts)")
        overall = score.score(gold, predictions, ids)
        print(_line("overall", overall))
        results[half] = {"overall": overall}
        for lang in sorted({language[i] for i in ids}, key=lambda lang: (-sum(language[i] == lang for i in ids), lang)):
            scores = score.score(gold, predictions, [i for i in ids if language[i] == lang])
            results[half][lang] = scores
            print(_line(lang, scores))
    return results


def show_misses(gold: list[dict[str, Any]], predictions: dict[str, dict[str, Any]], ids: list[str]) -> None:
    """Every readout of `ids` whose event, fields or links differ from its label."""
    by_id = {g["id"]: g for g in gold}
    cluster: dict[Any, set[str]] = {}
    for name, p in predictions.items():
        cluster.setdefault(p["event"], set()).add(name)
    for name in ids:
        g, p = by_id[name], predictions[name]
        together = cluster.get(p["event"], set()) if p["event"] is not None else {name}
        wanted = {i for i, x in by_id.items() if g["event"] is not None and x["event"] == g["event"]} or {name}
        fields = [(f, g.get(f), p.get(f)) for f in ("kind", "date", "place") if g["event"] and g.get(f) != p.get(f)]
        people = (sorted(g["participants"]), sorted(p["participants"]))
        wrongly_read = g["event"] is None and p["event"] is not None
        if together != wanted or fields or (g["event"] and people[0] != people[1]) or wrongly_read:
            print(f"{name} [{g['language']}] gold {g['event']}")
            if wrongly_read:
                print(f"    read as an event ({p['kind']}, {p['date']}, {p['participants']}): the text reports none")
            if together - wanted:
                print(f"    linked wrongly with {sorted(together - wanted)}")
            if wanted - together:
                print(f"    not linked with {sorted(wanted - together)}")
            for field, want, got in fields:
                print(f"    {field}: gold {want!r}, got {got!r}")
            if g["event"] and people[0] != people[1]:
                print(f"    participants: gold {people[0]}, got {people[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the meetings-dev folder (readouts.jsonl, score.py)")
    parser.add_argument("--show", choices=["tune", "all"],
                        help="print the misses of the tune half (never the holdout's), or of a --one-half set")
    parser.add_argument("--one-half", action="store_true",
                        help="score every readout of --data as one half, \"all\": a set labelled for development"
                             " that meetings-dev's split does not cover")
    args = parser.parse_args()
    if (args.show == "all") != (args.one_half and args.show is not None):
        parser.error("--show all goes with --one-half, and --one-half shows no other half")
    score = scorer(args.data)
    gold = score.load(args.data / "readouts.jsonl")
    split = {"all": [g["id"] for g in gold]} if args.one_half else json.loads(SPLIT.read_text(encoding="utf-8"))
    entries = sorted(gold, key=lambda g: (g.get("published") or "", g["id"]))
    shuffled = entries[:]
    random.Random(SEED).shuffle(shuffled)

    runs = {}
    for label, order in (("publication order", entries), (f"shuffled order (seed {SEED})", shuffled)):
        with tempfile.TemporaryDirectory() as folder:
            runs[label] = harvest(order, Path(folder))
    results = {}
    for label, predictions in runs.items():
        print(f"{label}:")
        results[label] = report(score, gold, predictions, split)
    first, second = runs.values()
    same = _events(first) == _events(second)
    differ = len(_events(first) ^ _events(second))
    print(f"the two orders give the same meetings: {'yes' if same else f'no ({differ} meetings differ)'}")

    if "holdout" in split:
        english = results["publication order"]["holdout"].get("en", {})
        held = [f"{key} {english.get(key, 0.0):.3f} {'>=' if (english.get(key) or 0.0) >= target else '<'} {target:.2f}"
                for key, target in TARGETS.items()]
        print("targets, holdout half, English: " + "; ".join(held))
    if args.show:
        print(f"misses of the {args.show} half (publication order):")
        show_misses(gold, first, split[args.show])


if __name__ == "__main__":
    main()
