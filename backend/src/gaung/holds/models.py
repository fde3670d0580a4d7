from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, TimestampMixin, str_enum
from gaung.kit.time import utcnow


class BlackoutKind(StrEnum):
    election_quiet = "election_quiet"  # masa tenang: also warns on political content
    mourning = "mourning"  # hari berkabung
    other = "other"


class Pause(Base):
    """A pause of one unit (``unit_id``) or of the whole agency (``unit_id`` null). It holds
    until resumed; the row stays as the record of who paused, why, and who resumed."""

    __tablename__ = "hold_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    paused_at: Mapped[datetime] = mapped_column(default=utcnow)
    paused_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    resumed_at: Mapped[datetime | None] = mapped_column(index=True)
    resumed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class BlackoutPeriod(TimestampMixin, Base):
    """A span of time in which one unit's (or, ``unit_id`` null, every unit's) posts wait."""

    __tablename__ = "blackout_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[BlackoutKind] = mapped_column(str_enum(BlackoutKind, "blackout_kind"))
    label: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
