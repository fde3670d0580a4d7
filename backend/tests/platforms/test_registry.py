"""The registry knows every network, and the protocol's data and errors hold what they promise."""

from __future__ import annotations

import httpx
import pytest

from gaung.accounts import models as account_models
from gaung.platforms.protocol import (
    AuthError,
    ConnectedAccount,
    ConnectorError,
    Context,
    Endpoints,
    PermanentError,
    RetryableError,
    TokenSet,
)
from gaung.platforms.registry import NETWORKS, network
from gaung.platforms.types import Platform
from gaung.posts.validation import check_variant, text_count


def test_every_platform_has_its_rules() -> None:
    assert set(NETWORKS) == set(Platform)
    for platform, entry in NETWORKS.items():
        assert entry.platform is platform
        assert network(platform) is entry
        assert entry.rules.count("hi").length == 2


async def test_a_registered_connector_is_built_for_its_own_network() -> None:
    async with httpx.AsyncClient() as http:
        ctx = Context(http, Endpoints())
        for platform, entry in NETWORKS.items():
            if entry.connector is not None:
                assert entry.connector(ctx).platform is platform
    assert NETWORKS[Platform.x].connector is not None
    assert NETWORKS[Platform.facebook].connector is not None
    assert NETWORKS[Platform.instagram].connector is not None


def test_accounts_store_the_platforms_enum() -> None:
    assert account_models.Platform is Platform
    column = account_models.PlatformAccount.__table__.c.platform
    assert list(column.type.enums) == [p.value for p in Platform]  # type: ignore[attr-defined]


def test_dispatch_uses_each_networks_own_count() -> None:
    text = "😀 https://example.com/" + "a" * 100
    assert text_count(Platform.x, text).length == 2 + 1 + 23
    assert text_count(Platform.instagram, text).length == len(text)
    assert text_count(Platform.facebook, text) == NETWORKS[Platform.facebook].rules.count(text)
    count, problems = check_variant(Platform.instagram, text, [])
    assert count.max_length == 2200
    assert [p.rule for p in problems] == ["instagram.media.required"]


def test_connector_errors_carry_what_the_caller_acts_on() -> None:
    retry = RetryableError("X is busy; the post will be tried again shortly.", retry_after=30)
    assert retry.retry_after == 30 and retry.message.startswith("X is busy")
    assert RetryableError("Timed out.").retry_after is None
    permanent = PermanentError("x.duplicate_content", "X refused a post identical to a recent one.")
    assert (permanent.code, str(permanent)) == (
        "x.duplicate_content",
        "X refused a post identical to a recent one.",
    )
    for error in (retry, permanent, AuthError("Reconnect the account.")):
        assert isinstance(error, ConnectorError)
    with pytest.raises(ConnectorError):
        raise AuthError("Reconnect the account.")


def test_connected_accounts_keep_tokens_out_of_their_repr() -> None:
    account = ConnectedAccount(
        "123", "@page", "A Page", TokenSet("secret-access", "secret-refresh")
    )
    assert "secret" not in repr(account) and "secret" not in repr(account.tokens)
