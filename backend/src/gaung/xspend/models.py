from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base


class XUsage(Base):
    """What a unit's X accounts were billed for on one UTC day, per price class
    (``platforms/x/pricing.py``). One row per (unit, day, class), added to atomically."""

    __tablename__ = "x_usage"
    __table_args__ = (UniqueConstraint("unit_id", "day", "price_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    day: Mapped[date]
    price_class: Mapped[str] = mapped_column(String(32))
    calls: Mapped[int] = mapped_column(BigInteger, default=0)
    # Millionths of a US dollar at the price of the day the calls were made.
    micro_usd: Mapped[int] = mapped_column(BigInteger, default=0)
