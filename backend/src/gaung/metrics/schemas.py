"""Analytics API shapes. Dates (``YYYY-MM-DD``) are days in the unit's timezone; instants are
ISO 8601 UTC. Rates are fractions (0.034 = 3.4 %); the web app formats them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from gaung.kit.schemas import Input, Schema
from gaung.metrics.core import Interval
from gaung.metrics.models import PostFormat
from gaung.platforms.types import Platform

RATE = (
    "Interactions (likes, comments, shares, saves) per person reached when the network "
    "reports reach (Instagram, sandbox accounts), else per follower when the post went out "
    "(X, Facebook): see `engagement_basis`. Averages are the mean of the posts' rates."
)


class Range(Schema):
    unit_id: int
    timezone: str = Field(examples=["Asia/Jakarta"])
    start: date = Field(description="First day, in the unit's timezone.")
    end: date = Field(description="Last day (inclusive).")
    account_id: int | None
    platform: Platform | None


class FollowerPoint(Schema):
    period: date = Field(description="First day of the day, week (Monday) or month.")
    followers: int = Field(description="Followers at the end of the period (last reading).")
    net_gain: int | None = Field(description="Change since the previous period's end.")
    growth_rate: float | None = Field(description="net_gain / the previous period's followers.")


class AccountFollowers(Schema):
    account_id: int
    platform: Platform
    handle: str
    start_followers: int | None = Field(description="The last reading before the range.")
    end_followers: int | None
    net_gain: int | None
    growth_rate: float | None
    points: list[FollowerPoint]


class FollowersRead(Schema):
    range: Range
    interval: Interval
    accounts: list[AccountFollowers]


class Totals(Schema):
    posts: int
    interactions: int
    impressions: int = Field(description="Views/impressions where the network reports them.")
    reach: int
    avg_interactions: float | None
    engagement_rate: float | None = Field(description=RATE)


class PlatformTotals(Totals):
    platform: Platform


class AccountKpi(Schema):
    account_id: int
    platform: Platform
    handle: str
    followers: int | None = Field(description="At the end of the range.")
    net_gain: int | None
    growth_rate: float | None


class SummaryRead(Schema):
    range: Range
    totals: Totals = Field(description="Posts published in the range and their latest figures.")
    platforms: list[PlatformTotals] = Field(description="Posts published per platform.")
    accounts: list[AccountKpi]


class PostStat(Schema):
    id: int = Field(description="The tracked post (one published variant, or an imported post).")
    post_id: int | None
    variant_id: int | None
    account_id: int
    platform: Platform
    title: str
    category: str | None
    format: PostFormat
    url: str | None
    published_at: datetime
    measured_at: datetime | None = Field(description="When its figures were last read.")
    impressions: int | None
    reach: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    clicks: int | None
    interactions: int
    engagement_rate: float | None = Field(description=RATE)
    engagement_basis: Literal["reach", "followers"] | None


class PostStatList(Schema):
    range: Range
    order: Literal["top", "bottom", "recent"]
    metric: Literal["interactions", "engagement_rate"]
    items: list[PostStat]


class Group(Schema):
    key: str | None = Field(
        description="The category (null: none), format, platform or account id (as text)."
    )
    label: str | None = Field(description="The account's handle when grouped by account.")
    posts: int
    interactions: int
    avg_interactions: float | None
    impressions: int
    reach: int
    engagement_rate: float | None = Field(description=RATE)


class BreakdownRead(Schema):
    range: Range
    by: Literal["category", "format", "platform", "account"]
    items: list[Group] = Field(description="Most interactions first.")


class Cell(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday, in the unit's zone.")
    hour: int = Field(ge=0, le=23, description="Local hour the posts went out.")
    posts: int = Field(description="Sample size: posts published in this slot.")
    avg_interactions: float | None
    avg_engagement_rate: float | None = Field(description=RATE)
    reliable: bool = Field(description="At least `min_reliable_posts` posts: worth trusting.")


class BestTimesRead(Schema):
    range: Range
    min_reliable_posts: int
    posts: int = Field(description="Posts in the grid.")
    cells: list[Cell] = Field(description="All 168 cells, Monday 00:00 first.")


class Kpis(Schema):
    start: date
    end: date
    posts: int
    interactions: int
    impressions: int
    reach: int
    engagement_rate: float | None = Field(description=RATE)
    followers: int | None = Field(description="All selected accounts' followers at the end.")
    follower_gain: int | None


class Change(Schema):
    metric: Literal[
        "posts",
        "interactions",
        "impressions",
        "reach",
        "engagement_rate",
        "followers",
        "follower_gain",
    ]
    current: float | None
    previous: float | None
    change: float | None
    change_pct: float | None = Field(description="Relative change (0.1 = +10 %); null from 0.")


class CompareRead(Schema):
    range: Range
    current: Kpis
    previous: Kpis
    changes: list[Change]


class UnitSummary(Schema):
    unit_id: int
    unit_name: str
    timezone: str
    accounts: int = Field(description="Active accounts.")
    followers: int | None
    follower_gain: int | None
    posts: int
    interactions: int
    engagement_rate: float | None = Field(description=RATE)
    dormant_accounts: int


class UnitsSummaryRead(Schema):
    start: date
    end: date
    items: list[UnitSummary]


class DormantAccount(Schema):
    account_id: int
    platform: Platform
    handle: str
    last_post_at: datetime | None
    last_metrics_at: datetime | None
    reasons: list[Literal["no_posts", "no_metrics"]] = Field(
        description="`no_posts`: nothing published for `dormant_days`; `no_metrics`: no "
        "figures read for a day."
    )


class DormantRead(Schema):
    unit_id: int
    dormant_days: int
    items: list[DormantAccount]


class MetricsSettings(Schema):
    unit_id: int
    dormant_days: int


class MetricsSettingsIn(Input):
    dormant_days: int = Field(
        ge=1, le=365, description="An active account with no post for this many days is dormant."
    )
