"""Whether a message reads as a request for public information (UU KIP 14/2008) or as a
complaint (SP4N-LAPOR!): a small, explainable cue-phrase classifier. Its answer is only a
suggestion, shown with the words that made it; a person marks the conversation.

The cue phrases are data (``data/request_kinds.toml``), matched after the router's normalising
and light stemming (``gaung/inbox/routing.py``), so informal spelling counts as well as the
formal one. Each kind scores the sum of the weights of the distinct cues found (a word
counts for one cue only); a kind below ``THRESHOLD`` is not suggested, and a tie between the
kinds suggests neither rather than guess.

Pure: no web, database or I/O, so the benchmark and the API use the very same code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from gaung.inbox.routing import normalise, stem

Kind = Literal["information_request", "complaint"]
KINDS: tuple[Kind, ...] = ("information_request", "complaint")
THRESHOLD = 1.0
DATA = Path(__file__).parent / "data" / "request_kinds.toml"
EXACT = "="  # a cue word written "=word" matches that form only, not its stem


@dataclass(frozen=True)
class Cue:
    # Each word: (form, exact); exact words compare the normalised form, others the stem.
    words: tuple[tuple[str, bool], ...]
    weight: float


@dataclass(frozen=True)
class KindSuggestion:
    kind: Kind
    score: float
    words: tuple[str, ...]  # the text's words that counted towards it, as normalised there


def compile_cues(raw: Mapping[str, float]) -> tuple[Cue, ...]:
    cues = []
    for phrase, weight in raw.items():
        words = []
        for part in phrase.split():
            exact = part.startswith(EXACT)
            for word in normalise(part.removeprefix(EXACT)):
                words.append((word, True) if exact else (stem(word), False))
        if words:
            cues.append(Cue(tuple(words), float(weight)))
    return tuple(cues)


@cache
def default_cues() -> Mapping[Kind, tuple[Cue, ...]]:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {kind: compile_cues(raw[kind]) for kind in KINDS}


def _score(cues: Sequence[Cue], words: list[str], stems: list[str]) -> tuple[float, list[str]]:
    """Longer phrases first, and a word counts once: "minta data" is one cue, not also
    "minta" and "data"."""
    score = 0.0
    matched: list[tuple[int, str]] = []
    used: set[int] = set()
    for cue in sorted(cues, key=lambda c: -len(c.words)):
        n = len(cue.words)
        for i in range(len(words) - n + 1):
            span = range(i, i + n)
            if not used.intersection(span) and all(
                (words[i + k] if exact else stems[i + k]) == form
                for k, (form, exact) in enumerate(cue.words)
            ):
                score += cue.weight
                used.update(span)
                if cue.weight > 0:
                    matched.append((i, " ".join(words[i : i + n])))
                break
    return score, [phrase for _i, phrase in sorted(matched)]  # in the text's order


def suggest(text: str, cues: Mapping[Kind, Sequence[Cue]] | None = None) -> KindSuggestion | None:
    """The kind the text reads as, with the words that made it; None when neither kind
    reaches the threshold or both score alike."""
    by_kind = default_cues() if cues is None else cues
    words = normalise(text)
    stems = [stem(w) for w in words]
    scored = []
    for kind in KINDS:
        score, matched = _score(by_kind.get(kind, ()), words, stems)
        if score >= THRESHOLD and matched:
            scored.append(KindSuggestion(kind, round(score, 2), tuple(dict.fromkeys(matched))))
    scored.sort(key=lambda s: -s.score)
    if not scored or (len(scored) > 1 and scored[0].score == scored[1].score):
        return None
    return scored[0]
