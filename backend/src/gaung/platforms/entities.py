"""Hashtags and @mentions in a text, found as twitter-text finds them (URLs left out).

Networks that limit them (Instagram) count these; linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from gaung.platforms.x import limits as x_limits

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
