"""Failed-login throttling by account (email) and by client address, kept in the database so
it holds across api replicas. Each failure past the limit locks the key for twice as long as
the last, up to a ceiling; failures older than the window are forgotten. A locked attempt is
refused before any password is hashed."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.models import LoginThrottle
from gaung.config import Settings
from gaung.kit.errors import AppError

ACCOUNT = "account"
ADDRESS = "address"
THROTTLED_RESPONSE = {
    "description": "too many attempts",
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}


def lock_seconds(failures: int, limit: int, first: int, longest: int) -> int | None:
    """How long a key is locked after its ``failures``-th failure (None: not locked)."""
    if failures < limit:
        return None
    # Cap the exponent: the ceiling is reached long before, and 2**huge is slow.
    lock: int = first * 2 ** min(failures - limit, 40)
    return min(longest, lock)


def too_many_attempts(retry_after: int) -> AppError:
    return AppError(
        f"Too many failed logins; try again in {retry_after} seconds.",
        code="too_many_attempts",
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )


def _limit(kind: str, settings: Settings) -> int:
    if kind == ACCOUNT:
        return settings.login_account_max_failures
    return settings.login_address_max_failures


async def retry_after(
    session: AsyncSession, keys: list[tuple[str, str]], now: datetime
) -> int | None:
    """Seconds until the longest lock among ``keys`` ends, or None when none is locked."""
    until = await session.scalar(
        select(func.max(LoginThrottle.locked_until)).where(
            or_(*(and_(LoginThrottle.kind == k, LoginThrottle.key == v) for k, v in keys)),
            LoginThrottle.locked_until > now,
        )
    )
    if until is None:
        return None
    return max(1, math.ceil((until - now).total_seconds()))


async def record_failure(
    session: AsyncSession, kind: str, key: str, settings: Settings, now: datetime
) -> None:
    # Atomic increments (not read-modify-write), so parallel failures all count.
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(LoginThrottle)
        .values(kind=kind, key=key, failures=0, window_start=now)
        .on_conflict_do_nothing()
    )
    stale = LoginThrottle.window_start < now - timedelta(
        seconds=settings.login_failure_window_seconds
    )
    where = (LoginThrottle.kind == kind, LoginThrottle.key == key)
    failures = await session.scalar(
        update(LoginThrottle)
        .where(*where)
        .values(
            failures=case((stale, 1), else_=LoginThrottle.failures + 1),
            window_start=case((stale, now), else_=LoginThrottle.window_start),
        )
        .returning(LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    )
    lock = lock_seconds(
        failures or 0,
        _limit(kind, settings),
        settings.login_lock_seconds,
        settings.login_lock_max_seconds,
    )
    if lock is not None:
        await session.execute(
            update(LoginThrottle)
            .where(*where)
            .values(locked_until=now + timedelta(seconds=lock))
            .execution_options(synchronize_session=False)
        )


async def forget(session: AsyncSession, kind: str, key: str) -> None:
    await session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.kind == kind, LoginThrottle.key == key)
        .execution_options(synchronize_session=False)
    )
