"""Benchmark: the generic main-text extractor against trafilatura on both extraction dev sets.

Usage: .venv/bin/python bench/extraction.py [--data DIR] [--snippets DIR] [--passes N] [--worst K]

Scores what the extract stage does with a page, the page type
(harvester.extract.pagetype) and then the generic main text
(harvester.extract.generic; a page judged not an article scores as empty), and
trafilatura 2.x (default and `favor_precision=True`), all in one run, on:

- the news set (`--data`, 80 pages of 16 publishers, gold text), with its own
  metric: 4-token shingles of `\\w+` tokens, case-sensitive, counted as
  multisets; P is the mean page precision over pages with a non-empty
  prediction, R the mean page recall, F1 their harmonic mean (not a mean of
  page F1s);
- the snippet set (`--snippets`, 884 pages of many kinds and languages), with
  its authors' metric: every `with` snippet found in the text (white space
  collapsed) is a true positive, every `without` snippet found a false
  positive, summed over all pages; accuracy is (TP + TN) / all snippets.

± is the bootstrap standard deviation over 1,000 resamplings of the pages.
Only the extractor call is timed, on already-decoded HTML (decoded as a
harvest decodes it), in CPU time (the process's own, so that other people's
work on a shared machine does not count); each row is the median of N passes,
the extractors taking turns within each pass.

Every page of both sets is an article, so each page the page type rejects is
a false rejection; their rate is printed, with the reason for each.

The targets, on each set: F1 above both trafilatura modes, at least 10x the
pages/s of its faster mode, and false rejections under 1 %.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_DATA = SHARED / "extraction-dev"
DEFAULT_SNIPPETS = SHARED / "extraction-dev-snippets"
TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000
SPEEDUP_TARGET = 10.0
REJECTION_TARGET = 0.01


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


def aggregate(pages: Sequence[PageScore]) -> SetScore:
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return SetScore(f1, precision, recall, accuracy)


@dataclass(frozen=True)
class SnippetScore:
    """One page's snippet counts: `with` snippets found (tp) and missed (fn), `without` ones found (fp)
    and absent (tn)."""

    tp: int
    fn: int
    fp: int
    tn: int


def collapse(text: str) -> str:
    return " ".join(text.split())


def score_snippets(predicted: str, entry: dict) -> SnippetScore:
    text = collapse(predicted)
    found = [collapse(s) in text for s in entry["with"] if s is not None]
    leaked = [collapse(s) in text for s in entry["without"] if s is not None]
    return SnippetScore(sum(found), len(found) - sum(found), sum(leaked), len(leaked) - sum(leaked))


def aggregate_snippets(pages: Sequence[SnippetScore]) -> SetScore:
    """Sums over all pages, then P, R, F1 and accuracy; no prediction at all counts as precision 0."""
    tp, fn, fp, tn = (sum(getattr(p, name) for p in pages) for name in ("tp", "fn", "fp", "tn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fn + fp + tn
    return SetScore(f1, precision, recall, (tp + tn) / total if total else 0.0)


def bootstrap(
    pages: list, total: Callable[[list], SetScore] = aggregate, resamples: int = BOOTSTRAP, seed: int = 0
) -> SetScore:
    """Standard deviations of the set scores over resamplings of the pages."""
    rng = random.Random(seed)
    draws = [total(rng.choices(pages, k=len(pages))) for _ in range(resamples)]
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


def load_urls(path: Path) -> dict[str, str]:
    return {page_id: entry["url"] for page_id, entry in json.loads(path.read_text("utf-8")).items()}


def load_snippet_set(data: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """The snippet set's pages, decoded the way a harvest decodes a page (the raw bytes are not all
    UTF-8), and their entries with their "url", both keyed by page file."""
    from harvester.fetch import decode

    entries = {
        entry["file"]: {**entry, "url": url}
        for url, entry in json.loads((data / "evaldata.json").read_text("utf-8")).items()
    }
    pages = {
        name: decode(gzip.decompress((data / "html" / f"{name}.gz").read_bytes())) for name in sorted(entries)
    }
    return pages, entries


@dataclass(frozen=True)
class Run:
    name: str
    outputs: dict[str, str]
    pages_per_s: float
    mb_per_s: float
    median_ms: float


def run_all(
    extractors: dict[str, Callable[[str, str], str | None]], pages: dict[str, str], urls: dict[str, str], passes: int
) -> list[Run]:
    """Time every extractor over every page, pass by pass in turn, in CPU time: the extractors are
    single-threaded and compute-bound, and on a machine shared with others wall time mostly measures the
    others. Each row is the median of the passes."""
    megabytes = sum(len(html.encode("utf-8")) for html in pages.values()) / 1e6
    totals: dict[str, list[float]] = {name: [] for name in extractors}
    per_page: dict[str, dict[str, list[float]]] = {name: {page_id: [] for page_id in pages} for name in extractors}
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    for _ in range(passes):
        for name, extractor in extractors.items():
            total = 0.0
            for page_id, html in pages.items():
                start = time.process_time()
                text = extractor(html, urls[page_id])
                elapsed = time.process_time() - start
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


@dataclass(frozen=True)
class Verdict:
    """Whether ours met the targets on one set."""

    name: str
    f1_ahead: bool
    fast_enough: bool
    rejection_rate: float


def report(
    title: str, runs: list[Run], scores: dict[str, list], total: Callable[[list], SetScore], rejected: list[str],
    pages: int, worst: list[tuple[str, str]],
) -> Verdict:
    """Print one set's table, ratios, worst pages and targets."""
    ours, *theirs = runs
    totals = {r.name: total(scores[r.name]) for r in runs}
    header = (
        f"{'extractor':<30} {'F1':>15} {'precision':>15} {'recall':>15} {'accuracy':>8}"
        f" {'pages/s':>9} {'MB/s':>8} {'ms/page':>8}"
    )
    print(f"\n== {title}")
    print(header)
    print("-" * len(header))
    for r in runs:
        score, spread = totals[r.name], bootstrap(scores[r.name], total)
        print(
            f"{r.name:<30} {score.f1:>7.3f} ± {spread.f1:.3f} {score.precision:>7.3f} ± {spread.precision:.3f}"
            f" {score.recall:>7.3f} ± {spread.recall:.3f} {score.accuracy:>8.3f}"
            f" {r.pages_per_s:>9.1f} {r.mb_per_s:>8.1f} {r.median_ms:>8.2f}"
        )
    print("ratios, ours / theirs")
    for r in theirs:
        print(
            f"  vs {r.name:<30} F1 x{totals[ours.name].f1 / totals[r.name].f1:.3f}"
            f"   pages/s x{ours.pages_per_s / r.pages_per_s:.1f}"
        )
    rate = len(rejected) / pages
    print(f"page type: {len(rejected)} of {pages} pages judged not an article ({rate:.2%} false rejections)")
    for line in rejected:
        print(f"  rejected {line}")
    if worst:
        print(f"{len(worst)} worst pages for ours")
        for page_id, detail in worst:
            print(f"  {page_id:<48} {detail}")

    best = max(theirs, key=lambda r: totals[r.name].f1)
    fastest = max(theirs, key=lambda r: r.pages_per_s)
    f1_ok = all(totals[ours.name].f1 > totals[r.name].f1 for r in theirs)
    speed_ok = ours.pages_per_s >= SPEEDUP_TARGET * fastest.pages_per_s
    print("targets")
    print(f"  F1 > both trafilatura modes (best: {best.name}, {totals[best.name].f1:.3f}): {'yes' if f1_ok else 'NO'}")
    print(
        f"  pages/s >= {SPEEDUP_TARGET:.0f}x trafilatura ({fastest.name}, {fastest.pages_per_s:.1f}):"
        f" {'yes' if speed_ok else 'NO'}"
    )
    print(f"  false rejections < {REJECTION_TARGET:.0%}: {'yes' if rate < REJECTION_TARGET else 'NO'}")
    return Verdict(title, f1_ok, speed_ok, rate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="news dev set folder (default ../shared/extraction-dev)")
    parser.add_argument(
        "--snippets", type=Path, default=DEFAULT_SNIPPETS,
        help="snippet dev set folder (default ../shared/extraction-dev-snippets)",
    )
    parser.add_argument("--passes", type=int, default=3, help="timed passes; the median is reported (default 3)")
    parser.add_argument("--worst", type=int, default=10, help="worst pages of ours to list per set (default 10)")
    args = parser.parse_args(argv)

    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from selectolax.lexbor import LexborHTMLParser

    from harvester.extract.generic import find_main
    from harvester.extract.pagetype import page_type

    def ours(html: str, url: str) -> str:
        """What the extract stage does with a page: the page type first, then the text of an article."""
        main = find_main(LexborHTMLParser(html))
        return main.text if page_type(html, url, main) else ""

    # trafilatura is given the page alone, as before; it would use the URL for metadata only
    extractors: dict[str, Callable[[str, str], str | None]] = {
        "ours (page type + generic)": ours,
        "trafilatura default": lambda html, url: trafilatura.extract(html, include_comments=False),
        "trafilatura favor_precision": lambda html, url: trafilatura.extract(
            html, include_comments=False, favor_precision=True
        ),
    }
    verdicts = []

    pages = load_pages(args.data)
    gold = load_gold(args.data / "ground-truth.json")
    urls = load_urls(args.data / "ground-truth.json")
    megabytes = sum(len(html.encode("utf-8")) for html in pages.values()) / 1e6
    print(f"news set: {len(pages)} pages, {megabytes:.1f} MB decoded; {args.passes} passes (median, CPU time)")
    runs = run_all(extractors, pages, urls, args.passes)
    scores = {r.name: page_scores(r.outputs, gold) for r in runs}
    rejected = [
        f"{page_id}: {verdict.reason}" for page_id, html in pages.items() if not (verdict := page_type(html, urls[page_id]))
    ]
    our_scores = scores[runs[0].name]
    worst = sorted(our_scores.items(), key=lambda item: min(item[1].precision or 0.0, item[1].recall or 0.0))[: args.worst]
    verdicts.append(report(
        "news set (ground-truth.json): mean page P and R over 4-token shingles", runs,
        {name: list(s.values()) for name, s in scores.items()}, aggregate, rejected, len(pages),
        [(page_id, f"P {'empty' if s.precision is None else f'{s.precision:.3f}'}  R {s.recall or 0.0:.3f}")
         for page_id, s in worst],
    ))
    optional_gold = args.data / "variants" / "with-optional" / "ground-truth.json"
    if optional_gold.exists():
        inclusive = load_gold(optional_gold)
        print("inclusive gold (variants/with-optional): F1 / P / R")
        for r in runs:
            total = aggregate(list(page_scores(r.outputs, inclusive).values()))
            print(f"  {r.name:<30} {total.f1:.3f} / {total.precision:.3f} / {total.recall:.3f}")

    snippet_pages, entries = load_snippet_set(args.snippets)
    megabytes = sum(len(html.encode("utf-8")) for html in snippet_pages.values()) / 1e6
    print(f"\nsnippet set: {len(snippet_pages)} pages, {megabytes:.1f} MB decoded; {args.passes} passes (median, CPU time)")
    snippet_urls = {name: entry["url"] for name, entry in entries.items()}
    runs = run_all(extractors, snippet_pages, snippet_urls, args.passes)
    snippet_scores = {
        r.name: {name: score_snippets(r.outputs[name], entries[name]) for name in snippet_pages} for r in runs
    }
    rejected = [
        f"{name}: {verdict.reason}"
        for name, html in snippet_pages.items()
        if not (verdict := page_type(html, snippet_urls[name]))
    ]
    ours_snippets = snippet_scores[runs[0].name]
    worst_snippets = sorted(ours_snippets.items(), key=lambda item: -(item[1].fn + item[1].fp))[: args.worst]
    verdicts.append(report(
        "snippet set (evaldata.json): snippets summed over pages", runs,
        {name: list(s.values()) for name, s in snippet_scores.items()}, aggregate_snippets, rejected,
        len(snippet_pages),
        [(name, f"missed {s.fn} of {s.tp + s.fn}, leaked {s.fp} of {s.fp + s.tn}") for name, s in worst_snippets],
    ))

    print("\nall targets met in this run:", "yes" if all(
        v.f1_ahead and v.fast_enough and v.rejection_rate < REJECTION_TARGET for v in verdicts
    ) else "NO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
