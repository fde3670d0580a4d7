"""Real concurrency: requests on separate database connections, committed for real (the
usual fixtures share one connection inside a rolled-back transaction, which serialises
everything). Each test removes what it created."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.audit.models import AuditEvent
from gaung.auth.models import LoginThrottle
from gaung.config import Settings
from gaung.db import make_sessionmaker, session_scope
from gaung.main import create_app
from gaung.users.models import User
from tests.conftest import PASSWORD, password_hash


@pytest.fixture
async def committed_user(engine: AsyncEngine) -> AsyncIterator[User]:
    factory = make_sessionmaker(engine)
    async with session_scope(factory) as s:
        user = User(
            email=f"race-{secrets.token_hex(4)}@example.go.id",
            name="Race",
            password_hash=password_hash(),
        )
        s.add(user)
    try:
        yield user
    finally:
        async with session_scope(factory) as s:
            await s.execute(delete(AuditEvent).where(AuditEvent.actor_id == user.id))
            await s.execute(delete(LoginThrottle).where(LoginThrottle.key == user.email))
            await s.execute(delete(LoginThrottle).where(LoginThrottle.kind == "address"))
            await s.execute(delete(User).where(User.id == user.id))  # sessions cascade


@pytest.fixture
async def real_client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine=engine)  # its own sessions: one connection each
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_ten_parallel_refreshes_of_one_token_all_succeed(
    real_client: httpx.AsyncClient, committed_user: User
) -> None:
    login = await real_client.post(
        "/api/v1/auth/login", json={"email": committed_user.email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    token = login.json()["refresh_token"]
    results = await asyncio.gather(
        *(
            real_client.post("/api/v1/auth/refresh", json={"refresh_token": token})
            for _ in range(10)
        )
    )
    assert [r.status_code for r in results] == [200] * 10, [r.text for r in results]
    fresh = {r.json()["refresh_token"] for r in results}
    assert len(fresh) == 10  # nobody got a copy of another's token
    for res in results:
        me = await real_client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {res.json()['access_token']}"}
        )
        assert me.status_code == 200


async def test_parallel_refreshes_of_a_leaked_token_answer_cleanly(
    real_client: httpx.AsyncClient, committed_user: User, settings: Settings
) -> None:
    # No grace: every parallel reuse is treated as theft. Each answer is 200 or a clean 401,
    # never a 500, and the session ends.
    settings.refresh_grace_seconds = 0
    login = await real_client.post(
        "/api/v1/auth/login", json={"email": committed_user.email, "password": PASSWORD}
    )
    token = login.json()["refresh_token"]
    results = await asyncio.gather(
        *(
            real_client.post("/api/v1/auth/refresh", json={"refresh_token": token})
            for _ in range(10)
        )
    )
    codes = sorted(r.status_code for r in results)
    assert set(codes) <= {200, 401}, [r.text for r in results]
    assert codes.count(200) >= 1
    for res in results:
        if res.status_code == 401:
            assert res.json()["error"] == "invalid_refresh_token"


async def test_parallel_wrong_passwords_are_all_counted(
    real_client: httpx.AsyncClient, committed_user: User, settings: Settings, engine: AsyncEngine
) -> None:
    settings.login_account_max_failures = 100
    results = await asyncio.gather(
        *(
            real_client.post(
                "/api/v1/auth/login",
                json={"email": committed_user.email, "password": f"wrong {i}"},
            )
            for i in range(8)
        )
    )
    assert [r.status_code for r in results] == [401] * 8
    async with make_sessionmaker(engine)() as s:
        row = await s.get(LoginThrottle, ("account", committed_user.email))
        assert row is not None and row.failures == 8


async def test_parallel_logins_all_succeed(
    real_client: httpx.AsyncClient, committed_user: User
) -> None:
    # On SQLite a login that read before its slow hash could not write afterwards once
    # another login had committed ("database is locked", a 500).
    results = await asyncio.gather(
        *(
            real_client.post(
                "/api/v1/auth/login", json={"email": committed_user.email, "password": PASSWORD}
            )
            for _ in range(6)
        )
    )
    assert [r.status_code for r in results] == [200] * 6, [r.text for r in results]
