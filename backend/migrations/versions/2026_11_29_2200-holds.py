"""Holds: unit and agency pauses, blackout periods (election quiet period, mourning).

Revision ID: holds_pauses_blackouts
Revises: workflow_policy
Create Date: 2026-11-29 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "holds_pauses_blackouts"
down_revision: str | None = "workflow_policy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hold_pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("paused_at", TS, nullable=False),
        sa.Column("paused_by_id", sa.Integer(), nullable=True),
        sa.Column("resumed_at", TS, nullable=True),
        sa.Column("resumed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_hold_pause_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["paused_by_id"],
            ["user_account.id"],
            name=op.f("fk_hold_pause_paused_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resumed_by_id"],
            ["user_account.id"],
            name=op.f("fk_hold_pause_resumed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold_pause")),
    )
    op.create_index(op.f("ix_hold_pause_unit_id"), "hold_pause", ["unit_id"])
    op.create_index(op.f("ix_hold_pause_resumed_at"), "hold_pause", ["resumed_at"])
    op.create_table(
        "blackout_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "election_quiet",
                "mourning",
                "other",
                name="blackout_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_blackout_period_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_blackout_period_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blackout_period")),
    )
    op.create_index(op.f("ix_blackout_period_unit_id"), "blackout_period", ["unit_id"])
    op.create_index(op.f("ix_blackout_period_starts_at"), "blackout_period", ["starts_at"])
    op.create_index(op.f("ix_blackout_period_ends_at"), "blackout_period", ["ends_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_blackout_period_ends_at"), table_name="blackout_period")
    op.drop_index(op.f("ix_blackout_period_starts_at"), table_name="blackout_period")
    op.drop_index(op.f("ix_blackout_period_unit_id"), table_name="blackout_period")
    op.drop_table("blackout_period")
    op.drop_index(op.f("ix_hold_pause_resumed_at"), table_name="hold_pause")
    op.drop_index(op.f("ix_hold_pause_unit_id"), table_name="hold_pause")
    op.drop_table("hold_pause")
