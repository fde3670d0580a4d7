"""Platform accounts: listing with filters, sandbox accounts, renaming, disabling."""

from __future__ import annotations

import httpx
import pytest

from gaung.accounts.models import AccountStatus, Platform
from gaung.users.models import Membership, Role
from tests.conftest import World
from tests.helpers import audit_events, error_of

SECRET_TOKEN = "EAAB-very-secret-access-token"
SECRET_REFRESH = "very-secret-refresh-token"


async def test_list_with_filters(client: httpx.AsyncClient, world: World) -> None:
    a = await world.unit()
    b = await world.unit()
    user = await world.user(a, Role.viewer)
    world.session.add(Membership(user_id=user.id, unit_id=b.id, role=Role.viewer))
    x_a = await world.account(a, Platform.x)
    ig_a = await world.account(a, Platform.instagram)
    fb_b = await world.account(b, Platform.facebook)
    fb_b.status = AccountStatus.disabled
    await world.account(await world.unit(), Platform.x)  # not mine
    await world.session.flush()
    headers = world.headers(user)

    async def ids(**params: str | int) -> list[int]:
        res = await client.get("/api/v1/accounts", params=params, headers=headers)
        assert res.status_code == 200, res.text
        return [a["id"] for a in res.json()["items"]]

    assert sorted(await ids()) == sorted([x_a.id, ig_a.id, fb_b.id])
    assert sorted(await ids(unit_id=a.id)) == sorted([x_a.id, ig_a.id])
    assert await ids(unit_id=b.id) == [fb_b.id]
    assert await ids(platform="instagram") == [ig_a.id]
    assert await ids(status="disabled") == [fb_b.id]
    assert sorted(await ids(status="active")) == sorted([x_a.id, ig_a.id])
    assert await ids(unit_id=a.id, platform="facebook") == []
    bad = await client.get("/api/v1/accounts", params={"platform": "tiktok"}, headers=headers)
    assert bad.status_code == 422 and "platform" in error_of(bad)["fields"]


async def test_admin_creates_a_sandbox_account(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.post(
        "/api/v1/accounts",
        json={
            "unit_id": unit.id,
            "platform": "instagram",
            "handle": "@humas_demo",
            "display_name": "Humas (latihan)",
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["sandbox"] is True and body["status"] == "active"
    assert (body["unit_id"], body["platform"], body["handle"]) == (
        unit.id,
        "instagram",
        "@humas_demo",
    )
    assert body["external_id"].startswith("sandbox-")
    [event] = await audit_events(world.session, "account", body["id"])
    assert (event.action, event.actor_id, event.unit_id) == ("create", admin.id, unit.id)
    assert event.after is not None and event.after["handle"] == "@humas_demo"


@pytest.mark.parametrize("role", [Role.editor, Role.contributor, Role.expert, Role.viewer])
async def test_only_admin_creates_accounts(
    client: httpx.AsyncClient, world: World, role: Role
) -> None:
    unit = await world.unit()
    user = await world.user(unit, role)
    res = await client.post(
        "/api/v1/accounts",
        json={"unit_id": unit.id, "platform": "x", "handle": "@a", "display_name": "A"},
        headers=world.headers(user),
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    assert await audit_events(world.session, "account") == []


async def test_create_validates_input(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.post(
        "/api/v1/accounts",
        json={"unit_id": unit.id, "platform": "myspace", "handle": "", "display_name": "A"},
        headers=world.headers(admin),
    )
    assert res.status_code == 422
    assert set(error_of(res)["fields"]) == {"platform", "handle"}


async def test_update_renames(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit, Platform.facebook, handle="@lama")
    res = await client.patch(
        f"/api/v1/accounts/{account.id}",
        json={"handle": "@baru", "display_name": "Nama Baru"},
        headers=world.headers(admin),
    )
    assert res.status_code == 200, res.text
    assert (res.json()["handle"], res.json()["display_name"]) == ("@baru", "Nama Baru")
    [event] = await audit_events(world.session, "account", account.id)
    assert event.action == "update"
    assert event.before is not None and event.after is not None
    assert (event.before["handle"], event.after["handle"]) == ("@lama", "@baru")
    # Platform and unit are not changeable.
    bad = await client.patch(
        f"/api/v1/accounts/{account.id}", json={"platform": "x"}, headers=world.headers(admin)
    )
    assert bad.status_code == 422 and "platform" in error_of(bad)["fields"]


async def test_editor_cannot_update(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    editor = await world.user(unit, Role.editor)
    account = await world.account(unit)
    res = await client.patch(
        f"/api/v1/accounts/{account.id}", json={"handle": "@x"}, headers=world.headers(editor)
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"


async def test_disable_and_enable(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit)
    headers = world.headers(admin)
    url = f"/api/v1/accounts/{account.id}"
    off = await client.post(f"{url}/disable", headers=headers)
    assert off.status_code == 200 and off.json()["status"] == "disabled"
    twice = await client.post(f"{url}/disable", headers=headers)
    assert twice.status_code == 409 and error_of(twice)["error"] == "account_disabled"
    on = await client.post(f"{url}/enable", headers=headers)
    assert on.status_code == 200 and on.json()["status"] == "active"
    events = await audit_events(world.session, "account", account.id)
    assert [e.action for e in events] == ["disable", "enable"]
    assert events[0].before is not None and events[0].after is not None
    assert (events[0].before["status"], events[0].after["status"]) == ("active", "disabled")


async def test_enable_real_account_without_tokens_needs_reauth(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit)
    account.sandbox = False
    account.status = AccountStatus.disabled
    await world.session.flush()
    res = await client.post(f"/api/v1/accounts/{account.id}/enable", headers=world.headers(admin))
    assert res.status_code == 200 and res.json()["status"] == "needs_reauth"


async def test_tokens_never_appear_in_responses(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit)
    account.access_token_enc = SECRET_TOKEN
    account.refresh_token_enc = SECRET_REFRESH
    await world.session.flush()
    headers = world.headers(admin)
    url = f"/api/v1/accounts/{account.id}"
    responses = [
        await client.get("/api/v1/accounts", headers=headers),
        await client.get(url, headers=headers),
        await client.patch(url, json={"display_name": "Baru"}, headers=headers),
        await client.post(f"{url}/disable", headers=headers),
        await client.post(f"{url}/enable", headers=headers),
    ]
    for res in responses:
        assert res.status_code == 200, res.text
        assert SECRET_TOKEN not in res.text and SECRET_REFRESH not in res.text
        assert "token_enc" not in res.text and "access_token" not in res.text
    for event in await audit_events(world.session, "account", account.id):
        assert SECRET_TOKEN not in str(event.before) + str(event.after)
