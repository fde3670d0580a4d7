"""The one dependency that authenticates a request and knows the caller's role in each unit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import (
    APIKeyHeader,
    HTTPAuthorizationCredentials,
    HTTPBearer,
    SecurityScopes,
)
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gaung.apikeys import core as apikey_core
from gaung.apikeys import service as apikey_service
from gaung.apikeys.core import Scope
from gaung.auth.models import AuthSession
from gaung.auth.principal import Principal
from gaung.auth.tokens import decode_access_token
from gaung.config import Settings
from gaung.db import get_session
from gaung.kit.errors import Forbidden, Unauthorized
from gaung.kit.net import client_ip
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User

__all__ = [
    "READ_ONLY",
    "CalendarReaderDep",
    "MetricsReaderDep",
    "PostsReaderDep",
    "PrincipalDep",
    "SessionDep",
    "SettingsDep",
    "SubmitterDep",
    "caller",
    "get_caller",
    "get_principal",
]

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


# ``async``: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop on every
# request for what is an attribute read.
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response is sent, so a failed commit is an error the
# client sees rather than a success that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def _read_only(request: Request, session: SessionDep) -> None:
    # Each read of PostgreSQL's default isolation (read committed) takes its own snapshot
    # anyway, so a transaction around a request that only reads adds two round trips (BEGIN,
    # COMMIT) and nothing else. Must run before anything uses the session: its connection's
    # mode is set as it is checked out. SQLite keeps its BEGIN (see db._WriterQueue); a
    # session bound to a connection already in a transaction (the tests') stays in it.
    bind = session.bind
    if (
        request.method in ("GET", "HEAD")
        and isinstance(bind, AsyncEngine)
        and bind.dialect.name == "postgresql"
    ):
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


# For a router whose GET routes only read (never write: a write in one would commit at once).
READ_ONLY = Depends(_read_only)


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
    if apikey_core.looks_like_key(creds.credentials):
        raise Forbidden(
            "API keys are not accepted here; see the operation's security scopes.",
            code="api_key_not_accepted",
        )
    return await _user_principal(request, session, settings, creds.credentials)


# One lookup: the user, through their live session, with their memberships (a row each, or
# one row with none). A revoked session (logout) or a deleted user (sessions cascade) leaves
# nothing for the token to match. Built once: every request runs it.
_CALLER = (
    select(User, Membership.unit_id, Membership.role)
    .join(AuthSession, AuthSession.user_id == User.id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(
        AuthSession.id == bindparam("session_id"),
        AuthSession.user_id == bindparam("user_id"),
        AuthSession.revoked_at.is_(None),
    )
)


async def _user_principal(
    request: Request, session: AsyncSession, settings: Settings, token: str
) -> Principal:
    claims = decode_access_token(token, settings)
    rows = (
        (
            await session.execute(
                _CALLER, {"session_id": claims.session_id, "user_id": claims.user_id}
            )
        ).all()
        if claims is not None
        else []
    )
    user: User | None = rows[0][0] if rows else None
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
        roles = {uid: role for _, uid, role in rows if uid is not None}
    return Principal(
        user=user,
        roles=roles,
        ip=client_ip(request, settings.trusted_proxy_networks),
        session_id=claims.session_id,
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]

# API keys: ``Authorization: Bearer gk_...`` or ``X-API-Key: gk_...``. Listed in the OpenAPI
# document beside the login token, with the scopes each operation accepts.
_key_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKeyBearer",
    bearerFormat="gk_...",
    description="A unit's API key (made by its admins), as a bearer token.",
)
_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKeyHeader",
    description="A unit's API key, in its own header.",
)


async def get_caller(
    security_scopes: SecurityScopes,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Security(_key_bearer)],
    header_key: Annotated[str | None, Security(_key_header)],
    # The same header as ``creds``: declared so the document lists the login token here too.
    _login: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """A person (access token) or another system (an API key holding one of the scopes the
    operation accepts). The key is checked and counted before the request's own session is
    used, in a transaction of its own."""
    token = header_key or (creds.credentials if creds is not None else None)
    if token is None:
        raise Unauthorized(
            "Log in first, or send an API key: Authorization: Bearer <token or gk_ key>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not apikey_core.looks_like_key(token):
        return await _user_principal(request, session, settings, token)
    ip = client_ip(request, settings.trusted_proxy_networks)
    use = await apikey_service.use_key(
        request.app.state.sessionmaker,
        token,
        ip=ip,
        default_rate=settings.api_key_rate_per_minute,
    )
    if not use.scopes & set(security_scopes.scopes):
        raise Forbidden(
            "This API key lacks the scope this needs: " + " or ".join(security_scopes.scopes),
            code="insufficient_scope",
        )
    return await apikey_service.principal_of(session, use, ip)


def caller(*scopes: Scope) -> Any:
    """``Annotated[Principal, caller(Scope.posts_read)]``: a person, or a key with a scope."""
    return Security(get_caller, scopes=[s.value for s in scopes])


PostsReaderDep = Annotated[Principal, caller(Scope.posts_read)]
CalendarReaderDep = Annotated[Principal, caller(Scope.calendar_read)]
MetricsReaderDep = Annotated[Principal, caller(Scope.metrics_read)]
SubmitterDep = Annotated[Principal, caller(Scope.submissions_write)]
