"""Calendar and composer: unit publishing settings (checklist, default slots, alt text), a
post's data source and ticked checklist, the review thread, post templates.

Revision ID: calendar_templates
Revises: holds_pauses_blackouts
Create Date: 2026-11-29 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "calendar_templates"
down_revision: str | None = "holds_pauses_blackouts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CHECKLIST = (
    '["Kredibel", "Integritas", "Profesional", "Responsif", "Terintegrasi", "Representatif"]'
)
SLOTS = '["09:00", "12:00", "19:00"]'


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.add_column(
            sa.Column("checklist", JSON, nullable=False, server_default=sa.text(f"'{CHECKLIST}'"))
        )
        batch.add_column(
            sa.Column("default_slots", JSON, nullable=False, server_default=sa.text(f"'{SLOTS}'"))
        )
        batch.add_column(
            sa.Column("require_alt_text", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("post") as batch:
        batch.add_column(sa.Column("data_source", sa.String(length=500), nullable=True))
        batch.add_column(
            sa.Column("checklist_ticked", JSON, nullable=False, server_default=sa.text("'[]'"))
        )
    op.create_table(
        "post_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "comment",
                "rejection",
                "approval",
                "submission",
                name="comment_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_comment_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_post_comment_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_comment")),
    )
    op.create_index(op.f("ix_post_comment_post_id"), "post_comment", ["post_id"])
    op.create_table(
        "post_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "greeting",
                "event",
                "report",
                "other",
                name="template_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("base_text", sa.Text(), nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("hashtags", JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_post_template_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_template")),
    )
    op.create_index(op.f("ix_post_template_unit_id"), "post_template", ["unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_post_template_unit_id"), table_name="post_template")
    op.drop_table("post_template")
    op.drop_index(op.f("ix_post_comment_post_id"), table_name="post_comment")
    op.drop_table("post_comment")
    with op.batch_alter_table("post") as batch:
        batch.drop_column("checklist_ticked")
        batch.drop_column("data_source")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("require_alt_text")
        batch.drop_column("default_slots")
        batch.drop_column("checklist")
