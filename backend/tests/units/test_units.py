"""Units and their members: who may create and change them, and the audit trail."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from gaung.units.models import DEFAULT_CHECKLIST, DEFAULT_SLOTS
from gaung.users.models import Membership, Role
from tests.conftest import World
from tests.helpers import audit_events, error_of

NEW_UNIT = {"name": "Biro Humas", "slug": "biro-humas", "timezone": "Asia/Makassar"}


async def test_list_shows_only_my_units(client: httpx.AsyncClient, world: World) -> None:
    mine = await world.unit("Zeta")
    other_mine = await world.unit("Alpha")
    await world.unit("Not mine")
    user = await world.user(mine, Role.viewer)
    world.session.add(Membership(user_id=user.id, unit_id=other_mine.id, role=Role.editor))
    await world.session.flush()
    res = await client.get("/api/v1/units", headers=world.headers(user))
    assert res.status_code == 200, res.text
    assert [u["name"] for u in res.json()["items"]] == ["Alpha", "Zeta"]


async def test_superuser_creates_a_unit(client: httpx.AsyncClient, world: World) -> None:
    root = await world.user(superuser=True)
    res = await client.post("/api/v1/units", json=NEW_UNIT, headers=world.headers(root))
    assert res.status_code == 201, res.text
    body = res.json()
    assert {k: body[k] for k in NEW_UNIT} == NEW_UNIT
    assert body["approval_required"] is True
    events = await audit_events(world.session, "unit", body["id"])
    assert [(e.action, e.actor_id, e.after) for e in events] == [
        (
            "create",
            root.id,
            {
                **NEW_UNIT,
                "approval_required": True,
                "four_eyes": True,
                "checklist": list(DEFAULT_CHECKLIST),
                "default_slots": list(DEFAULT_SLOTS),
                "require_alt_text": True,
            },
        )
    ]
    # The new unit is visible and administrable by the superuser straight away.
    got = await client.get(f"/api/v1/units/{body['id']}", headers=world.headers(root))
    assert got.status_code == 200 and got.json()["slug"] == "biro-humas"


async def test_unit_admin_cannot_create_units(client: httpx.AsyncClient, world: World) -> None:
    admin = await world.user(await world.unit(), Role.admin)
    res = await client.post("/api/v1/units", json=NEW_UNIT, headers=world.headers(admin))
    assert res.status_code == 403
    assert error_of(res)["error"] == "insufficient_role"
    assert await audit_events(world.session, "unit") == []


async def test_duplicate_slug_is_409(client: httpx.AsyncClient, world: World) -> None:
    existing = await world.unit()
    root = await world.user(superuser=True)
    res = await client.post(
        "/api/v1/units", json={**NEW_UNIT, "slug": existing.slug}, headers=world.headers(root)
    )
    assert res.status_code == 409
    body = error_of(res)
    assert body["error"] == "slug_taken" and "slug" in body["fields"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Biro Humas"}, "slug"),
        ({"slug": "biro--humas"}, "slug"),
        ({"slug": "-humas"}, "slug"),
        ({"slug": "x"}, "slug"),
        ({"timezone": "Asia/Bandung"}, "timezone"),
        ({"timezone": "WIB"}, "timezone"),
        ({"name": ""}, "name"),
    ],
)
async def test_create_rejects_bad_input(
    client: httpx.AsyncClient, world: World, change: dict[str, str], field: str
) -> None:
    root = await world.user(superuser=True)
    res = await client.post(
        "/api/v1/units", json={**NEW_UNIT, **change}, headers=world.headers(root)
    )
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == "validation_error" and list(body["fields"]) == [field]


async def test_admin_updates_the_unit(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit("Lama")
    admin = await world.user(unit, Role.admin)
    res = await client.patch(
        f"/api/v1/units/{unit.id}",
        json={"name": "Baru", "timezone": "Asia/Jayapura", "approval_required": False},
        headers=world.headers(admin),
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["name"], body["timezone"], body["approval_required"]) == (
        "Baru",
        "Asia/Jayapura",
        False,
    )
    assert body["slug"] == unit.slug  # not changeable
    [event] = await audit_events(world.session, "unit", unit.id)
    assert event.action == "update" and event.actor_id == admin.id
    assert event.before is not None and event.after is not None
    assert (event.before["name"], event.after["name"]) == ("Lama", "Baru")
    assert event.after["timezone"] == "Asia/Jayapura"


async def test_update_rejects_slug_and_bad_timezone(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    for body, field in (({"slug": "baru"}, "slug"), ({"timezone": "Mars/Olympus"}, "timezone")):
        res = await client.patch(
            f"/api/v1/units/{unit.id}", json=body, headers=world.headers(admin)
        )
        assert res.status_code == 422 and field in error_of(res)["fields"]


@pytest.mark.parametrize("role", [Role.editor, Role.contributor, Role.expert, Role.viewer])
async def test_only_admin_updates_the_unit(
    client: httpx.AsyncClient, world: World, role: Role
) -> None:
    unit = await world.unit("Tetap")
    user = await world.user(unit, role)
    res = await client.patch(
        f"/api/v1/units/{unit.id}", json={"name": "Diubah"}, headers=world.headers(user)
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    assert await audit_events(world.session, "unit", unit.id) == []


# --- members ---------------------------------------------------------------------------------


async def test_list_members(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    viewer = await world.user(unit, Role.viewer)
    await world.user(await world.unit(), Role.admin)  # elsewhere
    res = await client.get(f"/api/v1/units/{unit.id}/members", headers=world.headers(viewer))
    assert res.status_code == 200, res.text
    assert sorted((m["user_id"], m["email"], m["role"]) for m in res.json()["items"]) == sorted(
        [(admin.id, admin.email, "admin"), (viewer.id, viewer.email, "viewer")]
    )


async def test_add_member_twice_is_409(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    viewer = await world.user(unit, Role.viewer)
    res = await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={"email": viewer.email, "role": "editor"},
        headers=world.headers(admin),
    )
    assert res.status_code == 409
    body = error_of(res)
    assert body["error"] == "already_member" and "email" in body["fields"]


async def test_change_role(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    member = await world.user(unit, Role.viewer)
    res = await client.patch(
        f"/api/v1/units/{unit.id}/members/{member.id}",
        json={"role": "editor"},
        headers=world.headers(admin),
    )
    assert res.status_code == 200, res.text
    assert res.json()["role"] == "editor"
    role = await world.session.scalar(
        select(Membership.role).where(
            Membership.unit_id == unit.id, Membership.user_id == member.id
        )
    )
    assert role == Role.editor
    [event] = await audit_events(world.session, "membership", unit_id=unit.id)
    assert (event.action, event.before, event.after) == (
        "update",
        {"role": "viewer"},
        {"role": "editor"},
    )


async def test_remove_member(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    member = await world.user(unit, Role.editor)
    headers = world.headers(admin)
    res = await client.delete(f"/api/v1/units/{unit.id}/members/{member.id}", headers=headers)
    assert res.status_code == 204
    members = await client.get(f"/api/v1/units/{unit.id}/members", headers=headers)
    assert [m["user_id"] for m in members.json()["items"]] == [admin.id]
    [event] = await audit_events(world.session, "membership", unit_id=unit.id)
    assert (event.action, event.before) == ("delete", {"user_id": member.id, "role": "editor"})
    # The removed user no longer sees the unit.
    gone = await client.get(f"/api/v1/units/{unit.id}", headers=world.headers(member))
    assert gone.status_code == 404
    again = await client.delete(f"/api/v1/units/{unit.id}/members/{member.id}", headers=headers)
    assert again.status_code == 404 and error_of(again)["error"] == "member_not_found"


async def test_last_admin_cannot_be_demoted_or_removed(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    headers = world.headers(admin)
    url = f"/api/v1/units/{unit.id}/members/{admin.id}"
    demote = await client.patch(url, json={"role": "editor"}, headers=headers)
    assert demote.status_code == 409 and error_of(demote)["error"] == "last_admin"
    remove = await client.delete(url, headers=headers)
    assert remove.status_code == 409 and error_of(remove)["error"] == "last_admin"
    # Re-affirming the role is harmless.
    same = await client.patch(url, json={"role": "admin"}, headers=headers)
    assert same.status_code == 200
    # With a second admin, the first may step down.
    second = await world.user(unit, Role.admin)
    stepped = await client.patch(url, json={"role": "viewer"}, headers=headers)
    assert stepped.status_code == 200 and stepped.json()["role"] == "viewer"
    last = await client.delete(
        f"/api/v1/units/{unit.id}/members/{second.id}", headers=world.headers(second)
    )
    assert last.status_code == 409 and error_of(last)["error"] == "last_admin"


@pytest.mark.parametrize("role", [Role.editor, Role.contributor, Role.expert, Role.viewer])
async def test_only_admin_manages_members(
    client: httpx.AsyncClient, world: World, role: Role
) -> None:
    unit = await world.unit()
    await world.user(unit, Role.admin)
    user = await world.user(unit, role)
    victim = await world.user(unit, Role.viewer)
    headers = world.headers(user)
    base = f"/api/v1/units/{unit.id}/members"
    responses = [
        await client.post(
            base, json={"email": "x@example.go.id", "role": "admin"}, headers=headers
        ),
        await client.patch(f"{base}/{victim.id}", json={"role": "admin"}, headers=headers),
        await client.delete(f"{base}/{victim.id}", headers=headers),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert {error_of(r)["error"] for r in responses} == {"insufficient_role"}
    assert await audit_events(world.session, "membership") == []
