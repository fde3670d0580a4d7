"""The one dependency that authenticates a request and knows the caller's role in each unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.models import AuthSession
from gaung.auth.permissions import ROLE_PERMS, Perm
from gaung.auth.tokens import decode_access_token
from gaung.config import Settings
from gaung.db import get_session
from gaung.kit.errors import Forbidden, NotFound, Unauthorized
from gaung.kit.net import client_ip
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response is sent, so a failed commit is an error the
# client sees rather than a success that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


@dataclass
class Principal:
    user: User
    roles: dict[int, Role] = field(default_factory=dict)  # unit id -> role
    ip: str | None = None
    session_id: str | None = None  # the login this request belongs to

    def unit_ids(self, perm: Perm = Perm.read) -> list[int]:
        return sorted(uid for uid, role in self.roles.items() if perm in ROLE_PERMS[role])

    def can(self, unit_id: int, perm: Perm) -> bool:
        role = self.roles.get(unit_id)
        return role is not None and perm in ROLE_PERMS[role]

    def require(self, unit_id: int, perm: Perm, what: str = "unit") -> None:
        """404 when the caller cannot see the unit at all (its existence is not leaked),
        403 when they can see it but their role does not allow this."""
        if unit_id not in self.roles:
            raise NotFound(f"{what.capitalize()} not found.", code=f"{what}_not_found")
        if not self.can(unit_id, perm):
            raise Forbidden(
                f"Your role ({self.roles[unit_id].value}) does not allow this.",
                code="insufficient_role",
            )


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


def scoped(
    stmt: Select[Any], model: Any, principal: Principal, perm: Perm = Perm.read
) -> Select[Any]:
    """Limit a query to the units where the caller has ``perm``: every list goes through this."""
    return stmt.where(model.unit_id.in_(principal.unit_ids(perm)))


async def get_in_scope(
    session: AsyncSession,
    model: type[T],
    object_id: int,
    principal: Principal,
    perm: Perm = Perm.read,
    *,
    what: str,
) -> T:
    """One object by id, if the caller may see it (404 otherwise) and has ``perm`` (403)."""
    obj = await session.get(model, object_id)
    unit_id = getattr(obj, "unit_id", None)
    if obj is None or unit_id not in principal.roles:
        raise NotFound(f"{what.capitalize()} {object_id} not found.", code=f"{what}_not_found")
    principal.require(unit_id, perm, what)
    return obj
