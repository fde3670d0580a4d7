from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, str_enum
from gaung.kit.time import utcnow


class NotificationKind(StrEnum):
    review_requested = "review_requested"
    approved = "approved"
    rejected = "rejected"
    published = "published"
    failed = "failed"
    unconfirmed = "unconfirmed"
    account_needs_reauth = "account_needs_reauth"
    x_spend_near_cap = "x_spend_near_cap"
    account_dormant = "account_dormant"
    submission_published = "submission_published"
    submission_declined = "submission_declined"
    webhook_paused = "webhook_paused"
    inbox_assigned = "inbox_assigned"
    inbox_overdue = "inbox_overdue"
    inbox_answer_review = "inbox_answer_review"
    # A published post's thread part or first comment could not be posted.
    followup_failed = "followup_failed"


class Notification(Base):
    """One thing one person should know about. The text is written by the web app (and the
    email) from ``kind`` and ``params``, in the reader's language, not stored here."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, "notification_kind"))
    # What it is about (a post, an account), for a link; params fill the message.
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # Set once the email copy has been sent (or given up on); None while waiting, when email
    # is configured.
    emailed_at: Mapped[datetime | None]
