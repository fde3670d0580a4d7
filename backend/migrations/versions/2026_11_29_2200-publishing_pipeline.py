"""The publishing pipeline: a variant's claim (lease, worker, next attempt), its error in both
languages with the platform's code, and one row per publish attempt.

Revision ID: publishing_pipeline
Revises: system_actor_notifications
Create Date: 2026-11-29 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publishing_pipeline"
down_revision: str | None = "system_actor_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ("published", "retry", "failed", "auth", "unconfirmed", "released", "lease_expired")


def upgrade() -> None:
    with op.batch_alter_table("post_variant") as batch:
        batch.add_column(sa.Column("last_error_message_id", sa.Text(), nullable=True))
        batch.add_column(sa.Column("last_error_code", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "publish_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                *OUTCOMES,
                name="attempt_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["post_variant.id"],
            name=op.f("fk_publish_attempt_variant_id_post_variant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_attempt")),
    )
    op.create_index(op.f("ix_publish_attempt_variant_id"), "publish_attempt", ["variant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_publish_attempt_variant_id"), table_name="publish_attempt")
    op.drop_table("publish_attempt")
    with op.batch_alter_table("post_variant") as batch:
        batch.drop_column("next_attempt_at")
        batch.drop_column("claimed_by")
        batch.drop_column("lease_until")
        batch.drop_column("last_error_code")
        batch.drop_column("last_error_message_id")
