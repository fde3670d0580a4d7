"""Sandbox posts: what sandbox accounts publish, kept in Gaung's own database.

Revision ID: sandbox_posts
Revises: writing_settings
Create Date: 2026-11-29 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "sandbox_posts"
down_revision: str | None = "writing_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sandbox_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_count", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_reply_to", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["platform_account.id"],
            name=op.f("fk_sandbox_post_account_id_platform_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_post")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_sandbox_post_account_id")),
    )
    op.create_index(op.f("ix_sandbox_post_account_id"), "sandbox_post", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sandbox_post_account_id"), table_name="sandbox_post")
    op.drop_table("sandbox_post")
