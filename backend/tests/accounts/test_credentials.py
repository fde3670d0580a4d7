"""``accounts`` turns an account row into the plain credentials a connector takes."""

from __future__ import annotations

from datetime import timedelta

from gaung.accounts.models import Platform
from gaung.accounts.tokens import credentials, store_tokens
from gaung.kit.time import utcnow
from gaung.platforms.protocol import AccountCredentials
from tests.conftest import World


async def test_credentials_carry_the_decrypted_tokens(world: World) -> None:
    unit = await world.unit()
    account = await world.account(unit, Platform.x, handle="@gaung_id")
    expires = utcnow() + timedelta(hours=2)
    store_tokens(
        account,
        world.settings,
        access_token="access-1",
        refresh_token="refresh-1",
        expires_at=expires,
    )
    found = credentials(account, world.settings)
    assert found == AccountCredentials(
        platform=Platform.x,
        external_id=account.external_id,
        handle="@gaung_id",
        access_token="access-1",
        refresh_token="refresh-1",
        token_expires_at=expires,
    )
    # The tokens stay out of logs and tracebacks.
    assert "access-1" not in repr(found) and "refresh-1" not in repr(found)


async def test_an_account_without_an_access_token_has_no_credentials(world: World) -> None:
    unit = await world.unit()
    account = await world.account(unit, Platform.facebook)
    account.access_token_enc = None
    assert credentials(account, world.settings) is None
