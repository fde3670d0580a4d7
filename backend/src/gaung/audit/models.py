from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

# The table ``api_key_id`` points at, registered wherever audit events are written.
from gaung.apikeys.models import ApiKey  # noqa: F401
from gaung.kit.models import Base
from gaung.kit.time import utcnow


class AuditEvent(Base):
    """Who did what to which object, with before/after. Append-only."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    # Set when Gaung itself acted in a scheduled job (then there is no actor): the job's name.
    system_job: Mapped[str | None] = mapped_column(String(64))
    # Set when another system acted with one of the unit's API keys (then there is no actor).
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id", ondelete="SET NULL"))
