from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import EmailStr, Field, StringConstraints, field_validator

from gaung.auth.schemas import RawPassword
from gaung.kit.schemas import Input, Label, Schema
from gaung.users.models import Role

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLOT = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
MAX_CHECKLIST = 12
MAX_SLOTS = 12
ChecklistItem = Annotated[Label, StringConstraints(min_length=1, max_length=80)]


def _check_timezone(value: str) -> str:
    if value not in available_timezones():
        raise ValueError("unknown IANA timezone, e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura")
    ZoneInfo(value)
    return value


class UnitRead(Schema):
    id: int
    name: str
    slug: str
    timezone: str
    approval_required: bool = Field(description="Posts need an approval before scheduling.")
    four_eyes: bool = Field(description="The author of a post cannot approve it.")
    checklist: list[str] = Field(
        description="What an approver ticks before approving (empty: no checklist)."
    )
    default_slots: list[str] = Field(
        description='Suggested publishing times, "HH:MM" in the unit\'s timezone.'
    )
    require_alt_text: bool = Field(
        description="Every image needs alt text before a post is submitted or scheduled."
    )
    created_at: datetime


class UnitList(Schema):
    items: list[UnitRead]


class UnitCreate(Input):
    name: Label = Field(min_length=2, max_length=200)
    slug: str = Field(min_length=2, max_length=64, description="Lowercase letters, digits, '-'.")
    timezone: str = Field(default="Asia/Jakarta")
    approval_required: bool = True
    four_eyes: bool = True

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError("use lowercase letters, digits and single hyphens, e.g. ptpsw")
        return v

    _tz = field_validator("timezone")(_check_timezone)


class UnitUpdate(Input):
    name: Label | None = Field(default=None, min_length=2, max_length=200)
    timezone: str | None = None
    approval_required: bool | None = None
    four_eyes: bool | None = None
    checklist: list[ChecklistItem] | None = Field(default=None, max_length=MAX_CHECKLIST)
    default_slots: list[str] | None = Field(default=None, max_length=MAX_SLOTS)
    require_alt_text: bool | None = None

    @field_validator("checklist")
    @classmethod
    def _checklist(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len({item.casefold() for item in v}) != len(v):
            raise ValueError("each checklist item only once")
        return v

    @field_validator("default_slots")
    @classmethod
    def _slots(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        for slot in v:
            if not SLOT.match(slot):
                raise ValueError(f'"{slot}" is not a time as HH:MM (24-hour), e.g. 09:00')
        # Kept in order, each once: the composer offers them as they come.
        return sorted(set(v))

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return None if v is None else _check_timezone(v)


class MemberRead(Schema):
    user_id: int
    email: str
    name: str
    role: Role


class MemberList(Schema):
    items: list[MemberRead]


class MemberPending(Schema):
    """The answer when the address is not one of your units' members: an invitation is pending
    (the address's owner accepts it), whether or not the address already had an account."""

    email: str
    role: Role
    status: Literal["pending"] = "pending"


class MemberAdd(Input):
    email: EmailStr
    role: Role
    name: Label | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Needed unless the address is a member of one of your units.",
    )
    password: RawPassword | None = Field(
        default=None,
        max_length=200,
        description="Initial password, used only when the address has no account yet. Needed "
        "unless the address is a member of one of your units.",
    )


class MemberUpdate(Input):
    role: Role
