"""The generic main-text extractor: synthetic pages in several scripts, and the dev set's score."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from harvester.extract.generic import main_text
from tests.conftest import REPO, SHARED

DEV_SET = SHARED / "extraction-dev"
SNIPPET_SET = SHARED / "extraction-dev-snippets"

BODY = [
    "The foreign minister met his counterpart in the capital on Monday to discuss trade, energy and the"
    " security situation in the region, officials said after the talks.",
    "Both sides agreed to set up a joint commission that will meet twice a year, alternating between the"
    " two capitals, and to prepare a new agreement on investment protection.",
    "Next steps",
    "The ministers also discussed visa facilitation for students and researchers; a working group will"
    " report on the options before the end of the year.",
    "In a joint statement, the two governments said they were committed to dialogue and cooperation, and"
    " invited the business communities of both countries to a forum in the autumn.",
]
CAPTION = "The two ministers shake hands before the talks at the foreign ministry on Monday."
COMMENT = (
    "I really think this agreement is a good step for both countries, and I hope the commission actually"
    " meets as often as they say it will."
)


def news_page() -> str:
    related = "".join(
        f'<li><a href="/news/{i}">Another story about the economy and the markets, number {i}</a></li>'
        for i in range(6)
    )
    comments = "".join(
        f'<li class="item"><div class="meta"><b>reader{i}</b> 2019-01-0{i} 10:2{i}</div><p>{COMMENT} ({i})</p></li>'
        for i in range(1, 4)
    )
    return f"""<!doctype html><html><head><title>Talks</title><style>p {{ color: red }}</style>
