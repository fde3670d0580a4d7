"""The inbox: conversations and messages, topics and experts, answers, saved answers, settings,
webhook deliveries, privacy requests; three notification kinds.

Revision ID: inbox
Revises: holds_pauses_blackouts
Create Date: 2026-11-29 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "inbox"
down_revision: str | None = "integrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
KINDS = (
    "review_requested",
    "approved",
    "rejected",
    "published",
    "failed",
    "unconfirmed",
    "account_needs_reauth",
    "x_spend_near_cap",
    # Added by metrics_history and integrations.
    "account_dormant",
    "submission_published",
    "submission_declined",
    "webhook_paused",
)
INBOX_KINDS = ("inbox_assigned", "inbox_overdue", "inbox_answer_review")


def _kinds(kinds: Sequence[str]) -> sa.Enum:
    return sa.Enum(
        *kinds, name="notification_kind", native_enum=False, create_constraint=True, length=32
    )


def _notification_kinds(old: Sequence[str], new: Sequence[str]) -> None:
    # The kinds are a CHECK constraint: replaced with the column type (SQLite rebuilds the
    # table in batch mode, PostgreSQL drops and adds the constraint).
    with op.batch_alter_table("notification") as batch:
        batch.alter_column("kind", type_=_kinds(new), existing_type=_kinds(old))


def upgrade() -> None:
    op.create_table(
        "inbox_webhook_delivery",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_inbox_webhook_delivery")),
    )
    with op.batch_alter_table("inbox_webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_webhook_delivery_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "inbox_privacy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("affected", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_inbox_privacy_request_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_inbox_privacy_request_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_privacy_request")),
    )
    with op.batch_alter_table("inbox_privacy_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_privacy_request_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "inbox_settings",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("response_target_hours", sa.Integer(), nullable=False),
        sa.Column("answers_need_approval", sa.Boolean(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_inbox_settings_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_inbox_settings")),
    )
    op.create_table(
        "inbox_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("keywords", JSON, nullable=False),
        sa.Column("categories", JSON, nullable=False),
        sa.Column("learned", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_inbox_topic_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_topic")),
        sa.UniqueConstraint("unit_id", "key", name=op.f("uq_inbox_topic_unit_id")),
    )
    with op.batch_alter_table("inbox_topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_topic_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "inbox_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "x",
                "instagram",
                "facebook",
                name="inbox_platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "comment",
                "mention",
                "direct",
                name="inbox_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("post_external_id", sa.String(length=120), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "assigned",
                "answered",
                "closed",
                "spam",
                name="inbox_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("suggestions", JSON, nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "request_kind",
            sa.Enum(
                "none",
                "information",
                "complaint",
                name="inbox_request_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("kip_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kip_extension_reason", sa.Text(), nullable=True),
        sa.Column("lapor_reference", sa.String(length=64), nullable=True),
        sa.Column("lapor_status", sa.String(length=64), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["platform_account.id"],
            name=op.f("fk_inbox_conversation_account_id_platform_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["user_account.id"],
            name=op.f("fk_inbox_conversation_assignee_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["post.id"],
            name=op.f("fk_inbox_conversation_post_id_post"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["inbox_topic.id"],
            name=op.f("fk_inbox_conversation_topic_id_inbox_topic"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_inbox_conversation_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_conversation")),
        sa.UniqueConstraint(
            "account_id", "external_id", name=op.f("uq_inbox_conversation_account_id")
        ),
    )
    with op.batch_alter_table("inbox_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_conversation_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbox_conversation_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbox_conversation_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbox_conversation_last_message_at"), ["last_message_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbox_conversation_topic_id"), ["topic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbox_conversation_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbox_conversation_unit_status", ["unit_id", "status"], unique=False
        )

    op.create_table(
        "inbox_cursor",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_external_id", sa.String(length=80), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["platform_account.id"],
            name=op.f("fk_inbox_cursor_account_id_platform_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_inbox_cursor")),
    )
    op.create_table(
        "inbox_expert",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["inbox_topic.id"],
            name=op.f("fk_inbox_expert_topic_id_inbox_topic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_inbox_expert_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_inbox_expert_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("topic_id", "user_id", name=op.f("pk_inbox_expert")),
    )
    with op.batch_alter_table("inbox_expert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_expert_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_expert_user_id"), ["user_id"], unique=False)

    op.create_table(
        "inbox_saved_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["inbox_topic.id"],
            name=op.f("fk_inbox_saved_answer_topic_id_inbox_topic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_inbox_saved_answer_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_saved_answer")),
    )
    with op.batch_alter_table("inbox_saved_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_saved_answer_topic_id"), ["topic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbox_saved_answer_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "inbox_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "posted",
                "outside",
                "failed",
                name="inbox_answer_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_inbox_answer_approved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_inbox_answer_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["inbox_conversation.id"],
            name=op.f("fk_inbox_answer_conversation_id_inbox_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_inbox_answer_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_answer")),
    )
    with op.batch_alter_table("inbox_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_answer_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbox_answer_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "inbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("author_external_id", sa.String(length=120), nullable=False),
        sa.Column("author_handle", sa.String(length=200), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_account", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["platform_account.id"],
            name=op.f("fk_inbox_message_account_id_platform_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["inbox_conversation.id"],
            name=op.f("fk_inbox_message_conversation_id_inbox_conversation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_message")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_inbox_message_account_id")),
    )
    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_message_author_external_id"), ["author_external_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbox_message_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbox_message_sent_at"), ["sent_at"], unique=False)
    _notification_kinds(KINDS, KINDS + INBOX_KINDS)


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM notification WHERE kind IN ('inbox_assigned', 'inbox_overdue', "
            "'inbox_answer_review')"
        )
    )
    _notification_kinds(KINDS + INBOX_KINDS, KINDS)
    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_message_sent_at"))
        batch_op.drop_index(batch_op.f("ix_inbox_message_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_message_author_external_id"))

    op.drop_table("inbox_message")
    with op.batch_alter_table("inbox_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_answer_unit_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_answer_conversation_id"))

    op.drop_table("inbox_answer")
    with op.batch_alter_table("inbox_saved_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_saved_answer_unit_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_saved_answer_topic_id"))

    op.drop_table("inbox_saved_answer")
    with op.batch_alter_table("inbox_expert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_expert_user_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_expert_unit_id"))

    op.drop_table("inbox_expert")
    op.drop_table("inbox_cursor")
    with op.batch_alter_table("inbox_conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_conversation_unit_status")
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_unit_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_topic_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_last_message_at"))
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_due_at"))
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_assignee_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_conversation_account_id"))

    op.drop_table("inbox_conversation")
    with op.batch_alter_table("inbox_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_topic_unit_id"))

    op.drop_table("inbox_topic")
    op.drop_table("inbox_settings")
    with op.batch_alter_table("inbox_privacy_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_privacy_request_unit_id"))

    op.drop_table("inbox_privacy_request")
    with op.batch_alter_table("inbox_webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_webhook_delivery_received_at"))

    op.drop_table("inbox_webhook_delivery")
