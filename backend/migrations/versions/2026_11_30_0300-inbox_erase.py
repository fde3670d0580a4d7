"""Erasing a message's text: after the retention period or on a delete request the text goes
with the commenter's identity, while the conversation's topic, times and status stay.

Revision ID: inbox_erase
Revises: calendar_times
Create Date: 2026-11-30 03:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "inbox_erase"
down_revision: str | None = "calendar_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_message", schema=None) as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox_message", schema=None) as batch:
        batch.drop_column("erased_at")
