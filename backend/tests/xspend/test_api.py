"""GET /units/{id}/x-spend and PUT /units/{id}/x-spend-cap."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gaung.audit.models import AuditEvent
from gaung.kit.time import utcnow
from gaung.platforms.protocol import Usage
from gaung.users.models import Role
from gaung.xspend.service import record_usage
from tests.conftest import World
from tests.helpers import error_of

OCT = datetime(2026, 10, 3, tzinfo=UTC)


async def test_this_months_spend_by_class(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    viewer = await world.user(unit, Role.viewer)
    now = utcnow()
    await record_usage(world.session, unit.id, Usage("1", "post_read", 40), at=now)
    await record_usage(world.session, unit.id, Usage("1", "post_create", 2), at=now)
    await record_usage(world.session, unit.id, Usage("1", "post_create_url", 5), at=OCT)
    res = await client.get(f"/api/v1/units/{unit.id}/x-spend", headers=world.headers(viewer))
    assert res.status_code == 200, res.text
    assert res.json() == {
        "unit_id": unit.id,
        "month": f"{now.year:04d}-{now.month:02d}",
        "estimated_usd": 0.23,
        "cap_usd": None,
        "reads_paused": False,
        "publishing_paused": False,
        "by_class": [
            {"price_class": "post_create", "calls": 2, "estimated_usd": 0.03},
            {"price_class": "post_read", "calls": 40, "estimated_usd": 0.2},
        ],
    }
    october = await client.get(
        f"/api/v1/units/{unit.id}/x-spend",
        params={"month": "2026-10"},
        headers=world.headers(viewer),
    )
    assert october.json()["estimated_usd"] == 1.0
    assert october.json()["by_class"] == [
        {"price_class": "post_create_url", "calls": 5, "estimated_usd": 1.0}
    ]


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-1", "26-01", "2026-00", "0000-01", "9999-12", "bulan ini"]
)
async def test_a_bad_month_is_refused(client: httpx.AsyncClient, world: World, month: str) -> None:
    unit = await world.unit()
    admin = await world.user(unit)
    res = await client.get(
        f"/api/v1/units/{unit.id}/x-spend", params={"month": month}, headers=world.headers(admin)
    )
    assert res.status_code == 422, res.text
    assert "month" in error_of(res)["fields"]


async def test_the_admin_sets_and_removes_the_cap(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit)
    await record_usage(world.session, unit.id, Usage("1", "post_create_url", 5), at=utcnow())
    path = f"/api/v1/units/{unit.id}/x-spend-cap"
    res = await client.put(path, json={"cap_usd": 1.2}, headers=world.headers(admin))
    assert res.status_code == 200, res.text
    body = res.json()
    # $1.00 of $1.20: past 80 %, reads pause; publishing goes on until the cap.
    assert (body["cap_usd"], body["estimated_usd"]) == (1.2, 1.0)
    assert (body["reads_paused"], body["publishing_paused"]) == (True, False)
    again = await client.get(f"/api/v1/units/{unit.id}/x-spend", headers=world.headers(admin))
    assert again.json()["cap_usd"] == 1.2
    lower = await client.put(path, json={"cap_usd": 1}, headers=world.headers(admin))
    assert (lower.json()["reads_paused"], lower.json()["publishing_paused"]) == (True, True)
    removed = await client.put(path, json={"cap_usd": None}, headers=world.headers(admin))
    assert removed.json()["cap_usd"] is None
    assert (removed.json()["reads_paused"], removed.json()["publishing_paused"]) == (False, False)
    events = await world.session.scalars(
        select(AuditEvent).where(AuditEvent.unit_id == unit.id).order_by(AuditEvent.id)
    )
    assert [(e.action, e.before, e.after) for e in events] == [
        ("update", {"x_spend_cap_usd": None}, {"x_spend_cap_usd": "1.20"}),
        ("update", {"x_spend_cap_usd": "1.20"}, {"x_spend_cap_usd": "1.00"}),
        ("update", {"x_spend_cap_usd": "1.00"}, {"x_spend_cap_usd": None}),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"cap_usd": -1},
        {"cap_usd": 1.234},
        {"cap_usd": "10"},
        {"cap_usd": True},
        {"cap_usd": 2_000_000},
        {},
        {"cap_usd": 5, "currency": "IDR"},
    ],
)
async def test_a_bad_cap_is_refused(
    client: httpx.AsyncClient, world: World, body: dict[str, Any]
) -> None:
    unit = await world.unit()
    admin = await world.user(unit)
    res = await client.put(
        f"/api/v1/units/{unit.id}/x-spend-cap", json=body, headers=world.headers(admin)
    )
    assert res.status_code == 422, res.text
    fields = error_of(res)["fields"]
    assert fields and all(name in ("cap_usd", "currency") for name in fields), fields


async def test_only_an_admin_sets_the_cap(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    editor = await world.user(unit, Role.editor)
    res = await client.put(
        f"/api/v1/units/{unit.id}/x-spend-cap", json={"cap_usd": 5}, headers=world.headers(editor)
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
