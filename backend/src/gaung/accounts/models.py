from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, TimestampMixin, str_enum
from gaung.platforms.types import Platform

__all__ = ["AccountStatus", "Platform", "PlatformAccount"]


class AccountStatus(StrEnum):
    active = "active"
    needs_reauth = "needs_reauth"
    disabled = "disabled"


class PlatformAccount(TimestampMixin, Base):
    """An official account on a network. ``platform`` is the network whose rules and look the
    account follows; ``sandbox`` marks a simulated account that never reaches the network."""

    __tablename__ = "platform_account"
    __table_args__ = (UniqueConstraint("unit_id", "platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"))
    sandbox: Mapped[bool] = mapped_column(default=False)
    external_id: Mapped[str] = mapped_column(String(64))
    handle: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[AccountStatus] = mapped_column(
        str_enum(AccountStatus, "account_status"), default=AccountStatus.active
    )
    # Encrypted with MultiFernet (kit.crypto); never returned by the API, never logged.
    access_token_enc: Mapped[str | None] = mapped_column(Text)
    refresh_token_enc: Mapped[str | None] = mapped_column(Text)
    token_expires_at: Mapped[datetime | None]
    rate_limit: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The last failure (in words an admin understands) and when, for the health badge.
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
