"""The inbox: conversations (the comments under one of our posts, or a mention) and their
messages, the unit's topics and experts, answers, saved answers and the inbox settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType, TimestampMixin, str_enum
from gaung.kit.time import utcnow
from gaung.platforms.types import Platform


class ConversationStatus(StrEnum):
    new = "new"
    assigned = "assigned"
    answered = "answered"
    closed = "closed"
    spam = "spam"


class ConversationKind(StrEnum):
    comment = "comment"
    mention = "mention"
    direct = "direct"


class RequestKind(StrEnum):
    """What the law makes of a message: nothing special, a request for public information
    (UU KIP 14/2008: a legal clock) or a complaint forwarded to SP4N-LAPOR!."""

    none = "none"
    information = "information"
    complaint = "complaint"


class AnswerStatus(StrEnum):
    pending = "pending"  # waiting for an admin's approval (the unit's policy)
    posted = "posted"  # sent as a reply through the connector
    outside = "outside"  # answered outside Gaung; recorded only
    failed = "failed"  # the network refused it; ``error`` says why


class InboxSettings(Base):
    """A unit's inbox policy. No row: the defaults."""

    __tablename__ = "inbox_settings"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    response_target_hours: Mapped[int] = mapped_column(default=24)
    answers_need_approval: Mapped[bool] = mapped_column(default=False)
    retention_days: Mapped[int] = mapped_column(default=365)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InboxTopic(TimestampMixin, Base):
    __tablename__ = "inbox_topic"
    __table_args__ = (UniqueConstraint("unit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    # keyword or phrase -> weight; post categories that hint at the topic
    keywords: Mapped[dict[str, Any]] = mapped_column(default=dict)
    categories: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # stem -> weight, learned from admins' reassignments
    learned: Mapped[dict[str, Any]] = mapped_column(default=dict)


class InboxExpert(Base):
    """A member who answers questions on a topic."""

    __tablename__ = "inbox_expert"

    topic_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_topic.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)


class InboxCursor(Base):
    """Where reading an account's conversations stopped: the next read starts here."""

    __tablename__ = "inbox_cursor"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime]
    last_external_id: Mapped[str | None] = mapped_column(String(80))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When to read again after the network asked us to wait (rate limit).
    not_before: Mapped[datetime | None]


class Conversation(TimestampMixin, Base):
    __tablename__ = "inbox_conversation"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        Index("ix_inbox_conversation_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "inbox_platform"))
    external_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ConversationKind] = mapped_column(str_enum(ConversationKind, "inbox_kind"))
    post_external_id: Mapped[str | None] = mapped_column(String(120))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    status: Mapped[ConversationStatus] = mapped_column(
        str_enum(ConversationStatus, "inbox_status"), default=ConversationStatus.new
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_topic.id", ondelete="SET NULL"), index=True
    )
    # The classifier's suggestions when it arrived: [{"key", "score", "matched"}]
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # When the first question from outside was written; response times count from here.
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    request_kind: Mapped[RequestKind] = mapped_column(
        str_enum(RequestKind, "inbox_request_kind"), default=RequestKind.none
    )
    kip_due_at: Mapped[datetime | None]
    kip_extension_reason: Mapped[str | None] = mapped_column(Text)
    lapor_reference: Mapped[str | None] = mapped_column(String(64))
    lapor_status: Mapped[str | None] = mapped_column(String(64))
    # A commenter asked to restrict their data: kept, but not processed further.
    restricted: Mapped[bool] = mapped_column(default=False)
    anonymised_at: Mapped[datetime | None]


class InboxMessage(Base):
    __tablename__ = "inbox_message"
    __table_args__ = (UniqueConstraint("account_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_conversation.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("platform_account.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(120))
    author_external_id: Mapped[str] = mapped_column(String(120), index=True)
    author_handle: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(index=True)
    from_account: Mapped[bool] = mapped_column(default=False)
    # When the text was erased with the author's identity (retention or a delete request).
    erased_at: Mapped[datetime | None]


class InboxAnswer(TimestampMixin, Base):
    __tablename__ = "inbox_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_conversation.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[AnswerStatus] = mapped_column(str_enum(AnswerStatus, "inbox_answer_status"))
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    external_id: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)


class SavedAnswer(TimestampMixin, Base):
    __tablename__ = "inbox_saved_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_topic.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class InboxWebhookDelivery(Base):
    """A webhook body already taken in: the same body again is a replay and is ignored."""

    __tablename__ = "inbox_webhook_delivery"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PrivacyRequest(Base):
    """A commenter's request to delete or restrict their data (UU PDP 27/2022), and when it
    was carried out. The person is named by a hash of platform and id only."""

    __tablename__ = "inbox_privacy_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    subject_hash: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # "delete" | "restrict"
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    affected: Mapped[int] = mapped_column(default=0)
