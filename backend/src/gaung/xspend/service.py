"""A unit's X spending: what its accounts' calls cost, per UTC day, and the monthly cap that
pauses optional reads first and publishing last.

The X connector reports each billable call synchronously (``Context.on_usage``); ``recorder``
keeps the reports with the session and they are written when the session commits (or
earlier, by ``save_usage``), in the same transaction as the work that caused them. Each write
is an ``INSERT … ON CONFLICT DO UPDATE`` adding to the day's row, so concurrent workers never
lose a call on either database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import event, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.config import Settings, get_settings
from gaung.kit.time import utcnow
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.platforms.protocol import Usage
from gaung.platforms.x import pricing
from gaung.units.models import Unit
from gaung.users.models import Role
from gaung.xspend.models import XUsage
from gaung.xspend.schemas import ClassSpend, XSpend

Purpose = Literal["publish", "read"]

# (unit id, UTC day, price class) → calls not yet written
_PENDING = "gaung.x_usage_pending"
Pending = dict[tuple[int, date, str], int]


# --- recording -------------------------------------------------------------------------------


def _pending(session: AsyncSession) -> Pending:
    sync = session.sync_session
    found: Pending | None = sync.info.get(_PENDING)
    if found is None:
        found = sync.info[_PENDING] = {}
        event.listen(sync, "before_commit", _write_before_commit)
    return found


def recorder(
    session: AsyncSession, unit_id: int, clock: Callable[[], datetime] = utcnow
) -> Callable[[Usage], None]:
    """The ``on_usage`` callback for one unit's X account: each report is kept with
    ``session`` and written when it commits."""
    pending = _pending(session)

    def record(usage: Usage) -> None:
        key = (unit_id, clock().date(), usage.price_class)
        pending[key] = pending.get(key, 0) + usage.count

    return record


def _upserts(dialect: str, pending: Pending) -> list[Executable]:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statements: list[Executable] = []
    for (unit_id, day, price_class), calls in sorted(pending.items()):
        stmt = insert(XUsage).values(
            unit_id=unit_id,
            day=day,
            price_class=price_class,
            calls=calls,
            micro_usd=pricing.micro_usd(price_class, calls),
        )
        statements.append(
            stmt.on_conflict_do_update(
                index_elements=[XUsage.unit_id, XUsage.day, XUsage.price_class],
                set_={
                    "calls": XUsage.calls + stmt.excluded.calls,
                    "micro_usd": XUsage.micro_usd + stmt.excluded.micro_usd,
                },
            )
        )
    return statements


def _write_before_commit(sync: Session) -> None:
    pending: Pending = sync.info.get(_PENDING, {})
    if not pending:
        return
    for stmt in _upserts(sync.get_bind().dialect.name, pending):
        sync.execute(stmt)
    pending.clear()


async def save_usage(session: AsyncSession) -> None:
    """Write the usage reported so far in this session (it is also written on commit)."""
    pending: Pending = session.sync_session.info.get(_PENDING, {})
    if not pending:
        return
    for stmt in _upserts(session.get_bind().dialect.name, pending):
        await session.execute(stmt)
    pending.clear()


async def record_usage(
    session: AsyncSession, unit_id: int, usage: Usage, at: datetime | None = None
) -> None:
    """Add one report at once (tests, and callers outside a connector)."""
    recorder(session, unit_id, clock=lambda: at or utcnow())(usage)
    await save_usage(session)


# --- the month and its cap -------------------------------------------------------------------


def month_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return start, end


def gates(spent_micro: int, cap_usd: Decimal | None, read_fraction: float) -> tuple[bool, bool]:
    """(reads paused, publishing paused) for a month's spend against the unit's cap: reads
    pause at ``read_fraction`` of the cap, publishing at the cap."""
    if cap_usd is None:
        return False, False
    cap_micro = int(cap_usd * 1_000_000)
    publishing = spent_micro >= cap_micro
    reads = publishing or spent_micro >= cap_micro * Decimal(str(read_fraction))
    return reads, publishing


async def _by_class(session: AsyncSession, unit_id: int, month: str) -> list[tuple[str, int, int]]:
    """(price class, calls, micro-USD) of the unit's month, by class."""
    start, end = month_bounds(month)
    rows = await session.execute(
        select(XUsage.price_class, func.sum(XUsage.calls), func.sum(XUsage.micro_usd))
        .where(XUsage.unit_id == unit_id, XUsage.day >= start, XUsage.day < end)
        .group_by(XUsage.price_class)
        .order_by(XUsage.price_class)
    )
    return [(str(cls), int(calls or 0), int(micro or 0)) for cls, calls, micro in rows.all()]


