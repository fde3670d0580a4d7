"""Sessions: logout ends access at once, tokens never match another user, refresh is safe when
tabs race, and the web app's refresh token lives in an HttpOnly cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
import time_machine
from sqlalchemy import select

from gaung.auth.models import AuthSession, RefreshToken
from gaung.auth.tokens import ALGORITHM, create_access_token, new_session_id
from gaung.kit.time import utcnow
from gaung.users.models import User
from tests.conftest import PASSWORD, World, password_hash
from tests.helpers import error_of

REFRESH = "/api/v1/auth/refresh"


async def login(client: httpx.AsyncClient, email: str, **extra: Any) -> httpx.Response:
    res = await client.post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD, **extra}
    )
    assert res.status_code == 200, res.text
    return res


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def me_status(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/v1/me", headers=bearer(token))).status_code


async def test_logout_ends_the_access_token_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    tokens = (await login(client, user.email)).json()
    other = (await login(client, user.email)).json()  # another device
    assert await me_status(client, tokens["access_token"]) == 200
    # No body needed: the access token names the session.
    out = await client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert out.status_code == 204
    res = await client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert res.status_code == 401 and error_of(res)["error"] == "invalid_token"
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    assert error_of(refreshed)["error"] == "invalid_refresh_token"
    # The other device's session goes on.
    assert await me_status(client, other["access_token"]) == 200


async def test_logout_with_a_refresh_token_ends_its_session_too(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    a = (await login(client, user.email)).json()
    b = (await login(client, user.email)).json()
    out = await client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": b["refresh_token"]},
        headers=bearer(a["access_token"]),
    )
    assert out.status_code == 204
    assert await me_status(client, a["access_token"]) == 401
    assert await me_status(client, b["access_token"]) == 401


async def test_someone_elses_refresh_token_in_logout_is_ignored(
    client: httpx.AsyncClient, world: World
) -> None:
    mine, theirs = await world.user(), await world.user()
    a = (await login(client, mine.email)).json()
    b = (await login(client, theirs.email)).json()
    out = await client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": b["refresh_token"]},
        headers=bearer(a["access_token"]),
    )
    assert out.status_code == 204
    assert await me_status(client, b["access_token"]) == 200


def forged(settings: Any, **claims: Any) -> str:
    payload = {
        "sub": "1",
        "sid": new_session_id(),
        "typ": "access",
        "exp": utcnow() + timedelta(minutes=5),
        **claims,
    }
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)


@pytest.mark.parametrize(
    "sub",
    ["99999999999999999999999999", "2147483648", "0", "-1", "1e3", " 1", "01", 7, None, ""],
)
async def test_a_subject_that_cannot_be_a_user_is_401(
    client: httpx.AsyncClient, world: World, sub: Any
) -> None:
    res = await client.get("/api/v1/me", headers=bearer(forged(world.settings, sub=sub)))
    assert res.status_code == 401 and error_of(res)["error"] == "invalid_token"


async def test_a_token_without_a_live_session_is_401(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    for claims in (
        {"sub": str(user.id)},  # a session that never existed
        {"sub": str(user.id), "sid": "x" * 32},  # not a session id at all
        {"sub": str(user.id), "sid": None},
    ):
        res = await client.get("/api/v1/me", headers=bearer(forged(world.settings, **claims)))
        assert res.status_code == 401, claims
    # Someone else's session with my id does not open my account either.
    other = await world.user()
    sid = await world.login_session(other)
    token = create_access_token(user.id, sid, world.settings)
    assert await me_status(client, token) == 401


async def test_a_deleted_users_token_never_matches_a_new_user_with_the_same_id(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    token = (await login(client, user.email)).json()["access_token"]
    user_id = user.id
    await world.session.delete(user)
    await world.session.flush()
    # SQLite may hand the id out again; force it on PostgreSQL too.
    world.session.add(
        User(id=user_id, email="new@example.go.id", name="New", password_hash=password_hash())
    )
    await world.session.flush()
    assert await me_status(client, token) == 401


async def test_refresh_of_a_deactivated_user_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    tokens = (await login(client, user.email)).json()
    user.is_active = False
    await world.session.flush()
    res = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert res.status_code == 401


async def test_the_same_refresh_token_twice_within_the_grace_window(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    first = (await login(client, user.email)).json()
    a = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    with time_machine.travel(utcnow() + timedelta(seconds=20)):
        b = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        assert a.status_code == b.status_code == 200, b.text
        # Each caller gets its own new refresh token; no token is handed out twice.
        tokens = {first["refresh_token"], a.json()["refresh_token"], b.json()["refresh_token"]}
        assert len(tokens) == 3
        for res in (a, b):
            assert await me_status(client, res.json()["access_token"]) == 200
            again = await client.post(REFRESH, json={"refresh_token": res.json()["refresh_token"]})
            assert again.status_code == 200


async def test_reuse_after_the_grace_window_ends_the_session(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    first = (await login(client, user.email)).json()
    new = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    with time_machine.travel(utcnow() + timedelta(seconds=31)):
        reuse = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        assert reuse.status_code == 401
        # The access tokens of the session stop too, not only its refresh tokens.
        assert await me_status(client, new["access_token"]) == 401
    after = await client.post(REFRESH, json={"refresh_token": new["refresh_token"]})
    assert after.status_code == 401


async def test_refresh_keeps_the_session_and_touches_it(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    first = (await login(client, user.email)).json()
    later = utcnow() + timedelta(minutes=10)
    with time_machine.travel(later):
        new = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    sid = jwt.decode(new["access_token"], options={"verify_signature": False})["sid"]
    first_sid = jwt.decode(first["access_token"], options={"verify_signature": False})["sid"]
    assert sid == first_sid
    row = await world.session.get(AuthSession, sid, populate_existing=True)
    assert row is not None and row.last_seen_at >= later
    families = (
        await world.session.scalars(
            select(RefreshToken.family).where(RefreshToken.user_id == user.id)
        )
    ).all()
    assert set(families) == {sid}


# The web app's mode: the refresh token never reaches JavaScript.


def refresh_cookie(res: httpx.Response) -> tuple[str, list[str]]:
    headers = res.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    name_value, *attributes = [part.strip() for part in headers[0].split(";")]
    name, _, value = name_value.partition("=")
    assert name == "gaung_refresh"
    return value, attributes


async def test_cookie_login_sets_an_httponly_cookie_and_no_body_token(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    res = await login(client, user.email, session="cookie")
    body = res.json()
    assert "refresh_token" not in body and body["access_token"]
    value, attributes = refresh_cookie(res)
    assert len(value) >= 40
    assert sorted(attributes) == sorted(
        [
            "HttpOnly",
            f"Max-Age={30 * 24 * 3600}",
            "Path=/api/v1/auth/refresh",
            "SameSite=strict",
            "Secure",
        ]
    )
    # The body mode (API clients) sets no cookie.
    plain = await login(client, user.email)
    assert "set-cookie" not in plain.headers and plain.json()["refresh_token"]


async def test_refresh_with_the_cookie_answers_with_a_new_cookie(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    value, _ = refresh_cookie(await login(client, user.email, session="cookie"))
    res = await client.post(REFRESH, headers={"Cookie": f"gaung_refresh={value}"})
    assert res.status_code == 200, res.text
    assert "refresh_token" not in res.json()
    new_value, attributes = refresh_cookie(res)
    assert new_value != value and "HttpOnly" in attributes
    assert await me_status(client, res.json()["access_token"]) == 200
    # A body token wins over a cookie and is answered in the body (API clients, unchanged).
    api = (await login(client, user.email)).json()
    both = await client.post(
        REFRESH,
        json={"refresh_token": api["refresh_token"]},
        headers={"Cookie": f"gaung_refresh={new_value}"},
    )
    assert both.status_code == 200 and both.json()["refresh_token"]
    assert "set-cookie" not in both.headers


async def test_refresh_without_any_token_is_401(client: httpx.AsyncClient) -> None:
    res = await client.post(REFRESH)
    assert res.status_code == 401 and error_of(res)["error"] == "invalid_refresh_token"
    bad = await client.post(REFRESH, headers={"Cookie": "gaung_refresh=nonsense-token"})
    assert bad.status_code == 401 and error_of(bad)["error"] == "invalid_refresh_token"


async def test_logout_clears_the_cookie(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    res = await login(client, user.email, session="cookie")
    value, _ = refresh_cookie(res)
    out = await client.post("/api/v1/auth/logout", headers=bearer(res.json()["access_token"]))
    assert out.status_code == 204
    cleared, attributes = refresh_cookie(out)
    assert cleared in ("", '""')
    assert "Max-Age=0" in attributes and "Path=/api/v1/auth/refresh" in attributes
    again = await client.post(REFRESH, headers={"Cookie": f"gaung_refresh={value}"})
    assert again.status_code == 401


async def test_login_session_option_is_checked(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    res = await client.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": PASSWORD, "session": "localStorage"},
    )
    assert res.status_code == 422 and "session" in error_of(res)["fields"]
