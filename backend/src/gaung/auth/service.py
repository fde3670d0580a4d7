"""Login (throttled), sessions, refresh-token rotation and logout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import record
from gaung.auth import throttle
from gaung.auth.models import AuthSession, RefreshToken
from gaung.auth.passwords import burn_time_async, verify_password_async
from gaung.auth.schemas import TokenPair
from gaung.auth.tokens import create_access_token, hash_token, new_refresh_token, new_session_id
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
    session: AsyncSession, user_id: int, session_id: str, settings: Settings
) -> TokenPair:
    raw = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user_id,
            token_hash=hash_token(raw),
            family=session_id,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    await session.flush()
    return TokenPair(
        access_token=create_access_token(user_id, session_id, settings),
        refresh_token=raw,
        expires_in=settings.access_token_minutes * 60,
    )


async def check_throttle(session: AsyncSession, email: str, ip: str | None) -> None:
    keys = [(throttle.ACCOUNT, email[:254])]
    if ip:
        keys.append((throttle.ADDRESS, ip[:254]))
    wait = await throttle.retry_after(session, keys, utcnow())
    if wait is not None:
        raise throttle.too_many_attempts(wait)


async def record_failed_login(
    session: AsyncSession, email: str, ip: str | None, settings: Settings
) -> None:
    """Count a wrong password against the account and the address; committed at once, since
    the request itself fails."""
    now = utcnow()
    await throttle.record_failure(session, throttle.ACCOUNT, email[:254], settings, now)
    if ip:
        await throttle.record_failure(session, throttle.ADDRESS, ip[:254], settings, now)
    await session.commit()


async def login(
    session: AsyncSession, email: str, password: str, settings: Settings, ip: str | None
) -> TokenPair:
    email = email.strip().lower()
    await check_throttle(session, email, ip)
    user = await session.scalar(select(User).where(User.email == email))
    # End the read transaction before the slow hash: no transaction stays open meanwhile, and
    # SQLite could not turn a read snapshot into a write after another login committed.
    await session.commit()
    if user is None:
        await burn_time_async()
        ok = False
    else:
        ok = await verify_password_async(password, user.password_hash) and user.is_active
    if user is None or not ok:
        await record_failed_login(session, email, ip, settings)
        raise _invalid_credentials()
    # Only the account's count is forgiven: one valid login must not clear an address that
    # is guessing other accounts' passwords.
    await throttle.forget(session, throttle.ACCOUNT, email[:254])
    user.last_login_at = utcnow()
    auth_session = AuthSession(id=new_session_id(), user_id=user.id)
    session.add(auth_session)
    record(session, action="login", object_type="user", object_id=user.id, actor_id=user.id, ip=ip)
    return await _issue(session, user.id, auth_session.id, settings)


async def _revoke_session(session: AsyncSession, session_id: str) -> None:
    now = utcnow()
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == session_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


async def refresh(session: AsyncSession, raw: str, settings: Settings) -> TokenPair:
    """A new pair for a refresh token, which is used up.

    Tabs refreshing at once present the same token. Each request first writes its session
    row (one UPDATE, the first statement of the transaction): on PostgreSQL that row lock
    queues the requests of one session, always in the same order as logout (session, then
    tokens), so they cannot deadlock; SQLite waits for its write lock instead of failing on
    a stale read. The first request claims the token. The others, within the grace window,
    get their own new refresh token in the same session rather than a copy of the first's
    (which is only stored hashed), and the session goes on. Later reuse means a copy leaked:
    the whole session ends."""
    token_hash = hash_token(raw)
    family = (
        select(RefreshToken.family).where(RefreshToken.token_hash == token_hash).scalar_subquery()
    )
    touched = await session.execute(
        update(AuthSession)
        .where(AuthSession.id == family, AuthSession.revoked_at.is_(None))
        .values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if touched.rowcount != 1:  # type: ignore[attr-defined]
        raise _invalid_refresh()  # unknown token, or its session has ended
    now = utcnow()  # after the wait for the lock
    claimed = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == token_hash,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise _invalid_refresh()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        grace = timedelta(seconds=settings.refresh_grace_seconds)
        if token.used_at is None or now - token.used_at > grace:
            await _revoke_session(session, token.family)
            # The revocation must stand although the request fails.
            await session.commit()
            raise _invalid_refresh()
    active = await session.scalar(select(User.is_active).where(User.id == token.user_id))
    if not active:
        raise _invalid_refresh()
    return await _issue(session, token.user_id, token.family, settings)


async def logout(
    session: AsyncSession, *, user_id: int, session_id: str, raw: str | None, ip: str | None
) -> None:
    """End the caller's session: its access tokens stop working at once and its refresh
    tokens are revoked. A refresh token in the body (older clients) ends its session too."""
    await _revoke_session(session, session_id)
    if raw:
        other = await session.scalar(
            select(RefreshToken.family).where(
                RefreshToken.token_hash == hash_token(raw), RefreshToken.user_id == user_id
            )
        )
        if other is not None and other != session_id:
            await _revoke_session(session, other)
    record(session, action="logout", object_type="user", object_id=user_id, actor_id=user_id, ip=ip)


async def end_other_sessions(session: AsyncSession, *, user_id: int, keep: str | None) -> None:
    """After a password change: every other login of the user ends."""
    ids = (
        await session.scalars(
            select(AuthSession.id).where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
            )
        )
    ).all()
    for sid in ids:
        if sid != keep:
            await _revoke_session(session, sid)
