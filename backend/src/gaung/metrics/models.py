"""Metrics history: raw snapshots as the networks gave them, and the rollups dashboards read.

Dashboards never scan raw history: ``account_daily`` (one row per account and local day) and
the latest figures on ``tracked_post`` are kept up to date as each snapshot is written."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, str_enum
from gaung.kit.time import utcnow
from gaung.platforms.types import Platform

# 64-bit on PostgreSQL (years of hourly snapshots), SQLite's rowid otherwise.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class PostFormat(StrEnum):
    text = "text"
    image = "image"
    carousel = "carousel"
    video = "video"


class AccountSnapshot(Base):
    """An account's figures at one moment, with the network's own names in ``raw``."""

    __tablename__ = "account_snapshot"
    __table_args__ = (Index("ix_account_snapshot_account_measured", "account_id", "measured_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("platform_account.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    measured_at: Mapped[datetime]
    followers: Mapped[int | None]
    following: Mapped[int | None]
    posts: Mapped[int | None]
    page_likes: Mapped[int | None]
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AccountDaily(Base):
    """The last figures of each local day (the unit's timezone) of an account."""

    __tablename__ = "account_daily"
    __table_args__ = (Index("ix_account_daily_unit_day", "unit_id", "day"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    measured_at: Mapped[datetime]
    followers: Mapped[int | None]
    following: Mapped[int | None]
    posts: Mapped[int | None]
    snapshots: Mapped[int] = mapped_column(default=1)


class TrackedPost(Base):
    """A published post whose figures are followed: one of Gaung's variants, or one imported
    from the account when it was connected. Holds its latest figures (the post rollup), the
    facts analytics group by, and where it is on the polling schedule."""

    __tablename__ = "tracked_post"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        Index("ix_tracked_post_unit_published", "unit_id", "published_at"),
        Index("ix_tracked_post_account_published", "account_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("platform_account.id", ondelete="CASCADE"))
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"))
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("post_variant.id", ondelete="SET NULL"), unique=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    external_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str | None] = mapped_column(String(80))
    format: Mapped[PostFormat] = mapped_column(
        str_enum(PostFormat, "post_format"), default=PostFormat.text
    )
    published_at: Mapped[datetime]
    # Local weekday (0 = Monday) and hour in the unit's zone when published: the best-time grid.
    weekday: Mapped[int]
    hour: Mapped[int]
    # The account's followers when the post went out (engagement per follower when no reach).
    followers_at_publish: Mapped[int | None]
    # Latest figures (normalised); interactions = likes + comments + shares + saves.
    measured_at: Mapped[datetime | None]
    impressions: Mapped[int | None]
    reach: Mapped[int | None]
    likes: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]
    saves: Mapped[int | None]
    clicks: Mapped[int | None]
    interactions: Mapped[int] = mapped_column(default=0)
    # Interactions per reach, else per follower at publishing (core.engagement); basis says which.
    engagement_rate: Mapped[float | None]
    engagement_basis: Mapped[str | None] = mapped_column(String(16))
    # Polling: how many steps of the decaying schedule are done, and when the next is due.
    polls: Mapped[int] = mapped_column(default=0)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostMetricSnapshot(Base):
    """A post's figures at one moment: normalised columns beside the network's raw names."""

    __tablename__ = "post_metric_snapshot"
    __table_args__ = (Index("ix_post_metric_snapshot_post_measured", "post_id", "measured_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("tracked_post.id", ondelete="CASCADE"))
    measured_at: Mapped[datetime]
    impressions: Mapped[int | None]
    reach: Mapped[int | None]
    likes: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]
    saves: Mapped[int | None]
    clicks: Mapped[int | None]
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MetricsAccountState(Base):
    """Where an account is in metrics polling: its next snapshot, failures, whether its recent
    posts were imported, and the last dormant alert sent about it."""

    __tablename__ = "metrics_account_state"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE"), primary_key=True
    )
    next_poll_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    backfilled_at: Mapped[datetime | None]
    dormant_alert_at: Mapped[datetime | None]


class UnitMetricsSettings(Base):
    """A unit's own metrics settings (absent: the defaults)."""

    __tablename__ = "unit_metrics_settings"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    # An active account without a post for this many days is flagged dormant.
    dormant_days: Mapped[int] = mapped_column(default=14)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