<script>var analytics = "The foreign minister met his counterpart, a script string.";</script></head>
<body>
<header class="site-header"><a href="/">Home</a><nav><ul><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<div class="layout"><main>
<article>
<h1>Ministers agree to set up a joint commission</h1>
<div class="byline">By Jane Doe, 2024-03-04 09:15</div>
<div class="share-bar"><a href="#">Share on X</a> <a href="#">Facebook</a> <button>Copy link</button></div>
<figure><img src="a.jpg" alt="hands"><figcaption>{CAPTION}</figcaption></figure>
<div class="media-text">{CAPTION}</div>
<p>{BODY[0]}</p>
<p>{BODY[1]}</p>
<h2>{BODY[2]}</h2>
<p>{BODY[3]}</p>
<div class="image">{CAPTION}</div>
<p>{BODY[4]}</p>
<form><label>Get our newsletter</label><input type="email"><button>Sign up</button></form>
</article>
<section class="related-stories"><h2>Related</h2><ul>{related}</ul></section>
<section><h3>3 responses</h3><ol>{comments}</ol></section>
</main>
<aside><p>A sidebar paragraph with enough words in it to look like prose, but it sits in an aside.</p></aside>
</div>
<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p></footer>
<noscript>Please enable JavaScript to read this article, it is a long sentence.</noscript>
</body></html>"""


def test_news_page_keeps_body_in_order_and_drops_furniture() -> None:
    text = main_text(news_page(), "https://example.com/news/talks")
    assert text.split("\n\n") == BODY


def test_doubled_caption_is_not_body() -> None:
    text = main_text(news_page())
    assert BODY[0] in text
    assert "shake hands" not in text


def test_comment_list_without_comment_class_is_dropped() -> None:
    text = main_text(news_page())
    assert BODY[-1] in text
    assert "agreement is a good step" not in text
    assert "reader1" not in text


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    html = "<body><article><p>  First   paragraph, with\n  a line break inside it and enough words to count.</p>" \
           "<p>Second paragraph, which also has enough words in it to be taken as prose.</p></article></body>"
    text = main_text(html)
    assert text == (
        "First paragraph, with a line break inside it and enough words to count.\n\n"
        "Second paragraph, which also has enough words in it to be taken as prose."
    )
    assert "\n\n\n" not in text and text == text.strip()


def test_list_of_items_opening_with_a_timestamp_is_dropped() -> None:
    items = "".join(f"<li>2019-01-06 10:2{i} reader{i}: {COMMENT}</li>" for i in range(4))
    story = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<body><div><div>{story}</div><ul>{items}</ul></div></body>"
    assert main_text(html).split("\n\n") == BODY


def test_comment_section_longer_than_the_article_is_dropped() -> None:
    comments = "".join(
        f"<div class='c'><p>{COMMENT} Reply {i}, with a few more words of its own.</p></div>" for i in range(12)
    )
    story = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<body><div class='wrap'><div class='story'>{story}</div><div id='comments'>{comments}</div></div></body>"
    assert main_text(html).split("\n\n") == BODY


def test_story_cards_with_summaries_are_dropped() -> None:
    summary = "A summary of another story, long enough and with enough punctuation to pass for a paragraph here."
    cards = "".join(
        f"<div><a href='/s{i}'><img src='s{i}.jpg'></a><div><h3><a href='/s{i}'>Another story, number {i}</a></h3>"
        f"<p>{summary} ({i})</p></div></div>"
        for i in range(5)
    )
    story = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<body><div><div><h1>Talks</h1>{story}</div><div><h2>More stories</h2>{cards}</div></div></body>"
    assert main_text(html).split("\n\n") == BODY


def test_hidden_text_is_not_body() -> None:
    hidden = '<span style="position:absolute;clip:rect(0 0 0 0);width:1px">, opens new tab</span>'
    html = (
        f"<body><article><p>{BODY[0]} <a href='/x'>Source{hidden}</a></p><p>{BODY[1]}</p>"
        f"<div hidden><p>{BODY[3]}</p></div><div style='display: none'><p>{BODY[4]}</p></div></article></body>"
    )
    assert main_text(html).split("\n\n") == [f"{BODY[0]} Source", BODY[1]]


def test_deeply_nested_markup() -> None:
    html = "<body>" + "<div><b>" * 5000 + f"<p>{BODY[0]}</p><p>{BODY[1]}</p>"
    assert main_text(html).split("\n\n") == BODY[:2]


PERSIAN = [
    "وزیر امور خارجه جمهوری اسلامی ایران روز دوشنبه در دیدار با همتای خود درباره گسترش همکاری‌های"
    " اقتصادی، انرژی و امنیت منطقه گفت‌وگو کرد.",
    "دو طرف توافق کردند که کمیسیون مشترکی تشکیل شود که سالی دو بار به صورت متناوب در دو پایتخت تشکیل"
    " جلسه دهد و پیش‌نویس موافقت‌نامه جدید سرمایه‌گذاری را آماده کند.",
    "وزیر خارجه همچنین بر اهمیت گفت‌وگو و همکاری‌های فرهنگی و علمی میان دانشگاه‌های دو کشور تأکید کرد و"
    " از برگزاری همایش تجاری در پاییز خبر داد.",
]
RUSSIAN = [
    "Министр иностранных дел провёл в понедельник переговоры со своим коллегой, в ходе которых стороны"
    " обсудили торговлю, энергетику и ситуацию в регионе.",
    "Стороны договорились создать совместную комиссию, которая будет собираться два раза в год поочерёдно"
    " в двух столицах, и подготовить новое соглашение о защите инвестиций.",
    "Министры также обсудили упрощение визового режима для студентов и исследователей; рабочая группа"
    " представит варианты до конца года.",
]


def page_in(paragraphs: list[str], menu: list[str], lang: str, direction: str = "ltr") -> str:
    items = "".join(f'<li><a href="/{i}">{word}</a></li>' for i, word in enumerate(menu))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html lang="{lang}" dir="{direction}"><body>
<div id="top"><ul class="menu">{items}</ul></div>
<div class="container"><div class="content"><h1>{menu[0]}</h1><span>۱۴۰۲/۱۲/۱۴ - 10:30</span>{body}</div>
<div class="side"><ul>{items}</ul></div></div>
<div class="bottom">{items}</div></body></html>"""


def test_persian_page() -> None:
    html = page_in(PERSIAN, ["خانه", "اخبار", "سیاست", "اقتصاد", "تماس با ما"], "fa", "rtl")
    assert main_text(html).split("\n\n") == PERSIAN


