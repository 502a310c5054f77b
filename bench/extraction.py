"""Benchmark: the generic main-text extractor against trafilatura, cross-evaluated on the two extraction dev sets.

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
  positive, summed over all pages.

Scores that count are on pages whose publisher or site nothing was tuned on,
in three directions: tuned on the snippet set and scored on the news set, the
reverse, and leave one news publisher out (each publisher's pages scored by an
extractor tuned on every other page of both sets). Sites present in both sets
(four) never sit on both sides of a fold. Each fold gets its own extractor from
`fit`; a fixed extractor tunes on nothing, so for it every fold is the same.

± is the bootstrap standard deviation over 1,000 resamplings of the pages.
Only the extractor call is timed, on already-decoded HTML (decoded as a
harvest decodes it), in CPU time (the process's own, so that other people's
work on a shared machine does not count), the extractors taking turns within
each pass, each on its own copy of the page: the median of N passes per page,
summed into pages per CPU-second. Every fold is fitted before any of its pages is
timed, and numpy's BLAS runs on one thread, so that no fit's work is billed to an
extractor.

Every page of both sets is an article, so each page the page type rejects is
a false rejection; their rate is printed, with the reason for each.

The targets, in each direction: F1 above trafilatura's better mode, at least
10x the pages per CPU-second of its faster mode; false rejections under 1 %.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from harvester.extract.generic import BlockModel

# The model is fitted with numpy, whose BLAS starts helper threads that keep spinning on the CPU for a while
# after each fit; process CPU time counts them, and they were billed to whichever extractor was timed next
# (twice ours' real cost in the leave-one-publisher-out direction, which fits 16 times). One thread: the
# fits are small, and the timed extractors are single-threaded.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

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


def score_snippets(predicted: str, entry: dict[str, Any]) -> SnippetScore:
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
    pages: list[Any], total: Callable[[list[Any]], SetScore] = aggregate, resamples: int = BOOTSTRAP, seed: int = 0
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


def load_snippet_set(data: Path) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
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


def page_scores(outputs: dict[str, str], gold: dict[str, str]) -> dict[str, PageScore]:
    return {page_id: score_page(outputs.get(page_id, ""), text) for page_id, text in gold.items()}


def site_of(url: str, file: str = "") -> str:
    """The site a page belongs to, for keeping a site's pages out of the model scored on them: the host
    without "www.", the archived page's host for a web-archive address, and the file name's leading domain
    for the snippet entries keyed by a label instead of an address."""
    host = urlsplit(url).hostname
    if host == "web.archive.org":
        archived = re.sub(r"^/web/[^/]*/", "", urlsplit(url).path)
        host = urlsplit(archived if "://" in archived else f"http://{archived}").hostname
    if not host:
        host = re.split(r"[-_]", (url.partition("::")[2] or file).lower())[0].removesuffix(".html")
    return host.removeprefix("www.")


@dataclass(frozen=True)
class Page:
    """One page of either dev set: the snippet set's entry in `entry`, the news set's gold text in `gold`."""

    id: str
    set: str  # NEWS or SNIPPETS
    html: str
    url: str
    site: str
    publisher: str  # the news set's publisher (its id prefix); the site for the snippet set
    gold: str = ""
    entry: dict[str, Any] | None = None


NEWS, SNIPPETS = "news", "snippets"
Extractor = Callable[[str, str], str | None]
# Tunes an extractor on the given pages: the learnt extractor is fitted on them, a fixed one ignores them.
Fit = Callable[[list[Page]], Extractor]


def load_dev_sets(data: Path, snippets: Path) -> list[Page]:
    """Both dev sets as one list of pages, news first."""
    pages = load_pages(data)
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    out = [
        Page(page_id, NEWS, html, truth[page_id]["url"], site_of(truth[page_id]["url"]), page_id.rsplit("_", 1)[0],
             gold=truth[page_id]["articleBody"])
        for page_id, html in pages.items()
    ]
    snippet_pages, entries = load_snippet_set(snippets)
    for name, html in snippet_pages.items():
        site = site_of(entries[name]["url"], name)
        out.append(Page(name, SNIPPETS, html, entries[name]["url"], site, site, entry=entries[name]))
    return out


@dataclass(frozen=True)
class Fold:
    """Pages to tune on and pages to score, no site in both."""

    train: list[Page]
    test: list[Page]


@dataclass(frozen=True)
class Direction:
    name: str
    set: str
    folds: list[Fold]


def directions(pages: list[Page]) -> list[Direction]:
    """The cross-evaluation: tune on the snippet set and score the news set, the reverse, and leave one news
    publisher out (tuned on every other page of both sets). Sites in both sets are kept out of the tuning
    side, or out of the scored side where the other set is the one scored. The folds are fixed by site:
    nothing is drawn at random."""
    news = [p for p in pages if p.set == NEWS]
    snippets = [p for p in pages if p.set == SNIPPETS]
    news_sites = {p.site for p in news}
    publishers = sorted({p.publisher for p in news})
    return [
        Direction("tuned on snippets, scored on news", NEWS,
                  [Fold([p for p in snippets if p.site not in news_sites], news)]),
        Direction("tuned on news, scored on snippets", SNIPPETS,
                  [Fold(news, [p for p in snippets if p.site not in news_sites])]),
        Direction("leave one news publisher out", NEWS, [
            Fold(
                [p for p in pages if p.site not in sites],
                [p for p in news if p.publisher == publisher],
            )
            for publisher in publishers
            for sites in [{p.site for p in news if p.publisher == publisher}]
        ]),
    ]


@dataclass(frozen=True)
class Timed:
    """An extractor's text and median CPU seconds per page."""

    text: dict[str, str]
    seconds: dict[str, float]


