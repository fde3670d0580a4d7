"""Recording audit events: one call per create/update/delete/login."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.models import AuditEvent
from gaung.auth.principal import Actor, SystemActor


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe picture of an object's fields, for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        out[name] = value
    return out


def record(
    session: AsyncSession,
    *,
    action: str,
    object_type: str,
    object_id: int | str | None,
    actor_id: int | None,
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
    system_job: str | None = None,
    api_key_id: int | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        actor_id=actor_id,
        unit_id=unit_id,
        before=before,
        after=after,
        ip=ip,
        system_job=system_job,
        api_key_id=api_key_id,
    )
    session.add(event)
    return event


def audit(
    session: AsyncSession,
    actor: Actor,
    *,
    action: str,
    object_type: str,
    object_id: int | str | None,
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record what the caller of this request, or the system in a job, did."""
    return record(
        session,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=None if isinstance(actor, SystemActor) or actor.api_key_id else actor.user.id,
        unit_id=unit_id,
        before=before,
        after=after,
        ip=actor.ip,
        system_job=actor.job if isinstance(actor, SystemActor) else None,
        api_key_id=None if isinstance(actor, SystemActor) else actor.api_key_id,
    )
