from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gaung.accounts import service
from gaung.accounts.models import AccountStatus, Platform
from gaung.accounts.schemas import AccountList, AccountRead, AccountUpdate, SandboxAccountCreate
from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import MAX_ID, IdPath

router = APIRouter(prefix="/accounts", tags=["accounts"], responses=ERROR_RESPONSES)


@router.get("", response_model=AccountList, summary="Platform accounts of my units")
async def list_accounts(
    principal: PrincipalDep,
    session: SessionDep,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    platform: Platform | None = None,
    status: AccountStatus | None = None,
) -> AccountList:
    items = await service.list_accounts(
        session, principal, unit_id=unit_id, platform=platform, status=status
    )
    return AccountList(items=[AccountRead.model_validate(a) for a in items])


@router.post(
    "",
    response_model=AccountRead,
    status_code=201,
    summary="Add a sandbox account (a simulated network, for demos and training)",
)
async def create_account(
    body: SandboxAccountCreate, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    return AccountRead.model_validate(await service.create_sandbox(session, principal, body))


@router.get("/{account_id}", response_model=AccountRead, summary="One account")
async def get_account(
    account_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    return AccountRead.model_validate(await service.get_account(session, principal, account_id))


@router.patch("/{account_id}", response_model=AccountRead, summary="Rename an account")
async def update_account(
    account_id: IdPath, body: AccountUpdate, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    account = await service.update_account(session, principal, account_id, body)
    return AccountRead.model_validate(account)


@router.post("/{account_id}/disable", response_model=AccountRead, summary="Stop using an account")
async def disable_account(
    account_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    account = await service.set_enabled(session, principal, account_id, False)
    return AccountRead.model_validate(account)


@router.post("/{account_id}/enable", response_model=AccountRead, summary="Use an account again")
async def enable_account(
    account_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    account = await service.set_enabled(session, principal, account_id, True)
    return AccountRead.model_validate(account)
