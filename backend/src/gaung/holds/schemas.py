from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from gaung.holds.models import BlackoutKind
from gaung.kit.schemas import Input, Label, Schema, UtcDatetime
from gaung.users.schemas import UserRef


class PauseIn(Input):
    reason: Label = Field(
        min_length=1, max_length=500, description="Why posts wait, for everyone in the unit."
    )


class PauseRead(Schema):
    id: int
    unit_id: int | None = Field(description="null: the whole agency is paused.")
    reason: str
    paused_at: datetime
    paused_by: UserRef | None
    resumed_at: datetime | None
    resumed_by: UserRef | None


class BlackoutIn(Input):
    kind: BlackoutKind = Field(
        description="`election_quiet` (masa tenang: also warns on political content), "
        "`mourning` (hari berkabung) or `other`."
    )
    label: Label = Field(min_length=1, max_length=200, examples=["Masa tenang Pilkada 2029"])
    starts_at: UtcDatetime = Field(description="ISO 8601 with an offset; stored in UTC.")
    ends_at: UtcDatetime = Field(description="Exclusive; after starts_at and in the future.")


class BlackoutRead(Schema):
    id: int
    unit_id: int | None = Field(description="null: agency-wide.")
    kind: BlackoutKind
    label: str
    starts_at: datetime
    ends_at: datetime
    active: bool = Field(description="In force now.")
    created_by: UserRef | None
    created_at: datetime


class HoldReasonRead(Schema):
    kind: Literal["agency_pause", "unit_pause", "blackout"]
    since: datetime
    until: datetime | None = Field(description="null: until someone resumes.")
    reason: str | None = Field(description="A pause's reason.")
    blackout: BlackoutRead | None


class HoldStatus(Schema):
    unit_id: int
    held: bool = Field(description="Due posts of the unit wait now.")
    reasons: list[HoldReasonRead] = Field(description="Why, most binding first.")
    quiet_period: bool = Field(
        description="An election quiet period applies now: the writing check and post "
        "validation warn on political content."
    )
    pause: PauseRead | None = Field(description="The unit's own pause, if paused.")
    agency_pause: PauseRead | None
    blackouts: list[BlackoutRead] = Field(
        description="Current and upcoming blackout periods (the unit's and agency-wide), "
        "soonest first."
    )
    waiting: int = Field(description="Scheduled variants that are due and wait for the hold.")


class AgencyHolds(Schema):
    pause: PauseRead | None
    blackouts: list[BlackoutRead] = Field(description="Current and upcoming agency-wide periods.")
