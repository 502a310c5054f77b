"""Benchmark: our SQLite duplicate index against datasketch's in-memory MinHashLSH.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/dedup.py                  # 10k and 100k documents
    .venv/bin/python bench/dedup.py --sizes 2000     # a quick look

A synthetic corpus of readout-like texts is generated document by document
(nothing is held in memory): unique readouts built from a 20,000-word vocabulary
with the formulaic sentences real readouts share, and planted copies of earlier
ones: exact copies, near copies (5 % of the words edited, other boilerplate
around them), excerpts (a run of paragraphs) and hard negatives (distinct
readouts made largely of formulaic sentences). Each engine runs in its own
process over the same corpus, so its peak resident memory is its own; the time
counted is the engine's alone, not the generator's.

A reported duplicate is right when it points at the planted original (or a
copy of it). Precision is over all reported duplicates; recall is per kind.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 20151123
KINDS = ("exact", "near", "excerpt")
# Share of documents of each role; the rest are unique readouts.
ROLES = (("exact", 0.08), ("near", 0.10), ("excerpt", 0.06), ("negative", 0.06))
SYLLABLES = "ba be bi bo bu da de di do du fa fe fi ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi za zo".split()


def _vocabulary() -> list[str]:
    rng = random.Random(SEED)
    words: set[str] = set()
    while len(words) < 20_000:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = _vocabulary()
_formula_rng = random.Random(SEED + 1)
FORMULAS = [" ".join(_formula_rng.choices(VOCABULARY[:400], k=_formula_rng.randint(8, 14))).capitalize() + "." for _ in range(60)]
BOILERPLATE = [" ".join(_formula_rng.choices(VOCABULARY[:400], k=_formula_rng.randint(6, 12))).capitalize() + "." for _ in range(40)]


@dataclass(frozen=True)
class Label:
    role: str  # "unique", "negative", or a duplicate kind
    original: int | None = None


def label(i: int) -> Label:
    """What document `i` is: cheap, and the same in every process."""
    rng = random.Random(SEED * 1_000_003 + i)
    draw, role = rng.random(), "unique"
    for name, share in ROLES:
        if draw < share:
            role = name
            break
        draw -= share
    if role in KINDS:
        for _ in range(50):
            j = i - rng.randint(1, min(i, 5000)) if i else -1
            if j >= 0 and label(j).role == "unique":
                return Label(role, j)
        return Label("unique")
    return Label(role)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(VOCABULARY, k=rng.randint(8, 18))).capitalize() + "."


def _unique_text(i: int, formulaic: float) -> list[str]:
    rng = random.Random(SEED * 7 + i)
    paragraphs = []
    for _ in range(rng.randint(3, 8)):
        sentences = [rng.choice(FORMULAS) if rng.random() < formulaic else _sentence(rng) for _ in range(rng.randint(2, 5))]
        paragraphs.append(" ".join(sentences))
    return paragraphs


def document(i: int) -> str:
    found = label(i)
    rng = random.Random(SEED * 13 + i)
    if found.role in ("unique", "negative"):
        return "\n\n".join(_unique_text(i, 0.15 if found.role == "unique" else 0.5))
    assert found.original is not None, "a duplicate kind always has its original"
    original = _unique_text(found.original, 0.15)
    if found.role == "exact":
        return "\n\n".join(original)
    if found.role == "excerpt":
        # a quoted passage: a run of paragraphs, 40 words at least (shorter ones are only ever exact duplicates)
        size = max(1, round(len(original) * rng.uniform(0.25, 0.5)))
        start = rng.randint(0, len(original) - size)
        while len(" ".join(original[start : start + size]).split()) < 40 and size < len(original) - 1:
            size += 1
            start = min(start, len(original) - size)
        return "\n\n".join(original[start : start + size])
    paragraphs = []
    for paragraph in original:
        words = paragraph.split(" ")
        for k in rng.sample(range(len(words)), k=round(len(words) * 0.05)):
            words[k] = rng.choice(VOCABULARY)
        paragraphs.append(" ".join(words))
    header = " ".join(rng.sample(BOILERPLATE, 2))
    return "\n\n".join([header, *paragraphs, rng.choice(BOILERPLATE)])


def corpus(size: int) -> Iterator[tuple[int, str]]:
    for i in range(size):
        yield i, document(i)


# --- engines ------------------------------------------------------------------------


def run_ours(size: int, directory: Path) -> tuple[dict[int, int], float]:
    from harvester.dedupe import Identity
    from harvester.store.identity import Identifier
    from harvester.store.schema import DDL

    conn = sqlite3.connect(directory / "bench.db", isolation_level=None)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma cache_size = -16000")  # 16 MB, whatever the corpus size
    conn.execute(
        "create table readouts (id integer primary key, text text, content_hash text, duplicate_of integer,"
        " duplicate_kind text, similarity float, meeting_id integer)"
    )
    conn.execute("create index readouts_content_hash on readouts (content_hash)")
    for statement in DDL.split(";"):
        conn.execute(statement)
    identifier = Identifier(conn, Identity.default())
    spent = 0.0
    conn.execute("begin")
    for i, text in corpus(size):
        started = time.perf_counter()
        conn.execute("insert into readouts (id, text) values (?, ?)", [i, text])
        identifier.identify(i, text)
        if i % 1000 == 999:
            conn.execute("commit")
            conn.execute("begin")
        spent += time.perf_counter() - started
    conn.execute("commit")
    predictions = dict(conn.execute("select id, duplicate_of from readouts where duplicate_of is not null"))
    return predictions, spent


def run_datasketch(size: int, directory: Path) -> tuple[dict[int, int], float]:
    from datasketch import MinHash, MinHashLSH

    from harvester.dedupe import shingles, words

    from harvester.config import DedupeSettings

    lsh = MinHashLSH(threshold=DedupeSettings().near, num_perm=128)
    predictions: dict[int, int] = {}
    spent = 0.0
    for i, text in corpus(size):
        started = time.perf_counter()
        signature = MinHash(num_perm=128)
        signature.update_batch([" ".join(s).encode() for s in shingles(words(text), 3)])
        found = lsh.query(signature)
        if found:
            predictions[i] = min(found)
        else:
            lsh.insert(i, signature)
        spent += time.perf_counter() - started
    return predictions, spent


ENGINES = {"ours": run_ours, "datasketch": run_datasketch}


def evaluate(size: int, predictions: dict[int, int]) -> dict[str, float]:
    def root(i: int) -> int:
        found = label(i)
        return i if found.original is None else found.original  # only the duplicate KINDS have one

    planted = {kind: 0 for kind in KINDS}
    hits = {kind: 0 for kind in KINDS}
    right = 0
    for i in range(size):
        found = label(i)
        if found.role in KINDS:
            planted[found.role] += 1
        if i in predictions and found.role in KINDS and root(predictions[i]) == found.original:
            right += 1
            hits[found.role] += 1
    result = {"precision": right / len(predictions) if predictions else 1.0}
    result.update({f"recall_{kind}": hits[kind] / planted[kind] if planted[kind] else 1.0 for kind in KINDS})
    return result


def child(engine: str, size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as directory:
        predictions, spent = ENGINES[engine](size, Path(directory))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs_per_s": size / spent, "peak_mb": peak_mb, "seconds": spent, **evaluate(size, predictions)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes (documents)")
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES))
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    print(f"{'engine':<11} {'docs':>7} {'precision':>9} {'exact':>7} {'near':>7} {'excerpt':>7} {'docs/s':>8} {'peak MB':>8}")
    results: dict[tuple[str, int], dict[str, float]] = {}
    for size in args.sizes:
        for engine in args.engines:
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(size)], capture_output=True, text=True, check=True
            ).stdout
            r = results[engine, size] = json.loads(out)
            print(
                f"{engine:<11} {size:>7} {r['precision']:>9.4f} {r['recall_exact']:>7.4f} {r['recall_near']:>7.4f}"
                f" {r['recall_excerpt']:>7.4f} {r['docs_per_s']:>8.0f} {r['peak_mb']:>8.1f}",
                flush=True,
            )
    for size in args.sizes:
        ours, theirs = results.get(("ours", size)), results.get(("datasketch", size))
        if ours and theirs:
            print(
                f"ours / datasketch at {size}: docs/s x{ours['docs_per_s'] / theirs['docs_per_s']:.2f},"
                f" peak memory x{ours['peak_mb'] / theirs['peak_mb']:.2f},"
                f" excerpt recall x{ours['recall_excerpt'] / theirs['recall_excerpt']:.2f}"
            )


if __name__ == "__main__":
    main()
