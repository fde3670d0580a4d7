"""The demo unit's expert topics, read from ``data/ptpsw_topics.toml`` (plain data, no ORM)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gaung.inbox.routing import Topic

DATA = Path(__file__).parent / "data" / "ptpsw_topics.toml"


@dataclass(frozen=True)
class TopicData:
    key: str
    name: str
    name_en: str
    keywords: dict[str, float]
    categories: tuple[str, ...]

    def classifier(self) -> Topic:
        return Topic(self.key, self.keywords, self.categories)


@cache
def demo_topics() -> tuple[TopicData, ...]:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        TopicData(
            key=t["key"],
            name=t["name"],
            name_en=t["name_en"],
            keywords={str(k): float(v) for k, v in t["keywords"].items()},
            categories=tuple(t.get("categories", ())),
        )
        for t in raw["topic"]
    )
