"""Sandbox posts in the database: the connector over ``DatabaseSandboxStore`` (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.accounts.sandbox import DatabaseSandboxStore, SandboxPost, sandbox_credentials
from gaung.platforms.protocol import VariantToPublish
from gaung.platforms.sandbox.connector import SandboxConnector
from gaung.platforms.types import Platform
from tests.conftest import World
from tests.platforms.contract import TEXT as CAN_POST_TEXT
from tests.platforms.contract import Check, cases
from tests.platforms.sandbox.support import START, Clock, adapter
from tests.platforms.sandbox.test_connector import PHOTO

TEXT = "Pendaftaran magang dibuka hingga akhir bulan."


async def _setup(
    world: World, platform: Platform = Platform.x
) -> tuple[SandboxConnector, PlatformAccount, Clock]:
    unit = await world.unit()
    acct = await world.account(unit, platform, handle="@PTPSW_BPPT")
    clock = Clock()
    store = DatabaseSandboxStore(world.session, unit.id)
    return (
        SandboxConnector(
            platform, store, seed=2, clock=clock, retried=set(), randbits=lambda _k: 0
        ),
        acct,
        clock,
    )


async def test_published_posts_and_replies_are_rows_of_the_account(world: World) -> None:
    connector, acct, clock = await _setup(world)
    creds = sandbox_credentials(acct)
    post = await connector.publish(creds, VariantToPublish(TEXT))
    clock.advance(timedelta(hours=1))
    reply = await connector.reply(creds, post.external_id, "Info lanjutan.")
    rows = (
        await world.session.scalars(select(SandboxPost).order_by(SandboxPost.published_at))
    ).all()
    assert [(r.account_id, r.external_id, r.text, r.media_count, r.in_reply_to) for r in rows] == [
        (acct.id, post.external_id, TEXT, 0, None),
        (acct.id, reply.external_id, "Info lanjutan.", 0, post.external_id),
    ]
    assert rows[0].published_at == START
    found = await connector.find_recent(creds, START + timedelta(minutes=1))
    assert [p.external_id for p in found] == [reply.external_id]
    metrics = await connector.account_metrics(creds)
    assert metrics.posts is not None and metrics.posts > 2
    assert [m.external_id for m in await connector.post_metrics(creds, [post.external_id])] == [
        post.external_id
    ]


async def test_instagram_media_count_is_kept(world: World) -> None:
    connector, acct, _ = await _setup(world, Platform.instagram)
    await connector.publish(sandbox_credentials(acct), VariantToPublish(TEXT, [PHOTO] * 3))
    assert await world.session.scalar(select(SandboxPost.media_count)) == 3


async def test_a_store_sees_only_its_units_sandbox_accounts(world: World) -> None:
    connector, acct, _ = await _setup(world)
    await connector.publish(sandbox_credentials(acct), VariantToPublish(TEXT))
    other_unit = await world.unit()
    other = DatabaseSandboxStore(world.session, other_unit.id)
    with pytest.raises(LookupError):
        await other.posts_since(sandbox_credentials(acct), START, 10)
    real = await world.account(other_unit, Platform.x)
    real.sandbox = False
    await world.session.flush()
    with pytest.raises(LookupError):
        await other.count_posts(sandbox_credentials(real))
    assert await other.posts_by_id(sandbox_credentials(real), []) == []


async def test_deleting_the_account_deletes_its_sandbox_posts(
    world: World, session: AsyncSession
) -> None:
    connector, acct, _ = await _setup(world)
    await connector.publish(sandbox_credentials(acct), VariantToPublish(TEXT))
    await session.delete(acct)
    await session.flush()
    assert await session.scalar(select(func.count()).select_from(SandboxPost)) == 0


@pytest.mark.parametrize(("name", "check"), cases({"sandbox-facebook": {CAN_POST_TEXT}}))
async def test_contract_over_the_database(name: str, check: Check, world: World) -> None:
    connector, acct, clock = await _setup(world, Platform.facebook)
    await check(adapter(connector, sandbox_credentials(acct), clock, TEXT))
