from __future__ import annotations

from datetime import timedelta

import httpx
import time_machine
from sqlalchemy import select

from gaung.audit.models import AuditEvent
from gaung.kit.time import utcnow
from tests.conftest import PASSWORD, World


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_login_returns_tokens_that_open_me(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit("PTPSW")
    user = await world.user(unit)
    res = await login(client, user.email.upper())  # email is not case-sensitive
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["memberships"] == [
        {
            "role": "admin",
            "unit": {
                "id": unit.id,
                "name": "PTPSW",
                "slug": unit.slug,
                "timezone": "Asia/Jakarta",
                "approval_required": True,
                "four_eyes": True,
                "checklist": [],
                "default_slots": ["09:00", "12:00", "19:00"],
                "require_alt_text": False,
                "created_at": me.json()["memberships"][0]["unit"]["created_at"],
            },
            "permissions": [
                "read",
                "write_posts",
                "manage_posts",
                "approve",
                "manage_accounts",
                "manage_unit",
            ],
        }
    ]


async def test_login_is_audited(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    assert (await login(client, user.email)).status_code == 200
    events = (
        await world.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id))
    ).all()
    assert [e.action for e in events] == ["login"]


async def test_wrong_password_and_unknown_email_look_the_same(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    wrong = await login(client, user.email, "not the password")
    unknown = await login(client, "nobody@example.go.id")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "error": "invalid_credentials",
            "detail": "Email or password is wrong.",
            "fields": {},
            "rules": {},
            "limits": {},
        }
    )


async def test_inactive_user_cannot_log_in(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    user.is_active = False
    await world.session.flush()
    assert (await login(client, user.email)).status_code == 401


async def test_me_without_or_with_bad_token(client: httpx.AsyncClient) -> None:
    none = await client.get("/api/v1/me")
    assert none.status_code == 401 and none.json()["error"] == "not_authenticated"
    bad = await client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_token"


async def test_access_token_expires(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    headers = world.headers(user)
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        res = await client.get("/api/v1/me", headers=headers)
    assert res.status_code == 401 and res.json()["error"] == "invalid_token"


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    first = (await login(client, user.email)).json()
    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    # The old token was used once: presenting it again, after the grace window for parallel
    # tabs, means it leaked.
    with time_machine.travel(utcnow() + timedelta(seconds=31)):
        reuse = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
    assert reuse.status_code == 401 and reuse.json()["error"] == "invalid_refresh_token"
    # ...and the whole session family is gone, including the newest token.
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert after.status_code == 401


async def test_refresh_token_expires(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    tokens = (await login(client, user.email)).json()
    with time_machine.travel(utcnow() + timedelta(days=31)):
        res = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
    assert res.status_code == 401


async def test_logout_revokes_refresh_token(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    tokens = (await login(client, user.email)).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    out = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers
    )
    assert out.status_code == 204
    res = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert res.status_code == 401


async def test_update_me_changes_locale(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    res = await client.patch("/api/v1/me", json={"locale": "en"}, headers=world.headers(user))
    assert res.status_code == 200 and res.json()["locale"] == "en"
    bad = await client.patch("/api/v1/me", json={"locale": "fr"}, headers=world.headers(user))
    assert bad.status_code == 422 and "locale" in bad.json()["fields"]
