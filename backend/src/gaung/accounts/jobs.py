"""Scheduled work on accounts: access tokens renewed before they expire.

Only tokens with an expiry and a refresh token are renewed (X's two-hour tokens). Page tokens
taken from a long-lived user token do not expire, so nothing here ever marks them stale on a
timer: a dead one shows up as an error on its next call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import httpx
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.connectors import bind
from gaung.accounts.health import mark_needs_reauth, record_error
from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.accounts.rate_limits import recorder
from gaung.accounts.tokens import store_tokens
from gaung.auth.principal import SystemActor
from gaung.config import Settings
from gaung.db import session_scope
from gaung.kit.time import utcnow
from gaung.platforms.protocol import AuthError, ConnectorError

logger = logging.getLogger("gaung.jobs")

JOB = "token_refresh"
Outcome = Literal["refreshed", "needs_reauth", "failed", "skipped"]


@dataclass
class RefreshReport:
    refreshed: int = 0
    needs_reauth: int = 0
    failed: int = 0
    skipped: int = 0


def _due(horizon: datetime) -> ColumnElement[bool]:
    return and_(
        PlatformAccount.sandbox.is_(False),
        PlatformAccount.status == AccountStatus.active,
        PlatformAccount.refresh_token_enc.is_not(None),
        PlatformAccount.token_expires_at.is_not(None),
        PlatformAccount.token_expires_at <= horizon,
    )


async def refresh_tokens(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    *,
    now: datetime | None = None,
) -> RefreshReport:
    """Renew every active account's token that expires within ``GAUNG_TOKEN_REFRESH_AHEAD_S``,
    one account per transaction, so one account's failure never undoes another's renewal."""
    horizon = (now or utcnow()) + timedelta(seconds=settings.token_refresh_ahead_s)
    async with session_scope(sessionmaker) as session:
        ids = list(
            await session.scalars(
                select(PlatformAccount.id)
                .where(_due(horizon))
                .order_by(PlatformAccount.token_expires_at)
            )
        )
    report = RefreshReport()
    for account_id in ids:
        try:
            outcome = await _refresh_one(sessionmaker, settings, http, account_id, horizon)
        except Exception:  # a bug with one account must not stop the others' renewal
            logger.exception("token refresh failed for account %s", account_id)
            outcome = "failed"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def _refresh_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    account_id: int,
    horizon: datetime,
) -> Outcome:
    async with session_scope(sessionmaker) as session:
        # Locked while its token is renewed: X's refresh token is single use, so two workers
        # spending it at once would lose the account. (SQLite has one writer at a time anyway.)
        account = await session.scalar(
            select(PlatformAccount)
            .where(PlatformAccount.id == account_id, _due(horizon))
            .with_for_update()
        )
        if account is None:  # renewed, disconnected or changed since the list was read
            return "skipped"
        bound = bind(
            account, session=session, settings=settings, http=http, on_rate_limit=recorder(account)
        )
        if bound is None:
            return "skipped"
        try:
            tokens = await bound.connector.refresh_token(bound.credentials)
        except AuthError as exc:
            await mark_needs_reauth(session, SystemActor(JOB), account, exc.message)
            return "needs_reauth"
        except ConnectorError as exc:
            # Worth another try on the next run; the badge shows what went wrong meanwhile.
            record_error(account, exc.message)
            return "failed"
        store_tokens(
            account,
            settings,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token or bound.credentials.refresh_token,
            expires_at=tokens.expires_at,
        )
        # The rotated refresh token is committed before anything else can happen: the old
        # one no longer works.
        await session.commit()
        return "refreshed"
