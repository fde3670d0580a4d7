"""Analytics endpoints: thin handlers over ``service``. Every series is also CSV with
``format=csv`` (one row per point, comma separated, dot decimals, ISO dates)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.deps import READ_ONLY, MetricsReaderDep, PrincipalDep, SessionDep
from gaung.auth.principal import Principal
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import MAX_ID, IdPath, json_response
from gaung.metrics import core, service
from gaung.metrics.schemas import (
    BestTimesRead,
    BreakdownRead,
    CompareRead,
    DormantRead,
    FollowersRead,
    Group,
    MetricsSettings,
    MetricsSettingsIn,
    PostStat,
    PostStatList,
    SummaryRead,
    UnitsSummaryRead,
    UnitSummary,
)
from gaung.platforms.types import Platform

# Its GET routes only read: no transaction around them (auth.deps._read_only).
router = APIRouter(
    prefix="/analytics", tags=["analytics"], responses=ERROR_RESPONSES, dependencies=[READ_ONLY]
)

Format = Annotated[
    Literal["json", "csv"], Query(description="`csv`: the same rows as a CSV download.")
]
Start = Annotated[
    date | None,
    Query(
        description="First day (YYYY-MM-DD, the unit's timezone); default: "
        "the range's length before `end`."
    ),
]
End = Annotated[date | None, Query(description="Last day, inclusive; default: today.")]
AccountId = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only this account of the unit.")
]
PlatformQ = Annotated[Platform | None, Query(description="Only this network's accounts.")]
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with `format=csv`."}
}
RANGE = (
    " Days are the unit's local days; posts count in the range they were published in, with "
    "their latest figures."
)


def _csv(name: str, columns: list[str], rows: Iterable[Mapping[str, Any]]) -> Response:
    return Response(
        core.to_csv(columns, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


@dataclass(frozen=True)
class RangeQuery:
    """The days and accounts every per-unit series takes, declared once."""

    start: date | None
    end: date | None
    account_id: int | None
    platform: Platform | None


async def range_query(
    start: Start = None, end: End = None, account_id: AccountId = None, platform: PlatformQ = None
) -> RangeQuery:
    return RangeQuery(start, end, account_id, platform)


RangeDep = Annotated[RangeQuery, Depends(range_query)]


async def _scope(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    q: RangeQuery,
    default_days: int = service.DEFAULT_DAYS,
) -> service.Scope:
    return await service.scope(
        session,
        principal,
        unit_id,
        start=q.start,
        end=q.end,
        account_id=q.account_id,
        platform=q.platform,
        default_days=default_days,
    )


@router.get(
    "/units/{unit_id}/followers",
    response_model=FollowersRead,
    responses=CSV,
    summary="Followers over time per account, with net gain and growth rate",
    description="Followers at the end of each day, week (from Monday) or month, from the "
    "daily rollup; `net_gain` is the change since the previous period (the first period "
    "compares with the last figure before the range)." + RANGE,
)
async def followers(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    q: RangeDep,
    interval: core.Interval = core.Interval.day,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q)
    if format == "csv":
        # Straight from the series: a row per point, without building the JSON's models.
        series = await service.follower_series(session, s, interval)
        rows = (
            {
                "account_id": a,
                "platform": s.accounts[a].platform,
                "handle": s.accounts[a].handle,
                "period": p.period,
                "followers": p.followers,
                "net_gain": p.net_gain,
                "growth_rate": p.growth_rate,
            }
            for a, x in series.items()
            for p in x.points
        )
        columns = [
            "account_id",
            "platform",
            "handle",
            "period",
            "followers",
            "net_gain",
            "growth_rate",
        ]
        return _csv("followers", columns, rows)
    return json_response(await service.followers(session, s, interval))


@router.get(
    "/units/{unit_id}/summary",
    response_model=SummaryRead,
    responses=CSV,
    summary="KPI cards: posts published per platform, interactions, engagement, followers",
    description="Totals and per-platform figures of the posts published in the range, and "
    "each account's followers at its end with the change over the range." + RANGE,
)
async def summary(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    q: RangeDep,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q)
    result = await service.summary(session, s)
    if format == "csv":
        rows = [p.model_dump() for p in result.platforms]
        rows.append({"platform": "all", **result.totals.model_dump()})
        return _csv("summary", ["platform", *_fields(type(result.totals))], rows)
    return json_response(result)


@router.get(
    "/units/{unit_id}/posts",
    response_model=PostStatList,
    responses=CSV,
    summary="Engagement per post: top, bottom or most recent posts",
    description="Each post's latest figures, interactions (likes + comments + shares + saves) "
    "and engagement rate. `top`/`bottom` rank posts that have figures by `metric`." + RANGE,
)
async def posts(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    q: RangeDep,
    order: service.Order = "top",
    metric: service.Metric = "interactions",
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q)
    result = await service.posts(session, s, order, metric, limit)
    if format == "csv":
        return _csv("posts", _fields(PostStat), [p.model_dump() for p in result.items])
    return json_response(result)


@router.get(
    "/units/{unit_id}/breakdown",
    response_model=BreakdownRead,
    responses=CSV,
    summary="Performance by category (content pillar), format, platform or account",
    description="Posts, interactions, reach and engagement per group." + RANGE,
)
async def breakdown(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    by: service.By,
    q: RangeDep,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q)
    result = await service.breakdown(session, s, by)
    if format == "csv":
        return _csv(f"by-{by}", _fields(Group), [g.model_dump() for g in result.items])
    return json_response(result)


@router.get(
    "/units/{unit_id}/best-times",
    response_model=BestTimesRead,
    responses=CSV,
    summary="Best time to post: a weekday × hour grid from the unit's own posts",
    description="Average interactions and engagement of the posts published in each local "
    "weekday and hour, with the number of posts behind each cell (`reliable` from "
    "`min_reliable_posts`). Default range: the last 365 days." + RANGE,
)
async def best_times(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    q: RangeDep,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q, service.BEST_TIME_DAYS)
    result = await service.best_times(session, s)
    if format == "csv":
        columns = [
            "weekday",
            "hour",
            "posts",
            "avg_interactions",
            "avg_engagement_rate",
            "reliable",
        ]
        return _csv("best-times", columns, [c.model_dump() for c in result.cells])
    return json_response(result)


@router.get(
    "/units/{unit_id}/compare",
    response_model=CompareRead,
    responses=CSV,
    summary="This period against another (by default the one just before)",
    description="KPIs of the range and of the period to compare with: by default the same "
    "number of days just before (a whole calendar month compares with the month before)." + RANGE,
)
async def compare(
    unit_id: IdPath,
    principal: MetricsReaderDep,
    session: SessionDep,
    q: RangeDep,
    compare_start: Annotated[date | None, Query(description="First day to compare with.")] = None,
    compare_end: Annotated[date | None, Query(description="Last day to compare with.")] = None,
    format: Format = "json",
) -> Any:
    s = await _scope(session, principal, unit_id, q)
    result = await service.compare(session, s, compare_start, compare_end)
    if format == "csv":
        columns = ["metric", "current", "previous", "change", "change_pct"]
        return _csv("compare", columns, [c.model_dump() for c in result.changes])
    return json_response(result)


@router.get(
    "/units",
    response_model=UnitsSummaryRead,
    responses=CSV,
    summary="Every unit the caller can read side by side (coordinators)",
    description="Followers, follower gain, posts, interactions, engagement and dormant "
    "accounts per unit: every unit for an instance administrator, else the caller's own "
    "units. Each unit counts its own local days.",
)
async def units(
    principal: MetricsReaderDep,
    session: SessionDep,
    start: Start = None,
    end: End = None,
    format: Format = "json",
) -> Any:
    result = await service.units_summary(session, principal, start, end)
    if format == "csv":
        return _csv("units", _fields(UnitSummary), [u.model_dump() for u in result.items])
    return json_response(result)


@router.get(
    "/units/{unit_id}/dormant",
    response_model=DormantRead,
    responses=CSV,
    summary="Dormant accounts: no post for the unit's number of days, or no metrics for a day",
)
async def dormant(
    unit_id: IdPath, principal: MetricsReaderDep, session: SessionDep, format: Format = "json"
) -> Any:
    result = await service.dormant(session, principal, unit_id)
    if format == "csv":
        rows = [{**d.model_dump(), "reasons": " ".join(d.reasons)} for d in result.items]
        columns = ["account_id", "platform", "handle", "last_post_at", "last_metrics_at", "reasons"]
        return _csv("dormant", columns, rows)
    return json_response(result)


@router.get(
    "/units/{unit_id}/settings",
    response_model=MetricsSettings,
    summary="The unit's metrics settings (dormant-account days)",
)
async def read_settings(
    unit_id: IdPath, principal: MetricsReaderDep, session: SessionDep
) -> MetricsSettings:
    return await service.read_settings(session, principal, unit_id)


@router.put(
    "/units/{unit_id}/settings",
    response_model=MetricsSettings,
    summary="Change the unit's metrics settings (unit admin)",
)
async def update_settings(
    unit_id: IdPath, body: MetricsSettingsIn, principal: PrincipalDep, session: SessionDep
) -> MetricsSettings:
    return await service.update_settings(session, principal, unit_id, body)
