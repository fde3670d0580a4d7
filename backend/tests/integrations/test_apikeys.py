"""API keys: made by unit admins and shown once; scopes, expiry, revocation on the next
request, the per-key limit, last use, the audit log naming the key, the OpenAPI scopes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from gaung.apikeys.models import ApiKey
from gaung.audit.models import AuditEvent
from gaung.kit.time import utcnow
from gaung.posts.models import Post
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import error_of


async def make_key(
    client: httpx.AsyncClient,
    world: World,
    admin: User,
    unit: Unit,
    scopes: list[str],
    **extra: Any,
) -> dict[str, Any]:
    res = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "Portal", "scopes": scopes, **extra},
        headers=world.headers(admin),
    )
    assert res.status_code == 201, res.text
    body: dict[str, Any] = res.json()
    return body


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def a_post(world: World, unit: Unit, author: User) -> Post:
    post = Post(unit_id=unit.id, title="Rapat koordinasi", author_id=author.id)
    post.variants = []
    world.session.add(post)
    await world.session.flush()
    return post


async def test_a_key_is_shown_once_and_stored_hashed(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    made = await make_key(client, world, admin, unit, ["posts:read", "calendar:read"])
    key = made["key"]
    assert key.startswith("gk_" + made["prefix"] + "_") and len(key) > 50
    listed = await client.get(f"/api/v1/units/{unit.id}/api-keys", headers=world.headers(admin))
    [item] = listed.json()["items"]
    assert "key" not in item and item["scopes"] == ["calendar:read", "posts:read"]
    row = await world.session.scalar(select(ApiKey).where(ApiKey.id == made["id"]))
    assert row is not None and key not in (row.secret_hash, row.prefix)


async def test_only_unit_admins_make_keys(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    editor = await world.user(unit, Role.editor)
    await world.commit()
    res = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "Portal", "scopes": ["posts:read"]},
        headers=world.headers(editor),
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    bad = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "Portal", "scopes": ["posts:write"]},
        headers=world.headers(await world.user(unit, Role.admin)),
    )
    assert bad.status_code == 422 and "scopes.0" in error_of(bad)["fields"]


async def test_scopes_decide_what_a_key_reaches(client: httpx.AsyncClient, world: World) -> None:
    unit, other = await world.unit(), await world.unit()
    admin = await world.user(unit, Role.admin)
    other_admin = await world.user(other, Role.admin)
    mine = await a_post(world, unit, admin)
    theirs = await a_post(world, other, other_admin)
    await world.commit()
    reader = (await make_key(client, world, admin, unit, ["posts:read"]))["key"]
    calendar = (await make_key(client, world, admin, unit, ["calendar:read"]))["key"]

    ok = await client.get(f"/api/v1/posts/{mine.id}", headers=bearer(reader))
    assert ok.status_code == 200, ok.text
    listed = await client.get("/api/v1/posts", headers={"X-API-Key": reader})
    assert [p["id"] for p in listed.json()["items"]] == [mine.id]
    # Another unit's post is as unknown as a missing one.
    other_post = await client.get(f"/api/v1/posts/{theirs.id}", headers=bearer(reader))
    assert other_post.status_code == 404

    no_scope = await client.get(f"/api/v1/posts/{mine.id}", headers=bearer(calendar))
    assert no_scope.status_code == 403 and error_of(no_scope)["error"] == "insufficient_scope"
    # Operations that declare no scope never take a key, whatever its scopes.
    for method, path in (("GET", "/api/v1/units"), ("PATCH", f"/api/v1/posts/{mine.id}")):
        res = await client.request(
            method, path, json={} if method == "PATCH" else None, headers=bearer(reader)
        )
        assert res.status_code == 403, (path, res.text)
        assert error_of(res)["error"] == "api_key_not_accepted"
    made_by_key = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "x", "scopes": ["posts:read"]},
        headers=bearer(reader),
    )
    assert made_by_key.status_code == 403


async def test_wrong_revoked_and_expired_keys_are_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    post = await a_post(world, unit, admin)
    await world.commit()
    made = await make_key(client, world, admin, unit, ["posts:read"])
    path = f"/api/v1/posts/{post.id}"
    assert (await client.get(path, headers=bearer(made["key"]))).status_code == 200
    for wrong in (made["key"][:-2] + "xx", "gk_nonsense", "gk_" + "0" * 12 + "_abc"):
        res = await client.get(path, headers=bearer(wrong))
        assert res.status_code == 401 and error_of(res)["error"] == "invalid_api_key"

    revoked = await client.post(
        f"/api/v1/units/{unit.id}/api-keys/{made['id']}/revoke", headers=world.headers(admin)
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    res = await client.get(path, headers=bearer(made["key"]))
    assert res.status_code == 401 and "revoked" in error_of(res)["detail"]

    soon = await make_key(
        client,
        world,
        admin,
        unit,
        ["posts:read"],
        expires_at=(utcnow() + timedelta(days=1)).isoformat(),
    )
    assert (await client.get(path, headers=bearer(soon["key"]))).status_code == 200
    row = await world.session.get(ApiKey, soon["id"])
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    await world.commit()
    res = await client.get(path, headers=bearer(soon["key"]))
    assert res.status_code == 401 and "expired" in error_of(res)["detail"]
    past = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "x", "scopes": ["posts:read"], "expires_at": "2020-01-01T00:00:00Z"},
        headers=world.headers(admin),
    )
    assert past.status_code == 422 and set(error_of(past)["fields"]) == {"expires_at"}


async def test_a_key_past_its_rate_waits_and_its_last_use_is_kept(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    post = await a_post(world, unit, admin)
    await world.commit()
    made = await make_key(client, world, admin, unit, ["posts:read"], rate_per_minute=2)
    path = f"/api/v1/posts/{post.id}"
    for _ in range(2):
        assert (await client.get(path, headers=bearer(made["key"]))).status_code == 200
    res = await client.get(path, headers=bearer(made["key"]))
    assert res.status_code == 429 and error_of(res)["error"] == "rate_limited"
    assert 1 <= int(res.headers["Retry-After"]) <= 60
    listed = await client.get(f"/api/v1/units/{unit.id}/api-keys", headers=world.headers(admin))
    [item] = listed.json()["items"]
    assert item["last_used_at"] is not None and item["last_used_ip"] == "127.0.0.1"
    # A new minute starts a new count.
    row = await world.session.get(ApiKey, made["id"])
    assert row is not None and row.window_start is not None
    row.window_start -= timedelta(minutes=1)
    await world.commit()
    assert (await client.get(path, headers=bearer(made["key"]))).status_code == 200


async def test_what_a_key_does_is_audited_as_the_key(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.commit()
    made = await make_key(client, world, admin, unit, ["submissions:write"])
    res = await client.post(
        "/api/v1/submissions",
        json={
            "unit_id": unit.id,
            "title": "Vaksinasi massal",
            "activity_date": "2026-12-01",
            "place": "Balai Kota",
            "description": "Sebanyak 1.200 warga divaksin.",
            "contact_name": "Sari",
        },
        headers={"X-API-Key": made["key"]},
    )
    assert res.status_code == 201, res.text
    assert res.json()["api_key_id"] == made["id"]
    event = await world.session.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "submission")
    )
    assert event is not None
    assert (event.api_key_id, event.actor_id, event.unit_id) == (made["id"], None, unit.id)
    assert event.ip == "127.0.0.1"


async def test_the_api_document_declares_the_schemes_and_scopes(
    client: httpx.AsyncClient,
) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A unit's API key, in its own header.",
    }
    assert schemes["ApiKeyBearer"]["scheme"] == "bearer"

    def scopes(path: str, method: str) -> set[str]:
        found = doc["paths"][path][method]["security"]
        return {s for req in found for values in req.values() for s in values}

    assert scopes("/api/v1/posts/{post_id}", "get") == {"posts:read"}
    assert scopes("/api/v1/posts", "get") == {"posts:read"}
    assert scopes("/api/v1/submissions", "post") == {"submissions:write"}
    assert scopes("/api/v1/units/{unit_id}/calendar.ics", "get") == {"calendar:read"}
    assert scopes("/api/v1/calendar", "get") == {"calendar:read"}
    # A key is no use elsewhere, and the document says so.
    assert scopes("/api/v1/posts/{post_id}", "patch") == set()
