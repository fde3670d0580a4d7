"""X publishing limits and the weighted text count X applies to a post.

X counts text with the twitter-text v3 configuration (see ``shared/reference/platform-apis.md``,
section A5); the counting itself is done by the ``twitter-text-parser`` package.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from functools import cache
from pathlib import Path
from typing import Any, Final

MIB: Final = 1024 * 1024

MAX_WEIGHTED_LENGTH: Final = 280
TRANSFORMED_URL_LENGTH: Final = 23

# The twitter-text v3 configuration (config/v3.json), with the key names twitter-text-parser uses.
TWITTER_TEXT_OPTIONS: Final[dict[str, Any]] = {
    "version": 3,
    "max_weighted_tweet_length": MAX_WEIGHTED_LENGTH,
    "scale": 100,
    "default_weight": 200,
    "emoji_parsing_enabled": True,
    "transformed_url_length": TRANSFORMED_URL_LENGTH,
    "ranges": [
        {"start": 0, "end": 4351, "weight": 100},
        {"start": 8192, "end": 8205, "weight": 100},
        {"start": 8208, "end": 8223, "weight": 100},
        {"start": 8242, "end": 8247, "weight": 100},
    ],
}

# Code points that make a text invalid for X whatever its length.
INVALID_CHARACTERS: Final = ("\ufffe", "\ufeff", "\uffff")

MAX_IMAGES: Final = 4
MAX_GIFS: Final = 1
MAX_VIDEOS: Final = 1

MAX_IMAGE_BYTES: Final = 5 * MIB
MAX_GIF_BYTES: Final = 15 * MIB
MAX_VIDEO_BYTES: Final = 512 * MIB

MIN_VIDEO_DURATION_S: Final = 0.5
MAX_VIDEO_DURATION_S: Final = 140.0

IMAGE_MIME_TYPES: Final = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
GIF_MIME_TYPES: Final = frozenset({"image/gif"})
VIDEO_MIME_TYPES: Final = frozenset({"video/mp4", "video/quicktime"})


def _resource_string(module_name: str, resource: str) -> bytes:
    """The one ``pkg_resources`` function twitter-text-parser uses, read from its own folder."""
    module_file = getattr(sys.modules[module_name], "__file__", None)
    if module_file is None:
        raise FileNotFoundError(f"cannot locate {resource!r} beside {module_name}")
    return (Path(module_file).parent / resource).read_bytes()


@cache
def _twitter_text() -> types.ModuleType:
    """Import the ``twitter_text`` package.

    twitter-text-parser 3.0.0 reads its emoji table through ``pkg_resources``, which recent
    setuptools no longer ships (and Python >= 3.12 environments may lack entirely). When it is
    missing, a stand-in providing ``resource_string`` is registered for the duration of the
    import only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=Warning)
        try:
            return importlib.import_module("twitter_text")
        except ModuleNotFoundError as exc:
            if exc.name != "pkg_resources":
                raise

        for name in [
            m for m in sys.modules if m == "twitter_text" or m.startswith("twitter_text.")
        ]:
            del sys.modules[name]
        missing = object()
        previous = sys.modules.get("pkg_resources", missing)
        stand_in = types.ModuleType("pkg_resources")
        stand_in.resource_string = _resource_string  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = stand_in
        try:
            return importlib.import_module("twitter_text")
        finally:
            if previous is missing:
                sys.modules.pop("pkg_resources", None)
            else:
                sys.modules["pkg_resources"] = previous  # type: ignore[assignment]


def parse(text: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """twitter-text's ``parseTweet`` result for ``text`` as a dict.

    Keys: ``weightedLength``, ``valid``, ``permillage``, ``displayRangeStart``,
    ``displayRangeEnd``, ``validRangeStart``, ``validRangeEnd``. ``options`` defaults to the
    v3 configuration X counts with.
    """
    result = _twitter_text().parse_tweet(
        text, options if options is not None else TWITTER_TEXT_OPTIONS
    )
    parsed: dict[str, Any] = result.asdict()
    return parsed


def weighted_length(text: str) -> int:
    """The length X counts for ``text`` (URLs 23, emoji 2, CJK 2, most Latin 1...)."""
    return int(parse(text)["weightedLength"])


def invalid_characters(text: str) -> list[str]:
    """The characters X refuses in ``text``, each once, in the order they first appear."""
    found: list[str] = []
    for char in text:
        if char in INVALID_CHARACTERS and char not in found:
            found.append(char)
    return found


def url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point offsets of the URLs twitter-text finds in ``text``."""
    entities = _twitter_text().extract_urls_with_indices(text)
    return [(int(e["indices"][0]), int(e["indices"][1])) for e in entities]
