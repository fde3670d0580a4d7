"""A unit's publishing settings (checklist, default slots, alt text) and the permissions each
membership carries in /me."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gaung.auth.permissions import ROLE_PERMS, Perm
from gaung.users.models import Membership, Role
from tests.conftest import World
from tests.helpers import audit_events, error_of


async def test_an_admin_changes_the_publishing_settings(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.patch(
        f"/api/v1/units/{unit.id}",
        json={
            "checklist": ["Kredibel", "Sumber data jelas"],
            "default_slots": ["19:30", "07:00", "19:30"],
            "require_alt_text": False,
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["checklist"] == ["Kredibel", "Sumber data jelas"]
    assert body["default_slots"] == ["07:00", "19:30"]
    assert body["require_alt_text"] is False
    [event] = await audit_events(world.session, "unit", unit.id, action="update")
    assert event.before is not None and event.before["checklist"] == []
    assert event.after is not None and event.after["default_slots"] == ["07:00", "19:30"]
    # An empty checklist means none.
    res = await client.patch(
        f"/api/v1/units/{unit.id}", json={"checklist": []}, headers=world.headers(admin)
    )
    assert res.json()["checklist"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"default_slots": ["9:00"]}, "default_slots"),
        ({"default_slots": ["24:00"]}, "default_slots"),
        ({"default_slots": ["09:60"]}, "default_slots"),
        ({"default_slots": [f"{h:02d}:00" for h in range(13)]}, "default_slots"),
        ({"checklist": [f"Butir {i}" for i in range(13)]}, "checklist"),
        ({"checklist": ["x" * 81]}, "checklist"),
        ({"checklist": [""]}, "checklist"),
        ({"checklist": ["Kredibel", "kredibel"]}, "checklist"),
        ({"require_alt_text": "ya"}, "require_alt_text"),
    ],
)
async def test_bad_settings_name_the_field(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], field: str
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.patch(f"/api/v1/units/{unit.id}", json=body, headers=world.headers(admin))
    assert res.status_code == 422, res.text
    assert any(k.split(".")[0] == field for k in error_of(res)["fields"]), res.text


async def test_me_lists_each_memberships_permissions(
    client: httpx.AsyncClient, world: World
) -> None:
    writing, reading = await world.unit(), await world.unit()
    user = await world.user(writing, Role.contributor)
    world.session.add(Membership(user_id=user.id, unit_id=reading.id, role=Role.viewer))
    await world.session.flush()
    res = await client.get("/api/v1/me", headers=world.headers(user))
    perms = {m["unit"]["id"]: m["permissions"] for m in res.json()["memberships"]}
    assert perms == {writing.id: ["read", "write_posts"], reading.id: ["read"]}
    # An admin gets every permission, in the table's order.
    admin = await world.user(reading, Role.admin)
    res = await client.get("/api/v1/me", headers=world.headers(admin))
    [membership] = res.json()["memberships"]
    assert membership["permissions"] == [p.value for p in Perm]
    assert set(membership["permissions"]) == set(ROLE_PERMS[Role.admin])
