"""X spending: usage per unit, UTC day and price class; a unit's monthly cap and notice month.

Revision ID: x_spend
Revises: system_actor_notifications
Create Date: 2026-11-29 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "x_spend"
down_revision: str | None = "system_actor_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("x_spend_cap_usd", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("x_spend_notice_month", sa.String(length=7), nullable=True))
    op.create_table(
        "x_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("price_class", sa.String(length=32), nullable=False),
        sa.Column("calls", sa.BigInteger(), nullable=False),
        sa.Column("micro_usd", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_x_usage_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_x_usage")),
        sa.UniqueConstraint("unit_id", "day", "price_class", name=op.f("uq_x_usage_unit_id")),
    )


def downgrade() -> None:
    op.drop_table("x_usage")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("x_spend_notice_month")
        batch.drop_column("x_spend_cap_usd")
