"""A unit's webhook subscriptions, the outbox events they receive, and their deliveries."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.config import Settings
from gaung.kit.crypto import encrypt
from gaung.kit.errors import Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.webhooks import core, send
from gaung.webhooks.models import WebhookDelivery, WebhookSubscription
from gaung.webhooks.schemas import (
    DeliveryList,
    DeliveryRead,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionRead,
    SubscriptionUpdate,
)

MANAGE = Perm.manage_unit
LOG_SIZE = 100


def envelope(event: str, unit_id: int, data: dict[str, Any], at: datetime) -> str:
    return json.dumps(
        {"event": event, "unit_id": unit_id, "created_at": at.isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


# --- subscriptions ----------------------------------------------------------------------------


async def _get(
    session: AsyncSession, principal: Principal, unit_id: int, sub_id: int
) -> WebhookSubscription:
    principal.require(unit_id, MANAGE)
    sub = await session.get(WebhookSubscription, sub_id)
    if sub is None or sub.unit_id != unit_id:
        raise NotFound(f"Webhook {sub_id} not found.", code="webhook_not_found")
    return sub


def _view(sub: WebhookSubscription) -> dict[str, Any]:
    return {
        "url": sub.url,
        "events": list(sub.events),
        "paused_at": sub.paused_at.isoformat() if sub.paused_at else None,
    }


async def create(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    unit_id: int,
    body: SubscriptionIn,
) -> SubscriptionCreated:
    principal.require(unit_id, MANAGE)
    url = str(body.url)
    try:
        await send.checked_address(url, settings)
    except send.Refused as exc:
        raise Invalid(
            f"Webhooks cannot go to this address: {exc}.", fields={"url": str(exc)}
        ) from None
    secret = "whsec_" + secrets.token_urlsafe(32)
    sub = WebhookSubscription(
        unit_id=unit_id,
        url=url,
        events=sorted({e.value for e in body.events}),
        secret=encrypt(secret, settings.encryption_keys),
        created_by_id=principal.user.id,
    )
    session.add(sub)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="webhook",
        object_id=sub.id,
        unit_id=unit_id,
        after=_view(sub),
    )
    read = SubscriptionRead.model_validate(sub)
    return SubscriptionCreated.model_validate({**read.model_dump(), "secret": secret})


async def list_subscriptions(
    session: AsyncSession, principal: Principal, unit_id: int
) -> SubscriptionList:
    principal.require(unit_id, MANAGE)
    rows = await session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.unit_id == unit_id)
        .order_by(WebhookSubscription.id)
    )
    return SubscriptionList(items=[SubscriptionRead.model_validate(r) for r in rows])


async def update(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    sub_id: int,
    body: SubscriptionUpdate,
) -> SubscriptionRead:
    sub = await _get(session, principal, unit_id, sub_id)
    before = _view(sub)
    if body.events is not None:
        sub.events = sorted({e.value for e in body.events})
    if body.paused is not None:
        sub.paused_at = (sub.paused_at or utcnow()) if body.paused else None
        if not body.paused:
            sub.failing_since = None  # a fresh start: the failing clock runs again
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="webhook",
        object_id=sub.id,
        unit_id=unit_id,
        before=before,
        after=_view(sub),
    )
    return SubscriptionRead.model_validate(sub)


async def delete(session: AsyncSession, principal: Principal, unit_id: int, sub_id: int) -> None:
    sub = await _get(session, principal, unit_id, sub_id)
    audit(
        session,
        principal,
        action="delete",
        object_type="webhook",
        object_id=sub.id,
        unit_id=unit_id,
        before=_view(sub),
    )
    await session.delete(sub)


async def deliveries(
    session: AsyncSession, principal: Principal, unit_id: int, sub_id: int
) -> DeliveryList:
    sub = await _get(session, principal, unit_id, sub_id)
    rows = await session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == sub.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(LOG_SIZE)
    )
    return DeliveryList(items=[DeliveryRead.model_validate(r) for r in rows])


async def send_test(
    session: AsyncSession, principal: Principal, unit_id: int, sub_id: int
) -> DeliveryRead:
    """Queue a ``ping`` delivery now; the worker sends it like any other (the request never
    waits on the receiver)."""
    sub = await _get(session, principal, unit_id, sub_id)
    now = utcnow()
    data = {"message": "A test event from Gaung.", "subscription_id": sub.id}
    delivery = WebhookDelivery(
        subscription_id=sub.id,
        event=core.TEST_EVENT,
        body=envelope(core.TEST_EVENT, unit_id, data, now),
        created_at=now,
        next_attempt_at=now,
    )
    session.add(delivery)
    await session.flush()
    return DeliveryRead.model_validate(delivery)
