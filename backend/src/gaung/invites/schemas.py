from __future__ import annotations

from datetime import datetime

from gaung.kit.schemas import Schema
from gaung.users.models import Role


class UnitRef(Schema):
    id: int
    name: str


class InvitationRead(Schema):
    """An invitation as its invitee sees it."""

    id: int
    unit: UnitRef
    role: Role
    invited_by: str | None  # the inviting admin's name
    created_at: datetime
    expires_at: datetime


class InvitationList(Schema):
    items: list[InvitationRead]


class SentInvitationRead(Schema):
    """A pending invitation as the unit's admins see it: only what they typed themselves."""

    id: int
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime


class SentInvitationList(Schema):
    items: list[SentInvitationRead]
