"""The plain data every network's rules work on: platforms, media facts, problems, counts.

Nothing here knows the database or the web framework; callers turn their models into these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


class Platform(StrEnum):
    """A network an account lives on (its values are stored in ``platform_account.platform``)."""

    x = "x"
    instagram = "instagram"
    facebook = "facebook"


MediaKind = Literal["image", "gif", "video"]


class CommonRule(StrEnum):
    """Rules of the unit rather than of a network (the same on every platform)."""

    # An image without a description, when the unit requires alt text (accessibility).
    media_alt_text_missing = "media.alt_text.missing"


@dataclass(frozen=True)
class MediaInfo:
    """What the rules need to know about one attached file."""

    kind: MediaKind
    mime_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``rule`` is a member of the network's rule-code enum (a ``StrEnum``),
    ``params`` the numbers the message holds, ``message`` its English phrasing."""

    field: str
    rule: StrEnum
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class TextCount:
    length: int
    max_length: int


@dataclass(frozen=True)
class Options:
    """A variant's per-network options (each network uses its own, see ``Rules.options``)."""

    first_comment: str | None = None
    thread: Sequence[str] = ()
    link: str | None = None

    def given(self) -> list[str]:
        """The names of the options that are set."""
        return [
            name
            for name, value in (
                ("first_comment", self.first_comment),
                ("thread", self.thread),
                ("link", self.link),
            )
            if value
        ]


def _no_options(_options: Options) -> list[Problem]:
    return []


@dataclass(frozen=True)
class Rules:
    """One network's publishing rules.

    ``count`` gives a text's length as the network counts it and its maximum; ``check`` gives
    every problem of a text (already counted) with its media, text rules first, then rules on
    the media list, then each item in order. Both are pure and linear in the text.
    """

    name: str
    codes: type[StrEnum]
    count: Callable[[str], TextCount]
    check: Callable[[str, Sequence[MediaInfo], TextCount], list[Problem]]
    # The options this network takes (others are refused), and their problems (fields named
    # ``options.<name>[.<index>]``).
    options: frozenset[str] = frozenset()
    check_options: Callable[[Options], list[Problem]] = _no_options
