"""Metrics history: account and post snapshots, daily account rollups, tracked posts, polling
state, the unit's dormant-account setting and the dormant-account notification.

Revision ID: metrics_history
Revises: holds_pauses_blackouts
Create Date: 2026-11-29 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "metrics_history"
down_revision: str | None = "holds_pauses_blackouts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
KINDS = (
    "review_requested",
    "approved",
    "rejected",
    "published",
    "failed",
    "unconfirmed",
    "account_needs_reauth",
    "x_spend_near_cap",
)
CHECK = "ck_notification_notification_kind"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _kinds(kinds: Sequence[str]) -> None:
    """Replace the CHECK constraint listing the notification kinds."""
    condition = sa.column("kind").in_(kinds)
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("notification", recreate="always") as batch:
            batch.drop_constraint(op.f(CHECK), type_="check")
            batch.create_check_constraint(op.f(CHECK), condition)
    else:
        op.drop_constraint(op.f(CHECK), "notification", type_="check")
        op.create_check_constraint(op.f(CHECK), "notification", condition)


def upgrade() -> None:
    op.create_table(
        "unit_metrics_settings",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("dormant_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        _fk("unit_metrics_settings", "unit_id", "unit", "CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_metrics_settings")),
    )
    op.create_table(
        "account_daily",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("followers", sa.Integer(), nullable=True),
        sa.Column("following", sa.Integer(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=True),
        sa.Column("snapshots", sa.Integer(), nullable=False),
        _fk("account_daily", "account_id", "platform_account", "CASCADE"),
        _fk("account_daily", "unit_id", "unit", "CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "day", name=op.f("pk_account_daily")),
    )
    op.create_index("ix_account_daily_unit_day", "account_daily", ["unit_id", "day"])
    op.create_table(
        "account_snapshot",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("followers", sa.Integer(), nullable=True),
        sa.Column("following", sa.Integer(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=True),
        sa.Column("page_likes", sa.Integer(), nullable=True),
        sa.Column("raw", JSON, nullable=False),
        _fk("account_snapshot", "account_id", "platform_account", "CASCADE"),
        _fk("account_snapshot", "unit_id", "unit", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_snapshot")),
    )
    op.create_index(
        "ix_account_snapshot_account_measured", "account_snapshot", ["account_id", "measured_at"]
    )
    op.create_index(op.f("ix_account_snapshot_unit_id"), "account_snapshot", ["unit_id"])
    op.create_table(
        "metrics_account_state",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", TS, nullable=True),
        sa.Column("last_success_at", TS, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("backfilled_at", TS, nullable=True),
        sa.Column("dormant_alert_at", TS, nullable=True),
        _fk("metrics_account_state", "account_id", "platform_account", "CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_metrics_account_state")),
    )
    op.create_table(
        "tracked_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "x",
                "instagram",
                "facebook",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("variant_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column(
            "format",
            sa.Enum(
                "text",
                "image",
                "carousel",
                "video",
                name="post_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("followers_at_publish", sa.Integer(), nullable=True),
        sa.Column("measured_at", TS, nullable=True),
        sa.Column("impressions", sa.Integer(), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("likes", sa.Integer(), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.Column("shares", sa.Integer(), nullable=True),
        sa.Column("saves", sa.Integer(), nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=True),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("engagement_rate", sa.Double(), nullable=True),
        sa.Column("engagement_basis", sa.String(length=16), nullable=True),
        sa.Column("polls", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", TS, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        _fk("tracked_post", "account_id", "platform_account", "CASCADE"),
        _fk("tracked_post", "post_id", "post", "SET NULL"),
        _fk("tracked_post", "unit_id", "unit", "CASCADE"),
        _fk("tracked_post", "variant_id", "post_variant", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracked_post")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_tracked_post_account_id")),
        sa.UniqueConstraint("variant_id", name=op.f("uq_tracked_post_variant_id")),
    )
    op.create_index(
        "ix_tracked_post_account_published", "tracked_post", ["account_id", "published_at"]
    )
    op.create_index(op.f("ix_tracked_post_next_poll_at"), "tracked_post", ["next_poll_at"])
    op.create_index("ix_tracked_post_unit_published", "tracked_post", ["unit_id", "published_at"])
    op.create_table(
        "post_metric_snapshot",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("likes", sa.Integer(), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.Column("shares", sa.Integer(), nullable=True),
        sa.Column("saves", sa.Integer(), nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=True),
        sa.Column("raw", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["tracked_post.id"],
            name=op.f("fk_post_metric_snapshot_post_id_tracked_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_metric_snapshot")),
    )
    op.create_index(
        "ix_post_metric_snapshot_post_measured", "post_metric_snapshot", ["post_id", "measured_at"]
    )
    _kinds((*KINDS, "account_dormant"))


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE kind = 'account_dormant'")
    _kinds(KINDS)
    op.drop_table("post_metric_snapshot")
    op.drop_table("tracked_post")
    op.drop_table("metrics_account_state")
    op.drop_table("account_snapshot")
    op.drop_table("account_daily")
    op.drop_table("unit_metrics_settings")
