"""The linear X count gives twitter-text-parser's results, and its work grows linearly.

No clock here: the bound is shown by counting work (the characters each stage looks at, and
the Python bytecode instructions run), which must at most about double when the text doubles.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from gaung.platforms.x import counting
from gaung.platforms.x import limits as x_limits
from gaung.posts.validation import validate_variant

LIBRARY = counting.twitter_text()

PIECES = [
    *"aaabc.h./:-_ @#$é日本😀\u200d👨👩#?=()&,'\"x1",
    "1️⃣",
    "http://",
    "https://",
    "HTTPS://",
    ".com",
    ".co",
    ".jp",
    "t.co/",
    "xn--",
    ".中国",
    " www.",
    ".香港",
    "\u202a",
    "＠",
    "\n",
    "\r\n",
    ".org/",
    "(a)",
    "\ufeff",
    "e\u0301",
    "。",
    "\u212a",  # Kelvin sign: a "k" to the case-insensitive URL regex
    "\u017f",  # long s: an "s"
    "\u0130",
    "Ａ",
    "\u00ad",
    "ß",
    # plain runs ("a.co", "日1.jp") and what may end or precede them
    ".co ",
    ".Jp",
    "日1",
    "例え",
    "bücher",
    "\u2066",
    "+",
    "`",
    "\u05d0",  # right-to-left: nameprep's bidi rules
    "\u0627",
    "ﬁ",  # mapped by nameprep
    "①",
]
V2_SHORT = {
    **x_limits.TWITTER_TEXT_OPTIONS,
    "emoji_parsing_enabled": False,
    "max_weighted_tweet_length": 20,
}


def random_texts(seed: int, count: int, size: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, size))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_same_urls_emoji_and_counts_as_the_library(seed: int) -> None:
    with_urls = 0
    for text in random_texts(seed, 400, 40):
        expected_urls = LIBRARY.extract_urls_with_indices(text)
        with_urls += bool(expected_urls)
        assert counting.extract_urls_with_indices(text) == expected_urls, text
        assert counting.extract_emojis_with_indices(text) == (
            LIBRARY.extract_emojis_with_indices(text)
        ), text
        for options in (x_limits.TWITTER_TEXT_OPTIONS, V2_SHORT):
            assert counting.parse_tweet(text, options) == (
                LIBRARY.parse_tweet(text, options).asdict()
            ), text
    assert with_urls > 50  # the texts do exercise URLs


@pytest.mark.parametrize(
    "text",
    [
        "日本.com",
        "日本 example.com",
        "a.com日b.com x",
        "foo-bar.example.co.uk/path?q=1#frag",
        "http://t.co/abcdef?x=1 https://t.co/" + "a" * 41,
        "visit www.example.com/(a(b)c)/x.",
        "@user.name a.b.c.d.e.f.com",
        "mail me at name@example.com or #tag.com",
        "a.-.b.com a_b.example.com a.b_c.com",
        "xn--wgv71a119e.jp/パス",
        "http://日本語.jp http://例え.テスト",
        "a." * 2100 + "com and then b.com",  # a too-long URL hides the one inside it
        "https://a.com/" + "a" * 4100 + " b.com",
        "日." * 1400 + "com x",  # too long once encoded, though under 4,096 characters
        "日." * 2100 + "com x",
        "e\u0301" * 10 + ".com",
        "\u202ahttps://example.com\u202c",
        "\uff0ea.com a\u3002com",
        "\u212at.co/x a\u212ahttp://t.co/y",
        "http\u017f://example.com \u0130.com",
        # plain runs: the TLD word looked up, the run taken whole
        "a.co a.CO A.Co.Jp a.co@b a.co+ a.co- a.co\u2066 a.co\u212a a.coK",
        "@a.co $a.co #a.co -a.co .a.co /a.co _a.co a-.co a.-co a_b.co a..co",
        '"a.co" `a.co` a\x01.co (a.co) a.co, a.co. a.co: a.co:80 a.co/x a.co?x=1',
        "http://a.co https://a.co/ a.cohttp://b.co a.co.http://b.co",
        "a.com日b.jp 日.a.jp 日-a.jp a日b.c.jp 日1.jp 例え.jp bücher.de",
        "xn--a.com a.xn--p1ai 日.xn--p1ai xn--日.jp XN--日.jp",
        "\u05d0.com \u05d0a.com a\u05d0.com \u0627\u0628.com",
        "ﬁ.com ①.com Ａ.com e\u0301.com \u00ad.com a\u200b.com",
        "a" * 63 + ".com " + "a" * 64 + ".com " + "日" * 60 + ".jp " + "日" * 7 + ".jp",
        "日" * 6 + ".jp " + "a日" * 20 + ".jp " + "日a" * 30 + ".jp",
        "日。a.jp 日．a.jp 日｡a.jp a。.jp",
        " ".join(f"日{i}.jp" for i in range(300)),
    ],
)
def test_same_results_as_the_library_on_tricky_texts(text: str) -> None:
    assert counting.extract_urls_with_indices(text) == LIBRARY.extract_urls_with_indices(text)
    assert x_limits.parse(text) == LIBRARY.parse_tweet(text, x_limits.TWITTER_TEXT_OPTIONS).asdict()


IDNA_ALPHABET = [
    *"aZ0-_.日本例えüßİ\u0301\u00ad\u05d0\u0627\u3002\uff0e\uff61ſKﬁ①ａ\u200b",
    "xn--",
    "\u212a",
    "e\u0301",
    "a" * 30,
    "日" * 5,
]


@pytest.mark.parametrize("seed", range(3))
def test_the_idna_bound_holds_whenever_it_answers(seed: int) -> None:
    rng = random.Random(seed)
    answered = 0
    for _ in range(3_000):
        domain = "".join(rng.choice(IDNA_ALPHABET) for _ in range(rng.randint(1, 10)))
        bound = counting._idna_length_bound(domain)
        if bound is None:
            continue
        answered += 1
        encoded = counting._module("extract_urls").idna_to_ascii(domain)
        assert encoded and len(encoded) <= bound, (domain, bound, encoded)
    assert answered > 200  # the cheap path is taken, not only the codec


def test_the_idna_bound_leaves_the_hard_cases_to_the_codec() -> None:
    bound = counting._idna_length_bound
    assert bound("a.co") == 4
    assert bound("日1.jp") is not None
    assert bound("a" * 64 + ".com") is None  # a label too long: the codec fails
    assert bound("a..com") is None  # an empty label
    assert bound("ﬁ.com") is None  # nameprep maps it
    assert bound("\u05d0a.com") is None  # bidi rules
    assert bound("xn--日.jp") is None  # the ACE prefix
    assert bound("日" * 7 + ".jp") is None  # punycode might pass 63 characters
    assert bound("e\u0301.com") is None  # NFKC composes it


def test_the_nameprep_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counting, "_NAMEPREP_KEPT", set())
    monkeypatch.setattr(counting, "_NAMEPREP_CHANGED", set())
    monkeypatch.setattr(counting, "_NAMEPREP_REMEMBERED", 3)
    assert counting._label_kept("日本語例")  # decided, but only three remembered
    assert len(counting._NAMEPREP_KEPT) == 3
    assert not counting._label_kept("日ﬁ")  # the mapped one is not remembered either
    assert not counting._NAMEPREP_CHANGED
    assert counting._label_kept("日本語例")


def test_public_helpers_use_the_linear_count() -> None:
    text = "a." * 35_000
    assert x_limits.weighted_length(text) == 70_000
    assert x_limits.url_spans(text) == []
    assert x_limits.url_spans("a." * 20_000 + "com x") == []  # one URL, too long to count
    assert x_limits.weighted_length("a.com " * 1_000) == 24_000


def test_a_lone_surrogate_is_one_code_unit() -> None:
    # The API refuses them, but the count itself must not fail on one.
    assert x_limits.parse("a\ud800 b.com")["weightedLength"] == 1 + 2 + 1 + 23
    assert x_limits.parse("\udc00")["displayRangeEnd"] == 0


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "a.": _repeat("a."),
    "a": _repeat("a"),
    "http://": _repeat("http://"),
    "#a": _repeat("#a"),
    "#a ": _repeat("#a "),
    "@a": _repeat("@a"),
    "@a ": _repeat("@a "),
    "a.b/": _repeat("a.b/"),
    "a.com.": _repeat("a.com."),
    "a.co ": _repeat("a.co "),
    "日.com": _repeat("日.com"),
    "a-._": _repeat("a-._"),
    "long URL": lambda n: ("https://example.com/" + "a/" * n)[:n],
    "long path (": lambda n: ("https://example.com/" + "(a" * n)[:n],
    "long query": lambda n: ("https://example.com/?" + "a=1&" * n)[:n],
    "long domain": lambda n: ("https://" + "a-" * n)[: n - 4] + ".com",
    "emoji": _repeat("😀👨‍👩‍👧🇮🇩1️⃣"),
    "spaces": _repeat(" "),
    "e + marks": _repeat("e\u0301\u0302."),
    "unique IDNs": lambda n: " ".join(f"日{i}.jp" for i in range(n // 4))[:n],
}


def _work(text: str) -> int:
    work = counting.Work()
    counting.parse_tweet(text, x_limits.TWITTER_TEXT_OPTIONS, work)
    return work.steps


def _bytecodes(fn: Callable[[], object]) -> int:
    """Python bytecode instructions run by ``fn``: a deterministic measure of its work."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        frame.f_trace_opcodes = True
        if event == "opcode":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_the_count_looks_at_each_character_a_bounded_number_of_times(name: str) -> None:
    make = ADVERSARIAL[name]
    steps = {n: _work(make(n)) for n in (5_000, 10_000, 20_000, 70_000)}
    assert steps[70_000] <= 12 * 70_000, steps
    assert steps[10_000] <= 2.05 * steps[5_000], steps
    assert steps[20_000] <= 2.05 * steps[10_000], steps


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_validation_work_doubles_at_most_when_the_text_doubles(name: str) -> None:
    make = ADVERSARIAL[name]
    validate_variant("x", "warm up example.com 😀", [])  # the patterns are built once

    def work(n: int) -> int:
        text = make(n)
        return _bytecodes(
            lambda: [validate_variant(p, text, []) for p in ("x", "instagram", "facebook")]
        )

    small, large = work(2_000), work(4_000)
    assert large <= 2.2 * small + 2_000, (small, large)


def test_the_bytecode_measure_sees_quadratic_work() -> None:
    """The measure used above does catch superlinear work (a quadratic stand-in)."""

    def quadratic(text: str) -> None:
        for i in range(len(text)):
            for _ in range(i):
                pass

    small = _bytecodes(lambda: quadratic("a." * 50))
    large = _bytecodes(lambda: quadratic("a." * 100))
    assert large > 3 * small
