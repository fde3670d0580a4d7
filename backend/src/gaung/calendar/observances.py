"""Days the calendar marks: national holidays and cuti bersama (from the ``holidays`` package)
and commemoration days government accounts mark (``data/commemorations.json``, with sources).

Pure: no web or database. A year's list is built once and kept (a few years at most).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any, Literal

import holidays

ObservanceKind = Literal["holiday", "cuti_bersama", "commemoration"]
# Years before and after this one a calendar may show; the package has no data far out.
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Observance:
    date: date
    name: str  # Indonesian
    name_en: str
    kind: ObservanceKind

    @property
    def template_kind(self) -> Literal["greeting"] | None:
        # A holiday or commemoration invites a greeting card; a leave day does not.
        return None if self.kind == "cuti_bersama" else "greeting"


@cache
def _commemorations() -> tuple[dict[str, Any], ...]:
    text = files("gaung.calendar").joinpath("data/commemorations.json").read_text("utf-8")
    days: list[dict[str, Any]] = json.loads(text)["days"]
    return tuple(days)


def _national(year: int, category: str) -> list[tuple[date, str, str]]:
    names_id = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
    names_en = holidays.country_holidays("ID", years=year, categories=(category,), language="en_US")
    return [(day, name, names_en.get(day, name)) for day, name in sorted(names_id.items())]


@lru_cache(maxsize=8)
def observances_of_year(year: int) -> tuple[Observance, ...]:
    """Every observance of ``year``, by date; holidays before cuti bersama before
    commemorations on the same day."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return ()
    found: list[Observance] = []
    for category, kind in (("public", "holiday"), ("government", "cuti_bersama")):
        for day, name, name_en in _national(year, category):
            # A day with two holidays comes as "A; B" in both languages.
            for one_id, one_en in zip(
                name.split("; "), _pad(name_en.split("; "), name.count("; ") + 1), strict=True
            ):
                found.append(Observance(day, one_id, one_en or one_id, kind))  # type: ignore[arg-type]
    for entry in _commemorations():
        found.append(
            Observance(
                date(year, entry["month"], entry["day"]),
                entry["name"],
                entry["name_en"],
                "commemoration",
            )
        )
    order = {"holiday": 0, "cuti_bersama": 1, "commemoration": 2}
    return tuple(sorted(found, key=lambda o: (o.date, order[o.kind])))


def _pad(items: list[str], n: int) -> list[str]:
    return (items + [""] * n)[:n]


def observances_between(first: date, last: date) -> list[Observance]:
    """Observances from ``first`` to ``last``, both included."""
    out: list[Observance] = []
    for year in range(first.year, last.year + 1):
        out.extend(o for o in observances_of_year(year) if first <= o.date <= last)
    return out
