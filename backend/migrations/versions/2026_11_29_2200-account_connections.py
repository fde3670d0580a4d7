"""Connecting accounts through a network's login; an account's avatar.

Revision ID: account_connections
Revises: system_actor_notifications
Create Date: 2026-11-29 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "account_connections"
down_revision: str | None = "system_actor_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("platform_account") as batch:
        batch.add_column(sa.Column("avatar_url", sa.String(length=1000), nullable=True))
    op.create_table(
        "account_connection",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("platform", _enum("x", "instagram", "facebook", name="platform"), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("secret_enc", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            _enum("pending", "choose", "done", "failed", name="connection_status"),
            nullable=False,
        ),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("choices", JSON, nullable=False),
        sa.Column("result_account_ids", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["platform_account.id"],
            name=op.f("fk_account_connection_account_id_platform_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_account_connection_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_account_connection_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_connection")),
    )
    op.create_index(op.f("ix_account_connection_expires_at"), "account_connection", ["expires_at"])
    op.create_index(op.f("ix_account_connection_unit_id"), "account_connection", ["unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_account_connection_unit_id"), table_name="account_connection")
    op.drop_index(op.f("ix_account_connection_expires_at"), table_name="account_connection")
    op.drop_table("account_connection")
    with op.batch_alter_table("platform_account") as batch:
        batch.drop_column("avatar_url")
