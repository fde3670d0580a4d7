"""Analytics: what the dashboard asks, answered from the rollups (``account_daily`` and the
latest figures on ``tracked_post``), never from raw snapshots, in the unit's timezone.

Every function checks the caller may read the unit (404 otherwise, like every other unit
object) and that a named account belongs to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Executable, Result, ScalarSelect, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.kit.errors import Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.metrics import core, dormancy
from gaung.metrics.models import AccountDaily, TrackedPost, UnitMetricsSettings
from gaung.metrics.schemas import (
    AccountKpi,
    BestTimesRead,
    BreakdownRead,
    Cell,
    Change,
    CompareRead,
    DormantAccount,
    DormantRead,
    FollowersRead,
    Group,
    Kpis,
    MetricsSettings,
    MetricsSettingsIn,
    PlatformTotals,
    PostStat,
    PostStatList,
    Range,
    SummaryRead,
    Totals,
    UnitsSummaryRead,
    UnitSummary,
)
from gaung.platforms.types import Platform
from gaung.units.models import Unit

DEFAULT_DAYS = 30
# Days analytics accept: anything else is a typo (and year 1 or 9999 would overflow).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2199, 12, 31)


def _check_days(**days: date | None) -> None:
    for name, day in days.items():
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise Invalid(
                "That day is out of range.",
                fields={name: f"must be between {FIRST_DAY} and {LAST_DAY}"},
            )


BEST_TIME_DAYS = 365
MAX_DAYS = 5 * 366
Order = Literal["top", "bottom", "recent"]
Metric = Literal["interactions", "engagement_rate"]
By = Literal["category", "format", "platform", "account"]


async def _read(session: AsyncSession, stmt: Executable) -> Result[*tuple[Any, ...]]:
    """Plain rows through the connection: analytics only read, so the ORM's flush and row
    handling would cost on every statement for nothing."""
    return await (await session.connection()).execute(stmt)


class AccountRef(NamedTuple):
    """What the series say of an account, read as a plain row."""

    id: int
    platform: Platform
    handle: str


@dataclass
class Scope:
    """One request's unit, zone, days and the accounts it covers."""

    unit_id: int
    timezone: str
    zone: ZoneInfo
    start: date
    end: date
    accounts: dict[int, AccountRef]
    account_id: int | None
    platform: Platform | None
    begin: datetime = field(init=False)
    finish: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.begin, self.finish = core.local_bounds(self.start, self.end, self.zone)

    @property
    def account_ids(self) -> list[int]:
        return sorted(self.accounts)

    def range(self) -> Range:
        return Range(
            unit_id=self.unit_id,
            timezone=self.timezone,
            start=self.start,
            end=self.end,
            account_id=self.account_id,
            platform=self.platform,
        )

    def posts(
        self, begin: datetime | None = None, finish: datetime | None = None
    ) -> ColumnElement[bool]:
        """Tracked posts of the selected accounts published in the range (or another one)."""
        return and_(
            TrackedPost.unit_id == self.unit_id,
            TrackedPost.account_id.in_(self.account_ids),
            TrackedPost.published_at >= (begin or self.begin),
            TrackedPost.published_at < (finish or self.finish),
        )


