from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gaung.auth import service
from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.auth.schemas import LoginIn, RefreshIn, TokenPair
from gaung.kit.errors import ERROR_RESPONSES

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)


@router.post("/login", response_model=TokenPair, summary="Log in with email and password")
async def login(
    body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenPair:
    ip = request.client.host if request.client else None
    return await service.login(session, body.email, body.password, settings, ip)


@router.post("/refresh", response_model=TokenPair, summary="Exchange a refresh token")
async def refresh(body: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    return await service.refresh(session, body.refresh_token, settings)


@router.post("/logout", status_code=204, summary="Revoke this session's refresh tokens")
async def logout(body: RefreshIn, principal: PrincipalDep, session: SessionDep) -> Response:
    await service.logout(session, body.refresh_token, principal.user.id)
    return Response(status_code=204)
