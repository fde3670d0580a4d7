"""Checking a post variant (text + media) against its network's rules: the dispatch only.

Each network's rules live in ``gaung.platforms.<network>.rules``; the registry says which
apply. Every problem is reported at once, in a stable order: text rules first, then rules
about the media list as a whole, then each media item in order. Each carries a stable
``rule`` code and ``params`` holding the numbers, so the interface can phrase it in any
language; the ``message`` is the English phrasing ("X: 291/280 weighted characters").
"""

from __future__ import annotations

from collections.abc import Sequence

from gaung.platforms.registry import NETWORKS
from gaung.platforms.types import (
    CommonRule,
    MediaInfo,
    Options,
    Platform,
    Problem,
    Rules,
    TextCount,
)


def text_count(platform: Platform, text: str) -> TextCount:
    """The length of ``text`` as ``platform`` counts it, and the platform's maximum."""
    return _rules(platform).count(text)


def validate_variant(platform: Platform, text: str, media: Sequence[MediaInfo]) -> list[Problem]:
    """Every problem at once, in a stable order (text rules first, then media)."""
    return check_variant(platform, text, media)[1]


def check_variant(
    platform: Platform, text: str, media: Sequence[MediaInfo]
) -> tuple[TextCount, list[Problem]]:
    """The text count and every problem, counting the text once.

    Pure and CPU-bound (linear in the text): async callers run it in a worker thread.
    """
    rules = _rules(platform)
    count = rules.count(text)
    return count, rules.check(text, media, count)


def options_for_other_networks(platform: Platform, options: Options) -> list[str]:
    """The names of the options given that ``platform`` does not take."""
    return [name for name in options.given() if name not in _rules(platform).options]


def check_options(platform: Platform, options: Options) -> list[Problem]:
    """The problems of the options ``platform`` takes (the others are refused before)."""
    return _rules(platform).check_options(options)


def _rules(platform: Platform) -> Rules:
    network = NETWORKS.get(platform)
    if network is None:
        raise ValueError(f"unknown platform: {platform!r}")
    return network.rules


def missing_alt_text(media: Sequence[tuple[str, str | None]]) -> list[Problem]:
    """A problem for each image or GIF (``(kind, alt_text)``) without a description: the
    unit's accessibility rule, checked before a post goes to review or onto the schedule."""
    return [
        Problem(
            field=f"media.{position}",
            rule=CommonRule.media_alt_text_missing,
            message=f"Image {position + 1} has no alt text; describe it for readers who "
            "cannot see it.",
            params={"position": position + 1},
        )
        for position, (kind, alt) in enumerate(media)
        if kind in ("image", "gif") and not (alt or "").strip()
    ]
