"""Telling people: one call creates a notification for each person who should know."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.notifications.models import Notification, NotificationKind
from gaung.users.models import Membership, Role, User


async def notify(
    session: AsyncSession,
    *,
    unit_id: int,
    kind: NotificationKind,
    object_type: str | None = None,
    object_id: int | str | None = None,
    params: Mapping[str, Any] | None = None,
    roles: Collection[Role] = (),
    user_ids: Collection[int] = (),
    exclude_user_id: int | None = None,
) -> list[Notification]:
    """Notify the unit's active members who hold one of ``roles``, plus ``user_ids``; never
    ``exclude_user_id`` (whoever caused it already knows). Added to the caller's transaction,
    so a change and its notice are kept or lost together."""
    wanted = set(user_ids)
    if roles:
        rows = await session.scalars(
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.unit_id == unit_id,
                Membership.role.in_(list(roles)),
                User.is_active.is_(True),
            )
        )
        wanted.update(rows)
    if exclude_user_id is not None:
        wanted.discard(exclude_user_id)
    notes = [
        Notification(
            user_id=user_id,
            unit_id=unit_id,
            kind=kind,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            params=dict(params or {}),
        )
        for user_id in sorted(wanted)
    ]
    session.add_all(notes)
    return notes
