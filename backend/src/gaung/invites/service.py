"""Invitations into a unit: created when an admin adds someone they cannot already see, answered
by the invitee. Every step is audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.invites.models import MembershipInvite
from gaung.invites.schemas import InvitationRead, SentInvitationRead, UnitRef
from gaung.kit.errors import Conflict, NotFound
from gaung.kit.time import utcnow
from gaung.units.models import Unit
from gaung.units.schemas import UnitRead
from gaung.users.models import Membership, Role, User
from gaung.users.schemas import MembershipRead
from gaung.users.service import add_membership

INVITE_LIFETIME = timedelta(days=14)


def _pending() -> ColumnElement[bool]:
    return and_(
        MembershipInvite.accepted_at.is_(None),
        MembershipInvite.declined_at.is_(None),
        MembershipInvite.expires_at > utcnow(),
    )


async def invite(
    session: AsyncSession, principal: Principal, unit_id: int, user: User, role: Role
) -> MembershipInvite:
    """Invite ``user`` into the unit; a second invitation renews the pending one."""
    existing = await session.scalar(
        select(MembershipInvite).where(
            MembershipInvite.unit_id == unit_id, MembershipInvite.user_id == user.id, _pending()
        )
    )
    expires_at = utcnow() + INVITE_LIFETIME
    if existing is None:
        inv = MembershipInvite(
            unit_id=unit_id,
            user_id=user.id,
            role=role,
            invited_by=principal.user.id,
            expires_at=expires_at,
        )
        session.add(inv)
        await session.flush()
        action, before = "create", None
    else:
        inv = existing
        before = {"role": inv.role.value, "expires_at": inv.expires_at.isoformat()}
        inv.role, inv.invited_by, inv.expires_at = role, principal.user.id, expires_at
        await session.flush()
        action = "update"
    audit(
        session,
        principal,
        action=action,
        object_type="membership_invite",
        object_id=inv.id,
        unit_id=unit_id,
        before=before,
        after={"user_id": user.id, "role": role.value, "expires_at": expires_at.isoformat()},
    )
    return inv


async def list_sent(
    session: AsyncSession, principal: Principal, unit_id: int
) -> list[SentInvitationRead]:
    principal.require(unit_id, Perm.manage_unit)
    rows = await session.execute(
        select(MembershipInvite, User.email)
        .join(User, User.id == MembershipInvite.user_id)
        .where(MembershipInvite.unit_id == unit_id, _pending())
        .order_by(MembershipInvite.id)
    )
    return [
        SentInvitationRead(
            id=inv.id,
            email=email,
            role=inv.role,
            created_at=inv.created_at,
            expires_at=inv.expires_at,
        )
        for inv, email in rows
    ]


async def revoke(session: AsyncSession, principal: Principal, unit_id: int, invite_id: int) -> None:
    """An admin withdraws a pending invitation into their unit (the audit trail keeps it)."""
    principal.require(unit_id, Perm.manage_unit)
    inv = await session.scalar(
        select(MembershipInvite).where(
            MembershipInvite.id == invite_id, MembershipInvite.unit_id == unit_id, _pending()
        )
    )
    if inv is None:
        raise NotFound(f"Invitation {invite_id} not found.", code="invitation_not_found")
    audit(
        session,
        principal,
        action="delete",
        object_type="membership_invite",
        object_id=inv.id,
        unit_id=unit_id,
        before={"user_id": inv.user_id, "role": inv.role.value},
    )
    await session.delete(inv)
    await session.flush()


async def list_mine(session: AsyncSession, principal: Principal) -> list[InvitationRead]:
    inviter = User.__table__.alias("inviter")
    rows = await session.execute(
        select(MembershipInvite, Unit, inviter.c.name)
        .join(Unit, Unit.id == MembershipInvite.unit_id)
        .outerjoin(inviter, inviter.c.id == MembershipInvite.invited_by)
        .where(MembershipInvite.user_id == principal.user.id, _pending())
        .order_by(MembershipInvite.id)
    )
    return [
        InvitationRead(
            id=inv.id,
            unit=UnitRef(id=unit.id, name=unit.name),
            role=inv.role,
            invited_by=inviter_name,
            created_at=inv.created_at,
            expires_at=inv.expires_at,
        )
        for inv, unit, inviter_name in rows
    ]


async def _mine(session: AsyncSession, principal: Principal, invite_id: int) -> MembershipInvite:
    """The caller's own pending invitation; anyone else's, or an answered or expired one, is
    not found."""
    inv = await session.scalar(
        select(MembershipInvite).where(
            MembershipInvite.id == invite_id,
            MembershipInvite.user_id == principal.user.id,
            _pending(),
        )
    )
    if inv is None:
        raise NotFound(f"Invitation {invite_id} not found.", code="invitation_not_found")
    return inv


async def accept(session: AsyncSession, principal: Principal, invite_id: int) -> MembershipRead:
    inv = await _mine(session, principal, invite_id)
    already = await session.scalar(
        select(Membership.id).where(
            Membership.unit_id == inv.unit_id, Membership.user_id == principal.user.id
        )
    )
    if already is not None:
        raise Conflict(
            "You are already a member of this unit; decline the invitation instead.",
            code="already_member",
        )
    inv.accepted_at = utcnow()
    membership = await add_membership(
        session,
        principal,
        unit_id=inv.unit_id,
        user_id=principal.user.id,
        role=inv.role,
        invite_id=inv.id,
    )
    audit(
        session,
        principal,
        action="accept",
        object_type="membership_invite",
        object_id=inv.id,
        unit_id=inv.unit_id,
        after={"membership_id": membership.id},
    )
    if not principal.user.is_superuser:
        principal.roles[inv.unit_id] = inv.role
    unit = await session.get(Unit, inv.unit_id)
    assert unit is not None  # the invitation cascades with its unit
    return MembershipRead.of(inv.role, UnitRead.model_validate(unit))


async def decline(session: AsyncSession, principal: Principal, invite_id: int) -> None:
    inv = await _mine(session, principal, invite_id)
    inv.declined_at = utcnow()
    await session.flush()
    audit(
        session,
        principal,
        action="decline",
        object_type="membership_invite",
        object_id=inv.id,
        unit_id=inv.unit_id,
    )
