from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.posts.models import Post
from tests.conftest import World

WIB = timezone(timedelta(hours=7))


async def test_times_are_stored_in_utc_and_come_back_aware(
    session: AsyncSession, world: World
) -> None:
    unit = await world.unit()
    local = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    post = Post(unit_id=unit.id, title="t", planned_at=local)
    session.add(post)
    await session.flush()
    session.expunge(post)
    loaded = await session.get(Post, post.id)
    assert loaded is not None and loaded.planned_at is not None
    assert loaded.planned_at.tzinfo is not None
    assert loaded.planned_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


async def test_naive_datetimes_are_refused(session: AsyncSession, world: World) -> None:
    unit = await world.unit()
    session.add(Post(unit_id=unit.id, title="t", planned_at=datetime(2026, 11, 30, 9, 0)))
    with pytest.raises(Exception, match="naive datetime"):
        await session.flush()
    await session.rollback()
