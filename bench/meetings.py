"""Benchmark: the meeting step on readouts this project did not write for itself.

    .venv/bin/python bench/meetings.py
    .venv/bin/python bench/meetings.py --show     # also every readout that misses

The gold set (`bench/meetings_gold.toml`) holds readouts in official and press
styles with the event each one reports. Every readout is read on its own and
then linked to the meetings seen so far, in the order the readouts were
published, as the store does. Printed:

- pairwise linking precision and recall: over all pairs of readouts, "reported
  as one event" against the gold events (previews report none);
- participant F1 (micro, over readouts; a name counts when it is one of the
  gold person's spellings), date accuracy (exact day, over readouts of an
  event), kind accuracy (over all readouts; a preview's kind is none) and place
  accuracy;
- the ablation: the same with the shipped `people.toml` reduced to its aliases-only
  entries (those with no `offices`), which must cost at most 0.02 participant F1.
"""

from __future__ import annotations

import argparse
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harvester import meetings
from harvester.data import shipped

HERE = Path(__file__).resolve().parent
GOLD = HERE / "meetings_gold.toml"
PEOPLE = shipped("people.toml")


@dataclass
class Prediction:
    meeting: int | None
    kind: str
    date: str
    place: str
    participants: frozenset[str]


def fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("-", " ").replace("'", "").casefold().split())


def aliases_only(source: Path, target: Path) -> Path:
    """`people.toml` without the entries that carry offices: what no pattern can know."""
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    kept = [entry for entry in data.get("person", []) if "offices" not in entry]
    lines = []
    for entry in kept:
        lines.append("[[person]]")
        for key, value in entry.items():
            lines.append(f"{key} = {_toml(value)}")
        lines.append("")
    for entry in data.get("place", []):
        lines.append("[[place]]")
        for key, value in entry.items():
            lines.append(f"{key} = {_toml(value)}")
        lines.append("")
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def _instant(published: str) -> datetime:
    moment = datetime.fromisoformat(published)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def predict(readouts: list[dict[str, Any]], gazetteer: meetings.Gazetteer) -> dict[str, Prediction]:
    """Each readout read alone, then linked in publication order to the meetings seen so far."""
    rows: list[tuple[int, meetings.Meeting]] = []
    predictions = {}
    for readout in sorted(readouts, key=lambda r: _instant(r["published"])):
        reading = meetings.read(readout["text"].strip(), readout["title"], readout["published"], gazetteer,
                                lead=readout.get("lead"), place=readout.get("place_line"))
        meeting, meeting_id = reading.meeting, None
        if meeting is not None and meeting.date:
            meeting_id, _ = meetings.match(meeting, rows)
            if meeting_id is None:
                meeting_id = len(rows) + 1
                rows.append((meeting_id, meeting))
            else:
                rows[meeting_id - 1] = (meeting_id, meetings.merged(meeting, rows[meeting_id - 1][1]))
        predictions[readout["id"]] = Prediction(
            meeting_id,
            reading.kind or "",
            (meeting.date or "") if meeting else "",
            (meeting.place or "") if meeting else "",
            frozenset(meeting.participants) if meeting else frozenset(),
        )
    return predictions


def score(readouts: list[dict[str, Any]], names: dict[str, list[str]], predictions: dict[str, Prediction],
          show: bool = False) -> dict[str, float]:
    spelling = {fold(variant): person for person, variants in names.items() for variant in (person, *variants)}
    tp = fp = fn = 0
    for i, a in enumerate(readouts):
        for b in readouts[i + 1 :]:
            gold = bool(a["event"]) and a["event"] == b["event"]
            pa, pb = predictions[a["id"]].meeting, predictions[b["id"]].meeting
            said = pa is not None and pa == pb
            tp += gold and said
            fp += said and not gold
            fn += gold and not said
            if show and gold != said:
                print(f"  link {'missed' if gold else 'wrong'}: {a['id']} ~ {b['id']}")
    p_tp = p_fp = p_fn = 0
    dates = kinds = places = events = 0
    for readout in readouts:
        got = predictions[readout["id"]]
        found = {spelling.get(fold(name), name) for name in got.participants}
        gold = set(readout["participants"])
        p_tp += len(found & gold)
        p_fp += len(found - gold)
        p_fn += len(gold - found)
        kinds += got.kind == readout["kind"]
        if readout["event"]:
            events += 1
            dates += got.date == readout["date"]
            places += got.place == readout["place"]
        if show and (found != gold or got.kind != readout["kind"] or (readout["event"] and (
                got.date != readout["date"] or got.place != readout["place"]))):
            print(f"  {readout['id']}: got {got.kind or '-'} {got.date or '-'} {got.place or '-'} {sorted(found)};"
                  f" gold {readout['kind'] or '-'} {readout['date'] or '-'} {readout['place'] or '-'} {sorted(gold)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    p_precision = p_tp / (p_tp + p_fp) if p_tp + p_fp else 1.0
    p_recall = p_tp / (p_tp + p_fn) if p_tp + p_fn else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "participant_f1": 2 * p_precision * p_recall / (p_precision + p_recall) if p_precision + p_recall else 0.0,
        "dates": dates / events,
        "kinds": kinds / len(readouts),
        "places": places / events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print every readout and pair that misses")
    args = parser.parse_args()
    gold = tomllib.loads(GOLD.read_text(encoding="utf-8"))
    readouts, names = gold["readout"], gold["names"]
    events = {r["event"] for r in readouts if r["event"]}
    people = {p for r in readouts for p in r["participants"]}
    print(f"gold set: {len(readouts)} readouts, {len(events)} events, {len(people)} people,"
          f" {len({r['place'] for r in readouts if r['place']})} places, {len({r['kind'] for r in readouts if r['kind']})} kinds")

    full = score(readouts, names, predict(readouts, meetings.load_gazetteer(PEOPLE)), show=args.show)
    with tempfile.TemporaryDirectory() as folder:
        reduced_file = aliases_only(PEOPLE, Path(folder) / "people.toml")
        if args.show:
            print("with the aliases-only people.toml:")
        reduced = score(readouts, names, predict(readouts, meetings.load_gazetteer(reduced_file)), show=args.show)
    targets = {"precision": 0.97, "recall": 0.95, "participant_f1": 0.95, "dates": 0.95}
    print(f"{'measure':<16} {'people.toml':>12} {'aliases only':>13} {'target':>7}")
    for key, value in full.items():
        target = f"{targets[key]:.2f}" if key in targets else ""
        print(f"{key:<16} {value:>12.3f} {reduced[key]:>13.3f} {target:>7}")
    cost = full["participant_f1"] - reduced["participant_f1"]
    print(f"ablation: aliases-only people.toml costs {cost:.3f} participant F1 (at most 0.02)")


if __name__ == "__main__":
    main()
