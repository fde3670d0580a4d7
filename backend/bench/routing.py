"""Inbox routing: top-1 and top-2 accuracy and the share left unrouted, on labelled informal
Indonesian questions, for the half the demo keywords were written from and a held-out half.
Prints the figures.

    python bench/routing.py [--show]
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from gaung.inbox.routing import classify
from gaung.inbox.topics import demo_topics

DATA = Path(__file__).parent / "data" / "routing_questions.toml"


def measure(items: list[dict[str, str]], show: bool) -> dict[str, float]:
    topics = [t.classifier() for t in demo_topics()]
    questions = [i for i in items if i["topic"]]
    off_topic = [i for i in items if not i["topic"]]
    top1 = top2 = unrouted = 0
    for item in questions:
        keys = [s.key for s in classify(item["text"], topics)]
        top1 += bool(keys) and keys[0] == item["topic"]
        top2 += item["topic"] in keys[:2]
        unrouted += not keys
        if show and (not keys or keys[0] != item["topic"]):
            print(f"   miss {item['topic']:8} -> {keys[:2]}  {item['text']}")
    guessed = 0
    for item in off_topic:
        keys = [s.key for s in classify(item["text"], topics)]
        guessed += bool(keys)
        if show and keys:
            print(f"   guessed {keys[:2]}  {item['text']}")
    return {
        "questions": len(questions),
        "top1": top1 / len(questions),
        "top2": top2 / len(questions),
        "unrouted": unrouted / len(questions),
        "off_topic": len(off_topic),
        "off_topic_unrouted": (len(off_topic) - guessed) / len(off_topic),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    for half in ("dev", "heldout"):
        m = measure(data[half], args.show)
        print(
            f"{half:8} {m['questions']:.0f} questions: top-1 {m['top1']:.0%}, "
            f"top-2 {m['top2']:.0%}, unrouted {m['unrouted']:.0%}; "
            f"{m['off_topic']:.0f} off-topic remarks left unrouted: {m['off_topic_unrouted']:.0%}"
        )


if __name__ == "__main__":
    main()
