"""A unit with PTPSW's topics, an admin, an expert for careers and a sandbox account."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import Platform, PlatformAccount
from gaung.config import Settings
from gaung.inbox.models import InboxExpert, InboxTopic
from gaung.inbox.service import seed_topics
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.accounts.connect_helpers import configured
from tests.conftest import World

VERIFY_TOKEN = "token-verifikasi-inbox"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return configured(tmp_path, meta_webhook_verify_token=VERIFY_TOKEN)


@pytest.fixture
def net() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@dataclass
class Desk:
    unit: Unit
    admin: User
    expert: User
    viewer: User
    account: PlatformAccount  # sandbox, imitating Facebook
    topics: dict[str, InboxTopic]


@pytest.fixture
async def desk(world: World, session: AsyncSession) -> Desk:
    unit = await world.unit("PTPSW")
    admin = await world.user(unit, Role.admin)
    expert = await world.user(unit, Role.expert)
    viewer = await world.user(unit, Role.viewer)
    account = await world.account(unit, Platform.facebook, handle="PTPSW.BPPT")
    topics = {t.key: t for t in await seed_topics(session, unit.id)}
    session.add(InboxExpert(topic_id=topics["karier"].id, user_id=expert.id, unit_id=unit.id))
    await session.flush()
    return Desk(unit, admin, expert, viewer, account, topics)
