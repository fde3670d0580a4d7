"""Platform tokens are encrypted in the database and never returned by the API."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import text

from gaung.accounts.models import Platform
from gaung.accounts.tokens import access_token, refresh_token, store_tokens
from gaung.kit.time import utcnow
from tests.conftest import World

ACCESS = "EAAG-page-access-token-very-secret"
REFRESH = "x-refresh-token-also-secret"


async def test_tokens_are_encrypted_at_rest_and_readable_with_the_keys(world: World) -> None:
    unit = await world.unit()
    account = await world.account(unit, Platform.facebook)
    store_tokens(
        account,
        world.settings,
        access_token=ACCESS,
        refresh_token=REFRESH,
        expires_at=utcnow() + timedelta(hours=2),
    )
    await world.session.flush()
    row = (
        await world.session.execute(
            text("SELECT access_token_enc, refresh_token_enc FROM platform_account WHERE id = :id"),
            {"id": account.id},
        )
    ).one()
    assert ACCESS not in row[0] and REFRESH not in row[1]
    assert access_token(account, world.settings) == ACCESS
    assert refresh_token(account, world.settings) == REFRESH


async def test_the_api_never_returns_tokens(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit)
    account = await world.account(unit, Platform.x)
    store_tokens(account, world.settings, access_token=ACCESS, refresh_token=REFRESH)
    await world.session.flush()
    for path in ("/api/v1/accounts", f"/api/v1/accounts/{account.id}"):
        res = await client.get(path, headers=world.headers(admin))
        assert res.status_code == 200
        assert ACCESS not in res.text and REFRESH not in res.text
        assert "token_enc" not in res.text
