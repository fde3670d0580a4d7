"""Membership invitations: an admin's offer of a role to a user of another unit.

Revision ID: membership_invites
Revises: sessions_throttle
Create Date: 2026-11-29 18:01:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "membership_invites"
down_revision: str | None = "sessions_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "membership_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "editor",
                "contributor",
                "expert",
                "viewer",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["user_account.id"],
            name=op.f("fk_membership_invite_invited_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_membership_invite_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_membership_invite_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_invite")),
    )
    with op.batch_alter_table("membership_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_invite_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_invite_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("membership_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_invite_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_invite_unit_id"))
    op.drop_table("membership_invite")
