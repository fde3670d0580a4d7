from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, TimestampMixin


class Unit(TimestampMixin, Base):
    """A work unit: the tenant. Everything else belongs to one."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    requires_approval: Mapped[bool] = mapped_column(default=True)
    # Monthly cap on the estimated X spend (pay-per-use); None: no cap.
    x_spend_cap_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # The month ("YYYY-MM") whose near-cap notice the unit's admins already got.
    x_spend_notice_month: Mapped[str | None] = mapped_column(String(7))
