"""Benchmark: how a search's time grows with the query's length.

Usage: .venv/bin/python bench/search.py [--readouts 2000] [--words 1250,2500,5000,10000,20000] [--runs 3]

Generates a corpus (bench/serve.py's generator, with the store's schema and its
search index), then, in the same run and on the same corpus, times queries of
N words drawn from the corpus's own vocabulary:

- baseline: the search page's work with the words handed to FTS5 as typed, as
  the page did before it read queries itself (a plain list of words is valid
  FTS5 syntax): counting, ranking, a page of rows with snippets;
- harvester: the search page's work, called as the page calls it, on Datasette
  with the project's plugin: reading the query, counting, ranking, a page of
  rows with snippets, "did you mean" when nothing matches. (Not through the
  HTTP client: a 20,000-word query is a URL longer than httpx accepts.)

Prints the median per length and the ratio of each time to the time at the
length before. The target: the harvester's time grows no faster than the
length, from the shortest query to the longest (times of a few milliseconds
jump with the machine's load, so the step-by-step ratios are shown, not judged).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from datasette.app import Datasette  # noqa: E402

from bench.serve import generate, vocabulary  # noqa: E402
from harvester.publish import PLUGINS, TEMPLATES  # noqa: E402
from harvester.search import Search, suggestion  # noqa: E402
from harvester.search_query import SearchQuery  # noqa: E402

RESULTS_PER_PAGE = 20

SEED = 2016  # bench/serve.py's: the same vocabulary the corpus was written with


def query(words: list[str], length: int, rng: random.Random) -> str:
    return " ".join(rng.choices(words, k=length))


async def search_page_work(datasette: Datasette, text: str, *, as_typed: bool = False) -> None:
    search = Search.from_args({"q": text})
    if as_typed:
        search = replace(search, query=SearchQuery(text, (), ()))
    total, _ = await search.counts(datasette, "readouts")
    await search.rows(datasette, "readouts", await search.ids(datasette, "readouts", RESULTS_PER_PAGE + 1))
    if not total:
        await suggestion(datasette, "readouts", search)


def timed(datasette: Datasette, loop: asyncio.AbstractEventLoop, text: str, *, as_typed: bool = False) -> float:
    started = time.perf_counter()
    loop.run_until_complete(search_page_work(datasette, text, as_typed=as_typed))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readouts", type=int, default=2000)
    parser.add_argument("--words", default="1250,2500,5000,10000,20000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lengths = [int(n) for n in args.words.split(",")]
    words = vocabulary(random.Random(SEED))
    with tempfile.TemporaryDirectory(prefix="harvester-bench-search-") as folder:
        database = Path(folder) / "readouts.db"
        generate(database, args.readouts, SEED)
        datasette = Datasette([str(database)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
                              settings={"sql_time_limit_ms": 60_000})
        loop = asyncio.new_event_loop()
        timed(datasette, loop, "warm up")
        rng = random.Random(7)
        results: dict[str, dict[int, float]] = {"baseline": {}, "harvester": {}}
        for length in lengths:
            texts = [query(words, length, rng) for _ in range(args.runs)]
            results["baseline"][length] = statistics.median(timed(datasette, loop, text, as_typed=True) for text in texts)
            results["harvester"][length] = statistics.median(timed(datasette, loop, text) for text in texts)
        loop.close()
    print(f"{args.readouts} readouts, median of {args.runs} queries per length")
    print(f"{'words':>7} {'baseline ms':>12} {'ratio':>6} {'harvester ms':>13} {'ratio':>6}")
    for index, length in enumerate(lengths):
        cells = [f"{length:>7}"]
        for name in ("baseline", "harvester"):
            value = results[name][length]
            previous = results[name].get(lengths[index - 1]) if index else None
            ratio = value / previous if previous else None
            cells.append(f"{value * 1000:>12.1f}" if name == "baseline" else f"{value * 1000:>13.1f}")
            cells.append(f"{ratio:>6.2f}" if ratio else f"{'':>6}")
        print(" ".join(cells))
    first, last = lengths[0], lengths[-1]
    growth = {name: results[name][last] / results[name][first] for name in results}
    print(f"{first} → {last} words ({last / first:.0f}x): baseline {growth['baseline']:.1f}x, harvester {growth['harvester']:.1f}x")
    holds = growth["harvester"] <= last / first
    print(f"target: the harvester's time grows no faster than the query's length: {'holds' if holds else 'FAILS'}")


if __name__ == "__main__":
    main()
