"""Rule pieces several networks share: accepted formats, file sizes, video durations, and the
way numbers read in messages. Each takes the rule code to report, so codes stay per network."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection
from enum import StrEnum

from gaung.platforms.types import MediaInfo, Problem

_MIB = 1024 * 1024
_KIND_LABELS: dict[str, str] = {"image": "image", "gif": "GIF", "video": "video"}


def required(rule: StrEnum, message: str) -> Problem:
    return Problem(field="text", rule=rule, message=message, params={})


def format_problem(
    rule: StrEnum, name: str, index: int, item: MediaInfo, allowed: Collection[str]
) -> list[Problem]:
    if any(mime_matches(item.mime_type, pattern) for pattern in allowed):
        return []
    accepted = sorted(allowed)
    shown = ", ".join(accepted)
    return [
        Problem(
            field=f"media.{index}",
            rule=rule,
            message=(
                f"{name}: media item {index + 1} ({_KIND_LABELS[item.kind]}, "
                f"{item.mime_type or 'unknown type'}) is not accepted; accepted: {shown}"
            ),
            params={"mime_type": item.mime_type, "kind": item.kind, "allowed": accepted},
        )
    ]


def mime_matches(mime_type: str, pattern: str) -> bool:
    """``pattern`` is a MIME type or a ``type/*`` wildcard."""
    mime_type = mime_type.lower()
    if pattern.endswith("/*"):
        return mime_type.startswith(pattern[:-1])
    return mime_type == pattern


def size_problem(
    rule: StrEnum, name: str, index: int, item: MediaInfo, max_bytes: int
) -> list[Problem]:
    if item.size_bytes <= max_bytes:
        return []
    return [
        Problem(
            field=f"media.{index}",
            rule=rule,
            message=(
                f"{name}: media item {index + 1} ({_KIND_LABELS[item.kind]}) is "
                f"{megabytes(item.size_bytes)}, over the {megabytes(max_bytes)} limit"
            ),
            params={"size": item.size_bytes, "max": max_bytes, "kind": item.kind},
        )
    ]


def duration_problems(
    too_short: StrEnum,
    too_long: StrEnum,
    name: str,
    index: int,
    item: MediaInfo,
    minimum: float,
    maximum: float,
) -> list[Problem]:
    duration = item.duration_s
    if duration is None or minimum <= duration <= maximum:
        return []
    return [
        Problem(
            field=f"media.{index}",
            rule=too_short if duration < minimum else too_long,
            message=(
                f"{name}: video {index + 1} lasts {seconds(duration)}; "
                f"it must last {seconds(minimum)} to {seconds(maximum)}"
            ),
            params={"duration": duration, "min": minimum, "max": maximum},
        )
    ]


def nfc_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def num(value: int) -> str:
    return f"{value:,}"


def count(value: int, noun: str) -> str:
    return f"{value:,} {noun}" if value == 1 else f"{value:,} {noun}s"


def megabytes(size_bytes: int) -> str:
    """Size in MB (MiB), rounded up to 2 decimals so a size over a limit never reads as equal."""
    hundredths = math.ceil(size_bytes * 100 / _MIB)
    return f"{hundredths / 100:.2f}".rstrip("0").rstrip(".") + " MB"


def seconds(value: float) -> str:
    if value >= 120 and value % 60 == 0:
        return f"{value / 60:g} min"
    return f"{value:g} s"
