"""Variant follow-ups: an X thread's later parts and an Instagram first comment, each recorded
before and after its call (post_followup), and the notification that one failed.

Revision ID: variant_followups
Revises: list_indexes
Create Date: 2026-11-30 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "variant_followups"
down_revision: str | None = "list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
KINDS = (
    "review_requested",
    "approved",
    "rejected",
    "published",
    "failed",
    "unconfirmed",
    "account_needs_reauth",
    "x_spend_near_cap",
    "account_dormant",
    "submission_published",
    "submission_declined",
    "webhook_paused",
    "inbox_assigned",
    "inbox_overdue",
    "inbox_answer_review",
)
NEW_KINDS = ("followup_failed",)
CHECK = "ck_notification_notification_kind"


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
        "post_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "thread_part",
                "first_comment",
                name="followup_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "published",
                "failed",
                "unconfirmed",
                name="followup_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("external_url", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_id", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["post_variant.id"],
            name=op.f("fk_post_followup_variant_id_post_variant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_followup")),
        sa.UniqueConstraint(
            "variant_id", "kind", "position", name=op.f("uq_post_followup_variant_id")
        ),
    )
    op.create_index(op.f("ix_post_followup_status"), "post_followup", ["status"])
    _kinds(KINDS + NEW_KINDS)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM notification WHERE kind IN ('followup_failed')"))
    _kinds(KINDS)
    op.drop_index(op.f("ix_post_followup_status"), table_name="post_followup")
    op.drop_table("post_followup")
