from __future__ import annotations

from fastapi import APIRouter, Response

from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.webhooks import service
from gaung.webhooks.schemas import (
    DeliveryList,
    DeliveryRead,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionRead,
    SubscriptionUpdate,
)

router = APIRouter(tags=["webhooks"], responses=ERROR_RESPONSES)

SIGNED = (
    "Each delivery is a POST of JSON `{event, unit_id, created_at, data}` with headers "
    "`X-Gaung-Timestamp` (Unix seconds) and `X-Gaung-Signature: sha256=<hex>`, the HMAC-SHA256 "
    "of `<timestamp>.<body>` under the subscription's secret. A non-2xx answer is retried with "
    "growing waits for GAUNG_WEBHOOK_GIVE_UP_HOURS; loopback, private and link-local addresses "
    "are refused unless GAUNG_WEBHOOK_ALLOW_PRIVATE is set."
)


@router.post(
    "/units/{unit_id}/webhooks",
    response_model=SubscriptionCreated,
    status_code=201,
    summary="Subscribe an address to the unit's events (unit admin); the secret is shown once",
    description=SIGNED,
)
async def create_webhook(
    unit_id: IdPath,
    body: SubscriptionIn,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> SubscriptionCreated:
    return await service.create(session, principal, settings, unit_id, body)


@router.get(
    "/units/{unit_id}/webhooks",
    response_model=SubscriptionList,
    summary="The unit's webhook subscriptions (unit admin)",
)
async def list_webhooks(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> SubscriptionList:
    return await service.list_subscriptions(session, principal, unit_id)


@router.patch(
    "/units/{unit_id}/webhooks/{webhook_id}",
    response_model=SubscriptionRead,
    summary="Change a subscription's events, or pause or resume it (unit admin)",
)
async def update_webhook(
    unit_id: IdPath,
    webhook_id: IdPath,
    body: SubscriptionUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> SubscriptionRead:
    return await service.update(session, principal, unit_id, webhook_id, body)


@router.delete(
    "/units/{unit_id}/webhooks/{webhook_id}",
    status_code=204,
    summary="Delete a subscription and its delivery log (unit admin)",
)
async def delete_webhook(
    unit_id: IdPath, webhook_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.delete(session, principal, unit_id, webhook_id)
    return Response(status_code=204)


@router.get(
    "/units/{unit_id}/webhooks/{webhook_id}/deliveries",
    response_model=DeliveryList,
    summary="The latest deliveries: status code, duration, attempts (unit admin)",
)
async def list_deliveries(
    unit_id: IdPath, webhook_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> DeliveryList:
    return await service.deliveries(session, principal, unit_id, webhook_id)


@router.post(
    "/units/{unit_id}/webhooks/{webhook_id}/test",
    response_model=DeliveryRead,
    status_code=202,
    summary="Send a test event (`ping`); the worker sends it within seconds (unit admin)",
)
async def send_test(
    unit_id: IdPath, webhook_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> DeliveryRead:
    return await service.send_test(session, principal, unit_id, webhook_id)
