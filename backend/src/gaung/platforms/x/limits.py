"""X publishing limits and the weighted text count X applies to a post.

X counts text with the twitter-text v3 configuration (see ``shared/reference/platform-apis.md``,
section A5). ``counting`` gives twitter-text-parser's results in time linear in the text.
"""

from __future__ import annotations

from typing import Any, Final

from gaung.platforms.x import counting

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


def parse(text: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """twitter-text's ``parseTweet`` result for ``text`` as a dict.

    Keys: ``weightedLength``, ``valid``, ``permillage``, ``displayRangeStart``,
    ``displayRangeEnd``, ``validRangeStart``, ``validRangeEnd``. ``options`` defaults to the
    v3 configuration X counts with.
    """
    return counting.parse_tweet(text, options if options is not None else TWITTER_TEXT_OPTIONS)


def weighted_length(text: str) -> int:
    """The length X counts for ``text`` (URLs 23, emoji 2, CJK 2, most Latin 1...)."""
    return int(parse(text)["weightedLength"])


def invalid_characters(text: str) -> list[str]:
    """The characters X refuses in ``text``, each once, in the order they first appear."""
    if not any(char in text for char in INVALID_CHARACTERS):
        return []
    found: list[str] = []
    for char in text:
        if char in INVALID_CHARACTERS and char not in found:
            found.append(char)
    return found


def url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point offsets of the URLs twitter-text finds in ``text``."""
    entities = counting.extract_urls_with_indices(text)
    return [(int(e["indices"][0]), int(e["indices"][1])) for e in entities]
