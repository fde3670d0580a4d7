"""The label checks are pure functions: what they refuse and what they keep."""

from __future__ import annotations

import pytest

from gaung.kit.schemas import shown_line, shown_text


@pytest.mark.parametrize(
    "value",
    [
        "",  # emptiness is each field's min_length to judge
        "Humas",
        "Rapat \U0001f469\u200d\U0001f467 keluarga",
        "\U0001f44d\U0001f3fd",
        "co\u00adoperate",  # a soft hyphen inside a word
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    ],
)
def test_visible_values_pass_unchanged(value: str) -> None:
    assert shown_line(value) == value
    assert shown_text(value) == value


@pytest.mark.parametrize(
    "ch", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
def test_every_bidi_control_is_refused(ch: str) -> None:
    for check in (shown_line, shown_text):
        with pytest.raises(
            ValueError, match=f"bidirectional control characters \\(U\\+{ord(ch):04X}\\)"
        ):
            check(f"ab{ch}cd")


@pytest.mark.parametrize(
    "value", ["\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u00ad", "\u2800", "\u3164 \u115f"]
)
def test_invisible_only_values_are_refused(value: str) -> None:
    for check in (shown_line, shown_text):
        with pytest.raises(ValueError, match="visible characters"):
            check(value)


def test_line_breaks_only_in_multi_line_text() -> None:
    for value in ("a\nb", "a\r\nb", "a\tb"):
        with pytest.raises(ValueError, match="line breaks"):
            shown_line(value)
        assert shown_text(value) == value
    for value in ("a\u2028b", "a\x1bb"):
        with pytest.raises(ValueError):
            shown_line(value)
    with pytest.raises(ValueError, match=r"control characters \(U\+001B\)"):
        shown_text("a\x1bb")
    with pytest.raises(ValueError, match="NUL"):
        shown_line("a\x00b")