def time_pages(extractors: dict[str, Extractor], pages: list[Page], passes: int) -> dict[str, Timed]:
    """Run the extractors over the pages, N passes, the extractors taking turns within each pass, in CPU
    time: the extractors are single-threaded and compute-bound, and on a machine shared with others wall
    time mostly measures the others."""
    text: dict[str, dict[str, str]] = {name: {} for name in extractors}
    times: dict[str, dict[str, list[float]]] = {name: {p.id: [] for p in pages} for name in extractors}
    for _ in range(passes):
        for name, extractor in extractors.items():
            for page in pages:
                # a copy of its own for each: none gains from the UTF-8 form Python caches on a string another used
                html = (page.html + " ")[:-1]
                start = time.process_time()
                out = extractor(html, page.url)
                times[name][page.id].append(time.process_time() - start)
                text[name][page.id] = out or ""
    return {
        name: Timed(text[name], {page_id: statistics.median(t) for page_id, t in times[name].items()})
        for name in extractors
    }


def score(page: Page, text: str) -> PageScore | SnippetScore:
    return score_page(text, page.gold) if page.set == NEWS else score_snippets(text, page.entry or {})


@dataclass(frozen=True)
class Row:
    name: str
    total: SetScore
    spread: SetScore
    pages_per_s: float
    median_ms: float
    scores: dict[str, PageScore | SnippetScore]


def row(name: str, pages: list[Page], text: dict[str, str], seconds: dict[str, float], set_: str) -> Row:
    scores = {p.id: score(p, text[p.id]) for p in pages}
    # A news page scores a PageScore, a snippet page a SnippetScore: the set says which `total` takes them.
    total: Callable[[list[Any]], SetScore] = aggregate if set_ == NEWS else aggregate_snippets
    cpu = sum(seconds[p.id] for p in pages)
    return Row(
        name, total(list(scores.values())), bootstrap(list(scores.values()), total),
        len(pages) / cpu if cpu else float("inf"), statistics.median(seconds[p.id] for p in pages) * 1000, scores,
    )


@dataclass(frozen=True)
class Verdict:
    """Whether ours met the targets in one direction."""

    name: str
    f1_ahead: bool
    fast_enough: bool


def report(direction: Direction, rows: list[Row], theirs: list[Row], worst: int) -> Verdict:
    """Print one direction's table (ours first, then other readings of ours, then trafilatura's), ratios,
    worst pages and targets."""
    ours = rows[0]
    rows = rows + theirs
    scored = sum(len(f.test) for f in direction.folds)
    trained = statistics.median(len(f.train) for f in direction.folds)
    print(f"\n== {direction.name}: {scored} pages scored, {len(direction.folds)} fold(s), "
          f"median {trained:.0f} pages tuned on per fold")
    header = f"{'extractor':<30} {'F1':>15} {'precision':>15} {'recall':>15} {'pages/CPU-s':>12} {'ms/page':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<30} {r.total.f1:>7.3f} ± {r.spread.f1:.3f} {r.total.precision:>7.3f} ± {r.spread.precision:.3f}"
            f" {r.total.recall:>7.3f} ± {r.spread.recall:.3f} {r.pages_per_s:>12.1f} {r.median_ms:>8.2f}"
        )
    for r in theirs:
        print(f"  ours vs {r.name:<30} F1 x{ours.total.f1 / r.total.f1:.3f}   pages/CPU-s x{ours.pages_per_s / r.pages_per_s:.1f}")
    if worst:
        if direction.set == NEWS:
            def badness(s: PageScore | SnippetScore) -> float:
                assert isinstance(s, PageScore)
                return min(s.precision or 0.0, s.recall or 0.0)

            def detail(s: PageScore | SnippetScore) -> str:
                assert isinstance(s, PageScore)
                return f"P {'empty' if s.precision is None else f'{s.precision:.3f}'}  R {s.recall or 0.0:.3f}"
        else:
            def badness(s: PageScore | SnippetScore) -> float:
                assert isinstance(s, SnippetScore)
                return -(s.fn + s.fp)

            def detail(s: PageScore | SnippetScore) -> str:
                assert isinstance(s, SnippetScore)
                return f"missed {s.fn} of {s.tp + s.fn}, leaked {s.fp} of {s.fp + s.tn}"
        print(f"{worst} worst pages for ours")
        for page_id, s in sorted(ours.scores.items(), key=lambda item: badness(item[1]))[:worst]:
            print(f"  {page_id:<48} {detail(s)}")
    best = max(theirs, key=lambda r: r.total.f1)
    fastest = max(theirs, key=lambda r: r.pages_per_s)
    f1_ok = ours.total.f1 > best.total.f1
    speed_ok = ours.pages_per_s >= SPEEDUP_TARGET * fastest.pages_per_s
    print(f"targets: F1 > trafilatura's better mode ({best.name}, {best.total.f1:.3f}): {'yes' if f1_ok else 'NO'};"
          f" pages/CPU-s >= {SPEEDUP_TARGET:.0f}x its faster mode ({fastest.name}, {fastest.pages_per_s:.1f}):"
          f" {'yes' if speed_ok else 'NO'}")
    return Verdict(direction.name, f1_ok, speed_ok)


