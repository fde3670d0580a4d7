from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gaung.accounts.models import PlatformAccount
from gaung.kit.models import Base, JSONType, TimestampMixin, str_enum
from gaung.kit.time import utcnow
from gaung.media.models import MediaAsset
from gaung.users.models import User


class PostStatus(StrEnum):
    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    scheduled = "scheduled"
    publishing = "publishing"
    published = "published"
    failed = "failed"
    unconfirmed = "unconfirmed"


class Post(TimestampMixin, Base):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed with the list filters below (ix_post_unit_*), which start with the unit.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(80), index=True)
    campaign: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    # A summary of the variants' statuses, kept in step by the service (for filtering).
    status: Mapped[PostStatus] = mapped_column(
        str_enum(PostStatus, "post_status"), default=PostStatus.draft, index=True
    )
    planned_at: Mapped[datetime | None]
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Why a reviewer sent it back (the last rejection); cleared when it is approved.
    review_comment: Mapped[str | None] = mapped_column(Text)
    # Where an informational post's figures come from (shown to the reviewer).
    data_source: Mapped[str | None] = mapped_column(String(500))
    # The unit's checklist items the approver ticked when approving.
    checklist_ticked: Mapped[list[str]] = mapped_column(JSONType, default=list)

    author: Mapped[User | None] = relationship(lazy="raise")
    variants: Mapped[list[PostVariant]] = relationship(
        back_populates="post",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PostVariant.id",
    )


class PostVariant(TimestampMixin, Base):
    """The post as it goes to one account: its own text, media, options and status."""

    __tablename__ = "post_variant"
    __table_args__ = (UniqueConstraint("post_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="RESTRICT"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[PostStatus] = mapped_column(
        str_enum(PostStatus, "variant_status"), default=PostStatus.draft, index=True
    )
    scheduled_at: Mapped[datetime | None] = mapped_column(index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The same reason in Indonesian, and the platform's stable code (``x.duplicate_content``)
    # the web app may translate itself.
    last_error_message_id: Mapped[str | None] = mapped_column(Text)
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    # The publishing pipeline's claim: which worker holds the variant and until when (see
    # posts/publishing.py); a retry waits until ``next_attempt_at``.
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    next_attempt_at: Mapped[datetime | None]
    # Where the calendar draws it, and the post's unit beside it: kept by the service from the
    # times they derive from (posts/calendar_time.py), never written by hand.
    calendar_at: Mapped[datetime | None]
    unit_id: Mapped[int | None]

    post: Mapped[Post] = relationship(back_populates="variants", lazy="raise")
    account: Mapped[PlatformAccount] = relationship(lazy="raise")
    media_links: Mapped[list[VariantMedia]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="VariantMedia.position"
    )
    followups: Mapped[list[PostFollowup]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PostFollowup.position",
    )


# The lists' filters and their sort (see posts/service.py); text search has its own structures,
# made by the migration (posts/search.py).
POST_SORT = func.coalesce(Post.planned_at, Post.created_at)
Index("ix_post_unit_sort", Post.unit_id, POST_SORT, Post.id)
Index("ix_post_unit_planned_at", Post.unit_id, Post.planned_at)
Index("ix_post_unit_status", Post.unit_id, Post.status)
Index("ix_post_unit_category", Post.unit_id, Post.category)
Index(
    "ix_post_variant_account_status_at",
    PostVariant.account_id,
    PostVariant.status,
    PostVariant.scheduled_at,
)
Index("ix_post_variant_status_post", PostVariant.status, PostVariant.post_id)
# The calendar's range (calendar/service.py).
Index("ix_post_variant_unit_calendar_at", PostVariant.unit_id, PostVariant.calendar_at)


class VariantMedia(Base):
    __tablename__ = "post_variant_media"

    variant_id: Mapped[int] = mapped_column(
        ForeignKey("post_variant.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media_asset.id", ondelete="RESTRICT"), index=True
    )

    media: Mapped[MediaAsset] = relationship(lazy="raise")


class AttemptOutcome(StrEnum):
    published = "published"
    retry = "retry"
    failed = "failed"
    auth = "auth"
    unconfirmed = "unconfirmed"
    # The worker stopped before calling the platform and gave the claim back.
    released = "released"
    # The worker died while holding the claim (its lease expired).
    lease_expired = "lease_expired"


class PublishAttempt(Base):
    """One claim of a variant by a worker, written before the platform is called: the record
    of what was tried, when, by whom, and how it ended (``outcome`` null while in flight)."""

    __tablename__ = "publish_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("post_variant.id", ondelete="CASCADE"), index=True
    )
    worker: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[AttemptOutcome | None] = mapped_column(
        str_enum(AttemptOutcome, "attempt_outcome")
    )
    error_code: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))


class CommentKind(StrEnum):
    comment = "comment"
    rejection = "rejection"
    approval = "approval"
    submission = "submission"


class PostComment(Base):
    """One message of a post's review thread: a plain comment, or what a submit, approve or
    reject said."""

    __tablename__ = "post_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    kind: Mapped[CommentKind] = mapped_column(str_enum(CommentKind, "comment_kind"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# What was published in a range (the calendar now reads its stored time instead). Not led by
# the outcome: the per-variant lookups that filter on it must keep using the variant's index.
Index("ix_publish_attempt_finished_at", PublishAttempt.finished_at)


class FollowupKind(StrEnum):
    thread_part = "thread_part"
    first_comment = "first_comment"


class FollowupStatus(StrEnum):
    pending = "pending"
    # Claimed by a worker that is calling the platform (``lease_until`` bounds it).
    sending = "sending"
    published = "published"
    failed = "failed"
    # The call's answer was lost: it may be live, so it is looked for, never resent blindly.
    unconfirmed = "unconfirmed"


class PostFollowup(Base):
    """What goes out after a variant's main post, in order: an X thread's later parts (each a
    reply to the previous one) or an Instagram first comment. Written when the variant is
    published, from its options; each is claimed before its call and recorded after it, as
    the main post is, so none is sent twice or skipped."""

    __tablename__ = "post_followup"
    __table_args__ = (UniqueConstraint("variant_id", "kind", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("post_variant.id", ondelete="CASCADE"))
    kind: Mapped[FollowupKind] = mapped_column(str_enum(FollowupKind, "followup_kind"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[FollowupStatus] = mapped_column(
        str_enum(FollowupStatus, "followup_status"), default=FollowupStatus.pending, index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_id: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# Keeps ``calendar_at`` in step on every flush; imported here so no session can miss it.
from gaung.posts import calendar_time  # noqa: E402, F401
