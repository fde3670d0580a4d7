from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit, snapshot
from gaung.auth import service as auth_service
from gaung.auth.password_policy import MAX_LENGTH, MIN_LENGTH, check_password
from gaung.auth.passwords import hash_password_async, verify_password_async
from gaung.auth.principal import Principal
from gaung.config import Settings
from gaung.kit.errors import AppError, Conflict, Invalid
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from gaung.users.schemas import MeUpdate


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
    require_good_password(password, email=email, name=name)
    user = User(
        email=normalise_email(email),
        name=name,
        password_hash=await hash_password_async(password),
        is_superuser=is_superuser,
        locale=locale,
    )
    session.add(user)
    await session.flush()
    return user


def require_good_password(password: str, *, email: str, name: str, field: str = "password") -> None:
    problem = check_password(password, email=email, name=name)
    if problem is not None:
        raise Invalid(
            f"{field}: {problem.message}",
            code=problem.code,
            fields={field: problem.message},
            limits={field: {"min_length": MIN_LENGTH, "max_length": MAX_LENGTH}},
        )


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


async def _change_password(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    new: str,
    current: str | None,
) -> None:
    user = principal.user
    if not current:
        raise Invalid(
            "current_password: required to change the password",
            fields={"current_password": "required to change the password"},
            rules={"current_password": "missing"},
        )
    require_good_password(new, email=user.email, name=user.name)
    # A stolen access token must not become a way to guess the password: the same throttle
    # as logins, by account.
    await auth_service.check_throttle(session, user.email, None)
    # Nothing is pending yet (the password goes first); end the read transaction before the
    # slow hash, as a login does, so SQLite can write afterwards.
    await session.commit()
    if not await verify_password_async(current, user.password_hash):
        await auth_service.record_failed_login(session, user.email, None, settings)
        raise AppError(
            "current_password: is wrong",
            code="wrong_password",
            status_code=422,
            fields={"current_password": "is wrong"},
        )
    user.password_hash = await hash_password_async(new)
    await auth_service.end_other_sessions(session, user_id=user.id, keep=principal.session_id)
    audit(session, principal, action="change_password", object_type="user", object_id=user.id)


async def update_me(
    session: AsyncSession, principal: Principal, body: MeUpdate, settings: Settings
) -> User:
    user = principal.user
    fields = ["name", "locale"]
    before = snapshot(user, fields)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    new_password = changes.pop("password", None)
    current_password = changes.pop("current_password", None)
    # First: a wrong current password is recorded (committed) and fails the request, which
    # must not keep the other changes.
    if new_password is not None:
        await _change_password(session, principal, settings, new_password, current_password)
    for key, value in changes.items():
        setattr(user, key, value)
    await session.flush()
    if changes or new_password is None:
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


async def add_membership(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_id: int,
    user_id: int,
    role: Role,
    invite_id: int | None = None,
) -> Membership:
    """Make the user a member of the unit (the caller checked who may) and audit it."""
    membership = Membership(user_id=user_id, unit_id=unit_id, role=role)
    session.add(membership)
    await session.flush()
    after: dict[str, object] = {"user_id": user_id, "role": role.value}
    if invite_id is not None:
        after["invite_id"] = invite_id
    audit(
        session,
        principal,
        action="create",
        object_type="membership",
        object_id=membership.id,
        unit_id=unit_id,
        after=after,
    )
    return membership
