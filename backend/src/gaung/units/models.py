from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, TimestampMixin


class Unit(TimestampMixin, Base):
    """A work unit: the tenant. Everything else belongs to one."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    # Publishing policy: posts need an approval before they can be scheduled; and under
    # four-eyes, not the author's own.
    approval_required: Mapped[bool] = mapped_column(default=True)
    four_eyes: Mapped[bool] = mapped_column(default=True)
