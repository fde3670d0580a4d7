from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType, TimestampMixin, str_enum


class TemplateKind(StrEnum):
    greeting = "greeting"
    event = "event"
    report = "report"
    other = "other"


class PostTemplate(TimestampMixin, Base):
    """A reusable starting point for a post, kept per unit (greeting cards for observance days,
    event announcements, activity reports)."""

    __tablename__ = "post_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TemplateKind] = mapped_column(str_enum(TemplateKind, "template_kind"))
    title: Mapped[str] = mapped_column(String(200))
    base_text: Mapped[str] = mapped_column(Text, default="")
    # Per-platform overrides of the base text: {"x": ..., "instagram": ..., "facebook": ...}.
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    category: Mapped[str | None] = mapped_column(String(80))
    hashtags: Mapped[list[str]] = mapped_column(JSONType, default=list)
