"""Who is acting: a person through the API (``Principal``) or the system running a job
(``SystemActor``), and the two helpers that keep every query inside the caller's units.

Free of FastAPI, so services and jobs use it without importing the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.permissions import ROLE_PERMS, Perm
from gaung.kit.errors import Forbidden, NotFound
from gaung.users.models import Role, User

T = TypeVar("T")


@dataclass
class Principal:
    user: User
    roles: dict[int, Role] = field(default_factory=dict)  # unit id -> role
    ip: str | None = None
    session_id: str | None = None  # the login this request belongs to
    # Set when another system calls with one of a unit's API keys: ``user`` is then the key's
    # maker (for ownership columns), ``roles`` holds only the key's unit, and the audit log
    # names the key as the actor.
    api_key_id: int | None = None
    scopes: frozenset[str] = frozenset()

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


@dataclass(frozen=True)
class SystemActor:
    """Gaung itself, acting in a scheduled job (publishing, reconciling, refreshing tokens).
    The audit log records its actions as the system's, naming the job."""

    job: str
    ip: None = None


# Whoever a service acts for: services the worker also calls take this.
Actor: TypeAlias = Principal | SystemActor
