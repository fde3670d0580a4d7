"""Making, listing and revoking a unit's API keys, and resolving a key on each request."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung import db
from gaung.apikeys import core
from gaung.apikeys.models import ApiKey
from gaung.apikeys.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyList, ApiKeyRead
from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.kit.errors import AppError, Forbidden, Invalid, NotFound, Unauthorized
from gaung.kit.time import utcnow
from gaung.users.models import Role, User

MANAGE = Perm.manage_unit
WINDOW = timedelta(minutes=1)
FIELDS = ["name", "prefix", "scopes", "expires_at", "rate_per_minute", "revoked_at"]


async def create_key(
    session: AsyncSession, principal: Principal, unit_id: int, body: ApiKeyIn
) -> ApiKeyCreated:
    principal.require(unit_id, MANAGE)
    if principal.api_key_id is not None:
        raise Forbidden("An API key cannot make keys.", code="api_key_not_accepted")
    for scope in body.scopes:
        if not principal.can(unit_id, core.SCOPE_NEEDS[scope]):
            raise Invalid(
                f"Your role cannot give a key the scope {scope.value}.",
                fields={"scopes": f"{scope.value} needs the {core.SCOPE_NEEDS[scope].value} right"},
            )
    if body.expires_at is not None and body.expires_at <= utcnow():
        raise Invalid("The expiry is in the past.", fields={"expires_at": "must be in the future"})
    key, prefix = core.new_key()
    row = ApiKey(
        unit_id=unit_id,
        name=body.name,
        prefix=prefix,
        secret_hash=core.key_hash(key),
        scopes=sorted({s.value for s in body.scopes}),
        rate_per_minute=body.rate_per_minute,
        expires_at=body.expires_at,
        created_by_id=principal.user.id,
    )
    session.add(row)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="api_key",
        object_id=row.id,
        unit_id=unit_id,
        after=snapshot(row, FIELDS),
    )
    return ApiKeyCreated.model_validate({**ApiKeyRead.model_validate(row).model_dump(), "key": key})


async def list_keys(session: AsyncSession, principal: Principal, unit_id: int) -> ApiKeyList:
    principal.require(unit_id, MANAGE)
    rows = await session.scalars(
        select(ApiKey).where(ApiKey.unit_id == unit_id).order_by(ApiKey.id)
    )
    return ApiKeyList(items=[ApiKeyRead.model_validate(r) for r in rows])


async def revoke_key(
    session: AsyncSession, principal: Principal, unit_id: int, key_id: int
) -> ApiKeyRead:
    principal.require(unit_id, MANAGE)
    row = await session.get(ApiKey, key_id)
    if row is None or row.unit_id != unit_id:
        raise NotFound(f"API key {key_id} not found.", code="api_key_not_found")
    if row.revoked_at is None:
        before = snapshot(row, FIELDS)
        row.revoked_at = utcnow()
        await session.flush()
        audit(
            session,
            principal,
            action="revoke",
            object_type="api_key",
            object_id=row.id,
            unit_id=unit_id,
            before=before,
            after=snapshot(row, FIELDS),
        )
    return ApiKeyRead.model_validate(row)


def _refused(detail: str) -> Unauthorized:
    return Unauthorized(
        detail, code="invalid_api_key", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
    )


@dataclass(frozen=True)
class KeyUse:
    key_id: int
    unit_id: int
    scopes: frozenset[str]
    maker_id: int


async def use_key(
    factory: async_sessionmaker[AsyncSession],
    key: str,
    *,
    ip: str | None,
    default_rate: int,
    now: datetime | None = None,
) -> KeyUse:
    """Check ``key`` and count this use of it. Revocation and expiry are read on every
    request; each use counts against the key's per-minute limit (429 with Retry-After past
    it) and is remembered as its last use. Its own short writing transaction, committed
    whatever the request then does (a GET's own transaction only reads)."""
    now = now or utcnow()
    prefix = core.prefix_of(key)
    token = db.reading.set(False)
    try:
        async with db.session_scope(factory) as session:
            row = (
                await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
                if prefix
                else None
            )
            if row is None or not core.matches(key, row.secret_hash):
                raise _refused("The API key is not valid.")
            if row.revoked_at is not None:
                raise _refused("The API key has been revoked.")
            if row.expires_at is not None and row.expires_at <= now:
                raise _refused("The API key has expired.")
            stale = or_(ApiKey.window_start.is_(None), ApiKey.window_start <= now - WINDOW)
            # One atomic statement: parallel requests all count, whichever replica answers.
            count, start = (
                await session.execute(
                    update(ApiKey)
                    .where(ApiKey.id == row.id)
                    .values(
                        window_count=case((stale, 1), else_=ApiKey.window_count + 1),
                        window_start=case((stale, now), else_=ApiKey.window_start),
                        last_used_at=now,
                        last_used_ip=ip,
                    )
                    .returning(ApiKey.window_count, ApiKey.window_start)
                    .execution_options(synchronize_session=False)
                )
            ).one()
            use = KeyUse(row.id, row.unit_id, frozenset(row.scopes), row.created_by_id)
            limit = row.rate_per_minute or default_rate
    finally:
        db.reading.reset(token)
    if count > limit and start is not None:
        wait = max(1, math.ceil((start + WINDOW - now).total_seconds()))
        raise AppError(
            f"This API key made more than {limit} requests this minute; wait {wait} seconds.",
            code="rate_limited",
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    return use


async def principal_of(session: AsyncSession, use: KeyUse, ip: str | None) -> Principal:
    """The principal of a request made with a key: only the key's unit, and its scopes."""
    maker = await session.get(User, use.maker_id)
    if maker is None:  # deleted meanwhile; its keys went with it
        raise _refused("The API key is not valid.")
    role = Role.contributor if core.Scope.submissions_write in use.scopes else Role.viewer
    return Principal(
        user=maker, roles={use.unit_id: role}, ip=ip, api_key_id=use.key_id, scopes=use.scopes
    )
