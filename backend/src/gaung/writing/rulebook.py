"""The rule data (TOML files under ``rules/``), read once into typed, read-only structures."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

Text = dict[str, str]  # {"id": ..., "en": ...}
LANGS = ("id", "en")


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    weight: int
    cap: int
    title: Text
    why: Text
    suggestion: Text
    example: dict[str, str]
    platforms: tuple[str, ...] | None  # None: every platform
    extra: dict[str, Text] = field(default_factory=dict)  # other message variants


@dataclass(frozen=True)
class Phrase:
    rule: str
    words: tuple[str, ...]  # "*" is a gap of one to three words
    replace: str
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Threshold:
    key: str
    default: float
    min: float
    integer: bool
    description: Text


@dataclass(frozen=True)
class ElectionTerms:
    """Political terms, warned about only during an election quiet period."""

    rule: Rule
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> word sequences, longest first


@dataclass(frozen=True)
class Rulebook:
    rules: dict[str, Rule]
    phrases: dict[str, tuple[Phrase, ...]]  # first word -> phrases starting with it
    max_phrase_words: int
    plural_quantifiers: frozenset[str]
    action_verbs: frozenset[str]
    active_verbs: frozenset[str]  # the subset whose known pairs make a direct replacement
    verb_of_noun: dict[str, str]
    vague_nouns: frozenset[str]
    abstract_words: frozenset[str]
    familiar_acronyms: frozenset[str]
    not_acronyms: frozenset[str]
    institution_words: frozenset[str]
    opening_verbs: frozenset[str]
    opening_reach: int
    cta_stems: tuple[str, ...]
    passive_auxiliaries: frozenset[str]
    not_passive: frozenset[str]
    generic_alt: frozenset[str]
    file_extensions: frozenset[str]
    thresholds: dict[str, Threshold]
    election: ElectionTerms


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or set(value) != set(LANGS):
        raise ValueError(f"{where}: needs both 'id' and 'en' texts")
    return {lang: str(value[lang]) for lang in LANGS}


def _load(name: str) -> dict[str, Any]:
    data = resources.files("gaung.writing").joinpath("rules", name).read_text("utf-8")
    return tomllib.loads(data)


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words)


def _rule(code: str, raw: dict[str, Any]) -> Rule:
    extra = {
        key: _text(value, f"{code}.{key}")
        for key, value in raw.items()
        if key.startswith("suggestion_")
    }
    platforms = raw.get("platforms")
    return Rule(
        code=code,
        category=raw["category"],
        weight=int(raw.get("weight", 0)),
        cap=int(raw.get("cap", 0)),
        title=_text(raw["title"], f"{code}.title"),
        why=_text(raw["why"], f"{code}.why"),
        suggestion=_text(raw["suggestion"], f"{code}.suggestion"),
        example={k: str(v) for k, v in raw["example"].items()},
        platforms=tuple(platforms) if platforms else None,
        extra=extra,
    )


def _election() -> ElectionTerms:
    data = _load("election.toml")
    terms = data["terms"]
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in terms["phrases"]:
        words = tuple(phrase.casefold().split())
        index.setdefault(words[0], []).append(words)
    return ElectionTerms(
        # Weight 0: a warning about timing, not about the writing; it never lowers the score.
        rule=_rule(data["rule"]["code"], data["rule"]),
        words=_lower(terms["words"]),
        prefixes=tuple(p.casefold() for p in terms["prefixes"]),
        phrases={k: tuple(sorted(v, key=lambda w: -len(w))) for k, v in index.items()},
    )


@cache
def rulebook() -> Rulebook:
    """The rules shipped with this version (read and checked once)."""
    meta = _load("rules.toml")
    phrase_data = _load("phrases.toml")
    lexicon = _load("lexicon.toml")
    rules: dict[str, Rule] = {}
    for code, raw in meta["rules"].items():
        rules[code] = _rule(code, raw)
    index: dict[str, list[Phrase]] = {}
    longest = 1
    for rule in ("redundant_phrase", "nonstandard_word", "bureaucratic_phrase"):
        for raw in phrase_data[rule]:
            words = tuple(raw["match"].casefold().split())
            phrase = Phrase(
                rule=rule,
                words=words,
                replace=raw["replace"],
                not_after=_lower(raw.get("not_after", [])),
                not_before=_lower(raw.get("not_before", [])),
            )
            index.setdefault(words[0], []).append(phrase)
            longest = max(longest, len(words) + (2 if "*" in words else 0))
    # Longest first, so "dapat kami sampaikan bahwa" wins over "dapat kami sampaikan".
    phrases = {
        first: tuple(sorted(items, key=lambda p: -len(p.words))) for first, items in index.items()
    }
    melakukan = phrase_data["melakukan_noun"]
    thresholds = {
        key: Threshold(
            key=key,
            default=raw["default"],
            min=raw["min"],
            integer=isinstance(raw["default"], int),
            description=_text(raw["description"], f"thresholds.{key}"),
        )
        for key, raw in meta["thresholds"].items()
    }
    return Rulebook(
        rules=rules,
        phrases=phrases,
        max_phrase_words=longest,
        plural_quantifiers=_lower(phrase_data["plural_quantifiers"]["words"]),
        action_verbs=_lower(melakukan["verbs"]),
        active_verbs=frozenset(v for v in _lower(melakukan["verbs"]) if v.startswith("me")),
        verb_of_noun={k.casefold(): v for k, v in melakukan["pairs"].items()},
        vague_nouns=_lower(phrase_data["vague_noun"]["nouns"]),
        abstract_words=_lower(phrase_data["vague_noun"]["abstract"]),
        familiar_acronyms=frozenset(a.upper() for a in lexicon["acronyms"]["familiar"]),
        not_acronyms=frozenset(a.upper() for a in lexicon["acronyms"]["not_acronyms"]),
        institution_words=_lower(lexicon["opening"]["institution_words"]),
        opening_verbs=_lower(lexicon["opening"]["verbs"]),
        opening_reach=int(lexicon["opening"]["reach"]),
        cta_stems=tuple(s.casefold() for s in lexicon["cta"]["stems"]),
        passive_auxiliaries=_lower(lexicon["passive"]["auxiliaries"]),
        not_passive=_lower(lexicon["passive"]["not_passive"]),
        generic_alt=_lower(lexicon["alt_text"]["generic"]),
        file_extensions=_lower(lexicon["alt_text"]["extensions"]),
        thresholds=thresholds,
        election=_election(),
    )
