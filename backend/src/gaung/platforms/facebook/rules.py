"""Facebook Page publishing rules: message length, photos or one video."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from urllib.parse import urlsplit

from gaung.platforms import checks
from gaung.platforms.facebook import limits
from gaung.platforms.types import MediaInfo, Options, Problem, Rules, TextCount

NAME = "Facebook"


class FacebookRule(StrEnum):
    text_required = "facebook.text.required"
    text_too_long = "facebook.text.too_long"
    media_mixed = "facebook.media.mixed"
    media_too_many_videos = "facebook.media.too_many_videos"
    media_unsupported_format = "facebook.media.unsupported_format"
    media_too_large = "facebook.media.too_large"
    link_invalid = "facebook.link.invalid"
    link_too_long = "facebook.link.too_long"


def count(text: str) -> TextCount:
    """Code points after NFC."""
    return TextCount(checks.nfc_length(text), limits.MAX_MESSAGE_LENGTH)


def check(text: str, media: Sequence[MediaInfo], text_count: TextCount) -> list[Problem]:
    problems: list[Problem] = []

    if not text.strip() and not media:
        problems.append(
            checks.required(FacebookRule.text_required, "Facebook: a post needs text or media")
        )

    if text_count.length > text_count.max_length:
        problems.append(
            Problem(
                field="text",
                rule=FacebookRule.text_too_long,
                message=(
                    f"Facebook: {checks.num(text_count.length)}/"
                    f"{checks.num(text_count.max_length)} characters"
                ),
                params={"length": text_count.length, "max": text_count.max_length},
            )
        )

    videos = sum(1 for item in media if item.kind == "video")
    photos = len(media) - videos
    if videos and photos:
        problems.append(
            Problem(
                field="media",
                rule=FacebookRule.media_mixed,
                message=(
                    f"Facebook: a post carries photos or one video, not both "
                    f"({checks.count(photos, 'photo')}, {checks.count(videos, 'video')})"
                ),
                params={"photos": photos, "videos": videos},
            )
        )
    if videos > limits.MAX_VIDEOS:
        problems.append(
            Problem(
                field="media",
                rule=FacebookRule.media_too_many_videos,
                message=(
                    f"Facebook: {videos} videos attached, at most {limits.MAX_VIDEOS} per post"
                ),
                params={"count": videos, "max": limits.MAX_VIDEOS},
            )
        )

    unsupported = FacebookRule.media_unsupported_format
    for index, item in enumerate(media):
        if item.kind == "video":
            problems.extend(
                checks.format_problem(unsupported, NAME, index, item, limits.VIDEO_MIME_TYPES)
            )
            continue
        problems.extend(
            checks.format_problem(unsupported, NAME, index, item, limits.PHOTO_MIME_TYPES)
        )
        problems.extend(
            checks.size_problem(
                FacebookRule.media_too_large, NAME, index, item, limits.MAX_PHOTO_BYTES
            )
        )
    return problems


def check_options(options: Options) -> list[Problem]:
    """The link is an absolute http(s) address of a bounded length, with no spaces."""
    link = options.link
    if not link:
        return []
    field = "options.link"
    if len(link) > limits.MAX_LINK_LENGTH:
        return [
            Problem(
                field=field,
                rule=FacebookRule.link_too_long,
                message=f"Facebook: the link is {checks.num(len(link))} characters, at most "
                f"{checks.num(limits.MAX_LINK_LENGTH)}",
                params={"length": len(link), "max": limits.MAX_LINK_LENGTH},
            )
        ]
    try:
        parts = urlsplit(link)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or any(char.isspace() for char in link):
        return [
            Problem(
                field=field,
                rule=FacebookRule.link_invalid,
                message="Facebook: the link must be a web address starting with http:// or "
                "https://",
                params={},
            )
        ]
    return []


RULES = Rules(
    name=NAME,
    codes=FacebookRule,
    count=count,
    check=check,
    options=frozenset({"link"}),
    check_options=check_options,
)
