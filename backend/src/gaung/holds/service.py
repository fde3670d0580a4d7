"""Pauses and blackout periods: who may set them, the audit trail, and which units are held.

``held_units`` is what the publishing pipeline asks before it claims due variants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.holds.core import HoldInfo, HoldKind, HoldReason, by_unit, sort_reasons
from gaung.holds.models import BlackoutKind, BlackoutPeriod, Pause
from gaung.holds.schemas import (
    AgencyHolds,
    BlackoutIn,
    BlackoutRead,
    HoldReasonRead,
    HoldStatus,
    PauseIn,
    PauseRead,
)
from gaung.kit.errors import Conflict, Forbidden, Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.users.models import User
from gaung.users.schemas import UserRef

__all__ = ["HoldInfo", "HoldKind", "HoldReason", "held_units", "quiet_period", "unit_held_clause"]

# Who may pause a unit or set its blackout periods: its admins and editors.
MANAGE = Perm.manage_posts
MAX_PERIOD = timedelta(days=366)  # a longer freeze is a pause
UPCOMING = 50  # periods listed in a status
BLACKOUT_FIELDS = ["unit_id", "kind", "label", "starts_at", "ends_at"]


# --- what holds now ----------------------------------------------------------------------------


def _active_pauses(at: datetime) -> Select[Pause]:
    return select(Pause).where(
        Pause.paused_at <= at, or_(Pause.resumed_at.is_(None), Pause.resumed_at > at)
    )


def _active_blackouts(at: datetime) -> Select[BlackoutPeriod]:
    return select(BlackoutPeriod).where(BlackoutPeriod.starts_at <= at, BlackoutPeriod.ends_at > at)


def _pause_reason(p: Pause) -> HoldReason:
    return HoldReason(
        kind=HoldKind.agency_pause if p.unit_id is None else HoldKind.unit_pause,
        since=p.paused_at,
        until=None,
        unit_id=p.unit_id,
        source_id=p.id,
        reason=p.reason,
    )


def _blackout_reason(b: BlackoutPeriod) -> HoldReason:
    return HoldReason(
        kind=HoldKind.blackout,
        since=b.starts_at,
        until=b.ends_at,
        unit_id=b.unit_id,
        source_id=b.id,
        blackout_kind=b.kind,
        label=b.label,
    )


async def held_units(session: AsyncSession, at: datetime) -> dict[int, HoldInfo]:
    """Unit id -> why its posts wait at ``at``: the unit paused, the agency paused, or a
    blackout period (an election quiet period among them) of the unit or of the agency.
    Units that are not held are absent."""
    pauses = (await session.scalars(_active_pauses(at))).all()
    blackouts = (await session.scalars(_active_blackouts(at))).all()
    reasons = [_pause_reason(p) for p in pauses] + [_blackout_reason(b) for b in blackouts]
    unit_ids: Sequence[int] = []
    if any(r.unit_id is None for r in reasons):
        unit_ids = (await session.scalars(select(Unit.id))).all()
    return by_unit(reasons, unit_ids)


def unit_held_clause(unit_id: Any, at: Any) -> ColumnElement[bool]:
    """SQL, true while the unit is held at ``at``: a pause or a blackout of its own or of the
    agency, the rule of ``held_units``, for a query that needs it inline (the calendar)."""
    return or_(
        _active_pauses(at).where(or_(Pause.unit_id == unit_id, Pause.unit_id.is_(None))).exists(),
        _active_blackouts(at)
        .where(or_(BlackoutPeriod.unit_id == unit_id, BlackoutPeriod.unit_id.is_(None)))
        .exists(),
    )


async def _unit_reasons(session: AsyncSession, unit_id: int, at: datetime) -> list[HoldReason]:
    pauses = (
        await session.scalars(
            _active_pauses(at).where(or_(Pause.unit_id == unit_id, Pause.unit_id.is_(None)))
        )
    ).all()
    blackouts = (
        await session.scalars(
            _active_blackouts(at).where(
                or_(BlackoutPeriod.unit_id == unit_id, BlackoutPeriod.unit_id.is_(None))
            )
        )
    ).all()
    return [_pause_reason(p) for p in pauses] + [_blackout_reason(b) for b in blackouts]


async def quiet_period(session: AsyncSession, unit_id: int, at: datetime) -> BlackoutPeriod | None:
    """The election quiet period that applies to the unit at ``at`` (the one ending last), if
    any: while it lasts, the writing checks warn on political content."""
    found: BlackoutPeriod | None = await session.scalar(
        _active_blackouts(at)
        .where(
            BlackoutPeriod.kind == BlackoutKind.election_quiet,
            or_(BlackoutPeriod.unit_id == unit_id, BlackoutPeriod.unit_id.is_(None)),
        )
        .order_by(BlackoutPeriod.ends_at.desc(), BlackoutPeriod.id)
        .limit(1)
    )
    return found


# --- reading ---------------------------------------------------------------------------------


async def _users(session: AsyncSession, ids: set[int | None]) -> dict[int, UserRef]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.name).where(User.id.in_(wanted)))
    return {uid: UserRef(id=uid, name=name) for uid, name in rows}


def _pause_read(p: Pause, users: dict[int, UserRef]) -> PauseRead:
    return PauseRead(
        id=p.id,
        unit_id=p.unit_id,
        reason=p.reason,
        paused_at=p.paused_at,
        paused_by=users.get(p.paused_by_id) if p.paused_by_id else None,
        resumed_at=p.resumed_at,
        resumed_by=users.get(p.resumed_by_id) if p.resumed_by_id else None,
    )


def _blackout_read(b: BlackoutPeriod, users: dict[int, UserRef], now: datetime) -> BlackoutRead:
    return BlackoutRead(
        id=b.id,
        unit_id=b.unit_id,
        kind=b.kind,
        label=b.label,
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        active=b.starts_at <= now < b.ends_at,
        created_by=users.get(b.created_by_id) if b.created_by_id else None,
        created_at=b.created_at,
    )


async def blackout_read(session: AsyncSession, period: BlackoutPeriod) -> BlackoutRead:
    users = await _users(session, {period.created_by_id})
    return _blackout_read(period, users, utcnow())


async def _open_pause(session: AsyncSession, unit_id: int | None) -> Pause | None:
    scope = Pause.unit_id.is_(None) if unit_id is None else Pause.unit_id == unit_id
    found: Pause | None = await session.scalar(
        select(Pause).where(scope, Pause.resumed_at.is_(None)).order_by(Pause.id).limit(1)
    )
    return found


async def _coming(
    session: AsyncSession, unit_id: int | None, now: datetime, *, with_agency: bool
) -> list[BlackoutPeriod]:
    scope: ColumnElement[bool]
    if unit_id is None:
        scope = BlackoutPeriod.unit_id.is_(None)
    elif with_agency:
        scope = or_(BlackoutPeriod.unit_id == unit_id, BlackoutPeriod.unit_id.is_(None))
    else:
        scope = BlackoutPeriod.unit_id == unit_id
    rows = await session.scalars(
        select(BlackoutPeriod)
        .where(scope, BlackoutPeriod.ends_at > now)
        .order_by(BlackoutPeriod.starts_at, BlackoutPeriod.id)
        .limit(UPCOMING)
    )
    return list(rows.all())


async def _waiting(session: AsyncSession, unit_id: int, now: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(PostVariant)
        .join(Post, Post.id == PostVariant.post_id)
        .where(
            Post.unit_id == unit_id,
            PostVariant.status == PostStatus.scheduled,
            PostVariant.scheduled_at <= now,
        )
    )
    return int(count or 0)


async def _status(session: AsyncSession, unit_id: int, now: datetime) -> HoldStatus:
    reasons = sort_reasons(await _unit_reasons(session, unit_id, now))
    pause = await _open_pause(session, unit_id)
    agency_pause = await _open_pause(session, None)
    blackouts = await _coming(session, unit_id, now, with_agency=True)
    users = await _users(
        session,
        {b.created_by_id for b in blackouts}
        | {p.paused_by_id for p in (pause, agency_pause) if p}
        | {p.resumed_by_id for p in (pause, agency_pause) if p},
    )
    by_id = {b.id: _blackout_read(b, users, now) for b in blackouts}
    return HoldStatus(
        unit_id=unit_id,
        held=bool(reasons),
        reasons=[
            HoldReasonRead(
                kind=r.kind.value,
                since=r.since,
                until=r.until,
                reason=r.reason,
                blackout=by_id.get(r.source_id) if r.kind == HoldKind.blackout else None,
            )
            for r in reasons
        ],
        quiet_period=any(r.blackout_kind == BlackoutKind.election_quiet for r in reasons),
        pause=_pause_read(pause, users) if pause else None,
        agency_pause=_pause_read(agency_pause, users) if agency_pause else None,
        blackouts=list(by_id.values()),
        waiting=await _waiting(session, unit_id, now) if reasons else 0,
    )


async def unit_status(session: AsyncSession, principal: Principal, unit_id: int) -> HoldStatus:
    principal.require(unit_id, Perm.read)
    return await _status(session, unit_id, utcnow())


def _require_coordinator(principal: Principal) -> None:
    if not principal.user.is_superuser:
        raise Forbidden(
            "Only the instance administrator (the coordinator) manages agency-wide holds.",
            code="insufficient_role",
        )


async def agency_status(session: AsyncSession, principal: Principal) -> AgencyHolds:
    _require_coordinator(principal)
    return await _agency(session, utcnow())


async def _agency(session: AsyncSession, now: datetime) -> AgencyHolds:
    pause = await _open_pause(session, None)
    blackouts = await _coming(session, None, now, with_agency=False)
    users = await _users(
        session,
        {b.created_by_id for b in blackouts} | ({pause.paused_by_id} if pause else set()),
    )
    return AgencyHolds(
        pause=_pause_read(pause, users) if pause else None,
        blackouts=[_blackout_read(b, users, now) for b in blackouts],
    )


# --- pausing ---------------------------------------------------------------------------------


def _pause_view(p: Pause) -> dict[str, object]:
    return snapshot(p, ["unit_id", "reason", "paused_at", "resumed_at"])


async def _pause(
    session: AsyncSession, principal: Principal, unit_id: int | None, body: PauseIn
) -> None:
    if await _open_pause(session, unit_id) is not None:
        what = "The agency" if unit_id is None else "This unit"
        raise Conflict(f"{what} is already paused; resume it first.", code="already_paused")
    pause = Pause(
        unit_id=unit_id, reason=body.reason, paused_at=utcnow(), paused_by_id=principal.user.id
    )
    session.add(pause)
    await session.flush()
    audit(
        session,
        principal,
        action="pause",
        object_type="hold_pause",
        object_id=pause.id,
        unit_id=unit_id,
        after=_pause_view(pause),
    )


async def _resume(session: AsyncSession, principal: Principal, unit_id: int | None) -> None:
    scope = Pause.unit_id.is_(None) if unit_id is None else Pause.unit_id == unit_id
    # Every open pause: two people pausing at the same moment may have left two.
    open_pauses = await session.scalars(select(Pause).where(scope, Pause.resumed_at.is_(None)))
    pauses = list(open_pauses.all())
    if not pauses:
        what = "The agency" if unit_id is None else "This unit"
        raise Conflict(f"{what} is not paused.", code="not_paused")
    now = utcnow()
    for pause in pauses:
        before = _pause_view(pause)
        pause.resumed_at = now
        pause.resumed_by_id = principal.user.id
        audit(
            session,
            principal,
            action="resume",
            object_type="hold_pause",
            object_id=pause.id,
            unit_id=unit_id,
            before=before,
            after=_pause_view(pause),
        )
    await session.flush()


async def pause_unit(
    session: AsyncSession, principal: Principal, unit_id: int, body: PauseIn
) -> HoldStatus:
    principal.require(unit_id, MANAGE)
    await _pause(session, principal, unit_id, body)
    return await _status(session, unit_id, utcnow())


async def resume_unit(session: AsyncSession, principal: Principal, unit_id: int) -> HoldStatus:
    principal.require(unit_id, MANAGE)
    await _resume(session, principal, unit_id)
    return await _status(session, unit_id, utcnow())


async def pause_agency(session: AsyncSession, principal: Principal, body: PauseIn) -> AgencyHolds:
    _require_coordinator(principal)
    await _pause(session, principal, None, body)
    return await _agency(session, utcnow())


async def resume_agency(session: AsyncSession, principal: Principal) -> AgencyHolds:
    _require_coordinator(principal)
    await _resume(session, principal, None)
    return await _agency(session, utcnow())


# --- blackout periods ------------------------------------------------------------------------


def _check_period(body: BlackoutIn, now: datetime) -> None:
    fields: dict[str, str] = {}
    rules: dict[str, str] = {}
    if body.ends_at <= body.starts_at:
        fields["ends_at"], rules["ends_at"] = "must be after starts_at", "ends_before_start"
    elif body.ends_at <= now:
        fields["ends_at"] = "must be in the future: a period that is over holds nothing"
        rules["ends_at"] = "period_over"
    elif body.ends_at - body.starts_at > MAX_PERIOD:
        fields["ends_at"] = "a period lasts at most 366 days; pause the unit for longer holds"
        rules["ends_at"] = "period_too_long"
    if fields:
        raise Invalid(
            "The blackout period's times are not usable.",
            fields=fields,
            rules=rules,
            limits={"ends_at": {"max_days": MAX_PERIOD.days}} if "ends_at" in fields else None,
        )


async def _add_blackout(
    session: AsyncSession, principal: Principal, unit_id: int | None, body: BlackoutIn
) -> BlackoutRead:
    now = utcnow()
    _check_period(body, now)
    period = BlackoutPeriod(
        unit_id=unit_id,
        kind=body.kind,
        label=body.label,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        created_by_id=principal.user.id,
    )
    session.add(period)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="blackout_period",
        object_id=period.id,
        unit_id=unit_id,
        after=snapshot(period, BLACKOUT_FIELDS),
    )
    users = {principal.user.id: UserRef(id=principal.user.id, name=principal.user.name)}
    return _blackout_read(period, users, now)


async def _remove_blackout(
    session: AsyncSession, principal: Principal, unit_id: int | None, blackout_id: int
) -> None:
    period = await session.get(BlackoutPeriod, blackout_id)
    if period is None or period.unit_id != unit_id:
        raise NotFound(f"Blackout period {blackout_id} not found.", code="blackout_not_found")
    audit(
        session,
        principal,
        action="delete",
        object_type="blackout_period",
        object_id=period.id,
        unit_id=unit_id,
        before=snapshot(period, BLACKOUT_FIELDS),
    )
    await session.delete(period)
    await session.flush()


async def add_unit_blackout(
    session: AsyncSession, principal: Principal, unit_id: int, body: BlackoutIn
) -> BlackoutRead:
    principal.require(unit_id, MANAGE)
    return await _add_blackout(session, principal, unit_id, body)


async def remove_unit_blackout(
    session: AsyncSession, principal: Principal, unit_id: int, blackout_id: int
) -> None:
    principal.require(unit_id, MANAGE)
    await _remove_blackout(session, principal, unit_id, blackout_id)


async def add_agency_blackout(
    session: AsyncSession, principal: Principal, body: BlackoutIn
) -> BlackoutRead:
    _require_coordinator(principal)
    return await _add_blackout(session, principal, None, body)


async def remove_agency_blackout(
    session: AsyncSession, principal: Principal, blackout_id: int
) -> None:
    _require_coordinator(principal)
    await _remove_blackout(session, principal, None, blackout_id)
