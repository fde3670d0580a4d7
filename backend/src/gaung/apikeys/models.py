from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType
from gaung.kit.time import utcnow


class ApiKey(Base):
    """A unit's key for another system. Only a hash of the secret is kept; ``prefix`` (part of
    the key itself) finds the row without scanning."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # None: GAUNG_API_KEY_RATE_PER_MINUTE.
    rate_per_minute: Mapped[int | None]
    # Keys act with their maker's identity for ownership columns (a submission's submitter);
    # a removed user's keys go with them.
    created_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    last_used_ip: Mapped[str | None] = mapped_column(String(64))
    # Fixed one-minute window of the rate limit, counted in the row so replicas share it.
    window_start: Mapped[datetime | None]
    window_count: Mapped[int] = mapped_column(default=0)
