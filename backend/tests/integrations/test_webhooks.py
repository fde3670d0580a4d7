"""Webhooks: signed deliveries, retries with backoff against a local receiver, giving up,
pausing a subscription that keeps failing, the test event, the delivery log, and the events
the publishing pipeline emits. Jobs run with an injected clock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.models import Platform
from gaung.config import Settings
from gaung.kit.time import utcnow
from gaung.notifications.models import Notification, NotificationKind
from gaung.posts import jobs as post_jobs
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Role, User
from gaung.webhooks import jobs, outbox, send
from gaung.webhooks.core import Event, retry_delay
from gaung.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from gaung.worker.context import JobContext
from tests.conftest import World
from tests.integrations.receiver import independent_signature, receiving

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The receiver listens on loopback.
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        public_base_url="https://gaung.example.go.id",
        spa_dir=tmp_path / "no-spa",
        webhook_allow_private=True,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def ctx(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> AsyncIterator[JobContext]:
    # One platform call at a time: the test's sessions share one connection (savepoints).
    settings = settings.model_copy(update={"publish_concurrency": 1})
    async with httpx.AsyncClient() as http:
        yield JobContext(sessionmaker, settings, http, worker="w-test", clock=clock)


@dataclass
class Desk:
    unit: Unit
    admin: User


@pytest.fixture
async def desk(world: World) -> Desk:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    return Desk(unit, admin)


async def subscribe(
    client: httpx.AsyncClient, world: World, desk: Desk, url: str, events: list[str]
) -> dict[str, Any]:
    res = await client.post(
        f"/api/v1/units/{desk.unit.id}/webhooks",
        json={"url": url, "events": events},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 201, res.text
    body: dict[str, Any] = res.json()
    return body


def check_signed(secret: str, headers: dict[str, str], body: bytes, now: datetime) -> None:
    stamp = headers["x-gaung-timestamp"]
    assert int(stamp) == int(now.timestamp())
    assert headers["x-gaung-signature"] == independent_signature(secret, stamp, body)


async def test_a_failing_receiver_gets_retries_with_backoff_until_it_answers(
    client: httpx.AsyncClient, world: World, desk: Desk, ctx: JobContext, clock: Clock
) -> None:
    async with receiving([500, 503]) as rx:
        sub = await subscribe(client, world, desk, rx.url, ["post.published"])
        assert sub["secret"].startswith("whsec_")
        outbox.emit(world.session, desk.unit.id, Event.post_published, {"post_id": 7})
        outbox.emit(world.session, desk.unit.id, Event.post_failed, {"post_id": 8})
        await world.commit()

        await jobs.run(ctx)
        assert len(rx.got) == 1
        check_signed(sub["secret"], rx.got[0].headers, rx.got[0].body, clock.now)
        # Not yet: the first retry waits 30 s.
        clock.now += retry_delay(1) - timedelta(seconds=1)
        await jobs.run(ctx)
        assert len(rx.got) == 1
        clock.now += timedelta(seconds=1)
        await jobs.run(ctx)
        assert len(rx.got) == 2
        clock.now += retry_delay(2)
        await jobs.run(ctx)
        assert len(rx.got) == 3
        check_signed(sub["secret"], rx.got[2].headers, rx.got[2].body, clock.now)
        clock.now += timedelta(hours=1)
        await jobs.run(ctx)
        assert len(rx.got) == 3  # delivered: never again

    # Only the subscribed event; the same body every time.
    assert {r.headers["x-gaung-event"] for r in rx.got} == {"post.published"}
    assert len({r.body for r in rx.got}) == 1
    body = json.loads(rx.got[0].body)
    assert body["event"] == "post.published" and body["data"] == {"post_id": 7}
    assert body["unit_id"] == desk.unit.id
    log = await client.get(
        f"/api/v1/units/{desk.unit.id}/webhooks/{sub['id']}/deliveries",
        headers=world.headers(desk.admin),
    )
    [delivery] = log.json()["items"]
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3
    assert delivery["last_status_code"] == 200 and delivery["last_duration_ms"] >= 0


async def test_one_receiver_hears_its_events_one_at_a_time_in_order(
    client: httpx.AsyncClient, world: World, desk: Desk, ctx: JobContext
) -> None:
    # Each request is held a moment, so deliveries sent side by side would overlap.
    async with receiving(hold_s=0.05) as first, receiving(hold_s=0.05) as second:
        await subscribe(client, world, desk, first.url, ["post.published"])
        await subscribe(client, world, desk, second.url, ["post.published"])
        for post_id in range(1, 6):
            outbox.emit(world.session, desk.unit.id, Event.post_published, {"post_id": post_id})
        await world.commit()
        await jobs.run(ctx)

    for rx in (first, second):
        assert [json.loads(r.body)["data"]["post_id"] for r in rx.got] == [1, 2, 3, 4, 5]
        assert rx.most_at_once == 1


async def test_a_delivery_is_given_up_after_a_day_and_a_failing_subscription_paused(
    client: httpx.AsyncClient, world: World, desk: Desk, ctx: JobContext, clock: Clock
) -> None:
    async with receiving([500] * 100) as rx:
        sub = await subscribe(client, world, desk, rx.url, ["post.failed"])
        outbox.emit(world.session, desk.unit.id, Event.post_failed, {"post_id": 1})
        await world.commit()
        runs = 0
        while runs < 40:
            await jobs.run(ctx)
            runs += 1
            clock.now += timedelta(hours=2)
        row = await world.session.scalar(
            select(WebhookDelivery).execution_options(populate_existing=True)
        )
        assert row is not None and row.status == DeliveryStatus.given_up
        assert row.finished_at is not None and row.finished_at - row.created_at <= timedelta(
            hours=24
        )
        tries = len(rx.got)
        assert 5 <= tries <= 20 and row.attempts == tries

        # Still failing three days after the first failure: paused, and the admins told.
        s = await world.session.get(WebhookSubscription, sub["id"], populate_existing=True)
        assert s is not None and s.failing_since is not None and s.paused_at is None
        s.failing_since = clock.now - timedelta(days=3)
        outbox.emit(world.session, desk.unit.id, Event.post_failed, {"post_id": 2})
        await world.commit()
        await jobs.run(ctx)
        await world.session.refresh(s)
        assert s.paused_at is not None
        note = await world.session.scalar(
            select(Notification).where(Notification.kind == NotificationKind.webhook_paused)
        )
        assert note is not None and note.user_id == desk.admin.id
        # Paused: nothing more is sent until an admin resumes it.
        outbox.emit(world.session, desk.unit.id, Event.post_failed, {"post_id": 3})
        await world.commit()
        before = len(rx.got)
        await jobs.run(ctx)
        assert len(rx.got) == before
        resumed = await client.patch(
            f"/api/v1/units/{desk.unit.id}/webhooks/{sub['id']}",
            json={"paused": False},
            headers=world.headers(desk.admin),
        )
        assert resumed.json()["paused_at"] is None
        await jobs.run(ctx)
        assert len(rx.got) > before


async def test_a_test_event_reaches_the_receiver(
    client: httpx.AsyncClient, world: World, desk: Desk, ctx: JobContext, clock: Clock
) -> None:
    async with receiving() as rx:
        sub = await subscribe(client, world, desk, rx.url, ["submission.status_changed"])
        res = await client.post(
            f"/api/v1/units/{desk.unit.id}/webhooks/{sub['id']}/test",
            headers=world.headers(desk.admin),
        )
        assert res.status_code == 202 and res.json()["status"] == "pending"
        clock.now = utcnow()  # queued for "now" by the request's own clock
        await jobs.run(ctx)
    [got] = rx.got
    assert got.headers["x-gaung-event"] == "ping"
    check_signed(sub["secret"], got.headers, got.body, clock.now)


async def test_the_request_goes_to_the_checked_address_with_the_name_kept(
    client: httpx.AsyncClient,
    world: World,
    desk: Desk,
    ctx: JobContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        assert host == "penerima.example"
        return ["127.0.0.1"]

    monkeypatch.setattr(send, "_resolve", resolve)
    async with receiving() as rx:
        url = f"http://penerima.example:{rx.port}/hook"
        await subscribe(client, world, desk, url, ["post.published"])
        outbox.emit(world.session, desk.unit.id, Event.post_published, {"post_id": 1})
        await world.commit()
        await jobs.run(ctx)
    [got] = rx.got
    assert got.headers["host"] == f"penerima.example:{rx.port}"


async def test_publishing_outcomes_emit_events(
    world: World, desk: Desk, ctx: JobContext, clock: Clock
) -> None:
    good = await world.account(desk.unit, Platform.x)
    post = Post(unit_id=desk.unit.id, title="Magang", author_id=desk.admin.id)
    post.variants = [
        PostVariant(account_id=good.id, text="Halo", status=PostStatus.scheduled, scheduled_at=T0)
    ]
    post.status = PostStatus.scheduled
    world.session.add(post)
    await world.commit()
    await post_jobs.dispatch(ctx)
    [event] = (await world.session.scalars(select(WebhookEvent))).all()
    assert event.event == "post.published" and event.unit_id == desk.unit.id
    assert event.payload["post_id"] == post.id and event.payload["platform"] == "x"
    assert event.payload["url"].startswith("https://sandbox")
