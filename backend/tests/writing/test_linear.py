"""The check's work grows linearly with its input, on inputs built to make it struggle. Work is
counted in engine steps (not measured by the clock): doubling the input at most doubles it,
with a little slack for the fixed part."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gaung.writing.engine import Work, check

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "one word repeated": lambda n: "sangat " * n,
    "a phrase start repeated": lambda n: "dapat kami " * n,
    "gaps that never close": lambda n: "sangat panas " * n,
    "no spaces": lambda n: "a" * (6 * n),
    "many acronyms": lambda n: " ".join(f"AB{i}" for i in range(n)),
    "many emoji": lambda n: "🔥" * n,
    "many hashtags": lambda n: "#siagabanjirjakarta " * n,
    "many mentions": lambda n: "@akun " * n,
    "hyphen chains": lambda n: "-".join(["tolong"] * n),
    "sentence per word": lambda n: "Ya. " * n,
    "melakukan chains": lambda n: "melakukan kegiatan " * n,
    "dots": lambda n: "." * (6 * n),
}


def steps(text: str, platform: str) -> int:
    work = Work()
    check(text, platform, alt_texts=[text[:1000]], work=work)
    return work.steps


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
@pytest.mark.parametrize("platform", ["x", "instagram", "facebook"])
def test_work_is_linear(name: str, platform: str) -> None:
    make = ADVERSARIAL[name]
    n = 2000
    small, large = steps(make(n), platform), steps(make(2 * n), platform)
    assert large <= 2 * small + 50, (name, small, large)


def test_work_is_counted() -> None:
    assert steps("Dalam rangka HUT kota, kami sampaikan bahwa jalan ditutup.", "x") > 10
