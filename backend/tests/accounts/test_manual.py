"""A Page token pasted by an admin (checked with Facebook before it is saved), disconnecting an
account, and the rate-limit state an account keeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.connectors import bind, http_client
from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.accounts.rate_limits import recorder
from gaung.accounts.tokens import access_token, store_tokens
from gaung.config import Settings
from gaung.platforms.protocol import RateLimit
from gaung.units.models import Unit
from gaung.users.models import Role
from tests.accounts.connect_helpers import GRAPH, META_APP_ID, META_APP_SECRET, X_API, configured
from tests.conftest import World
from tests.helpers import audit_events, error_of

PAGE_TOKEN = "EAAB-page-token"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return configured(tmp_path)


@pytest.fixture
def net() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


def debug_token(valid: bool = True, kind: str = "PAGE") -> dict[str, Any]:
    """``debug_token``'s documented answer (C1 step 5)."""
    return {
        "data": {
            "app_id": META_APP_ID,
            "type": kind,
            "application": "Gaung",
            "expires_at": 0,
            "is_valid": valid,
            "profile_id": "101",
            "scopes": ["pages_show_list", "pages_manage_posts", "pages_read_engagement"],
        }
    }


def mock_graph(
    net: respx.MockRouter,
    me: httpx.Response | None = None,
    debug: dict[str, Any] | None = None,
    linked: dict[str, Any] | None = None,
) -> dict[str, respx.Route]:
    return {
        "me": net.get(f"{GRAPH}/me").mock(
            return_value=me or httpx.Response(200, json={"id": "101", "name": "Humas PTPSW"})
        ),
        "debug": net.get(f"{GRAPH}/debug_token").mock(
            return_value=httpx.Response(200, json=debug or debug_token())
        ),
        "linked": net.get(f"{GRAPH}/101").mock(
            return_value=httpx.Response(
                200,
                json=linked
                or {
                    "instagram_business_account": {"id": "1784101", "username": "humas_ptpsw"},
                    "id": "101",
                },
            )
        ),
    }


async def admin_headers(world: World) -> tuple[Unit, dict[str, str]]:
    unit = await world.unit()
    return unit, world.headers(await world.user(unit, Role.admin))


async def manual(
    client: httpx.AsyncClient, headers: dict[str, str], unit: Unit, **body: Any
) -> httpx.Response:
    payload = {"unit_id": unit.id, "platform": "facebook", "access_token": PAGE_TOKEN, **body}
    return await client.post("/api/v1/accounts/manual", json=payload, headers=headers)