def test_russian_page() -> None:
    html = page_in(RUSSIAN, ["Главная", "Новости", "Политика", "Экономика", "Контакты"], "ru")
    assert main_text(html).split("\n\n") == RUSSIAN


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>Nothing</title></head><body></body></html>",
        '<html><body><nav><a href="/">Home</a> <a href="/a">About</a></nav>'
        '<ul><li><a href="/1">One link</a></li><li><a href="/2">Another link</a></li></ul></body></html>',
        "<html><body><script>document.write('a long script string that is not text at all.')</script></body></html>",
    ],
)
def test_no_article_gives_empty_string(html: str) -> None:
    assert main_text(html) == ""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """bench/extraction.py, which holds the dev set's metric; it is a script, not a package module."""
    spec = importlib.util.spec_from_file_location("bench_extraction", REPO / "bench" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared("extraction-dev")
def test_dev_set_f1_is_at_least_trafilaturas_best(bench: ModuleType) -> None:
    pages = bench.load_pages(DEV_SET)
    gold = bench.load_gold(DEV_SET / "ground-truth.json")
    scores = bench.page_scores({page_id: main_text(html) for page_id, html in pages.items()}, gold)
    assert bench.aggregate(list(scores.values())).f1 >= 0.95


@pytest.mark.shared("extraction-dev-snippets")
def test_snippet_set_f1_stays_at_trafilaturas_level(bench: ModuleType) -> None:
    """trafilatura scores 0.92-0.93 on this set (bench/extraction.py measures both in one run)."""
    pages, entries = bench.load_snippet_set(SNIPPET_SET)
    scores = [bench.score_snippets(main_text(html), entries[name]) for name, html in pages.items()]
    assert bench.aggregate_snippets(scores).f1 >= 0.92


def test_snippet_metric_matches_the_set_definition(bench: ModuleType) -> None:
    entry = {"with": ["a  b", "c d", "missing"], "without": ["x y", "absent"]}
    # white space collapsed on both sides: "a  b" is found in "a\nb"
    assert bench.score_snippets("a\nb c d x y", entry) == bench.SnippetScore(tp=2, fn=1, fp=1, tn=1)
    total = bench.aggregate_snippets([bench.SnippetScore(2, 1, 1, 1), bench.SnippetScore(0, 3, 0, 2)])
    assert (total.precision, total.recall, total.accuracy) == (2 / 3, 2 / 6, 5 / 10)
    assert bench.aggregate_snippets([bench.SnippetScore(0, 3, 0, 2)]).precision == 0.0


def test_metric_matches_the_dev_set_definition(bench: ModuleType) -> None:
    assert bench.score_page("a b c d e", "a b c d e") == bench.PageScore(1.0, 1.0, True)
    # 2 of the 3 predicted shingles are among the gold's 2: P 2/3, R 1.
    assert bench.score_page("a b c d e x", "a b c d e") == bench.PageScore(2 / 3, 1.0, False)
    # Fewer than 4 tokens make one short shingle; case counts.
    assert bench.score_page("A b", "a b") == bench.PageScore(0.0, 0.0, False)
    assert bench.score_page("", "a b") == bench.PageScore(None, 0.0, False)
    pages = [bench.PageScore(1.0, 0.5, False), bench.PageScore(None, 0.0, False)]
    total = bench.aggregate(pages)
    assert (total.precision, total.recall) == (1.0, 0.25)
    assert total.f1 == pytest.approx(2 * 0.25 / 1.25)


def test_the_furniture_words_and_line_patterns_match_what_they_say() -> None:
    """The class/id words, dateline, comment stamp and final stop are written for speed (branches grouped by
    their first characters, boundaries after the word, a string test for the stop); these are what they mean."""
    from harvester.extract import generic

    words = (
        "share sharing social subscribe signup sponsor sidebar related recommend read-more readmore promo popup"
        " newsletter nav advert author widget footer menu modal more-stories breadcrumb byline banner caption"
        " credit cookie toolbar tags tag-list taglist tagcloud taboola tweet twitter tiktok keywords outbrain"
        " disclaimer instagram embed"
    ).split()
    for word in words:
        assert generic._look(f"x {word}-box", None, None) == 1, word
        assert generic._look(None, f"{word}", None) == 1, word
    for neutral in ("canvas unav", "mytags", "tagsx", "story-body", "content article", "storage"):
        assert generic._look(neutral, None, None) == 0, neutral
    assert generic._look("comments", None, None) == 2 and generic._look("commentary", None, None) == 0
    assert generic._look("a sr-only", None, None) == -1 and generic._look("page-ad-hidden", None, None) == 0

    def dateline(text: str) -> bool:
        return generic._DATELINE.search(text) is not None

    assert all(map(dateline, ("at 10:30", "5/12/2024", "12.5.2024", "in 2024", "2024")))
    assert not any(map(dateline, ("12345", "1:3", "no digits", "10/2")))

    def stamp(text: str) -> tuple[int, int] | None:
        match = generic._STAMP.search(text)
        return match.span() if match else None

    assert stamp("Anna, 12.05.2024 at 10:30") == (6, 16) and stamp("10:30 Anna") == (1, 5)  # the first digit that starts a time
    assert stamp("posted 2024") is None
    for text, stops in (
        ("It ended.", True), ("\u201cIt ended.\u201d)", True), ("Ended?'", True), ("\u0627\u0646\u062a\u0647\u0649\u061f", True),
        ("No stop", False), ("", False), (")", False), ("a.)x", False),
    ):
        assert generic._final_stop(text) is stops, text