async def scope(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    *,
    start: date | None = None,
    end: date | None = None,
    account_id: int | None = None,
    platform: Platform | None = None,
    default_days: int = DEFAULT_DAYS,
) -> Scope:
    principal.require(unit_id, Perm.read)
    _check_days(start=start, end=end)
    # One round trip: the unit with its accounts (of the platform), one row each, or the unit
    # alone on one row when it has none.
    # Plain rows, not objects: nothing here is changed, and every series starts with this.
    on = PlatformAccount.unit_id == Unit.id
    if platform is not None:
        on = and_(on, PlatformAccount.platform == platform)
    conn = await session.connection()
    rows = (
        await conn.execute(
            select(
                Unit.timezone, PlatformAccount.id, PlatformAccount.platform, PlatformAccount.handle
            )
            .outerjoin(PlatformAccount, on)
            .where(Unit.id == unit_id)
            .order_by(PlatformAccount.id)
        )
    ).all()
    if not rows:
        raise NotFound("Unit not found.", code="unit_not_found")
    timezone = rows[0][0]
    accounts = {a: AccountRef(a, p, h) for _, a, p, h in rows if a is not None}
    zone = ZoneInfo(timezone)
    end = (
        end
        or (start + timedelta(days=default_days - 1) if start else None)
        or utcnow().astimezone(zone).date()
    )
    start = start or end - timedelta(days=default_days - 1)
    if start > end:
        raise Invalid(
            "The range ends before it starts.", fields={"end": "must be on or after start"}
        )
    if (end - start).days >= MAX_DAYS:
        raise Invalid(
            "The range is too long.", fields={"end": f"at most {MAX_DAYS} days after start"}
        )
    if account_id is not None:
        if account_id not in accounts:
            raise Invalid(
                "That account is not one of this unit's (with that platform).",
                fields={"account_id": "not an account of this unit"},
            )
        accounts = {account_id: accounts[account_id]}
    return Scope(unit_id, timezone, zone, start, end, accounts, account_id, platform)


# --- followers ---------------------------------------------------------------------------------


async def _follower_days(
    session: AsyncSession, account_ids: Sequence[int], start: date, end: date
) -> tuple[dict[int, list[tuple[date, int]]], dict[int, int]]:
    """Each account's daily followers in the range, and its last figure before the range."""
    days: dict[int, list[tuple[date, int]]] = defaultdict(list)
    if not account_ids:
        return days, {}
    rows = await _read(
        session,
        select(AccountDaily.account_id, AccountDaily.day, AccountDaily.followers)
        .where(
            AccountDaily.account_id.in_(account_ids),
            AccountDaily.day >= start,
            AccountDaily.day <= end,
            AccountDaily.followers.is_not(None),
        )
        .order_by(AccountDaily.account_id, AccountDaily.day),
    )
    for account_id, day, followers in rows:
        if followers is not None:
            days[account_id].append((day, followers))
    [before] = await _followers_before(session, account_ids, start)
    return days, before


def _last_followers(day: date) -> ScalarSelect[int | None]:
    """A platform account's last daily followers figure before ``day``, as a column of a
    statement on ``platform_account``."""
    return (
        select(AccountDaily.followers)
        .where(
            AccountDaily.account_id == PlatformAccount.id,
            AccountDaily.day < day,
            AccountDaily.followers.is_not(None),
        )
        .order_by(AccountDaily.day.desc())
        .limit(1)
        .correlate(PlatformAccount)
        .scalar_subquery()
    )


async def _followers_before(
    session: AsyncSession, account_ids: Sequence[int], *days: date
) -> list[dict[int, int]]:
    """Each account's last daily followers figure before each of ``days``: one backwards index
    probe per account and day (a correlated LIMIT 1), whatever the history's length, all in
    one statement."""
    if not account_ids:
        return [{} for _ in days]
    lasts = [_last_followers(day) for day in days]
    found: list[dict[int, int]] = [{} for _ in days]
    for account_id, *figures in await _read(
        session, select(PlatformAccount.id, *lasts).where(PlatformAccount.id.in_(account_ids))
    ):
        for by_account, figure in zip(found, figures, strict=True):
            if figure is not None:
                by_account[account_id] = figure
    return found


async def follower_series(
    session: AsyncSession, s: Scope, interval: core.Interval
) -> dict[int, core.Series]:
    """Each selected account's series, plain: the CSV is written from these directly."""
    days, before = await _follower_days(session, s.account_ids, s.start, s.end)
    return {
        a: core.follower_series(days.get(a, []), before.get(a), interval) for a in s.account_ids
    }


