"""An account's health: when its access is lost, it waits for an admin to reconnect it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.audit.service import audit, snapshot
from gaung.auth.principal import Actor
from gaung.kit.time import utcnow
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.users.models import Role


def record_error(account: PlatformAccount, message: str) -> None:
    """The last thing that went wrong with the account, shown on its health badge."""
    account.last_error = message[:1000]
    account.last_error_at = utcnow()


async def mark_needs_reauth(
    session: AsyncSession, actor: Actor, account: PlatformAccount, reason: str
) -> bool:
    """Turn the account to ``needs_reauth`` (its posts wait, held, until it is reconnected)
    and tell the unit's admins once. ``reason`` is shown to them. False when it already was."""
    record_error(account, reason)
    if account.status != AccountStatus.active:
        return False
    before = snapshot(account, ["status"])
    account.status = AccountStatus.needs_reauth
    await session.flush()
    audit(
        session,
        actor,
        action="needs_reauth",
        object_type="account",
        object_id=account.id,
        unit_id=account.unit_id,
        before=before,
        after={"status": account.status.value, "reason": account.last_error},
    )
    await notify(
        session,
        unit_id=account.unit_id,
        kind=NotificationKind.account_needs_reauth,
        object_type="account",
        object_id=account.id,
        params={
            "account": account.handle,
            "platform": account.platform.value,
            "reason": account.last_error,
        },
        roles=[Role.admin],
    )
    return True
