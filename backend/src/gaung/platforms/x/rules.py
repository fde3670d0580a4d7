"""X's publishing rules: weighted text length, accepted characters, media combinations."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from gaung.platforms import checks
from gaung.platforms.types import MediaInfo, Options, Problem, Rules, TextCount
from gaung.platforms.x import limits

NAME = "X"


class XRule(StrEnum):
    text_required = "x.text.required"
    text_invalid_characters = "x.text.invalid_characters"
    text_too_long = "x.text.too_long"
    media_mixed = "x.media.mixed"
    media_too_many_images = "x.media.too_many_images"
    media_too_many_gifs = "x.media.too_many_gifs"
    media_too_many_videos = "x.media.too_many_videos"
    media_unsupported_format = "x.media.unsupported_format"
    media_too_large = "x.media.too_large"
    media_too_short = "x.media.too_short"
    media_too_long = "x.media.too_long"
    thread_too_many_parts = "x.thread.too_many_parts"
    thread_part_required = "x.thread.part_required"
    thread_part_too_long = "x.thread.part_too_long"
    thread_part_invalid_characters = "x.thread.part_invalid_characters"


# A thread longer than this is a blog post: split it into posts of their own.
MAX_THREAD_PARTS = 24


def count(text: str) -> TextCount:
    """twitter-text v3 weighted length (URLs 23, emoji 2, CJK 2)."""
    return TextCount(limits.weighted_length(text), limits.MAX_WEIGHTED_LENGTH)


def check(text: str, media: Sequence[MediaInfo], text_count: TextCount) -> list[Problem]:
    problems: list[Problem] = []

    if not text.strip() and not media:
        problems.append(checks.required(XRule.text_required, "X: a post needs text or media"))

    invalid = limits.invalid_characters(text)
    if invalid:
        codes = [f"U+{ord(char):04X}" for char in invalid]
        problems.append(
            Problem(
                field="text",
                rule=XRule.text_invalid_characters,
                message=f"X: the text contains characters X does not accept ({', '.join(codes)})",
                params={"characters": codes},
            )
        )

    if text_count.length > text_count.max_length:
        problems.append(
            Problem(
                field="text",
                rule=XRule.text_too_long,
                message=(
                    f"X: {checks.num(text_count.length)}/{checks.num(text_count.max_length)} "
                    "weighted characters"
                ),
                params={"length": text_count.length, "max": text_count.max_length},
            )
        )

    images = sum(1 for item in media if item.kind == "image")
    gifs = sum(1 for item in media if item.kind == "gif")
    videos = sum(1 for item in media if item.kind == "video")

    if sum(1 for n in (images, gifs, videos) if n) > 1:
        problems.append(
            Problem(
                field="media",
                rule=XRule.media_mixed,
                message=(
                    f"X: a post carries up to {limits.MAX_IMAGES} images, or 1 GIF, or 1 video, "
                    f"not a mix ({checks.count(images, 'image')}, {checks.count(gifs, 'GIF')}, "
                    f"{checks.count(videos, 'video')})"
                ),
                params={"images": images, "gifs": gifs, "videos": videos},
            )
        )
    for rule, label, n, maximum in (
        (XRule.media_too_many_images, "images", images, limits.MAX_IMAGES),
        (XRule.media_too_many_gifs, "GIFs", gifs, limits.MAX_GIFS),
        (XRule.media_too_many_videos, "videos", videos, limits.MAX_VIDEOS),
    ):
        if n > maximum:
            problems.append(
                Problem(
                    field="media",
                    rule=rule,
                    message=f"X: {n} {label} attached, at most {maximum} per post",
                    params={"count": n, "max": maximum},
                )
            )

    for index, item in enumerate(media):
        if item.kind == "image":
            allowed, max_bytes = limits.IMAGE_MIME_TYPES, limits.MAX_IMAGE_BYTES
        elif item.kind == "gif":
            allowed, max_bytes = limits.GIF_MIME_TYPES, limits.MAX_GIF_BYTES
        else:
            allowed, max_bytes = limits.VIDEO_MIME_TYPES, limits.MAX_VIDEO_BYTES
        problems.extend(
            checks.format_problem(XRule.media_unsupported_format, NAME, index, item, allowed)
        )
        problems.extend(checks.size_problem(XRule.media_too_large, NAME, index, item, max_bytes))
        if item.kind == "video":
            problems.extend(
                checks.duration_problems(
                    XRule.media_too_short,
                    XRule.media_too_long,
                    NAME,
                    index,
                    item,
                    limits.MIN_VIDEO_DURATION_S,
                    limits.MAX_VIDEO_DURATION_S,
                )
            )
    return problems


def check_options(options: Options) -> list[Problem]:
    """Each thread part is a post of its own: counted with the same weighted count and limit
    as the main text (part 2 is ``options.thread.0``)."""
    problems: list[Problem] = []
    parts = list(options.thread)
    if len(parts) > MAX_THREAD_PARTS:
        problems.append(
            Problem(
                field="options.thread",
                rule=XRule.thread_too_many_parts,
                message=f"X: a thread of {len(parts) + 1} posts; at most {MAX_THREAD_PARTS + 1}",
                params={"count": len(parts), "max": MAX_THREAD_PARTS},
            )
        )
    for index, part in enumerate(parts):
        field = f"options.thread.{index}"
        n = index + 2  # the main text is part 1
        if not part.strip():
            problems.append(
                Problem(
                    field=field,
                    rule=XRule.thread_part_required,
                    message=f"X: thread part {n} is empty; write it or remove it",
                    params={"part": n},
                )
            )
            continue
        invalid = limits.invalid_characters(part)
        if invalid:
            codes = [f"U+{ord(char):04X}" for char in invalid]
            problems.append(
                Problem(
                    field=field,
                    rule=XRule.thread_part_invalid_characters,
                    message=f"X: thread part {n} contains characters X does not accept "
                    f"({', '.join(codes)})",
                    params={"part": n, "characters": codes},
                )
            )
        length = count(part)
        if length.length > length.max_length:
            problems.append(
                Problem(
                    field=field,
                    rule=XRule.thread_part_too_long,
                    message=(
                        f"X: thread part {n} is {checks.num(length.length)}/"
                        f"{checks.num(length.max_length)} weighted characters"
                    ),
                    params={"part": n, "length": length.length, "max": length.max_length},
                )
            )
    return problems


RULES = Rules(
    name=NAME,
    codes=XRule,
    count=count,
    check=check,
    options=frozenset({"thread"}),
    check_options=check_options,
)