def fixed(extractor: Extractor) -> Fit:
    """An extractor that tunes on nothing: every fold gets the same one."""
    return lambda train: extractor


def structural() -> BlockModel:
    """The block model that keeps exactly what the structural reading keeps: the extractor before it
    learnt anything, for comparison in the same run."""
    from harvester.extract.generic import FEATURES, BlockModel

    return BlockModel.from_names(dict.fromkeys(FEATURES, 0.0) | {"kept": 1.0}, -0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="news dev set folder (default ../shared/extraction-dev)")
    parser.add_argument(
        "--snippets", type=Path, default=DEFAULT_SNIPPETS,
        help="snippet dev set folder (default ../shared/extraction-dev-snippets)",
    )
    parser.add_argument("--passes", type=int, default=3, help="timed passes; the median is reported (default 3)")
    parser.add_argument("--worst", type=int, default=5, help="worst pages of ours to list per direction (default 5)")
    args = parser.parse_args(argv)

    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from bench.train_extractor import extractor, fit

    from harvester.extract.pagetype import page_type

    # What the extract stage does with a page: the page type first, then the text of an article. The model
    # is fitted on each fold's pages; the structural reading alone tunes on nothing.
    ours: dict[str, Fit] = {
        "ours (page type + model)": fit,
        "ours, structural reading alone": fixed(extractor(structural())),
    }
    # trafilatura is given the page alone, as before; it would use the URL for metadata only
    theirs: dict[str, Extractor] = {
        "trafilatura default": lambda html, url: trafilatura.extract(html, include_comments=False),
        "trafilatura favor_precision": lambda html, url: trafilatura.extract(
            html, include_comments=False, favor_precision=True
        ),
    }

    pages = load_dev_sets(args.data, args.snippets)
    for set_ in (NEWS, SNIPPETS):
        some = [p for p in pages if p.set == set_]
        megabytes = sum(len(p.html.encode("utf-8")) for p in some) / 1e6
        rejected = [f"{p.id}: {verdict.reason}" for p in some if not (verdict := page_type(p.html, p.url))]
        print(f"{set_} set: {len(some)} pages of {len({p.publisher for p in some})} publishers/sites,"
              f" {megabytes:.1f} MB decoded; page type: {len(rejected)} judged not an article"
              f" ({len(rejected) / len(some):.2%} false rejections, target < {REJECTION_TARGET:.0%})")
        for line in rejected:
            print(f"  rejected {line}")
    print(f"{args.passes} timed passes per page (median, CPU time); ± is the bootstrap standard deviation")

    verdicts = []
    for direction in directions(pages):
        text: dict[str, dict[str, str]] = {}
        seconds: dict[str, dict[str, float]] = {}
        # Every fold is fitted before any page is timed: fitting is not extraction, and its work (memory
        # churn, helper threads) must not be billed to the next extractor timed.
        fitted = [{name: fit_one(fold.train) for name, fit_one in ours.items()} for fold in direction.folds]
        for fold, extractors in zip(direction.folds, fitted):
            for name, run in time_pages(extractors | theirs, fold.test, args.passes).items():
                text.setdefault(name, {}).update(run.text)
                seconds.setdefault(name, {}).update(run.seconds)
        scored = [p for fold in direction.folds for p in fold.test]
        rows = {name: row(name, scored, text[name], seconds[name], direction.set) for name in text}
        verdicts.append(report(direction, [rows[name] for name in ours], [rows[name] for name in theirs], args.worst))
        model, alone = ours
        changed = sum(text[model][p.id] != text[alone][p.id] for p in scored)
        print(f"the model changed the text of {changed} of {len(scored)} pages from the structural reading alone")

    print("\nall targets met in this run:", "yes" if all(v.f1_ahead and v.fast_enough for v in verdicts) else "NO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
