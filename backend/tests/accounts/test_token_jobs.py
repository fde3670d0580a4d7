"""The token job: X's two-hour tokens are renewed ahead of expiry with the rotated refresh
token stored; a refused refresh holds the account and tells its admins; Page tokens (which do
not expire) are never touched."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.jobs import RefreshReport, refresh_tokens
from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.accounts.tokens import access_token, refresh_token, store_tokens
from gaung.audit.models import AuditEvent
from gaung.config import Settings
from gaung.notifications.models import Notification, NotificationKind
from gaung.units.models import Unit
from gaung.users.models import Role
from tests.accounts.connect_helpers import X_API, configured, form, x_token
from tests.conftest import World

NOW = datetime.now(UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return configured(tmp_path, token_refresh_ahead_s=3600)


@pytest.fixture
def net() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def real_account(
    session: AsyncSession,
    settings: Settings,
    unit: Unit,
    platform: Platform = Platform.x,
    *,
    expires_in: timedelta | None = timedelta(minutes=30),
    refresh: str | None = "segar-lama",
    external_id: str = "2244994945",
) -> PlatformAccount:
    account = PlatformAccount(
        unit_id=unit.id,
        platform=platform,
        external_id=external_id,
        handle="akun",
        display_name="Akun",
    )
    store_tokens(
        account,
        settings,
        access_token="akses-lama",
        refresh_token=refresh,
        expires_at=NOW + expires_in if expires_in is not None else None,
    )
    session.add(account)
    await session.flush()
    return account


async def test_a_token_about_to_expire_is_renewed_and_the_new_refresh_token_kept(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    net: respx.MockRouter,
    http: httpx.AsyncClient,
) -> None:
    unit = await world.unit()
    due = await real_account(session, settings, unit)
    later = await real_account(
        session, settings, unit, expires_in=timedelta(hours=2), external_id="2"
    )
    token = net.post(f"{X_API}/2/oauth2/token").mock(
        return_value=httpx.Response(
            200,
            json=x_token(access="akses-baru", refresh="segar-baru"),
            headers={"x-rate-limit-remaining": "10"},
        )
    )

    report = await refresh_tokens(sessionmaker, settings, http, now=NOW)

    assert report == RefreshReport(refreshed=1)
    sent = form(token.calls.last.request)
    assert sent == {"grant_type": "refresh_token", "refresh_token": "segar-lama"}
    assert token.calls.last.request.headers["authorization"].startswith("Basic ")
    # Committed: another session sees the rotated tokens.
    async with sessionmaker() as other:
        fresh = await other.get(PlatformAccount, due.id)
        assert fresh is not None
        assert access_token(fresh, settings) == "akses-baru"
        assert refresh_token(fresh, settings) == "segar-baru"
        assert fresh.token_expires_at is not None and fresh.token_expires_at > NOW
        untouched = await other.get(PlatformAccount, later.id)
        assert untouched is not None and refresh_token(untouched, settings) == "segar-lama"
    # Run again right away: nothing is due any more.
    assert await refresh_tokens(sessionmaker, settings, http, now=NOW) == RefreshReport()
    assert token.call_count == 1


async def test_page_tokens_are_never_refreshed_or_marked_stale(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    net: respx.MockRouter,
    http: httpx.AsyncClient,
) -> None:
    unit = await world.unit()
    page = await real_account(
        session, settings, unit, Platform.facebook, expires_in=None, refresh=None
    )
    instagram = await real_account(
        session, settings, unit, Platform.instagram, expires_in=None, refresh=None
    )
    long_ago = NOW + timedelta(days=400)  # however much later the job runs

    assert await refresh_tokens(sessionmaker, settings, http, now=long_ago) == RefreshReport()
    for account in (page, instagram):
        await session.refresh(account)
        assert account.status == AccountStatus.active and account.last_error is None
    assert not net.calls


async def test_a_revoked_grant_holds_the_account_and_tells_its_admins(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    net: respx.MockRouter,
    http: httpx.AsyncClient,
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.user(unit, Role.editor)
    account = await real_account(session, settings, unit)
    net.post(f"{X_API}/2/oauth2/token").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            },
        )
    )

    report = await refresh_tokens(sessionmaker, settings, http, now=NOW)

    assert report == RefreshReport(needs_reauth=1)
    await session.refresh(account)
    assert account.status == AccountStatus.needs_reauth
    assert account.last_error == (
        "X no longer accepts this account's access. Please reconnect the X account."
    )
    notes = (await session.scalars(select(Notification))).all()
    assert [(n.user_id, n.kind, n.object_id) for n in notes] == [
        (admin.id, NotificationKind.account_needs_reauth, str(account.id))
    ]
    [event] = (await session.scalars(select(AuditEvent))).all()
    assert (event.action, event.system_job, event.actor_id) == (
        "needs_reauth",
        "token_refresh",
        None,
    )
    # A held account is not tried again by the next run.
    assert await refresh_tokens(sessionmaker, settings, http, now=NOW) == RefreshReport()


async def test_a_passing_failure_is_only_recorded(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    net: respx.MockRouter,
    http: httpx.AsyncClient,
) -> None:
    unit = await world.unit()
    await world.user(unit, Role.admin)
    account = await real_account(session, settings, unit)
    ok = await real_account(session, settings, unit, external_id="3", refresh="segar-3")

    def answer(request: httpx.Request) -> httpx.Response:
        if form(request)["refresh_token"] == "segar-lama":
            return httpx.Response(503, json={"title": "Service Unavailable", "status": 503})
        return httpx.Response(200, json=x_token(access="akses-3", refresh="segar-3b"))

    net.post(f"{X_API}/2/oauth2/token").mock(side_effect=answer)

    report = await refresh_tokens(sessionmaker, settings, http, now=NOW)

    assert report == RefreshReport(refreshed=1, failed=1)
    await session.refresh(account)
    assert account.status == AccountStatus.active
    assert account.last_error == "X is having trouble right now. Gaung will try again shortly."
    assert refresh_token(account, settings) == "segar-lama"  # kept for the next try
    assert (await session.scalars(select(Notification))).all() == []
    await session.refresh(ok)
    assert refresh_token(ok, settings) == "segar-3b"


async def test_sandbox_disabled_and_held_accounts_are_left_alone(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    net: respx.MockRouter,
    http: httpx.AsyncClient,
) -> None:
    unit = await world.unit()
    disabled = await real_account(session, settings, unit, external_id="4")
    disabled.status = AccountStatus.disabled
    held = await real_account(session, settings, unit, external_id="5")
    held.status = AccountStatus.needs_reauth
    sandbox = await world.account(unit, Platform.x)
    sandbox.token_expires_at = NOW
    await session.flush()
    assert await refresh_tokens(sessionmaker, settings, http, now=NOW) == RefreshReport()
    assert not net.calls
