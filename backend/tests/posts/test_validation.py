"""Per-platform validation of post variants: each rule on both sides of its boundary."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from gaung.platforms.entities import extract_hashtags, extract_mentions
from gaung.platforms.types import MediaInfo, Platform, Problem, TextCount
from gaung.posts.validation import text_count, validate_variant

MIB = 1024 * 1024
LONG_URL = "https://example.com/" + "a-very-long-path/" * 10


def image(
    mime_type: str = "image/jpeg",
    size_bytes: int = 200_000,
    width: int | None = 1080,
    height: int | None = 1080,
) -> MediaInfo:
    return MediaInfo("image", mime_type, size_bytes, width, height)


def gif(mime_type: str = "image/gif", size_bytes: int = 1 * MIB) -> MediaInfo:
    return MediaInfo("gif", mime_type, size_bytes, 480, 270)


def video(
    mime_type: str = "video/mp4", size_bytes: int = 20 * MIB, duration_s: float | None = 30.0
) -> MediaInfo:
    return MediaInfo("video", mime_type, size_bytes, 1080, 1920, duration_s)


def rules(platform: Platform, text: str, media: list[MediaInfo] | None = None) -> list[str]:
    return [p.rule for p in validate_variant(platform, text, media or [])]


def only(platform: Platform, text: str, media: list[MediaInfo] | None = None) -> Problem:
    problems = validate_variant(platform, text, media or [])
    assert len(problems) == 1, problems
    return problems[0]


# --- X: text -----------------------------------------------------------------------------------


def test_x_280_weighted_characters_is_ok() -> None:
    assert validate_variant("x", "a" * 280, []) == []
    assert text_count("x", "a" * 280) == TextCount(length=280, max_length=280)


def test_x_281_weighted_characters_is_too_long() -> None:
    problem = only("x", "a" * 281)
    assert problem == Problem(
        field="text",
        rule="x.text.too_long",
        message="X: 281/280 weighted characters",
        params={"length": 281, "max": 280},
    )


def test_x_a_url_counts_23_whatever_its_length() -> None:
    assert len(LONG_URL) > 100
    assert text_count("x", LONG_URL).length == 23
    assert text_count("x", "http://t.co").length == 23
    assert validate_variant("x", "a" * 256 + " " + LONG_URL, []) == []
    problem = only("x", "a" * 257 + " " + LONG_URL)
    assert problem.rule == "x.text.too_long"
    assert problem.params == {"length": 281, "max": 280}


def test_x_cjk_counts_2() -> None:
    assert text_count("x", "日本語").length == 6
    assert validate_variant("x", "日" * 140, []) == []
    assert only("x", "日" * 140 + "a").params == {"length": 281, "max": 280}


def test_x_emoji_counts_2_including_sequences() -> None:
    assert text_count("x", "Hello, world! 👋").length == 16
    assert text_count("x", "👨‍👩‍👧‍👦").length == 2
    assert text_count("x", "🙋🏽").length == 2
    assert validate_variant("x", "👍" * 140, []) == []
    assert only("x", "👍" * 140 + "!").rule == "x.text.too_long"


def test_x_counts_after_nfc_normalisation() -> None:
    decomposed = "e\u0301" * 280
    assert text_count("x", decomposed).length == 280
    assert validate_variant("x", decomposed, []) == []


def test_x_needs_text_or_media() -> None:
    for text in ("", "  \n "):
        problem = only("x", text)
        assert problem.field == "text"
        assert problem.rule == "x.text.required"
        assert problem.message.startswith("X: ")
    assert validate_variant("x", "", [image()]) == []
    assert validate_variant("x", "", [video()]) == []


@pytest.mark.parametrize("char", ["\ufffe", "\ufeff", "\uffff"])
def test_x_rejects_invalid_characters(char: str) -> None:
    problem = only("x", f"hello{char}world")
    assert problem.rule == "x.text.invalid_characters"
    assert problem.field == "text"
    assert problem.params == {"characters": [f"U+{ord(char):04X}"]}
    assert f"U+{ord(char):04X}" in problem.message


def test_x_lists_each_invalid_character_once() -> None:
    problem = only("x", "\ufeffa\uffffb\ufeff")
    assert problem.params == {"characters": ["U+FEFF", "U+FFFF"]}


def test_x_directional_marks_are_valid() -> None:
    assert validate_variant("x", "\u2066\u202ahello\u202c\u2069", []) == []


# --- X: media ----------------------------------------------------------------------------------


def test_x_four_images_ok_five_too_many() -> None:
    assert validate_variant("x", "hi", [image()] * 4) == []
    problem = only("x", "hi", [image()] * 5)
    assert problem.field == "media"
    assert problem.rule == "x.media.too_many_images"
    assert problem.params == {"count": 5, "max": 4}
    assert "5" in problem.message and "4" in problem.message


def test_x_one_gif_or_one_video() -> None:
    assert validate_variant("x", "hi", [gif()]) == []
    assert validate_variant("x", "hi", [video()]) == []
    assert only("x", "hi", [gif(), gif()]).rule == "x.media.too_many_gifs"
    problem = only("x", "hi", [video(), video()])
    assert problem.rule == "x.media.too_many_videos"
    assert problem.params == {"count": 2, "max": 1}


@pytest.mark.parametrize(
    ("media", "counts"),
    [
        ([image(), video()], {"images": 1, "gifs": 0, "videos": 1}),
        ([image(), gif()], {"images": 1, "gifs": 1, "videos": 0}),
        ([gif(), video()], {"images": 0, "gifs": 1, "videos": 1}),
    ],
)
def test_x_never_mixes_media_kinds(media: list[MediaInfo], counts: dict[str, int]) -> None:
    problem = only("x", "hi", media)
    assert problem.rule == "x.media.mixed"
    assert problem.field == "media"
    assert problem.params == counts


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda size: image(size_bytes=size), 5 * MIB),
        (lambda size: gif(size_bytes=size), 15 * MIB),
        (lambda size: video(size_bytes=size), 512 * MIB),
    ],
    ids=["image-5MB", "gif-15MB", "video-512MB"],
)
def test_x_size_limits(make: Callable[[int], MediaInfo], limit: int) -> None:
    assert validate_variant("x", "hi", [make(limit)]) == []
    problem = only("x", "hi", [make(limit + 1)])
    assert problem.field == "media.0"
    assert problem.rule == "x.media.too_large"
    assert problem.params["size"] == limit + 1
    assert problem.params["max"] == limit
    assert f"{limit // MIB} MB" in problem.message
    assert f"{limit // MIB}.01 MB" in problem.message


def test_x_video_duration_limits() -> None:
    for seconds in (0.5, 30, 140):
        assert validate_variant("x", "hi", [video(duration_s=seconds)]) == []
    assert validate_variant("x", "hi", [video(duration_s=None)]) == []
    short = only("x", "hi", [video(duration_s=0.4)])
    assert short.rule == "x.media.too_short"
    assert short.params == {"duration": 0.4, "min": 0.5, "max": 140.0}
    long = only("x", "hi", [video(duration_s=140.5)])
    assert long.rule == "x.media.too_long"
    assert long.params["duration"] == 140.5
    assert "140" in long.message


@pytest.mark.parametrize(
    "item",
    [
        image("image/jpeg"),
        image("image/png"),
        image("image/webp"),
        image("image/gif"),
        gif("image/gif"),
        video("video/mp4"),
        video("video/quicktime"),
    ],
)
def test_x_accepted_formats(item: MediaInfo) -> None:
    assert validate_variant("x", "hi", [item]) == []


@pytest.mark.parametrize(
    "item",
    [image("image/bmp"), image("image/tiff"), gif("image/png"), video("video/webm")],
)
def test_x_rejected_formats(item: MediaInfo) -> None:
    problem = only("x", "hi", [item])
    assert problem.rule == "x.media.unsupported_format"
    assert problem.field == "media.0"
    assert problem.params["mime_type"] == item.mime_type
    assert item.mime_type in problem.message


# --- Instagram: caption --------------------------------------------------------------------------


def test_instagram_caption_2200_ok_2201_too_long() -> None:
    assert validate_variant("instagram", "a" * 2200, [image()]) == []
    problem = only("instagram", "a" * 2201, [image()])
    assert problem == Problem(
        field="text",
        rule="instagram.text.too_long",
        message="Instagram: 2,201/2,200 characters",
        params={"length": 2201, "max": 2200},
    )


def test_instagram_counts_code_points_after_nfc() -> None:
    assert text_count("instagram", "e\u0301" * 2200) == TextCount(2200, 2200)
    assert text_count("instagram", "日本 👍") == TextCount(4, 2200)
    assert validate_variant("instagram", "e\u0301" * 2200, [image()]) == []


def _tags(n: int) -> str:
    return " ".join(f"#tag{i}" for i in range(n))


def _mentions(n: int) -> str:
    return " ".join(f"@user_{i}" for i in range(n))


def test_instagram_30_hashtags_ok_31_too_many() -> None:
    assert validate_variant("instagram", _tags(30), [image()]) == []
    problem = only("instagram", _tags(31), [image()])
    assert problem.field == "text"
    assert problem.rule == "instagram.text.too_many_hashtags"
    assert problem.params == {"count": 31, "max": 30}
    assert "31" in problem.message and "30" in problem.message


def test_instagram_20_mentions_ok_21_too_many() -> None:
    assert validate_variant("instagram", _mentions(20), [image()]) == []
    problem = only("instagram", _mentions(21), [image()])
    assert problem.rule == "instagram.text.too_many_mentions"
    assert problem.params == {"count": 21, "max": 20}


def test_instagram_email_addresses_and_urls_are_not_mentions() -> None:
    text = _mentions(20) + " write to humas@example.go.id or see https://example.com/@someone"
    assert validate_variant("instagram", text, [image()]) == []


def test_instagram_hashtags_inside_words_and_urls_do_not_count() -> None:
    text = _tags(30) + " C# issue#4 &#38; https://example.com/page#section #2024"
    assert validate_variant("instagram", text, [image()]) == []


def test_hashtag_extraction() -> None:
    text = "#Satu dua#tiga #empat, (#lima) #123 #a1 ＃全角 #kémon #x#y #z:// #️⃣ #under_score"
    assert extract_hashtags(text) == ["Satu", "empat", "lima", "a1", "全角", "kémon", "under_score"]


def test_mention_extraction() -> None:
    text = "@humas, (@pemkot.kota) a@b.com @@x @ab_c: @josé @dots. example.org/@nope ＠full"
    assert extract_mentions(text) == ["humas", "pemkot.kota", "ab_c", "dots", "full"]


# --- Instagram: media ---------------------------------------------------------------------------


def test_instagram_needs_media() -> None:
    problem = only("instagram", "caption")
    assert problem.field == "media"
    assert problem.rule == "instagram.media.required"
    assert problem.message.startswith("Instagram: ")
    assert validate_variant("instagram", "", [image()]) == []
    assert validate_variant("instagram", "", [video()]) == []


def test_instagram_carousel_10_ok_11_too_many() -> None:
    assert validate_variant("instagram", "", [image(), video()]) == []
    assert validate_variant("instagram", "", [image()] * 10) == []
    problem = only("instagram", "", [image()] * 11)
    assert problem.rule == "instagram.media.too_many"
    assert problem.params == {"count": 11, "max": 10}


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (1080, 1350),  # 4:5
        (1080, 1351),  # rounds to 4:5
        (1080, 1080),
        (1910, 1000),  # 1.91:1
        (1080, 566),  # 1.908
        (1080, 565),  # 1.912, rounds to 1.91
        (None, None),
        (1080, None),
    ],
)
def test_instagram_aspect_ratio_ok(width: int | None, height: int | None) -> None:
    assert validate_variant("instagram", "", [image(width=width, height=height)]) == []


def test_instagram_3_to_4_is_too_tall() -> None:
    problem = only("instagram", "", [image(width=1080, height=1440)])
    assert problem.field == "media.0"
    assert problem.rule == "instagram.media.aspect_ratio_too_tall"
    assert problem.params == {"ratio": 0.75, "min": 0.8, "max": 1.91, "width": 1080, "height": 1440}
    assert "0.8" in problem.message and "1.91" in problem.message


def test_instagram_2_to_1_is_too_wide() -> None:
    problem = only("instagram", "", [image(width=1080, height=540)])
    assert problem.rule == "instagram.media.aspect_ratio_too_wide"
    assert problem.params["ratio"] == 2.0
    assert problem.params["max"] == 1.91


def test_instagram_size_limits() -> None:
    assert validate_variant("instagram", "", [image(size_bytes=8 * MIB)]) == []
    problem = only("instagram", "", [image(size_bytes=8 * MIB + 1)])
    assert problem.rule == "instagram.media.too_large"
    assert problem.params == {"size": 8 * MIB + 1, "max": 8 * MIB, "kind": "image"}
    assert validate_variant("instagram", "", [video(size_bytes=300 * MIB)]) == []
    problem = only("instagram", "", [video(size_bytes=300 * MIB + 1)])
    assert problem.rule == "instagram.media.too_large"
    assert problem.params["max"] == 300 * MIB


def test_instagram_video_duration_limits() -> None:
    for seconds in (3, 60, 900):
        assert validate_variant("instagram", "", [video(duration_s=seconds)]) == []
    assert only("instagram", "", [video(duration_s=2.9)]).rule == "instagram.media.too_short"
    long = only("instagram", "", [video(duration_s=900.5)])
    assert long.rule == "instagram.media.too_long"
    assert long.params == {"duration": 900.5, "min": 3.0, "max": 900.0}
    assert "15 min" in long.message


@pytest.mark.parametrize(
    "item",
    [
        image("image/jpeg"),
        image("image/png"),
        image("image/webp"),
        video("video/mp4"),
        video("video/quicktime"),
    ],
)
def test_instagram_accepted_formats(item: MediaInfo) -> None:
    assert validate_variant("instagram", "", [item]) == []


@pytest.mark.parametrize(
    "item",
    [image("image/gif"), gif(), image("image/heic"), image("image/bmp"), video("video/webm")],
)
def test_instagram_rejected_formats(item: MediaInfo) -> None:
    problem = only("instagram", "", [item])
    assert problem.rule == "instagram.media.unsupported_format"
    assert problem.field == "media.0"
    assert problem.params["mime_type"] == item.mime_type


# --- Facebook -----------------------------------------------------------------------------------


def test_facebook_63206_ok_63207_too_long() -> None:
    assert validate_variant("facebook", "a" * 63206, []) == []
    assert text_count("facebook", "a" * 63206) == TextCount(63206, 63206)
    problem = only("facebook", "a" * 63207)
    assert problem == Problem(
        field="text",
        rule="facebook.text.too_long",
        message="Facebook: 63,207/63,206 characters",
        params={"length": 63207, "max": 63206},
    )


def test_facebook_needs_text_or_media() -> None:
    problem = only("facebook", " ")
    assert problem.rule == "facebook.text.required"
    assert problem.message.startswith("Facebook: ")
    assert validate_variant("facebook", "", [image()]) == []
    assert validate_variant("facebook", "hello", []) == []


@pytest.mark.parametrize(
    "mime_type", ["image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"]
)
def test_facebook_photo_formats(mime_type: str) -> None:
    assert validate_variant("facebook", "", [image(mime_type)]) == []


def test_facebook_rejected_formats() -> None:
    problem = only("facebook", "", [image("image/webp")])
    assert problem.rule == "facebook.media.unsupported_format"
    assert problem.params["allowed"] == [
        "image/bmp",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/tiff",
    ]
    assert only("facebook", "", [video("application/pdf")]).field == "media.0"


def test_facebook_photo_size_limit() -> None:
    assert validate_variant("facebook", "", [image(size_bytes=10 * MIB)]) == []
    problem = only("facebook", "", [image(size_bytes=10 * MIB + 1)])
    assert problem.rule == "facebook.media.too_large"
    assert problem.params == {"size": 10 * MIB + 1, "max": 10 * MIB, "kind": "image"}


def test_facebook_several_photos_or_one_video() -> None:
    assert validate_variant("facebook", "", [image(), gif(), image()]) == []
    assert validate_variant("facebook", "", [video(size_bytes=2048 * MIB)]) == []
    problem = only("facebook", "", [video(), video()])
    assert problem.rule == "facebook.media.too_many_videos"
    assert problem.params == {"count": 2, "max": 1}
    mixed = only("facebook", "", [image(), video()])
    assert mixed.rule == "facebook.media.mixed"
    assert mixed.params == {"photos": 1, "videos": 1}


# --- all at once ------------------------------------------------------------------------------


def test_x_reports_every_problem_in_order() -> None:
    media = [image(size_bytes=6 * MIB), image("image/bmp"), video(duration_s=200)]
    problems = validate_variant("x", "\ufeff" + "a" * 300, media)
    assert [(p.field, p.rule) for p in problems] == [
        ("text", "x.text.invalid_characters"),
        ("text", "x.text.too_long"),
        ("media", "x.media.mixed"),
        ("media.0", "x.media.too_large"),
        ("media.1", "x.media.unsupported_format"),
        ("media.2", "x.media.too_long"),
    ]
    assert all(p.message.startswith("X: ") for p in problems)


def test_instagram_reports_every_problem_in_order() -> None:
    text = "a" * 2200 + " " + _tags(31) + " " + _mentions(21)
    media = [image(width=1080, height=1440), gif(), video(duration_s=1)] * 4
    problems = validate_variant("instagram", text, media)
    rules_seen = [p.rule for p in problems]
    assert rules_seen[:4] == [
        "instagram.text.too_long",
        "instagram.text.too_many_hashtags",
        "instagram.text.too_many_mentions",
        "instagram.media.too_many",
    ]
    assert [p.field for p in problems[4:7]] == ["media.0", "media.1", "media.2"]
    assert len(problems) == 4 + 12
    assert all(p.message.startswith("Instagram: ") for p in problems)


def test_facebook_reports_every_problem_in_order() -> None:
    media = [image("image/webp", size_bytes=11 * MIB), video(), video()]
    problems = validate_variant("facebook", "a" * 70000, media)
    assert [(p.field, p.rule) for p in problems] == [
        ("text", "facebook.text.too_long"),
        ("media", "facebook.media.mixed"),
        ("media", "facebook.media.too_many_videos"),
        ("media.0", "facebook.media.unsupported_format"),
        ("media.0", "facebook.media.too_large"),
    ]


def test_validation_is_deterministic() -> None:
    media = [image(size_bytes=9 * MIB, width=100, height=1000), video(duration_s=1)] * 6
    first = validate_variant("instagram", _tags(40), media)
    assert first == validate_variant("instagram", _tags(40), list(media))


def test_problems_and_media_are_frozen() -> None:
    problem = only("x", "a" * 281)
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.rule = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        image().size_bytes = 1  # type: ignore[misc]
    assert Problem("text", "r", "m").params == {}


def test_unknown_platform_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        validate_variant("mastodon", "hi", [])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown platform"):
        text_count("mastodon", "hi")  # type: ignore[arg-type]
