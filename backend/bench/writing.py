"""The writing check: precision and recall on labelled stiff and plain sentences (the half the
rules were written from, and a held-out half), and the time to check a 2,200-character
Instagram caption and a 63,000-character Facebook text. Prints the figures.

    python bench/writing.py [--runs 50] [--show]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib
from pathlib import Path

from gaung.writing.engine import check
from gaung.writing.rulebook import rulebook

DATA = Path(__file__).parent / "data" / "writing_sentences.toml"
# Platform, measure and alt-text rules judge the post, not the sentence's language.
SENTENCE_CATEGORIES = {"language", "structure"}

PARAGRAPH = (
    "Dalam rangka memperingati Hari Air Sedunia, Dinas PUPR telah melaksanakan kegiatan "
    "sosialisasi hemat air di 12 kecamatan 💧. Warga diajak menampung air hujan dan memeriksa "
    "kebocoran pipa di rumah. Info lengkap: https://pupr.example.go.id/air @pupr_kota "
    "#HariAirSedunia #HematAir\n"
)


def flagged(text: str) -> bool:
    rules = rulebook().rules
    return any(
        rules[f.rule].category in SENTENCE_CATEGORIES for f in check(text, "facebook").findings
    )


def score(items: list[dict[str, str]], show: bool) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for item in items:
        stiff, hit = item["label"] == "stiff", flagged(item["text"])
        tp += stiff and hit
        fp += (not stiff) and hit
        fn += stiff and not hit
        if show and stiff != hit:
            print(f"  {'missed' if stiff else 'false alarm'}: {item['text']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, sum(i["label"] == "stiff" for i in items), len(items)


def timed(text: str, platform: str, runs: int) -> tuple[float, float]:
    check(text, platform)  # warm the rule cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check(text, platform, alt_texts=["Warga menampung air hujan di ember."])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--show", action="store_true", help="print misses and false alarms")
    args = parser.parse_args()
    data = tomllib.loads(DATA.read_text("utf-8"))
    for half in ("dev", "held_out"):
        p, r, stiff, n = score(data[half], args.show)
        print(f"{half:9} {n} sentences ({stiff} stiff): precision {p:.0%}  recall {r:.0%}")
    caption = (PARAGRAPH * 20)[:2200]
    long_text = (PARAGRAPH * 200)[:63_000]
    for name, text, platform in (
        ("caption 2,200 chars (instagram)", caption, "instagram"),
        ("text 63,000 chars (facebook)", long_text, "facebook"),
        ("text 70,000 chars (x)", (PARAGRAPH * 250)[:70_000], "x"),
    ):
        median, worst = timed(text, platform, args.runs)
        print(f"{name:34} median {median:7.2f} ms  max {worst:7.2f} ms")


if __name__ == "__main__":
    main()
