"""Dormant accounts: an active account with no post for the unit's number of days, or with no
metrics for a day. Shown on the dashboard and told to the unit's admins once per spell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.metrics.models import MetricsAccountState, TrackedPost, UnitMetricsSettings
from gaung.metrics.store import ensure_states
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.platforms.types import Platform
from gaung.users.models import Role

DEFAULT_DORMANT_DAYS = 14
NO_METRICS = timedelta(days=1)


class AccountRow(NamedTuple):
    """The account, as a plain row: what the alert and the dashboard say of it."""

    id: int
    unit_id: int
    platform: Platform
    handle: str
    created_at: datetime


@dataclass(frozen=True)
class Dormant:
    account: AccountRow
    last_post_at: datetime | None
    last_metrics_at: datetime | None
    reasons: list[str]


def reasons(
    now: datetime,
    created_at: datetime,
    last_post_at: datetime | None,
    last_metrics_at: datetime | None,
    days: int,
) -> list[str]:
    """``no_posts`` when nothing went out for ``days`` (counted from its connection when it
    never posted); ``no_metrics`` when no snapshot came for a day (a day after connecting)."""
    found = []
    if now - (last_post_at or created_at) >= timedelta(days=days):
        found.append("no_posts")
    if now - (last_metrics_at or created_at) >= NO_METRICS:
        found.append("no_metrics")
    return found


async def dormant_days(session: AsyncSession, unit_id: int) -> int:
    days = await session.scalar(
        select(UnitMetricsSettings.dormant_days).where(UnitMetricsSettings.unit_id == unit_id)
    )
    return days or DEFAULT_DORMANT_DAYS


def activity(unit_ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    """The units' active accounts by unit and id, with what ``judge`` needs: one statement (a
    backwards index probe per account for its last post), to which callers may add columns."""
    last_post = (
        select(func.max(TrackedPost.published_at))
        .where(TrackedPost.account_id == PlatformAccount.id)
        .correlate(PlatformAccount)
        .scalar_subquery()
    )
    return (
        select(
            PlatformAccount.id,
            PlatformAccount.unit_id,
            PlatformAccount.platform,
            PlatformAccount.handle,
            PlatformAccount.created_at,
            last_post,
            MetricsAccountState.last_success_at,
            UnitMetricsSettings.dormant_days,
        )
        .outerjoin(MetricsAccountState, MetricsAccountState.account_id == PlatformAccount.id)
        .outerjoin(UnitMetricsSettings, UnitMetricsSettings.unit_id == PlatformAccount.unit_id)
        .where(
            PlatformAccount.unit_id.in_(unit_ids),
            PlatformAccount.status == AccountStatus.active,
        )
        .order_by(PlatformAccount.unit_id, PlatformAccount.id)
    )


def judge(
    row: Sequence[Any], now: datetime, days: Mapping[int, int] | None = None
) -> Dormant | None:
    """One row of ``activity``: the account if it is dormant. ``days``: each unit's setting,
    when the caller has already read it."""
    account = AccountRow(*row[:5])
    last_post_at, last_metrics_at, unit_days = row[5:8]
    if days is not None:
        unit_days = days.get(account.unit_id)
    why = reasons(
        now,
        account.created_at,
        last_post_at,
        last_metrics_at,
        unit_days or DEFAULT_DORMANT_DAYS,
    )
    return Dormant(account, last_post_at, last_metrics_at, why) if why else None


async def dormant_accounts(
    session: AsyncSession,
    unit_ids: Sequence[int],
    now: datetime,
    days: Mapping[int, int] | None = None,
) -> list[Dormant]:
    """Every dormant active account of the units, by unit and account id. ``days``: each
    unit's setting, when the caller has already read it."""
    if not unit_ids:
        return []
    found = [judge(row, now, days) for row in await session.execute(activity(unit_ids))]
    return [d for d in found if d is not None]


async def alert(session: AsyncSession, now: datetime) -> int:
    """Notify admins about accounts newly dormant; forget the alert of accounts active again."""
    unit_ids = list(
        await session.scalars(
            select(PlatformAccount.unit_id)
            .where(PlatformAccount.status == AccountStatus.active)
            .distinct()
        )
    )
    dormant = {d.account.id: d for d in await dormant_accounts(session, unit_ids, now)}
    await ensure_states(session, list(dormant))
    # Locked: two workers running this at once tell each admin once.
    states = {
        s.account_id: s
        for s in await session.scalars(
            select(MetricsAccountState)
            .where(
                MetricsAccountState.dormant_alert_at.is_not(None)
                | MetricsAccountState.account_id.in_(list(dormant))
            )
            .order_by(MetricsAccountState.account_id)
            .with_for_update()
        )
    }
    sent = 0
    for account_id, state in states.items():
        if account_id not in dormant:
            state.dormant_alert_at = None
    for account_id, d in dormant.items():
        state = states[account_id]
        if state.dormant_alert_at is not None:
            continue
        state.dormant_alert_at = now
        await notify(
            session,
            unit_id=d.account.unit_id,
            kind=NotificationKind.account_dormant,
            object_type="account",
            object_id=account_id,
            params={
                "account": d.account.handle,
                "handle": d.account.handle,
                "platform": d.account.platform.value,
                "reasons": ",".join(d.reasons),
                "last_post_at": d.last_post_at.isoformat() if d.last_post_at else "",
            },
            roles=[Role.admin],
        )
        sent += 1
    return sent
