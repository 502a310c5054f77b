"""Benchmark: the generic main-text extractor against trafilatura on the extraction dev set.

Usage: .venv/bin/python bench/extraction.py [--data DIR] [--passes N] [--worst K]

Scores `main_text` (harvester.extract.generic, re-exported by harvester.extract)
and trafilatura 2.x (default and `favor_precision=True`) with the dev set's own
metric: 4-token shingles of `\\w+` tokens, case-sensitive, counted as
multisets; P is the mean page precision over pages with a non-empty
prediction, R the mean page recall, F1 their harmonic mean (not a mean of page
F1s); ± is the bootstrap standard deviation over 1,000 resamplings of the
pages. Only the extractor call is timed, on already-decoded HTML; each row is
the median of N passes, all in the same run so the speed ratios are fair on
any machine.

The targets: F1 at or above trafilatura's best mode, and at least 10x its pages/s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev"
TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000
SPEEDUP_TARGET = 10.0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


@dataclass(frozen=True)
class PageScore:
    precision: float | None  # None when the prediction has no shingle: left out of P
    recall: float | None  # None when the gold is empty: left out of R
    exact: bool


def score_page(predicted: str, gold: str) -> PageScore:
    pred, ref = shingles(predicted), shingles(gold)
    tp = sum((pred & ref).values())
    fp = sum((pred - ref).values())
    fn = sum((ref - pred).values())
    exact = TOKEN.findall(predicted) == TOKEN.findall(gold)
    if fp == 0 and fn == 0:
        return PageScore(1.0, 1.0, exact)
    return PageScore(
        tp / (tp + fp) if pred else None,
        tp / (tp + fn) if ref else None,
        exact,
    )


@dataclass(frozen=True)
class SetScore:
    f1: float
    precision: float
    recall: float
    accuracy: float


def aggregate(pages: list[PageScore]) -> SetScore:
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return SetScore(f1, precision, recall, accuracy)


def bootstrap(pages: list[PageScore], resamples: int = BOOTSTRAP, seed: int = 0) -> SetScore:
    """Standard deviations of the set scores over resamplings of the pages."""
    rng = random.Random(seed)
    draws = [aggregate(rng.choices(pages, k=len(pages))) for _ in range(resamples)]
    return SetScore(
        statistics.stdev(d.f1 for d in draws),
        statistics.stdev(d.precision for d in draws),
        statistics.stdev(d.recall for d in draws),
        statistics.stdev(d.accuracy for d in draws),
    )


def load_pages(data: Path) -> dict[str, str]:
    return {
        path.name.removesuffix(".html.gz"): gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted((data / "html").glob("*.html.gz"))
    }


def load_gold(path: Path) -> dict[str, str]:
    return {page_id: entry["articleBody"] for page_id, entry in json.loads(path.read_text("utf-8")).items()}


@dataclass(frozen=True)
class Run:
    name: str
    outputs: dict[str, str]
    pages_per_s: float
    mb_per_s: float
    median_ms: float


def run_all(extractors: dict[str, Callable[[str], str]], pages: dict[str, str], passes: int) -> list[Run]:
    """Time every extractor over every page, pass by pass in turn, so a busy spell on the machine falls on
    all of them alike rather than on whichever ran then."""
    megabytes = sum(len(html.encode("utf-8")) for html in pages.values()) / 1e6
    totals: dict[str, list[float]] = {name: [] for name in extractors}
    per_page: dict[str, dict[str, list[float]]] = {name: {page_id: [] for page_id in pages} for name in extractors}
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    for _ in range(passes):
        for name, extractor in extractors.items():
            total = 0.0
            for page_id, html in pages.items():
                start = time.perf_counter()
                text = extractor(html)
                elapsed = time.perf_counter() - start
                total += elapsed
                per_page[name][page_id].append(elapsed)
                outputs[name][page_id] = text or ""
            totals[name].append(total)
    runs = []
    for name in extractors:
        seconds = statistics.median(totals[name])
        page_ms = statistics.median(statistics.median(times) for times in per_page[name].values()) * 1000
        runs.append(Run(name, outputs[name], len(pages) / seconds, megabytes / seconds, page_ms))
    return runs


def page_scores(outputs: dict[str, str], gold: dict[str, str]) -> dict[str, PageScore]:
    return {page_id: score_page(outputs.get(page_id, ""), text) for page_id, text in gold.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"dev set folder (default {DEFAULT_DATA})")
    parser.add_argument("--passes", type=int, default=3, help="timed passes; the median is reported (default 3)")
    parser.add_argument("--worst", type=int, default=10, help="worst pages of ours to list (default 10)")
    args = parser.parse_args(argv)

    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from harvester.extract.generic import main_text

    pages = load_pages(args.data)
    gold = load_gold(args.data / "ground-truth.json")
    optional_gold = args.data / "variants" / "with-optional" / "ground-truth.json"
    megabytes = sum(len(html.encode("utf-8")) for html in pages.values()) / 1e6
    print(f"{len(pages)} pages, {megabytes:.1f} MB decoded, {args.passes} passes (median)\n")

    runs = run_all(
        {
            "ours (harvester generic)": main_text,
            "trafilatura default": lambda html: trafilatura.extract(html, include_comments=False),
            "trafilatura favor_precision": lambda html: trafilatura.extract(
                html, include_comments=False, favor_precision=True
            ),
        },
        pages,
        args.passes,
    )
    ours, *theirs = runs
    scores = {r.name: page_scores(r.outputs, gold) for r in runs}
    totals = {name: aggregate(list(s.values())) for name, s in scores.items()}

    header = (
        f"{'extractor':<30} {'F1':>15} {'precision':>15} {'recall':>15} {'accuracy':>8}"
        f" {'pages/s':>9} {'MB/s':>8} {'ms/page':>8}"
    )
    print("primary gold (ground-truth.json)")
    print(header)
    print("-" * len(header))
    for r in runs:
        total, spread = totals[r.name], bootstrap(list(scores[r.name].values()))
        print(
            f"{r.name:<30} {total.f1:>7.3f} ± {spread.f1:.3f} {total.precision:>7.3f} ± {spread.precision:.3f}"
            f" {total.recall:>7.3f} ± {spread.recall:.3f} {total.accuracy:>8.3f}"
            f" {r.pages_per_s:>9.1f} {r.mb_per_s:>8.1f} {r.median_ms:>8.2f}"
        )

    if optional_gold.exists():
        inclusive = load_gold(optional_gold)
        print("\ninclusive gold (variants/with-optional): F1 / P / R")
        for r in runs:
            total = aggregate(list(page_scores(r.outputs, inclusive).values()))
            print(f"  {r.name:<30} {total.f1:.3f} / {total.precision:.3f} / {total.recall:.3f}")

    print("\nratios, ours / theirs")
    for r in theirs:
        print(
            f"  vs {r.name:<30} F1 x{totals[ours.name].f1 / totals[r.name].f1:.3f}"
            f"   pages/s x{ours.pages_per_s / r.pages_per_s:.1f}"
        )

    worst = sorted(
        scores[ours.name].items(),
        key=lambda item: min(item[1].precision or 0.0, item[1].recall or 0.0),
    )[: args.worst]
    print(f"\n{len(worst)} worst pages for ours (by min of P and R)")
    print(f"  {'id':<24} {'P':>6} {'R':>6}")
    for page_id, s in worst:
        precision = "empty" if s.precision is None else f"{s.precision:.3f}"
        print(f"  {page_id:<24} {precision:>6} {s.recall or 0.0:>6.3f}")

    best = max(theirs, key=lambda r: totals[r.name].f1)
    fastest = max(theirs, key=lambda r: r.pages_per_s)
    f1_ok = totals[ours.name].f1 >= totals[best.name].f1
    speed_ok = ours.pages_per_s >= SPEEDUP_TARGET * fastest.pages_per_s
    print("\ntargets")
    print(f"  F1 >= trafilatura best mode ({best.name}, {totals[best.name].f1:.3f}): {'yes' if f1_ok else 'NO'}")
    print(
        f"  pages/s >= {SPEEDUP_TARGET:.0f}x trafilatura ({fastest.name}, {fastest.pages_per_s:.1f}):"
        f" {'yes' if speed_ok else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
