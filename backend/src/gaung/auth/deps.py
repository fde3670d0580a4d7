"""The one dependency that authenticates a request and knows the caller's role in each unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.models import AuthSession
from gaung.auth.principal import Principal
from gaung.auth.tokens import decode_access_token
from gaung.config import Settings
from gaung.db import get_session
from gaung.kit.errors import Unauthorized
from gaung.kit.net import client_ip
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User

__all__ = ["PrincipalDep", "SessionDep", "SettingsDep", "get_principal"]

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response is sent, so a failed commit is an error the
# client sees rather than a success that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if creds is None:
        raise Unauthorized(
            "Log in first: send Authorization: Bearer <access token>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    claims = decode_access_token(creds.credentials, settings)
    # One lookup: the user, through their live session. A revoked session (logout) or a
    # deleted user (sessions cascade) leaves nothing for the token to match.
    user = (
        await session.scalar(
            select(User)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(
                AuthSession.id == claims.session_id,
                AuthSession.user_id == claims.user_id,
                AuthSession.revoked_at.is_(None),
            )
        )
        if claims is not None
        else None
    )
    if claims is None or user is None or not user.is_active:
        raise Unauthorized(
            "The access token is invalid or expired; refresh it or log in again.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if user.is_superuser:
        # The instance administrator administers every unit.
        unit_ids = (await session.scalars(select(Unit.id))).all()
        roles = dict.fromkeys(unit_ids, Role.admin)
    else:
        rows = await session.execute(
            select(Membership.unit_id, Membership.role).where(Membership.user_id == user.id)
        )
        roles = {uid: role for uid, role in rows}
    return Principal(
        user=user,
        roles=roles,
        ip=client_ip(request, settings.trusted_proxy_networks),
        session_id=claims.session_id,
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]
