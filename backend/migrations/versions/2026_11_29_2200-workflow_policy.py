"""Unit publishing policy (approval required, four-eyes) and a post's review comment.

Revision ID: workflow_policy
Revises: account_connections
Create Date: 2026-11-29 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "workflow_policy"
down_revision: str | None = "account_connections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.alter_column("requires_approval", new_column_name="approval_required")
        batch.add_column(
            sa.Column("four_eyes", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("post") as batch:
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post") as batch:
        batch.drop_column("review_comment")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("four_eyes")
        batch.alter_column("approval_required", new_column_name="requires_approval")
