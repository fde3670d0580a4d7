"""Instagram publishing rules: caption length, hashtags and mentions, one item or a carousel,
formats, sizes, video durations and image aspect ratios."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from enum import StrEnum

from gaung.platforms import checks
from gaung.platforms.entities import extract_hashtags, extract_mentions
from gaung.platforms.instagram import limits
from gaung.platforms.types import MediaInfo, Options, Problem, Rules, TextCount
from gaung.platforms.x import limits as x_limits

NAME = "Instagram"


class InstagramRule(StrEnum):
    text_too_long = "instagram.text.too_long"
    text_too_many_hashtags = "instagram.text.too_many_hashtags"
    text_too_many_mentions = "instagram.text.too_many_mentions"
    media_required = "instagram.media.required"
    media_too_many = "instagram.media.too_many"
    media_unsupported_format = "instagram.media.unsupported_format"
    media_too_large = "instagram.media.too_large"
    media_too_short = "instagram.media.too_short"
    media_too_long = "instagram.media.too_long"
    media_aspect_ratio_too_tall = "instagram.media.aspect_ratio_too_tall"
    media_aspect_ratio_too_wide = "instagram.media.aspect_ratio_too_wide"
    first_comment_too_long = "instagram.first_comment.too_long"
    first_comment_too_many_hashtags = "instagram.first_comment.too_many_hashtags"
    first_comment_too_many_mentions = "instagram.first_comment.too_many_mentions"


def count(text: str) -> TextCount:
    """Code points after NFC."""
    return TextCount(checks.nfc_length(text), limits.MAX_CAPTION_LENGTH)


def check(text: str, media: Sequence[MediaInfo], text_count: TextCount) -> list[Problem]:
    problems: list[Problem] = []
    caption = unicodedata.normalize("NFC", text)
    # One URL pass serves both the hashtag and the mention rule.
    urls = x_limits.url_spans(caption) if "." in caption else []

    if text_count.length > text_count.max_length:
        problems.append(
            Problem(
                field="text",
                rule=InstagramRule.text_too_long,
                message=(
                    f"Instagram: {checks.num(text_count.length)}/"
                    f"{checks.num(text_count.max_length)} characters"
                ),
                params={"length": text_count.length, "max": text_count.max_length},
            )
        )

    hashtags = len(extract_hashtags(caption, urls))
    if hashtags > limits.MAX_HASHTAGS:
        problems.append(
            Problem(
                field="text",
                rule=InstagramRule.text_too_many_hashtags,
                message=(
                    f"Instagram: {hashtags} hashtags, at most {limits.MAX_HASHTAGS} per caption"
                ),
                params={"count": hashtags, "max": limits.MAX_HASHTAGS},
            )
        )

    mentions = len(extract_mentions(caption, urls))
    if mentions > limits.MAX_MENTIONS:
        problems.append(
            Problem(
                field="text",
                rule=InstagramRule.text_too_many_mentions,
                message=(
                    f"Instagram: {mentions} @mentions, at most {limits.MAX_MENTIONS} per caption"
                ),
                params={"count": mentions, "max": limits.MAX_MENTIONS},
            )
        )

    if len(media) < limits.MIN_ITEMS:
        problems.append(
            Problem(
                field="media",
                rule=InstagramRule.media_required,
                message="Instagram: a post needs an image or a video (or a carousel of 2 to 10)",
                params={"count": len(media), "min": limits.MIN_ITEMS},
            )
        )
    elif len(media) > limits.MAX_CAROUSEL_ITEMS:
        maximum = limits.MAX_CAROUSEL_ITEMS
        problems.append(
            Problem(
                field="media",
                rule=InstagramRule.media_too_many,
                message=f"Instagram: {len(media)} media items, a carousel holds at most {maximum}",
                params={"count": len(media), "max": maximum},
            )
        )

    for index, item in enumerate(media):
        if item.kind == "gif":
            problems.append(
                Problem(
                    field=f"media.{index}",
                    rule=InstagramRule.media_unsupported_format,
                    message=f"Instagram: media item {index + 1} is a GIF; Instagram takes no GIFs",
                    params={"mime_type": item.mime_type, "kind": item.kind, "allowed": []},
                )
            )
            continue
        if item.kind == "image":
            allowed, max_bytes = limits.IMAGE_MIME_TYPES, limits.MAX_IMAGE_BYTES
        else:
            allowed, max_bytes = limits.VIDEO_MIME_TYPES, limits.MAX_VIDEO_BYTES
        problems.extend(
            checks.format_problem(
                InstagramRule.media_unsupported_format, NAME, index, item, allowed
            )
        )
        problems.extend(
            checks.size_problem(InstagramRule.media_too_large, NAME, index, item, max_bytes)
        )
        if item.kind == "video":
            problems.extend(
                checks.duration_problems(
                    InstagramRule.media_too_short,
                    InstagramRule.media_too_long,
                    NAME,
                    index,
                    item,
                    limits.MIN_VIDEO_DURATION_S,
                    limits.MAX_VIDEO_DURATION_S,
                )
            )
        else:
            problems.extend(_aspect_ratio_problem(index, item))
    return problems


def _aspect_ratio_problem(index: int, item: MediaInfo) -> list[Problem]:
    if not item.width or not item.height or item.width <= 0 or item.height <= 0:
        return []
    ratio = item.width / item.height
    low = limits.MIN_ASPECT_RATIO
    high = limits.MAX_ASPECT_RATIO
    tolerance = limits.ASPECT_RATIO_TOLERANCE
    params = {
        "ratio": round(ratio, 3),
        "min": low,
        "max": high,
        "width": item.width,
        "height": item.height,
    }
    size = f"{item.width}×{item.height}"
    if ratio < low - tolerance:
        rule, shape = InstagramRule.media_aspect_ratio_too_tall, "tall"
    elif ratio > high + tolerance:
        rule, shape = InstagramRule.media_aspect_ratio_too_wide, "wide"
    else:
        return []
    return [
        Problem(
            field=f"media.{index}",
            rule=rule,
            message=(
                f"Instagram: image {index + 1} ({size}, ratio {ratio:.2f}) is too {shape}; "
                f"width/height must be between {low:g} (4:5) and {high:g}"
            ),
            params=params,
        )
    ]


def check_options(options: Options) -> list[Problem]:
    """The first comment is held to a caption's limits: length, hashtags and @mentions."""
    if not options.first_comment:
        return []
    text = unicodedata.normalize("NFC", options.first_comment)
    urls = x_limits.url_spans(text) if "." in text else []
    field = "options.first_comment"
    problems: list[Problem] = []
    length = len(text)
    if length > limits.MAX_CAPTION_LENGTH:
        problems.append(
            Problem(
                field=field,
                rule=InstagramRule.first_comment_too_long,
                message=(
                    f"Instagram: first comment {checks.num(length)}/"
                    f"{checks.num(limits.MAX_CAPTION_LENGTH)} characters"
                ),
                params={"length": length, "max": limits.MAX_CAPTION_LENGTH},
            )
        )
    for rule, label, found, maximum in (
        (
            InstagramRule.first_comment_too_many_hashtags,
            "hashtags",
            len(extract_hashtags(text, urls)),
            limits.MAX_HASHTAGS,
        ),
        (
            InstagramRule.first_comment_too_many_mentions,
            "@mentions",
            len(extract_mentions(text, urls)),
            limits.MAX_MENTIONS,
        ),
    ):
        if found > maximum:
            problems.append(
                Problem(
                    field=field,
                    rule=rule,
                    message=f"Instagram: first comment has {found} {label}, at most {maximum}",
                    params={"count": found, "max": maximum},
                )
            )
    return problems


RULES = Rules(
    name=NAME,
    codes=InstagramRule,
    count=count,
    check=check,
    options=frozenset({"first_comment"}),
    check_options=check_options,
)
