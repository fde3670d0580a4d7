"""Writing-check settings per unit: glossary, rules off, stricter thresholds, ignored words.

Revision ID: writing_settings
Revises: membership_invites
Create Date: 2026-11-29 19:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "writing_settings"
down_revision: str | None = "membership_invites"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "unit_writing_settings",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("glossary", JSON, nullable=False),
        sa.Column("disabled_rules", JSON, nullable=False),
        sa.Column("thresholds", JSON, nullable=False),
        sa.Column("ignored_words", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_unit_writing_settings_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_writing_settings")),
    )


def downgrade() -> None:
    op.drop_table("unit_writing_settings")
