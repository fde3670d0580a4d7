"""Test fixtures: a real database (PostgreSQL started here, or SQLite), migrated once per session;
each test runs inside a transaction that is rolled back, so tests never see each other's data.

GAUNG_TEST_DB=postgresql (default) or sqlite picks the database; GAUNG_TEST_DATABASE_URL points
the PostgreSQL run at an existing server instead of starting one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from gaung.accounts.models import Platform, PlatformAccount
from gaung.auth.models import AuthSession
from gaung.auth.tokens import create_access_token, new_session_id
from gaung.config import Settings
from gaung.db import create_engine
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from tests.pg import temporary_postgres

TEST_DB = os.environ.get("GAUNG_TEST_DB", "postgresql")
# Hashing with production argon2 parameters is slow on purpose; tests use one fixed hash.
PASSWORD = "correct horse battery staple"


def pytest_report_header() -> str:
    return f"gaung database: {TEST_DB}"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with ExitStack() as stack:
        if TEST_DB == "sqlite":
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gaung-test-")))
            url = f"sqlite+aiosqlite:///{folder / 'test.sqlite3'}"
        elif TEST_DB == "postgresql":
            url = os.environ.get("GAUNG_TEST_DATABASE_URL") or stack.enter_context(
                temporary_postgres()
            )
        else:
            raise pytest.UsageError(f"GAUNG_TEST_DB must be postgresql or sqlite, not {TEST_DB!r}")
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield conn
        await outer.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Commits inside the code under test release a SAVEPOINT; the outer transaction is
    # rolled back after the test.
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as s:
        yield s


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        public_base_url="https://gaung.example.go.id",
        spa_dir=tmp_path / "no-spa",
    )


@pytest.fixture
async def client(
    settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


_HASH: str | None = None


def password_hash() -> str:
    global _HASH
    if _HASH is None:
        from gaung.auth.passwords import hash_password

        _HASH = hash_password(PASSWORD)
    return _HASH


@dataclass
class World:
    """Builds units, users and accounts for a test, and the headers to act as a user."""

    session: AsyncSession
    settings: Settings
    _n: int = 0
    # user id -> the id of a live login session, which access tokens must name
    _sessions: dict[int, str] = field(default_factory=dict)

    def _next(self) -> int:
        self._n += 1
        return self._n

    async def unit(
        self,
        name: str | None = None,
        timezone: str = "Asia/Jakarta",
        checklist: Sequence[str] = (),
        require_alt_text: bool = False,
    ) -> Unit:
        """A unit; without a pre-publication checklist or the alt-text rule unless asked
        (the unit's defaults have both: their own tests ask for them)."""
        n = self._next()
        unit = Unit(
            name=name or f"Unit {n}",
            slug=f"unit-{n}",
            timezone=timezone,
            checklist=list(checklist),
            require_alt_text=require_alt_text,
        )
        self.session.add(unit)
        await self.session.flush()
        return unit

    async def user(
        self, unit: Unit | None = None, role: Role = Role.admin, *, superuser: bool = False
    ) -> User:
        n = self._next()
        user = User(
            email=f"user{n}@example.go.id",
            name=f"User {n}",
            password_hash=password_hash(),
            is_superuser=superuser,
        )
        self.session.add(user)
        await self.session.flush()
        await self.login_session(user)
        if unit is not None:
            self.session.add(Membership(user_id=user.id, unit_id=unit.id, role=role))
            await self.session.flush()
        return user

    async def account(
        self, unit: Unit, platform: Platform = Platform.x, handle: str | None = None
    ) -> PlatformAccount:
        n = self._next()
        account = PlatformAccount(
            unit_id=unit.id,
            platform=platform,
            sandbox=True,
            external_id=f"sandbox-{n}",
            handle=handle or f"@acct{n}",
            display_name=f"Account {n}",
        )
        self.session.add(account)
        await self.session.flush()
        return account

    async def login_session(self, user: User) -> str:
        """A new login session for the user (as POST /auth/login makes); headers use it."""
        sid = new_session_id()
        self.session.add(AuthSession(id=sid, user_id=user.id))
        await self.session.flush()
        self._sessions[user.id] = sid
        return sid

    def headers(self, user: User) -> dict[str, str]:
        # A user that is not in the database gets a session id that matches nothing.
        sid = self._sessions.get(user.id) or new_session_id()
        token = create_access_token(user.id, sid, self.settings)
        return {"Authorization": f"Bearer {token}"}

    async def commit(self) -> None:
        await self.session.commit()


@pytest.fixture
async def world(session: AsyncSession, settings: Settings) -> World:
    return World(session, settings)