async def followers(session: AsyncSession, s: Scope, interval: core.Interval) -> FollowersRead:
    series = await follower_series(session, s, interval)
    # Validated in one pass, the points read from core.Point's attributes: a year of days per
    # account is thousands of them, and a model built one by one costs twice as much.
    return FollowersRead.model_validate(
        {
            "range": s.range(),
            "interval": interval,
            "accounts": [
                {
                    "account_id": a,
                    "platform": s.accounts[a].platform,
                    "handle": s.accounts[a].handle,
                    "start_followers": x.start_followers,
                    "end_followers": x.end_followers,
                    "net_gain": x.net_gain,
                    "growth_rate": x.growth_rate,
                    "points": x.points,
                }
                for a, x in series.items()
            ],
        }
    )


# --- post figures ------------------------------------------------------------------------------


# Built once: every post statement takes them (a statement may reuse an expression).
_AGGREGATES = (
    func.count(TrackedPost.id),
    func.coalesce(func.sum(TrackedPost.interactions), 0),
    func.coalesce(func.sum(TrackedPost.impressions), 0),
    func.coalesce(func.sum(TrackedPost.reach), 0),
    func.avg(TrackedPost.interactions),
    func.avg(TrackedPost.engagement_rate),
)


def _aggregates() -> list[Any]:
    return list(_AGGREGATES)


def _totals(row: Sequence[Any]) -> dict[str, Any]:
    posts, inter, impressions, reach, avg_inter, rate = row
    return {
        "posts": int(posts),
        "interactions": int(inter),
        "impressions": int(impressions),
        "reach": int(reach),
        "avg_interactions": float(avg_inter) if avg_inter is not None else None,
        "engagement_rate": float(rate) if rate is not None else None,
    }


async def summary(session: AsyncSession, s: Scope) -> SummaryRead:
    rows = (
        await _read(
            session,
            select(TrackedPost.platform, *_aggregates())
            .where(s.posts())
            .group_by(TrackedPost.platform)
            .order_by(TrackedPost.platform),
        )
    ).all()
    total = (await _read(session, select(*_aggregates()).where(s.posts()))).one()
    ends = await _ends(session, s.account_ids, s.start, s.end)
    return SummaryRead(
        range=s.range(),
        totals=Totals(**_totals(total)),
        platforms=[PlatformTotals(platform=r[0], **_totals(r[1:])) for r in rows],
        accounts=[
            AccountKpi(
                account_id=a,
                platform=s.accounts[a].platform,
                handle=s.accounts[a].handle,
                followers=ends[a][1],
                net_gain=_gain(ends[a]),
                growth_rate=core.growth_rate(_gain(ends[a]), ends[a][0]),
            )
            for a in s.account_ids
        ],
    )


def _gain(pair: tuple[int | None, int | None]) -> int | None:
    start, end = pair
    return None if start is None or end is None else end - start


async def _ends(
    session: AsyncSession, account_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int | None, int | None]]:
    """Each account's followers before the range (else at its first day in it) and at its
    end: two index probes per account, whatever the range's length."""
    before, at_end = await _followers_before(session, account_ids, start, end + timedelta(days=1))
    return await _complete_ends(session, account_ids, before, at_end, start, end)


async def _complete_ends(
    session: AsyncSession,
    account_ids: Sequence[int],
    before: dict[int, int],
    at_end: dict[int, int],
    start: date,
    end: date,
) -> dict[int, tuple[int | None, int | None]]:
    """The pairs, from the figures before the range and at its end; an account read first in
    the range starts from its first day in it."""
    missing = [a for a in account_ids if a not in before and a in at_end]
    if missing:
        first = (
            select(AccountDaily.account_id, func.min(AccountDaily.day).label("day"))
            .where(
                AccountDaily.account_id.in_(missing),
                AccountDaily.day >= start,
                AccountDaily.day <= end,
                AccountDaily.followers.is_not(None),
            )
            .group_by(AccountDaily.account_id)
            .subquery()
        )
        for a, f in await _read(
            session,
            select(AccountDaily.account_id, AccountDaily.followers).join(
                first,
                and_(
                    first.c.account_id == AccountDaily.account_id, first.c.day == AccountDaily.day
                ),
            ),
        ):
            if f is not None:
                before[a] = f
    return {a: (before.get(a), at_end.get(a)) for a in account_ids}


