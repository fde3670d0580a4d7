from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit, snapshot
from gaung.auth.passwords import hash_password
from gaung.kit.errors import Conflict
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from gaung.users.schemas import MeUpdate

if TYPE_CHECKING:
    from gaung.auth.deps import Principal


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password: str,
    is_superuser: bool = False,
    locale: str = "id",
) -> User:
    if await get_by_email(session, email) is not None:
        raise Conflict(
            f"A user with email {email} already exists.",
            code="email_taken",
            fields={"email": "already registered"},
        )
    user = User(
        email=normalise_email(email),
        name=name,
        password_hash=hash_password(password),
        is_superuser=is_superuser,
        locale=locale,
    )
    session.add(user)
    await session.flush()
    return user


async def memberships_of(session: AsyncSession, user: User) -> list[tuple[Membership, Unit]]:
    if user.is_superuser:
        units = (await session.scalars(select(Unit).order_by(Unit.name))).all()
        return [(Membership(user_id=user.id, unit_id=u.id, role=Role.admin), u) for u in units]
    rows = await session.execute(
        select(Membership, Unit)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(Membership.user_id == user.id)
        .order_by(Unit.name)
    )
    return [(m, u) for m, u in rows]


async def update_me(session: AsyncSession, principal: Principal, body: MeUpdate) -> User:
    user = principal.user
    fields = ["name", "locale"]
    before = snapshot(user, fields)
    for key, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, key, value)
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="user",
        object_id=user.id,
        before=before,
        after=snapshot(user, fields),
    )
    return user
