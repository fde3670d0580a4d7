"""Platform limit modules: values the validation relies on, and loading twitter-text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gaung.platforms.facebook import limits as facebook_limits
from gaung.platforms.instagram import limits as instagram_limits
from gaung.platforms.x import limits as x_limits

SRC = Path(__file__).resolve().parents[2] / "src"


def test_documented_limits() -> None:
    assert x_limits.MAX_WEIGHTED_LENGTH == 280
    assert x_limits.TWITTER_TEXT_OPTIONS["transformed_url_length"] == 23
    assert x_limits.TWITTER_TEXT_OPTIONS["emoji_parsing_enabled"] is True
    assert (x_limits.MAX_IMAGES, x_limits.MAX_GIFS, x_limits.MAX_VIDEOS) == (4, 1, 1)
    assert x_limits.MAX_IMAGE_BYTES == 5 * 1024 * 1024
    assert instagram_limits.MAX_CAPTION_LENGTH == 2200
    assert (instagram_limits.MAX_HASHTAGS, instagram_limits.MAX_MENTIONS) == (30, 20)
    assert (instagram_limits.MIN_ASPECT_RATIO, instagram_limits.MAX_ASPECT_RATIO) == (0.8, 1.91)
    assert facebook_limits.MAX_MESSAGE_LENGTH == 63206


def test_x_parse_returns_the_twitter_text_fields() -> None:
    assert x_limits.parse("english text 日本語 😷 https://example.com") == {
        "weightedLength": 46,
        "valid": True,
        "permillage": 164,
        "validRangeStart": 0,
        "validRangeEnd": 38,
        "displayRangeStart": 0,
        "displayRangeEnd": 38,
    }
    assert x_limits.weighted_length("") == 0


def test_x_url_spans_are_code_point_offsets() -> None:
    assert x_limits.url_spans("日本 https://example.com/a x") == [(3, 24)]
    assert x_limits.url_spans("no links") == []


def test_x_invalid_characters() -> None:
    assert x_limits.invalid_characters("ok") == []
    assert x_limits.invalid_characters("\uffffa\ufffe\uffff") == ["\uffff", "\ufffe"]


def test_twitter_text_loads_without_pkg_resources() -> None:
    """twitter-text-parser reads its emoji table through pkg_resources (gone from setuptools)."""
    code = (
        "import sys\n"
        "sys.modules['pkg_resources'] = None\n"
        "from gaung.platforms.x import limits\n"
        "assert limits.weighted_length('hi 👨\u200d👩\u200d👧 日本') == 10\n"
        "assert sys.modules['pkg_resources'] is None\n"
        "print('ok')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
