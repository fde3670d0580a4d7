"""Suggested kinds: precision and recall of the public-information-request and complaint
suggestions on labelled Indonesian messages (requests, complaints and ordinary questions),
for the half the cue phrases were written from and a held-out half. Prints the figures.

    python bench/kinds.py [--show]
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from gaung.inbox.kinds import KINDS, suggest

DATA = Path(__file__).parent / "data" / "kind_messages.toml"


def measure(items: list[dict[str, str]], show: bool) -> dict[str, tuple[float, float, int]]:
    """kind -> (precision, recall, how many labelled so); plus "ordinary" -> (share left
    unsuggested, 0, how many)."""
    hits = {k: 0 for k in KINDS}
    said = {k: 0 for k in KINDS}
    labelled = {k: 0 for k in KINDS}
    ordinary = left = 0
    for item in items:
        found = suggest(item["text"])
        got = found.kind if found else ""
        want = item["kind"]
        if want:
            labelled[want] += 1  # type: ignore[index]
        else:
            ordinary += 1
            left += not got
        if got:
            said[got] += 1
            hits[got] += got == want
        if show and got != want:
            words = list(found.words) if found else []
            print(f"   miss {want or 'ordinary':20} -> {got or 'none':20} {words}  {item['text']}")
    out = {
        k: (hits[k] / said[k] if said[k] else 1.0, hits[k] / labelled[k], labelled[k])
        for k in KINDS
    }
    out["ordinary"] = (left / ordinary, 0.0, ordinary)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    for half in ("dev", "heldout"):
        m = measure(data[half], args.show)
        parts = [f"{k} (n={m[k][2]}): precision {m[k][0]:.0%}, recall {m[k][1]:.0%}" for k in KINDS]
        parts.append(f"ordinary (n={m['ordinary'][2]}) left unsuggested {m['ordinary'][0]:.0%}")
        print(f"{half:8} " + "; ".join(parts))


if __name__ == "__main__":
    main()