async def test_a_page_token_is_checked_then_saved(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, headers = await admin_headers(world)
    routes = mock_graph(net)
    res = await manual(client, headers, unit, page_id="101")
    assert res.status_code == 201, res.text
    [read] = res.json()["items"]
    assert (read["platform"], read["external_id"], read["handle"]) == (
        "facebook",
        "101",
        "Humas PTPSW",
    )
    assert read["connected"] is True and read["status"] == "active"
    assert read["token_expires_at"] is None  # Page tokens do not expire
    # Facebook was asked whose token it is, and (with the app token) whether it is a Page's.
    assert routes["me"].calls.last.request.url.params["access_token"] == PAGE_TOKEN
    debug = routes["debug"].calls.last.request.url.params
    assert debug["input_token"] == PAGE_TOKEN
    assert debug["access_token"] == f"{META_APP_ID}|{META_APP_SECRET}"
    row = await session.get(PlatformAccount, read["id"])
    assert row is not None and access_token(row, settings) == PAGE_TOKEN
    [event] = await audit_events(session, "account", read["id"])
    assert event.action == "connect"


async def test_an_instagram_account_is_found_through_its_page(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, headers = await admin_headers(world)
    routes = mock_graph(net)
    res = await manual(client, headers, unit, platform="instagram")
    assert res.status_code == 201, res.text
    [read] = res.json()["items"]
    assert (read["platform"], read["external_id"], read["handle"]) == (
        "instagram",
        "1784101",
        "humas_ptpsw",
    )
    linked = routes["linked"].calls.last.request.url.params
    assert linked["fields"] == "instagram_business_account{id,username,name}"
    assert linked["access_token"] == PAGE_TOKEN
    row = await session.get(PlatformAccount, read["id"])
    assert row is not None and access_token(row, settings) == PAGE_TOKEN


async def test_pasting_again_renews_the_existing_account(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, headers = await admin_headers(world)
    old = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.facebook,
        external_id="101",
        handle="Humas",
        display_name="Humas",
        status=AccountStatus.needs_reauth,
    )
    store_tokens(old, settings, access_token="lama")
    session.add(old)
    await session.flush()
    mock_graph(net)
    res = await manual(client, headers, unit)
    assert res.status_code == 201, res.text
    assert [a["id"] for a in res.json()["items"]] == [old.id]
    await session.refresh(old)
    assert old.status == AccountStatus.active and access_token(old, settings) == PAGE_TOKEN


BAD_TOKEN = {
    "rejected by Facebook": (
        {
            "me": httpx.Response(
                400,
                json={
                    "error": {
                        "message": "Invalid OAuth access token.",
                        "type": "OAuthException",
                        "code": 190,
                        "error_subcode": 467,
                        "fbtrace_id": "A1",
                    }
                },
            )
        },
        422,
        "token_invalid",
        "access_token",
    ),
    "not valid": ({"debug": debug_token(valid=False)}, 422, "token_invalid", "access_token"),
    "a user's token": ({"debug": debug_token(kind="USER")}, 422, "token_not_page", "access_token"),
    "another Page's": ({}, 422, "token_other_page", "page_id"),
    "no Instagram linked": ({"linked": {"id": "101"}}, 422, "no_instagram", "access_token"),
}


@pytest.mark.parametrize("case", list(BAD_TOKEN))
async def test_a_bad_token_is_refused_with_the_reason_and_nothing_is_saved(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    case: str,
) -> None:
    unit, headers = await admin_headers(world)
    answers, status, code, field = BAD_TOKEN[case]
    mock_graph(net, **answers)
    extra: dict[str, Any] = {}
    if case == "another Page's":
        extra["page_id"] = "999"
    if case == "no Instagram linked":
        extra["platform"] = "instagram"
    res = await manual(client, headers, unit, **extra)
    assert res.status_code == status, res.text
    body = error_of(res)
    assert body["error"] == code and set(body["fields"]) == {field}
    assert (await session.scalars(select(PlatformAccount))).all() == []


async def test_facebook_unreachable_is_a_503(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, headers = await admin_headers(world)
    net.get(f"{GRAPH}/me").mock(side_effect=httpx.ConnectError("unreachable"))
    res = await manual(client, headers, unit)
    assert res.status_code == 503 and error_of(res)["error"] == "platform_unavailable"


async def test_manual_tokens_are_for_unit_admins_and_well_formed(
    client: httpx.AsyncClient, world: World, net: respx.MockRouter
) -> None:
    unit, headers = await admin_headers(world)
    routes = mock_graph(net)
    editor = world.headers(await world.user(unit, Role.editor))
    res = await manual(client, editor, unit)
    assert res.status_code == 403
    res = await manual(client, headers, unit, platform="x")
    assert res.status_code == 422 and set(error_of(res)["fields"]) == {"platform"}
    res = await manual(client, headers, unit, access_token="dua kata")
    assert res.status_code == 422 and set(error_of(res)["fields"]) == {"access_token"}
    assert routes["me"].call_count == 0  # refused before any network call


# --- disconnecting ---------------------------------------------------------------------------


async def test_disconnect_forgets_the_tokens(
    client: httpx.AsyncClient, world: World, session: AsyncSession, settings: Settings
) -> None:
    unit, headers = await admin_headers(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.x,
        external_id="2244994945",
        handle="PTPSW_BPPT",
        display_name="PTPSW",
        rate_limit={"limit": 100, "remaining": 3, "observed_at": "2026-11-29T10:00:00+00:00"},
    )
    store_tokens(
        account, settings, access_token="a", refresh_token="r", expires_at=datetime.now(UTC)
    )
    session.add(account)
    await session.flush()
    res = await client.post(f"/api/v1/accounts/{account.id}/disconnect", headers=headers)
    assert res.status_code == 200, res.text
    read = res.json()
    assert read["status"] == "disabled" and read["connected"] is False
    assert read["token_expires_at"] is None and read["rate_limit"] is None
    await session.refresh(account)
    assert account.access_token_enc is None and account.refresh_token_enc is None
    [event] = await audit_events(session, "account", account.id)
    assert event.action == "disconnect" and event.before["status"] == "active"
    # Enabling it again waits for a reconnect: there is nothing to call the network with.
    enabled = await client.post(f"/api/v1/accounts/{account.id}/enable", headers=headers)
    assert enabled.json()["status"] == "needs_reauth"


# --- rate-limit state ------------------------------------------------------------------------


async def test_the_latest_rate_limit_is_stored_and_shown(
    client: httpx.AsyncClient,
    world: World,
    net: respx.MockRouter,
    session: AsyncSession,
    settings: Settings,
) -> None:
    unit, headers = await admin_headers(world)
    account = PlatformAccount(
        unit_id=unit.id,
        platform=Platform.x,
        external_id="2244994945",
        handle="PTPSW_BPPT",
        display_name="PTPSW",
    )
    store_tokens(account, settings, access_token="a", refresh_token="r")
    session.add(account)
    await session.flush()
    before = await client.get(f"/api/v1/accounts/{account.id}", headers=headers)
    assert before.json()["rate_limit"] is None

    net.get(f"{X_API}/2/users/2244994945").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": "2244994945", "public_metrics": {"followers_count": 7}}},
            headers={
                "x-rate-limit-limit": "300",
                "x-rate-limit-remaining": "297",
                "x-rate-limit-reset": "1795000000",
            },
        )
    )
    async with http_client() as http:
        bound = bind(
            account, session=session, settings=settings, http=http, on_rate_limit=recorder(account)
        )
        assert bound is not None
        await bound.connector.account_metrics(bound.credentials)
    await session.flush()

    shown = (await client.get(f"/api/v1/accounts/{account.id}", headers=headers)).json()
    limit = shown["rate_limit"]
    assert (limit["limit"], limit["remaining"], limit["usage_pct"]) == (300, 297, None)
    reset = datetime.fromisoformat(limit["resets_at"])
    assert reset == datetime.fromtimestamp(1795000000, UTC)
    assert limit["observed_at"] is not None


def test_a_report_about_another_account_is_not_stored() -> None:
    account = PlatformAccount(external_id="101", rate_limit={})
    record = recorder(account)
    now = datetime(2026, 11, 29, 10, tzinfo=UTC)
    record(RateLimit(account_external_id="1784101", observed_at=now, usage_pct=95.0))
    assert account.rate_limit == {}
    record(RateLimit(account_external_id="101", observed_at=now, usage_pct=42.0))
    assert account.rate_limit == {
        "limit": None,
        "remaining": None,
        "resets_at": None,
        "usage_pct": 42.0,
        "observed_at": "2026-11-29T10:00:00+00:00",
    }
