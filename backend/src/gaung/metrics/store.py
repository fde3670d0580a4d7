"""Writing figures: a snapshot row, and the rollups it changes, in the caller's transaction.

The daily rollup is an upsert that only moves forward (a late, older reading never replaces a
newer one of the same day), so concurrent workers and retried polls leave it right."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.metrics import core
from gaung.metrics.models import (
    AccountDaily,
    AccountSnapshot,
    MetricsAccountState,
    PostMetricSnapshot,
    TrackedPost,
)
from gaung.platforms.protocol import AccountMetrics, PostMetrics


def _daily_upsert(dialect: str, row: dict[str, Any]) -> Executable:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(AccountDaily).values(**row)
    newer = stmt.excluded.measured_at >= AccountDaily.measured_at
    return stmt.on_conflict_do_update(
        index_elements=[AccountDaily.account_id, AccountDaily.day],
        set_={
            "measured_at": stmt.excluded.measured_at,
            "followers": stmt.excluded.followers,
            "following": stmt.excluded.following,
            "posts": stmt.excluded.posts,
            "snapshots": AccountDaily.snapshots + 1,
        },
        where=newer,
    )


async def record_account(
    session: AsyncSession,
    *,
    account_id: int,
    unit_id: int,
    zone: ZoneInfo,
    metrics: AccountMetrics,
) -> None:
    raw = dict(metrics.raw) or {
        k: v
        for k, v in (
            ("followers", metrics.followers),
            ("following", metrics.following),
            ("posts", metrics.posts),
            ("page_likes", metrics.page_likes),
        )
        if v is not None
    }
    session.add(
        AccountSnapshot(
            account_id=account_id,
            unit_id=unit_id,
            measured_at=metrics.measured_at,
            followers=metrics.followers,
            following=metrics.following,
            posts=metrics.posts,
            page_likes=metrics.page_likes,
            raw=raw,
        )
    )
    row = {
        "account_id": account_id,
        "unit_id": unit_id,
        "day": metrics.measured_at.astimezone(zone).date(),
        "measured_at": metrics.measured_at,
        "followers": metrics.followers,
        "following": metrics.following,
        "posts": metrics.posts,
        "snapshots": 1,
    }
    await session.execute(_daily_upsert(session.get_bind().dialect.name, row))


def normalised(metrics: PostMetrics) -> dict[str, int | None]:
    """The network's figures under Gaung's names: replies are comments, reposts are shares,
    Instagram's saved and X's bookmarks are saves."""
    extra = metrics.extra
    saves = extra.get("saved", extra.get("bookmarks"))
    return {
        "impressions": metrics.impressions,
        "reach": metrics.reach,
        "likes": metrics.likes,
        "comments": metrics.replies,
        "shares": metrics.shares,
        "saves": saves,
        "clicks": metrics.clicks,
    }


def apply_figures(post: TrackedPost, figures: dict[str, int | None], at: datetime) -> None:
    """Make ``figures`` the post's latest ones, unless it already has later ones."""
    if post.measured_at is not None and post.measured_at > at:
        return
    post.measured_at = at
    for name, value in figures.items():
        setattr(post, name, value)
    post.interactions = core.interactions(
        figures["likes"], figures["comments"], figures["shares"], figures["saves"]
    )
    post.engagement_rate, post.engagement_basis = core.engagement(
        post.interactions, figures["reach"], post.followers_at_publish
    )


def record_post(session: AsyncSession, post: TrackedPost, metrics: PostMetrics) -> None:
    figures = normalised(metrics)
    raw = dict(metrics.raw) or {
        **{k: v for k, v in figures.items() if v is not None},
        **metrics.extra,
    }
    session.add(
        PostMetricSnapshot(post_id=post.id, measured_at=metrics.measured_at, raw=raw, **figures)
    )
    apply_figures(post, figures, metrics.measured_at)


async def ensure_states(session: AsyncSession, account_ids: list[int]) -> None:
    """Create the accounts' state rows if missing, without failing when another worker creates
    them at the same moment (several workers run these jobs at once on PostgreSQL)."""
    if not account_ids:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(MetricsAccountState)
        .values([{"account_id": a, "failures": 0} for a in account_ids])
        .on_conflict_do_nothing(index_elements=[MetricsAccountState.account_id])
    )