# A post's figures as a plain row (its attributes are PostStat's fields), not an object.
_STAT_COLUMNS = [getattr(TrackedPost, name) for name in PostStat.model_fields]


async def posts(
    session: AsyncSession, s: Scope, order: Order, metric: Metric, limit: int
) -> PostStatList:
    column = TrackedPost.interactions if metric == "interactions" else TrackedPost.engagement_rate
    stmt = select(*_STAT_COLUMNS).where(s.posts())
    if order == "recent":
        stmt = stmt.order_by(TrackedPost.published_at.desc(), TrackedPost.id.desc())
    else:
        # Only posts with figures rank: one never read yet is not a bottom post.
        stmt = stmt.where(TrackedPost.measured_at.is_not(None), column.is_not(None))
        if order == "top":
            stmt = stmt.order_by(column.desc(), TrackedPost.id)
        else:
            stmt = stmt.order_by(column.asc(), TrackedPost.id)
    conn = await session.connection()
    items = [PostStat.model_validate(row) for row in await conn.execute(stmt.limit(limit))]
    return PostStatList(range=s.range(), order=order, metric=metric, items=items)


async def breakdown(session: AsyncSession, s: Scope, by: By) -> BreakdownRead:
    key: Any = {
        "category": TrackedPost.category,
        "format": TrackedPost.format,
        "platform": TrackedPost.platform,
        "account": TrackedPost.account_id,
    }[by]
    rows = (await _read(session, select(key, *_aggregates()).where(s.posts()).group_by(key))).all()
    items = []
    for row in rows:
        value = row[0]
        label = s.accounts[value].handle if by == "account" and value in s.accounts else None
        text = None if value is None else str(getattr(value, "value", value))
        items.append(Group(key=text, label=label, **_totals(row[1:])))
    items.sort(key=lambda g: (-g.interactions, g.key or ""))
    return BreakdownRead(range=s.range(), by=by, items=items)


async def best_times(session: AsyncSession, s: Scope) -> BestTimesRead:
    rows = (
        await _read(
            session,
            select(
                TrackedPost.weekday,
                TrackedPost.hour,
                func.count(TrackedPost.id),
                func.avg(TrackedPost.interactions),
                func.avg(TrackedPost.engagement_rate),
            )
            .where(s.posts(), TrackedPost.measured_at.is_not(None))
            .group_by(TrackedPost.weekday, TrackedPost.hour),
        )
    ).all()
    cells = core.best_time_grid(
        (
            int(w),
            int(h),
            int(n),
            float(i) if i is not None else None,
            float(r) if r is not None else None,
        )
        for w, h, n, i, r in rows
    )
    return BestTimesRead(
        range=s.range(),
        min_reliable_posts=core.MIN_RELIABLE_POSTS,
        posts=sum(c.posts for c in cells),
        cells=[Cell(**c.__dict__) for c in cells],
    )


async def _kpis(session: AsyncSession, s: Scope, start: date, end: date) -> Kpis:
    begin, finish = core.local_bounds(start, end, s.zone)
    total = _totals(
        (await _read(session, select(*_aggregates()).where(s.posts(begin, finish)))).one()
    )
    ends = await _ends(session, s.account_ids, start, end)
    known = [v for v in ends.values() if v[1] is not None]
    gains = [_gain(v) for v in known]
    return Kpis(
        start=start,
        end=end,
        posts=total["posts"],
        interactions=total["interactions"],
        impressions=total["impressions"],
        reach=total["reach"],
        engagement_rate=total["engagement_rate"],
        followers=sum(v[1] for v in known if v[1] is not None) if known else None,
        follower_gain=sum(g for g in gains if g is not None)
        if any(g is not None for g in gains)
        else None,
    )


