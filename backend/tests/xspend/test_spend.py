"""A unit's X spend in the database: usage added per UTC day and class (atomically, under
concurrent writers on both databases), reported through ``bind``, and the monthly cap that
pauses optional reads first and publishing at the cap, telling the admins once a month."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gaung.accounts.connectors import bind
from gaung.accounts.tokens import store_tokens
from gaung.config import Settings
from gaung.db import make_sessionmaker, session_scope
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.protocol import Usage, VariantToPublish
from gaung.platforms.types import Platform
from gaung.units.models import Unit
from gaung.users.models import Role
from gaung.xspend.models import XUsage
from gaung.xspend.service import allowed, gates, record_usage, recorder, save_usage
from tests.conftest import World

NOV = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DEC = datetime(2026, 12, 1, 0, 5, tzinfo=UTC)


async def rows(session: AsyncSession, unit_id: int) -> list[tuple[str, str, int, int]]:
    found = await session.execute(
        select(XUsage.day, XUsage.price_class, XUsage.calls, XUsage.micro_usd)
        .where(XUsage.unit_id == unit_id)
        .order_by(XUsage.day, XUsage.price_class)
    )
    return [(d.isoformat(), c, n, m) for d, c, n, m in found]


async def test_usage_adds_up_per_day_and_class(world: World) -> None:
    unit = await world.unit()
    other = await world.unit()
    s = world.session
    await record_usage(s, unit.id, Usage("1", "post_read", 3), at=NOV)
    await record_usage(s, unit.id, Usage("2", "post_read", 2), at=NOV)
    await record_usage(s, unit.id, Usage("1", "post_create_url", 1), at=NOV)
    await record_usage(s, unit.id, Usage("1", "post_read", 1), at=DEC)
    await record_usage(s, other.id, Usage("9", "post_read", 7), at=NOV)
    assert await rows(s, unit.id) == [
        ("2026-11-20", "post_create_url", 1, 200_000),
        ("2026-11-20", "post_read", 5, 25_000),
        ("2026-12-01", "post_read", 1, 5_000),
    ]


async def test_reports_are_written_when_the_session_commits(world: World) -> None:
    unit = await world.unit()
    record = recorder(world.session, unit.id, clock=lambda: NOV)
    record(Usage("1", "post_create", 1))
    record(Usage("1", "post_create", 1))
    assert await rows(world.session, unit.id) == []
    await world.commit()
    assert await rows(world.session, unit.id) == [("2026-11-20", "post_create", 2, 30_000)]
    await save_usage(world.session)  # nothing left to write twice
    assert await rows(world.session, unit.id) == [("2026-11-20", "post_create", 2, 30_000)]


async def test_bind_adds_a_real_x_accounts_calls_to_its_units_spend(
    world: World, settings: Settings
) -> None:
    unit = await world.unit()
    acct = await world.account(unit, Platform.x)
    acct.sandbox = False
    acct.external_id = "2244994945"
    store_tokens(acct, settings, access_token="akses")
    await world.session.flush()
    with respx.mock(base_url=settings.x_api_base_url) as mock:
        mock.post("/2/tweets").respond(201, json={"data": {"id": "77", "text": "Halo"}})
        async with httpx.AsyncClient() as http:
            bound = bind(acct, session=world.session, settings=settings, http=http)
            assert bound is not None
            await bound.connector.publish(bound.credentials, VariantToPublish("Halo warga"))
    await world.commit()
    [(_day, cls, calls, micro)] = await rows(world.session, unit.id)
    assert (cls, calls, micro) == ("post_create", 1, 15_000)


@pytest.fixture
async def committed_unit(engine: AsyncEngine) -> AsyncIterator[int]:
    factory = make_sessionmaker(engine)
    async with session_scope(factory) as s:
        unit = Unit(name="Balapan", slug=f"balapan-{secrets.token_hex(4)}")
        s.add(unit)
        await s.flush()
        unit_id = unit.id
    try:
        yield unit_id
    finally:
        async with session_scope(factory) as s:
            await s.execute(delete(Unit).where(Unit.id == unit_id))  # usage cascades


async def test_concurrent_writers_never_lose_a_call(
    engine: AsyncEngine, committed_unit: int
) -> None:
    factory = make_sessionmaker(engine)

    async def worker(n: int) -> None:
        async with session_scope(factory) as s:
            record = recorder(s, committed_unit, clock=lambda: NOV)
            for _ in range(5):
                record(Usage(str(n), "post_read", 1))
            record(Usage(str(n), "post_create", 1))

    # Twelve sessions on their own connections race to create and add to the same rows.
    await asyncio.gather(*(worker(n) for n in range(12)))
    async with factory() as s:
        assert await rows(s, committed_unit) == [
            ("2026-11-20", "post_create", 12, 180_000),
            ("2026-11-20", "post_read", 60, 300_000),
        ]


def test_reads_pause_before_publishing() -> None:
    cap = Decimal("10.00")
    assert gates(7_999_999, cap, 0.8) == (False, False)
    assert gates(8_000_000, cap, 0.8) == (True, False)
    assert gates(10_000_000, cap, 0.8) == (True, True)
    assert gates(10**12, None, 0.8) == (False, False)
    assert gates(0, Decimal("0"), 0.8) == (True, True)


async def notices(session: AsyncSession, unit_id: int) -> list[tuple[int, dict[str, object]]]:
    found = await session.execute(
        select(Notification.user_id, Notification.params)
        .where(
            Notification.unit_id == unit_id,
            Notification.kind == NotificationKind.x_spend_near_cap,
        )
        .order_by(Notification.id)
    )
    return [(u, p) for u, p in found]


async def test_the_cap_pauses_reads_then_publishing_and_tells_admins_once(
    world: World, settings: Settings
) -> None:
    s = world.session
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.user(unit, Role.editor)
    unit.x_spend_cap_usd = Decimal("1.00")
    await s.flush()

    async def may(purpose: str, now: datetime = NOV) -> bool:
        return await allowed(s, unit.id, purpose, settings=settings, now=now)  # type: ignore[arg-type]

    # $0.60 of $1.00: everything goes on.
    await record_usage(s, unit.id, Usage("1", "post_create_url", 3), at=NOV)
    assert await may("read") and await may("publish")
    assert await notices(s, unit.id) == []
    # $0.80, the default read threshold: reads pause, publishing goes on; admins are told.
    await record_usage(s, unit.id, Usage("1", "post_create_url", 1), at=NOV)
    assert not await may("read")
    assert await may("publish")
    expected = {"month": "2026-11", "estimated_usd": 0.8, "cap_usd": 1.0}
    assert await notices(s, unit.id) == [(admin.id, expected)]
    # Asking again (or at the cap) tells nobody again this month.
    await record_usage(s, unit.id, Usage("1", "post_create_url", 1), at=NOV)
    assert not await may("read") and not await may("publish")
    assert len(await notices(s, unit.id)) == 1
    # A new UTC month starts from nothing; its first pause is told again.
    assert await may("read", DEC) and await may("publish", DEC)
    await record_usage(s, unit.id, Usage("1", "post_create_url", 4), at=DEC)
    assert not await may("read", DEC)
    assert [p["month"] for _u, p in await notices(s, unit.id)] == ["2026-11", "2026-12"]


async def test_usage_reported_but_not_yet_written_counts(world: World, settings: Settings) -> None:
    unit = await world.unit()
    unit.x_spend_cap_usd = Decimal("0.10")
    await world.session.flush()
    record = recorder(world.session, unit.id, clock=lambda: NOV)
    record(Usage("1", "post_create_url", 1))
    assert not await allowed(world.session, unit.id, "publish", settings=settings, now=NOV)


async def test_the_read_threshold_is_a_setting(world: World, tmp_path: Path) -> None:
    unit = await world.unit()
    unit.x_spend_cap_usd = Decimal("1.00")
    await world.session.flush()
    await record_usage(world.session, unit.id, Usage("1", "post_create_url", 3), at=NOV)
    half = Settings(env="test", data_dir=tmp_path, x_spend_read_pause_fraction=0.5)
    assert not await allowed(world.session, unit.id, "read", settings=half, now=NOV)
    with pytest.raises(ValueError, match="x_spend_read_pause_fraction"):
        Settings(env="test", data_dir=tmp_path, x_spend_read_pause_fraction=1.5)


async def test_without_a_cap_everything_is_allowed(world: World, settings: Settings) -> None:
    unit = await world.unit()
    await world.user(unit, Role.admin)
    await record_usage(world.session, unit.id, Usage("1", "post_create_url", 500), at=NOV)
    assert await allowed(world.session, unit.id, "read", settings=settings, now=NOV)
    assert await allowed(world.session, unit.id, "publish", settings=settings, now=NOV)
    assert await notices(world.session, unit.id) == []
