from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType, TimestampMixin, str_enum


class SubmissionStatus(StrEnum):
    new = "new"
    in_progress = "in_progress"
    published = "published"
    declined = "declined"


class Submission(TimestampMixin, Base):
    """An activity sent in by staff or another unit's system, waiting to become a post."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    activity_date: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # [{"media_id": int, "credit": str}], in the order given.
    photos: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_info: Mapped[str | None] = mapped_column(String(200))
    data_source: Mapped[str | None] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(500))
    hashtags: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    status: Mapped[SubmissionStatus] = mapped_column(
        str_enum(SubmissionStatus, "submission_status"), default=SubmissionStatus.new, index=True
    )
    decline_reason: Mapped[str | None] = mapped_column(Text)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL"), index=True
    )
    # The published posts' addresses, told to the submitter.
    links: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_key.id", ondelete="SET NULL"), index=True
    )
