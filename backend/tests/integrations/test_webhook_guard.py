"""Webhooks never reach this host, loopback, private, link-local or metadata addresses (unless
GAUNG_WEBHOOK_ALLOW_PRIVATE), whether the address is given or a name resolves to it; a name
that changes its answer after the check is refused when the delivery is made."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.users.models import Role
from gaung.webhooks import core, jobs, outbox, send
from gaung.webhooks.core import Event
from gaung.webhooks.models import DeliveryStatus, WebhookDelivery
from gaung.worker.context import JobContext
from tests.conftest import World
from tests.helpers import error_of

REFUSED = [
    "http://127.0.0.1:8000/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.9/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00:ec2::254]/hook",
    "http://2130706433/hook",  # 127.0.0.1 written as one number
    "http://tidak-ada.invalid/hook",  # cannot be resolved
]


@pytest.mark.parametrize("url", REFUSED)
async def test_internal_targets_are_refused(
    client: httpx.AsyncClient, world: World, url: str
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    res = await client.post(
        f"/api/v1/units/{unit.id}/webhooks",
        json={"url": url, "events": ["post.published"]},
        headers=world.headers(admin),
    )
    assert res.status_code == 422, res.text
    assert set(error_of(res)["fields"]) == {"url"}


async def test_only_http_addresses(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    for url in ("ftp://example.com/x", "file:///etc/passwd", "gopher://example.com"):
        res = await client.post(
            f"/api/v1/units/{unit.id}/webhooks",
            json={"url": url, "events": ["post.published"]},
            headers=world.headers(admin),
        )
        assert res.status_code == 422 and "url" in error_of(res)["fields"], url


def test_every_address_of_a_name_is_checked_and_this_host_refused() -> None:
    assert core.first_blocked(["93.184.216.34"], []) is None
    assert core.first_blocked(["93.184.216.34", "10.0.0.1"], []) == ("10.0.0.1", "private network")
    assert core.first_blocked(["93.184.216.34"], ["93.184.216.34"]) == (
        "93.184.216.34",
        "this Gaung instance",
    )
    assert core.blocked_reason("169.254.169.254") == "link-local (cloud metadata)"
    assert core.blocked_reason("2606:4700:4700::1111") is None


async def test_this_instance_by_name_is_refused(tmp_path: object) -> None:
    settings = Settings(env="test", public_base_url="http://localhost:8000")
    with pytest.raises(send.Refused, match="this Gaung instance"):
        await send.checked_address("http://LOCALHOST:9/hook", settings)
    allowed = settings.model_copy(update={"webhook_allow_private": True})
    assert await send.checked_address("http://127.0.0.1:9/hook", allowed) == "127.0.0.1"


@pytest.fixture
async def ctx(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[JobContext]:
    async with httpx.AsyncClient() as http:
        yield JobContext(
            sessionmaker, settings, http, clock=lambda: datetime(2099, 1, 1, tzinfo=UTC)
        )


async def test_a_name_that_turns_private_after_the_check_is_refused_at_delivery(
    client: httpx.AsyncClient,
    world: World,
    ctx: JobContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    answers = {"penerima.example": ["93.184.216.34"]}

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise send.Refused(f"{host} cannot be resolved")
        return answers[host]

    monkeypatch.setattr(send, "_resolve", resolve)
    res = await client.post(
        f"/api/v1/units/{unit.id}/webhooks",
        json={"url": "http://penerima.example/hook", "events": ["post.published"]},
        headers=world.headers(admin),
    )
    assert res.status_code == 201, res.text
    answers["penerima.example"] = ["93.184.216.34", "127.0.0.1"]  # DNS rebinding
    outbox.emit(world.session, unit.id, Event.post_published, {"post_id": 1})
    await world.commit()
    await jobs.run(ctx)
    delivery = await world.session.scalar(select(WebhookDelivery))
    assert delivery is not None and delivery.status == DeliveryStatus.given_up
    assert delivery.last_error is not None and "127.0.0.1: loopback" in delivery.last_error
    assert delivery.last_status_code is None
