"""Benchmark: how far `harvester.languages` reads the Russian, Persian and Arabic dev readouts.

    .venv/bin/python bench/languages.py --data ../shared/meetings-dev
    .venv/bin/python bench/languages.py --data ../shared/meetings-dev --show   # also every miss

The readouts are not redistributable, so they are read from `--data`. Each half of
`bench/meetings_dev_split.json` (tune on `tune`, report `holdout`) is scored
separately, per language:

- names: of the spellings a readout uses for its participants (`participants_in_text`),
  the share whose `name_key` meets the key of one of the English participants (the
  surname, i.e. the last word of each key, or the whole name written as one word);
- declined: Russian only, the capitalised words of the text that are inflected forms
  of a participant's surname (they start with its nominative less the last letter)
  and whose key is the surname's: with pymorphy3's lemmas (shipped) and with
  Snowball's Russian stems instead, the measurement behind the choice;
- dates: of the readouts with a gold event date, the share whose date is among
  `dates_in(title, lead and text, language, published)`.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from harvester.languages import dates_in, name_key, stem
from harvester.languages.names import _skeleton

HERE = Path(__file__).resolve().parent
SPLIT = HERE / "meetings_dev_split.json"
LANGUAGES = ("ru", "fa", "ar")


def meets(spelling: str, english: list[str]) -> bool:
    """Whether a spelling's key meets one of the English names' keys: same surname, or the same name run together."""
    key = name_key(spelling).split()
    if not key:
        return False
    for name in english:
        other = name_key(name).split()
        if other and (key[-1] == other[-1] or "".join(key) == "".join(other) or "".join(key) == other[-1]):
            return True
    return False


def snowball_key(word: str) -> str:
    return _skeleton(stem(word, "ru"))


def score(rows: list[dict[str, Any]], show: bool) -> dict[str, str]:
    names = [0, 0]
    declined = {"pymorphy3": [0, 0], "snowball": [0, 0]}
    dates = [0, 0]
    for row in rows:
        for spelling in row.get("participants_in_text") or []:
            names[1] += 1
            if meets(spelling, row["participants"]):
                names[0] += 1
            elif show:
                print(f"  name  {row['id']}: {spelling!r} meets none of {row['participants']}")
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
        if row.get("event") and row.get("date"):
            dates[1] += 1
            text = "\n".join(part for part in (row.get("title"), row.get("lead"), row["text"]) if part)
            found = {mention.date for mention in dates_in(text, row["language"], row.get("published"))}
            if row["date"] in found:
                dates[0] += 1
            elif show:
                print(f"  date  {row['id']}: {row['date']} not in {sorted(found)} (published {row.get('published')})")

    def ratio(pair: list[int]) -> str:
        return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})" if pair[1] else "-"

    out = {"names": ratio(names), "dates": ratio(dates)}
    if declined["pymorphy3"][1]:
        out |= {f"declined {method}": ratio(pair) for method, pair in declined.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the meetings-dev folder (readouts.jsonl)")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.data / "readouts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    for half in ("tune", "holdout"):
        members = set(split[half])
        for language in LANGUAGES:
            chosen = [row for row in rows if row["id"] in members and row["language"] == language]
            if args.show:
                print(f"{half} {language}:")
            result = score(chosen, args.show)
            print(f"{half:8} {language}  readouts {len(chosen):3}  " + "  ".join(f"{k} {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
