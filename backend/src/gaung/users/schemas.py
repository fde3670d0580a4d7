from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaung.auth.permissions import ROLE_PERMS, Perm
from gaung.auth.schemas import RawPassword
from gaung.kit.schemas import Input, Label, Schema
from gaung.units.schemas import UnitRead
from gaung.users.models import Role


class MembershipRead(Schema):
    role: Role
    unit: UnitRead
    permissions: list[Perm] = Field(
        description="What the role allows in this unit; the web app shows actions by these."
    )

    @classmethod
    def of(cls, role: Role, unit: UnitRead) -> MembershipRead:
        return cls(role=role, unit=unit, permissions=sorted(ROLE_PERMS[role], key=list(Perm).index))


class MeRead(Schema):
    id: int
    email: str
    name: str
    locale: Literal["id", "en"]
    is_superuser: bool
    memberships: list[MembershipRead]


class MeUpdate(Input):
    name: Label | None = Field(default=None, min_length=1, max_length=200)
    locale: Literal["id", "en"] | None = None
    password: RawPassword | None = Field(
        default=None,
        max_length=200,
        description="A new password (at least 10 characters, not a common one); needs "
        "`current_password`. Your other sessions end.",
    )
    current_password: RawPassword | None = Field(default=None, max_length=200)


class UserRef(Schema):
    id: int
    name: str
