from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType, TimestampMixin, str_enum
from gaung.kit.time import utcnow
from gaung.platforms.types import Platform

__all__ = [
    "AccountConnection",
    "AccountStatus",
    "ConnectErrorCode",
    "ConnectionStatus",
    "Platform",
    "PlatformAccount",
]


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
    avatar_url: Mapped[str | None] = mapped_column(String(1000))

    @property
    def connected(self) -> bool:
        """Whether Gaung can call the network for it (a sandbox account needs no tokens)."""
        return self.sandbox or self.access_token_enc is not None


class ConnectionStatus(StrEnum):
    pending = "pending"  # waiting for the network's callback
    choose = "choose"  # Facebook Login done: the admin picks Pages and Instagram accounts
    done = "done"
    failed = "failed"


class ConnectErrorCode(StrEnum):
    """Why a connection failed: stable codes the web app translates."""

    denied = "denied"  # the admin refused access on the network's page
    platform_error = "platform_error"  # the network's login answered with another error
    expired = "expired"  # the flow was not finished in time
    refused = "refused"  # the network did not accept the sign-in code
    unavailable = "unavailable"  # the network could not be reached or answered unreadably
    not_configured = "not_configured"  # this server has no app credentials for the network
    wrong_account = "wrong_account"  # a reconnect signed in as another account
    no_pages = "no_pages"  # the Facebook user manages no Page
    no_instagram = "no_instagram"  # none of the Pages has an Instagram account linked
    account_gone = "account_gone"  # the account being reconnected was deleted meanwhile
    rejected = "rejected"  # the network refused for another reason (see the message)


class AccountConnection(Base):
    """One attempt to connect (or reconnect) accounts through a network's login.

    The id is random and is what the web app polls; the state sent to the network is
    ``<id>.<secret>`` and only the secret's SHA-256 is kept. What must stay secret until the
    flow ends (the PKCE verifier, the Page tokens offered for choosing) is encrypted in
    ``secret_enc`` and forgotten once the flow is done or failed."""

    __tablename__ = "account_connection"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"))
    # The account being reconnected; None when new accounts are connected.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE")
    )
    state_hash: Mapped[str] = mapped_column(String(64))
    secret_enc: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # Set when the callback arrives: the state is single use.
    callback_at: Mapped[datetime | None]
    status: Mapped[ConnectionStatus] = mapped_column(
        str_enum(ConnectionStatus, "connection_status"), default=ConnectionStatus.pending
    )
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    # What the admin may pick (no tokens), and the accounts created or updated.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    result_account_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
