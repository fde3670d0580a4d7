"""Login, refresh-token rotation and logout."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import record
from gaung.auth.models import RefreshToken
from gaung.auth.passwords import burn_time, verify_password
from gaung.auth.schemas import TokenPair
from gaung.auth.tokens import create_access_token, hash_token, new_refresh_token
from gaung.config import Settings
from gaung.kit.errors import Unauthorized
from gaung.kit.time import utcnow
from gaung.users.models import User


def _invalid_credentials() -> Unauthorized:
    return Unauthorized("Email or password is wrong.", code="invalid_credentials")


def _invalid_refresh() -> Unauthorized:
    return Unauthorized(
        "The refresh token is invalid, expired or revoked; log in again.",
        code="invalid_refresh_token",
    )


async def _issue(
    session: AsyncSession, user: User, settings: Settings, family: str | None = None
) -> TokenPair:
    raw = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=hash_token(raw),
            family=family or secrets.token_hex(16),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    await session.flush()
    return TokenPair(
        access_token=create_access_token(user.id, settings),
        refresh_token=raw,
        expires_in=settings.access_token_minutes * 60,
    )


async def login(
    session: AsyncSession, email: str, password: str, settings: Settings, ip: str | None
) -> TokenPair:
    user = await session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        burn_time()
        raise _invalid_credentials()
    if not verify_password(password, user.password_hash) or not user.is_active:
        raise _invalid_credentials()
    user.last_login_at = utcnow()
    record(session, action="login", object_type="user", object_id=user.id, actor_id=user.id, ip=ip)
    return await _issue(session, user, settings)


async def refresh(session: AsyncSession, raw: str, settings: Settings) -> TokenPair:
    token = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_token(raw))
    )
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise _invalid_refresh()
    if token.used_at is not None:
        # A rotated token came back: someone holds a copy. End the whole session family.
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == token.family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        # The revocation must stand although the request fails.
        await session.commit()
        raise _invalid_refresh()
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise _invalid_refresh()
    token.used_at = now
    return await _issue(session, user, settings, family=token.family)


async def logout(session: AsyncSession, raw: str, actor_id: int) -> None:
    """Revoke the session the refresh token belongs to (its whole rotation family)."""
    token = await session.scalar(
        select(RefreshToken).where(
            RefreshToken.token_hash == hash_token(raw), RefreshToken.user_id == actor_id
        )
    )
    if token is None:
        return
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == token.family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    record(session, action="logout", object_type="user", object_id=actor_id, actor_id=actor_id)
