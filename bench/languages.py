"""Benchmark: how far `harvester.languages` reads the Russian, Persian and Arabic dev readouts.

    .venv/bin/python bench/languages.py --data ../shared/meetings-dev
    .venv/bin/python bench/languages.py --data ../shared/meetings-dev --show   # also every miss of the tune half

The readouts are not redistributable, so they are read from `--data`. Each half of
`bench/meetings_dev_split.json` (tune on `tune`, report `holdout`) is scored
separately, per language:

- names: of the spellings a readout uses for its participants (`participants_in_text`),
  the share whose `name_key` is part of the key of one of the English participants,
  or the other way round, word for word ("Путина" of "Vladimir Putin", "Haitham bin
  Tariq" of "هیثم بن طارق آل سعید") or run together (`compact=True`: "أحمدي نجاد",
  "Ahmadinejad"); surnames: the share whose key's last word is the last word of an
  English participant's key;
- declined: Russian only, the capitalised words of the text that are inflected forms
  of a participant's surname (they start with its nominative less the last letter)
  and whose key is the surname's: with pymorphy3's lemmas (shipped) and with
  Snowball's Russian stems instead, the measurement behind the choice;
- dates: of the readouts with a gold event date, the share whose date is among
  `dates_in(title, lead and text, language, published)`; dated: the same over the
  readouts whose text names any date at all (many name none: the meeting step then
  falls back on the publication date);
- places: of the readouts with a gold place, the share whose city is among `places_in`'s;
- kinds: of the readouts with a gold event, the share whose kind is among `events_in`'s;
  plans: of the previews, the share where `events_in` finds plan wording.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from harvester.languages import PLAN, dates_in, events_in, name_key, places_in, stem
from harvester.languages.names import _skeleton

HERE = Path(__file__).resolve().parent
SPLIT = HERE / "meetings_dev_split.json"
LANGUAGES = ("ru", "fa", "ar")


def equal(spelling: str, english: list[str]) -> bool:
    """Whether a spelling's key is part of one of the English names' keys or holds it, word by word or run together."""
    words = set(name_key(spelling).split())
    for name in english:
        other = set(name_key(name).split())
        if words and other and (words <= other or other <= words):
            return True
        if name_key(spelling, compact=True) == name_key(name, compact=True):
            return True
    return False


def same_surname(spelling: str, english: list[str]) -> bool:
    key = name_key(spelling).split()
    return bool(key) and any(key[-1:] == name_key(name).split()[-1:] for name in english)


def snowball_key(word: str) -> str:
    return _skeleton(stem(word, "ru"))


def score(rows: list[dict[str, Any]], show: bool) -> dict[str, str]:
    names, surnames = [0, 0], [0, 0]
    declined = {"pymorphy3": [0, 0], "snowball": [0, 0]}
    dates, dated = [0, 0], [0, 0]
    places, kinds, plans = [0, 0], [0, 0], [0, 0]
    for row in rows:
        for spelling in row.get("participants_in_text") or []:
            names[1] += 1
            surnames[1] += 1
            names[0] += equal(spelling, row["participants"])
            surnames[0] += same_surname(spelling, row["participants"])
            if show and not equal(spelling, row["participants"]):
                print(f"  name  {row['id']}: {spelling!r} ({name_key(spelling)}) is none of "
                      f"{[name_key(name) for name in row['participants']]}")
        if row["language"] == "ru":
            for spelling in row.get("participants_in_text") or []:
                surname = spelling.split()[-1]
                if len(surname) < 4:
                    continue
                forms = {w for w in re.findall(r"\w+", row["text"]) if w[:1].isupper() and
                         w.lower().startswith(surname.lower()[:-1]) and len(w) <= len(surname) + 3}
                for form in forms:
                    for method, key in (("pymorphy3", name_key), ("snowball", snowball_key)):
                        declined[method][1] += 1
                        if key(form) == key(surname):
                            declined[method][0] += 1
                        elif show:
                            print(f"  declined ({method}) {row['id']}: {form!r} is not {surname!r}")
        text = "\n".join(part for part in (row.get("title"), row.get("lead"), row["text"]) if part)
        worded = {wording.kind for wording in events_in(text, row["language"])}
        if row.get("event") and row.get("kind"):
            kinds[1] += 1
            kinds[0] += row["kind"] in worded
            if show and row["kind"] not in worded:
                print(f"  kind  {row['id']}: {row['kind']} not in {sorted(worded)}")
        if row.get("role") == "preview":
            plans[1] += 1
            plans[0] += PLAN in worded
            if show and PLAN not in worded:
                print(f"  plan  {row['id']}: no plan wording in {sorted(worded)}")
        if row.get("event") and row.get("date"):
            dates[1] += 1
            found = {mention.date for mention in dates_in(text, row["language"], row.get("published"))}
            if row.get("place"):
                places[1] += 1
                cities = {mention.city for mention in places_in(text, row["language"])}
                places[0] += row["place"] in cities
                if show and row["place"] not in cities:
                    print(f"  place {row['id']}: {row['place']} not in {sorted(cities)}")
            dated[1] += bool(found)
            if row["date"] in found:
                dates[0] += 1
                dated[0] += 1
            elif show:
                print(f"  date  {row['id']}: {row['date']} not in {sorted(found)} (published {row.get('published')})")

    def ratio(pair: list[int]) -> str:
        return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})" if pair[1] else "-"

    out = {"names": ratio(names), "surnames": ratio(surnames), "dates": ratio(dates), "dated": ratio(dated), "places": ratio(places), "kinds": ratio(kinds),
           "plans": ratio(plans)}
    if declined["pymorphy3"][1]:
        out |= {f"declined {method}": ratio(pair) for method, pair in declined.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the meetings-dev folder (readouts.jsonl)")
    parser.add_argument("--show", action="store_true", help="print every miss of the tune half (never the holdout's)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.data / "readouts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    for half in ("tune", "holdout"):
        members = set(split[half])
        for language in LANGUAGES:
            chosen = [row for row in rows if row["id"] in members and row["language"] == language]
            show = args.show and half == "tune"
            if show:
                print(f"{half} {language}:")
            result = score(chosen, show)
            print(f"{half:8} {language}  readouts {len(chosen):3}  " + "  ".join(f"{k} {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
