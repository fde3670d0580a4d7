"""Why a unit's posts wait: the pure part (no web or database imports)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from gaung.holds.models import BlackoutKind


class HoldKind(StrEnum):
    agency_pause = "agency_pause"
    unit_pause = "unit_pause"
    blackout = "blackout"


# The most binding first: a pause lasts until someone resumes, a period ends by itself.
ORDER = {HoldKind.agency_pause: 0, HoldKind.unit_pause: 1, HoldKind.blackout: 2}


@dataclass(frozen=True)
class HoldReason:
    kind: HoldKind
    since: datetime
    until: datetime | None  # None: until someone resumes
    unit_id: int | None  # None: agency-wide
    source_id: int  # the pause's or the blackout period's id
    reason: str | None = None  # a pause's reason
    blackout_kind: BlackoutKind | None = None
    label: str | None = None  # a blackout period's label


@dataclass(frozen=True)
class HoldInfo:
    """Why one unit's due posts wait at one instant."""

    unit_id: int
    reasons: tuple[HoldReason, ...]  # never empty, the most binding first

    @property
    def kind(self) -> HoldKind:
        return self.reasons[0].kind

    @property
    def until(self) -> datetime | None:
        """The earliest the hold can lift (None: only when someone resumes). A period that
        starts later may extend it."""
        ends = [r.until for r in self.reasons]
        if any(end is None for end in ends):
            return None
        return max(end for end in ends if end is not None)

    @property
    def election_quiet(self) -> bool:
        return any(r.blackout_kind == BlackoutKind.election_quiet for r in self.reasons)


def sort_reasons(reasons: Iterable[HoldReason]) -> tuple[HoldReason, ...]:
    return tuple(sorted(reasons, key=lambda r: (ORDER[r.kind], r.since, r.source_id)))


def by_unit(reasons: Iterable[HoldReason], unit_ids: Iterable[int]) -> dict[int, HoldInfo]:
    """Each unit's hold: its own reasons plus the agency-wide ones (which hold every unit in
    ``unit_ids``). Units with no reason are left out."""
    agency: list[HoldReason] = []
    own: dict[int, list[HoldReason]] = {}
    for r in reasons:
        if r.unit_id is None:
            agency.append(r)
        else:
            own.setdefault(r.unit_id, []).append(r)
    targets = (set(unit_ids) | set(own)) if agency else set(own)
    out: dict[int, HoldInfo] = {}
    for unit_id in sorted(targets):
        found = agency + own.get(unit_id, [])
        if found:
            out[unit_id] = HoldInfo(unit_id, sort_reasons(found))
    return out
