from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit, snapshot
from gaung.auth.passwords import hash_password_async
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.invites import service as invites
from gaung.kit.errors import Conflict, Forbidden, Invalid, NotFound
from gaung.units.models import Unit
from gaung.units.schemas import MemberAdd, MemberPending, MemberRead, UnitCreate, UnitUpdate
from gaung.users.models import Membership, Role, User
from gaung.users.service import (
    add_membership,
    create_user,
    get_by_email,
    normalise_email,
    require_good_password,
)

UNIT_FIELDS = [
    "name",
    "slug",
    "timezone",
    "approval_required",
    "four_eyes",
    "checklist",
    "default_slots",
    "require_alt_text",
]


async def list_units(session: AsyncSession, principal: Principal) -> list[Unit]:
    ids = principal.unit_ids(Perm.read)
    return list(
        (await session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name))).all()
    )


async def get_unit(session: AsyncSession, principal: Principal, unit_id: int, perm: Perm) -> Unit:
    principal.require(unit_id, perm)
    unit = await session.get(Unit, unit_id)
    if unit is None:  # pragma: no cover - membership implies the unit exists
        raise NotFound("Unit not found.", code="unit_not_found")
    return unit


async def create_unit(session: AsyncSession, principal: Principal, body: UnitCreate) -> Unit:
    if not principal.user.is_superuser:
        raise Forbidden(
            "Only the instance administrator can create units.", code="insufficient_role"
        )
    if await session.scalar(select(Unit.id).where(Unit.slug == body.slug)) is not None:
        raise Conflict(
            f"A unit with slug {body.slug} exists.",
            code="slug_taken",
            fields={"slug": "already used"},
        )
    unit = Unit(**body.model_dump())
    session.add(unit)
    await session.flush()
    principal.roles[unit.id] = Role.admin
    audit(
        session,
        principal,
        action="create",
        object_type="unit",
        object_id=unit.id,
        unit_id=unit.id,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


async def update_unit(
    session: AsyncSession, principal: Principal, unit_id: int, body: UnitUpdate
) -> Unit:
    unit = await get_unit(session, principal, unit_id, Perm.manage_unit)
    before = snapshot(unit, UNIT_FIELDS)
    for key, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(unit, key, value)
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="unit",
        object_id=unit.id,
        unit_id=unit.id,
        before=before,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


def _member(m: Membership, u: User) -> MemberRead:
    return MemberRead(user_id=u.id, email=u.email, name=u.name, role=m.role)


async def list_members(
    session: AsyncSession, principal: Principal, unit_id: int
) -> list[MemberRead]:
    principal.require(unit_id, Perm.read)
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.unit_id == unit_id)
        .order_by(User.name)
    )
    return [_member(m, u) for m, u in rows]


async def _visible(session: AsyncSession, principal: Principal, user: User) -> bool:
    """Whether the caller can already see ``user``: a superuser sees everyone, anyone else
    the members of their own units."""
    if principal.user.is_superuser:
        return True
    shared = await session.scalar(
        select(Membership.id)
        .where(Membership.user_id == user.id, Membership.unit_id.in_(list(principal.roles)))
        .limit(1)
    )
    return shared is not None


async def add_member(
    session: AsyncSession, principal: Principal, unit_id: int, body: MemberAdd
) -> MemberRead | MemberPending:
    """Someone the caller can see is added at once. Anyone else gets an invitation, and the
    answer is the same whether or not the address had an account, so an admin cannot probe
    other units' members by e-mail."""
    principal.require(unit_id, Perm.manage_unit)
    user = await get_by_email(session, body.email)
    if user is not None and await _visible(session, principal, user):
        return await _add(session, principal, unit_id, user, body.role)
    missing = {
        f: "required unless the address is a member of one of your units"
        for f in ("name", "password")
        if not getattr(body, f)
    }
    if missing:
        raise Invalid(
            f"{normalise_email(body.email)} is not a member of your units: give a name and an "
            "initial password (used if the address has no account yet).",
            fields=missing,
        )
    assert body.name is not None and body.password is not None
    # Checked whether or not the address has an account, so a refusal tells nothing either.
    require_good_password(body.password, email=body.email, name=body.name)
    if user is None:
        user = await create_user(session, email=body.email, name=body.name, password=body.password)
        audit(
            session,
            principal,
            action="create",
            object_type="user",
            object_id=user.id,
            # Outside the unit's trail when inviting: it would tell the address was new.
            unit_id=unit_id if principal.user.is_superuser else None,
            after={"email": user.email, "name": user.name},
        )
        if principal.user.is_superuser:
            return await _add(session, principal, unit_id, user, body.role)
    else:
        # The password is not used, but hashing it anyway keeps the answer's timing the same.
        await hash_password_async(body.password)
    await invites.invite(session, principal, unit_id, user, body.role)
    return MemberPending(email=normalise_email(body.email), role=body.role)


async def _add(
    session: AsyncSession, principal: Principal, unit_id: int, user: User, role: Role
) -> MemberRead:
    existing = await session.scalar(
        select(Membership).where(Membership.unit_id == unit_id, Membership.user_id == user.id)
    )
    if existing is not None:
        raise Conflict(
            f"{user.email} is already a member ({existing.role.value}).",
            code="already_member",
            fields={"email": "already a member of this unit"},
        )
    membership = await add_membership(
        session, principal, unit_id=unit_id, user_id=user.id, role=role
    )
    return _member(membership, user)


async def _membership(session: AsyncSession, unit_id: int, user_id: int) -> tuple[Membership, User]:
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.unit_id == unit_id, Membership.user_id == user_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"User {user_id} is not a member of this unit.", code="member_not_found")
    return row[0], row[1]


async def _ensure_an_admin_remains(
    session: AsyncSession, unit_id: int, leaving: Membership
) -> None:
    if leaving.role != Role.admin:
        return
    admins = await session.scalar(
        select(func.count()).where(Membership.unit_id == unit_id, Membership.role == Role.admin)
    )
    if (admins or 0) <= 1:
        raise Conflict(
            "A unit needs at least one admin: make someone else admin first.",
            code="last_admin",
        )


async def update_member(
    session: AsyncSession, principal: Principal, unit_id: int, user_id: int, role: Role
) -> MemberRead:
    principal.require(unit_id, Perm.manage_unit)
    membership, user = await _membership(session, unit_id, user_id)
    if role != Role.admin:
        await _ensure_an_admin_remains(session, unit_id, membership)
    before = {"role": membership.role.value}
    membership.role = role
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="membership",
        object_id=membership.id,
        unit_id=unit_id,
        before=before,
        after={"role": role.value},
    )
    return _member(membership, user)


async def remove_member(
    session: AsyncSession, principal: Principal, unit_id: int, user_id: int
) -> None:
    principal.require(unit_id, Perm.manage_unit)
    membership, _user = await _membership(session, unit_id, user_id)
    await _ensure_an_admin_remains(session, unit_id, membership)
    audit(
        session,
        principal,
        action="delete",
        object_type="membership",
        object_id=membership.id,
        unit_id=unit_id,
        before={"user_id": user_id, "role": membership.role.value},
    )
    await session.delete(membership)
    await session.flush()
