from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse

from gaung.accounts import connect, service
from gaung.accounts.connectors import http_client
from gaung.accounts.models import AccountStatus, Platform
from gaung.accounts.schemas import (
    AccountList,
    AccountRead,
    AccountUpdate,
    ConnectChoose,
    ConnectResult,
    ConnectStart,
    ConnectStartBody,
    ManualAccountCreate,
    SandboxAccountCreate,
)
from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES, ErrorBody
from gaung.kit.schemas import MAX_ID, IdPath

router = APIRouter(prefix="/accounts", tags=["accounts"], responses=ERROR_RESPONSES)


def _http(request: Request) -> httpx.AsyncClient:
    """The process's one client for network calls (made on first use, closed at shutdown)."""
    http: httpx.AsyncClient | None = getattr(request.app.state, "http", None)
    if http is None:
        http = request.app.state.http = http_client()
    return http


HttpDep = Annotated[httpx.AsyncClient, Depends(_http)]
ConnectionPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


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


# --- connecting (declared before /{account_id} so "connect" is never taken for an id) ------


@router.post(
    "/connect",
    response_model=ConnectStart,
    status_code=201,
    summary="Start connecting an account through the network's login",
    description="Send the admin's browser to `authorize_url`; the network brings it back to "
    "the callback, which records the outcome on the connection `id` (valid 10 minutes).",
)
async def start_connect(
    body: ConnectStartBody,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    http: HttpDep,
) -> ConnectStart:
    conn, url = await connect.start(session, principal, settings, http, body)
    return ConnectStart(id=conn.id, authorize_url=url, expires_at=conn.expires_at)


StateParam = Annotated[str | None, Query(max_length=500)]
TextParam = Annotated[str | None, Query(max_length=2000)]


@router.get(
    "/connect/callback/{platform}",
    status_code=303,
    response_class=RedirectResponse,
    summary="Where the network's login returns (no login needed: the one-time state is the proof)",
    responses={
        303: {"description": "To the web app's accounts page, which reads the result."},
        400: {"model": ErrorBody, "description": "the state matches no connection"},
    },
)
async def connect_callback(
    platform: Platform,
    request: Request,
    settings: SettingsDep,
    http: HttpDep,
    state: StateParam = None,
    code: TextParam = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
    error_description: TextParam = None,
) -> RedirectResponse:
    # Its own transactions (not the request's session): it writes on a GET, and the network
    # call happens between them.
    conn_id = await connect.callback(
        request.app.state.sessionmaker,
        settings,
        http,
        platform,
        state=state,
        code=code,
        error=error,
        error_description=error_description,
    )
    base = settings.public_base_url.rstrip("/")
    return RedirectResponse(f"{base}/accounts?connect={conn_id}", status_code=303)


@router.get(
    "/connect/{connection_id}", response_model=ConnectResult, summary="A connection's result"
)
async def get_connection(
    connection_id: ConnectionPath, principal: PrincipalDep, session: SessionDep
) -> ConnectResult:
    return await connect.result(
        session, await connect.get_connection(session, principal, connection_id)
    )


@router.post(
    "/connect/{connection_id}/choose",
    response_model=ConnectResult,
    summary="Connect the chosen Pages and Instagram accounts of a Facebook login",
)
async def choose_accounts(
    connection_id: ConnectionPath,
    body: ConnectChoose,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> ConnectResult:
    conn = await connect.choose(session, principal, settings, connection_id, body)
    return await connect.result(session, conn)


@router.post(
    "/manual",
    response_model=AccountList,
    status_code=201,
    summary="Add a Facebook Page or its Instagram account with a pasted Page token",
    description="For servers the network's login cannot call back. The token is checked "
    "with Facebook before it is saved.",
    responses={503: {"model": ErrorBody, "description": "Facebook could not be reached"}},
)
async def add_manual(
    body: ManualAccountCreate,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    http: HttpDep,
) -> AccountList:
    accounts = await connect.add_manual(session, principal, settings, http, body)
    return AccountList(items=[AccountRead.model_validate(a) for a in accounts])


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


@router.post(
    "/{account_id}/disconnect",
    response_model=AccountRead,
    summary="Forget an account's tokens and stop using it",
)
async def disconnect_account(
    account_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> AccountRead:
    return AccountRead.model_validate(await service.disconnect(session, principal, account_id))
