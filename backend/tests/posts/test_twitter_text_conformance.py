"""twitter-text's own conformance cases for weighted counting, run against the X text count.

The cases live in ``shared/conformance/twitter-text/`` beside the repository checkout
(``validate.yml`` and ``config-v3.json``). Without them the module is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gaung.platforms.x import limits as x_limits
from gaung.posts.validation import text_count, validate_variant

REPO_ROOT = Path(__file__).resolve().parents[3]
CONFORMANCE_DIR = REPO_ROOT.parent / "shared" / "conformance" / "twitter-text"
VALIDATE_YML = CONFORMANCE_DIR / "validate.yml"
CONFIG_V3_JSON = CONFORMANCE_DIR / "config-v3.json"

if not (VALIDATE_YML.is_file() and CONFIG_V3_JSON.is_file()):
    pytest.skip(
        f"shared/conformance not found beside the checkout: {CONFORMANCE_DIR}",
        allow_module_level=True,
    )

V3_GROUPS = ("WeightedTweetsWithDiscountedEmojiCounterTest", "UnicodeDirectionalMarkerCounterTest")
V2_GROUPS = ("WeightedTweetsCounterTest",)
EXPECTED_KEYS = {
    "weightedLength",
    "valid",
    "permillage",
    "displayRangeStart",
    "displayRangeEnd",
    "validRangeStart",
    "validRangeEnd",
}

_TESTS: dict[str, list[dict[str, Any]]] = yaml.safe_load(VALIDATE_YML.read_text("utf-8"))["tests"]
_CONFIG_V3: dict[str, Any] = json.loads(CONFIG_V3_JSON.read_text("utf-8"))


def _options(config: dict[str, Any], *, version: int, emoji_parsing: bool) -> dict[str, Any]:
    """A twitter-text JSON configuration in twitter-text-parser's key names."""
    return {
        "version": version,
        "max_weighted_tweet_length": config["maxWeightedTweetLength"],
        "scale": config["scale"],
        "default_weight": config["defaultWeight"],
        "emoji_parsing_enabled": emoji_parsing,
        "transformed_url_length": config["transformedURLLength"],
        "ranges": config["ranges"],
    }


OPTIONS_V3 = _options(_CONFIG_V3, version=3, emoji_parsing=bool(_CONFIG_V3["emojiParsingEnabled"]))
# v2 is v3 without emoji parsing: same weights, ranges, URL length and maximum.
OPTIONS_V2 = _options(_CONFIG_V3, version=2, emoji_parsing=False)


def _cases(groups: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(case, id=f"{group}: {case['description']}")
        for group in groups
        for case in _TESTS[group]
    ]


def test_the_shared_config_is_the_v3_config() -> None:
    assert _CONFIG_V3["version"] == 3
    assert _CONFIG_V3["emojiParsingEnabled"] is True


def test_the_project_counts_with_the_shared_v3_config() -> None:
    assert x_limits.TWITTER_TEXT_OPTIONS == OPTIONS_V3


@pytest.mark.parametrize("group", V3_GROUPS + V2_GROUPS)
def test_every_group_has_cases(group: str) -> None:
    assert _TESTS[group]
    for case in _TESTS[group]:
        assert set(case["expected"]) == EXPECTED_KEYS


@pytest.mark.parametrize("case", _cases(V3_GROUPS))
def test_v3_weighted_count(case: dict[str, Any]) -> None:
    text: str = case["text"]
    expected: dict[str, Any] = case["expected"]

    assert x_limits.parse(text, OPTIONS_V3) == expected
    assert x_limits.parse(text) == expected

    count = text_count("x", text)
    assert count.length == expected["weightedLength"]
    assert count.max_length == 280

    text_rules = {p.rule for p in validate_variant("x", text, []) if p.field == "text"}
    assert bool(text_rules) is not expected["valid"]
    assert ("x.text.too_long" in text_rules) is (expected["weightedLength"] > 280)


@pytest.mark.parametrize("case", _cases(V2_GROUPS))
def test_v2_weighted_count(case: dict[str, Any]) -> None:
    assert x_limits.parse(case["text"], OPTIONS_V2) == case["expected"]
