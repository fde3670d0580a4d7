from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType, TimestampMixin

# The six principles of government social media (Pedoman Pemanfaatan Media Sosial Instansi
# Pemerintah), the checklist a unit starts with.
DEFAULT_CHECKLIST = (
    "Kredibel",
    "Integritas",
    "Profesional",
    "Responsif",
    "Terintegrasi",
    "Representatif",
)
DEFAULT_SLOTS = ("09:00", "12:00", "19:00")


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
    # Monthly cap on the estimated X spend (pay-per-use); None: no cap.
    x_spend_cap_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # The month ("YYYY-MM") whose near-cap notice the unit's admins already got.
    x_spend_notice_month: Mapped[str | None] = mapped_column(String(7))
    # Publishing settings (issue 8): what an approver ticks, the composer's suggested hours
    # ("HH:MM" in the unit's zone), and whether every image needs a description.
    checklist: Mapped[list[str]] = mapped_column(JSONType, default=lambda: list(DEFAULT_CHECKLIST))
    default_slots: Mapped[list[str]] = mapped_column(JSONType, default=lambda: list(DEFAULT_SLOTS))
    require_alt_text: Mapped[bool] = mapped_column(default=True)
