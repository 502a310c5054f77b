"""The generic extractor's block model: its packaged numbers reproduce what the training script measured,
and the cross-evaluation never scores a page of a site its model was fitted on.

bench/train_extractor.py fits the model on both extraction dev sets and writes its numbers, with the scores
it measured, to harvester/extract/generic_model.py; the dev sets themselves stay outside the repository.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from harvester.extract import generic_model
from harvester.extract.generic import FEATURES, MODEL, BlockModel, find_main, main_text, read_blocks
from harvester.extract.pagetype import page_type
from tests.conftest import REPO, SHARED

if TYPE_CHECKING:  # loaded from its file at run time (the `bench` fixture): the script is not imported as bench.extraction
    from bench.extraction import Page

PARAGRAPHS = [
    "The two delegations met for the first time this week, and the ministers spoke of trade.",
    "The two delegations met for the second time this week, and the ministers spoke of <a href='/t'>trade</a>.",
    "The two delegations met for the third time this week, and the ministers spoke of trade.",
]
ARTICLE = (
    "<html><body><div class='menu'><a href='/'>Home</a> <a href='/world'>World</a></div>"
    "<article><h1>Talks in Tehran</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    "<div class='copyright'>All rights reserved, 2024</div></body></html>"
)
FIRST, SECOND, THIRD = (p.replace("<a href='/t'>trade</a>", "trade") for p in PARAGRAPHS)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """bench/extraction.py, which holds the dev sets' metrics and folds; it is a script, not a package."""
    spec = importlib.util.spec_from_file_location("bench_extraction", REPO / "bench" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_pages(bench: ModuleType) -> list[Page]:
    pages: list[Page] = bench.load_dev_sets(SHARED / "extraction-dev", SHARED / "extraction-dev-snippets")
    return pages


def test_packaged_numbers_cover_every_feature_once() -> None:
    assert set(generic_model.WEIGHTS) == set(FEATURES)
    assert MODEL.weights == tuple(generic_model.WEIGHTS[name] for name in FEATURES)


def test_weights_that_do_not_match_the_features_are_refused_by_name() -> None:
    weights = dict.fromkeys(FEATURES, 0.0)
    del weights["link_share"]
    weights["colour"] = 1.0
    with pytest.raises(ValueError, match=r"missing \['link_share'\], unknown \['colour'\]"):
        BlockModel.from_names(weights, 0.0)


def test_the_model_decides_which_blocks_of_the_article_element_to_keep() -> None:
    """The same page read by a model that follows the structural reading, one that keeps nothing, one that
    keeps every block of the article element, one that drops the paragraphs holding a link, and the packaged
    one."""
    tree = LexborHTMLParser(ARTICLE)
    nothing = dict.fromkeys(FEATURES, 0.0)
    structural = BlockModel.from_names(nothing | {"kept": 1.0}, -0.5)
    assert find_main(tree, BlockModel.from_names(nothing, -1.0)).text == ""
    picked = find_main(tree, structural).text
    assert picked == f"{FIRST}\n\n{SECOND}\n\n{THIRD}"  # no menu, headline or copyright line
    # the headline is in the article element, the menu and the copyright line are not
    assert find_main(tree, BlockModel.from_names(nothing, 1.0)).text == f"Talks in Tehran\n\n{picked}"
    no_links = BlockModel.from_names(nothing | {"kept": 1.0, "link_share": -100.0}, -0.5)
    assert find_main(tree, no_links).text == f"{FIRST}\n\n{THIRD}"
    assert main_text(ARTICLE) == picked


def test_rows_for_every_block_of_the_article_element_with_the_structural_choice() -> None:
    blocks = read_blocks(LexborHTMLParser(ARTICLE))
    assert len(blocks.texts) == len(blocks.rows) == 6
    assert [row is not None for row in blocks.rows] == [False, True, True, True, True, False]
    kept = FEATURES.index("kept")
    assert [row[kept] for row in blocks.rows if row is not None] == [0.0, 1.0, 1.0, 1.0]
    assert all(len(row) == len(FEATURES) for row in blocks.rows if row is not None)


@pytest.mark.shared("extraction-dev")
@pytest.mark.shared("extraction-dev-snippets")
def test_packaged_extractor_reproduces_the_training_scripts_scores_exactly(bench: ModuleType, dev_pages: list[Page]) -> None:
    """Read through the package as the extract stage reads a page (page type, then the text), both dev sets
    score exactly what bench/train_extractor.py measured with numpy on its own feature matrices: the
    exported numbers are the fitted ones and the features have not changed since."""
    by_set: dict[str, list[Any]] = {}
    for page in dev_pages:
        main = find_main(LexborHTMLParser(page.html))
        text = main.text if page_type(page.html, page.url, main) else ""
        by_set.setdefault(page.set, []).append(bench.score(page, text))
    measured = {}
    for set_, scores in by_set.items():
        total = (bench.aggregate if set_ == bench.NEWS else bench.aggregate_snippets)(scores)
        measured[set_] = {"f1": total.f1, "precision": total.precision, "recall": total.recall, "pages": len(scores)}
    assert measured == generic_model.TRAINED_SCORES


@pytest.mark.shared("extraction-dev")
@pytest.mark.shared("extraction-dev-snippets")
def test_no_fold_scores_a_site_it_was_fitted_on(bench: ModuleType, dev_pages: list[Page]) -> None:
    directions = bench.directions(dev_pages)
    assert [len(d.folds) for d in directions] == [1, 1, 16]
    for direction in directions:
        for fold in direction.folds:
            assert fold.train and fold.test
            assert not {p.site for p in fold.train} & {p.site for p in fold.test}
    # every news page is scored in the leave-one-publisher-out direction, once
    assert sorted(p.id for f in directions[2].folds for p in f.test) == sorted(
        p.id for p in dev_pages if p.set == bench.NEWS
    )
