from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.accounts.schemas import AccountUpdate, SandboxAccountCreate
from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope, scoped
from gaung.kit.errors import Conflict

FIELDS = ["platform", "sandbox", "handle", "display_name", "status"]


async def list_accounts(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_id: int | None = None,
    platform: Platform | None = None,
    status: AccountStatus | None = None,
) -> list[PlatformAccount]:
    stmt = scoped(select(PlatformAccount), PlatformAccount, principal)
    if unit_id is not None:
        stmt = stmt.where(PlatformAccount.unit_id == unit_id)
    if platform is not None:
        stmt = stmt.where(PlatformAccount.platform == platform)
    if status is not None:
        stmt = stmt.where(PlatformAccount.status == status)
    stmt = stmt.order_by(PlatformAccount.unit_id, PlatformAccount.platform, PlatformAccount.id)
    return list((await session.scalars(stmt)).all())


async def get_account(
    session: AsyncSession, principal: Principal, account_id: int, perm: Perm = Perm.read
) -> PlatformAccount:
    return await get_in_scope(session, PlatformAccount, account_id, principal, perm, what="account")


async def create_sandbox(
    session: AsyncSession, principal: Principal, body: SandboxAccountCreate
) -> PlatformAccount:
    principal.require(body.unit_id, Perm.manage_accounts)
    account = PlatformAccount(
        unit_id=body.unit_id,
        platform=body.platform,
        sandbox=True,
        external_id=f"sandbox-{secrets.token_hex(6)}",
        handle=body.handle,
        display_name=body.display_name,
    )
    session.add(account)
    await session.flush()
    _audit(session, principal, account, "create", None)
    return account


async def update_account(
    session: AsyncSession, principal: Principal, account_id: int, body: AccountUpdate
) -> PlatformAccount:
    account = await get_account(session, principal, account_id, Perm.manage_accounts)
    before = snapshot(account, FIELDS)
    for key, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(account, key, value)
    await session.flush()
    _audit(session, principal, account, "update", before)
    return account


async def set_enabled(
    session: AsyncSession, principal: Principal, account_id: int, enabled: bool
) -> PlatformAccount:
    account = await get_account(session, principal, account_id, Perm.manage_accounts)
    before = snapshot(account, FIELDS)
    if enabled:
        if account.status != AccountStatus.disabled:
            return account
        # A real account whose tokens are gone must be connected again before it works.
        has_tokens = account.sandbox or account.access_token_enc is not None
        account.status = AccountStatus.active if has_tokens else AccountStatus.needs_reauth
    else:
        if account.status == AccountStatus.disabled:
            raise Conflict("The account is already disabled.", code="account_disabled")
        account.status = AccountStatus.disabled
    await session.flush()
    _audit(session, principal, account, "enable" if enabled else "disable", before)
    return account


async def disconnect(
    session: AsyncSession, principal: Principal, account_id: int
) -> PlatformAccount:
    """Forget the account's tokens and stop using it; connecting it again brings it back."""
    account = await get_account(session, principal, account_id, Perm.manage_accounts)
    before = snapshot(account, FIELDS)
    account.access_token_enc = None
    account.refresh_token_enc = None
    account.token_expires_at = None
    account.rate_limit = {}
    account.status = AccountStatus.disabled
    await session.flush()
    _audit(session, principal, account, "disconnect", before)
    return account


def _audit(
    session: AsyncSession,
    principal: Principal,
    account: PlatformAccount,
    action: str,
    before: dict[str, object] | None,
) -> None:
    audit(
        session,
        principal,
        action=action,
        object_type="account",
        object_id=account.id,
        unit_id=account.unit_id,
        before=before,
        after=snapshot(account, FIELDS),
    )