async def compare(
    session: AsyncSession, s: Scope, previous_start: date | None, previous_end: date | None
) -> CompareRead:
    _check_days(compare_start=previous_start, compare_end=previous_end)
    if (previous_start is None) != (previous_end is None):
        name = "compare_end" if previous_end is None else "compare_start"
        raise Invalid("Give both ends of the period to compare with.", fields={name: "required"})
    if previous_start is None or previous_end is None:
        previous_start, previous_end = core.previous_period(s.start, s.end)
    elif previous_start > previous_end:
        raise Invalid(
            "The period to compare with ends before it starts.",
            fields={"compare_end": "must be on or after compare_start"},
        )
    elif (previous_end - previous_start).days >= MAX_DAYS:
        raise Invalid("The range is too long.", fields={"compare_end": f"at most {MAX_DAYS} days"})
    current = await _kpis(session, s, s.start, s.end)
    previous = await _kpis(session, s, previous_start, previous_end)
    changes = []
    for metric in (
        "posts",
        "interactions",
        "impressions",
        "reach",
        "engagement_rate",
        "followers",
        "follower_gain",
    ):
        now_v, then_v = getattr(current, metric), getattr(previous, metric)
        diff, pct = core.change(now_v, then_v)
        changes.append(
            Change(metric=metric, current=now_v, previous=then_v, change=diff, change_pct=pct)
        )
    return CompareRead(range=s.range(), current=current, previous=previous, changes=changes)


# --- across units ------------------------------------------------------------------------------


async def units_summary(
    session: AsyncSession, principal: Principal, start: date | None, end: date | None
) -> UnitsSummaryRead:
    """Each unit the caller may read (an instance administrator: every unit), over the same
    local days."""
    _check_days(start=start, end=end)
    # The caller's roles, never the user's flag: an instance administrator's roles already
    # hold every unit, and a key an administrator made holds only its own unit.
    ids = principal.unit_ids(Perm.read)
    conn = await session.connection()
    now = utcnow()
    if end is None and start is not None:
        end = start + timedelta(days=DEFAULT_DAYS - 1)
    elif end is None:
        # Today in the zone of the first unit listed.
        timezone = await conn.scalar(
            select(Unit.timezone).where(Unit.id.in_(ids)).order_by(Unit.name, Unit.id).limit(1)
        )
        end = now.astimezone(ZoneInfo(timezone or "Asia/Jakarta")).date()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Invalid(
            "The range ends before it starts.", fields={"end": "must be on or after start"}
        )
    if (end - start).days >= MAX_DAYS:
        raise Invalid(
            "The range is too long.", fields={"end": f"at most {MAX_DAYS} days after start"}
        )
    # Plain rows, one statement: the units with their active accounts (a row each, or the
    # unit alone on one row), what tells whether each is dormant, and its followers before
    # the range and at its end.
    accounts = (
        dormancy.activity(ids)
        .add_columns(_last_followers(start), _last_followers(end + timedelta(days=1)))
        .subquery()
    )
    rows = (
        await conn.execute(
            select(Unit.id, Unit.name, Unit.timezone, accounts)
            .outerjoin(accounts, accounts.c.unit_id == Unit.id)
            .where(Unit.id.in_(ids))
            .order_by(Unit.name, Unit.id, accounts.c.id)
        )
    ).all()
    units: dict[int, tuple[str, str]] = {}
    by_unit: dict[int, list[int]] = defaultdict(list)
    dormant: dict[int, int] = defaultdict(int)
    before: dict[int, int] = {}
    at_end: dict[int, int] = {}
    for unit_id, name, timezone, *activity, first, last in rows:
        units.setdefault(unit_id, (name, timezone))
        account_id = activity[0]
        if account_id is None:
            continue
        by_unit[unit_id].append(account_id)
        if dormancy.judge(activity, now) is not None:
            dormant[unit_id] += 1
        if first is not None:
            before[account_id] = first
        if last is not None:
            at_end[account_id] = last
    ends = await _complete_ends(
        session, [a for mine in by_unit.values() for a in mine], before, at_end, start, end
    )
    # One query per timezone (usually one): each unit's days are its own local days.
    figures: dict[int, dict[str, Any]] = {}
    zones: dict[str, list[int]] = defaultdict(list)
    for unit_id, (_, timezone) in units.items():
        zones[timezone].append(unit_id)
    for timezone, zone_units in zones.items():
        begin, finish = core.local_bounds(start, end, ZoneInfo(timezone))
        for row in await conn.execute(
            select(TrackedPost.unit_id, *_aggregates())
            .where(
                TrackedPost.unit_id.in_(zone_units),
                TrackedPost.published_at >= begin,
                TrackedPost.published_at < finish,
            )
            .group_by(TrackedPost.unit_id)
        ):
            figures[row[0]] = _totals(row[1:])
    items = []
    empty = _totals((0, 0, 0, 0, None, None))
    for unit_id, (name, timezone) in units.items():
        mine = [ends[a] for a in by_unit.get(unit_id, []) if ends[a][1] is not None]
        gains = [g for g in (_gain(v) for v in mine) if g is not None]
        f = figures.get(unit_id, empty)
        items.append(
            UnitSummary(
                unit_id=unit_id,
                unit_name=name,
                timezone=timezone,
                accounts=len(by_unit.get(unit_id, [])),
                followers=sum(v[1] for v in mine if v[1] is not None) if mine else None,
                follower_gain=sum(gains) if gains else None,
                posts=f["posts"],
                interactions=f["interactions"],
                engagement_rate=f["engagement_rate"],
                dormant_accounts=dormant[unit_id],
            )
        )
    return UnitsSummaryRead(start=start, end=end, items=items)


