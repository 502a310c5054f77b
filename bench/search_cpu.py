"""Benchmark: where a search page's CPU time goes, step by step, on a corpus `bench/serve.py` generated.

Usage: .venv/bin/python bench/search_cpu.py --dir DIR [--runs 7] [QUERY ...]

DIR is a `bench/serve.py --dir` folder (its `readouts.db` is brought up to date
as `harvester serve` would, then only read). Without queries, the four of
`bench/serve.py`: `Putin` (its best matches ranked ahead), the generated word in
about one readout of seven, `Putin Lavrov` and the phrase `"Putin meets"`.

Each step of the search page is called as the page calls it, on Datasette with
the project's plugin, one after the other (the page runs the first two at once),
and the process's CPU time is taken around it: counting the matches and the
copies among them, ranking the best unique matches of the first page, reading
the page's rows with their snippets; then the whole page through Datasette's
client. Prints the least of `--runs` for each: CPU time, not wall time (on a
machine other work keeps busy, a page's wall time is its CPU time and its wait
for a core), and the least, since a step's CPU time too grows with the load
(shared caches and cores) while its own work does not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from datasette.app import Datasette  # noqa: E402

from bench.serve import generated_word  # noqa: E402
from harvester.datasette_plugins.harvester_web import RESULTS_PER_PAGE  # noqa: E402
from harvester.publish import PLUGINS, SETTINGS, TEMPLATES, effective_metadata, prepare  # noqa: E402
from harvester.search import Search  # noqa: E402


async def cpu_ms(step: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, Any]:
    """The least CPU time of `runs` calls of `step`, in ms, and what its last call returned."""
    times, result = [], None
    for _ in range(runs):
        began = time.process_time()
        result = await step()
        times.append((time.process_time() - began) * 1000)
    return min(times), result


async def profile(corpus: Path, queries: list[str], runs: int) -> None:
    metadata = effective_metadata(corpus, REPO / "datasette-metadata.json", None)
    settings: dict[str, Any] = {name: int(value) if value.isdigit() else value for name, value in SETTINGS.items()}
    settings["suggest_facets"] = False
    datasette = Datasette(
        [str(corpus)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS), metadata=metadata, settings=settings
    )
    await datasette.invoke_startup()
    database = corpus.stem
    print(f"CPU time per step, ms (the least of {runs}; the process's, all threads)")
    print(f"{'query':<34} {'matches':>8} {'count':>7} {'rank':>7} {'rows':>7} {'page':>7}")
    for typed in queries:
        search = Search.from_args({"q": typed})
        url = f"/{database}/-/search?{urllib.parse.urlencode({'q': typed})}"
        for _ in range(2):  # warm-up: the page cache, the connections
            await datasette.client.get(url)
        count, (total, hidden) = await cpu_ms(lambda: search.counts(datasette, database), runs)
        rank, ids = await cpu_ms(lambda: search.ids(datasette, database, RESULTS_PER_PAGE + 1, 0), runs)
        rows, _ = await cpu_ms(lambda: search.rows(datasette, database, ids[:RESULTS_PER_PAGE]), runs)
        page, response = await cpu_ms(lambda: datasette.client.get(url), runs)
        assert response.status_code == 200, (url, response.status_code)
        print(f"{typed:<34} {total + hidden:>8} {count:7.1f} {rank:7.1f} {rows:7.1f} {page:7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="A bench/serve.py --dir folder.")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()
    corpus = args.dir / "readouts.db"
    with tempfile.TemporaryDirectory(prefix="harvester-bench-") as scratch:
        prepare(corpus, metadata=None, archive=None, directory=Path(scratch))
    queries = args.queries or ["Putin", generated_word(corpus)[0], "Putin Lavrov", '"Putin meets"']
    asyncio.run(profile(corpus, queries, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
