"""Telling people: one call creates a notification for each person who should know."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.principal import Principal
from gaung.kit.errors import NotFound
from gaung.kit.time import utcnow
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


# --- reading one's own notifications ---------------------------------------------------------
# Every query here is filtered by the caller's user id: notifications are personal, whatever
# the unit they came from.


def _mine(stmt: Select[Any], principal: Principal) -> Select[Any]:
    return stmt.where(Notification.user_id == principal.user.id)


async def list_mine(
    session: AsyncSession, principal: Principal, *, unread_only: bool, limit: int, offset: int
) -> tuple[list[Notification], int]:
    stmt = _mine(select(Notification), principal)
    count = _mine(select(func.count()).select_from(Notification), principal)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
        count = count.where(Notification.read_at.is_(None))
    items = await session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(items.all()), int(await session.scalar(count) or 0)


async def unread_count(session: AsyncSession, principal: Principal) -> int:
    stmt = _mine(select(func.count()).select_from(Notification), principal).where(
        Notification.read_at.is_(None)
    )
    return int(await session.scalar(stmt) or 0)


async def mark_read(
    session: AsyncSession, principal: Principal, notification_id: int
) -> Notification:
    note = await session.get(Notification, notification_id)
    if note is None or note.user_id != principal.user.id:
        # Someone else's notification is as absent as one that does not exist.
        raise NotFound(f"Notification {notification_id} not found.", code="notification_not_found")
    if note.read_at is None:
        note.read_at = utcnow()
        await session.flush()
    return note


async def mark_all_read(session: AsyncSession, principal: Principal) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == principal.user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
