"""Validation time of one post variant's text, per platform, on ordinary and adversarial texts
of 1k, 10k and 70k characters (the API accepts up to 100k per variant). Prints a table of
medians; run by hand or with `make bench`. Goal: every text under 50 ms at 70k.

    python bench/validate.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from gaung.platforms.types import Platform
from gaung.posts.validation import validate_variant

SIZES = (1_000, 10_000, 70_000)
PLATFORMS: tuple[Platform, ...] = tuple(Platform)


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


TEXTS: dict[str, Callable[[int], str]] = {
    # ordinary
    "prose": _repeat(
        "Peta rawan longsor kini bisa diunduh gratis di https://data.example.go.id/longsor "
        "🗺️ #DataTerbuka @bnpb_indonesia, lihat juga example.com/peta?id=7. "
    ),
    "cjk": _repeat("日本語のテキストと絵文字😷、https://例え.jp/パス と #タグ。"),
    # adversarial
    "a.": _repeat("a."),
    "a": _repeat("a"),
    "http://": _repeat("http://"),
    "#a": _repeat("#a"),
    "@a": _repeat("@a"),
    "a.b/": _repeat("a.b/"),
    "a.com.": _repeat("a.com."),
    "日.com": _repeat("日.com"),
    "url path (": lambda n: ("https://a.com/" + "(a" * n)[:n],
    "emoji": _repeat("😀👨‍👩‍👧🇮🇩"),
    "spaces": _repeat(" "),
    "many urls": _repeat("a.co "),
    "unique IDNs": lambda n: " ".join(f"日{i}.jp" for i in range(n // 4))[:n],
}


def median_ms(platform: Platform, text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        validate_variant(platform, text, [])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int) -> None:
    start = time.perf_counter()
    validate_variant("x", "warm up: example.com 😀", [])  # builds the patterns once
    print(f"first use (builds the patterns): {(time.perf_counter() - start) * 1000:.0f} ms")
    header = f"{'text':<12} {'platform':<10}" + "".join(f"{n:>10,}" for n in SIZES)
    print(header + "   (median ms)")
    worst = 0.0
    for name, make in TEXTS.items():
        for platform in PLATFORMS:
            figures = [median_ms(platform, make(n), runs) for n in SIZES]
            worst = max(worst, figures[-1])
            print(f"{name:<12} {platform:<10}" + "".join(f"{ms:>10.1f}" for ms in figures))
    print(f"slowest at {SIZES[-1]:,}: {worst:.1f} ms (goal < 50 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    main(parser.parse_args().runs)