async def _cap(session: AsyncSession, unit_id: int) -> tuple[bool, Decimal | None]:
    row = (
        await session.execute(select(Unit.id, Unit.x_spend_cap_usd).where(Unit.id == unit_id))
    ).first()
    return (row is not None, row[1] if row is not None else None)


async def publishing_paused_units(session: AsyncSession, now: datetime) -> set[int]:
    """Units whose X publishing has reached this month's cap (one query for every capped
    unit): the publishing claim leaves their X variants waiting until the month turns or the
    cap is raised."""
    start, end = month_bounds(month_of(now))
    spent = (
        select(XUsage.unit_id, func.sum(XUsage.micro_usd).label("micro"))
        .where(XUsage.day >= start, XUsage.day < end)
        .group_by(XUsage.unit_id)
        .subquery()
    )
    rows = await session.execute(
        select(Unit.id, Unit.x_spend_cap_usd, spent.c.micro)
        .join(spent, spent.c.unit_id == Unit.id)
        .where(Unit.x_spend_cap_usd.is_not(None))
    )
    return {unit_id for unit_id, cap, micro in rows.all() if gates(int(micro or 0), cap, 1.0)[1]}


async def allowed(
    session: AsyncSession,
    unit_id: int,
    purpose: Purpose,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> bool:
    """Whether the unit's X accounts may make calls for ``purpose`` this UTC month: optional
    reads (metrics, mentions polling) stop at the setting's fraction of the cap, publishing
    at the cap. The first time reads are found paused in a month, the unit's admins are told
    (once: the month is claimed on the unit by a conditional update)."""
    await save_usage(session)
    exists, cap = await _cap(session, unit_id)
    if not exists or cap is None:
        return exists
    month = month_of(now or utcnow())
    spent = sum(micro for _cls, _calls, micro in await _by_class(session, unit_id, month))
    fraction = (settings or get_settings()).x_spend_read_pause_fraction
    reads_paused, publishing_paused = gates(spent, cap, fraction)
    if reads_paused:
        await _notice_once(session, unit_id, month, spent, cap)
    return not (publishing_paused if purpose == "publish" else reads_paused)


async def _notice_once(
    session: AsyncSession, unit_id: int, month: str, spent_micro: int, cap: Decimal
) -> None:
    claimed = await session.execute(
        update(Unit)
        .where(
            Unit.id == unit_id,
            or_(Unit.x_spend_notice_month.is_(None), Unit.x_spend_notice_month != month),
        )
        .values(x_spend_notice_month=month)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    await notify(
        session,
        unit_id=unit_id,
        kind=NotificationKind.x_spend_near_cap,
        object_type="unit",
        object_id=unit_id,
        params={
            "month": month,
            "estimated_usd": _usd(spent_micro),
            "cap_usd": float(cap),
        },
        roles=[Role.admin],
    )


# --- the API ---------------------------------------------------------------------------------


def _usd(micro: int) -> float:
    return round(micro / 1_000_000, 6)


async def _read(
    session: AsyncSession, unit_id: int, month: str, cap: Decimal | None, settings: Settings
) -> XSpend:
    rows = await _by_class(session, unit_id, month)
    by_class = [
        ClassSpend(price_class=cls, calls=calls, estimated_usd=_usd(micro))
        for cls, calls, micro in rows
    ]
    spent = sum(micro for _cls, _calls, micro in rows)
    reads_paused, publishing_paused = gates(spent, cap, settings.x_spend_read_pause_fraction)
    return XSpend(
        unit_id=unit_id,
        month=month,
        estimated_usd=_usd(spent),
        cap_usd=None if cap is None else float(cap),
        reads_paused=reads_paused,
        publishing_paused=publishing_paused,
        by_class=by_class,
    )


async def get_spend(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    month: str | None,
    settings: Settings,
) -> XSpend:
    principal.require(unit_id, Perm.read)
    _exists, cap = await _cap(session, unit_id)
    return await _read(session, unit_id, month or month_of(utcnow()), cap, settings)


async def set_cap(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    cap_usd: Decimal | None,
    settings: Settings,
) -> XSpend:
    principal.require(unit_id, Perm.manage_unit)
    unit = await session.get(Unit, unit_id)
    if unit is None:  # pragma: no cover - membership implies the unit exists
        raise LookupError(unit_id)
    old = unit.x_spend_cap_usd
    unit.x_spend_cap_usd = cap_usd
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="unit",
        object_id=unit.id,
        unit_id=unit.id,
        before={"x_spend_cap_usd": None if old is None else str(old)},
        after={"x_spend_cap_usd": None if cap_usd is None else str(cap_usd)},
    )
    return await _read(session, unit_id, month_of(utcnow()), cap_usd, settings)
