"""`/meta` shows the demo login only in the embedded mode and only while the demo admin's
password is still the demo password."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung import demo
from gaung.auth.passwords import hash_password
from gaung.config import Settings
from gaung.main import create_app
from tests.conftest import PASSWORD, World, password_hash

EMAIL = "demo-admin@example.go.id"


def _settings(tmp_path: Path, *, embedded: bool) -> Settings:
    # The demo password is the suite's, whose hash is precomputed (hashing is slow on purpose).
    return Settings(
        env="test",
        data_dir=tmp_path,
        spa_dir=tmp_path / "no-spa",
        embedded=embedded,
        demo_admin_email=EMAIL,
        demo_admin_password=PASSWORD,
    )


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    verify = demo._verify

    def counting(password: str, hashed: str) -> bool:
        calls.append(hashed)
        return verify(password, hashed)

    monkeypatch.setattr(demo, "_verify", counting)
    monkeypatch.setattr(demo, "_answers", {})
    return calls


@asynccontextmanager
async def _client(
    settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


async def test_demo_login_shown_while_the_password_is_unchanged(
    tmp_path: Path,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
    verifications: list[str],
) -> None:
    admin = await world.user()
    admin.email = EMAIL
    await world.commit()
    async with _client(_settings(tmp_path, embedded=True), engine, sessionmaker) as client:
        for _ in range(3):
            body = (await client.get("/api/v1/meta")).json()
            assert body["embedded"] is True
            assert body["demo_login"] == {"email": EMAIL, "password": PASSWORD}
        assert verifications == [password_hash()]  # verified once, then answered from cache

        # The admin chose another password: a new hash, checked anew, and no demo login.
        admin.password_hash = hash_password("a password of their own")
        await world.commit()
        body = (await client.get("/api/v1/meta")).json()
        assert body["embedded"] is True and body["demo_login"] is None
        assert len(verifications) == 2


async def test_no_demo_login_outside_the_embedded_mode(
    tmp_path: Path,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
    verifications: list[str],
) -> None:
    admin = await world.user()
    admin.email = EMAIL
    await world.commit()
    async with _client(_settings(tmp_path, embedded=False), engine, sessionmaker) as client:
        body = (await client.get("/api/v1/meta")).json()
        assert body == {"version": body["version"], "embedded": False, "demo_login": None}
    assert verifications == []


async def test_no_demo_login_when_the_demo_admin_is_gone(
    tmp_path: Path,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    verifications: list[str],
) -> None:
    async with _client(_settings(tmp_path, embedded=True), engine, sessionmaker) as client:
        assert (await client.get("/api/v1/meta")).json()["demo_login"] is None
