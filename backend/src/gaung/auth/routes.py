from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Request, Response

from gaung.auth import service
from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.auth.schemas import LoginIn, RefreshIn, TokenPair
from gaung.auth.throttle import THROTTLED_RESPONSE
from gaung.config import Settings
from gaung.kit.errors import ERROR_RESPONSES, ErrorBody, Unauthorized
from gaung.kit.net import client_ip

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)

REFRESH_COOKIE = "gaung_refresh"
# The browser sends the cookie to this one route only (the app mounts the API at /api/v1).
REFRESH_PATH = "/api/v1/auth/refresh"
_THROTTLED: dict[int | str, dict[str, Any]] = {429: {"model": ErrorBody, **THROTTLED_RESPONSE}}


def _deliver(pair: TokenPair, response: Response, settings: Settings, *, cookie: bool) -> TokenPair:
    """Cookie mode: the refresh token goes into an HttpOnly cookie that scripts (and so an
    XSS) cannot read, and is left out of the body."""
    if not cookie:
        return pair
    assert pair.refresh_token is not None
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=settings.refresh_token_days * 24 * 3600,
        path=REFRESH_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    return pair.model_copy(update={"refresh_token": None})


@router.post(
    "/login",
    response_model=TokenPair,
    response_model_exclude_none=True,
    summary="Log in with email and password",
    responses=_THROTTLED,
)
async def login(
    body: LoginIn, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> TokenPair:
    ip = client_ip(request, settings.trusted_proxy_networks)
    pair = await service.login(session, body.email, body.password, settings, ip)
    return _deliver(pair, response, settings, cookie=body.session == "cookie")


@router.post(
    "/refresh",
    response_model=TokenPair,
    response_model_exclude_none=True,
    summary="Exchange a refresh token (from the body, or the web app's cookie)",
)
async def refresh(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    body: RefreshIn | None = None,
    gaung_refresh: Annotated[
        str | None,
        Cookie(description="Set by login with `session: cookie`; used when the body has none."),
    ] = None,
) -> TokenPair:
    if body is not None:
        return await service.refresh(session, body.refresh_token, settings)
    if not gaung_refresh:
        raise Unauthorized(
            "No refresh token: send it in the body, or log in.", code="invalid_refresh_token"
        )
    pair = await service.refresh(session, gaung_refresh, settings)
    return _deliver(pair, response, settings, cookie=True)


@router.post(
    "/logout",
    status_code=204,
    summary="End this session: its access and refresh tokens stop working",
)
async def logout(
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    body: RefreshIn | None = None,
) -> Response:
    assert principal.session_id is not None
    await service.logout(
        session,
        user_id=principal.user.id,
        session_id=principal.session_id,
        raw=body.refresh_token if body else None,
        ip=principal.ip,
    )
    out = Response(status_code=204)
    out.delete_cookie(
        REFRESH_COOKIE, path=REFRESH_PATH, secure=True, httponly=True, samesite="strict"
    )
    return out
