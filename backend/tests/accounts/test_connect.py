"""Connecting accounts through the networks' logins, driven by a plain HTTP client: start →
the authorize URL → the callback with code and state → the result. The networks answer with
their documented shapes (respx), and the requests Gaung sends are checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung.accounts.models import AccountConnection, AccountStatus, Platform, PlatformAccount
from gaung.accounts.tokens import access_token, refresh_token, store_tokens
from gaung.config import Settings
from gaung.kit.time import utcnow
from gaung.main import create_app
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.accounts.connect_helpers import (
    BASE,
    GRAPH,
    META_APP_ID,
    META_APP_SECRET,
    X_API,
    X_CLIENT_ID,
    callback,
    configured,
    form,
    pages,
    query,
    s256,
    x_me,
    x_token,
)
from tests.conftest import World
from tests.helpers import audit_events, error_of


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return configured(tmp_path)


@pytest.fixture
def net() -> Iterator[respx.MockRouter]:
    # Only the networks are mocked; the test client talks to the app in-process.
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


async def admin_of(world: World) -> tuple[Unit, User, dict[str, str]]:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    return unit, admin, world.headers(admin)


async def start(
    client: httpx.AsyncClient, headers: dict[str, str], unit: Unit, platform: str, **extra: int
) -> dict[str, str]:
    res = await client.post(
        "/api/v1/accounts/connect",
        json={"unit_id": unit.id, "platform": platform, **extra},
        headers=headers,
    )
    assert res.status_code == 201, res.text
    body: dict[str, str] = res.json()
    return body


async def result(
    client: httpx.AsyncClient, headers: dict[str, str], conn_id: str
) -> dict[str, object]:
    res = await client.get(f"/api/v1/accounts/connect/{conn_id}", headers=headers)
    assert res.status_code == 200, res.text
    body: dict[str, object] = res.json()
    return body


def mock_x(net: respx.MockRouter, me: object = None) -> tuple[respx.Route, respx.Route]:
    token = net.post(f"{X_API}/2/oauth2/token").mock(
        return_value=httpx.Response(200, json=x_token())
    )
    users_me = net.get(f"{X_API}/2/users/me").mock(
        return_value=httpx.Response(200, json=me or x_me())
    )
    return token, users_me


# --- X ---------------------------------------------------------------------------------------


async def test_x_connect_flow_from_start_to_result(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter, session: AsyncSession
) -> None:
    unit, admin, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")

    # The authorize URL is X's consent page with everything X documents (A2).
    url = started["authorize_url"]
    assert url.startswith("https://x.com/i/oauth2/authorize?")
    params = query(url)
    assert params["response_type"] == "code"
    assert params["client_id"] == X_CLIENT_ID
    assert params["redirect_uri"] == f"{BASE}/api/v1/accounts/connect/callback/x"
    assert params["scope"] == "tweet.read tweet.write users.read media.write offline.access"
    assert params["code_challenge_method"] == "S256"
    assert params["state"].startswith(f"{started['id']}.")
    assert "%20" in url  # scopes joined as X documents
    pending = await result(client, headers, started["id"])
    assert pending["status"] == "pending" and pending["error"] is None

    token, users_me = mock_x(net)
    back = await callback(client, url, code="kode-30-detik", state=params["state"])
    assert back.status_code == 303, back.text
    assert back.headers["location"] == f"{BASE}/accounts?connect={started['id']}"

    # The code went to X at once, with the PKCE verifier whose challenge X was shown.
    sent = form(token.calls.last.request)
    assert sent["grant_type"] == "authorization_code"
    assert sent["code"] == "kode-30-detik"
    assert sent["redirect_uri"] == params["redirect_uri"]
    assert s256(sent["code_verifier"]) == params["code_challenge"]
    assert "client_id" not in sent  # a confidential app authenticates with Basic
    assert token.calls.last.request.headers["authorization"].startswith("Basic ")
    assert users_me.calls.last.request.headers["authorization"] == "Bearer akses-1"

    done = await result(client, headers, started["id"])
    assert done["status"] == "done" and done["error"] is None and done["choices"] == []
    [account] = done["accounts"]
    assert account["platform"] == "x" and account["external_id"] == "2244994945"
    assert account["handle"] == "PTPSW_BPPT" and account["display_name"] == "Pusat Teknologi"
    assert account["avatar_url"] == "https://pbs.twimg.com/profile_images/1/a_normal.jpg"
    assert account["connected"] is True and account["status"] == "active"
    assert account["sandbox"] is False and account["token_expires_at"] is not None

    row = await session.get(PlatformAccount, account["id"])
    assert row is not None
    assert access_token(row, world.settings) == "akses-1"
    assert refresh_token(row, world.settings) == "segar-1"
    assert row.access_token_enc is not None and "akses-1" not in row.access_token_enc
    conn = await session.get(AccountConnection, started["id"])
    assert conn is not None and conn.secret_enc is None  # the verifier is forgotten
    [event] = await audit_events(session, "account", account["id"])
    assert (event.action, event.actor_id) == ("connect", admin.id)


async def test_the_state_is_single_use(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    state = query(started["authorize_url"])["state"]
    token, _ = mock_x(net)
    first = await callback(client, started["authorize_url"], code="k", state=state)
    assert first.status_code == 303
    again = await callback(client, started["authorize_url"], code="k", state=state)
    assert again.status_code == 409
    assert error_of(again)["error"] == "connect_state_used"
    assert token.call_count == 1  # the code was exchanged once
    assert (await result(client, headers, started["id"]))["status"] == "done"


@pytest.mark.parametrize(
    "tamper",
    [
        "wrong secret",
        "unknown id",
        "no state",
        "no secret",
        "not a token",
        "other network's callback",
    ],
)
async def test_a_state_that_does_not_match_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter, tamper: str
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    state = query(started["authorize_url"])["state"]
    conn_id, _, secret = state.partition(".")
    path = "/api/v1/accounts/connect/callback/x"
    params = {"code": "k"}
    if tamper == "wrong secret":
        params["state"] = f"{conn_id}.{secret[:-2]}xx"
    elif tamper == "unknown id":
        params["state"] = f"tidak-ada.{secret}"
    elif tamper == "no secret":
        params["state"] = conn_id
    elif tamper == "not a token":
        params["state"] = f"{conn_id}\x00.{secret}"
    elif tamper == "other network's callback":
        params["state"] = state
        path = "/api/v1/accounts/connect/callback/facebook"
    token, _ = mock_x(net)
    res = await client.get(path, params=params)
    assert res.status_code == 400, res.text
    assert error_of(res)["error"] == "connect_state_invalid"
    assert token.call_count == 0
    # The real callback still works afterwards.
    assert (await result(client, headers, started["id"]))["status"] == "pending"
    ok = await callback(client, started["authorize_url"], code="k", state=state)
    assert ok.status_code == 303
    assert (await result(client, headers, started["id"]))["status"] == "done"


async def test_an_expired_connection_fails_clearly_without_calling_the_network(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter, session: AsyncSession
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    later = await start(client, headers, unit, "x")
    for conn_id in (started["id"], later["id"]):
        conn = await session.get(AccountConnection, conn_id)
        assert conn is not None
        conn.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()

    # Read before any callback: shown as failed, expired.
    waiting = await result(client, headers, later["id"])
    assert waiting["status"] == "failed"
    assert waiting["error"]["code"] == "expired"

    token, _ = mock_x(net)
    state = query(started["authorize_url"])["state"]
    back = await callback(client, started["authorize_url"], code="k", state=state)
    assert back.status_code == 303
    failed = await result(client, headers, started["id"])
    assert failed["status"] == "failed" and failed["accounts"] == []
    assert failed["error"] == {
        "code": "expired",
        "message": "The connection was not finished within 10 minutes; start again.",
    }
    assert token.call_count == 0


async def test_access_denied_on_the_network_is_a_clear_failure(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    state = query(started["authorize_url"])["state"]
    token, _ = mock_x(net)
    back = await callback(
        client,
        started["authorize_url"],
        error="access_denied",
        error_description="The user denied your request",
        state=state,
    )
    assert back.status_code == 303
    failed = await result(client, headers, started["id"])
    assert failed["status"] == "failed"
    assert failed["error"] == {
        "code": "denied",
        "message": "Access was not granted on X; nothing was connected.",
    }
    assert token.call_count == 0


async def test_another_error_from_the_network_is_shown_in_its_words(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "facebook")
    state = query(started["authorize_url"])["state"]
    back = await callback(
        client,
        started["authorize_url"],
        error="server_error",
        error_description="Login\x00 is\nbroken",
        state=state,
    )
    assert back.status_code == 303
    failed = await result(client, headers, started["id"])
    assert failed["error"] == {
        "code": "platform_error",
        "message": "Facebook ended the sign-in with an error: Login  is broken",
    }


async def test_the_callback_needs_no_login_even_with_a_body(client: httpx.AsyncClient) -> None:
    # The edge refuses bodies without a bearer early, but not on the callback.
    res = await client.request(
        "GET", "/api/v1/accounts/connect/callback/x", params={"state": "a.b"}, content=b"x"
    )
    assert res.status_code == 400 and error_of(res)["error"] == "connect_state_invalid"


async def test_a_code_x_refuses_fails_the_connection(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter, session: AsyncSession
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    net.post(f"{X_API}/2/oauth2/token").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_request",
                "error_description": "Value passed for the authorization code was invalid.",
            },
        )
    )
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="lama", state=state)).is_redirect
    failed = await result(client, headers, started["id"])
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "refused"
    assert (await session.scalars(select(PlatformAccount))).all() == []


async def test_x_unreachable_fails_the_connection(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    net.post(f"{X_API}/2/oauth2/token").mock(side_effect=httpx.ConnectTimeout("timeout"))
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect
    failed = await result(client, headers, started["id"])
    assert failed["error"]["code"] == "unavailable"


async def test_connecting_needs_the_apps_credentials(
    world: World,
    tmp_path: Path,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    unit, _, headers = await admin_of(world)
    bare = Settings(env="test", data_dir=tmp_path, public_base_url=BASE, spa_dir=tmp_path / "no")
    app = create_app(bare, engine=engine)
    app.state.sessionmaker = sessionmaker
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for platform in ("x", "facebook", "instagram"):
            res = await client.post(
                "/api/v1/accounts/connect",
                json={"unit_id": unit.id, "platform": platform},
                headers=headers,
            )
            assert res.status_code == 409, res.text
            body = error_of(res)
            assert body["error"] == "connect_not_configured"
            assert ("client id" if platform == "x" else "GAUNG_META_APP_ID") in body["detail"]


async def test_reconnecting_x_renews_the_same_account(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, _, headers = await admin_of(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.x,
        external_id="2244994945",
        handle="nama_lama",
        display_name="Nama pilihan unit",
        status=AccountStatus.needs_reauth,
        last_error="X no longer accepts this account's access.",
        last_error_at=utcnow(),
    )
    store_tokens(account, settings, access_token="mati", refresh_token="mati-juga")
    session.add(account)
    await session.flush()
    started = await start(client, headers, unit, "x", account_id=account.id)
    mock_x(net)
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect

    done = await result(client, headers, started["id"])
    assert done["status"] == "done"
    [read] = done["accounts"]
    assert read["id"] == account.id and read["status"] == "active"
    assert read["last_error"] is None
    assert read["display_name"] == "Nama pilihan unit"  # the unit's own name is kept
    assert read["handle"] == "PTPSW_BPPT"  # the handle follows X
    await session.refresh(account)
    assert refresh_token(account, settings) == "segar-1"
    assert len((await session.scalars(select(PlatformAccount))).all()) == 1
    [event] = await audit_events(session, "account", account.id)
    assert event.action == "reconnect" and event.before["status"] == "needs_reauth"


async def test_reconnecting_as_another_x_account_changes_nothing(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, _, headers = await admin_of(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.x,
        external_id="111",
        handle="akun_unit",
        display_name="Akun unit",
        status=AccountStatus.needs_reauth,
    )
    store_tokens(account, settings, access_token="lama", refresh_token="lama-r")
    session.add(account)
    await session.flush()
    started = await start(client, headers, unit, "x", account_id=account.id)
    mock_x(net, me=x_me(user_id="999", username="akun_pribadi"))
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect

    failed = await result(client, headers, started["id"])
    assert failed["status"] == "failed" and failed["accounts"] == []
    assert failed["error"]["code"] == "wrong_account"
    await session.refresh(account)
    assert account.status == AccountStatus.needs_reauth
    assert access_token(account, settings) == "lama"
    assert len((await session.scalars(select(PlatformAccount))).all()) == 1


async def test_reconnect_is_checked_before_leaving(client: httpx.AsyncClient, world: World) -> None:
    unit, _, headers = await admin_of(world)
    sandbox = await world.account(unit, Platform.x)
    other_unit = await world.unit()
    await world.user(other_unit, Role.admin)  # the unit exists and has its own admin

    async def post(body: dict[str, object]) -> httpx.Response:
        return await client.post("/api/v1/accounts/connect", json=body, headers=headers)

    res = await post({"unit_id": unit.id, "platform": "x", "account_id": sandbox.id})
    assert res.status_code == 409 and error_of(res)["error"] == "account_sandbox"
    res = await post({"unit_id": unit.id, "platform": "facebook", "account_id": sandbox.id})
    assert res.status_code == 422 and set(error_of(res)["fields"]) == {"account_id"}
    res = await post({"unit_id": other_unit.id, "platform": "x", "account_id": sandbox.id})
    assert res.status_code == 404  # not the admin's unit
    res = await post({"unit_id": unit.id, "platform": "mastodon"})
    assert res.status_code == 422 and "platform" in error_of(res)["fields"]


async def test_only_unit_admins_connect_and_read_connections(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "x")
    editor = world.headers(await world.user(unit, Role.editor))
    res = await client.post(
        "/api/v1/accounts/connect", json={"unit_id": unit.id, "platform": "x"}, headers=editor
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    res = await client.get(f"/api/v1/accounts/connect/{started['id']}", headers=editor)
    assert res.status_code == 403
    res = await client.post(
        f"/api/v1/accounts/connect/{started['id']}/choose",
        json={"external_ids": ["1"]},
        headers=editor,
    )
    assert res.status_code == 403


# --- Facebook and Instagram --------------------------------------------------------------------


def mock_meta(net: respx.MockRouter, answer: object) -> tuple[respx.Route, respx.Route]:
    def exchange(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("grant_type") == "fb_exchange_token":
            assert params["fb_exchange_token"] == "PENDEK"
            return httpx.Response(
                200, json={"access_token": "PANJANG", "token_type": "bearer", "expires_in": 5183944}
            )
        return httpx.Response(
            200, json={"access_token": "PENDEK", "token_type": "bearer", "expires_in": 5400}
        )

    oauth = net.get(f"{GRAPH}/oauth/access_token").mock(side_effect=exchange)
    accounts = net.get(f"{GRAPH}/me/accounts").mock(return_value=httpx.Response(200, json=answer))
    return oauth, accounts


async def test_facebook_login_offers_pages_and_their_instagram_accounts(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "facebook")
    url = started["authorize_url"]
    assert url.startswith("https://www.facebook.com/v25.0/dialog/oauth?")
    params = query(url)
    assert params["client_id"] == META_APP_ID
    assert params["redirect_uri"] == f"{BASE}/api/v1/accounts/connect/callback/facebook"
    assert params["response_type"] == "code"
    # One login serves both networks: Page publishing and Instagram publishing permissions.
    scopes = params["scope"].split(",")
    assert {"pages_show_list", "pages_manage_posts", "instagram_content_publish"} <= set(scopes)

    oauth, accounts = mock_meta(
        net,
        pages(
            ("101", "Humas PTPSW", "TOKEN-101", "1784101"), ("202", "Lab Uji", "TOKEN-202", None)
        ),
    )
    assert (await callback(client, url, code="kode-fb", state=params["state"])).is_redirect
    first, second = oauth.calls
    assert first.request.url.params["code"] == "kode-fb"
    assert first.request.url.params["client_secret"] == META_APP_SECRET
    assert first.request.url.params["redirect_uri"] == params["redirect_uri"]
    assert second.request.url.params["grant_type"] == "fb_exchange_token"
    assert accounts.calls.last.request.url.params["access_token"] == "PANJANG"

    offered = await result(client, headers, started["id"])
    assert offered["status"] == "choose" and offered["accounts"] == []
    assert offered["choices"] == [
        {
            "external_id": "101",
            "platform": "facebook",
            "name": "Humas PTPSW",
            "handle": "Humas PTPSW",
            "picture_url": None,
            "linked_to": None,
            "connected_account_id": None,
        },
        {
            "external_id": "1784101",
            "platform": "instagram",
            "name": "ig_101",
            "handle": "ig_101",
            "picture_url": None,
            "linked_to": "101",
            "connected_account_id": None,
        },
        {
            "external_id": "202",
            "platform": "facebook",
            "name": "Lab Uji",
            "handle": "Lab Uji",
            "picture_url": None,
            "linked_to": None,
            "connected_account_id": None,
        },
    ]
    conn = await session.get(AccountConnection, started["id"])
    assert conn is not None and conn.secret_enc is not None
    assert "TOKEN-101" not in conn.secret_enc  # Page tokens wait encrypted

    unknown = await client.post(
        f"/api/v1/accounts/connect/{started['id']}/choose",
        json={"external_ids": ["101", "303"]},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert error_of(unknown)["fields"] == {"external_ids": "not offered by this login: 303"}

    chosen = await client.post(
        f"/api/v1/accounts/connect/{started['id']}/choose",
        json={"external_ids": ["1784101", "101"]},
        headers=headers,
    )
    assert chosen.status_code == 200, chosen.text
    done = chosen.json()
    assert done["status"] == "done" and done["choices"] == []
    made = {(a["platform"], a["external_id"], a["handle"]) for a in done["accounts"]}
    assert made == {("facebook", "101", "Humas PTPSW"), ("instagram", "1784101", "ig_101")}
    for read in done["accounts"]:
        row = await session.get(PlatformAccount, read["id"])
        assert row is not None
        # Instagram is reached with its Page's token, which does not expire.
        assert access_token(row, settings) == "TOKEN-101"
        assert row.token_expires_at is None and row.refresh_token_enc is None
    await session.refresh(conn)
    assert conn.secret_enc is None  # the tokens not chosen are forgotten

    again = await client.post(
        f"/api/v1/accounts/connect/{started['id']}/choose",
        json={"external_ids": ["202"]},
        headers=headers,
    )
    assert again.status_code == 409 and error_of(again)["error"] == "connect_not_choosing"

    # A second login offers the same Page as already connected.
    second_start = await start(client, headers, unit, "instagram")
    assert query(second_start["authorize_url"])["redirect_uri"] == params["redirect_uri"]
    state = query(second_start["authorize_url"])["state"]
    assert (await callback(client, url, code="lagi", state=state)).is_redirect
    again_offered = await result(client, headers, second_start["id"])
    by_id = {c["external_id"]: c for c in again_offered["choices"]}
    ids = {a["external_id"]: a["id"] for a in done["accounts"]}
    assert by_id["101"]["connected_account_id"] == ids["101"]
    assert by_id["1784101"]["connected_account_id"] == ids["1784101"]
    assert by_id["202"]["connected_account_id"] is None


@pytest.mark.parametrize(
    ("platform", "answer", "code"),
    [
        ("facebook", pages(), "no_pages"),
        ("instagram", pages(("101", "Humas", "T", None)), "no_instagram"),
    ],
)
async def test_a_login_with_nothing_to_offer_fails_clearly(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    platform: str,
    answer: object,
    code: str,
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, platform)
    mock_meta(net, answer)
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect
    failed = await result(client, headers, started["id"])
    assert failed["status"] == "failed" and failed["error"]["code"] == code


async def test_reconnecting_an_instagram_account_takes_its_pages_new_token(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, _, headers = await admin_of(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.instagram,
        external_id="1784101",
        handle="ig_101",
        display_name="IG",
        status=AccountStatus.needs_reauth,
    )
    store_tokens(account, settings, access_token="TOKEN-LAMA")
    session.add(account)
    await session.flush()
    started = await start(client, headers, unit, "instagram", account_id=account.id)
    mock_meta(
        net,
        pages(("202", "Lain", "TOKEN-202", None), ("101", "Humas", "TOKEN-BARU", "1784101")),
    )
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect
    done = await result(client, headers, started["id"])
    assert done["status"] == "done" and done["choices"] == []  # no choosing for a reconnect
    assert [a["id"] for a in done["accounts"]] == [account.id]
    await session.refresh(account)
    assert account.status == AccountStatus.active
    assert access_token(account, settings) == "TOKEN-BARU"


async def test_reconnecting_a_page_the_login_does_not_include_fails(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, _, headers = await admin_of(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.facebook,
        external_id="101",
        handle="Humas",
        display_name="Humas",
        status=AccountStatus.needs_reauth,
    )
    store_tokens(account, settings, access_token="TOKEN-LAMA")
    session.add(account)
    await session.flush()
    started = await start(client, headers, unit, "facebook", account_id=account.id)
    mock_meta(net, pages(("202", "Lain", "TOKEN-202", None)))
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect
    failed = await result(client, headers, started["id"])
    assert failed["error"]["code"] == "wrong_account"
    await session.refresh(account)
    assert access_token(account, settings) == "TOKEN-LAMA"


async def test_choosing_after_the_time_is_up_is_refused(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter, session: AsyncSession
) -> None:
    unit, _, headers = await admin_of(world)
    started = await start(client, headers, unit, "facebook")
    mock_meta(net, pages(("101", "Humas", "TOKEN-101", None)))
    state = query(started["authorize_url"])["state"]
    assert (await callback(client, started["authorize_url"], code="k", state=state)).is_redirect
    conn = await session.get(AccountConnection, started["id"])
    assert conn is not None
    conn.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()
    res = await client.post(
        f"/api/v1/accounts/connect/{started['id']}/choose",
        json={"external_ids": ["101"]},
        headers=headers,
    )
    assert res.status_code == 409 and error_of(res)["error"] == "connect_expired"
    assert (await session.scalars(select(PlatformAccount))).all() == []


async def test_connections_a_day_past_their_time_are_deleted(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    unit, _, headers = await admin_of(world)
    old = await start(client, headers, unit, "x")
    recent = await start(client, headers, unit, "x")
    for conn_id, age in (
        (old["id"], timedelta(days=1, minutes=1)),
        (recent["id"], timedelta(hours=23)),
    ):
        conn = await session.get(AccountConnection, conn_id)
        assert conn is not None
        conn.expires_at = utcnow() - age
    await session.flush()
    await start(client, headers, unit, "facebook")
    session.expunge_all()
    assert await session.get(AccountConnection, old["id"]) is None
    abandoned = await session.get(AccountConnection, recent["id"])
    assert abandoned is not None and abandoned.secret_enc is None  # its verifier is gone
    gone = await client.get(f"/api/v1/accounts/connect/{old['id']}", headers=headers)
    assert gone.status_code == 404 and error_of(gone)["error"] == "connection_not_found"
