"""The webhook job: fan new outbox events out to the subscriptions (and to the submissions
they concern), send due deliveries, retry with backoff for GAUNG_WEBHOOK_GIVE_UP_HOURS, and
pause subscriptions that have failed for GAUNG_WEBHOOK_PAUSE_AFTER_DAYS.

Deliveries are claimed row by row (a claim pushes ``next_attempt_at`` past the request's
timeout), so any number of workers share the work; no transaction is open while a receiver
is called. One subscription's claimed deliveries go out one after another in event order, so a
receiver hears "in progress" before "published"; different subscriptions are called at once."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.principal import SystemActor
from gaung.db import session_scope
from gaung.kit.crypto import decrypt
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.users.models import Role
from gaung.webhooks import core, send
from gaung.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from gaung.webhooks.service import envelope
from gaung.worker.context import JobContext

log = logging.getLogger(__name__)

ACTOR = SystemActor("webhooks")
EVENT_BATCH = 200
DELIVERY_BATCH = 50
FAN_OUT_ROUNDS = 3  # an event may cause another (a published post → its submission)


def _locked(stmt, session: AsyncSession):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


async def fan_out(session: AsyncSession, now: datetime) -> int:
    """Turn unprocessed events into deliveries. Returns how many events were handled."""
    from gaung.submissions import service as submissions  # submissions emit events too

    events = list(
        await session.scalars(
            _locked(
                select(WebhookEvent)
                .where(WebhookEvent.processed_at.is_(None))
                .order_by(WebhookEvent.id)
                .limit(EVENT_BATCH),
                session,
            )
        )
    )
    if not events:
        return 0
    units = {e.unit_id for e in events}
    # Paused ones too: their deliveries wait, and go out if resumed within the retry window.
    subs = list(
        await session.scalars(
            select(WebhookSubscription).where(WebhookSubscription.unit_id.in_(units))
        )
    )
    for ev in events:
        ev.processed_at = now
        if ev.event in (core.Event.post_published, core.Event.post_failed):
            await submissions.on_post_event(session, ev.event, ev.payload, now)
        body = envelope(ev.event, ev.unit_id, ev.payload, ev.created_at)
        for sub in subs:
            if sub.unit_id == ev.unit_id and ev.event in sub.events:
                session.add(
                    WebhookDelivery(
                        subscription_id=sub.id,
                        event=ev.event,
                        body=body,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
    await session.flush()
    return len(events)


async def _claim(
    session: AsyncSession, now: datetime, lease: timedelta
) -> list[tuple[int, str, str, str, str, int]]:
    rows = (
        await session.execute(
            _locked(
                select(WebhookDelivery, WebhookSubscription)
                .join(
                    WebhookSubscription,
                    WebhookSubscription.id == WebhookDelivery.subscription_id,
                )
                .where(
                    WebhookDelivery.status == DeliveryStatus.pending,
                    WebhookDelivery.next_attempt_at <= now,
                    WebhookSubscription.paused_at.is_(None),
                )
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(DELIVERY_BATCH),
                session,
            )
        )
    ).all()
    out = []
    for delivery, sub in rows:
        delivery.attempts += 1
        delivery.next_attempt_at = now + lease
        out.append(
            (delivery.id, sub.url, sub.secret, delivery.event, delivery.body, delivery.attempts)
        )
    return out


async def _record(
    session: AsyncSession, ctx: JobContext, delivery_id: int, answer: send.Answer, now: datetime
) -> None:
    s = ctx.settings
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # its subscription was deleted meanwhile
        return
    sub = await session.get(WebhookSubscription, delivery.subscription_id)
    assert sub is not None
    delivery.last_status_code = answer.status_code
    delivery.last_duration_ms = answer.duration_ms
    delivery.last_error = answer.error
    if answer.ok:
        delivery.status = DeliveryStatus.delivered
        delivery.finished_at = now
        delivery.next_attempt_at = None
        sub.failing_since = None
        return
    give_up_at = delivery.created_at + timedelta(hours=s.webhook_give_up_hours)
    retry_at = now + core.retry_delay(delivery.attempts)
    refused = answer.error is not None and answer.error.startswith("refused:")
    if refused or retry_at > give_up_at:
        delivery.status = DeliveryStatus.given_up
        delivery.finished_at = now
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = retry_at
    if delivery.event == core.TEST_EVENT:
        return  # a test says nothing about the subscription's health
    sub.failing_since = sub.failing_since or now
    if sub.paused_at is None and now - sub.failing_since >= timedelta(
        days=s.webhook_pause_after_days
    ):
        sub.paused_at = now
        await notify(
            session,
            unit_id=sub.unit_id,
            kind=NotificationKind.webhook_paused,
            object_type="webhook",
            object_id=sub.id,
            params={"url": sub.url},
            roles=[Role.admin],
        )
        log.warning("webhook %s paused after failing since %s", sub.id, sub.failing_since)


async def deliver_due(ctx: JobContext) -> int:
    """Send what is due now; returns how many requests were made."""
    now = ctx.clock()
    lease = timedelta(seconds=ctx.settings.webhook_timeout_s + 60)
    async with session_scope(ctx.sessionmaker) as session:
        claimed = await _claim(session, now, lease)
    if not claimed:
        return 0
    keys = ctx.settings.encryption_keys

    async def one(item: tuple[int, str, str, str, str, int]) -> tuple[int, send.Answer]:
        delivery_id, url, secret, event, body, _attempt = item
        answer = await send.post(
            ctx.http,
            ctx.settings,
            url=url,
            secret=decrypt(secret, keys),
            event=event,
            delivery_id=delivery_id,
            body=body.encode(),
            now=ctx.clock().timestamp(),
        )
        return delivery_id, answer

    async def in_order(
        items: list[tuple[int, str, str, str, str, int]],
    ) -> list[tuple[int, send.Answer]]:
        return [await one(item) for item in items]

    by_url: dict[str, list[tuple[int, str, str, str, str, int]]] = {}
    for item in claimed:  # already in (next_attempt_at, id) order
        by_url.setdefault(item[1], []).append(item)
    answers = [
        answer
        for group in await asyncio.gather(*(in_order(items) for items in by_url.values()))
        for answer in group
    ]
    async with session_scope(ctx.sessionmaker) as session:
        done = ctx.clock()
        for delivery_id, answer in answers:
            await _record(session, ctx, delivery_id, answer, done)
    return len(answers)


async def run(ctx: JobContext) -> None:
    """The scheduled job."""
    for _ in range(FAN_OUT_ROUNDS):
        async with session_scope(ctx.sessionmaker) as session:
            if not await fan_out(session, ctx.clock()):
                break
    while not ctx.stopping.is_set() and await deliver_due(ctx) == DELIVERY_BATCH:
        pass