# --- dormant accounts and settings ---------------------------------------------------------------


async def dormant(session: AsyncSession, principal: Principal, unit_id: int) -> DormantRead:
    principal.require(unit_id, Perm.read)
    rows = (await _read(session, dormancy.activity([unit_id]))).all()
    # The unit's setting comes with its accounts' rows; without active accounts, read alone.
    days = (
        rows[0].dormant_days or dormancy.DEFAULT_DORMANT_DAYS
        if rows
        else await dormancy.dormant_days(session, unit_id)
    )
    now = utcnow()
    found = [d for d in (dormancy.judge(row, now) for row in rows) if d is not None]
    return DormantRead(
        unit_id=unit_id,
        dormant_days=days,
        items=[
            DormantAccount(
                account_id=d.account.id,
                platform=d.account.platform,
                handle=d.account.handle,
                last_post_at=d.last_post_at,
                last_metrics_at=d.last_metrics_at,
                reasons=d.reasons,
            )
            for d in found
        ],
    )


async def read_settings(
    session: AsyncSession, principal: Principal, unit_id: int
) -> MetricsSettings:
    principal.require(unit_id, Perm.read)
    return MetricsSettings(
        unit_id=unit_id, dormant_days=await dormancy.dormant_days(session, unit_id)
    )


async def update_settings(
    session: AsyncSession, principal: Principal, unit_id: int, body: MetricsSettingsIn
) -> MetricsSettings:
    principal.require(unit_id, Perm.manage_unit)
    row = await session.get(UnitMetricsSettings, unit_id)
    before = {"dormant_days": row.dormant_days if row else dormancy.DEFAULT_DORMANT_DAYS}
    if row is None:
        row = UnitMetricsSettings(unit_id=unit_id)
        session.add(row)
    row.dormant_days = body.dormant_days
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="metrics_settings",
        object_id=unit_id,
        unit_id=unit_id,
        before=before,
        after={"dormant_days": row.dormant_days},
    )
    return MetricsSettings(unit_id=unit_id, dormant_days=row.dormant_days)
