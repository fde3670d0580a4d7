"""Validation of a post variant (text + media) against one platform's publishing rules.

Every problem is reported at once, in a stable order: text rules first, then rules about the
media list as a whole, then each media item in order. Each problem carries a stable ``rule``
code and ``params`` holding the numbers, so the interface can phrase it in any language; the
``message`` is the English phrasing ("X: 291/280 weighted characters").
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from gaung.platforms.facebook import limits as facebook_limits
from gaung.platforms.instagram import limits as instagram_limits
from gaung.platforms.x import limits as x_limits

Platform = Literal["x", "instagram", "facebook"]
MediaKind = Literal["image", "gif", "video"]

PLATFORM_NAMES: dict[str, str] = {"x": "X", "instagram": "Instagram", "facebook": "Facebook"}
_KIND_LABELS: dict[str, str] = {"image": "image", "gif": "GIF", "video": "video"}
_MIB = 1024 * 1024


@dataclass(frozen=True)
class MediaInfo:
    kind: MediaKind
    mime_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    rule: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class TextCount:
    length: int
    max_length: int


def text_count(platform: Platform, text: str) -> TextCount:
    """The length of ``text`` as ``platform`` counts it, and the platform's maximum.

    X: twitter-text v3 weighted length. Instagram and Facebook: code points after NFC.
    """
    if platform == "x":
        return TextCount(x_limits.weighted_length(text), x_limits.MAX_WEIGHTED_LENGTH)
    if platform == "instagram":
        return TextCount(_nfc_length(text), instagram_limits.MAX_CAPTION_LENGTH)
    if platform == "facebook":
        return TextCount(_nfc_length(text), facebook_limits.MAX_MESSAGE_LENGTH)
    raise ValueError(f"unknown platform: {platform!r}")


def validate_variant(platform: Platform, text: str, media: list[MediaInfo]) -> list[Problem]:
    """Every problem at once, in a stable order (text rules first, then media)."""
    return check_variant(platform, text, media)[1]


def check_variant(
    platform: Platform, text: str, media: list[MediaInfo]
) -> tuple[TextCount, list[Problem]]:
    """The text count and every problem, counting the text once.

    Pure and CPU-bound (linear in the text): async callers run it in a worker thread.
    """
    count = text_count(platform, text)
    if platform == "x":
        return count, _validate_x(text, media, count)
    if platform == "instagram":
        return count, _validate_instagram(text, media, count)
    return count, _validate_facebook(text, media, count)


# --- X ---------------------------------------------------------------------------------------


def _validate_x(text: str, media: list[MediaInfo], count: TextCount) -> list[Problem]:
    problems: list[Problem] = []

    if not text.strip() and not media:
        problems.append(_required("x", "X: a post needs text or media"))

    invalid = x_limits.invalid_characters(text)
    if invalid:
        codes = [f"U+{ord(char):04X}" for char in invalid]
        problems.append(
            Problem(
                field="text",
                rule="x.text.invalid_characters",
                message=f"X: the text contains characters X does not accept ({', '.join(codes)})",
                params={"characters": codes},
            )
        )

    if count.length > count.max_length:
        problems.append(
            Problem(
                field="text",
                rule="x.text.too_long",
                message=f"X: {_num(count.length)}/{_num(count.max_length)} weighted characters",
                params={"length": count.length, "max": count.max_length},
            )
        )

    images = sum(1 for item in media if item.kind == "image")
    gifs = sum(1 for item in media if item.kind == "gif")
    videos = sum(1 for item in media if item.kind == "video")

    if sum(1 for n in (images, gifs, videos) if n) > 1:
        problems.append(
            Problem(
                field="media",
                rule="x.media.mixed",
                message=(
                    f"X: a post carries up to {x_limits.MAX_IMAGES} images, or 1 GIF, or 1 video, "
                    f"not a mix ({_count(images, 'image')}, {_count(gifs, 'GIF')}, "
                    f"{_count(videos, 'video')})"
                ),
                params={"images": images, "gifs": gifs, "videos": videos},
            )
        )
    for kind, n, maximum in (
        ("images", images, x_limits.MAX_IMAGES),
        ("gifs", gifs, x_limits.MAX_GIFS),
        ("videos", videos, x_limits.MAX_VIDEOS),
    ):
        if n > maximum:
            label = "GIFs" if kind == "gifs" else kind
            problems.append(
                Problem(
                    field="media",
                    rule=f"x.media.too_many_{kind}",
                    message=f"X: {n} {label} attached, at most {maximum} per post",
                    params={"count": n, "max": maximum},
                )
            )

    for index, item in enumerate(media):
        if item.kind == "image":
            allowed, max_bytes = x_limits.IMAGE_MIME_TYPES, x_limits.MAX_IMAGE_BYTES
        elif item.kind == "gif":
            allowed, max_bytes = x_limits.GIF_MIME_TYPES, x_limits.MAX_GIF_BYTES
        else:
            allowed, max_bytes = x_limits.VIDEO_MIME_TYPES, x_limits.MAX_VIDEO_BYTES
        problems.extend(_format_problem("x", index, item, allowed))
        problems.extend(_size_problem("x", index, item, max_bytes))
        if item.kind == "video":
            problems.extend(
                _duration_problems(
                    "x",
                    index,
                    item,
                    x_limits.MIN_VIDEO_DURATION_S,
                    x_limits.MAX_VIDEO_DURATION_S,
                )
            )
    return problems


# --- Instagram -------------------------------------------------------------------------------


def _validate_instagram(text: str, media: list[MediaInfo], count: TextCount) -> list[Problem]:
    problems: list[Problem] = []
    caption = unicodedata.normalize("NFC", text)
    # One URL pass serves both the hashtag and the mention rule.
    urls = x_limits.url_spans(caption) if "." in caption else []

    length = count.length
    if length > instagram_limits.MAX_CAPTION_LENGTH:
        maximum = instagram_limits.MAX_CAPTION_LENGTH
        problems.append(
            Problem(
                field="text",
                rule="instagram.text.too_long",
                message=f"Instagram: {_num(length)}/{_num(maximum)} characters",
                params={"length": length, "max": maximum},
            )
        )

    hashtags = len(extract_hashtags(caption, urls))
    if hashtags > instagram_limits.MAX_HASHTAGS:
        problems.append(
            Problem(
                field="text",
                rule="instagram.text.too_many_hashtags",
                message=(
                    f"Instagram: {hashtags} hashtags, at most "
                    f"{instagram_limits.MAX_HASHTAGS} per caption"
                ),
                params={"count": hashtags, "max": instagram_limits.MAX_HASHTAGS},
            )
        )

    mentions = len(extract_mentions(caption, urls))
    if mentions > instagram_limits.MAX_MENTIONS:
        problems.append(
            Problem(
                field="text",
                rule="instagram.text.too_many_mentions",
                message=(
                    f"Instagram: {mentions} @mentions, at most "
                    f"{instagram_limits.MAX_MENTIONS} per caption"
                ),
                params={"count": mentions, "max": instagram_limits.MAX_MENTIONS},
            )
        )

    if len(media) < instagram_limits.MIN_ITEMS:
        problems.append(
            Problem(
                field="media",
                rule="instagram.media.required",
                message="Instagram: a post needs an image or a video (or a carousel of 2 to 10)",
                params={"count": len(media), "min": instagram_limits.MIN_ITEMS},
            )
        )
    elif len(media) > instagram_limits.MAX_CAROUSEL_ITEMS:
        maximum = instagram_limits.MAX_CAROUSEL_ITEMS
        problems.append(
            Problem(
                field="media",
                rule="instagram.media.too_many",
                message=f"Instagram: {len(media)} media items, a carousel holds at most {maximum}",
                params={"count": len(media), "max": maximum},
            )
        )

    for index, item in enumerate(media):
        if item.kind == "gif":
            problems.append(
                Problem(
                    field=f"media.{index}",
                    rule="instagram.media.unsupported_format",
                    message=f"Instagram: media item {index + 1} is a GIF; Instagram takes no GIFs",
                    params={"mime_type": item.mime_type, "kind": item.kind, "allowed": []},
                )
            )
            continue
        if item.kind == "image":
            allowed, max_bytes = (
                instagram_limits.IMAGE_MIME_TYPES,
                instagram_limits.MAX_IMAGE_BYTES,
            )
        else:
            allowed, max_bytes = (
                instagram_limits.VIDEO_MIME_TYPES,
                instagram_limits.MAX_VIDEO_BYTES,
            )
        problems.extend(_format_problem("instagram", index, item, allowed))
        problems.extend(_size_problem("instagram", index, item, max_bytes))
        if item.kind == "video":
            problems.extend(
                _duration_problems(
                    "instagram",
                    index,
                    item,
                    instagram_limits.MIN_VIDEO_DURATION_S,
                    instagram_limits.MAX_VIDEO_DURATION_S,
                )
            )
        else:
            problems.extend(_aspect_ratio_problem(index, item))
    return problems


def _aspect_ratio_problem(index: int, item: MediaInfo) -> list[Problem]:
    if not item.width or not item.height or item.width <= 0 or item.height <= 0:
        return []
    ratio = item.width / item.height
    low = instagram_limits.MIN_ASPECT_RATIO
    high = instagram_limits.MAX_ASPECT_RATIO
    tolerance = instagram_limits.ASPECT_RATIO_TOLERANCE
    params = {
        "ratio": round(ratio, 3),
        "min": low,
        "max": high,
        "width": item.width,
        "height": item.height,
    }
    size = f"{item.width}×{item.height}"
    if ratio < low - tolerance:
        return [
            Problem(
                field=f"media.{index}",
                rule="instagram.media.aspect_ratio_too_tall",
                message=(
                    f"Instagram: image {index + 1} ({size}, ratio {ratio:.2f}) is too tall; "
                    f"width/height must be between {low:g} (4:5) and {high:g}"
                ),
                params=params,
            )
        ]
    if ratio > high + tolerance:
        return [
            Problem(
                field=f"media.{index}",
                rule="instagram.media.aspect_ratio_too_wide",
                message=(
                    f"Instagram: image {index + 1} ({size}, ratio {ratio:.2f}) is too wide; "
                    f"width/height must be between {low:g} (4:5) and {high:g}"
                ),
                params=params,
            )
        ]
    return []


# --- Facebook --------------------------------------------------------------------------------


def _validate_facebook(text: str, media: list[MediaInfo], count: TextCount) -> list[Problem]:
    problems: list[Problem] = []

    if not text.strip() and not media:
        problems.append(_required("facebook", "Facebook: a post needs text or media"))

    if count.length > count.max_length:
        problems.append(
            Problem(
                field="text",
                rule="facebook.text.too_long",
                message=f"Facebook: {_num(count.length)}/{_num(count.max_length)} characters",
                params={"length": count.length, "max": count.max_length},
            )
        )

    videos = sum(1 for item in media if item.kind == "video")
    photos = len(media) - videos
    if videos and photos:
        problems.append(
            Problem(
                field="media",
                rule="facebook.media.mixed",
                message=(
                    f"Facebook: a post carries photos or one video, not both "
                    f"({_count(photos, 'photo')}, {_count(videos, 'video')})"
                ),
                params={"photos": photos, "videos": videos},
            )
        )
    if videos > facebook_limits.MAX_VIDEOS:
        problems.append(
            Problem(
                field="media",
                rule="facebook.media.too_many_videos",
                message=(
                    f"Facebook: {videos} videos attached, at most "
                    f"{facebook_limits.MAX_VIDEOS} per post"
                ),
                params={"count": videos, "max": facebook_limits.MAX_VIDEOS},
            )
        )

    for index, item in enumerate(media):
        if item.kind == "video":
            problems.extend(
                _format_problem("facebook", index, item, facebook_limits.VIDEO_MIME_TYPES)
            )
            continue
        problems.extend(_format_problem("facebook", index, item, facebook_limits.PHOTO_MIME_TYPES))
        problems.extend(_size_problem("facebook", index, item, facebook_limits.MAX_PHOTO_BYTES))
    return problems


# --- shared rules ----------------------------------------------------------------------------


def _required(platform: str, message: str) -> Problem:
    return Problem(field="text", rule=f"{platform}.text.required", message=message, params={})


def _format_problem(
    platform: str, index: int, item: MediaInfo, allowed: Collection[str]
) -> list[Problem]:
    if any(_mime_matches(item.mime_type, pattern) for pattern in allowed):
        return []
    name = PLATFORM_NAMES[platform]
    label = _KIND_LABELS[item.kind]
    accepted = sorted(allowed)
    shown = ", ".join(accepted)
    return [
        Problem(
            field=f"media.{index}",
            rule=f"{platform}.media.unsupported_format",
            message=(
                f"{name}: media item {index + 1} ({label}, {item.mime_type or 'unknown type'}) "
                f"is not accepted; accepted: {shown}"
            ),
            params={"mime_type": item.mime_type, "kind": item.kind, "allowed": accepted},
        )
    ]


def _mime_matches(mime_type: str, pattern: str) -> bool:
    """``pattern`` is a MIME type or a ``type/*`` wildcard."""
    mime_type = mime_type.lower()
    if pattern.endswith("/*"):
        return mime_type.startswith(pattern[:-1])
    return mime_type == pattern


def _size_problem(platform: str, index: int, item: MediaInfo, max_bytes: int) -> list[Problem]:
    if item.size_bytes <= max_bytes:
        return []
    name = PLATFORM_NAMES[platform]
    label = _KIND_LABELS[item.kind]
    return [
        Problem(
            field=f"media.{index}",
            rule=f"{platform}.media.too_large",
            message=(
                f"{name}: media item {index + 1} ({label}) is {_megabytes(item.size_bytes)}, "
                f"over the {_megabytes(max_bytes)} limit"
            ),
            params={"size": item.size_bytes, "max": max_bytes, "kind": item.kind},
        )
    ]


def _duration_problems(
    platform: str, index: int, item: MediaInfo, minimum: float, maximum: float
) -> list[Problem]:
    duration = item.duration_s
    if duration is None or minimum <= duration <= maximum:
        return []
    name = PLATFORM_NAMES[platform]
    too_short = duration < minimum
    return [
        Problem(
            field=f"media.{index}",
            rule=f"{platform}.media.{'too_short' if too_short else 'too_long'}",
            message=(
                f"{name}: video {index + 1} lasts {_seconds(duration)}; "
                f"it must last {_seconds(minimum)} to {_seconds(maximum)}"
            ),
            params={"duration": duration, "min": minimum, "max": maximum},
        )
    ]


# --- text entities ---------------------------------------------------------------------------

_HASH_SIGNS = frozenset("#＃")
_HASHTAG_EXTRA_CHARS = frozenset(
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
)
_EMOJI_AFTER_HASH = frozenset("\ufe0f\u20e3")
_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")

_MENTION = re.compile(
    r"(?<![A-Za-z0-9_!#$%&*@＠])[@＠]([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
)


def _is_hashtag_alpha(char: str) -> bool:
    return unicodedata.category(char)[0] in ("L", "M")


def _is_hashtag_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in ("L", "M") or category == "Nd" or char in _HASHTAG_EXTRA_CHARS


_HASH_SIGN = re.compile("[#＃]")


def _overlaps(start: int, end: int, spans: list[tuple[int, int]], ends: list[int]) -> bool:
    """Whether ``[start, end)`` meets one of ``spans`` (sorted, disjoint; ``ends`` their ends).

    A binary search, so a text full of both URLs and tags stays linear.
    """
    index = bisect_right(ends, start)
    return index < len(spans) and spans[index][0] < end


def extract_hashtags(text: str, urls: list[tuple[int, int]] | None = None) -> list[str]:
    """Hashtags in ``text`` (without the sign, repeats kept), found as twitter-text finds them.

    A hashtag starts with ``#`` or ``＃`` not preceded by a letter, mark, digit, ``_`` or ``&``,
    holds letters, marks, digits and ``_`` with at least one letter, is not followed by another
    hash sign or ``://``, and does not lie inside a URL (``example.com/#anchor``). ``urls``:
    the text's URL spans, when the caller has them already.
    """
    if urls is None:
        urls = x_limits.url_spans(text) if "." in text else []
    url_ends = [end for _, end in urls]
    tags: list[str] = []
    position, size = 0, len(text)
    while position < size:
        sign = _HASH_SIGN.search(text, position)
        if sign is None:
            break
        start = sign.start()
        previous = text[start - 1] if start else ""
        end = start + 1
        if (
            start == 0
            or previous in _VARIATION_SELECTORS
            or not (_is_hashtag_char(previous) or previous == "&")
        ) and (end >= size or text[end] not in _EMOJI_AFTER_HASH):
            while end < size and _is_hashtag_char(text[end]):
                end += 1
        tag = text[start + 1 : end]
        if tag and any(_is_hashtag_alpha(char) for char in tag):
            # Look at what follows in place: slicing the rest of the text per tag is quadratic.
            if not (
                text[end : end + 1] in _HASH_SIGNS or text.startswith("://", end)
            ) and not _overlaps(start, end, urls, url_ends):
                tags.append(tag)
            position = end
        else:
            position = start + 1
    return tags


def extract_mentions(text: str, urls: list[tuple[int, int]] | None = None) -> list[str]:
    """@usernames in ``text`` (repeats kept), leaving out e-mail addresses and URLs.

    The sign must not follow a letter, digit or ``_!#$%&*@`` (so ``name@example.com`` is no
    mention); a username is ASCII letters, digits, ``_`` and inner dots; a mention directly
    followed by another ``@``, a non-ASCII letter or ``://`` is none. ``urls`` as for hashtags.
    """
    if urls is None:
        urls = x_limits.url_spans(text) if "." in text else []
    url_ends = [end for _, end in urls]
    names: list[str] = []
    for match in _MENTION.finditer(text):
        end = match.end()
        following = text[end : end + 1]
        if following in ("@", "＠") or text.startswith("://", end):
            continue
        if following and unicodedata.category(following)[0] in ("L", "M", "N"):
            continue
        if _overlaps(match.start(), end, urls, url_ends):
            continue
        names.append(match.group(1))
    return names


# --- formatting ------------------------------------------------------------------------------


def _nfc_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def _num(value: int) -> str:
    return f"{value:,}"


def _count(value: int, noun: str) -> str:
    return f"{value:,} {noun}" if value == 1 else f"{value:,} {noun}s"


def _megabytes(size_bytes: int) -> str:
    """Size in MB (MiB), rounded up to 2 decimals so a size over a limit never reads as equal."""
    hundredths = math.ceil(size_bytes * 100 / _MIB)
    return f"{hundredths / 100:.2f}".rstrip("0").rstrip(".") + " MB"


def _seconds(value: float) -> str:
    if value >= 120 and value % 60 == 0:
        return f"{value / 60:g} min"
    return f"{value:g} s"
