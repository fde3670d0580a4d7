"""The calendar time stored on each variant (scheduled, else published, else the post's planned
time; see gaung/posts/calendar_time.py) with the post's unit beside it, and their index, so a
month of the calendar is one index range at any number of posts.

Revision ID: calendar_times
Revises: variant_followups
Create Date: 2026-11-30 02:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "calendar_times"
down_revision: str | None = "variant_followups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

# The rule as of this revision, for the rows already there; from now on the service keeps it.
BACKFILL = """
UPDATE post_variant SET
  unit_id = (SELECT post.unit_id FROM post WHERE post.id = post_variant.post_id),
  calendar_at = coalesce(
    post_variant.scheduled_at,
    (SELECT max(a.finished_at) FROM publish_attempt a
      WHERE a.variant_id = post_variant.id AND a.outcome = 'published'),
    (SELECT post.planned_at FROM post WHERE post.id = post_variant.post_id)
  )
"""


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite, which would drop the text search's
    # triggers on post_variant); the unit needs no foreign key: the post holds it.
    op.add_column("post_variant", sa.Column("calendar_at", TS, nullable=True))
    op.add_column("post_variant", sa.Column("unit_id", sa.Integer(), nullable=True))
    op.execute(BACKFILL)
    op.create_index("ix_post_variant_unit_calendar_at", "post_variant", ["unit_id", "calendar_at"])


def downgrade() -> None:
    op.drop_index("ix_post_variant_unit_calendar_at", table_name="post_variant")
    op.drop_column("post_variant", "unit_id")
    op.drop_column("post_variant", "calendar_at")
